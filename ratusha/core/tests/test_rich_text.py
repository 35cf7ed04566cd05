"""What the rich text allow-list keeps (the editor's features) and drops (anything that runs)."""

from ratusha.core.rich_text import clean_rich_text


def test_the_editors_features_survive_unchanged():
    html = (
        "<h2>Заголовок</h2><p><b>жирний</b> <i>курсив</i><br/>рядок</p>"
        '<ul><li><a linktype="page" id="3">сторінка</a></li>'
        '<li><a linktype="document" id="7">документ</a></li>'
        '<li><a href="https://rada.gov.ua/">закон</a></li>'
        '<li><a href="mailto:rada@example.org">лист</a></li></ul><ol><li>один</li></ol>'
    )
    cleaned = clean_rich_text(html)
    for kept in (
        'linktype="page" id="3"',
        'linktype="document" id="7"',
        'href="https://rada.gov.ua/"',
        'href="mailto:rada@example.org"',
        "<h2>",
        "<b>",
        "<i>",
        "<ul>",
        "<ol>",
        "<br>",
    ):
        assert kept in cleaned, kept
    assert "rel=" not in cleaned  # the stored format is not rewritten


def test_anything_that_runs_is_dropped_and_the_text_kept():
    cleaned = clean_rich_text(
        '<p onclick="alert(1)">клік<script>alert(2)</script></p>'
        '<img src="x" onerror="alert(3)"><a href="javascript:alert(4)">посилання</a>'
        '<a href=" JaVaScRiPt:alert(5)">ще</a><iframe src="https://evil.example"></iframe>'
        "<style>p{}</style><!-- коментар -->"
    )
    lowered = cleaned.lower()
    for gone in (
        "onclick",
        "<script",
        "alert(2)",
        "<img",
        "onerror",
        "javascript",
        "<iframe",
        "<style",
        "коментар",
    ):
        assert gone not in lowered, gone
    assert "клік" in cleaned and "посилання" in cleaned and "ще" in cleaned
