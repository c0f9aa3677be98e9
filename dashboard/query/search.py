"""Search that finds one place however it is spelled (issue 18). Plain Python, no Streamlit.

``fold`` makes a text's comparison key; a query word matches an event when its key is a
substring of the key of the event's text, or of the known spellings of the event's oblast.
"zaporizhia" (ACLED), "Запоріжжя" and "Zaporizhzhia" (the national romanisation) are one key.

The key, step by step (the order matters):

1. NFC, then casefold. NFC first so that a decomposed й (и + breve) is one letter again.
2. Cyrillic -> Latin by one table, BEFORE any mark is stripped: NFKD splits й into
   и + breve, ї into і + diaeresis, ё into е + diaeresis, and stripping the mark would
   transliterate them as other letters (й as y, not i). In the key й and и meet again at
   step 5; the order keeps the table right for any later rule. The table is the Ukrainian
   national system of 2010 in its
   non-initial forms (є ie, ї i, й i, ю iu, я ia, г h, ґ g, х kh, ц ts, щ shch); the initial
   forms (ye, yi, y, yu, ya) give the same key through step 5, so no word-start rule is
   needed. Russian-only letters are added (ы y, э e, ё e, ъ dropped); ь is dropped. Russian
   Cyrillic therefore meets the Ukrainian romanisation (Луганск = Luhansk), not the Russian
   one (Lugansk): see "left out" below.
3. NFKD, combining marks dropped (é e, ö o; ligatures and full-width forms decomposed).
   The háček letters are first written as the digraphs every English spelling uses (ž ż zh,
   š sh, č ch, ŝ shch: Zaporižžja = Zaporizhzhia), and the few letters with no
   decomposition mapped (ł l, ø o, đ d, æ ae, œ oe, ı i). Anything else that is not a letter
   or digit becomes a space.
4. Apostrophes (' ’ ʼ ‘ ` ʹ) dropped, so Kup'iansk = Kupiansk = Куп’янськ.
5. y and j -> i. Ukrainian и (y) and і (i) fall together with Russian и (i): Lysychansk =
   Lisichansk; ya/ja/ia, yu/ju/iu and yi/ii become one (Kupyansk = Kupiansk, Izyum = Izium).
6. sch -> shch (щ: Scherbaky = Shcherbaky; expanded, not shrunk, so that "Fash" still
   finds Fashchivka), and a digraph repeated becomes one: zhzh -> zh,
   so ACLED's Zaporizhia = Zaporizhzhia (жж); the same for shsh, chch, khkh. The digraphs
   themselves stay: dropping their h (kh -> h, sh -> s as first planned) made Shumy (a
   village in Donetsk oblast) the key of Sumy (a city and oblast), both in the UCDP data.
7. e -> ie. Ukrainian є (ie, ye) and Russian е (e) are written both ways for one place
   (Sievierodonetsk = Severodonetsk = Сєвєродонецьк = Северодонецк). Expanding e, instead
   of shrinking ie to e, keeps a word typed so far a prefix of the whole word's key
   ("Sievi" still finds Sievierodonetsk).
8. Runs of one letter become one letter: nn, ll, ss, the ii of steps 5 and 7 (Mykolayiv =
   Mykolaiv, Kyiv = Київ). Digits are never collapsed: 2022 is not 202.
9. Runs of spaces become one space; the key is trimmed.

Rules left out, and why:

- kh -> h, zh -> z, sh -> s, ch -> c: see step 6 (Shumy = Sumy); missing-h spellings
  (Dzerzinsk for Dzerzhinsk) are rare and left unmatched.
- ts/tz -> c (ISO 9 and Polish write ц as c): English plurals end in -ts, and "protest"
  would no longer find "Protests" (ACLED's event type), "event" no longer "events".
  Every romanisation analysts meet here (ACLED, UCDP, national, BGN/PCGN) writes ts.
- g -> h (Russian г is g, Ukrainian г is h): "gas" would find "has", "gun" "hun". The
  oblasts' Russian spellings (Lugansk, Zaporozhye) are found through the alias table.
- Vowel differences (Kharkov/Kharkiv, Kiev/Kyiv, Artemovsk/Bakhmut) are different words,
  left to the alias table; folding them would make unrelated names collide.

``SearchText`` is built once per events frame. Per searched column it keeps the distinct
values' codes (``pd.factorize``: each row's value), the column's vocabulary (the folded
words of its distinct values, each once) and, per word, the distinct values that hold it.
A query word contains no space, so it is found in a value exactly when it is a substring of
one of the value's folded words: ``mask`` tests the word against the vocabulary only and
maps the answer back through the two indexes. Scanning every folded value instead costs
~0.5 s a word at 1M different ACLED-like notes (150 MB of keys; bench/search.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.config import PLACED_OBLAST
from dashboard.ingest import events as ingest

MAX_QUERY_CHARS = 200  # a longer query is cut here
MAX_TERMS = 12  # words of a query searched (AND); the rest are ignored
CHUNK = 65_536  # values folded per vectorised pass (bounds the temporaries' memory)
MANY_HITS = 20_000  # a query word in more vocabulary words than this: matched word by word
TRIM_ROWS = 100_000  # a build over this many rows hands its temporaries back to the system

_APOSTROPHES = "'’ʼ‘`ʹ"
_CYRILLIC = {
    **dict(zip("абвгґдезиіклмнопрстуфыэё", "abvhgdezyiklmnoprstufyee", strict=True)),
    **{"є": "ie", "ї": "i", "й": "i", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch"},
    **{"ш": "sh", "щ": "shch", "ю": "iu", "я": "ia", "ь": "", "ъ": "", "ў": "u", "ј": "j"},
}
_OTHER_LATIN = {
    **{"ž": "zh", "ż": "zh", "š": "sh", "č": "ch", "ŝ": "shch"},
    **{"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i"},
}
_TRANSLATE = str.maketrans({**_CYRILLIC, **_OTHER_LATIN, **dict.fromkeys(_APOSTROPHES, "")})
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NOT_WORD = re.compile(r"[^\w\x00-\x7f]+")  # non-ASCII, not a letter or digit (ASCII: below)

# Steps 4-9 work on the UTF-8 bytes of many keys at once (numpy); bytes >= 0x80 (letters of
# other scripts, left after steps 1-3) are never changed, moved apart or dropped.
_SEP, _DROP, _SPACE = 0, 1, ord(" ")
_H, _E, _I, _S, _C = (ord(c) for c in "heisc")


def _byte_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mapping = np.arange(256, dtype=np.uint8)
    for b in range(128):
        c = chr(b)
        mapping[b] = ord(c.lower()) if c.isalnum() else _SPACE
    for c in "yjYJ":
        mapping[ord(c)] = _I
    for c in "'`":
        mapping[ord(c)] = _DROP
    before_h = np.zeros(256, dtype=bool)
    before_h[[ord(c) for c in "kzsc"]] = True
    letter = np.zeros(256, dtype=bool)
    letter[ord("a") : ord("z") + 1] = True
    return mapping, before_h, letter


_MAP, _BEFORE_H, _LETTER = _byte_tables()


def _latin(text: str) -> str:
    """Steps 1-3 (and 4 for the non-ASCII apostrophes) for a text that is not ASCII."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_TRANSLATE)
    text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return _NOT_WORD.sub(" ", text)


