"""Demo site tree: the home page and the sections a real settlement council's site has
(18 sections, 45 subsections, as one seed reports)."""

from __future__ import annotations

from wagtail.models import Page, Site

from ratusha.core.demo_support import HROMADA, DemoContext
from ratusha.core.text import ukrainian_slug

from .models import HomePage, SectionPage

# (section, [subsections]): 18 sections, 45 subsections.
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


# Subsections of «Документи» that open the acts registry filtered by kind.
REGISTRY_LINKS = {
    "Документи": ("", "Реєстр усіх оприлюднених документів ради"),
    "Рішення ради": ("council-decision", "Рішення селищної ради в реєстрі документів"),
    "Рішення виконавчого комітету": (
        "executive-decision",
        "Рішення виконавчого комітету в реєстрі документів",
    ),
    "Розпорядження голови": ("head-order", "Розпорядження селищного голови в реєстрі"),
    "Проєкти рішень": ("draft-council-decision", "Проєкти рішень, оприлюднені для обговорення"),
}


def _registry_link(title: str) -> str:
    if title not in REGISTRY_LINKS:
        return ""
    from django.urls import reverse

    kind, label = REGISTRY_LINKS[title]
    url = reverse("acts:list") + (f"?kind={kind}" if kind else "")
    return f'<p><a href="{url}">{label}</a></p>'


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


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def generate(ctx: DemoContext) -> dict[str, int]:
    root = Page.get_first_root_node()
    welcome = root.get_children().exclude(content_type__model="homepage")
    home = HomePage(
        title=HROMADA["council_name"],
        slug="holovna",
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

    sections = subsections = 0
    for title, children in TREE:
        section = _publish(
            home,
            SectionPage(
                title=title, slug=ukrainian_slug(title), show_in_menus=True, body=_body(ctx, title)
            ),
        )
        sections += 1
        for child_title in children:
            _publish(
                section,
                SectionPage(
                    title=child_title,
                    slug=ukrainian_slug(child_title),
                    body=_body(ctx, child_title),
                ),
            )
            subsections += 1
    return {"sections": sections, "subsections": subsections}
