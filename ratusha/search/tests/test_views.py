"""The public search page and the JSON API: filters in the address, facets as links, pages,
highlighted snippets, a fixed number of queries, and bad input answered with a normal page."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from .test_search import BAD_QUERIES

pytestmark = pytest.mark.django_db

PAGE = "/search/"
API = "/api/v1/search"
SUGGEST = "/api/v1/search/suggest"


@pytest.fixture
def indexed(make_act, home, publish_page, reindex):
    from ratusha.portal.models import NewsPage

    for day in range(1, 13):
        make_act(f"Про надання земельної ділянки № {day}", number=f"{day}-VIII",
                 date=dt.date(2024, 1, day), text="Надати земельну ділянку в оренду.")  # fmt: skip
    make_act("Про бюджет громади на 2023 рік", number="100-VIII", date=dt.date(2023, 12, 1))
    publish_page(NewsPage(title="Сесія розглянула земельні питання", slug="zemelni",
                          date=dt.datetime(2024, 2, 1, 10, tzinfo=dt.UTC)))  # fmt: skip
    reindex()


def test_the_page_finds_an_act_by_another_form_of_its_words(client, indexed):
    response = client.get(PAGE, {"q": "земельні ділянки"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>земельної</mark> <mark>ділянки</mark>" in html
    assert 'href="/acts/' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_filters_live_in_the_address_and_facets_are_links(client, indexed):
    html = client.get(PAGE, {"q": "земельна", "kind": "act"}).content.decode()
    # the kind facet links keep the query and change the kind; the news facet counts one
    assert "kind=news" in html and "(1)" in html
    assert 'aria-current="true">' in html
    assert 'name="kind" value="act" checked' in html
    years = client.get(PAGE, {"q": "бюджет", "from": "01.01.2023", "to": "31.12.2023"})
    assert years.context["results"].total == 1


def test_results_are_paged(client, indexed):
    first = client.get(PAGE, {"q": "земельна ділянка", "kind": "act"})
    second = client.get(PAGE, {"q": "земельна ділянка", "kind": "act", "page": 2})
    assert first.context["results"].total == 12
    assert len(first.context["results"].results) == 10
    assert len(second.context["results"].results) == 2
    assert 'rel="next"' in first.content.decode()
    assert 'rel="prev"' in second.content.decode()


def test_page_without_a_query_shows_the_form(client, db):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
    assert response.context["results"].results == []


def test_a_wrong_date_is_reported_and_ignored(client, indexed):
    response = client.get(PAGE, {"q": "бюджет", "from": "31.02.2024"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "31.02.2024" in html and 'aria-invalid="true"' in html
    assert response.context["results"].total == 1


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_bad_queries_on_the_page_and_the_api(client, indexed, q):
    assert client.get(PAGE, {"q": q, "kind": "<script>", "page": "-1"}).status_code == 200
    response = client.get(API, {"q": q, "page": "x"})
    assert response.status_code == 200
    assert json.loads(response.content)["total"] >= 0


def test_api_returns_total_facets_and_results(client, indexed, django_assert_num_queries):
    client.get(API, {"q": "бюджет"})  # the day's first query also creates its counter row
    # the vocabulary, the facets (in a savepoint with the planner's setting on PostgreSQL),
    # the title matches and then the text matches of the page, its documents, the forms to
    # highlight, and the day's counter (savepoint, update, release)
    with django_assert_num_queries(9):
        response = client.get(API, {"q": "ділянки", "kind": "act", "from": "2024-01-05"})
    data = json.loads(response.content)
    assert data["total"] == 8 and data["pages"] == 1
    assert [(f["value"], f["count"]) for f in data["facets"]["kind"]] == [("act", 8)]
    first = data["results"][0]
    assert set(first) == {"kind", "kind_label", "title", "label", "date", "url", "snippet"}
    assert first["kind"] == "act" and first["date"] == "2024-01-12"
    assert first["url"].startswith("http://testserver/acts/")
    assert "<mark>" in first["snippet"]


def test_api_query_count_does_not_grow_with_the_results(client, indexed, make_act, reindex,
                                                        django_assert_num_queries):  # fmt: skip
    for day in range(1, 28):
        make_act(f"Про оренду земельної ділянки {day}", date=dt.date(2022, 2, day))
    reindex()
    client.get(API, {"q": "бюджет"})
    # a page filled by title matches alone needs no query for the text matches
    with django_assert_num_queries(8):
        client.get(API, {"q": "ділянки"})


def test_api_reports_a_wrong_date_by_name(client, db):
    response = client.get(API, {"q": "бюджет", "to": "2024-13-45"})
    assert response.status_code == 400
    assert "to" in json.loads(response.content)["errors"]


def test_suggestions_api(client, indexed):
    data = json.loads(client.get(SUGGEST, {"q": "надання земел"}).content)
    assert data["suggestions"][0].startswith("надання земел")
    assert json.loads(client.get(SUGGEST, {"q": "'\"*"}).content)["suggestions"] == []


def test_every_page_has_the_search_box(client, indexed):
    html = client.get(reverse("acts:list")).content.decode()
    assert 'action="/search/"' in html and 'id="site-search-q"' in html
