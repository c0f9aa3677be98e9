"""Numbers, encodings and delimiters as real exports write them (dates: test_dateforms.py)."""

import pandas as pd
import pytest

from dashboard.ingest.charsets import decode
from dashboard.ingest.delimited import sniff_delimiter
from dashboard.ingest.parsing import parse_numbers
from dashboard.ingest.tables import UnreadableFile


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
