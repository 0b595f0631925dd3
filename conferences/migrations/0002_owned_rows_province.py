"""Basis documents, content items and duties carry their owner's province,
so the province scope reaches them by one path whether a conference or a
plan owns them."""

import django.db.models.deletion
from django.db import migrations, models

OWNED = ("basisdocument", "contentitem", "duty")


def fill(apps, schema_editor):
    for name in OWNED:
        model = apps.get_model("conferences", name)
        for row in model.objects.select_related("conference", "plan").iterator():
            row.province_id = (row.conference or row.plan).province_id
            row.save(update_fields=["province"])


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0002_unaccent"),
        ("conferences", "0001_initial"),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name=name,
                name="province",
                field=models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="agencies.province",
                    verbose_name="tỉnh",
                ),
            )
            for name in OWNED
        ],
        migrations.RunPython(fill, migrations.RunPython.noop),
        *[
            migrations.AlterField(
                model_name=name,
                name="province",
                field=models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="agencies.province",
                    verbose_name="tỉnh",
                ),
            )
            for name in OWNED
        ],
    ]
