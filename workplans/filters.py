"""Filters of the activity lists ("My agency's activities"): plan, stream, year, status, overdue."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone

from workplans.models import Activity, WorkPlan, WorkStream


class ActivityFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        field_name="output__stream__workplan",
        queryset=WorkPlan.objects.order_by("-starts_on", "title"),
        label="Work plan",
        empty_label="Any work plan",
    )
    stream = django_filters.ModelChoiceFilter(
        field_name="output__stream",
        queryset=WorkStream.objects.select_related("workplan").order_by("-workplan__starts_on", "position"),
        label="Work stream",
        empty_label="Any work stream",
    )
    year = django_filters.NumberFilter(field_name="output__year", label="Year")
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices, label="Status", empty_label="Any status")
    overdue = django_filters.ChoiceFilter(
        choices=[("yes", "Overdue only"), ("no", "Not overdue")],
        method="filter_overdue",
        label="Overdue",
        empty_label="Overdue or not",
    )

    class Meta:
        model = Activity
        fields = ["plan", "stream", "year", "status", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stream_field = self.form.fields["stream"]
        stream_field.label_from_instance = lambda stream: f"{stream.workplan.title[:40]} – {stream.title}"
        self.form.fields["year"].widget = forms.NumberInput(attrs={"min": 1990, "max": 2100})

    def filter_overdue(self, queryset, name, value):
        """Overdue: ended before today and neither completed nor cancelled (Activity.objects.overdue_on)."""
        overdue = Activity.objects.overdue_on(timezone.localdate()).values("pk")
        if value == "yes":
            return queryset.filter(pk__in=overdue)
        if value == "no":
            return queryset.exclude(pk__in=overdue)
        return queryset
