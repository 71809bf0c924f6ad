"""Filters of the meeting and decision lists (django-filter): kind, group, year, status."""

import django_filters
from django import forms

from groups.models import Group

from .models import Decision, Meeting


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices, empty_label="Any kind")
    group = django_filters.ModelChoiceFilter(
        queryset=Group.objects.order_by("kind", "name"), to_field_name="slug", empty_label="Any group or none"
    )
    year = django_filters.NumberFilter(
        field_name="starts_on",
        lookup_expr="year",
        label="Year",
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices, empty_label="Any status")

    class Meta:
        model = Meeting
        fields = ["kind", "group", "year", "status"]


class DecisionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        field_name="meeting__starts_on", lookup_expr="year", label="Year taken", min_value=1990, max_value=2100
    )
    on_trial = django_filters.BooleanFilter(
        field_name="trial_months",
        lookup_expr="isnull",
        exclude=True,
        label="On trial",
        widget=forms.Select(choices=[("", "Any"), ("true", "On trial"), ("false", "Not on trial")]),
    )

    class Meta:
        model = Decision
        fields = ["year", "on_trial"]
