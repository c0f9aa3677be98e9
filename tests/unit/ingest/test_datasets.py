"""Which events are shown (bundled, uploaded, both) and the upload size limit."""

import pytest

from dashboard.config import EVENTS_CSV
from dashboard.ingest import datasets
from dashboard.ingest.events import load_events
from tests import samples


@pytest.mark.parametrize(
    ("env", "server", "limit"),
    [(None, 200, 200), ("50", 200, 50), ("500", 200, 200), ("junk", 300, 300), ("-1", 200, 200)],
)
def test_upload_limit_is_the_server_limit_optionally_lowered(monkeypatch, env, server, limit):
    if env is None:
        monkeypatch.delenv("OEM_MAX_UPLOAD_MB", raising=False)
    else:
        monkeypatch.setenv("OEM_MAX_UPLOAD_MB", env)
    assert datasets.max_upload_mb(server) == limit


def test_load_upload_never_raises(regions):
    upload = datasets.load_upload("x.csv", bytes(range(256)) * 4, "auto", regions, 1)
    assert upload.result is None and "binary" in upload.error
    too_big = datasets.load_upload("big.csv", b"a" * (2 * datasets.MB), "auto", regions, 1)
    assert "over the 1 MB limit" in too_big.error


def test_combine_labels_every_row_with_its_dataset(regions):
    bundled = load_events(EVENTS_CSV, regions, dataset=datasets.CURATED_LABEL)
    upload = datasets.load_upload("a.csv", samples.acled_current(), "auto", regions).result
    both = datasets.combine([bundled, upload])
    assert len(both) == bundled.accepted + upload.accepted
    assert both["dataset"].value_counts().to_dict() == {
        datasets.CURATED_LABEL: bundled.accepted,
        "Upload: a.csv": upload.accepted,
    }
    assert len(datasets.combine([None, upload])) == upload.accepted
    assert len(datasets.combine([None])) == 0


def test_each_data_choice_names_its_datasets(monkeypatch):
    from dashboard.state.choices import DATA

    assert set(datasets.PARTS) == set(DATA)
    assert datasets.PARTS["both"] == (datasets.CURATED, datasets.UCDP)
    assert [c for c in DATA if datasets.needs_upload(c)] == ["upload", "upload_curated"]
    sets = datasets.bundled_sets()
    assert sets["curated"].label == "Curated timeline 2022" and sets["curated"].path.is_file()
    assert sets["ucdp"].label == "UCDP GED/Candidate 2014–2023" and sets["ucdp"].path.is_file()
    monkeypatch.setenv("OEM_EVENTS_CSV", "/srv/own.csv")
    own = datasets.bundled_sets()["curated"]
    assert own.label == "Bundled: own.csv"  # a deployment's file is not called ours
