"""The stored register of dated obligations: one row per obligation."""

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from groups.models import Agency, Group
from kit.fields import IdList


class RegisterEntry(models.Model):
    """One obligation of the deadline register, as stored (register/stored.py keeps it current).

    The rules that make the rows live in `register.deadlines` (the register computed from the record); this is
    their stored copy, read by `reading.obligations()`. The state (upcoming, due, overdue, done) is not stored:
    it follows from the day the register is read on.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    title = models.TextField()
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    # Done on its own day, by the rule (a group chair's 1 January handover): done once the day has come.
    done_when_due = models.BooleanField(default=False)
    url = models.CharField(max_length=300)
    audience = models.CharField(max_length=20)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Every agency responsible, in order (the first is `agency`); the register filters by agency on it.
    agency_ids = IdList(default=list, blank=True)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    chair_term = models.ForeignKey(
        to="chairs.ChairTerm", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_type = models.ForeignKey(to="contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    subject_id = models.BigIntegerField()

    class Meta:
        # Made when the register was part of the meetings app; the table kept its name.
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        db_table = "meetings_registerentry"
        indexes = [
            models.Index(fields=["due", "kind"], name="register_due_kind"),
            models.Index(fields=["subject_type", "subject_id"], name="register_subject"),
            GinIndex(fields=["agency_ids"], name="register_agency_ids"),
            # The open obligations (the register page's default), counted from this index alone.
            models.Index(
                fields=["due", "done_when_due"], condition=Q(done_on__isnull=True), name="register_open_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due}: {self.title}"
