"""The activities' stored plan order (workplans/plan_order.py), indexed with the id so a list in plan order reads
its page of ids from the index alone; the key of every existing activity is filled here."""

from django.db import migrations, models


def fill_plan_order(apps, schema_editor):
    from workplans import plan_order

    Activity = apps.get_model("workplans", "Activity")
    Activity.objects.update(plan_order=plan_order.key(apps.get_model("workplans", "Output")))


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0009_dated_co_chairs_and_group_revision"),
        ("workplans", "0007_merge_20261202_0503"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="plan_order",
            field=models.CharField(default="", editable=False, max_length=40),
        ),
        migrations.RunPython(fill_plan_order, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["plan_order", "id"], name="activity_plan_order_idx"),
        ),
    ]
