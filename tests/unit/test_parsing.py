"""Dates, numbers, encodings and delimiters as real exports write them."""

import pandas as pd
import pytest

from dashboard.parsing import parse_dates, parse_numbers, parse_one_date
from dashboard.tables import UnreadableFile, decode, sniff_delimiter


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023-02-16", "2023-02-16"),
        ("2022-03-09 00:00:00.000", "2022-03-09"),
        ("2022-03-09T00:00:00Z", "2022-03-09"),
        ("16 May 2025", "2025-05-16"),
        ("16 September 2022", "2022-09-16"),
        ("07-Feb-25", "2025-02-07"),
        ("30-Sept-24", "2024-09-30"),
        ("1 Sept 2022", "2022-09-01"),
        ("16-05-2025", "2025-05-16"),
        ("03/04/2022", "2022-04-03"),  # day-first, never 4 March
        ("16.05.2025", "2025-05-16"),
        ("2022/9/5", "2022-09-05"),
        ("  16   May 2025 ", "2025-05-16"),
    ],
)
def test_accepted_date_forms(text, day):
    assert parse_one_date(text).strftime("%Y-%m-%d") == day


@pytest.mark.parametrize(
    "text",
    ["09-23-2022", "05/13/2022", "31-02-2022", "Feb 7 2025", "2022-13-01", "soon", "16/05/25"],
)
def test_month_first_and_impossible_dates_are_refused(text):
    assert parse_one_date(text) is None


def test_iso_only_mode_refuses_other_forms():
    parsed = parse_dates(pd.Series(["2022-09-23", "23/09/2022", ""]), iso_only=True)
    assert parsed.isna().tolist() == [False, True, True]


def test_numbers_with_decimal_point_or_comma():
    values = parse_numbers(pd.Series(["47.1", "47,1", "-3,25", "", "1,2,3", "x"]))
    assert values.iloc[:3].tolist() == [47.1, 47.1, -3.25]
    assert values.iloc[3:].isna().all()


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("a,b\nКиїв,1\n".encode(), "UTF-8"),
        (b"\xef\xbb\xbf" + "a,b\nКиїв,1\n".encode(), "UTF-8 with BOM"),
        ("a,b\nКиїв,1\n".encode("utf-16"), "UTF-16"),
        ("a,b\nКиїв,1\n".encode("utf-16-le"), "UTF-16 LE"),
        ("a,b\nКиїв,1\n".encode("utf-16-be"), "UTF-16 BE"),
        ("a,b\nКиев,1\n".encode("cp1251"), "Windows-1251"),
    ],
)
def test_encodings_are_recognised(data, encoding):
    text, used = decode(data)
    assert used == encoding
    assert "Ки" in text


def test_binary_is_refused():
    with pytest.raises(UnreadableFile, match="binary"):
        decode(bytes(range(256)) * 8)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1,5;2;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ('a,b\n"x; y; z",2\n', ","),
        ("only\n1\n", ","),
    ],
)
def test_delimiter_is_sniffed(text, delimiter):
    assert sniff_delimiter(text) == delimiter
