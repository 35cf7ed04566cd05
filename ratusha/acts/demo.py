"""Demo acts: drafts, council and executive committee decisions, head's orders and minutes
with realistic Ukrainian titles and texts, DOCX files, publication on time or late.

``small`` and ``seed`` go through the services (audit log, deadlines, versions). ``large``
(100,000 acts, for benchmarks) is bulk-inserted as published history without files or audit
entries — at that scale the point is the registry's speed, not its evidence."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.utils import timezone

from ratusha.core.demo_support import HROMADA, DemoContext
from ratusha.core.permissions import SYSTEM
from ratusha.core.workdays import add_working_days, subtract_working_days

from . import services
from .choices import ActStatus, ConsiderationResult
from .models import Act, ActKind, ActVersion
from .numbers import number_key

KYIV = ZoneInfo("Europe/Kyiv")

COUNCIL_TITLES = [
    "Про надання дозволу на розроблення проєкту землеустрою щодо відведення земельної ділянки "
    "у власність гр. {person}",
    "Про затвердження технічної документації із землеустрою щодо встановлення меж земельної "
    "ділянки в натурі (на місцевості) гр. {person}",
    "Про внесення змін до бюджету {community_gen} на {year} рік",
    "Про затвердження Програми розвитку культури на {year}–{year2} роки",
    "Про затвердження Програми соціального захисту населення на {year} рік",
    "Про встановлення ставок та пільг зі сплати земельного податку на {year2} рік",
    "Про встановлення місцевих податків і зборів на території громади",
    "Про затвердження звіту про виконання бюджету громади за {quarter} квартал {year} року",
    "Про надання згоди на прийняття майна у комунальну власність громади",
    "Про затвердження Положення про старосту",
    "Про затвердження Статуту комунального некомерційного підприємства «Вербівський центр "
    "первинної медико-санітарної допомоги» у новій редакції",
    "Про передачу в оренду земельної ділянки сільськогосподарського призначення",
    "Про затвердження плану діяльності з підготовки проєктів регуляторних актів на {year2} рік",
    "Про затвердження детального плану території в с. {village}",
    "Про організацію харчування учнів закладів загальної середньої освіти",
]
EXECUTIVE_TITLES = [
    "Про надання матеріальної допомоги жителям громади",
    "Про встановлення опіки над малолітньою дитиною",
    "Про присвоєння поштової адреси об'єкту нерухомого майна в с. {village}",
    "Про затвердження тарифів на послуги з вивезення побутових відходів",
    "Про організацію сезонної торгівлі",
    "Про взяття на квартирний облік громадян",
    "Про затвердження плану заходів до Дня Незалежності України",
    "Про погодження режиму роботи закладу торгівлі",
]
ORDER_TITLES = [
    "Про скликання {session} сесії селищної ради VIII скликання",
    "Про підготовку та відзначення Дня місцевого самоврядування",
    "Про створення робочої групи з питань інвентаризації земель",
    "Про проведення особистого прийому громадян",
    "Про затвердження графіка відпусток",
    "Про заходи щодо запобігання виникненню надзвичайних ситуацій у весняно-літній період",
]
VILLAGES = ["Вербівка", "Калинівка", "Зелений Гай", "Степове", "Козачий Яр", "Лозуватка"]
ROMAN = "VIII"


def _title(ctx: DemoContext, templates: list[str], day: dt.date, session: int) -> str:
    return ctx.rng.choice(templates).format(
        person=ctx.person_name(),
        community_gen="Вербівської селищної територіальної громади",
        year=day.year,
        year2=day.year + 1,
        quarter=ctx.rng.choice(["I", "II", "III"]),
        village=ctx.rng.choice(VILLAGES),
        session=session,
    )


def _text(kind_label: str, body: str, number: str, day: dt.date, title: str) -> str:
    return (
        f"{HROMADA['council_name'].upper()}\nПОЛТАВСЬКОЇ ОБЛАСТІ\n\n{kind_label}\n"
        f"від {day:%d.%m.%Y} № {number}\n\n{title}\n\n"
        "Відповідно до статей 26, 59 Закону України «Про місцеве самоврядування в Україні», "
        f"розглянувши подані матеріали, {body} ВИРІШИЛА:\n"
        "1. Затвердити зазначене у назві рішення в установленому порядку.\n"
        "2. Відповідальному структурному підрозділу забезпечити виконання цього рішення.\n"
        "3. Контроль за виконанням рішення покласти на постійну комісію з питань бюджету, "
        "фінансів та соціально-економічного розвитку.\n\n"
        f"{HROMADA['head_title'].capitalize()}    О. КОВАЛЕНКО"
    )


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _documents(name: str, text: str):
    from .documents import inspect_document

    return [inspect_document(name, _docx(text))]


def _published_moment(ctx: DemoContext, due: dt.date, base: dt.date) -> dt.datetime:
    """Mostly on time, one in twenty a few working days late."""
    if ctx.rng.random() < 0.05:
        day = add_working_days(due, ctx.rng.randint(1, 4))
    else:
        day = add_working_days(base, ctx.rng.randint(0, 2)) if base <= due else due
        day = min(day, due)
    moment = dt.datetime(
        day.year, day.month, day.day, ctx.rng.randint(8, 17), ctx.rng.randint(0, 59), tzinfo=KYIV
    )
    # A publication recorded for the demo is never in the future.
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


def generate(ctx: DemoContext) -> dict[str, int]:
    if ctx.scale == "large":
        return _bulk(ctx, total=100_000)
    kinds = {kind.code: kind for kind in ActKind.objects.all()}
    units = ctx.shared.get("units") or []
    counts = {
        "drafts": ctx.pick(small=24, seed=433, large=0),
        "council": ctx.pick(small=30, seed=5862, large=0),
        "executive": ctx.pick(small=12, seed=536, large=0),
        "orders": ctx.pick(small=10, seed=285, large=0),
        "session_minutes": ctx.pick(small=3, seed=23, large=0),
        "executive_minutes": ctx.pick(small=2, seed=18, large=0),
    }
    with_files = ctx.pick(small=10_000, seed=120, large=0)  # newest acts per kind get a DOCX
    today = ctx.today
    span_days = ctx.pick(small=200, seed=5 * 365, large=0)
    made = 0

    def when(index: int, total: int) -> dt.date:
        # spread back in time from today, newest first
        day = today - dt.timedelta(days=int(span_days * index / max(total, 1)) + 1)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        return day

    def register(kind_code, number, day, title, body, label, index, extra=None, publish=True):
        nonlocal made
        text = _text(label, body, number, day, title)
        documents = (
            _documents(f"{kind_code}-{number or index}.docx", text) if index < with_files else []
        )
        data = {
            "kind": kinds[kind_code],
            "number": number,
            "date": day,
            "title": title,
            "unit": ctx.rng.choice(units) if units else None,
            "convocation": ROMAN if kinds[kind_code].issuing_body == "council" else "",
            "text": "" if documents else text,
            **(extra or {}),
        }
        act = services.act_register(actor=SYSTEM, data=data, documents=documents)
        made += 1
        if publish and act.publication_due and act.publication_due <= today:
            moment = _published_moment(ctx, act.publication_due, day)
            services.act_publish(actor=SYSTEM, act=act, as_of=moment)
        return act

    # Council decisions, numbered within the convocation; some came from the drafts below.
    total = counts["council"]
    for index in range(total):
        day = when(index, total)
        session = max(1, 60 - index // 100)
        register(
            "council-decision",
            f"{total - index}-{ROMAN}",
            day,
            _title(ctx, COUNCIL_TITLES, day, session),
            "селищна рада",
            "РІШЕННЯ",
            index,
            {"session": f"{session} сесія"},
        )
    # Drafts: older ones adopted/considered, the newest waiting (some late, some due soon).
    total = counts["drafts"]
    for index in range(total):
        consideration = add_working_days(today, 12 - index) if index < 8 else when(index, total)
        registered = subtract_working_days(consideration, 14)
        draft = register(
            "draft-council-decision",
            "",
            min(registered, today),
            _title(ctx, COUNCIL_TITLES, consideration, 60),
            "селищна рада",
            "ПРОЄКТ РІШЕННЯ",
            index,
            {"consideration_date": consideration},
            publish=index not in (1, 7),
        )
        if consideration < today and index % 5 == 4:
            services.draft_consider(
                actor=SYSTEM,
                draft=draft,
                result=ConsiderationResult.RETURNED,
                reason="Направлено на доопрацювання",
            )
    total = counts["executive"]
    for index in range(total):
        day = when(index, total)
        register(
            "executive-decision",
            str(total - index),
            day,
            _title(ctx, EXECUTIVE_TITLES, day, 1),
            "виконавчий комітет",
            "РІШЕННЯ ВИКОНАВЧОГО КОМІТЕТУ",
            index,
        )
    total = counts["orders"]
    for index in range(total):
        day = when(index, total)
        register(
            "head-order",
            f"{total - index}-од",
            day,
            _title(ctx, ORDER_TITLES, day, 60),
            "селищний голова",
            "РОЗПОРЯДЖЕННЯ",
            index,
        )
    for code, label, total in (
        ("session-minutes", "ПРОТОКОЛ", counts["session_minutes"]),
        ("executive-minutes", "ПРОТОКОЛ ЗАСІДАННЯ", counts["executive_minutes"]),
    ):
        for index in range(total):
            day = when(index, total)
            register(
                code,
                str(total - index),
                day,
                f"Протокол {total - index} засідання",
                "засідання",
                label,
                index,
            )
    # One decision of the newest amends an older one.
    newest = Act.objects.filter(kind=kinds["council-decision"]).order_by("-date", "-id")[:1]
    older = Act.objects.filter(kind=kinds["council-decision"]).order_by("date", "id")[:1]
    if newest and older and newest[0] != older[0]:
        services.act_link(actor=SYSTEM, act=newest[0], amends=[older[0]])
    return {"acts": made}


def _bulk(ctx: DemoContext, *, total: int) -> dict[str, int]:
    """100,000 published acts as history, inserted in batches (benchmarks only)."""
    kinds = list(ActKind.objects.all())
    weights = {
        "council-decision": 70,
        "executive-decision": 12,
        "head-order": 10,
        "draft-council-decision": 6,
    }
    pool = [k for k in kinds for _ in range(weights.get(k.code, 1))]
    units = ctx.shared.get("units") or [None]
    batch, made, now = [], 0, timezone.now()
    counters: dict[tuple[int, int], int] = {}
    for _ in range(total):
        kind = ctx.rng.choice(pool)
        day = ctx.today - dt.timedelta(days=ctx.rng.randint(1, 10 * 365))
        counters[(kind.pk, day.year)] = counters.get((kind.pk, day.year), 0) + 1
        number = (
            f"{counters[(kind.pk, day.year)]}-{ROMAN}"
            if kind.issuing_body == "council"
            else str(counters[(kind.pk, day.year)])
        )
        templates = {"executive": EXECUTIVE_TITLES, "head": ORDER_TITLES}.get(
            kind.issuing_body, COUNCIL_TITLES
        )
        title = _title(ctx, templates, day, 1)
        published = dt.datetime(day.year, day.month, day.day, 12, tzinfo=KYIV)
        batch.append(
            Act(
                kind=kind,
                number=number,
                number_key=number_key(number),
                date=day,
                year=day.year,
                title=title,
                issuing_body=kind.issuing_body,
                unit=ctx.rng.choice(units),
                status=ActStatus.PUBLISHED,
                text=_text("РІШЕННЯ", "рада", number, day, title),
                published_at=published,
                updated_at_public=published,
            )
        )
        if len(batch) == 5000:
            made += _flush(batch, now)
            batch = []
    if batch:
        made += _flush(batch, now)
    return {"acts": made}


def _flush(batch: list[Act], now) -> int:
    created = Act.objects.bulk_create(batch)
    ActVersion.objects.bulk_create(
        ActVersion(act=act, number=1, title=act.title, text=act.text, published_at=act.published_at)
        for act in created
    )
    return len(created)
