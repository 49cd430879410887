# Templates become editable and retirable: objective and intervention templates get a
# public id (set in 0003, made unique in 0004), timestamps and a retirement time.

import django.utils.timezone
from django.db import migrations, models


def _timestamps(model_name: str) -> list[migrations.AddField]:
    return [
        migrations.AddField(
            model_name=model_name,
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name=model_name,
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name=model_name,
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name=model_name,
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_treatment_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="plantemplate",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        *_timestamps("objectivetemplate"),
        *_timestamps("interventiontemplate"),
        migrations.AddField(
            model_name="interventiontemplate",
            name="modality_other",
            field=models.CharField(blank=True, max_length=100, verbose_name="other modality"),
        ),
        migrations.AlterField(
            model_name="objectivetemplate",
            name="instrument_id",
            field=models.CharField(blank=True, max_length=32, verbose_name="instrument"),
        ),
        migrations.AlterField(
            model_name="objectivetemplate",
            name="metric_kind",
            field=models.CharField(
                choices=[
                    ("instrument_score", "Instrument score"),
                    ("frequency_per_week", "Times per week"),
                    ("self_rating", "Self-rating (0 to 10)"),
                    ("milestone", "Yes/no milestone"),
                ],
                max_length=24,
                verbose_name="measured by",
            ),
        ),
    ]
