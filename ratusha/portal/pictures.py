"""Pictures of lists (thumbnails, slides, banners) read as plain data: each image's rendition
for one filter spec, for all the list's images in one query.

Wagtail's ``{% image %}`` tag builds the filter, finds the rendition and writes it to the cache
for every picture it shows — about a quarter of a millisecond each, and a list page shows a dozen
thumbnails besides the dozen banners every page has. The lists instead read the renditions they
need at once (``pictures``) and give each item its address and size (``Picture``); a rendition
not made yet is made through Wagtail, once. Which rendition belongs to an image is decided as
Wagtail decides it: by the filter spec and the key of the image's focal point."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from wagtail.images import get_image_model


@dataclass(frozen=True)
class Picture:
    url: str
    width: int
    height: int


@cache
def _vary_fields(spec: str) -> tuple[str, ...]:
    """The image fields the rendition of ``spec`` depends on (the focal point for ``fill``)."""
    from wagtail.images.models import Filter

    return tuple(
        field
        for operation in Filter(spec=spec).operations
        for field in getattr(operation, "vary_fields", ())
    )


def _focal_point_key(values: Iterable) -> str:
    """``wagtail.images.models.Filter.get_cache_key`` for these values of the vary fields."""
    vary = "-".join(str(value) for value in values)
    if not vary:
        return ""
    return hashlib.sha1(vary.encode("utf-8")).hexdigest()[:8]  # noqa: S324 - as Wagtail does


def pictures(image_ids: Iterable[int | None], spec: str) -> dict[int, Picture]:
    """``{image id: Picture}`` of the renditions ``spec`` of these images, in one query (plus,
    for images whose rendition was never made, a query and Wagtail's making of it)."""
    wanted = {image_id for image_id in image_ids if image_id}
    if not wanted:
        return {}
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    fields = _vary_fields(spec)
    rows = rendition_model.objects.filter(image_id__in=wanted, filter_spec=spec).values_list(
        "image_id", "focal_point_key", "file", "width", "height", *(f"image__{f}" for f in fields)
    )
    storage = rendition_model._meta.get_field("file").storage
    found: dict[int, Picture] = {}
    for image_id, key, name, width, height, *vary in rows:
        if key == _focal_point_key(vary):
            found[image_id] = Picture(storage.url(name), width, height)
    missing = wanted - found.keys()
    if missing:
        from wagtail.images.shortcuts import get_rendition_or_not_found

        for image in image_model.objects.filter(pk__in=missing):
            rendition = get_rendition_or_not_found(image, spec)
            found[image.pk] = Picture(rendition.url, rendition.width, rendition.height)
    return found


def with_pictures(items: Iterable, spec: str, *, image_field: str = "image_id") -> list:
    """``items`` as a list, each given ``picture``: its image's rendition ``spec`` as a
    ``Picture``, or ``None`` when it has no image."""
    items = list(items)
    found = pictures((getattr(item, image_field) for item in items), spec)
    for item in items:
        item.picture = found.get(getattr(item, image_field))
    return items
