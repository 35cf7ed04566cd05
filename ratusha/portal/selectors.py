"""Reads of the public site: the home page's blocks, the paged lists of news, announcements,
events, albums and videos (newest first by ``date``), upcoming events, an album's photos, a
unit's card and the banners. Each read costs a fixed number of queries whatever its length:
main images and their renditions are fetched with the list.

The lists of news, announcements and events (``listed_page``) are read like the acts registry
(``acts.selectors.act_list_ids`` + ``act_rows``): the count and the page's ids come from one
partial index of the page type's own table, ``(list_parent, -date, -id, list_live) WHERE
list_live``
(``listing.py``), and the page's rows are then fetched by id — so page 2,000 of 50,000 news
skips index entries, not joined rows, and no query walks Wagtail's page tree. Lists read only
the fields they show (not the pages' content) and their pictures as plain data
(``pictures.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from ratusha.core.models import Employee, StructuralUnit

from .models import (
    AlbumPage,
    AlbumPhoto,
    AnnouncementPage,
    Banner,
    EventPage,
    NewsPage,
    VideoPage,
)
from .pictures import with_pictures, with_pictures_of

PER_PAGE = 12
HOME_NEWS = 6
HOME_TOP_NEWS = 5
HOME_ANNOUNCEMENTS = 5
HOME_EVENTS = 5

# Renditions the templates ask for: fetched together with the images (one query per list).
THUMBNAIL = "fill-320x240"
LARGE = "max-1600x1200"
SLIDE = "fill-960x540"
BANNER = "height-80"

# What the lists show of a dated page (its content, the bulk of the row, is not read).
ENTRY_FIELDS = ("title", "url_path", "date", "intro", "image", "image_alt", "list_parent")
EVENT_FIELDS = (*ENTRY_FIELDS, "start", "end", "place")


def _entry_fields(model) -> tuple[str, ...]:
    return EVENT_FIELDS if model is EventPage else ENTRY_FIELDS


def _images(*specs: str) -> QuerySet:
    return get_image_model().objects.prefetch_renditions(*specs)


def _with_image(pages: QuerySet, *specs: str) -> QuerySet:
    """``pages`` with their main image and its renditions ``specs`` in two more queries."""
    return pages.prefetch_related(Prefetch("image", queryset=_images(*specs)))


def _public(model, root: Page | None, private: Q | None = None) -> QuerySet:
    """Live pages of ``model`` (below ``root``) outside the private sections; ``private`` is
    ``private_q()`` when the caller has it already (it costs a query each time)."""
    pages = model.objects.live()
    pages = pages.public() if private is None else pages.exclude(private)
    if root is not None:
        pages = pages.descendant_of(root)
    return pages


# Lists ---------------------------------------------------------------------------------------


def paged(pages: QuerySet, number, *, per_page: int = PER_PAGE) -> PaginatorPage:
    """One page of ``pages``; a page number that is not one gives the first or the last."""
    return Paginator(pages, per_page).get_page(number)


def _children(model, index: Page) -> QuerySet:
    """``index``'s live, public children of the dated page ``model``, newest first. The
    listing columns let the database walk the listing index in this order (fast for the first
    items, e.g. a feed); the tree conditions keep the result exact."""
    return (
        model.objects.filter(list_parent=index, list_live=True)
        .child_of(index)
        .live()
        .public()
        .order_by("-date", "-pk")
    )


def news_list(index: Page) -> QuerySet[NewsPage]:
    return _with_image(_children(NewsPage, index), THUMBNAIL)


def announcement_list(index: Page) -> QuerySet[AnnouncementPage]:
    return _with_image(_children(AnnouncementPage, index), THUMBNAIL)


def event_list(index: Page) -> QuerySet[EventPage]:
    """The index's events, the latest announced first."""
    return _with_image(_children(EventPage, index), THUMBNAIL)


def _restricted_around(index: Page) -> bool:
    """Whether a view restriction (password, login, groups) is set on ``index``, above it or
    below it: then its list is read by the exact, slower query, as Wagtail's ``public()``
    decides it."""
    restricted = list(PageViewRestriction.objects.values_list("page_id", flat=True))
    if not restricted:  # as on most sites: one query of an empty table
        return False
    steps = range(index.steplen, len(index.path) + 1, index.steplen)
    ancestors = [index.path[:length] for length in steps]
    return (
        Page.objects.filter(pk__in=restricted)
        .filter(Q(path__in=ancestors) | Q(path__startswith=index.path))
        .exists()
    )


