"""Pages of the community's website: the home page, free sections and subsections, news,
announcements, events, photo albums, videos, structural unit pages, the contacts page; and the
banners shown on every page. Pages present; records (acts, votes, datasets) live in their apps.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ratusha.core.rich_text import SanitisedRichTextMixin

from .blocks import ContentBlock
from .forms import TransliteratedSlugPageForm

# What art. 15(1) of the law on access to public information requires a council's site to
# hold; a section page says which of these it covers, and the staff checklist shows the gaps.
PUBLIC_INFO_TOPICS = [
    ("structure", _("structure and location")),
    ("functions", _("functions, powers and tasks")),
    ("acts", _("legal acts and drafts")),
    ("finances", _("budget and financial resources")),
    ("requests", _("how to file an information request")),
    ("records", _("system of records of documents")),
    ("participation", _("how the public takes part")),
    ("services", _("services and how to get them")),
    ("contacts", _("contacts, hours of reception")),
    ("vacancies", _("vacancies and competitions")),
    ("procurement", _("public procurement")),
]


class HomePage(SanitisedRichTextMixin, Page):
    """The root of the community's site: slider of top news, latest news, announcements,
    upcoming events, latest acts, banners."""

    base_form_class = TransliteratedSlugPageForm

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "portal.SectionPage",
        "portal.NewsIndexPage",
        "portal.AnnouncementIndexPage",
        "portal.EventIndexPage",
        "portal.GalleryIndexPage",
        "portal.VideoIndexPage",
        "portal.ContactPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from . import extensions, selectors

        context = super().get_context(request, *args, **kwargs)
        context["blocks"] = selectors.home_blocks(self)
        context["home_sections"] = extensions.home_sections(request)
        return context


class SectionPage(SanitisedRichTextMixin, Page):
    """A section or subsection of the site (free structure; the menu is built from the tree)."""

    base_form_class = TransliteratedSlugPageForm

    intro = models.CharField(_("summary"), max_length=500, blank=True)
    content = StreamField(ContentBlock(), verbose_name=_("content"), blank=True)
    public_info_topic = models.CharField(
        _("public information topic"),
        max_length=32,
        choices=PUBLIC_INFO_TOPICS,
        blank=True,
        help_text=_("Which item of art. 15(1) of the access to information law this page covers."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("content")]
    promote_panels = [*Page.promote_panels, FieldPanel("public_info_topic")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("content"),
    ]

    # A unit's page and the contacts page hold sections too (the unit's documents, the phone
    # directory).
    parent_page_types = [
        "portal.HomePage",
        "portal.SectionPage",
        "portal.UnitPage",
        "portal.ContactPage",
    ]
    subpage_types = [
        "portal.SectionPage",
        "portal.UnitPage",
        "portal.NewsIndexPage",
        "portal.AnnouncementIndexPage",
        "portal.EventIndexPage",
        "portal.GalleryIndexPage",
        "portal.VideoIndexPage",
        "portal.ContactPage",
    ]

    class Meta:
        verbose_name = _("section page")
        verbose_name_plural = _("section pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subsections"] = self.get_children().live().public().specific().order_by("path")
        return context


# News, announcements, events -------------------------------------------------------------


class _DatedPage(SanitisedRichTextMixin, Page):
    """A page with its own date (the date the news is about), a summary and a main image."""

    base_form_class = TransliteratedSlugPageForm

    date = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    intro = models.CharField(_("summary"), max_length=500, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("text alternative of the image"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    content = StreamField(ContentBlock(), verbose_name=_("content"), blank=True)
    unit = models.ForeignKey(
        "core.StructuralUnit",
        verbose_name=_("structural unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where the page is listed and whether it is live, next to its date, so that a list of
    # 50,000 news is read in its order from one index (``selectors.listed_page``; docs/adr/
    # 0003-portal-listing-columns.md). Derived from the tree, never edited: set on every save
    # and kept by the signals of unpublishing and moving (``listing.py``).
    list_parent = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("listed in"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the listing index below starts with it
    )
    list_live = models.BooleanField(_("listed as live"), default=False, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("image")),
        FieldPanel("content"),
        FieldPanel("unit"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("content"),
        index.FilterField("date"),
    ]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from .listing import set_list_fields

        update_fields = kwargs.get("update_fields")
        if update_fields is None or "live" in update_fields:
            set_list_fields(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "list_parent", "list_live"}
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.image_id and not (self.image_alt or "").strip():
            raise ValidationError({"image_alt": _("Describe the image for screen readers.")})


class _WithFeeds(RoutablePageMixin):
    """A list with RSS 2.0 and Atom feeds of its latest items: ``feed/rss/``, ``feed/atom/``
    under the list's address (``portal.feeds``)."""

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        from .feeds import ListFeed

        return ListFeed(self)(request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        from .feeds import ListFeed

        return ListFeed(self, atom=True)(request)


class NewsIndexPage(_WithFeeds, Page):
    """The list of news (and their RSS/Atom feeds)."""

    base_form_class = TransliteratedSlugPageForm

    intro = models.CharField(_("summary"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage", "portal.SectionPage"]
    subpage_types = ["portal.NewsPage"]

    class Meta:
        verbose_name = _("news list")
        verbose_name_plural = _("news lists")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["items"] = selectors.listed_page(self, NewsPage, request.GET.get("page"))
        return context


class NewsPage(_DatedPage):
    is_top = models.BooleanField(
        _("top news"), default=False, help_text=_("Shown in the slider on the home page.")
    )

    content_panels = [*_DatedPage.content_panels, FieldPanel("is_top")]
    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [
            models.Index(fields=["date"], name="news_date_idx"),
            models.Index(
                fields=["list_parent", "-date", "-page_ptr", "list_live"],
                name="news_list_idx",
                condition=models.Q(list_live=True),
            ),
            models.Index(fields=["-date"], name="news_top_idx", condition=models.Q(is_top=True)),
        ]


class AnnouncementIndexPage(_WithFeeds, Page):
    """The list of announcements (and their RSS/Atom feeds)."""

    base_form_class = TransliteratedSlugPageForm

    intro = models.CharField(_("summary"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage", "portal.SectionPage"]
    subpage_types = ["portal.AnnouncementPage"]

    class Meta:
        verbose_name = _("announcements list")
        verbose_name_plural = _("announcements lists")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["items"] = selectors.listed_page(self, AnnouncementPage, request.GET.get("page"))
        return context


class AnnouncementPage(_DatedPage):
    parent_page_types = ["portal.AnnouncementIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [
            models.Index(
                fields=["list_parent", "-date", "-page_ptr", "list_live"],
                name="announcement_list_idx",
                condition=models.Q(list_live=True),
            )
        ]


class EventIndexPage(Page):
    base_form_class = TransliteratedSlugPageForm

    intro = models.CharField(_("summary"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage", "portal.SectionPage"]
    subpage_types = ["portal.EventPage"]

    class Meta:
        verbose_name = _("events list")
        verbose_name_plural = _("events lists")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["upcoming"] = selectors.upcoming_events_of(self)
        context["items"] = selectors.listed_page(self, EventPage, request.GET.get("page"))
        return context


class EventPage(_DatedPage):
    """An event announcement: when and where (``date`` is when it was announced)."""

    start = models.DateTimeField(_("starts"), db_index=True)
    end = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=500)

    content_panels = [
        *Page.content_panels,
        FieldPanel("start"),
        FieldPanel("end"),
        FieldPanel("place"),
        *_DatedPage.content_panels[len(Page.content_panels) :],
    ]
    parent_page_types = ["portal.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(
                fields=["list_parent", "-date", "-page_ptr", "list_live"],
                name="event_list_idx",
                condition=models.Q(list_live=True),
            )
        ]

    def clean(self):
        super().clean()
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("The event cannot end before it starts.")})

    def serve(self, request, *args, **kwargs):
        """The page, or with ``?format=ics`` the event as an iCalendar file."""
        if request.GET.get("format") == "ics":
            from .ical import event_ics_response

            return event_ics_response(request, self)
        return super().serve(request, *args, **kwargs)


# Galleries -------------------------------------------------------------------------------


class GalleryIndexPage(Page):
    base_form_class = TransliteratedSlugPageForm

    intro = models.CharField(_("summary"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage", "portal.SectionPage"]
    subpage_types = ["portal.AlbumPage"]

    class Meta:
        verbose_name = _("photo gallery")
        verbose_name_plural = _("photo galleries")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["items"] = selectors.paged(selectors.album_list(self), request.GET.get("page"))
        return context


class AlbumPage(Page):
    """A photo album: many photos, each with its text alternative."""

    base_form_class = TransliteratedSlugPageForm

    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    intro = models.CharField(_("summary"), max_length=500, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        InlinePanel("photos", label=_("photos")),
    ]
    parent_page_types = ["portal.GalleryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("photo album")
        verbose_name_plural = _("photo albums")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["photos"] = selectors.album_photos(self)
        return context


class AlbumPhoto(Orderable):
    album = ParentalKey(AlbumPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    alt = models.CharField(
        _("text alternative"),
        max_length=255,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class VideoIndexPage(Page):
    base_form_class = TransliteratedSlugPageForm

    intro = models.CharField(_("summary"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage", "portal.SectionPage"]
    subpage_types = ["portal.VideoPage"]

    class Meta:
        verbose_name = _("video gallery")
        verbose_name_plural = _("video galleries")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["items"] = selectors.paged(selectors.video_list(self), request.GET.get("page"))
        return context


class VideoPage(SanitisedRichTextMixin, Page):
    base_form_class = TransliteratedSlugPageForm

    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    video_url = models.URLField(
        _("video address"), help_text=_("A YouTube, Vimeo or Facebook video page.")
    )
    description = RichTextField(
        _("text description"), help_text=_("What the video shows and says.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("video_url"),
        FieldPanel("description"),
    ]
    parent_page_types = ["portal.VideoIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")


# Units and contacts ------------------------------------------------------------------------


class UnitPage(SanitisedRichTextMixin, Page):
    """A structural unit's page: head, contacts and functions come from the unit's record in
    ``core``; the page adds text and documents."""

    base_form_class = TransliteratedSlugPageForm

    unit = models.OneToOneField(
        "core.StructuralUnit",
        verbose_name=_("structural unit"),
        on_delete=models.PROTECT,
        related_name="page",
    )
    content = StreamField(ContentBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("unit"), FieldPanel("content")]
    search_fields = [*Page.search_fields, index.SearchField("content")]
    parent_page_types = ["portal.SectionPage"]
    subpage_types = ["portal.SectionPage"]

    class Meta:
        verbose_name = _("structural unit page")
        verbose_name_plural = _("structural unit pages")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["card"] = selectors.unit_card(self.unit_id)
        return context


class ContactPage(SanitisedRichTextMixin, Page):
    """Contacts of the council (from the hromada's settings) with a map link."""

    base_form_class = TransliteratedSlugPageForm

    map_url = models.URLField(_("link to the map"), blank=True)
    content = StreamField(ContentBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("map_url"), FieldPanel("content")]
    parent_page_types = ["portal.HomePage", "portal.SectionPage"]
    subpage_types = ["portal.SectionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("contacts page")
        verbose_name_plural = _("contacts pages")

    def get_context(self, request, *args, **kwargs):
        from ratusha.core.models import HromadaSettings

        context = super().get_context(request, *args, **kwargs)
        context["contacts"] = HromadaSettings.for_request(request)
        return context


# Banners -------------------------------------------------------------------------------------


class Banner(models.Model):
    """A banner shown on every page (by default links to the President, the Verkhovna Rada,
    the Government portal and the like)."""

    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("link"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    alt = models.CharField(
        _("text alternative"),
        max_length=255,
        help_text=_("Where the banner leads, as a screen reader should say it."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active_from = models.DateField(_("shown from"), null=True, blank=True)
    active_until = models.DateField(_("shown until"), null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("url"),
        FieldPanel("image"),
        FieldPanel("alt"),
        FieldPanel("sort_order"),
        FieldPanel("active_from"),
        FieldPanel("active_until"),
    ]

    class Meta:
        verbose_name = _("banner")
        verbose_name_plural = _("banners")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.title


class DocumentDigest(models.Model):
    """The SHA-256 of a Wagtail document's file, shown next to every link to it on the public
    pages (Wagtail keeps only a SHA-1, ``file_hash``). Computed when the document is saved with
    a new file (``portal.documents``), so a visitor can check the file they downloaded."""

    document = models.OneToOneField(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="digest",
    )
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("document checksum")
        verbose_name_plural = _("document checksums")

    def __str__(self) -> str:
        return f"{self.file_name}: {self.sha256}"
