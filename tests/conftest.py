import os

import pytest

from dashboard.geo.regions import load_regions
from dashboard.ingest import events
from dashboard.team import localdb


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


@pytest.fixture(scope="session")
def database_url():
    """A real PostgreSQL+PostGIS cluster (dashboard.team.localdb) for the session's tests of
    the shared store, started when first asked for. Missing binaries fail the run in CI
    (.ci/run installs them) and skip elsewhere."""
    why = localdb.missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    with localdb.cluster() as url:
        yield url