def listed_page(
    index: Page, model, number, *, per_page: int = PER_PAGE, spec: str = THUMBNAIL
) -> PaginatorPage:
    """One page of ``index``'s list of ``model`` (news, announcements or events), newest first,
    each item with its ``picture``; a page number that is not one gives the first or the last.

    Five queries whatever the page: the view restrictions, the count and the page's ids from the
    listing index alone, the page's rows by id (re-checked live), their pictures.
    """
    fields = _entry_fields(model)
    if _restricted_around(index):
        pages = _children(model, index).only(*fields)
        page = paged(pages, number, per_page=per_page)
        page.object_list = with_pictures(page.object_list, spec)
        return page
    ids = (
        model.objects.filter(list_parent=index, list_live=True)
        .order_by("-date", "-pk")
        .values_list("pk", flat=True)
    )
    page = paged(ids, number, per_page=per_page)
    wanted = list(page.object_list)
    rows = model.objects.filter(pk__in=wanted).live().only(*fields) if wanted else []
    found = {row.pk: row for row in rows}
    page.object_list = with_pictures((found[pk] for pk in wanted if pk in found), spec)
    return page


def _upcoming(events: QuerySet, now: dt.datetime | None) -> QuerySet[EventPage]:
    now = now or timezone.now()
    return events.filter(Q(start__gte=now) | Q(end__gte=now)).order_by("start", "pk")


def upcoming_events_of(index: Page, *, now: dt.datetime | None = None) -> list[EventPage]:
    """The index's events that have not ended yet, soonest first."""
    events = EventPage.objects.filter(list_parent=index, list_live=True).child_of(index)
    return list(_upcoming(events.live().public(), now).only(*EVENT_FIELDS))


def album_list(index: Page) -> QuerySet[AlbumPage]:
    """The gallery's albums, newest first, each with its first photo as the cover."""
    covers = AlbumPhoto.objects.order_by("sort_order", "pk").prefetch_related(
        Prefetch("image", queryset=_images(THUMBNAIL))
    )
    return (
        AlbumPage.objects.child_of(index)
        .live()
        .public()
        .order_by("-date", "-pk")
        .prefetch_related(Prefetch("photos", queryset=covers))
    )


def video_list(index: Page) -> QuerySet[VideoPage]:
    return VideoPage.objects.child_of(index).live().public().order_by("-date", "-pk")


def album_photos(album: AlbumPage) -> list[AlbumPhoto]:
    """The album's photos in their order, with thumbnails and large renditions (two queries
    after the first visit has made the renditions)."""
    return list(
        AlbumPhoto.objects.filter(album=album)
        .order_by("sort_order", "pk")
        .prefetch_related(Prefetch("image", queryset=_images(THUMBNAIL, LARGE)))
    )


# The home page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeBlocks:
    top_news: list[NewsPage]
    news: list[NewsPage]
    announcements: list[AnnouncementPage]
    events: list[EventPage]
    # The lists the blocks' «all …» links lead to (the first item's list).
    news_index: Page | None = None
    announcements_index: Page | None = None
    events_index: Page | None = None
    # The live, public sections under the home page, in the tree's order.
    sections: list = ()


def top_news(
    root: Page | None = None, *, limit: int = HOME_TOP_NEWS, private: Q | None = None
) -> list[NewsPage]:
    """The «top news» for the home page's slider, newest first, each with its ``picture``."""
    return with_pictures(_top_news(root, limit, private), SLIDE)


def _top_news(root: Page | None, limit: int, private: Q | None) -> QuerySet[NewsPage]:
    pages = _public(NewsPage, root, private).filter(is_top=True).order_by("-date", "-pk")
    return pages.only(*ENTRY_FIELDS)[:limit]


def _latest(model, root: Page | None, limit: int, private: Q | None) -> QuerySet:
    """The newest ``limit`` of ``model``, each with its list (``list_parent``: title and
    address) read in the same query."""
    pages = _public(model, root, private).order_by("-date", "-pk").select_related("list_parent")
    return pages.only(*ENTRY_FIELDS, "list_parent__title", "list_parent__url_path")[:limit]


def latest_news(
    root: Page | None = None, *, limit: int = HOME_NEWS, private: Q | None = None
) -> list[NewsPage]:
    return with_pictures(_latest(NewsPage, root, limit, private), THUMBNAIL)


def latest_announcements(
    root: Page | None = None, *, limit: int = HOME_ANNOUNCEMENTS, private: Q | None = None
) -> list[AnnouncementPage]:
    return list(_latest(AnnouncementPage, root, limit, private))


def upcoming_events(
    root: Page | None = None,
    *,
    now: dt.datetime | None = None,
    limit: int = HOME_EVENTS,
    private: Q | None = None,
) -> list[EventPage]:
    """Events of the site that have not ended yet, soonest first."""
    events = _upcoming(_public(EventPage, root, private), now).select_related("list_parent")
    return list(events.only(*EVENT_FIELDS, "list_parent__title", "list_parent__url_path")[:limit])


def _list_of(block: list) -> Page | None:
    """The list (parent page) of the block's first item, read with it."""
    if not block:
        return None
    first = block[0]
    return first.list_parent if first.list_parent_id else first.get_parent()