def _previous(b: np.ndarray) -> np.ndarray:
    prev = np.empty_like(b)
    prev[0] = _SEP
    prev[1:] = b[:-1]
    return prev


def _expand(b: np.ndarray, where: np.ndarray, first: int | None, second: int | None):
    """Each byte at ``where`` doubled, the first copy set to ``first`` or the second to
    ``second`` (e -> ie, s -> sh)."""
    counts = 1 + where.astype(np.int64)
    start = np.cumsum(counts) - counts
    out = np.repeat(b, counts)
    if first is not None:
        out[start[where]] = first
    if second is not None:
        out[start[where] + 1] = second
    return out


def _sch(b: np.ndarray) -> np.ndarray:
    """sch -> shch (shch itself unchanged)."""
    where = np.zeros(len(b), dtype=bool)
    where[:-2] = (b[:-2] == _S) & (b[1:-1] == _C) & (b[2:] == _H)
    return _expand(b, where, None, _H)


def _repeated_digraph(b: np.ndarray) -> np.ndarray:
    """Both bytes of a digraph (kh zh sh ch) that repeats the one just before it."""
    starts = np.zeros(len(b), dtype=bool)
    starts[:-1] = _BEFORE_H[b[:-1]] & (b[1:] == _H)
    again = np.zeros(len(b), dtype=bool)
    again[2:] = starts[2:] & starts[:-2] & (b[2:] == b[:-2])
    drop = again.copy()
    drop[1:] |= again[:-1]  # and its h
    return drop


