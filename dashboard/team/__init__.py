"""Team deployment: sign-in roles and the shared PostgreSQL/PostGIS store. No Streamlit.

Without an ``[auth]`` section in the secrets and without a database URL, nothing here is used and
the page runs open and single-user, as ``make run`` starts it (docs/DEPLOY.md).
"""