def sections_of(parent: Page, *, private: Q | None = None) -> list:
    """The live, public sections directly under ``parent``, in the tree's order. (The exact
    type lets the database start from the page type's index rather than from all of
    ``parent``'s descendants — 50,000 news under the home page.)"""
    from .models import SectionPage

    pages = SectionPage.objects.child_of(parent).exact_type(SectionPage).live()
    pages = pages.public() if private is None else pages.exclude(private)
    return list(pages.order_by("path").only("title", "url_path", "path", "depth", "intro"))


def home_blocks(root: Page, *, now: dt.datetime | None = None) -> HomeBlocks:
    """What the home page lists from the pages below ``root`` (the site's root page): the
    view restrictions read once for all blocks, each list's parent read with its items, the
    pictures of the slider and of the news in one query."""
    private = Page.objects.all().private_q()
    lists = with_pictures_of(
        {
            SLIDE: _top_news(root, HOME_TOP_NEWS, private),
            THUMBNAIL: _latest(NewsPage, root, HOME_NEWS, private),
        }
    )
    news = lists[THUMBNAIL]
    announcements = latest_announcements(root, private=private)
    events = upcoming_events(root, now=now, private=private)
    return HomeBlocks(
        top_news=lists[SLIDE],
        news=news,
        announcements=announcements,
        events=events,
        news_index=_list_of(news),
        announcements_index=_list_of(announcements),
        events_index=_list_of(events),
        sections=sections_of(root, private=private),
    )


# Units and banners ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitCard:
    unit: StructuralUnit
    head: Employee | None


def unit_card(unit_id: int) -> UnitCard:
    """A structural unit's record and its head, in two queries."""
    unit = StructuralUnit.objects.get(pk=unit_id)
    head = Employee.objects.filter(unit_id=unit_id, is_head=True).first()
    return UnitCard(unit=unit, head=head)


def active_banners(*, today: dt.date | None = None) -> list[Banner]:
    """The banners shown today, in their order, each with its image's ``picture`` (two
    queries)."""
    today = today or timezone.localdate()
    banners = Banner.objects.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=today),
        Q(active_until__isnull=True) | Q(active_until__gte=today),
    ).order_by("sort_order", "pk")
    return with_pictures(banners, BANNER)


# Feeds -----------------------------------------------------------------------------------------


def feed_items(index: Page, *, limit: int) -> list[NewsPage | AnnouncementPage]:
    """The latest live public items of a news or announcements list for its RSS/Atom feed,
    newest first by date, with their units (one query)."""
    from .models import AnnouncementIndexPage, NewsIndexPage

    model = {NewsIndexPage: NewsPage, AnnouncementIndexPage: AnnouncementPage}[index.specific_class]
    pages = model.objects.child_of(index).live().public().select_related("unit")
    return list(pages.order_by("-date", "-pk")[:limit])


# The activity report ---------------------------------------------------------------------------

STAT_KEYS = ("news", "announcements", "events", "photos", "videos", "pages_updated")


