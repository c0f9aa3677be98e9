"""Search that finds (dashboard/query/search.py, issue 18): one key for the spellings of one
place, distinct places kept apart (also over every name in the bundled data), and the
search index agreeing with a plain scan of the folded text."""

from __future__ import annotations

import json
import random
import re
import unicodedata

import numpy as np
import pandas as pd
import pytest

from dashboard.config import (
    ACTOR1,
    ACTOR2,
    ADMIN2,
    CONTROL_CSV,
    DESCRIPTION,
    EVENT_TYPE,
    EVENTS_CSV,
    OBLAST,
    PLACED_OBLAST,
    SETTLEMENT,
    SOURCE_NAME,
    SUB_EVENT_TYPE,
    TITLE,
    TOWNS_GEOJSON,
    UCDP_CSV,
)
from dashboard.ingest.events import load_events
from dashboard.query import search
from dashboard.query.filters import oblast_aliases
from dashboard.query.search import MAX_TERMS, SearchText, fold, fold_many, terms

pytestmark = pytest.mark.usefixtures("no_heap_trimming")

COLUMNS = [TITLE, DESCRIPTION, SETTLEMENT, OBLAST, ACTOR1, ACTOR2, SOURCE_NAME]
COLUMNS += [EVENT_TYPE, SUB_EVENT_TYPE, ADMIN2]

SAME = [
    ["zaporizhia", "Zaporizhzhia", "Запоріжжя", "ZAPORIZHZHIA", "Zaporizhzhya", "Zaporižžja"],
    ["Kupiansk", "Kupyansk", "Куп'янськ", "Куп’янськ", "Kup'iansk", "Купʼянськ"],
    ["Sievierodonetsk", "Severodonetsk", "Сєвєродонецьк", "Северодонецк"],
    ["Kharkiv", "kharkiv", "Харків", "ХАРКІВ"],
    ["Mariupol", "Маріуполь", "Mariupol'"],
    ["Mykolaiv", "Миколаїв", "Mykolayiv"],
    ["Lysychansk", "Лисичанськ", "Lisichansk"],
    ["Bakhmut", "Бахмут"],
    ["Izium", "Izyum", "Ізюм"],
    ["Kyiv", "Київ"],
    ["Huliaipole", "Гуляйполе", "Гуляи\u0306поле"],  # й as written, and decomposed
    ["Shcherbaky", "Scherbaky", "Щербаки"],
    ["Enerhodar", "Енергодар", "Énerhodar"],
]
DIFFERENT = [
    ("Kharkiv", "Kharkov"),  # another vowel: left to the alias table
    ("Kherson", "Kharkiv"),
    ("Donetsk", "Luhansk"),
    ("Lyman", "Lysychansk"),
    ("Balakliia", "Bakhmut"),
    ("Popasna", "Polohy"),
    ("Izium", "Irpin"),
    ("Sumy", "Shumy"),  # a city and a village in Donetsk oblast, both in the UCDP data
    ("2022", "202"),  # digits are never collapsed
]


@pytest.mark.parametrize("spellings", SAME, ids=lambda s: s[0])
def test_the_spellings_of_one_place_fold_to_one_key(spellings):
    keys = {fold(s) for s in spellings}
    assert len(keys) == 1 and "" not in keys, [fold(s) for s in spellings]


def test_cyrillic_is_transliterated_before_marks_are_stripped():
    written, decomposed = "й ї ё и і е", unicodedata.normalize("NFD", "й ї ё и і е")
    assert search._latin(written) == search._latin(decomposed) == "i i e y i e"


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_distinct_places_keep_distinct_keys(one, other):
    assert fold(one) != fold(other)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", ""),
        ("  Kup'iansk -- (Kharkiv)  ", "kupiansk kharkiv"),
        ('.*[(\\"', ""),
        ("Łódź ﬁ Ｋｙｉｖ", "lodz fi kiv"),  # no decomposition, ligature, full width
        ("tab\tnew\nline\u00a0nbsp", "tab niew linie nbsp"),
        ("Ελλάδα 東京", "ελλαδα 東京"),  # other scripts kept (marks dropped), not erased
    ],
)
def test_fold_keeps_words_and_drops_the_rest(text, key):
    assert fold(text) == key


