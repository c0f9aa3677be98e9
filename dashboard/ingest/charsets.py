"""Which encoding a text file is in, and its text.

UTF-8 (with or without BOM), UTF-16 (BOM or not), legacy code pages told apart by
charset-normalizer and ranked by how the decoded text reads (Windows-1251 Cyrillic,
Windows-1252 Western, KOI8, ...), or the encoding the user names. Text full of control
characters is really binary data, and is refused. No Streamlit.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from dashboard.ingest.rawtable import UnreadableFile

BINARY_PROBE_BYTES = 8192
BINARY_MESSAGE = "the file looks binary, not a CSV, XLSX or Parquet file"


# Code pages an events file may be in when it is not Unicode, most common first: when several
# decode the bytes to the same text (a Western file with only ’ “ ” – Ë ·), the first is named.
LEGACY_ENCODINGS = (
    "cp1252",
    "cp1251",
    "cp1250",
    "iso8859_15",
    "iso8859_1",
    "koi8_u",
    "koi8_r",
    "cp866",
    "iso8859_5",
    "mac_cyrillic",
    "cp1257",
    "iso8859_2",
)
ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "utf_8_sig": "UTF-8 with BOM",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16 LE",
    "utf_16_be": "UTF-16 BE",
    "cp1252": "Windows-1252",
    "cp1251": "Windows-1251",
    "cp1250": "Windows-1250",
    "cp1257": "Windows-1257",
    "iso8859_15": "ISO-8859-15",
    "iso8859_1": "ISO-8859-1",
    "iso8859_2": "ISO-8859-2",
    "iso8859_5": "ISO-8859-5",
    "koi8_u": "KOI8-U",
    "koi8_r": "KOI8-R",
    "cp866": "CP866 (DOS Cyrillic)",
    "mac_cyrillic": "Mac Cyrillic",
}
ENCODING_CHOICES = ("utf_8", "utf_16", "cp1251", "cp1252", "cp1250", "koi8_u", "koi8_r", "cp866")


def codec_name(name: str) -> str:
    """Python's codec name for an encoding name a user may write (``Windows-1252``, ``latin1``);
    UnreadableFile for an unknown one."""
    try:
        return codecs.lookup(str(name).strip()).name.replace("-", "_")
    except (LookupError, ValueError):
        choices = ", ".join(ENCODING_NAMES[c] for c in ENCODING_CHOICES)
        raise UnreadableFile(
            f"unknown encoding {str(name)[:40]!r} (for example {choices})"
        ) from None


def encoding_label(codec: str) -> str:
    """'Windows-1252' for cp1252, and so on."""
    return ENCODING_NAMES.get(codec, codec)


def _is_utf8(name: str) -> bool:
    return codec_name(name) in ("utf_8", "utf_8_sig")


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding used (its usual name): the one given; else UTF-8 (BOM dropped),
    UTF-16 (BOM or not), or the legacy code page charset-normalizer finds most plausible."""
    if not data.strip():
        raise UnreadableFile("the file is empty")
    if encoding:
        codec = codec_name(encoding)
        if codec == "utf_8" and data.startswith(b"\xef\xbb\xbf"):
            codec = "utf_8_sig"
        label = encoding_label(codec) + " (as you chose)"
        return _text_only(_decode(data, codec, encoding_label(codec))), label
    if data.startswith(b"\xef\xbb\xbf"):
        return _text_only(_decode(data, "utf-8-sig", "UTF-8 with BOM")), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _text_only(_decode(data, "utf-16", "UTF-16")), "UTF-16"
    probe = data[:BINARY_PROBE_BYTES]
    if b"\x00" in probe:
        # UTF-16 without a BOM: ASCII text leaves every other byte zero.
        even, odd = probe[0::2].count(0), probe[1::2].count(0)
        if odd > 0.3 * len(probe) / 2 and even == 0:
            return _text_only(_decode(data, "utf-16-le", "UTF-16")), "UTF-16 LE"
        if even > 0.3 * len(probe) / 2 and odd == 0:
            return _text_only(_decode(data, "utf-16-be", "UTF-16")), "UTF-16 BE"
        raise UnreadableFile(BINARY_MESSAGE)
    try:
        return _text_only(data.decode("utf-8")), "UTF-8"
    except UnicodeDecodeError:
        pass
    for codec in detect_legacy(data):
        try:
            return _text_only(data.decode(codec)), encoding_label(codec)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        "the file's encoding was not recognised (not UTF-8, UTF-16 or a Windows/KOI8 code page): "
        "choose its encoding"
    )


