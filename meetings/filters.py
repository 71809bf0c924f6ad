"""Filters of the meeting and decision lists (django-filter): kind, group, year, status."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from groups.models import Group

from .models import Decision, Meeting

FIRST_YEAR, LAST_YEAR = 1990, 2100


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearFilter(django_filters.NumberFilter):
    """A year, a whole number from 1990 to 2100 (the API's schema says so too)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices, empty_label=_("Any kind"), label=_("Kind"))
    group = django_filters.ModelChoiceFilter(
        queryset=Group.objects.order_by("kind", "name"),
        to_field_name="slug",
        empty_label=_("Any group or none"),
        label=_("Group"),
    )
    year = YearFilter(
        field_name="starts_on",
        lookup_expr="year",
        label=_("Year"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices, empty_label=_("Any status"), label=_("Status"))

    class Meta:
        model = Meeting
        fields = ["kind", "group", "year", "status"]


class DecisionFilter(django_filters.FilterSet):
    year = YearFilter(field_name="meeting__starts_on", lookup_expr="year", label=_("Year taken"))
    on_trial = django_filters.BooleanFilter(
        field_name="trial_months",
        lookup_expr="isnull",
        exclude=True,
        label=_("On trial"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("On trial")), ("false", _("Not on trial"))]),
    )

    class Meta:
        model = Decision
        fields = ["year", "on_trial"]
