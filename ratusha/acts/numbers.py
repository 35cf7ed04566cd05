"""Act numbers as bodies write them («№ 1234-VIII», «45-од») and their normalised key."""

from __future__ import annotations

import re

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")


def number_key(number: str) -> str:
    """The key two spellings of one number share: «№ 1234 – VIII» and «1234-viii» → «1234-VIII».

    The sign «№», spaces and the kind of dash do not matter; Latin and Cyrillic look-alikes in
    Roman numerals (І/I, Х/X, С/C…) are folded to Latin.
    """
    text = (number or "").replace("№", "").replace("N°", "")
    text = _DASHES.sub("-", text)
    text = _SPACES.sub("", text).upper()
    return text.translate(str.maketrans("ІХСМУВОАРЕТКН", "IXCMYBOAPETKH"))
