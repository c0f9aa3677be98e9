"""Showing text from users' files in Streamlit's Markdown without it becoming markup. No Streamlit.

Streamlit renders messages, captions, labels and help as Markdown: a file name or column name
like ``![x](http://host/p.png)`` would load an image from that host, ``[a](javascript:…)``
would make a link. Every Markdown character is backslash-escaped, so the text shows as written.
"""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=])")


def md_escape(text: object) -> str:
    """Text as literal Markdown (HTML is not rendered by Streamlit's Markdown anyway)."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", " ")


# Unicode bidirectional embeddings, overrides and isolates: text from a file that holds them can
# show reversed or reordered ("Trojan Source"), so they are removed wherever file text is read.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: object) -> str:
    """The text without bidirectional control characters."""
    return BIDI_CONTROLS.sub("", str(text))
