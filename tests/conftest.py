import pytest

from dashboard.regions import load_regions


@pytest.fixture(scope="session")
def regions():
    return load_regions()
