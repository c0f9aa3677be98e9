"""The Streamlit entry file: ``python -m streamlit run dashboard/app.py`` (``make run``).

It stays here, beside ``static/`` (which Streamlit serves), and only starts the page. Where
things happen, layer by layer (README.md, "How it is built"):

- ``ingest/``: a file becomes a validated events frame (``geo/`` places each event);
- ``query/``: the frame is indexed once and counted per date (no HTML, no folium);
- ``state/``: the view as one value, its link codec and its transitions;
- ``scene/``: one drawable view as plain data; ``render/``: Leaflet, slide PNG, HTML, CSV;
- ``timebar/``: dates written ahead for the map's own time bar, and its protocol;
- ``page/``: the only folder that imports Streamlit.
"""

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the root: add the root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.page.main import main  # noqa: E402

main()
