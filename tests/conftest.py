import pytest

from dashboard.geo.regions import load_regions
from dashboard.ingest import events


@pytest.fixture(scope="session")
def regions():
    return load_regions()


@pytest.fixture(scope="module")
def no_heap_trimming():
    """load_events hands freed memory back to the system after each step (full garbage
    collections): with pytest's many live objects that is most of a tiny file's load time,
    and it changes no result. A test module asks for it with
    ``pytestmark = pytest.mark.usefixtures("no_heap_trimming")``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(events, "release_memory", lambda: None)
        yield
