import pytest

from ratusha.core.text import transliterate, ukrainian_slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Згорани", "Zghorany"),
        ("Розгон", "Rozghon"),
        ("Щастя", "Shchastia"),
        ("Юрій", "Yurii"),
        ("Їжакевич", "Yizhakevych"),
    ],
)
def test_official_transliteration(text, expected):
    assert transliterate(text) == expected


def test_slug_from_ukrainian_title():
    assert ukrainian_slug("Бюджет громади") == "biudzhet-hromady"
    assert ukrainian_slug("Охорона здоров'я") == "okhorona-zdorovia"