def _fold_bytes(data: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Steps 4-9 on UTF-8 ``data`` holding len(offsets) - 1 texts (int64 ``offsets``)."""
    n = len(offsets) - 1
    b = np.zeros(len(data) + n, dtype=np.uint8)  # each text followed by a separator (0)
    is_text = np.ones(len(b), dtype=bool)
    is_text[offsets[1:] + np.arange(n)] = False
    b[is_text] = _MAP[data]  # lower case, y/j -> i, apostrophes marked, others -> space
    b = b[b != _DROP]
    b = _sch(b)  # sch -> shch
    b = b[~_repeated_digraph(b)]  # zhzh -> zh, khkh -> kh, ...
    b = _expand(b, b == _E, _I, None)  # e -> ie
    prev = _previous(b)
    b = b[~((b == prev) & _LETTER[b])]  # runs of one letter -> one
    prev = _previous(b)
    b = b[~((b == _SPACE) & ((prev == _SPACE) | (prev == _SEP)))]  # runs and leading
    following = np.empty_like(b)
    following[:-1] = b[1:]
    following[-1:] = _SEP
    b = b[~((b == _SPACE) & (following == _SEP))]  # trailing
    ends = np.flatnonzero(b == _SEP) - np.arange(n)
    return b[b != _SEP], np.concatenate(([0], ends)).astype(np.int64)


def _as_arrow(values) -> pa.LargeStringArray:
    if not isinstance(values, pa.Array | pa.ChunkedArray):
        values = pa.array(values, type=pa.large_string(), from_pandas=True)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return pc.fill_null(values.cast(pa.large_string()), "")


def _bytes_of(arr: pa.LargeStringArray) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of ``arr`` and its offsets into them (from 0), without copies."""
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, "u1")
    return data[offsets[0] : offsets[-1]], offsets - offsets[0]


def _array_of(data: np.ndarray, offsets: np.ndarray) -> pa.LargeStringArray:
    return pa.LargeStringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets.astype(np.int64)), pa.py_buffer(data.tobytes())
    )


def _fold_chunk(arr: pa.LargeStringArray) -> pa.LargeStringArray:
    other = np.flatnonzero(~pc.string_is_ascii(arr).to_numpy(zero_copy_only=False))
    if len(other):
        latin = pa.array([_latin(t) for t in arr.take(other).to_pylist()], pa.large_string())
        where = np.zeros(len(arr), dtype=bool)
        where[other] = True
        arr = pc.replace_with_mask(arr, pa.array(where), latin)
    return _array_of(*_fold_bytes(*_bytes_of(arr)))


def fold_many(values) -> pa.LargeStringArray:
    """``fold`` of every value (a sequence, a pandas or pyarrow array of str; None/NaN -> "")."""
    arr = _as_arrow(values)
    if len(arr) == 0:
        return arr
    if len(arr) <= CHUNK:
        return _fold_chunk(arr)
    return pa.concat_arrays([_fold_chunk(arr.slice(i, CHUNK)) for i in range(0, len(arr), CHUNK)])


def fold(text: str) -> str:
    """The comparison key of ``text``: case-, accent- and transliteration-insensitive
    (the steps in the module docstring)."""
    return fold_many([text])[0].as_py()


