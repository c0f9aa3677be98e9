"""Upload budgets (ingest/budget.py): limits checked before the work, one message naming the
limit, records with an over-long cell listed as rejected, names cut in messages."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.config import RECORD
from dashboard.ingest import budget, tables
from dashboard.ingest.events import load_events
from dashboard.ingest.rawtable import UnreadableFile


def workbook(frame: pd.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.to_excel(out, index=False, engine="openpyxl")
    return out.getvalue()


def parquet(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out, compression="zstd")
    return out.getvalue()


def test_a_workbook_whose_sheet_unpacks_past_the_limit_is_refused_from_its_zip_directory():
    # A sheet of one repeated row: small on the wire, large unpacked (a "zip bomb" in small).
    rows = "".join(f'<row r="{k}"><c r="A{k}"><v>1</v></c></row>' for k in range(1, 200_001))
    sheet = f'<worksheet xmlns="x"><sheetData>{rows}</sheetData></worksheet>'.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    data = out.getvalue()
    assert len(data) < len(sheet) / 5
    limit = len(sheet) - 1
    import python_calamine

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened: its size is in the ZIP directory")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(budget, "MAX_SHEET_BYTES", limit)
        mp.setattr(python_calamine.CalamineWorkbook, "from_filelike", never)
        mp.setattr(python_calamine, "load_workbook", never, raising=False)
        with pytest.raises(budget.Over, match="first sheet unpacks to .* MB limit") as got:
            tables.read_table(data)
    assert "nothing was loaded" in str(got.value)
    assert isinstance(got.value, UnreadableFile)  # the page's and CLI's one-line path


def test_a_workbook_is_read_by_calamine_as_openpyxl_wrote_it():
    frame = pd.DataFrame(
        {"event_date": ["2022-09-23", "2022-09-27"], "fatalities": [0, 3], "note": ["a", ""]}
    )
    got = tables.read_table(workbook(frame))
    assert got.kind == "xlsx"
    assert got.header == ["event_date", "fatalities", "note"]
    assert got.frame["fatalities"].tolist() == ["0", "3"]
    assert got.frame["note"].tolist() == ["a", ""]
    assert got.frame[RECORD].tolist() == [1, 2]


def test_a_workbook_with_too_many_rows_is_refused_before_its_cells_are_read(monkeypatch):
    frame = pd.DataFrame({"event_date": ["2022-09-23"] * 30, "x": range(30)})
    monkeypatch.setattr(budget, "MAX_ROWS", 29)
    with pytest.raises(budget.Over, match="30 records, over the 29 limit"):
        tables.read_table(workbook(frame))


def test_a_parquet_file_of_many_rows_is_refused_from_its_footer(monkeypatch):
    # 3 million identical rows: a few KB on disk.
    data = parquet(pa.table({"event_date": pa.array(["2022-09-23"] * 3_000_000)}))
    assert len(data) < 200_000

    def never(*args, **kwargs):
        raise AssertionError("decoded although over the limit")

    monkeypatch.setattr(budget, "MAX_ROWS", 1_000_000)
    monkeypatch.setattr(pd, "read_parquet", never)
    with pytest.raises(budget.Over, match="3,000,000 records, over the 1,000,000 limit"):
        tables.read_table(data)


def test_a_parquet_file_within_the_limits_is_read():
    data = parquet(pa.table({"event_date": ["2022-09-23"], "fatalities": [2]}))
    got = tables.read_table(data)
    assert got.frame["fatalities"].tolist() == ["2"]


def test_a_five_megabyte_column_name_is_refused_and_cut_in_the_message():
    name = "=HYPERLINK(" + "x" * 5_000_000
    data = f"event_date,{name}\n2022-09-23,1\n".encode()
    with pytest.raises(budget.Over) as got:
        tables.read_table(data)
    message = str(got.value)
    assert "over the 1,000 limit" in message
    assert len(message) < 300
    assert "5,000,011 characters" in message


def test_too_many_columns_are_refused():
    header = ",".join(f"c{k}" for k in range(budget.MAX_COLUMNS + 1))
    with pytest.raises(budget.Over, match="501 columns, over the 500 limit"):
        tables.read_table(f"{header}\n".encode() + b"1" * 10 + b"\n")


def test_a_text_file_with_too_many_records_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(budget, "MAX_ROWS", 10)
    path = tmp_path / "many.csv"
    path.write_text("event_date,x\n" + "2022-09-23,1\n" * 11)
    with pytest.raises(budget.Over, match="11 records, over the 10 limit"):
        tables.read_table_file(path)  # the streamed UTF-8 path
    with pytest.raises(budget.Over, match="11 records"):
        tables.read_table(("event_date,x\n" + "2022-09-23,é\n" * 11).encode("cp1252"))


def test_a_record_with_an_over_long_cell_is_listed_as_rejected_and_the_rest_kept(regions):
    long_note = "x" * (budget.MAX_CELL_CHARS + 1)
    with open("data/events.csv", encoding="utf-8") as f:
        header, first, second = (next(f) for _ in range(3))
    at = second.rindex(",,")  # the notes column is last and empty
    text = header + first + second[:at] + f",,{long_note}\n"
    raw = tables.read_table(text.encode())
    assert raw.frame[RECORD].tolist() == [1]
    assert len(raw.frame.columns) == len(header.split(",")) + 1
    assert raw.malformed.to_dict("records") == [{RECORD: 2, "reason": tables.LONG_CELL}]
    result = load_events(text.encode(), regions)
    assert len(result.events) == 1
    assert tables.LONG_CELL in result.rejected["reason"].tolist()


def test_cut_keeps_short_text_and_names_the_length_of_long_text():
    assert budget.cut("Kherson") == "Kherson"
    assert budget.cut("y" * 100, 10) == "yyyyyyyyyy… (100 characters)"
