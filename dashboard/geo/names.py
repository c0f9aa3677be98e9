"""Normalising region names, and curated spellings Natural Earth does not carry."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['’ʼ`´ʻ‘\"]")
_SEPARATORS = re.compile(r"[\s\-_.,/()]+")
# Generic words that say "this is a region" in the languages we meet; dropped wherever they stand.
_GENERIC = {
    "oblast",
    "oblasts",
    "obl",
    "region",
    "province",
    "область",
    "обл",
    "oblasti",
    "regione",
}


def normalise_name(name: str) -> str:
    """Fold a region name to a comparable key: case, apostrophes, hyphens, 'oblast' removed."""
    text = unicodedata.normalize("NFKC", str(name)).casefold().replace("ё", "е")
    text = _APOSTROPHES.sub("", text)
    words = [w for w in _SEPARATORS.split(text) if w and w not in _GENERIC]
    return " ".join(words)


# Transliterations and forms seen in ACLED, UCDP, GeoNames and news copy, with or without
# "oblast" (normalise_name drops it). Natural Earth's own names are added by build_geo.py.
EXTRA_SPELLINGS: dict[str, tuple[str, ...]] = {
    "UA-65": (
        "Kherson",
        "Khersonska",
        "Khersons'ka",
        "Khersonskaya",
        "Khersonskaia",
        "Херсонська",
        "Херсонская",
        "Херсон",
        "Херсонщина",
    ),
    "UA-23": (
        "Zaporizhzhia",
        "Zaporizhia",
        "Zaporizhzhya",
        "Zaporizhzhe",
        "Zaporozhye",
        "Zaporozhe",
        "Zaporozhia",
        "Zaporizka",
        "Zaporiz'ka",
        "Zaporozhskaya",
        "Запорізька",
        "Запорожская",
        "Запоріжжя",
        "Запорожье",
        "Запоріжжя",
    ),
    "UA-14": (
        "Donetsk",
        "Donets'k",
        "Donetska",
        "Donets'ka",
        "Donetskaya",
        "Donetskaia",
        "Донецька",
        "Донецкая",
        "Донецьк",
        "Донецк",
        "Донеччина",
    ),
    "UA-09": (
        "Luhansk",
        "Lugansk",
        "Luhans'k",
        "Luhanska",
        "Luhans'ka",
        "Luganskaya",
        "Luhanskaya",
        "Луганська",
        "Луганская",
        "Луганськ",
        "Луганск",
        "Луганщина",
    ),
    "UA-63": (
        "Kharkiv",
        "Kharkov",
        "Kharkivska",
        "Kharkivs'ka",
        "Kharkovskaya",
        "Kharkivskaya",
        "Харківська",
        "Харьковская",
        "Харків",
        "Харьков",
        "Харківщина",
    ),
    "UA-43": (
        "Crimea",
        "Autonomous Republic of Crimea",
        "Krym",
        "Republic of Crimea",
        "Крим",
        "Крым",
        "Автономна Республіка Крим",
        "Республика Крым",
    ),
    "UA-40": (
        "Sevastopol",
        "Sevastopil",
        "Sevastopol Special Republican city",  # by analogy with UCDP's Kyiv
        "Севастополь",
        "Севастопіль",
    ),
    # ACLED's admin1 "Kyiv" is the oblast; the city is "Kyiv City".
    "UA-32": ("Kyiv", "Kiev", "Kyiv Oblast", "Kiev Oblast", "Kyivska", "Київська", "Киевская"),
    # UCDP GED's adm_1 for the capital is "Kiev Special Republican city".
    "UA-30": (
        "Kyiv City",
        "Kiev City",
        "City of Kyiv",
        "Kiev Special Republican city",
        "Kyiv Special Republican city",
        "місто Київ",
        "город Киев",
    ),
    "UA-12": ("Dnipropetrovsk", "Dnipropetrovs'k", "Дніпропетровська", "Днепропетровская"),
    "UA-48": ("Mykolaiv", "Mykolayiv", "Nikolaev", "Миколаївська", "Николаевская"),
    "UA-51": ("Odesa", "Odessa", "Одеська", "Одесская"),
    "UA-59": ("Sumy", "Сумська", "Сумская"),
    "UA-53": ("Poltava", "Полтавська", "Полтавская"),
}
