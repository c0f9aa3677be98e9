"""The scene a view draws (dashboard/scene/build.py): a date's payload is byte for byte what it
was before the page was re-partitioned (issue 15), built the page's way (``inputs_for`` a
ViewState, then ``step_payload``)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from dashboard.config import EVENTS_CSV, ROOT
from dashboard.ingest.events import load_events
from dashboard.query.view import Filters, index_for
from dashboard.scene import build as scene
from dashboard.state.view_state import ViewState
from tests.synth import acled_events

DIGESTS = json.loads((ROOT / "tests/fixtures/step_payloads.sha256.json").read_text())
DAYS = {
    "bundled": (date(2022, 2, 24), date(2022, 9, 23), date(2022, 11, 11)),
    "acled5k": (date(2022, 3, 1), date(2023, 6, 11), date(2024, 12, 31)),
}


def load_datasets(regions):
    acled = acled_events(5000, seed=3, regions=regions).to_csv(index=False).encode()
    return {
        "bundled": load_events(EVENTS_CSV, regions).events,
        "acled5k": load_events(acled, regions).events,
    }


@pytest.fixture(scope="module")
def datasets(regions):
    return load_datasets(regions)


def cases():
    for name in DAYS:
        for lang in ("en", "uk"):
            for window in (None, 7, 30):
                for overlay in ("", "legend"):
                    for metric in ("events", "fatalities") if name == "acled5k" else ("events",):
                        cats = ("referendum",) if name == "bundled" else ()
                        for filters in (Filters(), Filters(cats, ("UA-63", "outside"), "")):
                            for outside in (False, True):
                                yield name, lang, window, overlay, metric, filters, outside


def digests(datasets, regions, name):
    """(case key, sha256 of the payload) for every recorded case of one data set."""
    for case in cases():
        if case[0] != name:
            continue
        _, lang, window, overlay, metric, filters, outside = case
        state = ViewState(
            window=window,
            cat=filters.categories,
            oblast=filters.oblasts,
            q=filters.query,
            lang=lang,
            metric=metric,
            outside=outside,
        )
        events = datasets[name]
        index = index_for(events, filters)
        inputs = scene.inputs_for(state, events, regions, index, tiles="none", overlay=overlay)
        for day in DAYS[name]:
            text = scene.step_payload(day, key="k0", **inputs.args())
            key = (
                f"{name}|{lang}|{window}|{overlay}|{metric}|{filters.categories}|"
                f"{filters.oblasts}|{outside}|{day}"
            )
            yield key, hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("name", list(DAYS))
def test_step_payloads_are_byte_for_byte_the_recorded_ones(datasets, regions, name):
    """A change of the payload is a decision: re-record with
    ``python -m tests.unit.scene.test_build`` and say why in the commit."""
    checked = 0
    for key, digest in digests(datasets, regions, name):
        assert digest == DIGESTS[key], key
        checked += 1
    assert checked == sum(1 for k in DIGESTS if k.startswith(name + "|"))


def test_the_page_and_the_cli_build_the_same_scene(datasets, regions):
    """snapshot and the page both go through inputs_for and of_state."""
    state = ViewState(date=date(2022, 9, 25), window=7, lang="uk", lat=47.5, lon=36.5, zoom=6)
    events = datasets["bundled"]
    inputs = scene.inputs_for(state, events, regions, index_for(events, Filters()), "none")
    made = scene.of_state(state, inputs)
    assert made.center == (47.5, 36.5) and made.zoom == 6
    assert made.layers.payload["date"] == "2022-09-25"
    assert made.view.window_days == 7 and made.lang == "uk"
    assert scene.of_state(state, inputs, date(2022, 9, 20)).layers.payload["date"] == "2022-09-20"


if __name__ == "__main__":  # re-record the digests (a deliberate change of the payload)
    from dashboard.geo.regions import load_regions

    shapes = load_regions()
    loaded = load_datasets(shapes)
    recorded = {k: d for name in DAYS for k, d in digests(loaded, shapes, name)}
    path = ROOT / "tests/fixtures/step_payloads.sha256.json"
    path.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"{len(recorded)} digests written to {path}")
