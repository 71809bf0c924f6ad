# Membership periods replace an agency's single joined/left dates (an agency may leave and join again).

import django.db.models.deletion
from django.db import migrations, models


def periods_from_agencies(apps, schema_editor):
    """Each agency's joined and left dates become its first membership period."""
    Agency, Membership = apps.get_model("groups", "Agency"), apps.get_model("groups", "Membership")
    Membership.objects.bulk_create(
        [Membership(agency_id=a.pk, joined=a.joined, left=a.left) for a in Agency.objects.all()]
    )


def agencies_from_periods(apps, schema_editor):
    Agency, Membership = apps.get_model("groups", "Agency"), apps.get_model("groups", "Membership")
    for period in Membership.objects.order_by("agency_id", "joined"):
        Agency.objects.filter(pk=period.agency_id).update(joined=period.joined, left=period.left)


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0003_evaluations'),
    ]

    operations = [
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('joined', models.DateField(blank=True, help_text='Empty: a member since before the record starts.', null=True)),
                ('left', models.DateField(blank=True, help_text='Empty: still a member.', null=True)),
                ('note', models.CharField(blank=True, help_text='Where the dates come from.', max_length=300)),
                ('revision', models.PositiveIntegerField(default=1, editable=False)),
                ('token', models.UUIDField(blank=True, editable=False, null=True, unique=True)),
            ],
            options={
                'verbose_name': 'membership period',
                'ordering': ['agency', 'joined'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='agency',
            name='agency_leaves_after_joining',
        ),
        migrations.AddField(
            model_name='agency',
            name='revision',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='agency',
            name='token',
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='membership',
            name='agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='groups.agency'),
        ),
        migrations.RunPython(periods_from_agencies, agencies_from_periods),
        migrations.RemoveField(
            model_name='agency',
            name='joined',
        ),
        migrations.RemoveField(
            model_name='agency',
            name='left',
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('left__isnull', True), ('joined__isnull', True), ('left__gte', models.F('joined')), _connector='OR'), name='membership_leaves_after_joining'),
        ),
    ]