def detect_legacy(data: bytes) -> list[str]:
    """Legacy code pages that could have written ``data``, most plausible first.

    charset-normalizer proposes the candidates; on the short texts of a small file it often
    prefers a Central European page ("Ęčĺâ" for "Киев"), so they are ranked again by how
    the decoded text reads as Ukrainian, Russian or Western European text (``plausibility``),
    its order breaking ties. Code pages that decode the bytes identically keep the order of
    LEGACY_ENCODINGS (a Western file with only ’ “ ” – Ë · is named Windows-1252)."""
    matches = from_bytes(data[: 1 << 20], cp_isolation=list(LEGACY_ENCODINGS))
    ordered: list[str] = []
    for match in matches:
        same = {codec_name(c) for c in (match.encoding, *match.could_be_from_charset)}
        ordered += [c for c in LEGACY_ENCODINGS if c in same and c not in ordered]
    sample = data[:PLAUSIBILITY_BYTES]
    # Nothing proposed (charset-normalizer finds short KOI8 texts too chaotic): rank them all.
    ordered = ordered[:MAX_CANDIDATES] or list(LEGACY_ENCODINGS)
    scores = {c: plausibility(sample.decode(c, errors="replace")) for c in ordered}
    return sorted(ordered, key=lambda c: -scores[c])  # stable: ties keep the detector's order


PLAUSIBILITY_BYTES = 256 * 1024
MAX_CANDIDATES = 8
_NON_ASCII_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f\W\d_][^\W\d_]*")
_NON_ASCII_OTHER = re.compile(r"[^\x00-\x7f\w]")
_PUNCTUATION = "’‘“”„–—…·«»°€№"
_CYRILLIC = set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэъё")
_CYRILLIC |= {ch.upper() for ch in _CYRILLIC}
_LATIN_1 = {chr(c) for c in range(0xC0, 0x100)} - {"×", "÷"}
_CASE_FLIP = re.compile(r"[^\W\d_A-Z]\w*?[A-ZА-ЯҐЄІЇЁ]")


def plausibility(text: str) -> float:
    """How much a decoded text's non-ASCII characters read like real Ukrainian, Russian or
    Western European text: Ukrainian/Russian words of two letters or more and accented Latin
    words score, typographic punctuation scores a little; a word mixing Latin and Cyrillic
    letters ("NOЛL"), a capital after a small letter ("ыЩЇз"), and any other character
    (Central European or Serbian letters, box drawing, symbols) cost."""
    score = 0.0
    for word in _NON_ASCII_WORD.findall(text):
        cyrillic = sum(ch in _CYRILLIC for ch in word)
        latin = sum(ch.isascii() or ch in _LATIN_1 for ch in word)
        other = len(word) - cyrillic - latin
        if cyrillic and latin:
            score -= 3 * (len(word) - sum(ch.isascii() for ch in word))
        elif cyrillic:
            score += cyrillic if len(word) > 1 else 0
            score -= 2 * len(_CASE_FLIP.findall(word))
        else:
            score += latin - sum(ch.isascii() for ch in word)
        score -= other
    for ch in _NON_ASCII_OTHER.findall(text):
        score += 0.5 if ch in _PUNCTUATION else -1
    return score


def _text_only(text: str) -> str:
    """The text, unless control characters say it is really binary data."""
    head = text[:BINARY_PROBE_BYTES]
    control = sum(1 for ch in head if ch < " " and ch not in "\t\r\n")
    if control > max(2, len(head) // 20):
        raise UnreadableFile(BINARY_MESSAGE)
    return text


def _decode(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"the file is not valid {name} (byte {exc.start})") from None