def reference_fold(text: str) -> str:
    """The steps of the module docstring, one string at a time with str and re."""
    text = unicodedata.normalize("NFC", text).casefold().translate(search._TRANSLATE)
    text = search._MARKS.sub("", unicodedata.normalize("NFKD", text))
    text = re.sub(r"[^\w\x00-\x7f]+", " ", text).replace("'", "").replace("`", "")
    text = "".join(c if not c.isascii() or c.isalnum() else " " for c in text).lower()
    text = text.replace("y", "i").replace("j", "i").replace("sch", "shch")
    text = re.sub(r"([kzsc]h)\1+", r"\1", text).replace("e", "ie")
    text = re.sub(r"([a-z])\1+", r"\1", text)
    return re.sub(" +", " ", text).strip(" ")


@pytest.fixture(scope="module")
def real_names() -> list[str]:
    """Every place name of the bundled data: settlements, the towns and the control
    settlements in English and Ukrainian, and the capitalised words of UCDP's place
    descriptions and admin units."""
    events = pd.read_csv(EVENTS_CSV, dtype=str, keep_default_na=False)
    ucdp = pd.read_csv(UCDP_CSV, dtype=str, keep_default_na=False)
    control = pd.read_csv(CONTROL_CSV, dtype=str, keep_default_na=False)
    towns = [f["properties"] for f in json.loads(TOWNS_GEOJSON.read_text())["features"]]
    names = set(events["settlement"]) | set(control["settlement"]) | set(control["settlement_uk"])
    names |= {t["name_en"] for t in towns} | {t["name_uk"] for t in towns}
    capitalised = re.compile(r"[A-ZА-ЯІЇЄҐ][\w'’-]{2,}")
    for column in ("where_description", "adm_1", "adm_2"):
        for value in set(ucdp[column]):
            names |= set(capitalised.findall(value))
    return sorted(n.strip() for n in names if n.strip())


def test_the_vectorised_fold_is_the_reference_over_real_and_hostile_text(real_names):
    rng = random.Random(18)
    alphabet = "aeyjkzshcAEYJ '’`-_.*[(\\\n\t\u00a0\u0301\u0306йїєґыэъёьЖЩщ東é0"
    hostile = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(30))) for _ in range(500)]
    texts = [*real_names, *hostile, "x" * 10_000]
    assert fold_many(texts).to_pylist() == [reference_fold(t) for t in texts]
    assert fold_many(texts).to_pylist() == fold_many(texts).to_pylist()  # deterministic
    assert [fold(t) for t in texts[:50]] == fold_many(texts[:50]).to_pylist()


def test_fold_many_takes_none_nan_and_more_values_than_one_chunk(monkeypatch):
    monkeypatch.setattr(search, "CHUNK", 3)
    values = pd.Series(["Київ", None, "Kyiv", np.nan, "", "Kupyansk", "Kup'iansk"], dtype=object)
    assert fold_many(values).to_pylist() == ["kiv", "", "kiv", "", "", "kupiansk", "kupiansk"]
    assert fold_many([]).to_pylist() == []


def test_every_english_and_ukrainian_name_pair_of_the_data_folds_to_one_key():
    control = pd.read_csv(CONTROL_CSV, dtype=str)
    towns = [f["properties"] for f in json.loads(TOWNS_GEOJSON.read_text())["features"]]
    pairs = set(zip(control["settlement"], control["settlement_uk"], strict=True))
    pairs |= {(t["name_en"], t["name_uk"]) for t in towns}
    english, ukrainian = zip(*sorted(pairs), strict=True)
    assert len(pairs) >= 60
    assert fold_many(english).to_pylist() == fold_many(ukrainian).to_pylist()


def test_distinct_towns_of_the_data_keep_distinct_keys():
    towns = [f["properties"]["name_en"] for f in json.loads(TOWNS_GEOJSON.read_text())["features"]]
    control = set(pd.read_csv(CONTROL_CSV, dtype=str)["settlement"])
    for names in (sorted(set(towns)), sorted(control)):
        assert len(set(fold_many(names).to_pylist())) == len(names)


