"""AppTest: the real UCDP file (shared/data, as analysts have it) uploaded in the page gives the
same counts, encoding and date decision as the command line."""

import json
import os

import pytest

from dashboard.config import ROOT
from dashboard.validate import main
from tests.app.test_upload import expander_labels, page, plain, upload

UCDP = ROOT.parent / "shared" / "data" / "ucdp-ukraine-2023-05.csv"


@pytest.fixture(scope="module")
def ucdp_bytes() -> bytes:
    if not UCDP.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{UCDP} is missing: CI lays shared/ beside the clone")
        pytest.skip(f"{UCDP} is not here")
    return UCDP.read_bytes()


def test_the_real_ucdp_file_gives_the_command_lines_counts(ucdp_bytes, capsys):
    main([str(UCDP), "--json"])
    cli = json.loads(capsys.readouterr().out)
    app = upload(page(), UCDP.name, ucdp_bytes)
    report = next(x for x in expander_labels(app) if x.startswith("Validation report"))
    rejected = cli["rejected"]
    assert (
        f"{cli['accepted']:,} of {cli['rows']:,} records accepted, {rejected:,} rejected" in report
    )
    captions = [plain(c.value) for c in app.caption]
    assert any("Windows-1252" in c for c in captions)
    assert any(c.startswith("Dates in date_start: month-first") for c in captions)
    assert cli["encoding"] == "Windows-1252" and cli["accepted"] >= 3860
