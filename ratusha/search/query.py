"""Queries as residents type them, parsed into terms and resolved against the index vocabulary.

- words: all must match (any form: a query word matches every index token that shares one of
  its lemmas); prepositions and conjunctions are dropped when other words are given;
- "phrases in quotes" (also «…» and “…”): the words in this order, each in any form;
- a minus before a word or a phrase excludes it;
- act numbers as written («245-VIII», «№ 245», «№245», «45-од», «245»): the act with that
  number comes first; the number also matches as text;
- unknown words (names, codes) also match by prefix; a word of 5+ letters that matches nothing
  is tried with one edit (a letter deleted, added, changed or two swapped).

Nothing a user types reaches the database as syntax: the terms are rebuilt from the words
found, each token quoted by the backend. Over-long queries are cut (``MAX_QUERY_CHARS``,
``MAX_TERMS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

from ratusha.acts.numbers import number_key

from . import morphology
from .models import SearchLemma, SearchTerm

MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_PREFIX_TOKENS = 50
MAX_PHRASE_VARIANTS = 64
TYPO_MIN_LENGTH = 5
_STOP = "а або але в від во для до з за зі із й і на над о об по при про та у чи що щодо як"
STOP_WORDS = frozenset(_STOP.split(" "))
ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя" + morphology.APOSTROPHE
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "″": '"'})
_CHUNK = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?|(?P<num>№\s*\S+)|(?P<word>\S+)')
_NUMBER = re.compile(r"^\d+(?:[-/\u2010-\u2015][0-9A-Za-zА-Яа-яІіЇїЄєҐґ]+)*$")


@dataclass
class Word:
    text: str  # normalised
    tokens: list[str] = field(default_factory=list)
    corrected: str = ""  # the word found with one edit, if the typed one matched nothing


@dataclass
class Term:
    """A word, a phrase (several words in order) or an act number."""

    words: list[Word]
    number: str = ""  # number_key for an act number
    negative: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def phrase_variants(self) -> list[tuple[str, ...]]:
        """The token sequences a phrase may be written with (SQLite spells them out)."""
        variants = []
        for combination in product(*(word.tokens for word in self.words)):
            variants.append(combination)
            if len(variants) >= MAX_PHRASE_VARIANTS:
                break
        return variants


@dataclass
class Query:
    raw: str
    terms: list[Term] = field(default_factory=list)
    impossible: bool = False  # a required word matches nothing in the index

    @property
    def positive(self) -> list[Term]:
        return [term for term in self.terms if not term.negative]

    @property
    def negative(self) -> list[Term]:
        return [term for term in self.terms if term.negative]

    @property
    def numbers(self) -> list[str]:
        return [term.number for term in self.positive if term.number]

    @property
    def is_empty(self) -> bool:
        return not self.positive

    def tokens(self) -> set[str]:
        """Every index token the positive terms accept (for highlighting)."""
        return {token for term in self.positive for word in term.words for token in word.tokens}

    def corrections(self) -> list[tuple[str, str]]:
        return [
            (word.text, word.corrected)
            for term in self.positive
            for word in term.words
            if word.corrected
        ]


def _words(text: str) -> list[Word]:
    found = []
    for match in morphology.words(text):
        word = morphology.normalise(match.group())
        if len(word) <= morphology.MAX_WORD_LENGTH:
            found.append(Word(text=word))
    return found


def parse(raw: str) -> Query:
    """The terms of a query, not yet resolved against the index."""
    text = (raw or "")[:MAX_QUERY_CHARS].translate(_QUOTES)
    query = Query(raw=text)
    for match in _CHUNK.finditer(text):
        if match.group("phrase") is not None:
            words = _words(match.group("phrase"))
            if words:
                query.terms.append(Term(words=words, negative=bool(match.group("neg"))))
            continue
        chunk = match.group("num") or match.group("word")
        negative = chunk.startswith("-") and len(chunk) > 1
        if negative:
            chunk = chunk.lstrip("-")
        bare = chunk.lstrip("№").strip().strip(".,;:!?()[]{}")
        if (match.group("num") or _NUMBER.match(bare)) and number_key(bare) and not negative:
            words = _words(bare)
            if words:
                query.terms.append(Term(words=[_joined(words)], number=number_key(bare)[:64]))
            continue
        for word in _words(chunk):
            query.terms.append(Term(words=[word], negative=negative))
    plain = [t for t in query.positive if not t.is_phrase and not t.number]
    if len(query.positive) > 1:
        stop = [t for t in plain if t.words[0].text in STOP_WORDS]
        if len(stop) < len(query.positive):
            query.terms = [t for t in query.terms if t not in stop]
    query.terms = query.terms[:MAX_TERMS]
    return query


def _joined(words: list[Word]) -> Word:
    """«245/3» is read as the words 245 and 3; as a number it is one word «245-3»."""
    return Word(text="-".join(word.text for word in words))


# Resolution against the vocabulary -------------------------------------------------------------


def _edits(word: str) -> set[str]:
    """Every string one edit away from ``word`` (deletion, transposition, substitution,
    insertion over the Ukrainian alphabet)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in ALPHABET if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word}


