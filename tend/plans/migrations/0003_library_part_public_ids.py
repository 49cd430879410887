# Data migration: a distinct public id for every existing objective and intervention template.

import uuid

from django.db import migrations


def assign_public_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model_name in ("ObjectiveTemplate", "InterventionTemplate"):
        model = apps.get_model("plans", model_name)
        for row in model.objects.filter(public_id__isnull=True).only("pk"):
            row.public_id = uuid.uuid4()
            row.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_library_retirement"),
    ]

    operations = [
        migrations.RunPython(assign_public_ids, migrations.RunPython.noop),
    ]
