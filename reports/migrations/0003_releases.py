"""Tallies become releases: each keeps its figures and gets a number and a method."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def number_existing_tallies(apps, schema_editor):
    TallyRun = apps.get_model("reports", "TallyRun")
    consultations = TallyRun.objects.values_list("consultation_id", flat=True).distinct()
    for consultation_id in consultations:
        runs = TallyRun.objects.filter(consultation_id=consultation_id).order_by("computed_at", "id")
        for number, run in enumerate(runs, start=1):
            TallyRun.objects.filter(pk=run.pk).update(number=number, method="hypercube-1")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="tallyrun",
            name="number",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="release number"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="tallyrun",
            name="method",
            field=models.CharField(default="hypercube-1", max_length=40, verbose_name="protection method"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="tallyrun",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="tallyrun",
            name="is_demo",
            field=models.BooleanField(default=False, verbose_name="made-up demonstration data"),
        ),
        migrations.RunPython(number_existing_tallies, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tallyrun",
            name="computed_at",
            field=models.DateTimeField(verbose_name="counted at"),
        ),
        migrations.AlterModelOptions(
            name="tallyrun",
            options={"verbose_name": "release", "verbose_name_plural": "releases"},
        ),
        migrations.AddConstraint(
            model_name="tallyrun",
            constraint=models.UniqueConstraint(fields=("consultation", "number"), name="release_number_once"),
        ),
        migrations.AddConstraint(
            model_name="tallyrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_final", True)), fields=("consultation",), name="one_final_release"
            ),
        ),
    ]
