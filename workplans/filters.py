"""Filters of the activity lists ("My agency's activities"): plan, stream, year, status, overdue, reporting round."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from kit.widgets import LongSelect, choices_as_values
from workplans.models import Activity, WorkPlan, WorkStream


class ActivityFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        field_name="output__stream__workplan",
        queryset=WorkPlan.objects.order_by("-starts_on", "title"),
        label=_("Work plan"),
        empty_label=_("Any work plan"),
        widget=LongSelect,  # every plan: 100 of them at 100x
    )
    stream = django_filters.ModelChoiceFilter(
        field_name="output__stream",
        queryset=WorkStream.objects.select_related("workplan").order_by("-workplan__starts_on", "position"),
        label=_("Work stream"),
        empty_label=_("Any work stream"),
        widget=LongSelect,
    )
    year = django_filters.NumberFilter(field_name="output__year", label=_("Year"))
    status = django_filters.ChoiceFilter(
        choices=Activity.Status.choices, label=_("Status"), empty_label=_("Any status"), widget=LongSelect
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", _("Overdue only")), ("no", _("Not overdue"))],
        method="filter_overdue",
        label=_("Overdue"),
        empty_label=_("Overdue or not"),
        widget=LongSelect,
    )

    reporting = django_filters.ChoiceFilter(
        choices=[("due", _("Due in the open round")), ("unreported", _("Due and not yet reported"))],
        method="filter_reporting",
        label=_("Reporting round"),
        empty_label=_("Any"),
        widget=LongSelect,
    )

    class Meta:
        model = Activity
        fields = ["plan", "stream", "year", "status", "overdue", "reporting"]

    def __init__(self, *args, day=None, agency=None, rounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day  # the day the list is seen as of (kit.as_of); today by default
        self.agency = agency  # whose reporting the round filter asks about
        self.rounds = rounds  # the rounds open on the day, when the page has read them already
        choices_as_values(self.form.fields["plan"], "title")  # a plan is named by its title
        stream_field = self.form.fields["stream"]
        stream_field.label_from_instance = lambda stream: f"{stream.workplan.title[:40]} – {stream.title}"
        # The streams of the chosen plan only (a list of every stream of every plan grows with the record).
        plan, stream = (self.data or {}).get("plan", ""), (self.data or {}).get("stream", "")
        if str(plan).isdigit():
            stream_field.queryset = stream_field.queryset.filter(workplan_id=plan)
        elif str(stream).isdigit():
            stream_field.queryset = stream_field.queryset.filter(pk=stream)
        else:
            stream_field.queryset = stream_field.queryset.none()
            stream_field.help_text = _("Choose a work plan first.")
        self.form.fields["year"].widget = forms.NumberInput(attrs={"min": 1990, "max": 2100})

    @property
    def narrows(self) -> bool:
        """Whether a filter is set: without one the list is the whole of `queryset` (a value that is not valid is
        left out, as `qs` leaves it out)."""
        if not self.is_bound:
            return False
        self.errors  # noqa: B018  (validates the form, as `qs` does, so cleaned_data holds the valid values)
        return any(value not in EMPTY_VALUES for value in self.form.cleaned_data.values())

    def filter_overdue(self, queryset, name, value):
        """Overdue: ended before the day and neither completed nor cancelled (Activity.objects.overdue_on)."""
        # Each row's own dates and status, not a subquery of every overdue activity (a read of the whole table).
        day = self.day or timezone.localdate()
        if value == "yes":
            return queryset.overdue_on(day)
        if value == "no":
            return queryset.not_overdue_on(day)
        return queryset

    def filter_reporting(self, queryset, name, value):
        """Due: the agency leads it in the scope of a round open on the day; unreported: and has not answered."""
        from workplans.selectors import activities_due_in_rounds, reporting_rounds_open_on

        if value not in {"due", "unreported"} or self.agency is None:
            return queryset
        rounds = self.rounds if self.rounds is not None else reporting_rounds_open_on(self.day or timezone.localdate())
        return activities_due_in_rounds(queryset, agency=self.agency, rounds=rounds, unreported=value == "unreported")
