"""What machines read from the public site: RSS and Atom feeds of the news and announcements
lists, the canonical address, Open Graph tags, schema.org descriptions (JSON-LD), and the
sitemap section of the Wagtail pages."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from lxml import html as lxml_html
from pytest_django.asserts import assertContains, assertNotContains
from wagtail.models import Page

from ratusha.core.models import HromadaSettings
from ratusha.portal.feeds import FEED_SIZE
from ratusha.portal.models import AnnouncementIndexPage, EventPage, NewsIndexPage, NewsPage
from ratusha.portal.tests.test_pages import _image, _kyiv, _publish

ATOM = "{http://www.w3.org/2005/Atom}"
ROOT = "http://localhost"  # the default Wagtail site of the tests: localhost, port 80


def _head(response):
    return lxml_html.fromstring(response.content).find("head")


def _meta(response, prop: str) -> str | None:
    found = _head(response).xpath(f'meta[@property="{prop}"]/@content')
    return found[0] if found else None


def _json_ld(response) -> list[dict]:
    return [
        json.loads(script.text)
        for script in _head(response).xpath('script[@type="application/ld+json"]')
    ]


# Feeds -------------------------------------------------------------------------------------------


def test_news_rss_feed_lists_the_latest_news_with_absolute_links(client, tree):
    # Given the news list of the tree (two news items)
    # When a feed reader asks for its RSS feed
    response = client.get("/novyny/feed/rss/")

    # Then it is RSS 2.0 with the list's title and the news, newest first, linked absolutely
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Новини — Тестова селищна рада"
    assert channel.findtext("link") == f"{ROOT}/novyny/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Прибирання парку", "Відкрито новий ЦНАП"]
    assert items[1].findtext("link") == f"{ROOT}/novyny/tsnap/"
    assert items[1].findtext("guid") == f"{ROOT}/novyny/tsnap/"
    assert items[1].findtext("description") == "Центр надання адмінпослуг запрацював."
    assert items[1].findtext("pubDate") == "Mon, 10 Mar 2025 09:00:00 +0200"


def test_announcements_atom_feed_is_valid_atom(client, tree):
    response = client.get("/oholoshennia/feed/atom/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "Оголошення — Тестова селищна рада"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"{ROOT}/oholoshennia/feed/atom/"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Відключення води"
    assert entry.findtext(f"{ATOM}id") == f"{ROOT}/oholoshennia/voda/"
    assert entry.findtext(f"{ATOM}published") == "2025-03-11T08:00:00+02:00"
    assert entry.findtext(f"{ATOM}updated") >= entry.findtext(f"{ATOM}published")


def test_feed_leaves_out_drafts_and_stops_at_its_size(client, tree):
    index = NewsIndexPage.objects.get()
    for n in range(FEED_SIZE):
        _publish(index, NewsPage(title=f"Новина {n}", slug=f"n{n}", date=_kyiv(2020, 1, 1, n % 24)))
    draft = NewsPage(title="Чернетка новини", slug="chernetka", live=False, date=_kyiv(2030, 1, 1))
    index.add_child(instance=draft)

    response = client.get("/novyny/feed/rss/")

    titles = [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]
    assert len(titles) == FEED_SIZE
    assert "Чернетка новини" not in titles
    assert titles[0] == "Прибирання парку"


@pytest.mark.parametrize("which", ["news_index", "announcement_index"])
def test_list_pages_link_their_feeds_in_the_head_and_the_page(client, tree, which):
    response = client.get(tree[which])

    head = _head(response)
    rss = head.xpath('link[@rel="alternate"][@type="application/rss+xml"]/@href')
    atom = head.xpath('link[@rel="alternate"][@type="application/atom+xml"]/@href')
    assert rss == [f"{tree[which]}feed/rss/"]
    assert atom == [f"{tree[which]}feed/atom/"]
    assertContains(response, f'<a href="{tree[which]}feed/rss/" type="application/rss+xml">RSS</a>')
    assert client.get(rss[0]).status_code == 200
    assert client.get(atom[0]).status_code == 200


def test_a_news_page_named_like_a_feed_route_is_still_served(client, tree):
    _publish(NewsIndexPage.objects.get(), NewsPage(title="Про стрічки", slug="feed"))

    assert client.get("/novyny/feed/").status_code == 200


# Canonical address and Open Graph -------------------------------------------------------------


@pytest.mark.parametrize("which", ["home", "section", "news", "event", "album", "unit", "contacts"])
def test_every_page_has_its_canonical_address_and_open_graph(client, tree, which):
    response = client.get(tree[which])

    url = f"{ROOT}{tree[which]}"
    canonical = _head(response).xpath('link[@rel="canonical"]/@href')
    assert canonical == [url]
    assert _meta(response, "og:url") == url
    assert _meta(response, "og:site_name") == "Тестова селищна рада"
    assert _meta(response, "og:locale") == "uk_UA"
    assert _meta(response, "og:title")
    assert _meta(response, "og:description")


def test_news_page_is_an_article_with_its_image(client, tree):
    response = client.get(tree["news"])

    assert _meta(response, "og:type") == "article"
    assert _meta(response, "og:title") == "Відкрито новий ЦНАП"
    assert _meta(response, "og:description") == "Центр надання адмінпослуг запрацював."
    image = _meta(response, "og:image")
    assert image.startswith(f"{ROOT}/media/images/") and ".width-960" in image
    assert _meta(response, "og:image:alt") == "Будівля ЦНАП"


def test_pages_without_an_image_have_no_og_image(client, tree):
    for which in ("news_plain", "section", "announcement"):
        response = client.get(tree[which])
        assert _meta(response, "og:image") is None
        assert _meta(response, "og:type") in ("website", "article")


def test_album_shares_its_first_photo(client, tree):
    response = client.get(tree["album"])

    assert _meta(response, "og:image").startswith(f"{ROOT}/media/images/")
    assert _meta(response, "og:image:alt") == "Сцена зі святковими прикрасами"


def test_paged_list_keeps_the_page_number_and_filters_point_to_the_plain_list(client, tree):
    index = NewsIndexPage.objects.get()
    for n in range(13):
        _publish(index, NewsPage(title=f"Новина {n}", slug=f"n{n}", date=_kyiv(2020, 1, n + 1)))

    second = client.get("/novyny/", {"page": 2})
    first = client.get("/novyny/", {"page": 1})
    acts = client.get("/acts/", {"kind": "council-decision", "page": 2})

    assert _head(second).xpath('link[@rel="canonical"]/@href') == [f"{ROOT}/novyny/?page=2"]
    assert _head(first).xpath('link[@rel="canonical"]/@href') == [f"{ROOT}/novyny/"]
    assert _head(acts).xpath('link[@rel="canonical"]/@href') == [f"{ROOT}/acts/"]


def test_the_canonical_host_is_the_wagtail_sites_whatever_host_was_asked(client, tree, settings):
    settings.ALLOWED_HOSTS = ["testserver", "www.example.org"]

    response = client.get(tree["section"], HTTP_HOST="www.example.org")

    assert _head(response).xpath('link[@rel="canonical"]/@href') == [f"{ROOT}/biudzhet/"]


def test_missing_page_has_no_canonical_address(client, tree):
    response = client.get("/nemaie/")

    assert response.status_code == 404
    assertNotContains(response, 'rel="canonical"', status_code=404)
    assertNotContains(response, "og:url", status_code=404)


def test_admin_pages_carry_none_of_these_tags(admin_client, tree):
    page = NewsPage.objects.get(slug="tsnap")

    for url in ("/admin/", f"/admin/pages/{page.pk}/edit/"):
        response = admin_client.get(url)
        assert response.status_code == 200
        assertNotContains(response, 'rel="canonical"')
        assertNotContains(response, 'property="og:')
        assertNotContains(response, "application/ld+json")


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pass")
    client.force_login(user)
    return client


# schema.org (JSON-LD) -----------------------------------------------------------------------------


def test_home_page_describes_the_council_as_a_government_organization(client, tree, settings):
    HromadaSettings.objects.filter(site__is_default_site=True).update(
        community_name="Тестова селищна територіальна громада",
        logo=_image("Герб"),
        facebook_url="https://www.facebook.com/example",
    )

    response = client.get("/")

    (data,) = _json_ld(response)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "GovernmentOrganization"
    assert data["name"] == "Тестова селищна рада"
    assert data["alternateName"] == "Тестова селищна територіальна громада"
    assert data["url"] == f"{ROOT}/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "вул. Центральна, 1, смт Тестове",
        "postalCode": "00000",
        "addressCountry": "UA",
    }
    assert data["telephone"] == "(00000) 1-23-45"
    assert data["email"] == "rada@example.org"
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "ЄДРПОУ",
        "value": "12345678",
    }
    assert data["logo"].startswith(f"{ROOT}/media/images/")
    assert data["sameAs"] == ["https://www.facebook.com/example"]


def test_news_page_is_a_news_article(client, tree):
    page = NewsPage.objects.get(slug="tsnap")
    NewsPage.objects.filter(pk=page.pk).update(
        last_published_at=dt.datetime(2025, 3, 12, 10, 0, tzinfo=dt.UTC)
    )

    (data,) = _json_ld(client.get(tree["news"]))

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Відкрито новий ЦНАП"
    assert data["description"] == "Центр надання адмінпослуг запрацював."
    assert data["url"] == data["mainEntityOfPage"] == f"{ROOT}/novyny/tsnap/"
    assert data["datePublished"] == "2025-03-10T09:00:00+02:00"
    assert data["dateModified"] == "2025-03-12T12:00:00+02:00"
    assert data["image"][0].startswith(f"{ROOT}/media/images/")
    assert data["publisher"] == {
        "@type": "GovernmentOrganization",
        "name": "Тестова селищна рада",
        "url": f"{ROOT}/",
    }
    assert data["author"] == data["publisher"]
    assert data["inLanguage"] == "uk"


def test_event_page_is_an_event_with_place_times_and_status(client, tree):
    page = EventPage.objects.get(slug="toloka")

    (data,) = _json_ld(client.get(tree["event"]))

    assert data["@type"] == "Event"
    assert data["name"] == "Толока в парку"
    assert dt.datetime.fromisoformat(data["startDate"]) == page.start.replace(microsecond=0)
    assert dt.datetime.fromisoformat(data["endDate"]) == page.end.replace(microsecond=0)
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "Центральний парк",
        "address": "Центральний парк",
    }
    assert data["organizer"]["name"] == "Тестова селищна рада"


@pytest.mark.parametrize("which", ["section", "news_index", "album", "video"])
def test_other_pages_carry_no_json_ld(client, tree, which):
    assert _json_ld(client.get(tree[which])) == []


def test_json_ld_cannot_be_broken_out_of_by_a_title(client, tree):
    # Given a news title that tries to close the script element and run its own
    hostile = '</script><script>alert("x")</script><!-- & -->'
    NewsPage.objects.filter(slug="tsnap").update(title=hostile, intro=hostile)

    # When the page is shown
    response = client.get(tree["news"])
    html = response.content.decode()

    # Then the JSON-LD holds the title as data, with no markup a browser would act on
    start = html.index('<script type="application/ld+json">')
    script = html[start : html.index("</script>", start) + len("</script>")]
    assert "</script><script>" not in script and "<!--" not in script
    assert "\\u003C/script\\u003E" in script
    (data,) = _json_ld(response)
    assert data["headline"] == hostile[:110]
    assert data["description"] == hostile
    assert html.count("<script>alert") == 0


# The sitemap section of the pages ---------------------------------------------------------------


def test_sitemap_lists_live_public_pages_with_their_last_publication(client, tree):
    draft = NewsPage(title="Чернетка", slug="chernetka", live=False)
    NewsIndexPage.objects.get().add_child(instance=draft)

    response = client.get("/sitemap-pages.xml")

    assert response.status_code == 200
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [url.findtext(f"{ns}loc") for url in ET.fromstring(response.content)]
    assert f"{ROOT}/" in locations
    assert f"{ROOT}/novyny/tsnap/" in locations
    assert f"{ROOT}/struktura/osvita/" in locations
    assert f"{ROOT}/novyny/chernetka/" not in locations
    live = (
        Page.objects.live().public().descendant_of(Page.objects.get(slug="holovna"), inclusive=True)
    )
    assert len(locations) == live.count()


def test_sitemap_pages_section_is_split_into_pages(client, tree, monkeypatch):
    from ratusha.portal.sitemaps import PageSitemap

    monkeypatch.setattr(PageSitemap, "limit", 10)
    total = (
        Page.objects.live()
        .public()
        .descendant_of(Page.objects.get(slug="holovna"), inclusive=True)
        .count()
    )

    index = client.get("/sitemap.xml").content.decode()
    second = client.get("/sitemap-pages.xml", {"p": 2})
    beyond = client.get("/sitemap-pages.xml", {"p": 99})

    assert "/sitemap-pages.xml?p=2</loc>" in index
    assert second.status_code == 200
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert len(ET.fromstring(second.content).findall(f"{ns}url")) == min(10, total - 10)
    assert beyond.status_code == 404


def test_announcement_list_is_reachable_at_its_own_address(client, tree):
    # The feed routes do not take over the list itself.
    response = client.get(tree["announcement_index"])

    assert response.status_code == 200
    assert response.context["page"].specific_class is AnnouncementIndexPage
