"""English and Ukrainian text for everything the page, map, legend and slides show. No Streamlit.

``tr(lang)`` gives a lookup: ``T = tr("uk"); T("date")``. The page's text (``TEXT``: key ->
English, Ukrainian) lives in i18n.json beside this module, read once at import; the names of
oblasts, categories and months are below. Every key has both languages (a unit test checks it),
so a missing translation fails the tests rather than showing a key. Text taken from data files
(titles, descriptions, sources) is not translated: it is shown as the file has it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dashboard.config import ACLED_CATEGORIES, UCDP_CATEGORIES

LANGS = ("en", "uk")
DEFAULT_LANG = "en"
LANG_NAMES = {"en": "English", "uk": "Українська"}

OBLAST_NAMES = {
    "en": {
        "UA-65": "Kherson",
        "UA-23": "Zaporizhzhia",
        "UA-14": "Donetsk",
        "UA-09": "Luhansk",
        "UA-63": "Kharkiv",
    },
    "uk": {
        "UA-65": "Херсонська",
        "UA-23": "Запорізька",
        "UA-14": "Донецька",
        "UA-09": "Луганська",
        "UA-63": "Харківська",
    },
}
# Full names, for tooltips and tables: "Kherson oblast" / "Херсонська область".
OBLAST_SUFFIX = {"en": " oblast", "uk": " область"}
# Map labels: short enough to sit inside the oblast.
LABEL_SUFFIX = {"en": "", "uk": " обл."}

CATEGORY_NAMES = {
    "en": {},  # English labels come from config.category_label
    "uk": {
        "occupation": "окупація",
        "liberation": "звільнення",
        "combat": "бойові дії",
        "referendum": "псевдореферендум",
        "annexation": "спроба анексії",
        "strike_on_civilians": "удар по цивільних",
        "nuclear_safety": "ядерна безпека",
        "detention": "затримання і полон",
        "humanitarian": "гуманітарні наслідки",
        "statement": "заява",
        "diplomacy": "дипломатія",
        "battles": "Бої",
        "explosions_remote_violence": "Вибухи/дистанційне насильство",
        "violence_against_civilians": "Насильство проти цивільних",
        "protests": "Протести",
        "riots": "Заворушення",
        "strategic_developments": "Стратегічні події",
        "riots_protests": "Заворушення/протести (ACLED до 2019)",
        "state_based": "Конфлікт за участі держави",
        "non_state": "Недержавний конфлікт",
        "one_sided": "Одностороннє насильство",
        "other": "інше або не вказано",
    },
}

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    # Genitive, as in a date: "25 вересня 2022".
    "uk": [
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    ],
}
MONTHS_SHORT = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "uk": [
        "січ",
        "лют",
        "бер",
        "квіт",
        "трав",
        "черв",
        "лип",
        "серп",
        "вер",
        "жовт",
        "лист",
        "груд",
    ],
}
# Streamlit's slider formats dates in the browser (English month names only), so Ukrainian
# uses the numeric form usual in Ukraine.
SLIDER_FORMAT = {"en": "D MMM YYYY", "uk": "DD.MM.YYYY"}
CHART_DATE_FORMAT = {"en": "%d %b %Y", "uk": "%d.%m.%Y"}
SIDES_GENITIVE = {"uk": {"Russia": "Росії", "Ukraine": "України"}}

# The page's words, key -> (English, Ukrainian): i18n.json beside this module, read once.
TEXT: dict[str, tuple[str, str]] = {
    key: tuple(texts)
    for key, texts in json.loads(
        Path(__file__).with_name("i18n.json").read_text(encoding="utf-8")
    ).items()
}


# LoadResult.outcomes() labels.
OUTCOMES = {
    "uk": {
        "accepted: in the five oblasts": "прийнято: у п'яти областях",
        "accepted: elsewhere in Ukraine": "прийнято: в інших регіонах України",
        "accepted: national / international": "прийнято: загальнодержавні / міжнародні",
        "rejected": "відхилено",
    }
}


def outcome_label(label: str, lang: str) -> str:
    return OUTCOMES.get(check_lang(lang), {}).get(label, label)


def _uk_plural(n: int, one: str, few: str, many: str) -> str:
    """Ukrainian plural form for n: 1 подія, 2 події, 5 подій, 21 подія, 11 подій."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def check_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def tr(lang: str) -> Callable[..., str]:
    """A lookup for one language: ``T(key, **values)``."""
    index = LANGS.index(check_lang(lang))

    def T(key: str, **values) -> str:  # noqa: N802 (reads like a gettext call)
        text = TEXT[key][index]
        if key == "n_events":  # "1 event", "2 events"; "1 подія", "2 події", "5 подій"
            n = values["n"]
            forms = _uk_plural(n, "подія", "події", "подій") if index else "event" * (n == 1)
            values = {**values, "events": forms or "events"}
        return text.format(**values) if values else text

    return T


