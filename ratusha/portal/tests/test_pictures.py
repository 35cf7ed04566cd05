"""Pictures of lists (``portal/pictures.py``): the renditions Wagtail makes, read for a whole
list in one query, the one of the image's current focal point, made once when missing; and
the lists, the slider and the banners draw them."""

from __future__ import annotations

import io

import pytest
from django.core.cache import caches
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from ratusha.portal.models import Banner, HomePage, NewsIndexPage, NewsPage
from ratusha.portal.pictures import Picture, pictures, pictures_by_spec
from ratusha.portal.selectors import SLIDE, THUMBNAIL


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_renditions_cache():
    """Wagtail keeps renditions in a per-process cache (settings.CACHES["renditions"]); a
    test's database is rolled back, so one test's renditions must not be found by the next."""
    caches["renditions"].clear()
    yield
    caches["renditions"].clear()


def _image(name="foto.png", size=(640, 480)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, "#ffd500").save(buffer, "PNG")
    return get_image_model().objects.create(
        title=name, file=ImageFile(io.BytesIO(buffer.getvalue()), name=name)
    )


def _picture_of(rendition) -> Picture:
    return Picture(rendition.url, rendition.width, rendition.height)


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_pictures_are_wagtails_renditions_read_in_one_query(db, django_assert_num_queries):
    images = [_image(f"foto-{n}.png") for n in range(3)]
    made = {image.pk: _picture_of(image.get_rendition(THUMBNAIL)) for image in images}
    with django_assert_num_queries(1):
        found = pictures([image.pk for image in images] + [None], THUMBNAIL)
    assert found == made
    assert found[images[0].pk].width == 320 and found[images[0].pk].height == 240


def test_several_specs_are_read_in_one_query_each_of_its_own_images(db, django_assert_num_queries):
    # The slider's images in their slide size, the news' in thumbnails; one image in both
    slides, thumbnails = [_image("a.png"), _image("b.png")], [_image("c.png")]
    shared = slides[0]
    slide_made = {image.pk: _picture_of(image.get_rendition(SLIDE)) for image in slides}
    thumb_made = {
        image.pk: _picture_of(image.get_rendition(THUMBNAIL)) for image in [*thumbnails, shared]
    }
    with django_assert_num_queries(1):
        found = pictures_by_spec(
            {SLIDE: [image.pk for image in slides], THUMBNAIL: [thumbnails[0].pk, shared.pk]}
        )
    assert found == {SLIDE: slide_made, THUMBNAIL: thumb_made}
    assert found[SLIDE][shared.pk] != found[THUMBNAIL][shared.pk]
    assert pictures_by_spec({SLIDE: [], THUMBNAIL: [None]}) == {SLIDE: {}, THUMBNAIL: {}}


def test_a_missing_rendition_is_made_once(db, django_assert_num_queries):
    image = _image()
    rendition_model = get_image_model().get_rendition_model()
    found = pictures([image.pk], "height-80")
    assert rendition_model.objects.filter(image=image, filter_spec="height-80").count() == 1
    assert found[image.pk].height == 80
    with django_assert_num_queries(1):
        assert pictures([image.pk], "height-80") == found


def test_the_rendition_of_the_current_focal_point_is_chosen(db):
    image = _image()
    before = image.get_rendition(THUMBNAIL)
    image.focal_point_x, image.focal_point_y = 600, 400
    image.focal_point_width, image.focal_point_height = 40, 40
    image.save()
    image = get_image_model().objects.get(pk=image.pk)
    after = image.get_rendition(THUMBNAIL)
    assert before.url != after.url  # both renditions are kept
    assert pictures([image.pk], THUMBNAIL)[image.pk] == _picture_of(after)


def test_lists_the_slider_and_banners_draw_their_pictures(client, db):
    home = _publish(Page.get_first_root_node(), HomePage(title="Головна", slug="holovna"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    index = _publish(home, NewsIndexPage(title="Новини", slug="novyny"))
    photo = _image("tsnap.png", size=(1200, 800))
    _publish(
        index,
        NewsPage(title="ЦНАП", slug="tsnap", image=photo, image_alt="Будівля ЦНАП", is_top=True),
    )
    logo = _image("rada.png", size=(300, 100))
    Banner.objects.create(title="Рада", url="https://www.rada.gov.ua/", image=logo, alt="Рада")
    thumbnail = photo.get_rendition(THUMBNAIL).url
    slide = photo.get_rendition("fill-960x540").url
    banner = logo.get_rendition("height-80").url
    listing = client.get("/novyny/").content.decode()
    assert (
        f'<img src="{thumbnail}" width="320" height="240" alt="Будівля ЦНАП" loading="lazy" '
        'class="entry__image">'
    ) in listing
    assert f'<img src="{banner}" width="240" height="80" alt="Рада" class="banner__image">' in (
        listing
    )
    front = client.get("/").content.decode()
    assert (
        f'<img src="{slide}" width="960" height="540" alt="Будівля ЦНАП" class="slider__image">'
        in front
    )
    assert f'src="{thumbnail}"' in front
