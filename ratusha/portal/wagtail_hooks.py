"""The portal in the admin: banners (a snippet), and the editorial hooks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Banner


class BannerViewSet(SnippetViewSet):
    model = Banner
    icon = "image"
    menu_label = _("Banners")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "url", "sort_order", "active_from", "active_until"]


register_snippet(BannerViewSet)


# The accessibility checker in the editor (content_checks.py) ---------------------------------

from wagtail import hooks  # noqa: E402

from .content_checks import use_content_checker  # noqa: E402

hooks.register("construct_wagtail_userbar", use_content_checker)


# Photos of an album, many at once -------------------------------------------------------------

from wagtail import hooks  # noqa: E402


@hooks.register("register_admin_urls")
def register_album_photos_urls():
    from django.urls import include, path

    from . import admin_photos

    return [
        path(
            "portal/albums/photos/",
            include((admin_photos.urlpatterns, "portal_album_photos")),
        )
    ]


@hooks.register("register_page_header_buttons")
def album_photos_header_button(page, user, view_name, next_url=None):
    from django.urls import reverse
    from wagtail.admin.widgets import Button

    from .models import AlbumPage

    if (
        issubclass(page.specific_class or type(page), AlbumPage)
        and user.has_perm("wagtailimages.add_image")
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Add photos to the album"),
            reverse("portal_album_photos:add", args=[page.pk]),
            icon_name="image",
            priority=16,
        )


# The checklist of public information (art. 15(1)) ----------------------------------------------

from wagtail.admin.menu import MenuItem  # noqa: E402


class _ChecklistMenuItem(MenuItem):
    def is_shown(self, request):
        from .admin_views import may_see_checklist

        return may_see_checklist(request.user)


@hooks.register("register_admin_urls")
def register_public_info_urls():
    from django.urls import path

    from .admin_views import PublicInfoChecklistView

    return [
        path(
            "portal/public-information/",
            PublicInfoChecklistView.as_view(),
            name="portal_public_info",
        )
    ]


@hooks.register("register_admin_menu_item")
def public_info_menu_item():
    from django.urls import reverse

    return _ChecklistMenuItem(
        _("Public information"),
        reverse("portal_public_info"),
        icon_name="list-ul",
        order=310,
    )


@hooks.register("construct_homepage_panels")
def public_info_panel(request, panels):
    from .admin_views import PublicInfoPanel, may_see_checklist

    if may_see_checklist(request.user):
        panels.append(PublicInfoPanel())


@hooks.register("register_rich_text_features", order=100)
def document_links_with_digest(features):
    """Document links in rich text carry the file's SHA-256 (``portal.documents``); after
    Wagtail's own registration, which this replaces."""
    from .documents import DigestDocumentLinkHandler

    features.register_link_type(DigestDocumentLinkHandler)