def oblast_name(code: str, lang: str, full: bool = False) -> str:
    name = OBLAST_NAMES[check_lang(lang)].get(code, code)
    return name + OBLAST_SUFFIX[check_lang(lang)] if full else name


def oblast_title(code: str, lang: str) -> str:
    """The name in lists and tables: 'Donetsk' / 'Донецька область'."""
    return oblast_name(code, lang, full=check_lang(lang) == "uk")


def map_label(code: str, lang: str) -> str:
    """An oblast's name on the map, in capitals (towns are in lower case): 'DONETSK' /
    'ДОНЕЦЬКА ОБЛ.', so the oblast and its centre read apart."""
    return (OBLAST_NAMES[check_lang(lang)][code] + LABEL_SUFFIX[check_lang(lang)]).upper()


def category_name(key: str, lang: str) -> str:
    """A category's label in the language: 'strike on civilians' / 'удар по цивільних'."""
    from dashboard.config import category_label

    if check_lang(lang) == "en" or key not in CATEGORY_NAMES["uk"]:
        return category_label(key)
    name = CATEGORY_NAMES["uk"][key]
    if key in ACLED_CATEGORIES:
        return f"ACLED · {name}"
    if key in UCDP_CATEGORIES:
        return f"UCDP · {name}"
    return name


def long_date(date, lang: str) -> str:
    """'25 September 2022' / '25 вересня 2022'."""
    d = pd.Timestamp(date)
    return f"{d.day} {MONTHS[check_lang(lang)][d.month - 1]} {d.year}"


def short_date(date, lang: str) -> str:
    """'25 Sep 2022' / '25 вер 2022' (day zero-padded as in the popups)."""
    d = pd.Timestamp(date)
    return f"{d.day:02d} {MONTHS_SHORT[check_lang(lang)][d.month - 1]} {d.year}"


def side_claim(side: str, lang: str) -> str:
    """'Claim by Russia' / 'Заява Росії'."""
    if check_lang(lang) == "uk" and side in SIDES_GENITIVE["uk"]:
        return f"Заява {SIDES_GENITIVE['uk'][side]}"
    return tr(lang)("claim_by", side=side)


def status_label(verification: str, lang: str) -> str:
    key = f"status_{verification}"
    return tr(lang)(key) if key in TEXT else str(verification)


def verification_text(
    verification: object, precision: object, claimed_by: object, lang: str
) -> str:
    """A curated row's verification in words, as the popup and the table say it: a claim
    names its side, and "confirmed" never stands alone over a disputed or approximate date."""
    if verification == "claimed" and claimed_by:
        return side_claim(str(claimed_by), lang)
    if verification == "confirmed" and precision == "disputed":
        return tr(lang)("confirmed_date_disputed")
    if verification == "confirmed" and precision == "approximate":
        return tr(lang)("confirmed_date_approx")
    return status_label(str(verification or ""), lang) if verification else ""


DATASET_NAMES = {  # the bundled datasets' labels (ingest.datasets) -> their text keys
    "Curated timeline 2022": "ds_name_curated",
    "UCDP GED/Candidate 2014–2023": "ds_name_ucdp",
}


def dataset_label(label: str, lang: str) -> str:
    """A dataset's label in the page's language: the bundled datasets by name, a
    deployment's own file as 'Bundled: x.csv', an upload as 'Upload: x.csv' (the file name is
    kept as is)."""
    if label in DATASET_NAMES:
        return tr(lang)(DATASET_NAMES[label])
    for prefix, key in (
        ("Bundled: ", "dataset_bundled"),
        ("Upload: ", "dataset_upload"),
        ("Team: ", "dataset_team"),
    ):
        if label.startswith(prefix):
            return tr(lang)(key, name=label[len(prefix) :])
    return label


def precision_words(kind: str, code: object, lang: str) -> str:
    """A coder's precision code in words: ``kind`` 'date' or 'place', ``code`` as the loader
    keeps it ('ucdp:3', 'acled:2'); '' for none or a code outside the codebooks."""
    key = f"prec_{kind}_{str(code).replace(':', '_')}"
    return tr(lang)(key) if code and key in TEXT else ""


def date_precision_text(precision: object, code: object, lang: str) -> str:
    """How precise an event's date is, in words: the coder's own code when the row has one
    (UCDP date_prec, ACLED time_precision), else the table's ``date_precision``."""
    words = precision_words("date", code, lang)
    if words:
        return words
    key = f"prec_{precision}"
    return tr(lang)(key) if key in TEXT else ""


def date_is_exact(precision: object, code: object) -> bool:
    """True when nothing needs saying next to the date."""
    if code:
        return str(code).endswith(":1")
    return precision in ("day", "", None)
