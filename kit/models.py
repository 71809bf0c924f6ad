"""What the project itself stores: how far the record has changed (kit.record_version)."""

from django.db import models


class RecordChange(models.Model):
    """One statement that changed the record, written by a database trigger on every record table.

    Nothing in Python writes it: PostgreSQL does, for every INSERT, UPDATE, DELETE or TRUNCATE, whatever made it
    (a form, a queryset's update(), a bulk load, the admin, a raw statement). Folded into `RecordVersion` now
    and then, so the table stays small."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        db_table = "gmg_record_change"

    def __str__(self) -> str:
        return f"Change {self.pk} of the record"


class RecordVersion(models.Model):
    """The changes folded out of `RecordChange`: how many there were and the highest id among them."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    changes = models.BigIntegerField(default=0)
    top = models.BigIntegerField(default=0)

    class Meta:
        db_table = "gmg_record_version"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_record_version")]

    def __str__(self) -> str:
        return f"{self.changes} changes of the record folded, up to {self.top}"
