import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_library_part_public_ids"),
    ]

    operations = [
        migrations.AlterField(
            model_name=model_name,
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        )
        for model_name in ("objectivetemplate", "interventiontemplate")
    ]
