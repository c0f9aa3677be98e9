import pytest

from dashboard.geo.regions import load_regions


@pytest.fixture(scope="session")
def regions():
    return load_regions()
