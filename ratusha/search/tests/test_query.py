"""The query parser: words, phrases, exclusions, act numbers; hostile input never breaks it."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratusha.acts.numbers import number_key
from ratusha.search.query import MAX_QUERY_CHARS, MAX_TERMS, _edits, parse


def _words(term):
    return [word.text for word in term.words]


def test_words_are_normalised_and_stop_words_dropped():
    query = parse("Про НАДАННЯ земельних ділянок")
    assert [_words(t) for t in query.positive] == [["надання"], ["земельних"], ["ділянок"]]


def test_a_query_of_stop_words_only_keeps_them():
    assert [_words(t) for t in parse("про").positive] == [["про"]]


@pytest.mark.parametrize(
    "raw", ['"земельної ділянки"', "«земельної ділянки»", "“земельної ділянки”"]
)
def test_phrases_in_any_quotes(raw):
    (term,) = parse(raw).terms
    assert term.is_phrase and _words(term) == ["земельної", "ділянки"]


def test_minus_excludes_a_word_or_a_phrase():
    query = parse('бюджет -культури -"місцевих податків"')
    assert [_words(t) for t in query.positive] == [["бюджет"]]
    assert [_words(t) for t in query.negative] == [["культури"], ["місцевих", "податків"]]


@pytest.mark.parametrize(
    ("raw", "key"),
    [("245-VIII", "245-VIII"), ("№ 245", "245"), ("№245-viii", "245-VIII"), ("245", "245"),
     ("45-од", number_key("45-ОД")), ("№ 1234 – VIII", "1234")],
)  # fmt: skip
def test_act_numbers_as_written(raw, key):
    assert parse(raw).numbers[0] == key


def test_an_unterminated_quote_is_a_phrase_to_the_end():
    (term,) = parse('"рішення сесії').terms
    assert _words(term) == ["рішення", "сесії"]


@pytest.mark.parametrize("raw", ["", "   ", '"*():^-', "***", "-", '""', "( ) : ^", "№", "--"])
def test_syntax_characters_alone_make_an_empty_query(raw):
    assert parse(raw).is_empty


def test_sql_looking_text_is_only_words():
    query = parse("'; DROP TABLE search_searchdocument; --")
    assert [_words(t) for t in query.terms] == [["drop"], ["table"], ["search"], ["searchdocument"]]


def test_long_queries_are_cut():
    query = parse("бюджет " * 1000)
    assert len(query.raw) == MAX_QUERY_CHARS
    assert len(query.terms) == MAX_TERMS


def test_one_edit_candidates():
    # deletion, insertion, substitution and transposition, each one step
    edits = _edits("рада")
    assert {"рад", "радаи", "рода", "арда"} <= edits
    assert "рада" not in edits and "родо" not in edits


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_parses(raw):
    query = parse(raw)
    for term in query.terms:
        assert term.words
        for word in term.words:
            assert word.text and len(word.text) <= 60


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="\"*():^-№«» абвгґдеєіїйʼ'’-VIII0123456789xyz", max_size=80))
def test_query_syntax_soup_parses(raw):
    parse(raw)
