"""One registry of settings (dashboard/settings.py), each documented in the README."""

import re

import pytest

from dashboard import settings
from dashboard.config import ROOT


def readme_settings() -> dict[str, str]:
    """Setting name -> default, from the README's settings table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(OEM_[A-Z_]+)` \| [^|]+ \| ([^|]+) \|", text, flags=re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def test_the_readme_lists_every_setting_with_its_default():
    documented = readme_settings()
    assert set(documented) == set(settings.BY_NAME)
    for setting in settings.SETTINGS:
        shown = documented[setting.name].strip("`")
        assert shown == (setting.default or shown), setting.name  # '' is shown as prose


def test_no_module_reads_a_setting_the_registry_does_not_have():
    used = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        used |= set(re.findall(r"\bOEM_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8")))
    assert used <= set(settings.BY_NAME)
    assert "os.environ" not in (ROOT / "dashboard" / "app.py").read_text(encoding="utf-8")


@pytest.mark.parametrize(("value", "expected"), [(None, 3.0), ("0", 0.0), ("x", 7.0)])
def test_values_come_from_the_environment_else_the_default(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("OEM_LINK_SETTLE_S", raising=False)
    else:
        monkeypatch.setenv("OEM_LINK_SETTLE_S", value)
    assert settings.get_float("OEM_LINK_SETTLE_S", 7.0) == expected
