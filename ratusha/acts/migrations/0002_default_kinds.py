from django.db import migrations

# code, name, plural, body, is_draft, final kind code, publication rule, order
KINDS = [
    ("council-decision", "Рішення ради", "Рішення ради", "council", False, None, "adopted", 10),
    ("draft-council-decision", "Проєкт рішення ради", "Проєкти рішень ради", "council", True,
     "council-decision", "draft", 20),
    ("executive-decision", "Рішення виконавчого комітету", "Рішення виконавчого комітету",
     "executive", False, None, "adopted", 30),
    ("draft-executive-decision", "Проєкт рішення виконавчого комітету",
     "Проєкти рішень виконавчого комітету", "executive", True, "executive-decision", "draft", 40),
    ("head-order", "Розпорядження голови", "Розпорядження голови", "head", False, None,
     "adopted", 50),
    ("draft-head-order", "Проєкт розпорядження", "Проєкти розпоряджень", "head", True,
     "head-order", "none", 60),
    ("session-minutes", "Протокол сесії", "Протоколи сесій", "council", False, None, "adopted",
     70),
    ("executive-minutes", "Протокол засідання виконавчого комітету",
     "Протоколи засідань виконавчого комітету", "executive", False, None, "adopted", 80),
]


def create_kinds(apps, schema_editor):
    ActKind = apps.get_model("acts", "ActKind")
    by_code = {}
    for code, name, plural, body, is_draft, _final, rule, order in KINDS:
        by_code[code], _ = ActKind.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_plural": plural, "issuing_body": body,
                      "is_draft": is_draft, "publication_rule": rule, "sort_order": order},
        )
    for code, *_rest in KINDS:
        final = _rest[4]
        if final:
            kind = by_code[code]
            kind.final_kind = by_code[final]
            kind.save(update_fields=["final_kind"])


class Migration(migrations.Migration):
    dependencies = [("acts", "0001_initial")]
    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
