"""«Add photos to the album»: many photos at once into a photo album, from the admin.

Each file is checked by its content (Pillow must read it as JPEG, PNG, GIF or WebP; at most
20 MB), becomes a Wagtail image in the album's collection (the collection of its photos, or a
new one named after the album) and a photo of the album with the text alternative «<common
description> (N)», which the editor refines afterwards in the page editor. All files or none:
a refused file names itself and nothing is saved.

The photos are added to the album's latest revision (so the page editor shows them and a later
publication keeps them); an album that is live without unpublished changes is published again
at once, a draft waits for its editor. Wired into the admin by ``wagtail_hooks`` as
``/admin/portal/albums/<pk>/photos/`` (name ``portal_album_photos``).
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.images import ImageFile
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView
from PIL import Image as PillowImage
from PIL import UnidentifiedImageError
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.images import get_image_model
from wagtail.models import Collection

from .models import AlbumPage, AlbumPhoto

MAX_PHOTO_SIZE = 20 * 1024 * 1024
MAX_FILES = 200
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def _file_name(upload) -> str:
    return re.split(r"[\\/]", upload.name or "")[-1] or "?"


def check_photo(upload) -> str | None:
    """Why ``upload`` cannot be a photo (a message naming the file), or ``None``."""
    name = _file_name(upload)
    if upload.size > MAX_PHOTO_SIZE:
        return _("«%(name)s» is larger than %(limit)s.") % {
            "name": name,
            "limit": filesizeformat(MAX_PHOTO_SIZE),
        }
    try:
        upload.seek(0)
        with PillowImage.open(upload) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        found = None
    finally:
        upload.seek(0)
    if found not in IMAGE_FORMATS:
        return _("«%(name)s» is not a photo: only JPEG, PNG, GIF and WebP images are accepted.") % {
            "name": name
        }
    return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("At most %(count)s files at a time.") % {"count": MAX_FILES}
            )
        cleaned = [super(MultiplePhotoField, self).clean(file, initial) for file in files]
        errors = [message for file in cleaned if (message := check_photo(file))]
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class AddPhotosForm(forms.Form):
    photos = MultiplePhotoField(
        label=gettext_lazy("Photos"),
        help_text=gettext_lazy("JPEG, PNG, GIF or WebP, at most 20 MB each; choose many at once."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    description = forms.CharField(
        label=gettext_lazy("Common description"),
        max_length=200,
        help_text=gettext_lazy(
            "What the photos show, for people who cannot see them. Each photo's text "
            "alternative becomes this description with its number; refine them afterwards."
        ),
    )


def album_collection(album: AlbumPage) -> Collection:
    """The collection of the album's photos, or a new one named after the album."""
    first = album.photos.select_related("image__collection").order_by("sort_order", "pk").first()
    if first is not None:
        return first.image.collection
    return Collection.get_first_root_node().add_child(
        instance=Collection(name=f"{album.title} ({album.pk})"[:255])
    )


@transaction.atomic
def add_photos(*, user, album: AlbumPage, files, description: str) -> list[AlbumPhoto]:
    """Images and album photos for ``files`` (already checked), in the album's latest revision,
    published at once when the album is live without unpublished changes."""
    collection = album_collection(album)
    draft = album.get_latest_revision_as_object()
    start = len(draft.photos.all())
    added = []
    for number, upload in enumerate(files, start=start + 1):
        image = get_image_model()(
            title=f"{album.title} — {number}"[:255],
            file=ImageFile(upload, name=_file_name(upload)),
            collection=collection,
            uploaded_by_user=user,
        )
        image.save()
        photo = AlbumPhoto(image=image, alt=f"{description} ({number})"[:255], sort_order=number)
        draft.photos.add(photo)
        added.append(photo)
    publish = album.live and not album.has_unpublished_changes
    revision = draft.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return added


class AddPhotosView(WagtailAdminTemplateMixin, FormView):
    template_name = "portal/admin/add_photos.html"
    form_class = AddPhotosForm
    header_icon = "image"
    page_title = gettext_lazy("Add photos to the album")

    def dispatch(self, request, *args, **kwargs):
        try:
            self.album = AlbumPage.objects.get(pk=kwargs["pk"])
        except AlbumPage.DoesNotExist as exc:
            raise Http404 from exc
        if not (
            request.user.has_perm("wagtailimages.add_image")
            and self.album.permissions_for_user(request.user).can_edit()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.album.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.album.pk]),
                "label": str(self.album.title),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["album"] = self.album
        return context

    def form_valid(self, form):
        added = add_photos(
            user=self.request.user,
            album=self.album,
            files=form.cleaned_data["photos"],
            description=form.cleaned_data["description"],
        )
        messages.success(
            self.request,
            ngettext(
                "%(count)s photo added to «%(album)s». Check its text alternative.",
                "%(count)s photos added to «%(album)s». Check their text alternatives.",
                len(added),
            )
            % {"count": len(added), "album": self.album.title},
        )
        return redirect("wagtailadmin_pages:edit", self.album.pk)


urlpatterns = [
    path("<int:pk>/", AddPhotosView.as_view(), name="add"),
]