def test_real_names_that_share_a_key_are_spellings_of_one_name(real_names):
    """When written (issue 18), the 1,418 names gave 1,240 keys, and each of the 150 keys
    shared by several spellings was read: all are spellings of one name (Lyman, Liman and
    Лиман; Berdiansk and Berdyansk; Donetsky and Donetskyy). The trap found then stays
    apart, and the names keep nearly as many keys as they are."""
    keys = dict(zip(real_names, fold_many(real_names).to_pylist(), strict=True))
    assert keys["Shumy"] != keys["Sumy"]
    assert keys["Lyman"] == keys["Liman"] == keys["Лиман"]
    assert keys["Severodonetsk"] == keys["Sievierodonetsk"] == keys["Сєвєродонецьк"]
    assert len(set(keys.values())) > 0.85 * len(keys)


def test_a_word_typed_so_far_folds_to_a_prefix_of_the_whole_word(real_names):
    """Search as it was: a literal prefix still finds its word. The only exceptions are a
    prefix stopping inside sch (expanded to shch) or inside a repeated zh (zhzh -> zh)."""
    events = pd.read_csv(EVENTS_CSV, dtype=str, keep_default_na=False)
    text = " ".join([*events["title"], *events["description"], *real_names])
    words = sorted(set(re.findall(r"[^\W_]+(?:['’][^\W_]+)?", text)))
    prefixes = [(w, w[:k]) for w in words for k in range(2, len(w))]
    whole = dict(zip(words, fold_many(words).to_pylist(), strict=True))
    folded = fold_many([p for _, p in prefixes]).to_pylist()
    broken = [
        (w, p) for (w, p), key in zip(prefixes, folded, strict=True) if not whole[w].startswith(key)
    ]
    assert len(prefixes) > 10_000
    for word, prefix in broken:
        inside = re.search(r"sc$|([kzsc])h\1$", prefix.lower())
        assert inside and word[len(prefix)].lower() == "h", (word, prefix)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("", []),
        ("   ", []),
        (".*[( \\ ) ? +", []),
        ("e я ї x", []),  # one letter each, as typed
        ("a-b Kup-iansk", ["kup", "iansk"]),  # one letter each once folded
        ("Zaporizhia zaporizhzhia ЗАПОРІЖЖЯ", ["zaporizhia"]),  # each once
        ("Kharkiv shelling", ["kharkiv", "shieling"]),
        (" ".join(f"w{i}" for i in range(30)), [f"w{i}" for i in range(MAX_TERMS)]),
        ("kherson " * 40 + "kharkiv", ["khierson"]),  # cut at 200 characters
    ],
)
def test_terms(query, words):
    assert terms(query) == words


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


ALIASES = {"UA-23": ["zaporozhye", "запорожье", "Zaporizhzhia"], "UA-63": ["Kharkov"]}


@pytest.fixture(scope="module")
def small() -> SearchText:
    events = frame(
        title=["Shelling of Kupiansk", "Strike on Zaporizhia", "Protests in Kyiv", "", None],
        description=["Артилерія, Куп’янськ", np.nan, "Protesters gathered", "Kharkiv", "x"],
        settlement=["Kupiansk", "", "Kyiv", "", ""],
        fatalities=[1.0, np.nan, 0.0, 2.0, np.nan],  # not searched
        oblast_code=["UA-63", "UA-23", "UA-30", "", "UA-23"],
    )
    return SearchText.build(events, [TITLE, DESCRIPTION, SETTLEMENT, "absent"], ALIASES)


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("", [0, 1, 2, 3, 4]),
        ("kupyansk", [0]),
        ("Куп'янськ shelling", [0]),  # AND: both words in row 0
        ("kupiansk protest", []),
        ("protest", [2]),  # a stem finds "Protests" and "Protesters" (no ts -> c)
        ("zaporozhye", [1, 4]),  # only through the oblast's spellings (row 4: "x" text)
        ("Запоріжжя strike", [1]),  # text and alias together
        ("kharkov", [0]),  # alias of UA-63 (row 3 says Kharkiv, placed nowhere)
        ("Kharkiv", [3]),
        ("artilieri", [0]),  # a word of the folded text, typed as folded
        ("арт", [0]),  # a beginning
        (".*[(", [0, 1, 2, 3, 4]),  # nothing to search: everything
        ("(kupiansk)", [0]),  # punctuation around a word is not searched
        ("kupiansk " + "k" * 5000, [0]),  # the long word is cut off at 200 characters
        ("abcdefghij" * 500, []),  # a 200-letter word, found nowhere
        ("q" * 300 + "z", []),  # one letter once folded (and cut): "q", found nowhere
        ("xxxx", [4]),  # a word that folds to one letter is searched, not dropped
    ],
)
def test_mask_on_a_small_frame(small, query, rows):
    got = small.mask(query)
    assert got.dtype == bool and len(got) == 5 == len(small)
    assert list(np.flatnonzero(got)) == rows


