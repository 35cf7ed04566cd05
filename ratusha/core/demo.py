"""Demo data for core: the hromada's settings, structural units with staff, demo logins for
each role and a local calendar exception."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import services
from .choices import DayKind
from .demo_support import HROMADA, DemoContext
from .models import HromadaSettings
from .permissions import SYSTEM
from .roles import ROLE_GROUPS, Role

# The department comes first: the demo's department staff work there.
UNITS = [
    ("Відділ організаційної та інформаційної роботи", "Відділ ОІР"),
    ("Фінансовий відділ", "Фінвідділ"),
    ("Відділ освіти, культури, молоді та спорту", "Відділ освіти"),
    ("Відділ соціального захисту населення", "Соцзахист"),
    ("Служба у справах дітей", "ССД"),
    ("Відділ земельних відносин та екології", "Земвідділ"),
    ("Центр надання адміністративних послуг", "ЦНАП"),
    ("Відділ бухгалтерського обліку та звітності", "Бухгалтерія"),
    ("Юридичний відділ", "Юрвідділ"),
    ("Відділ економічного розвитку та інвестицій", "Відділ економіки"),
    ("Відділ містобудування та архітектури", "Відділ архітектури"),
    ("Відділ житлово-комунального господарства", "Відділ ЖКГ"),
    ("Відділ з питань надзвичайних ситуацій та цивільного захисту", "Відділ ЦЗ"),
    ("Відділ кадрової роботи", "Кадри"),
    ("Архівний відділ", "Архів"),
    ("Відділ державної реєстрації", "Держреєстрація"),
    ("Відділ ведення Державного реєстру виборців", "Реєстр виборців"),
    ("Сектор цифрової трансформації", "Цифровізація"),
    ("Сектор з питань запобігання корупції", "Антикорупція"),
    ("Відділ комунального майна", "Комунмайно"),
    ("Відділ з питань внутрішнього аудиту", "Аудит"),
    ("Сектор молодіжної політики", "Молодь"),
    ("Відділ охорони здоров'я", "Охорона здоров'я"),
    ("Відділ публічних закупівель", "Закупівлі"),
    ("Відділ інфраструктури та транспорту", "Інфраструктура"),
    ("Відділ ветеранської політики", "Ветерани"),
]

FUNCTIONS = {
    "Відділ організаційної та інформаційної роботи": (
        "Організаційне забезпечення сесій ради та засідань виконавчого комітету; оприлюднення "
        "рішень, розпоряджень і проєктів рішень на офіційному вебсайті; ведення сайту та "
        "сторінок у соціальних мережах; розгляд запитів на публічну інформацію; підготовка "
        "планів роботи та звітів; взаємодія з громадськими об'єднаннями та засобами масової "
        "інформації."
    ),
}
POSITIONS = (
    "головний спеціаліст",
    "провідний спеціаліст",
    "спеціаліст I категорії",
    "спеціаліст",
    "заступник начальника відділу",
)

DEMO_USERS = [
    # username, role, unit index, first name
    ("staff", Role.DEPARTMENT_STAFF, 0, "Працівник відділу"),
    ("editor", Role.UNIT_EDITOR, 1, "Редактор фінвідділу"),
    ("approver", Role.APPROVER, None, "Заступник голови"),
    ("deputy", Role.DEPUTY, None, "Депутат"),
]


def generate(ctx: DemoContext) -> dict[str, int]:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is not None:
        hromada = HromadaSettings.for_site(site)
        for key, value in HROMADA.items():
            setattr(hromada, key, value)
        hromada.save()

    unit_count = ctx.pick(small=8, seed=26, large=26)
    units, employees = [], 0
    for order, (name, short) in enumerate(UNITS[:unit_count], start=1):
        unit = services.unit_create(
            actor=SYSTEM,
            data={
                "name": name,
                "short_name": short,
                "functions": FUNCTIONS.get(
                    name, f"Функції визначені Положенням про {name[0].lower()}{name[1:]}."
                ),
                "address": HROMADA["address"],
                "phone": ctx.phone(),
                "email": f"unit{order}@verbivka-demo.gov.ua",
                "sort_order": order,
            },
        )
        units.append(unit)
        head_title = "начальник відділу" if name.startswith("Відділ") else "завідувач сектору"
        if not name.startswith(("Відділ", "Сектор")):
            head_title = "начальник служби" if name.startswith("Служба") else "керівник"
        services.employee_create(
            actor=SYSTEM,
            data={
                "unit": unit,
                "full_name": ctx.person_name(),
                "position": head_title,
                "is_head": True,
                "phone": unit.phone,
                "email": unit.email,
            },
        )
        employees += 1
        for index in range(ctx.rng.randint(1, 5)):
            services.employee_create(
                actor=SYSTEM,
                data={
                    "unit": unit,
                    "full_name": ctx.person_name(),
                    "position": ctx.rng.choice(POSITIONS),
                    "sort_order": index + 1,
                },
            )
            employees += 1
    ctx.shared["units"] = units

    User = get_user_model()
    for username, role, unit_index, first_name in DEMO_USERS:
        user = User.objects.create_user(
            username=username, email=f"{username}@verbivka-demo.gov.ua", first_name=first_name
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        if unit_index is not None:
            services.employee_create(
                actor=SYSTEM,
                data={
                    "unit": units[unit_index],
                    "full_name": ctx.person_name(),
                    "position": "головний спеціаліст",
                    "user": user,
                    "sort_order": 99,
                },
            )
            employees += 1

    last_weekday = dt.date(ctx.today.year, 12, 31)
    while last_weekday.weekday() >= 5:
        last_weekday -= dt.timedelta(days=1)
    services.calendar_exception_create(
        actor=SYSTEM,
        data={
            "date": last_weekday,
            "kind": DayKind.DAY_OFF,
            "reason": "Розпорядження селищного голови про вихідний день (демо)",
        },
    )
    return {"units": len(units), "employees": employees, "users": len(DEMO_USERS)}
