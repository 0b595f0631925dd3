from django.db import migrations, models

# The wording duties drafted from index losses started with, before they had an origin.
INDEX_DUTY_PREFIX = "Chủ trì tham mưu khắc phục các"


def mark(apps, schema_editor):
    Duty = apps.get_model("conferences", "duty")
    Duty.objects.filter(plan__isnull=False, task__startswith=INDEX_DUTY_PREFIX).update(origin="index_losses")


class Migration(migrations.Migration):
    dependencies = [("conferences", "0002_owned_rows_province")]

    operations = [
        migrations.AddField(
            model_name="duty",
            name="origin",
            field=models.CharField(
                choices=[("typed", "Nhập trên cổng"), ("index_losses", "Lập từ các tiêu chí bị mất điểm")],
                default="typed",
                editable=False,
                max_length=20,
                verbose_name="nguồn",
            ),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