def test_values_of_other_types_and_a_frame_without_oblast_codes():
    events = frame(title=[1, None, "Izium"], settlement=pd.Series([np.nan] * 3, dtype=object))
    found = SearchText.build(events, [TITLE, SETTLEMENT], ALIASES)
    assert list(found.mask("izyum")) == [False, False, True]
    assert list(found.mask("zaporozhye")) == [False, False, False]
    empty = SearchText.build(events.iloc[:0], [TITLE], ALIASES)
    assert len(empty.mask("izium")) == 0 and len(empty.mask("")) == 0


def test_many_hits_in_the_vocabulary_take_the_same_answer(small, monkeypatch):
    queries = ["ie", "kupiansk", "Куп'янськ shelling", "zaporozhye", "protest"]
    before = [small.mask(q) for q in queries]
    monkeypatch.setattr(search, "MANY_HITS", 0)
    for query, mask in zip(queries, before, strict=True):
        assert (small.mask(query) == mask).all()


# --- the bundled data ---------------------------------------------------------------


def crosswalk_aliases() -> dict[str, list[str]]:
    """ISO code -> spellings, as the page passes them (``query.filters.oblast_aliases``)."""
    return oblast_aliases()


@pytest.fixture(scope="module")
def bundled(regions) -> pd.DataFrame:
    loaded = [load_events(path, regions).events for path in (EVENTS_CSV, UCDP_CSV)]
    return pd.concat(loaded, ignore_index=True)


@pytest.fixture(scope="module")
def bundled_search(bundled) -> SearchText:
    return SearchText.build(bundled, COLUMNS, crosswalk_aliases())


@pytest.mark.parametrize(
    "spellings",
    [
        ["zaporizhia", "Запоріжжя", "Zaporizhzhia"],
        ["Kupiansk", "Куп'янськ"],
        ["Sievierodonetsk", "Северодонецк"],
    ],
)
def test_spellings_find_the_same_events_of_the_bundled_data(bundled_search, spellings):
    masks = [bundled_search.mask(s) for s in spellings]
    assert masks[0].any()
    for mask in masks[1:]:
        assert (mask == masks[0]).all()


def test_an_oblast_spelling_finds_the_events_placed_there(bundled, bundled_search):
    in_23 = (bundled[PLACED_OBLAST] == "UA-23").to_numpy()
    found = bundled_search.mask("Zaporozhye")  # Russian romanisation, in the crosswalk
    assert in_23.any() and found[in_23].all()
    assert bundled_search.mask("zaporizhia")[in_23].all()


def test_the_index_agrees_with_a_scan_of_the_folded_text(bundled, bundled_search):
    """Each query word a substring of a row's folded text, column by column, or of the
    folded spellings of its oblast: the plain way, on every other row, against the index."""
    sample = bundled.iloc[::2]
    aliases = {code: fold(" ".join(names)) for code, names in crosswalk_aliases().items()}
    folded = [[aliases.get(code, "") for code in sample[PLACED_OBLAST]]]
    for column in (c for c in COLUMNS if c in sample):
        codes, distinct = pd.factorize(sample[column].fillna(""))
        folded.append(np.array(fold_many(distinct).to_pylist(), dtype=object)[codes].tolist())
    rows = ["\n".join(values) for values in zip(*folded, strict=True)]
    rng = random.Random(18)
    words = sorted({w for row in rng.sample(rows, 100) for w in row.split()})
    queries = ["ie", "an", "2022", "Куп'янськ", "донецьк обл", "ukraine russia kharkiv"]
    for word in rng.sample(words, 40):
        start = rng.randrange(len(word))
        queries.append(word[start : rng.randrange(start + 1, len(word) + 1)])
    for query in queries:
        expected = np.ones(len(rows), dtype=bool)
        for word in terms(query):
            expected &= [word in row for row in rows]
        assert (bundled_search.mask(query)[::2] == expected).all(), query
