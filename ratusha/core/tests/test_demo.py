import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Site

from ratusha.core.models import AuditEntry, Employee, HromadaSettings, StructuralUnit
from ratusha.portal.models import SectionPage

pytestmark = pytest.mark.django_db


def _fingerprint():
    return sorted(Employee.objects.values_list("unit__name", "full_name", "position"))


def test_small_demo_loads_a_complete_hromada():
    call_command("demo_hromada", scale="small", seed=7, today="2026-11-21")
    site = Site.objects.get(is_default_site=True)
    hromada = HromadaSettings.for_site(site)
    assert hromada.council_name == "Вербівська селищна рада"
    assert site.root_page.specific.title == "Вербівська селищна рада"
    assert StructuralUnit.objects.count() == 8
    assert Employee.objects.filter(is_head=True).count() == 8
    # the seeds' site: 18 sections in the main menu (15 section pages, the photo and video
    # galleries, the contacts page) and 45 subsections below them
    home = site.root_page
    menu = home.get_children().live().in_menu()
    assert menu.count() == 18
    assert SectionPage.objects.child_of(home).count() == 15
    subsections = SectionPage.objects.descendant_of(home).exclude(depth=home.depth + 1)
    assert subsections.filter(depth=home.depth + 2).count() == 45
    # made through services: each unit's creation is in the audit log
    assert AuditEntry.objects.filter(object_repr=StructuralUnit.objects.first().name).exists()


def test_demo_is_deterministic_for_a_seed():
    with transaction.atomic():
        call_command("demo_hromada", scale="small", seed=7, today="2026-11-21")
        first = _fingerprint()
        transaction.set_rollback(True)
    assert not StructuralUnit.objects.exists()
    call_command("demo_hromada", scale="small", seed=7, today="2026-11-21")
    assert _fingerprint() == first
    assert len(first) > 8


def test_demo_if_empty_does_not_duplicate():
    call_command("demo_hromada", scale="small", seed=7, today="2026-11-21")
    units = StructuralUnit.objects.count()
    call_command("demo_hromada", scale="small", if_empty=True)
    assert StructuralUnit.objects.count() == units


def test_demo_refuses_a_non_empty_database_without_if_empty():
    from django.core.management.base import CommandError

    call_command("demo_hromada", scale="small", seed=7, today="2026-11-21")
    with pytest.raises(CommandError):
        call_command("demo_hromada", scale="small")


def test_seed_scale_has_26_units():
    # The core part of the seed scale alone (the whole seed scale takes minutes).
    import datetime as dt

    from ratusha.core import demo
    from ratusha.core.demo_support import DemoContext

    counts = demo.generate(DemoContext(scale="seed", seed=1, today=dt.date(2026, 11, 21)))
    assert counts["units"] == StructuralUnit.objects.count() == 26
