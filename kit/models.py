"""What the project itself stores: how far the record has changed (kit.record_version)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordChange(models.Model):
    """One statement that changed a part of the record, written by a database trigger on every record table.

    Nothing in Python writes it: PostgreSQL does, for every INSERT, UPDATE, DELETE or TRUNCATE, whatever made it
    (a form, a queryset's update(), a bulk load, the admin, a raw statement). `part` names what changed: the
    table, or an owner's share of the record such as one work plan ("workplan:12"). Folded into
    `RecordPartVersion` now and then, so the table stays small."""

    id = models.BigAutoField(primary_key=True)
    part = models.CharField(max_length=100, default="", db_default="")

    class Meta:
        verbose_name = _("record change")
        verbose_name_plural = _("record changes")
        db_table = "gmg_record_change"
        indexes = [models.Index(fields=["part", "id"], name="gmg_record_change_part")]

    def __str__(self) -> str:
        return f"Change {self.pk} of {self.part or 'the record'}"


class RecordPartVersion(models.Model):
    """The changes of one part folded out of `RecordChange`: how many there were and the highest id among them."""

    part = models.CharField(max_length=100, primary_key=True)
    changes = models.BigIntegerField(default=0)
    top = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("record part version")
        verbose_name_plural = _("record part versions")
        db_table = "gmg_record_part_version"

    def __str__(self) -> str:
        return f"{self.changes} changes of {self.part or 'the record'} folded, up to {self.top}"
