"""Demo site: the home page and the sections a real settlement council's site has (18 top-level
entries, 45 subsections, as one seed reports), the news, announcements and events lists, the
photo and video galleries, a page for every structural unit, the contacts page and the banners.

Images are drawn with Pillow (a gradient with the picture's name), no network. ``small`` and
``seed`` create pages one by one through treebeard; ``large`` (50,000 news, 20,000 photos, for
the benchmarks) bulk-inserts the rows of the news, announcements, events, albums and photos with
their tree paths computed here — a benchmark fixture, not a write path: those pages have no
revisions and are not in the search index."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db.models import F
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from ratusha.core.demo_support import HROMADA, DemoContext
from ratusha.core.text import ukrainian_slug

from .models import (
    AlbumPage,
    AlbumPhoto,
    AnnouncementIndexPage,
    AnnouncementPage,
    Banner,
    ContactPage,
    EventIndexPage,
    EventPage,
    GalleryIndexPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    SectionPage,
    UnitPage,
    VideoIndexPage,
    VideoPage,
)

# (section, [subsections]): 18 top-level entries, 45 subsections. Three of them are not section
# pages: the photo and video galleries and the contacts page (see TOP_LEVEL_TYPES).
TREE = [
    (
        "Громада",
        [
            "Історія громади",
            "Паспорт громади",
            "Старостинські округи",
            "Символіка",
            "Населені пункти",
        ],
    ),
    (
        "Селищна рада",
        [
            "Селищний голова",
            "Секретар ради",
            "Депутатський корпус",
            "Постійні комісії",
            "Регламент ради",
        ],
    ),
    (
        "Виконавчий комітет",
        ["Склад виконавчого комітету", "Заступники голови", "Регламент виконавчого комітету"],
    ),
    ("Структурні підрозділи", []),
    (
        "Документи",
        ["Рішення ради", "Рішення виконавчого комітету", "Розпорядження голови", "Проєкти рішень"],
    ),
    (
        "Публічна інформація",
        [
            "Структура та функції",
            "Повноваження та завдання",
            "Фінансові ресурси",
            "Як подати запит на інформацію",
            "Система обліку документів",
            "Участь громадськості",
        ],
    ),
    ("Бюджет", ["Бюджет громади", "Звіти про виконання бюджету", "Бюджет участі"]),
    (
        "Мешканцям",
        [
            "Адміністративні послуги",
            "Соціальний захист",
            "Освіта",
            "Охорона здоров'я",
            "Житлово-комунальні послуги",
        ],
    ),
    ("Бізнесу", ["Інвестиційний паспорт", "Регуляторна діяльність", "Земельні аукціони"]),
    ("Відкриті дані", ["Перелік наборів даних", "Розпорядження про оприлюднення"]),
    ("Очищення влади", ["Повідомлення про початок перевірки", "Результати перевірок"]),
    ("Звернення громадян", ["Графік особистого прийому", "Електронні петиції"]),
    ("Цивільний захист", ["Укриття", "Пункти незламності"]),
    ("Антикорупційна діяльність", ["Уповноважена особа"]),
    ("Вакансії", ["Конкурсний відбір"]),
    ("Фотогалерея", []),
    ("Відеогалерея", []),
    ("Контакти", ["Телефонний довідник"]),
]

SENTENCES = [
    "{community} утворена відповідно до перспективного плану формування територій громад "
    "Полтавської області.",
    "Інформація в розділі «{title}» оновлюється відповідальними структурними підрозділами "
    "ради не рідше одного разу на квартал.",
    "Документи, що стосуються розділу «{title}», оприлюднюються відповідно до Закону України "
    "«Про доступ до публічної інформації».",
    "З питань, що стосуються розділу, звертайтеся до {council} за телефоном {phone} "
    "або електронною поштою {email}.",
    "Селищна рада забезпечує відкритість і прозорість своєї діяльності та залучає мешканців "
    "громади до прийняття рішень.",
    "Особистий прийом громадян проводиться відповідно до затвердженого графіка в "
    "приміщенні селищної ради.",
]


# Sections that open the registries: the acts registry filtered by kind, the council's pages.
REGISTRY_LINKS = {
    "Документи": ("acts:list", "", "Реєстр усіх оприлюднених документів ради"),
    "Рішення ради": (
        "acts:list",
        "?kind=council-decision",
        "Рішення селищної ради в реєстрі документів",
    ),
    "Рішення виконавчого комітету": (
        "acts:list",
        "?kind=executive-decision",
        "Рішення виконавчого комітету в реєстрі документів",
    ),
    "Розпорядження голови": (
        "acts:list",
        "?kind=head-order",
        "Розпорядження селищного голови в реєстрі",
    ),
    "Проєкти рішень": (
        "acts:list",
        "?kind=draft-council-decision",
        "Проєкти рішень, оприлюднені для обговорення",
    ),
    "Селищна рада": (
        "council:index",
        "",
        "Депутати, комісії, сесії та результати поіменного голосування",
    ),
    "Депутатський корпус": ("council:index", "", "Депутати селищної ради чинного скликання"),
    "Постійні комісії": ("council:index", "", "Постійні комісії ради та їхні засідання"),
    "Виконавчий комітет": ("council:meetings", "?kind=executive", "Засідання виконавчого комітету"),
}


def _registry_link(title: str) -> str:
    if title not in REGISTRY_LINKS:
        return ""
    from django.urls import reverse

    url_name, query, label = REGISTRY_LINKS[title]
    return f'<p><a href="{reverse(url_name)}{query}">{label}</a></p>'


def _body(ctx: DemoContext, title: str) -> str:
    facts = {
        "title": title,
        "community": HROMADA["community_name"],
        "council": HROMADA["council_name"].replace("рада", "ради"),
        "phone": HROMADA["phone"],
        "email": HROMADA["email"],
    }
    paragraphs = ctx.rng.sample(SENTENCES, k=3)
    text = "".join(f"<p>{sentence.format(**facts)}</p>" for sentence in paragraphs)
    return _registry_link(title) + text


TOP_LEVEL_TYPES = {
    "Фотогалерея": GalleryIndexPage,
    "Відеогалерея": VideoIndexPage,
    "Контакти": ContactPage,
}

# Which item of art. 15(1) of the access to information law a section covers.
PUBLIC_INFO_TOPICS = {
    "Документи": "acts",
    "Публічна інформація": "structure",
    "Структура та функції": "structure",
    "Повноваження та завдання": "functions",
    "Фінансові ресурси": "finances",
    "Як подати запит на інформацію": "requests",
    "Система обліку документів": "records",
    "Участь громадськості": "participation",
    "Адміністративні послуги": "services",
    "Графік особистого прийому": "contacts",
    "Вакансії": "vacancies",
    "Земельні аукціони": "procurement",
}

# Links to the state's sites, as on every council's site (real public addresses).
BANNERS = [
    ("Президент України", "https://www.president.gov.ua/", "#1f4e8c"),
    ("Верховна Рада України", "https://www.rada.gov.ua/", "#2b5f3f"),
    ("Урядовий портал", "https://www.kmu.gov.ua/", "#0b3d6e"),
    ("Дія — державні послуги онлайн", "https://diia.gov.ua/", "#111111"),
    ("Єдиний державний портал відкритих даних", "https://data.gov.ua/", "#1d6fa5"),
    ("Полтавська обласна державна адміністрація", "https://www.adm-pl.gov.ua/", "#7a2e2e"),
    ("Prozorro — публічні закупівлі", "https://prozorro.gov.ua/", "#2f6b2f"),
    ("Національне агентство з питань запобігання корупції", "https://nazk.gov.ua/", "#4b3b7a"),
    ("Уповноважений Верховної Ради з прав людини", "https://www.ombudsman.gov.ua/", "#5d4a1f"),
    ("Децентралізація", "https://decentralization.ua/", "#b35a00"),
    ("Пенсійний фонд України", "https://www.pfu.gov.ua/", "#205e6b"),
    ("Державна податкова служба України", "https://tax.gov.ua/", "#3c3c64"),
]

VILLAGES = [
    "смт Вербівка",
    "с. Калинівка",
    "с. Зелений Гай",
    "с. Дубове",
    "с. Соснівка",
    "с. Лугове",
    "с. Березівка",
    "с. Крутий Яр",
]
NEWS_TITLES = [
    "У {village} відремонтували дорогу до школи",
    "Відбулася {n}-та сесія селищної ради",
    "У {village} відкрили оновлений пункт незламності",
    "Громада отримала нові шкільні автобуси",
    "Засідання виконавчого комітету: ухвалено {n} рішень",
    "У {village} завершили облаштування укриття в ліцеї",
    "Стартував прийом проєктів бюджету участі",
    "Депутати затвердили програму розвитку культури",
    "У {village} відбувся благодійний ярмарок на підтримку ЗСУ",
    "Працівники ЦНАП провели виїзний прийом у {village}",
    "Вербівські спортсмени здобули {n} медалей на обласних змаганнях",
    "Громада долучилася до Всеукраїнської толоки",
    "Оновлено графік роботи амбулаторії в {village}",
    "Підбито підсумки опалювального сезону",
    "У {village} встановили нове вуличне освітлення",
    "Селищна голова зустрілася з молоддю громади",
    "У бібліотеці {village} відкрили простір цифрової грамотності",
    "Відбулися громадські слухання щодо генерального плану",
]
ANNOUNCEMENT_TITLES = [
    "Оголошення про конкурс на посаду {position}",
    "Увага! Планове відключення електроенергії в {village}",
    "Громадське обговорення проєкту рішення про місцеві податки",
    "Оголошення про проведення земельних торгів",
    "Прийом документів на компенсацію за комунальні послуги",
    "Зміни в графіку особистого прийому громадян",
    "Перевірка систем оповіщення {day}",
    "Оголошення про продаж об'єкта комунальної власності",
]
EVENT_TITLES = [
    ("Сесія селищної ради", "Сесійна зала селищної ради"),
    ("День громади", "Центральна площа смт Вербівка"),
    ("Засідання виконавчого комітету", "Мала зала селищної ради"),
    ("Благодійний концерт", "Будинок культури {village}"),
    ("Толока в парку", "Парк «Молодіжний», {village}"),
    ("Зустріч з фермерами громади", "Старостинський округ {village}"),
    ("Навчання з домедичної допомоги", "Ліцей {village}"),
    ("Ярмарок місцевих виробників", "Ринкова площа {village}"),
]
ALBUM_TITLES = [
    "День громади",
    "Толока в парку «Молодіжний»",
    "Відкриття укриття в ліцеї",
    "Випускний вечір",
    "Ярмарок місцевих виробників",
    "Вшанування Захисників України",
    "Спортивне свято",
    "Новорічні свята в громаді",
]
VIDEOS = [
    # A fictional channel of the demo community (like its social links in HROMADA).
    ("Звіт селищної голови за рік", "https://www.youtube.com/watch?v=vrbvDemo001"),
    ("Трансляція сесії селищної ради", "https://www.youtube.com/watch?v=vrbvDemo002"),
    ("День громади: відеоогляд", "https://youtu.be/vrbvDemo003"),
]
NEWS_SENTENCES = [
    "Про це повідомили у {unit} селищної ради.",
    "Роботи виконано за кошти місцевого бюджету відповідно до рішення сесії.",
    "Мешканці громади висловили подяку всім, хто долучився до справи.",
    "Наступний етап робіт заплановано на кінець кварталу.",
    "Детальна інформація — за телефоном {phone}.",
    "Селищна рада дякує партнерам громади за підтримку.",
    "Захід відбувся з дотриманням вимог безпеки в умовах воєнного стану.",
    "Запрошуємо мешканців долучатися до обговорення та пропонувати свої ідеї.",
]
POSITIONS = ["начальника фінансового відділу", "головного спеціаліста ЦНАП", "директора ліцею"]
COLORS = [
    ("#1f4e8c", "#6fa8dc"),
    ("#2b5f3f", "#93c47d"),
    ("#7a2e2e", "#e06666"),
    ("#5d4a1f", "#ffd966"),
    ("#4b3b7a", "#b4a7d6"),
    ("#205e6b", "#76a5af"),
]
PHOTO_SIZE = (1200, 800)
BANNER_SIZE = (360, 120)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _add_live(parent: Page, page: Page, when: dt.datetime) -> Page:
    """A page added as published at ``when`` (no revision: faster than publishing)."""
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = when
    parent.add_child(instance=page)
    return page


# Images ----------------------------------------------------------------------------------


@cache
def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _picture(text: str, colors: tuple[str, str], size=PHOTO_SIZE) -> bytes:
    """A JPEG: a vertical gradient of two colours with ``text`` in the middle."""
    import textwrap

    from PIL import Image, ImageDraw

    width, height = size
    mask = Image.linear_gradient("L").resize(size)
    picture = Image.composite(
        Image.new("RGB", size, colors[1]), Image.new("RGB", size, colors[0]), mask
    )
    font_size = max(14, height // 9)
    wrapped = "\n".join(textwrap.wrap(text, width=max(12, int(width / font_size * 1.7))))
    ImageDraw.Draw(picture).multiline_text(
        (width // 2, height // 2),
        wrapped,
        fill="white",
        font=_font(font_size),
        anchor="mm",
        align="center",
        spacing=font_size // 3,
    )
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=82)
    return out.getvalue()


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name="Демо").first()
    return existing or root.add_child(name="Демо")


def _image(ctx: DemoContext, title: str, collection: Collection, *, size=PHOTO_SIZE, colors=None):
    number = ctx.shared["demo_images"] = ctx.shared.get("demo_images", 0) + 1
    data = _picture(title, colors or ctx.rng.choice(COLORS), size)
    image = get_image_model()(
        title=title,
        file=ImageFile(io.BytesIO(data), name=f"demo-{number:05d}.jpg"),
        collection=collection,
    )
    image.save()
    return image


# Text ------------------------------------------------------------------------------------


def _when(ctx: DemoContext, days_back: int) -> dt.datetime:
    day = ctx.today - dt.timedelta(days=ctx.rng.randint(0, days_back))
    moment = dt.datetime.combine(day, dt.time(ctx.rng.randint(8, 17), ctx.rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _fill(ctx: DemoContext, template: str) -> str:
    return template.format(
        village=ctx.rng.choice(VILLAGES),
        n=ctx.rng.randint(2, 60),
        position=ctx.rng.choice(POSITIONS),
        day=ctx.rng.choice(["у середу", "у перший понеділок місяця", "в п'ятницю"]),
    )


def _news_text(ctx: DemoContext, unit_name: str) -> str:
    facts = {"unit": unit_name.lower() if unit_name else "апараті", "phone": HROMADA["phone"]}
    return "".join(
        f"<p>{sentence.format(**facts)}</p>" for sentence in ctx.rng.sample(NEWS_SENTENCES, k=3)
    )


def _unique_slug(title: str, used: set[str]) -> str:
    base = ukrainian_slug(title)[:70] or "storinka"
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


def _dated_fields(ctx: DemoContext, title: str, when: dt.datetime, image, units, used) -> dict:
    unit = ctx.rng.choice(units) if units else None
    facts = {"unit": "селищній раді", "phone": HROMADA["phone"]}
    return {
        "title": title,
        "slug": _unique_slug(title, used),
        "date": when,
        "intro": f"{title}. " + ctx.rng.choice(NEWS_SENTENCES).format(**facts),
        "image": image,
        "image_alt": f"Ілюстрація: {title}" if image else "",
        "content": [("paragraph", RichText(_news_text(ctx, unit.name if unit else "")))],
        "unit": unit,
    }


# Bulk insertion (large scale) --------------------------------------------------------------


def _bulk_children(parent: Page, pages: list[Page]) -> None:
    """Insert ``pages`` (unsaved instances of one specific page type) as the last children of
    ``parent`` in two bulk statements per batch: the ``Page`` rows with their treebeard paths,
    then the specific rows."""
    if not pages:
        return
    model = type(pages[0])
    content_type = ContentType.objects.get_for_model(model)
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    depth = parent.depth + 1
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    base_rows = []
    for offset, page in enumerate(pages):
        page.path = Page._get_path(parent.path, depth, step + offset)
        page.depth, page.numchild = depth, 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = content_type
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live, page.has_unpublished_changes = True, False
        page.translation_key = uuid.uuid4()
        if hasattr(page, "list_live"):  # the listing columns (listing.py) save() would set
            page.list_parent_id, page.list_live = parent.pk, True
        base_rows.append(Page(**{f.attname: getattr(page, f.attname) for f in base_fields}))
    Page.objects.bulk_create(base_rows, batch_size=2000)
    for page, row in zip(pages, base_rows, strict=True):
        page.page_ptr_id = page.id = row.pk
    model.objects.get_queryset()._batched_insert(
        pages, model._meta.local_concrete_fields, batch_size=1000
    )
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild += len(pages)


def _bulk_images(ctx: DemoContext, collection: Collection, count: int, title: str) -> list:
    """``count`` image rows sharing a dozen real files (enough for the benchmarks)."""
    Image = get_image_model()
    files = [_image(ctx, f"{title} {n + 1}", collection) for n in range(12)]
    rows = []
    for n in range(count - len(files)):
        source = files[n % len(files)]
        rows.append(
            Image(
                title=f"{title} {n + 13}",
                file=source.file.name,
                width=source.width,
                height=source.height,
                file_size=source.file_size,
                collection=collection,
                created_at=_when(ctx, 3650),
            )
        )
    return files + Image.objects.bulk_create(rows, batch_size=2000)


# The site ----------------------------------------------------------------------------------


def _home_and_site() -> HomePage:
    root = Page.get_first_root_node()
    welcome = root.get_children().exclude(content_type__model="homepage")
    home = HomePage(
        title=HROMADA["council_name"],
        slug="holovna",
        locale=Locale.get_default(),
        intro=(
            "<p>Офіційний вебсайт Вербівської селищної територіальної громади: "
            "новини, документи, послуги та контакти селищної ради.</p>"
        ),
    )
    _publish(root, home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=HROMADA["council_name"],
        )
    else:
        site.root_page = home
        site.site_name = HROMADA["council_name"]
        site.save()
    for page in welcome:
        page.delete()
    return home


def _tree(ctx: DemoContext, home: HomePage) -> dict:
    counts = {"sections": 0, "subsections": 0, "unit_pages": 0}
    found = {}
    units = ctx.shared.get("units") or []
    for title, children in TREE:
        model = TOP_LEVEL_TYPES.get(title, SectionPage)
        fields = {"title": title, "slug": ukrainian_slug(title), "show_in_menus": True}
        if model is SectionPage:
            fields["public_info_topic"] = PUBLIC_INFO_TOPICS.get(title, "")
        if model in (SectionPage, ContactPage):
            fields["content"] = [("paragraph", RichText(_body(ctx, title)))]
        if model is ContactPage:
            fields["map_url"] = "https://www.openstreetmap.org/#map=15/49.5890/34.5510"
        if model in (GalleryIndexPage, VideoIndexPage):
            fields["intro"] = f"{title} Вербівської селищної територіальної громади"
        section = found[title] = _publish(home, model(**fields))
        counts["sections"] += 1
        for child_title in children:
            found[child_title] = _publish(
                section,
                SectionPage(
                    title=child_title,
                    slug=ukrainian_slug(child_title),
                    public_info_topic=PUBLIC_INFO_TOPICS.get(child_title, ""),
                    content=[("paragraph", RichText(_body(ctx, child_title)))],
                ),
            )
            counts["subsections"] += 1
        if title == "Структурні підрозділи":
            for unit in units:
                _publish(
                    section,
                    UnitPage(
                        title=unit.name,
                        slug=unit.slug or ukrainian_slug(unit.name),
                        unit=unit,
                        content=[("paragraph", RichText(f"<p>{unit.functions}</p>"))],
                    ),
                )
                counts["unit_pages"] += 1
    ctx.shared["portal_pages"] = found
    return counts


def _lists(home: HomePage) -> tuple[NewsIndexPage, AnnouncementIndexPage, EventIndexPage]:
    """The news, announcements and events lists: top-level pages the home page links to, not
    in the main menu (which shows the 18 sections)."""
    news = _publish(
        home,
        NewsIndexPage(title="Новини", slug="novyny", intro="Новини Вербівської громади"),
    )
    announcements = _publish(
        home,
        AnnouncementIndexPage(
            title="Оголошення", slug="oholoshennia", intro="Оголошення селищної ради"
        ),
    )
    events = _publish(
        home, EventIndexPage(title="Анонс подій", slug="anons-podii", intro="Події в громаді")
    )
    return news, announcements, events


def _banners(ctx: DemoContext, collection: Collection) -> int:
    for order, (title, url, color) in enumerate(BANNERS, start=1):
        image = _image(ctx, title, collection, size=BANNER_SIZE, colors=(color, color))
        Banner.objects.create(
            title=title, url=url, image=image, alt=f"{title} (офіційний сайт)", sort_order=order
        )
    return len(BANNERS)


def generate(ctx: DemoContext) -> dict[str, int]:
    home = _home_and_site()
    counts = _tree(ctx, home)
    collection = _collection()
    counts["banners"] = _banners(ctx, collection)
    news_index, announcement_index, event_index = _lists(home)
    found = ctx.shared["portal_pages"]
    gallery, videos = found["Фотогалерея"], found["Відеогалерея"]
    units = ctx.shared.get("units") or []

    n_news = ctx.pick(small=60, seed=400, large=50_000)
    n_top = ctx.pick(small=6, seed=12, large=12)
    n_announcements = ctx.pick(small=20, seed=120, large=5_000)
    n_events = ctx.pick(small=10, seed=50, large=1_000)
    n_albums = ctx.pick(small=5, seed=40, large=400)
    n_photos = ctx.pick(small=40, seed=970, large=20_000)
    n_videos = ctx.pick(small=3, seed=30, large=300)
    days_back = ctx.pick(small=180, seed=730, large=3650)
    bulk = ctx.scale == "large"

    # Photos: albums first; news take their main image from a pool of their own.
    if bulk:
        photos = _bulk_images(ctx, collection, n_photos, "Фото")
        news_images = photos
    else:
        photos = []
        news_images = [
            _image(ctx, _fill(ctx, ctx.rng.choice(NEWS_TITLES)), collection)
            for _ in range(min(n_news, ctx.pick(small=60, seed=120, large=0)))
        ]

    used: dict[int, set[str]] = {}

    def make(model, parent, title, when, image=None, **extra):
        page = model(
            **_dated_fields(ctx, title, when, image, units, used.setdefault(parent.pk, set())),
            **extra,
        )
        page.first_published_at = page.last_published_at = when
        return page

    def place(parent, pages):
        pages.sort(key=lambda page: page.first_published_at)
        if bulk:
            _bulk_children(parent, pages)
        else:
            for page in pages:
                _add_live(parent, page, page.first_published_at)

    news = [
        make(
            NewsPage,
            news_index,
            _fill(ctx, NEWS_TITLES[n % len(NEWS_TITLES)]),
            _when(ctx, days_back),
            image=news_images[n % len(news_images)],
        )
        for n in range(n_news)
    ]
    for page in sorted(news, key=lambda page: page.date)[-n_top:]:
        page.is_top = True
    place(news_index, news)

    place(
        announcement_index,
        [
            make(
                AnnouncementPage,
                announcement_index,
                _fill(ctx, ctx.rng.choice(ANNOUNCEMENT_TITLES)),
                _when(ctx, days_back),
            )
            for _ in range(n_announcements)
        ],
    )

    events = []
    for n in range(n_events):
        title, place_name = EVENT_TITLES[n % len(EVENT_TITLES)]
        announced = _when(ctx, days_back)
        # About a third are still to come.
        if n % 3 == 0:
            day = ctx.today + dt.timedelta(days=ctx.rng.randint(1, 60))
        else:
            day = announced.date() + dt.timedelta(days=ctx.rng.randint(3, 20))
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(ctx.rng.randint(9, 17))))
        events.append(
            make(
                EventPage,
                event_index,
                title,
                announced,
                start=start,
                end=start + dt.timedelta(hours=2),
                place=_fill(ctx, place_name),
            )
        )
    place(event_index, events)

    albums = []
    for n in range(n_albums):
        title = ALBUM_TITLES[n % len(ALBUM_TITLES)]
        if n >= len(ALBUM_TITLES):
            title = f"{title} {ctx.today.year - n // len(ALBUM_TITLES)}"
        when = _when(ctx, days_back)
        album = AlbumPage(
            title=title,
            slug=_unique_slug(title, used.setdefault(gallery.pk, set())),
            date=when.date(),
            intro=f"Фоторепортаж: {title.lower()}",
        )
        album.first_published_at = album.last_published_at = when
        albums.append(album)
    place(gallery, albums)
    per_album = n_photos // max(1, n_albums)
    rows = []
    for index, album in enumerate(albums):
        for order in range(per_album + (1 if index < n_photos % max(1, n_albums) else 0)):
            label = f"{album.title}: фото {order + 1}"
            image = photos[len(rows)] if bulk else _image(ctx, label, collection)
            rows.append(
                AlbumPhoto(
                    album_id=album.pk,
                    image=image,
                    alt=f"{label} — учасники заходу",
                    caption=label,
                    sort_order=order,
                )
            )
    AlbumPhoto.objects.bulk_create(rows, batch_size=2000)

    video_pages = []
    for n in range(n_videos):
        title, url = VIDEOS[n % len(VIDEOS)]
        if n >= len(VIDEOS):
            title = f"{title} ({n // len(VIDEOS) + 1})"
        when = _when(ctx, days_back)
        page = VideoPage(
            title=title,
            slug=_unique_slug(title, used.setdefault(videos.pk, set())),
            date=when.date(),
            video_url=url,
            description=f"<p>{title}. Відео з офіційного каналу селищної ради.</p>",
        )
        page.first_published_at = page.last_published_at = when
        video_pages.append(page)
    place(videos, video_pages)

    counts.update(
        {
            "news": len(news),
            "announcements": n_announcements,
            "events": n_events,
            "albums": len(albums),
            "photos": len(rows),
            "videos": len(video_pages),
        }
    )
    return counts
