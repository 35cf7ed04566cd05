"""Word forms: normalisation, every lemma of an ambiguous word, unknown words as they are."""

from ratusha.search import morphology


def test_apostrophes_case_and_old_spelling_become_one_form():
    # given the same words typed four ways
    forms = ["П'ЯТНИЦЯ", "п’ятниця", "п`ятниця", "пʼятниця"]
    # then they normalise to one
    assert {morphology.normalise(form) for form in forms} == {"пʼятниця"}
    assert morphology.normalise("Проект") == morphology.normalise("проєкт") == "проєкт"
    assert morphology.word_token("проекту") == morphology.word_token("проєктів")


def test_letter_ge_is_kept():
    assert morphology.normalise("Ґанок") == "ґанок"


def test_ambiguous_word_is_indexed_under_all_its_lemmas():
    # «ради» is a form of both «рада» (council) and «рад»
    assert morphology.lemmas("ради") >= {"рада", "рад"}
    assert set(morphology.token_lemmas(morphology.word_token("Ради"))) >= {"рада", "рад"}


def test_inflected_forms_share_a_lemma():
    assert morphology.lemmas("земельних") & morphology.lemmas("земельна")
    assert morphology.lemmas("ділянок") == morphology.lemmas("ділянка")
    assert morphology.lemmas("рішень") == morphology.lemmas("рішення")
    assert morphology.lemmas("сесій") == morphology.lemmas("сесії")


def test_unknown_words_and_codes_are_kept_with_their_parts():
    # a code is not in the dictionary: it stays as written, and its parts are lemmas too
    assert morphology.lemmas("245-viii") == {"245-viii", "245", "viii"}
    assert morphology.query_lemmas("245-viii") == {"245-viii"}
    assert morphology.word_token("1234") == "1234"


def test_index_text_keeps_one_token_per_word_in_order():
    text, vocabulary = morphology.index_text("Сесії ради, № 245-VIII.")
    tokens = text.split(" ")
    assert len(tokens) == 3
    assert tokens[0] == "сесія"
    assert vocabulary["ради"] == tokens[1]


def test_stress_marks_and_overlong_words_do_not_break_words():
    assert morphology.normalise("ви́конати") == "виконати"
    text, _ = morphology.index_text("а" * 500 + " бюджет")
    assert text == "бюджет"


def test_repeated_words_come_from_the_cache():
    morphology.raw_token.cache_clear()
    morphology.index_text("Землевпорядкування")
    before = morphology.cache_info()
    morphology.index_text("Землевпорядкування")
    after = morphology.cache_info()
    assert after.hits == before.hits + 1
    assert after.misses == before.misses
