"""The page's text: every key in dashboard/i18n.json has both languages."""

import json

from dashboard.config import PACKAGE_DIR
from dashboard.i18n import LANGS, TEXT, tr


def test_every_key_has_both_languages():
    assert len(TEXT) > 100
    for key, texts in TEXT.items():
        assert isinstance(texts, tuple) and len(texts) == len(LANGS), key
        assert all(isinstance(text, str) and text.strip() for text in texts), key


def test_text_is_read_from_the_json_file_beside_the_module():
    data = json.loads((PACKAGE_DIR / "i18n.json").read_text(encoding="utf-8"))
    assert list(data) == list(TEXT)
    assert tr("en")("page_title") == data["page_title"][0]
    assert tr("uk")("page_title") == data["page_title"][1]