def _period(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end] as moments in the site's time zone: from start's midnight to the midnight
    after end."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def period_stats(start: dt.date, end: dt.date) -> dict:
    """What the website contributes to the activity report for [start, end], in total and by
    top-level section of the site (``by_section``: the home page itself under ``""``, then
    each child of the home page under its slug, in the tree's order, those with nothing to
    count left out):

    - ``news``, ``announcements``, ``events``, ``videos``: pages first published in the period
      (still live or not: they were published then);
    - ``photos``: images uploaded in the period that the site shows as an album photo or as a
      news item's main image, each image once;
    - ``pages_updated``: pages of any kind last published in the period.

    Counts are grouped in the database by the section's tree path: nine queries whatever the
    volume."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    from .models import HomePage

    home = HomePage.objects.order_by("path").first()
    if home is None:
        return {**dict.fromkeys(STAT_KEYS, 0), "by_section": {}}
    length = len(home.path) + Page.steplen  # a top-level section's path
    start_at, end_at = _period(start, end)
    counts: dict[str, dict[str, int]] = {}

    def add(section_path: str, key: str, number: int) -> None:
        counts.setdefault(section_path, dict.fromkeys(STAT_KEYS, 0))[key] += number

    def grouped(pages: QuerySet, key: str) -> None:
        rows = (
            pages.filter(path__startswith=home.path)
            .annotate(section=Substr("path", 1, length))
            .values_list("section")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for section_path, number in rows:
            add(section_path, key, number)

    published = {"first_published_at__gte": start_at, "first_published_at__lt": end_at}
    grouped(NewsPage.objects.filter(**published), "news")
    grouped(AnnouncementPage.objects.filter(**published), "announcements")
    grouped(EventPage.objects.filter(**published), "events")
    grouped(VideoPage.objects.filter(**published), "videos")
    grouped(
        Page.objects.filter(last_published_at__gte=start_at, last_published_at__lt=end_at),
        "pages_updated",
    )

    # Photos: each image once, in the section where it is first shown.
    uploaded = {"image__created_at__gte": start_at, "image__created_at__lt": end_at}
    shown_in: dict[int, str] = {}
    news_images = (
        NewsPage.objects.filter(
            first_published_at__isnull=False, path__startswith=home.path, **uploaded
        )
        .order_by("path")
        .values_list("image_id", "path")
    )
    album_photos = (
        AlbumPhoto.objects.filter(
            album__first_published_at__isnull=False,
            album__path__startswith=home.path,
            **uploaded,
        )
        .order_by("album__path", "sort_order")
        .values_list("image_id", "album__path")
    )
    for image_id, path in [*news_images, *album_photos]:
        shown_in.setdefault(image_id, path[:length])
    for section_path in shown_in.values():
        add(section_path, "photos", 1)

    titles = {
        page.path: (page.slug, page.title)
        for page in Page.objects.child_of(home)
        .filter(path__in=counts)
        .only("path", "slug", "title")
    }
    titles[home.path] = ("", home.title)
    by_section = {}
    for section_path in sorted(counts):
        slug, title = titles[section_path]
        by_section[slug] = {"title": title, **counts[section_path]}
    totals = {key: sum(row[key] for row in by_section.values()) for key in STAT_KEYS}
    return {**totals, "by_section": by_section}


# The checklist of public information (art. 15(1) of the access to information law) ------------


@dataclass(frozen=True)
class TopicPage:
    """A section page that says it covers a topic, with its state: ``live`` (shown to
    everyone), ``private`` (live behind a restriction), ``draft`` (never published),
    ``unpublished`` or ``expired``; ``stale`` when live and not updated for too long."""

    page: Page
    state: str
    stale: bool

    @property
    def covers(self) -> bool:
        return self.state == "live"


@dataclass(frozen=True)
class TopicStatus:
    code: str
    label: str
    pages: list[TopicPage]

    @property
    def live_pages(self) -> list[TopicPage]:
        return [item for item in self.pages if item.covers]

    @property
    def other_pages(self) -> list[TopicPage]:
        return [item for item in self.pages if not item.covers]

    @property
    def missing(self) -> bool:
        """No page shows the topic to the public."""
        return not self.live_pages

    @property
    def stale(self) -> bool:
        """Shown, but every page showing it is out of date."""
        return bool(self.live_pages) and all(item.stale for item in self.live_pages)

    @property
    def last_update(self) -> dt.datetime | None:
        dates = [item.page.last_published_at for item in self.live_pages]
        return max(filter(None, dates), default=None)


def stale_after_days() -> int:
    """Days without an update after which a page of public information is stale
    (``PUBLIC_INFO_STALE_DAYS``, a year by default)."""
    from django.conf import settings

    return int(getattr(settings, "PUBLIC_INFO_STALE_DAYS", 365))


def public_info_checklist(
    *, now: dt.datetime | None = None, stale_days: int | None = None
) -> list[TopicStatus]:
    """Every topic of art. 15(1) (``PUBLIC_INFO_TOPICS``) with the section pages that say they
    cover it, in the tree's order (two queries): a topic is *missing* without a live public
    page, *stale* when its live pages were all last published more than ``stale_days`` ago."""
    from .models import PUBLIC_INFO_TOPICS, SectionPage

    now = now or timezone.now()
    stale_days = stale_after_days() if stale_days is None else stale_days
    fresh_since = now - dt.timedelta(days=stale_days)
    pages = list(
        SectionPage.objects.exclude(public_info_topic="")
        .order_by("path")
        .only(
            "title",
            "path",
            "depth",
            "url_path",
            "live",
            "expired",
            "first_published_at",
            "last_published_at",
            "public_info_topic",
        )
    )
    public = set(
        SectionPage.objects.filter(pk__in=[page.pk for page in pages])
        .live()
        .public()
        .values_list("pk", flat=True)
    )

    def state(page) -> str:
        if page.live:
            return "live" if page.pk in public else "private"
        if page.expired:
            return "expired"
        return "unpublished" if page.first_published_at else "draft"

    by_topic: dict[str, list[TopicPage]] = {}
    for page in pages:
        page_state = state(page)
        stale = page_state == "live" and (
            page.last_published_at is None or page.last_published_at < fresh_since
        )
        by_topic.setdefault(page.public_info_topic, []).append(
            TopicPage(page=page, state=page_state, stale=stale)
        )
    return [
        TopicStatus(code=code, label=str(label), pages=by_topic.get(code, []))
        for code, label in PUBLIC_INFO_TOPICS
    ]
