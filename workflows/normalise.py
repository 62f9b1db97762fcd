"""Text as the search stores and compares it (see `services.search`).

A leaf module: the Document model normalises its searched fields when it is saved, and the
search normalises queries and file text, both with `search_normalise`.
"""

import re
import unicodedata

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def search_normalise(text: str) -> str:
    """`text` as the search stores and compares it: "Lục Nam 1719-CV/HU" → "luc nam 1719 cv hu"."""
    folded = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", folded)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALPHANUMERIC.sub(" ", bare.lower()).strip()