def _tokens_by_lemma(lemmas: set[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    if lemmas:
        for lemma, token in SearchLemma.objects.filter(lemma__in=sorted(lemmas)).values_list(
            "lemma", "token"
        ):
            found.setdefault(lemma, set()).add(token)
    return found


def _prefix_tokens(prefix: str) -> set[str]:
    rows = (
        SearchLemma.objects.filter(lemma__gte=prefix, lemma__lt=prefix + "\U0010ffff")
        .order_by("lemma")
        .values_list("token", flat=True)[:MAX_PREFIX_TOKENS]
    )
    return set(rows)


def _typo_tokens(word: str) -> tuple[set[str], str]:
    """Tokens of the indexed words one edit away from ``word``, and the likeliest such word."""
    edits = sorted(_edits(word))
    rows = list(
        SearchTerm.objects.filter(word__in=edits)
        .order_by("-documents", "word")
        .values_list("word", "token")
    )
    tokens = {token for _word, token in rows}
    best = rows[0][0] if rows else ""
    if tokens:
        return tokens, best.replace(morphology.HYPHEN_IN_TOKEN, "-")
    # No indexed word is one edit away: another form of an indexed lemma may be (a slower
    # route, the dictionary is asked about every variant).
    known = [edit for edit in edits if morphology.in_dictionary(edit)]
    lemmas = {
        morphology.lemma_token(lemma) for edit in known for lemma in morphology.query_lemmas(edit)
    }
    by_lemma = _tokens_by_lemma(lemmas)
    for lemma_tokens in by_lemma.values():
        tokens |= lemma_tokens
    if not best and by_lemma:
        best = sorted(by_lemma)[0]
    return tokens, best.replace(morphology.HYPHEN_IN_TOKEN, "-")


def _can_prefix(word: str) -> bool:
    return len(word) >= 3 and word.replace(morphology.APOSTROPHE, "").isalpha()


def resolve(query: Query, *, typos: bool = True) -> Query:
    """Fill in each word's index tokens (one query for all words, more only for unknown words
    and typos; ``typos=False``: a word is never replaced by another one edit away). A required
    word with no token makes the query impossible."""
    lemmas_of = {
        word.text: {morphology.lemma_token(lemma) for lemma in morphology.query_lemmas(word.text)}
        for term in query.terms
        for word in term.words
    }
    by_lemma = _tokens_by_lemma(set().union(*lemmas_of.values()) if lemmas_of else set())
    for term in query.terms:
        for word in term.words:
            tokens: set[str] = set()
            for lemma in lemmas_of[word.text]:
                tokens |= by_lemma.get(lemma, set())
            single = not term.is_phrase and not term.number
            known = morphology.is_known(word.text)
            if single and (not known or not tokens) and _can_prefix(word.text):
                tokens |= _prefix_tokens(morphology.lemma_token(word.text))
            if (
                typos
                and not tokens
                and single
                and not term.negative
                and len(word.text) >= TYPO_MIN_LENGTH
                and word.text.replace(morphology.APOSTROPHE, "").isalpha()
            ):
                tokens, word.corrected = _typo_tokens(word.text)
            word.tokens = sorted(tokens)
    query.terms = [
        t for t in query.terms if not (t.negative and not all(w.tokens for w in t.words))
    ]
    for term in query.positive:
        if not term.number and not all(word.tokens for word in term.words):
            query.impossible = True
    return query
