"""Demo council: the VIII convocation with its deputies (a third with a photo), factions,
standing commissions and the executive committee; sessions with agendas of the drafts the acts
demo registered, roll-call votes published on the day (a few late); commission meetings on
those drafts and executive committee meetings, each voted by the body's members; the minutes of
every meeting held; and one upcoming session whose approved agenda is mailed to the deputies.

``small`` and ``seed`` go through the services (audit log, the drafts considered and their
decisions registered). Two things are history rather than today's work and are written
directly: the publication moments of past votes (the service stamps «now») and the approval
of past agendas (approving through the service would mail every past agenda again).

``large`` (for benchmarks, ``demo/large.py``) bulk-inserts ten years of two convocations:
35,000 votes at sessions — 1,400,000 deputies' votes — with drafts, commission and executive
committee meetings and their votes, and minutes; no audit entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.utils import timezone

from ratusha.core.demo_support import DemoContext
from ratusha.core.text import transliterate

from ..choices import MembershipRole

KYIV = ZoneInfo("Europe/Kyiv")
CONVOCATION_START = dt.date(2020, 11, 20)
PLACE = "Сесійна зала селищної ради, вул. Соборна, 12"

# Fictional parties (no real party of these names is meant): faction name, its short name.
PARTIES = [
    ("Громада разом", "«Громада разом»"),
    ("Рідний край", "«Рідний край»"),
    ("Відродження Вербівщини", "«Відродження»"),
    ("Господарі громади", "«Господарі»"),
]
COMMISSIONS = [
    (
        "Постійна комісія з питань бюджету, фінансів та соціально-економічного розвитку",
        "Комісія з питань бюджету",
    ),
    (
        "Постійна комісія з питань земельних відносин, природокористування, архітектури та "
        "екології",
        "Комісія з питань земельних відносин",
    ),
    (
        "Постійна комісія з питань освіти, культури, молоді, спорту, охорони здоров'я та "
        "соціального захисту",
        "Гуманітарна комісія",
    ),
    (
        "Постійна комісія з питань житлово-комунального господарства, комунальної власності "
        "та інфраструктури",
        "Комісія з питань ЖКГ",
    ),
    (
        "Постійна комісія з питань регламенту, депутатської етики, законності та правопорядку",
        "Регламентна комісія",
    ),
]
# Members of the executive committee who are not deputies: position, role.
EXECUTIVE_STAFF = [
    (
        "заступник селищного голови з питань діяльності виконавчих органів ради",
        MembershipRole.DEPUTY_CHAIR,
    ),
    ("керуючий справами (секретар) виконавчого комітету", MembershipRole.SECRETARY),
    ("староста с. Калинівка", MembershipRole.MEMBER),
    ("староста с. Зелений Гай", MembershipRole.MEMBER),
    ("директор Вербівського ліцею", MembershipRole.MEMBER),
]
DRAFT_TITLES = [
    "Про внесення змін до бюджету Вербівської селищної територіальної громади на {year} рік",
    "Про затвердження Програми розвитку культури на {year}–{year2} роки",
    "Про надання дозволу на розроблення проєкту землеустрою щодо відведення земельної ділянки "
    "у власність гр. {person}",
    "Про затвердження технічної документації із землеустрою щодо встановлення меж земельної "
    "ділянки в натурі (на місцевості) гр. {person}",
    "Про затвердження звіту про виконання бюджету громади за {quarter} квартал {year} року",
    "Про передачу в оренду земельної ділянки сільськогосподарського призначення в с. {village}",
    "Про надання згоди на прийняття майна у комунальну власність громади",
    "Про затвердження Програми підтримки учасників бойових дій та членів їхніх сімей на "
    "{year2} рік",
    "Про затвердження детального плану території в с. {village}",
]
INFO_TITLES = [
    "Інформація старости с. Калинівка про роботу за {year} рік",
    "Інформація про хід виконання Програми соціально-економічного розвитку громади",
    "Звіт постійної комісії з питань бюджету про роботу за {year} рік",
]
EXECUTIVE_ITEM_TITLES = [
    "Про надання матеріальної допомоги жителям громади",
    "Про присвоєння поштової адреси об'єкту нерухомого майна в с. {village}",
    "Про взяття на квартирний облік громадян",
    "Про встановлення опіки над малолітньою дитиною",
    "Про затвердження плану заходів до Дня Незалежності України",
    "Про погодження режиму роботи закладу торгівлі",
]
VILLAGES = ["Вербівка", "Калинівка", "Зелений Гай", "Степове", "Козачий Яр", "Лозуватка"]
CONCLUSIONS = [
    "Рекомендувати селищній раді підтримати проєкт рішення.",
    "Рекомендувати підтримати проєкт рішення з урахуванням зауважень комісії.",
    "Рекомендувати підтримати проєкт рішення в цілому.",
]


def _weekday_on_or_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KYIV)


def _past(moment: dt.datetime) -> dt.datetime:
    """A recorded moment of the demo is never in the future."""
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


def _title(ctx: DemoContext, templates: Sequence[str], day: dt.date) -> str:
    return ctx.rng.choice(templates).format(
        year=day.year,
        year2=day.year + 1,
        person=ctx.person_name(),
        quarter=ctx.rng.choice(["I", "II", "III"]),
        village=ctx.rng.choice(VILLAGES),
    )


def _email(name: str, index: int) -> str:
    surname = transliterate(name.split()[0]).lower()
    surname = "".join(letter for letter in surname if letter.isascii() and letter.isalnum())
    return f"{surname or 'deputy'}{index}@example.org"


def generate(ctx: DemoContext) -> dict[str, int]:
    if ctx.scale == "large":
        from .large import generate_large

        return generate_large(ctx)
    from .small import SmallCouncil

    return SmallCouncil(ctx).build()
