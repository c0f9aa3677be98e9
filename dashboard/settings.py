"""Every setting the product reads from the environment, in one registry. No Streamlit.

Each is read when used (a test or a deployment may change it between runs), through ``get``;
``tests/unit/test_settings.py`` checks that the README's settings table lists each one and that
no module reads an ``OEM_*`` variable that is not here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default (as text) and meaning."""

    name: str
    default: str
    meaning: str


SETTINGS: tuple[Setting, ...] = (
    Setting("OEM_TILES", "none", "first basemap: none, osm or carto-light"),
    Setting("OEM_EVENTS_CSV", "", "the events file the page shows (default data/events.csv)"),
    Setting("OEM_TIMING_LOG", "", "file the server appends step and prepare times (ms) to"),
    Setting("OEM_PREPARE_AHEAD", "1", "0 stops writing the dates around the one shown ahead"),
    Setting("OEM_MAX_UPLOAD_MB", "", "lowers the upload size limit (MB); never raises it"),
    Setting(
        "OEM_FRAME_ANCESTORS",
        "",
        "origins besides this site that may show the page in a frame (space-separated)",
    ),
    Setting(
        "OEM_SESSION_GRACE_S",
        "30",
        "seconds a session may be disconnected before it is closed and its memory (an upload "
        "included) released; a tab back later reopens from its link",
    ),
    Setting(
        "OEM_UPLOAD_MEMORY_MB",
        "4096",
        "memory (MB of data) the process reading one upload may use; past it the upload is "
        "refused with a message",
    ),
    Setting(
        "OEM_LINK_SETTLE_S",
        "3",
        "seconds after a session's first full run in which browser-reported widget changes "
        "are taken for Streamlit's settling glitch",
    ),
    Setting(
        "OEM_DATABASE_URL",
        "",
        "the team's PostgreSQL+PostGIS store (libpq URL); unset: no shared store (docs/DEPLOY.md)",
    ),
    Setting("OEM_STORE_MAX_EVENTS", "2000000", "the largest dataset the shared store takes"),
    # Read by scripts/team.sh (make team), listed here to be documented with the rest.
    Setting("OEM_DEMO_LOGIN", "", "make team: 1 starts the test OpenID provider and accounts"),
    Setting("OEM_TEAM_SECRETS", "", "make team: the secrets file with a real [auth] section"),
    Setting("OEM_OIDC_PORT", "9400", "make team: the test OpenID provider's port"),
)
BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The setting's value from the environment, else its default (text, stripped)."""
    return os.environ.get(name, BY_NAME[name].default).strip()


def get_float(name: str, fallback: float) -> float:
    """A number setting; ``fallback`` for a value that is not a number."""
    try:
        return float(get(name))
    except ValueError:
        return fallback
