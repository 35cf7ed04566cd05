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
    return pictures_by_spec({spec: image_ids})[spec]


def pictures_by_spec(wanted_by_spec: dict[str, Iterable[int | None]]) -> dict[str, dict]:
    """``{spec: {image id: Picture}}``: the renditions of several filter specs (each of its own
    images), in one query for all of them."""
    wanted = {
        spec: {image_id for image_id in image_ids if image_id}
        for spec, image_ids in wanted_by_spec.items()
    }
    found: dict[str, dict[int, Picture]] = {spec: {} for spec in wanted}
    wanted = {spec: ids for spec, ids in wanted.items() if ids}
    if not wanted:
        return found
    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    fields = sorted({field for spec in wanted for field in _vary_fields(spec)})
    rows = rendition_model.objects.filter(
        image_id__in=set().union(*wanted.values()), filter_spec__in=wanted
    ).values_list(
        "filter_spec",
        "image_id",
        "focal_point_key",
        "file",
        "width",
        "height",
        *(f"image__{f}" for f in fields),
    )
    storage = rendition_model._meta.get_field("file").storage
    for spec, image_id, key, name, width, height, *values in rows:
        if image_id not in wanted[spec]:
            continue
        vary = dict(zip(fields, values, strict=True))
        if key == _focal_point_key(vary[field] for field in _vary_fields(spec)):
            found[spec][image_id] = Picture(storage.url(name), width, height)
    for spec, ids in wanted.items():
        missing = ids - found[spec].keys()
        if missing:
            from wagtail.images.shortcuts import get_rendition_or_not_found

            for image in image_model.objects.filter(pk__in=missing):
                rendition = get_rendition_or_not_found(image, spec)
                found[spec][image.pk] = Picture(rendition.url, rendition.width, rendition.height)
    return found


def with_pictures(items: Iterable, spec: str, *, image_field: str = "image_id") -> list:
    """``items`` as a list, each given ``picture``: its image's rendition ``spec`` as a
    ``Picture``, or ``None`` when it has no image."""
    return with_pictures_of({spec: items}, image_field=image_field)[spec]


def with_pictures_of(items_by_spec: dict[str, Iterable], *, image_field: str = "image_id") -> dict:
    """``with_pictures`` for several lists, each of its own spec, in one query:
    ``{spec: items}`` → ``{spec: list of items}``."""
    lists = {spec: list(items) for spec, items in items_by_spec.items()}
    found = pictures_by_spec(
        {spec: [getattr(item, image_field) for item in items] for spec, items in lists.items()}
    )
    for spec, items in lists.items():
        for item in items:
            item.picture = found[spec].get(getattr(item, image_field))
    return lists