def terms(query: str) -> list[str]:
    """The folded words of ``query`` (its first MAX_QUERY_CHARS characters), each once, at
    most MAX_TERMS. A word of one letter or digit as typed is ignored ("e", "я"), and so is a
    one-letter piece of a word folding splits ("a-b" gives neither "a" nor "b"); a longer word
    that folds to one letter is kept ("xxxx" searches "x", it does not match everything)."""
    tokens = [t for t in query[:MAX_QUERY_CHARS].split() if sum(c.isalnum() for c in t) > 1]
    if not tokens:
        return []
    words = []
    for key in fold_many(tokens).to_pylist():
        pieces = key.split()
        words += pieces if len(pieces) == 1 else [w for w in pieces if len(w) > 1]
    return list(dict.fromkeys(words))[:MAX_TERMS]


def _small_codes(codes: np.ndarray, count: int) -> np.ndarray:
    for dtype in (np.int8, np.int16, np.int32):
        if count < np.iinfo(dtype).max:
            return codes.astype(dtype)
    return codes


@dataclass(frozen=True)
class _Column:
    """One searched column: its vocabulary and which distinct values hold each word."""

    name: str
    codes: np.ndarray  # per row: its distinct value, -1 for NaN
    distinct: int  # number of distinct values
    vocabulary: pa.LargeStringArray  # folded words, each once and followed by a space
    starts: np.ndarray  # holders of word k: holders[starts[k] : starts[k + 1]]
    holders: np.ndarray  # distinct values, grouped by word

    @classmethod
    def build(cls, name: str, codes: np.ndarray, texts) -> _Column:
        """``texts``: the text of each distinct value (``codes`` index them)."""
        texts = _as_arrow(texts)
        # Per chunk of values (it bounds the memory split words take): each raw word folded
        # once, and each occurrence as (chunk's word number, value).
        chunks = [_chunk_words(texts.slice(i, CHUNK)) for i in range(0, len(texts), CHUNK)]
        dictionaries = [d for d, _, _ in chunks] or [pa.array([], pa.large_string())]
        folded = pa.concat_arrays(dictionaries).dictionary_encode()  # each word once
        number = folded.indices.to_numpy()
        # (word, value) as one uint64 each, sorted in place: by word, then value
        pairs = np.empty(sum(len(w) for _, w, _ in chunks), dtype=np.uint64)
        at = base = 0
        for i, (dictionary, words, per_value) in enumerate(chunks):
            pairs[at : at + len(words)] = number[base + words]
            pairs[at : at + len(words)] <<= np.uint64(32)
            values = np.arange(i * CHUNK, i * CHUNK + len(per_value), dtype=np.uint32)
            pairs[at : at + len(words)] |= np.repeat(values, per_value)
            at, base = at + len(words), base + len(dictionary)
        del chunks
        pairs.sort()
        vocabulary = _spaced(folded.dictionary)
        first = np.arange(len(vocabulary) + 1, dtype=np.uint64) << np.uint64(32)
        starts = np.searchsorted(pairs, first)
        pairs &= np.uint64(0xFFFFFFFF)
        holders = pairs.astype(np.int32)
        distinct = len(texts)
        return cls(name, _small_codes(codes, distinct), distinct, vocabulary, starts, holders)

    @property
    def nbytes(self) -> int:
        arrays = (self.codes, self.starts, self.holders)
        return self.vocabulary.nbytes + sum(a.nbytes for a in arrays)

    def matching(self, word: str) -> np.ndarray:
        """Positions in the vocabulary of the words that contain ``word``."""
        _, offsets, data = self.vocabulary.buffers()
        if data is None:
            return np.zeros(0, dtype=np.int64)
        at = []  # a few hits: found in the vocabulary's bytes (C speed, no per-word cost)
        for hit in re.finditer(re.escape(word.encode()), memoryview(data)):
            at.append(hit.start())
            if len(at) > MANY_HITS:  # many: one pass per word instead
                found = pc.match_substring(self.vocabulary, word)
                return np.flatnonzero(found.to_numpy(zero_copy_only=False))
        ends = np.frombuffer(offsets, dtype=np.int64)[1 : len(self.vocabulary) + 1]
        return np.unique(np.searchsorted(ends, at, side="right"))

    def found(self, word: str) -> np.ndarray | None:
        """Per row: ``word`` is in the row's value; None when it is in no value."""
        matched = self.matching(word)
        if not len(matched):
            return None
        first, sizes = self.starts[matched], self.starts[matched + 1] - self.starts[matched]
        shift = np.repeat(first - (np.cumsum(sizes) - sizes), sizes)
        held = np.zeros(self.distinct + 1, dtype=bool)  # the last stands for NaN (code -1)
        held[self.holders[shift + np.arange(len(shift))]] = True
        return held[self.codes]


