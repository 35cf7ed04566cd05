"""Demo open data: the datasets a community's units publish (budgets, schools, shelters,
services…) with CSV, XLSX and JSON files uploaded through the services, some with earlier
versions, a few overdue and a few due soon; plus the datasets Ratusha generates itself (the
registers of acts by kind, the roll-call votes of each session, the register of datasets).

- ``small``: about 15 uploaded datasets besides the generated ones, for ``make run``.
- ``seed``: the seeds' volume — 135 datasets holding 1,062 resources in all, the generated
  ones counted in.
- ``large`` (benchmarks): 1,000 datasets with 10,000 resources, bulk-inserted (no audit, no
  generated datasets), files shared by content.

History (the moments of past uploads) is written directly, as the council's demo does: the
services stamp «now».
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import uuid
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from ratusha.core.demo_support import DemoContext
from ratusha.core.permissions import SYSTEM
from ratusha.core.text import transliterate

from . import services
from .choices import (
    FREQUENCY_PASSPORT,
    MEDIA_TYPES,
    Generator,
    ResourceFormat,
    Theme,
    UpdateFrequency,
    next_due,
)
from .files import inspect_upload, table_schema
from .models import Dataset, Resource, ResourceVersion, Tag, version_path

KYIV = ZoneInfo("Europe/Kyiv")
SEED_DATASETS = 135
SEED_RESOURCES = 1062
LARGE_DATASETS = 1000
LARGE_RESOURCES_EACH = 10

# title, theme, frequency, unit short name (None: the council), keywords, columns
TEMPLATES = [
    (
        "Бюджет громади",
        Theme.ECON,
        UpdateFrequency.YEARLY,
        "Фінвідділ",
        ["бюджет", "фінанси"],
        ("code", "name", "planAmount", "actualAmount"),
    ),
    (
        "Звіт про виконання місцевого бюджету",
        Theme.ECON,
        UpdateFrequency.MONTHLY,
        "Фінвідділ",
        ["бюджет", "звіт"],
        ("month", "code", "name", "income", "expenses"),
    ),
    (
        "Перелік закладів освіти",
        Theme.EDUC,
        UpdateFrequency.YEARLY,
        "Відділ освіти",
        ["освіта", "школи"],
        ("name", "address", "edrpou", "phone", "pupils"),
    ),
    (
        "Мережа закладів культури",
        Theme.EDUC,
        UpdateFrequency.YEARLY,
        "Відділ освіти",
        ["культура", "бібліотеки"],
        ("name", "address", "kind", "visitors"),
    ),
    (
        "Перелік захисних споруд цивільного захисту",
        Theme.JUST,
        UpdateFrequency.QUARTERLY,
        "Відділ ЦЗ",
        ["укриття", "цивільний захист"],
        ("address", "kind", "capacity", "owner"),
    ),
    (
        "Перелік адміністративних послуг ЦНАП",
        Theme.GOVE,
        UpdateFrequency.ON_CHANGE,
        "ЦНАП",
        ["адміністративні послуги", "ЦНАП"],
        ("code", "name", "term", "fee"),
    ),
    (
        "Об'єкти комунальної власності",
        Theme.ECON,
        UpdateFrequency.QUARTERLY,
        "Комунмайно",
        ["комунальне майно", "оренда"],
        ("name", "address", "area", "balanceHolder"),
    ),
    (
        "Перелік вільних земельних ділянок",
        Theme.AGRI,
        UpdateFrequency.QUARTERLY,
        "Земвідділ",
        ["земля", "оренда"],
        ("cadastralNumber", "area", "purpose", "location"),
    ),
    (
        "Договори про закупівлі",
        Theme.ECON,
        UpdateFrequency.MONTHLY,
        "Закупівлі",
        ["закупівлі", "Prozorro"],
        ("date", "tenderId", "subject", "supplier", "amount"),
    ),
    (
        "Перелік вулиць і провулків",
        Theme.REGI,
        UpdateFrequency.ON_CHANGE,
        "Відділ архітектури",
        ["вулиці", "адреси"],
        ("name", "settlement", "kind", "formerName"),
    ),
    (
        "Маршрути громадського транспорту",
        Theme.TRAN,
        UpdateFrequency.HALF_YEARLY,
        "Інфраструктура",
        ["транспорт", "маршрути"],
        ("route", "start", "end", "departures"),
    ),
    (
        "Штатний розпис апарату ради",
        Theme.GOVE,
        UpdateFrequency.YEARLY,
        "Кадри",
        ["кадри", "посади"],
        ("unit", "position", "positions"),
    ),
    (
        "Перелік розпорядників бюджетних коштів",
        Theme.ECON,
        UpdateFrequency.YEARLY,
        "Бухгалтерія",
        ["бюджет", "розпорядники"],
        ("edrpou", "name", "level"),
    ),
    (
        "Заклади охорони здоров'я",
        Theme.HEAL,
        UpdateFrequency.YEARLY,
        "Охорона здоров'я",
        ["медицина", "амбулаторії"],
        ("name", "address", "phone", "doctors"),
    ),
    (
        "Отримувачі соціальної допомоги (узагальнено)",
        Theme.SOCI,
        UpdateFrequency.QUARTERLY,
        "Соцзахист",
        ["соціальний захист", "допомога"],
        ("quarter", "kind", "recipients", "amount"),
    ),
    (
        "Інвестиційні об'єкти громади",
        Theme.ECON,
        UpdateFrequency.HALF_YEARLY,
        "Відділ економіки",
        ["інвестиції"],
        ("name", "location", "area", "status"),
    ),
    (
        "Місця для розміщення зовнішньої реклами",
        Theme.REGI,
        UpdateFrequency.QUARTERLY,
        "Відділ архітектури",
        ["реклама"],
        ("address", "kind", "permitNumber", "validUntil"),
    ),
    (
        "Перелік громадських організацій",
        Theme.SOCI,
        UpdateFrequency.QUARTERLY,
        None,
        ["громадські організації"],
        ("name", "edrpou", "address", "registered"),
    ),
    (
        "Паспорти бюджетних програм",
        Theme.ECON,
        UpdateFrequency.YEARLY,
        "Фінвідділ",
        ["бюджет", "програми"],
        ("code", "name", "amount", "responsible"),
    ),
    (
        "Обсяги вивезення побутових відходів",
        Theme.ENVI,
        UpdateFrequency.MONTHLY,
        "Відділ ЖКГ",
        ["відходи", "екологія"],
        ("month", "settlement", "tonnes"),
    ),
    (
        "Результати моніторингу якості питної води",
        Theme.ENVI,
        UpdateFrequency.MONTHLY,
        "Відділ ЖКГ",
        ["вода", "екологія"],
        ("date", "point", "indicator", "value"),
    ),
    (
        "Дитячі та спортивні майданчики",
        Theme.EDUC,
        UpdateFrequency.YEARLY,
        "Молодь",
        ["спорт", "майданчики"],
        ("address", "kind", "condition"),
    ),
]
FORMATS_CYCLE = (ResourceFormat.CSV, ResourceFormat.XLSX, ResourceFormat.JSON)


def _value(ctx: DemoContext, column: str, row: int):
    r = ctx.rng
    lowered = column.lower()
    if "amount" in lowered or "income" in lowered or "expenses" in lowered:
        return round(r.uniform(1_000, 5_000_000), 2)
    if lowered in {
        "pupils",
        "visitors",
        "capacity",
        "doctors",
        "positions",
        "recipients",
        "departures",
        "tonnes",
        "value",
        "area",
    }:
        return r.randint(1, 900)
    if lowered in {"date", "registered", "validuntil"}:
        return (ctx.today - dt.timedelta(days=r.randint(0, 900))).isoformat()
    if lowered == "month":
        return f"{ctx.today.year}-{r.randint(1, 12):02d}"
    if lowered == "quarter":
        return f"{ctx.today.year}-Q{r.randint(1, 4)}"
    if lowered in {"edrpou"}:
        return f"{r.randint(10_000_000, 99_999_999)}"
    if lowered in {"code", "route", "tenderid", "permitnumber", "cadastralnumber"}:
        return f"{r.randint(1000, 9999)}-{row}"
    if lowered in {"phone"}:
        return ctx.phone()
    if lowered in {"address", "location", "point", "start", "end"}:
        return f"вул. {ctx.fake.street_name()}, {r.randint(1, 120)}"
    if lowered in {"settlement"}:
        return r.choice(["смт Вербівка", "с. Калинівка", "с. Шевченкове", "с. Степове"])
    return ctx.fake.sentence(nb_words=4).rstrip(".")


def _table(ctx: DemoContext, columns: tuple[str, ...], rows: int) -> list[list]:
    return [[_value(ctx, column, n) for column in columns] for n in range(1, rows + 1)]


def _file(ctx: DemoContext, fmt: str, columns, rows) -> tuple[str, bytes]:
    if fmt == ResourceFormat.CSV:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
        text = out.getvalue()
        # Some units still export from old spreadsheets in Windows-1251: converted on upload.
        encoding = "cp1251" if ctx.rng.random() < 0.2 else "utf-8"
        return "csv", text.encode(encoding, errors="replace")
    if fmt == ResourceFormat.JSON:
        data = [dict(zip(columns, row, strict=True)) for row in rows]
        return "json", json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Дані"
    sheet.append(list(columns))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return "xlsx", out.getvalue()


def _units(ctx: DemoContext) -> dict[str, object]:
    from ratusha.core.models import StructuralUnit

    units = ctx.shared.get("units") or list(StructuralUnit.objects.all())
    return {unit.short_name: unit for unit in units if unit.short_name}


def _past(ctx: DemoContext, days: int) -> dt.datetime:
    moment = dt.datetime.combine(ctx.today - dt.timedelta(days=days), dt.time(10, 0), tzinfo=KYIV)
    return moment + dt.timedelta(minutes=ctx.rng.randint(0, 400))


def _uploaded(ctx: DemoContext, count: int, resources: int) -> tuple[int, int]:
    """``count`` datasets holding ``resources`` resources in all, through the services."""
    units = _units(ctx)
    per = [resources // count] * count
    for index in range(resources - sum(per)):
        per[index % count] += 1
    made_resources = 0
    for index in range(count):
        title, theme, frequency, unit_name, tags, columns = TEMPLATES[index % len(TEMPLATES)]
        round_number = index // len(TEMPLATES)
        full_title = title if round_number == 0 else f"{title} ({ctx.today.year - round_number} р.)"
        holder = units.get(unit_name) if unit_name else None
        identifier = f"{transliterate(title).lower()}"[:80]
        identifier = "".join(c if c.isalnum() else "-" for c in identifier).strip("-")
        while "--" in identifier:
            identifier = identifier.replace("--", "-")
        if round_number:
            identifier = f"{identifier}-{ctx.today.year - round_number}"
        dataset = services.dataset_create(
            actor=SYSTEM,
            data={
                "identifier": identifier,
                "title": full_title,
                "description": (
                    f"{title}: дані розпорядника у машиночитаному форматі. Частота оновлення: "
                    f"{FREQUENCY_PASSPORT[frequency]}."
                ),
                "holder": holder,
                "theme": theme,
                "update_frequency": frequency,
                "basis": "Постанова Кабінету Міністрів України від 21.10.2015 № 835",
                "purpose": f"Забезпечення доступу до публічної інформації: {title.lower()}",
                "maintainer_name": ctx.person_name(),
                "maintainer_email": f"opendata{index + 1}@verbivka-demo.gov.ua",
            },
            tags=tags,
            publish=True,
        )
        for number in range(per[index]):
            fmt = FORMATS_CYCLE[(index + number) % len(FORMATS_CYCLE)]
            rows = _table(ctx, columns, ctx.rng.randint(8, 60))
            extension, content = _file(ctx, fmt, columns, rows)
            name = f"{dataset.identifier}-{number + 1}.{extension}"
            resource = services.resource_upload(
                actor=SYSTEM,
                dataset=dataset,
                inspected=inspect_upload(name, content),
                title=f"{title}: частина {number + 1} ({fmt})",
            )
            made_resources += 1
            if number == 0 and index % 4 == 0:
                # An earlier file replaced by a newer one: both stay.
                rows = _table(ctx, columns, ctx.rng.randint(8, 60))
                extension, content = _file(ctx, fmt, columns, rows)
                services.resource_replace(
                    actor=SYSTEM,
                    resource=resource,
                    inspected=inspect_upload(name, content),
                    note="Оновлені дані",
                )
        _backdate(ctx, dataset, index)
    return count, made_resources


def _backdate(ctx: DemoContext, dataset: Dataset, index: int) -> None:
    """Give the dataset a history: published some time ago, last updated so that most are on
    time, a few overdue and a few due soon."""
    kind = index % 10
    period_days = {
        UpdateFrequency.MONTHLY: 30,
        UpdateFrequency.QUARTERLY: 91,
        UpdateFrequency.HALF_YEARLY: 182,
        UpdateFrequency.YEARLY: 365,
    }.get(dataset.update_frequency, 60)
    if kind == 0:
        age = period_days + ctx.rng.randint(5, 40)  # overdue
    elif kind == 1:
        age = max(period_days - ctx.rng.randint(1, 10), 1)  # due soon
    else:
        age = ctx.rng.randint(0, max(period_days // 2, 1))
    updated = _past(ctx, age)
    versions = ResourceVersion.objects.filter(resource__dataset=dataset)
    # A dataset with a replaced file was first published one period before its update.
    replaced = versions.filter(number__gt=1).exists()
    published = _past(ctx, age + period_days - 3) if replaced else updated
    versions.filter(number=1).update(created_at=published)
    versions.filter(number__gt=1).update(created_at=updated)
    Resource.objects.filter(dataset=dataset).update(created_at=published, modified_at=updated)
    Dataset.objects.filter(pk=dataset.pk).update(
        published_at=published,
        metadata_created_at=published,
        data_modified_at=updated,
        metadata_modified_at=updated,
        actuality_date=timezone.localdate(updated),
        next_due=next_due(dataset.update_frequency, timezone.localdate(updated)),
    )


def _generated() -> tuple[int, int]:
    datasets = services.generated_datasets_sync(actor=SYSTEM)
    ids = [d.pk for d in datasets]
    # Regenerated just now: the requests the registers' signals made meanwhile are answered.
    Dataset.objects.filter(pk__in=ids).update(regeneration_requested_at=None)
    return len(ids), Resource.objects.filter(dataset_id__in=ids).count()


def generate(ctx: DemoContext) -> dict[str, int]:
    if ctx.scale == "large":
        return _large(ctx)
    generated, generated_resources = _generated()
    if ctx.scale == "seed":
        count = max(SEED_DATASETS - generated, 1)
        resources = max(SEED_RESOURCES - generated_resources, count)
    else:
        count, resources = 15, 40
    uploaded, uploaded_resources = _uploaded(ctx, count, resources)
    # The register of datasets lists the uploaded ones too.
    register = Dataset.objects.filter(generator=Generator.DATASETS).first()
    if register is not None:
        services.dataset_regenerate(actor=SYSTEM, dataset=register)
        Dataset.objects.filter(pk=register.pk).update(regeneration_requested_at=None)
    _link_from_the_site()
    return {
        "datasets": Dataset.objects.count(),
        "generated datasets": generated,
        "resources": Resource.objects.count(),
        "file versions": ResourceVersion.objects.count(),
    }


def _link_from_the_site() -> None:
    """The demo site's «Відкриті дані» → «Перелік наборів даних» page (made by the portal's
    demo) leads to the catalogue."""
    from django.urls import reverse
    from wagtail.rich_text import RichText

    from ratusha.portal.models import SectionPage

    page = SectionPage.objects.filter(title="Перелік наборів даних").first()
    if page is None:
        return
    url = reverse("opendata:catalogue")
    page.intro = "Каталог наборів даних громади: паспорти, файли, версії, структура."
    page.content = [
        (
            "paragraph",
            RichText(
                f'<p>Усі набори даних громади — у <a href="{url}">каталозі відкритих даних</a>. '
                "Для програм — CKAN API (/api/3/action/package_search) і DCAT "
                "(/catalog.ttl).</p>"
            ),
        )
    ]
    page.save_revision().publish()


# --- large: bulk, for the benchmarks -------------------------------------------------------------


def _large(ctx: DemoContext) -> dict[str, int]:
    units = list(_units(ctx).values())
    tags = [Tag.objects.get_or_create(name=f"тема {n}")[0] for n in range(1, 61)]
    pool = []
    for n in range(200):
        columns = ("id", "name", "amount", "date")
        rows = _table(ctx, columns, 20 + n % 30)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([[n, *row[1:]] for row in rows])
        content = out.getvalue().encode("utf-8")
        sha = hashlib.sha256(content).hexdigest()
        probe = ResourceVersion(sha256=sha)
        path = version_path(probe, "file.csv")
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(content))
        preview_rows = [[str(v) for v in row] for row in rows[:100]]
        pool.append(
            {
                "path": path,
                "size": len(content),
                "sha256": sha,
                "schema": table_schema(list(columns), rows),
                "preview": {"fields": list(columns), "rows": preview_rows, "delimiter": ","},
                "rows": len(rows),
            }
        )
    frequencies = [f for f in UpdateFrequency.values if f != UpdateFrequency.NO_LONGER]
    themes = Theme.values
    datasets = []
    for n in range(LARGE_DATASETS):
        frequency = frequencies[n % len(frequencies)]
        published = _past(ctx, 30 + n % 700)
        updated = _past(ctx, n % 200)
        datasets.append(
            Dataset(
                uuid=uuid.UUID(int=ctx.rng.getrandbits(128), version=4),
                identifier=f"nabir-danykh-{n + 1:04d}",
                title=f"{TEMPLATES[n % len(TEMPLATES)][0]} — набір {n + 1}",
                description=ctx.fake.paragraph(nb_sentences=3),
                holder=units[n % len(units)] if units and n % 7 else None,
                theme=themes[n % len(themes)],
                update_frequency=frequency,
                maintainer_name=ctx.person_name(),
                maintainer_email=f"opendata{n}@verbivka-demo.gov.ua",
                basis="Постанова Кабінету Міністрів України від 21.10.2015 № 835",
                purpose="Забезпечення доступу до публічної інформації",
                published_at=published,
                data_modified_at=updated,
                metadata_modified_at=updated,
                actuality_date=timezone.localdate(updated),
                next_due=next_due(frequency, timezone.localdate(updated)),
            )
        )
    Dataset.objects.bulk_create(datasets, batch_size=500)
    datasets = list(Dataset.objects.filter(identifier__startswith="nabir-danykh-").order_by("id"))
    through = Dataset.tags.through
    links = []
    for n, dataset in enumerate(datasets):
        for k in range(3):
            links.append(through(dataset_id=dataset.pk, tag_id=tags[(n * 7 + k * 13) % 60].pk))
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    resources = []
    for dataset in datasets:
        for position in range(LARGE_RESOURCES_EACH):
            resources.append(
                Resource(
                    uuid=uuid.UUID(int=ctx.rng.getrandbits(128), version=4),
                    dataset=dataset,
                    title=f"Ресурс {position + 1}",
                    format=ResourceFormat.CSV,
                    position=position,
                    modified_at=dataset.data_modified_at,
                )
            )
    Resource.objects.bulk_create(resources, batch_size=2000)
    resources = list(
        Resource.objects.filter(dataset__identifier__startswith="nabir-danykh-").order_by("id")
    )
    versions = []
    for n, resource in enumerate(resources):
        item = pool[n % len(pool)]
        versions.append(
            ResourceVersion(
                resource=resource,
                number=1,
                file=item["path"],
                original_name=f"resource-{n + 1}.csv",
                format=ResourceFormat.CSV,
                media_type=MEDIA_TYPES[ResourceFormat.CSV],
                size=item["size"],
                sha256=item["sha256"],
                schema=item["schema"],
                preview=item["preview"],
                row_count=item["rows"],
                created_at=resource.modified_at,
            )
        )
    ResourceVersion.objects.bulk_create(versions, batch_size=2000)
    by_resource = dict(
        ResourceVersion.objects.filter(resource__in=resources).values_list("resource_id", "id")
    )
    for resource in resources:
        resource.current_id = by_resource[resource.pk]
    Resource.objects.bulk_update(resources, ["current"], batch_size=2000)
    return {
        "datasets": Dataset.objects.count(),
        "resources": Resource.objects.count(),
        "file versions": ResourceVersion.objects.count(),
    }
