"""Reading real files into strings (dashboard/ingest/tables.py and the modules it uses):
encodings detected or chosen, bidirectional controls removed, an export tool's note above the
header skipped. Every table is built in code (tests/samples.py).
"""

from __future__ import annotations

import pytest

from dashboard.config import ID, SETTLEMENT
from dashboard.ingest.events import read_raw
from dashboard.ingest.formats import detect
from tests.loading import acled_file, load, reasons, run
from tests.samples import ACLED_COLUMNS, acled, delimited

pytestmark = pytest.mark.usefixtures("no_heap_trimming")


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, codec, label",
    [
        ("Краматорськ, Слов'янськ", "utf-8", "UTF-8"),
        ("Краматорськ, Слов'янськ", "utf-8-sig", "UTF-8 with BOM"),
        ("Краматорськ, Слов'янськ", "utf-16", "UTF-16"),
        ("Суспільне Донбас: Краматорськ", "cp1251", "Windows-1251"),
        ("Запорожская область: Мелитополь", "cp1251", "Windows-1251"),
        ("NOËL Reports · 20h", "cp1252", "Windows-1252"),
        ("Le Monde: « Zaporijia », café", "cp1252", "Windows-1252"),
    ],
)
def test_encodings(text, codec, label):
    data = delimited([acled(event_id_cnty="UKR1", source=text)], ACLED_COLUMNS, encoding=codec)
    table = read_raw(data)
    assert table.encoding == label
    assert list(table.frame["source"]) == [text]


@pytest.mark.parametrize(
    "choice, label, expected",
    [
        ("cp1251", "Windows-1251 (as you chose)", "NOЛL Reports"),
        ("Windows-1252", "Windows-1252 (as you chose)", "NOËL Reports"),
        ("latin1", "ISO-8859-1 (as you chose)", "NOËL Reports"),
    ],
)
def test_encoding_override(choice, label, expected):
    data = delimited(
        [acled(event_id_cnty="UKR1", source="NOËL Reports")], ACLED_COLUMNS, encoding="cp1252"
    )
    table = read_raw(data, encoding=choice)
    assert table.encoding == label
    assert list(table.frame["source"]) == [expected]


def test_encoding_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "western.csv"
    record = acled(event_id_cnty="UKR1", source="Le Monde: « Zaporijia », café")
    path.write_bytes(delimited([record], ACLED_COLUMNS, encoding="cp1252"))
    code, data = run(capsys, path, "--json", "--encoding", "cp1252")
    assert (code, data["encoding"], data["accepted"]) == (0, "Windows-1252 (as you chose)", 1)
    assert (data["near_border"], data["mapping"]) == (0, None)
    assert [(d["column"], d["rule"]) for d in data["dates"]] == [("event_date", "none_needed")]


# --- bidi controls, preambles -----------------------------------------------------------------

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize("ch", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_bidi_controls_are_removed_from_cells_and_header(ch):
    record = acled(event_id_cnty=f"UKR{ch}1", location=f"Kram{ch}atorsk", source=f"{ch}Src{ch}")
    data = delimited([record], ACLED_COLUMNS, rename=lambda c: ch + c if c == "event_date" else c)
    table = read_raw(data)
    assert not any(ch in h for h in table.header)
    assert "event_date" in table.frame.columns
    first = table.frame.iloc[0]
    assert (first["event_id_cnty"], first["location"], first["source"]) == (
        "UKR1", "Kramatorsk", "Src",
    )  # fmt: skip


def test_bidi_controls_never_reach_the_events(regions):
    records = [
        acled(event_id_cnty=f"UKR{ch}{i}", location=f"Kram{ch}atorsk", notes=f"{ch}n")
        for i, ch in enumerate(BIDI, 1)
    ]
    data = delimited(records, ACLED_COLUMNS, rename=lambda c: "\u202e" + c)
    result = load(data, regions)
    assert result.rejected.empty, reasons(result)
    assert list(result.events[ID]) == [f"UKR{i}" for i in range(1, len(BIDI) + 1)]
    text = result.events.select_dtypes(exclude="number").astype(str)
    assert not text.apply(lambda c: c.str.contains("[\u202a-\u202e\u2066-\u2069]")).any().any()
    assert set(result.events[SETTLEMENT]) == {"Kramatorsk"}


@pytest.mark.parametrize("preamble", ["(Sample)\n\n", "(Sample)\r\n\r\n", "ACLED export\n"])
@pytest.mark.parametrize("via", ["bytes", "path"])
def test_preamble_before_the_header_is_skipped(preamble, via, tmp_path):
    data = preamble.encode() + acled_file("2022-09-25", "2022-09-26")
    source = data
    if via == "path":
        source = tmp_path / "acled.csv"
        source.write_bytes(data)
    table = read_raw(source)
    assert detect(list(table.frame.columns[1:])) == "acled"
    assert list(table.frame["event_id_cnty"]) == ["UKR1", "UKR2"]
    assert table.malformed.empty


def _outcome(path, seconds: float = 10.0):
    """What loading ``path`` gives, waited for at most ``seconds`` in a daemon thread (so a
    regression that hangs fails the test instead of hanging the run)."""
    import threading

    from dashboard.ingest.events import load_events

    out: list = []

    def run():
        try:
            out.append(load_events(path))
        except Exception as exc:  # noqa: BLE001 - the test looks at what it was
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"loading {path} hung"
    return out[0]


def test_a_fifo_or_a_device_is_refused_unread(tmp_path):
    import os

    from dashboard.ingest.rawtable import UnreadableFile

    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came
    for path, name in ((fifo, "events.csv"), ("/dev/zero", "zero")):
        got = _outcome(path)
        assert isinstance(got, UnreadableFile), got
        assert str(got) == f"{name}: not a regular file (a pipe, device or folder)"