def _chunk_words(texts: pa.LargeStringArray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """The folded distinct words of ``texts`` (one entry per raw word: repeats allowed), the
    number in it of each word occurrence, and the number of words in each text."""
    # Split at ASCII white space only (twice as fast): other spaces become spaces inside a
    # folded word, which a query word (it has none) still finds either side of.
    words = pc.ascii_split_whitespace(texts)
    per_value = pc.list_value_length(words).to_numpy(zero_copy_only=False)
    raw = words.flatten().dictionary_encode()
    return fold_many(raw.dictionary), raw.indices.to_numpy(), per_value


def _spaced(words: pa.LargeStringArray) -> pa.LargeStringArray:
    """Each word followed by a space, so that a search of the bytes never runs across two."""
    raw, offsets = _bytes_of(words.cast(pa.large_string()))
    n = len(offsets) - 1
    data = np.full(len(raw) + n, _SPACE, dtype=np.uint8)
    is_word = np.ones(len(data), dtype=bool)
    is_word[offsets[1:] + np.arange(n)] = False
    data[is_word] = raw
    return _array_of(data, offsets + np.arange(n + 1))


class SearchText:
    """The folded text of one events frame, built once (the caller caches it per dataset)."""

    def __init__(self, rows: int, columns: Sequence[_Column]) -> None:
        self.rows = rows
        self.columns = tuple(columns)

    @classmethod
    def build(
        cls,
        events: pd.DataFrame,
        columns: Iterable[str],
        aliases: dict[str, list[str]] | None = None,
    ) -> SearchText:
        """Index the words of ``columns`` (those present; values "" or NaN allowed) and of
        ``aliases`` (ISO oblast code -> every known spelling of that oblast), searched for
        each event through its placed oblast code."""
        built = []
        for name in dict.fromkeys(columns):
            if name in events:
                codes, uniques = _factorize(events[name])
                built.append(_Column.build(name, codes, uniques))
        if aliases and PLACED_OBLAST in events:
            codes, uniques = _factorize(events[PLACED_OBLAST])
            spelled = [" ".join(aliases.get(code, ())) for code in uniques]
            built.append(_Column.build("aliases", codes, spelled))
        if len(events) >= TRIM_ROWS:  # Arrow's allocator and glibc keep what was freed
            ingest.release_memory()
        return cls(len(events), built)

    def __len__(self) -> int:
        return self.rows

    @property
    def nbytes(self) -> int:
        """Memory held by the indexes, bytes."""
        return sum(c.nbytes for c in self.columns)

    def mask(self, query: str) -> np.ndarray:
        """Per row, in frame order: every word of ``query`` is found in the row's folded
        text or its oblast's spellings (AND of words, each one anywhere). No words: all True."""
        result = np.ones(self.rows, dtype=bool)
        for word in terms(query):
            hit = np.zeros(self.rows, dtype=bool)
            for column in self.columns:
                found = column.found(word)
                if found is not None:
                    hit |= found
            result &= hit
            if not result.any():
                break
        return result


def _factorize(values: pd.Series) -> tuple[np.ndarray, pd.Index | np.ndarray]:
    if values.dtype == object or not pd.api.types.is_string_dtype(values.dtype):
        values = values.astype("str")
    return pd.factorize(values)
