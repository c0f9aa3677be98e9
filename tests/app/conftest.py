import pytest


@pytest.fixture(autouse=True)
def _widgets_answer_at_once(monkeypatch):
    """AppTest has no browser client, so no settling glitch to wait out (app.touch): a
    widget changed right after the page opens is the user's."""
    monkeypatch.setenv("OEM_LINK_SETTLE_S", "0")
