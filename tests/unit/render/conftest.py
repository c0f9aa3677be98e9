"""The bundled events, read once per test module of the renderers (``regions``: tests/conftest)."""

import pytest

from dashboard.config import EVENTS_CSV
from dashboard.ingest.events import load_events


@pytest.fixture(scope="module")
def events(regions):
    return load_events(EVENTS_CSV, regions).events
