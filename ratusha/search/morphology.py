"""Ukrainian word forms for the search index: words found in a text, normalised, and the
dictionary lemmas of each (pymorphy3 with the Ukrainian dictionaries).

Every word becomes ONE index token, so positions (and therefore phrases) stay exact: the token
names all the word's lemmas, sorted and joined by ``ǀ`` («ради» → ``радǀрада``). A query word
matches every token that contains one of its own lemmas (``vocabulary.tokens_for``), so «радою»
(рада, радий) finds «ради» (рад, рада) through the lemma they share.

Normalisation: lower case; the apostrophes ' ’ ‘ ` ′ ʼ become ʼ (U+02BC, a letter for both
SQLite's unicode61 tokenizer and PostgreSQL's parser); stress marks are dropped; ґ is kept; the
old spelling «проект» becomes «проєкт». Unknown words (names, numbers, codes such as «245-VIII»)
are kept as they are; a hyphenated word also carries the lemmas of its parts («245-VIII» → 245,
viii, 245-viii), so «245» alone finds it. Tokens use only letters and digits (a hyphen inside a
word is written ``ǂ``), so both backends split the index text exactly where Python did.

The analyser loads once per process, on first use; lemmas are cached (LRU), so a word seen
before costs a dictionary look-up in memory and nothing more.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from functools import lru_cache

# Letters and digits a word is made of (upper and lower case; the stress marks U+0300/U+0301
# are allowed inside a word and dropped by ``normalise``).
_CHARS = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u0400-\u04ff\u0300\u0301"
_APOSTROPHES = "'\u2019\u2018`\u2032\u02bc"
_HYPHENS = "\\-\u2010\u2011"
WORD_RE = re.compile(rf"[{_CHARS}]+(?:[{_APOSTROPHES}{_HYPHENS}][{_CHARS}]+)*")
_APOSTROPHE_TABLE = str.maketrans(
    {ch: "\u02bc" for ch in _APOSTROPHES} | {"\u2010": "-", "\u2011": "-"}
)
_STRESS = re.compile("[\u0300\u0301]")

APOSTROPHE = "\u02bc"
GROUP_SEPARATOR = "\u01c0"  # ǀ joins the lemmas of one word in its token
HYPHEN_IN_TOKEN = "\u01c2"  # ǂ stands for a hyphen inside a lemma
MAX_WORD_LENGTH = 60  # longer «words» (hashes, garbage) are not indexed
MAX_LEMMAS = 6
CACHE_SIZE = 200_000

_analyzer = None
_analyzer_lock = threading.Lock()


def analyzer():
    """pymorphy3's Ukrainian analyser, loaded once per process on first use."""
    global _analyzer
    if _analyzer is None:
        with _analyzer_lock:
            if _analyzer is None:
                import pymorphy3

                # It announces every dictionary load at INFO: not news in a server log.
                logging.getLogger("pymorphy3").setLevel(logging.WARNING)
                _analyzer = pymorphy3.MorphAnalyzer(lang="uk")
    return _analyzer


def normalise(word: str) -> str:
    """One spelling for the forms a resident may type: lower case, one apostrophe, no stress
    marks, «проект» as «проєкт»."""
    word = _STRESS.sub("", word.translate(_APOSTROPHE_TABLE).lower())
    if "проект" in word:
        word = word.replace("проект", "проєкт")
    return word


def words(text: str) -> Iterator[re.Match]:
    """The words of ``text`` as regex matches (``.group()`` is the word as written, ``.span()``
    where it stands)."""
    return WORD_RE.finditer(text)


def _dictionary_lemmas(word: str) -> frozenset[str]:
    """Lemmas of a normalised single word the dictionary knows; empty if it does not."""
    if not word or word.isdigit():
        return frozenset()
    parses = analyzer().parse(word.replace(APOSTROPHE, "'"))
    known = {p.normal_form for p in parses if p.is_known}
    return frozenset(normalise(lemma) for lemma in known)


@lru_cache(maxsize=CACHE_SIZE)
def lemmas(word: str) -> frozenset[str]:
    """All lemmas of a normalised word: the dictionary's (several if ambiguous), or the word
    itself when unknown; a hyphenated word adds the lemmas of its parts."""
    found = set(_dictionary_lemmas(word)) or {word}
    if "-" in word:
        for part in word.split("-"):
            if part:
                found |= _dictionary_lemmas(part) or {part}
    if len(found) > MAX_LEMMAS:
        found = set(
            sorted(found, key=lambda lemma: (lemma != word, len(lemma), lemma))[:MAX_LEMMAS]
        )
    return frozenset(found)


@lru_cache(maxsize=CACHE_SIZE)
def query_lemmas(word: str) -> frozenset[str]:
    """The lemmas a query word is looked up by: those of the whole word only («245-VIII» must
    not match every «VIII»; the index gave its parts to the indexed word instead)."""
    return _dictionary_lemmas(word) or frozenset({word})


def in_dictionary(word: str) -> bool:
    """Whether the dictionary has this exact form (a look-up, no guessing: cheap enough for
    the hundreds of one-edit variants of a typo)."""
    return analyzer().word_is_known(word.replace(APOSTROPHE, "'"))


def is_known(word: str) -> bool:
    """Whether the dictionary knows the normalised word (or every part of a hyphenated one)."""
    parts = [part for part in word.split("-") if part]
    return bool(parts) and all(_dictionary_lemmas(part) for part in parts)


def lemma_token(lemma: str) -> str:
    """A lemma as it is written inside a token (hyphen → ǂ)."""
    return lemma.replace("-", HYPHEN_IN_TOKEN)


@lru_cache(maxsize=CACHE_SIZE)
def token(word: str) -> str:
    """The index token of a normalised word: its lemmas, sorted, joined by ǀ."""
    return GROUP_SEPARATOR.join(sorted(lemma_token(lemma) for lemma in lemmas(word)))


def token_lemmas(token_text: str) -> list[str]:
    """The lemmas (as written in tokens) a token names."""
    return token_text.split(GROUP_SEPARATOR)


def word_token(raw: str) -> str | None:
    """The token of a word as written, or None for a word too long to index."""
    word = normalise(raw)
    if len(word) > MAX_WORD_LENGTH:
        return None
    return token(word)


@lru_cache(maxsize=CACHE_SIZE)
def raw_token(raw: str) -> tuple[str, str] | None:
    """(normalised word, token) of a word as written in a text — the one look-up indexing
    makes per word once the word has been seen — or None for a word too long to index."""
    word = normalise(raw)
    if len(word) > MAX_WORD_LENGTH:
        return None
    return word, token(word)


def index_text(text: str, *, limit: int | None = None) -> tuple[str, dict[str, str]]:
    """``text`` as the index stores it — its words' tokens, in order, separated by spaces — and
    the vocabulary it used (normalised word → token). ``limit`` caps the characters read."""
    if limit is not None:
        text = text[:limit]
    tokens: list[str] = []
    seen: dict[str, str] = {}
    for raw in WORD_RE.findall(text):
        pair = raw_token(raw)
        if pair is not None:
            tokens.append(pair[1])
            seen[pair[0]] = pair[1]
    return " ".join(tokens), seen


def cache_info():
    """Hits and misses of the words' cache (the benchmark reports them)."""
    return raw_token.cache_info()
