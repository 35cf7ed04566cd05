"""Shared parts of the demo hromada generator: the scale, a seeded random source and the
fictional community's identity. Each app contributes a ``demo.py`` with
``generate(ctx: DemoContext) -> dict[str, int]``; ``manage.py demo_hromada`` runs them in the
order of ``INSTALLED_APPS``."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from faker import Faker

SCALES = ("small", "seed", "large")


@dataclass
class DemoContext:
    scale: str
    seed: int
    today: dt.date
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    # Records created by earlier apps that later ones link to.
    shared: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.scale not in SCALES:
            raise ValueError(f"Unknown scale {self.scale!r}; use one of {', '.join(SCALES)}")
        self.rng = random.Random(self.seed)
        self.fake = Faker("uk_UA")
        self.fake.seed_instance(self.seed)

    def pick(self, small: int, seed: int, large: int) -> int:
        """The count for the current scale."""
        return {"small": small, "seed": seed, "large": large}[self.scale]

    def person_name(self, gender: str | None = None) -> str:
        """«Прізвище Ім'я По батькові», as Ukrainian documents write a person."""
        gender = gender or self.rng.choice(("m", "f"))
        if gender == "m":
            return (
                f"{self.fake.last_name_male()} {self.fake.first_name_male()} "
                f"{self.fake.middle_name_male()}"
            )
        return (
            f"{self.fake.last_name_female()} {self.fake.first_name_female()} "
            f"{self.fake.middle_name_female()}"
        )

    def phone(self) -> str:
        r = self.rng.randint
        return f"(05{r(10, 99)}) {r(2, 7)}-{r(10, 99)}-{r(10, 99)}"


# A fictional community (no real hromada of this name and codes is meant).
HROMADA = {
    "council_name": "Вербівська селищна рада",
    "community_name": "Вербівська селищна територіальна громада",
    "body_type": "settlement",
    "edrpou": "04399999",
    "katottg": "UA63999990000012345",
    "address": "вул. Соборна, 12, смт Вербівка, Полтавська обл., 64099",
    "phone": "(05355) 3-11-22",
    "email": "rada@verbivka-demo.gov.ua",
    "working_hours": "Пн–Чт 8:00–17:15, Пт 8:00–16:00, обідня перерва 12:00–13:00",
    "head_name": "Коваленко Олена Миколаївна",
    "head_title": "Вербівська селищна голова",
    "facebook_url": "https://www.facebook.com/verbivka.demo",
    "telegram_url": "https://t.me/verbivka_demo",
    "youtube_url": "https://www.youtube.com/@verbivka-demo",
}
