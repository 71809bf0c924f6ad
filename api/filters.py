"""Filters of the API's lists (django-filter). Meetings and decisions use the pages' own filters."""

import django_filters
from django.db.models import Exists, OuterRef

from chairs.models import ChairTerm
from gmg_portal.inputs import DayInput
from groups.models import Agency, Group
from workplans.models import Activity, WorkPlan


class AgencyFilter(django_filters.FilterSet):
    member_on = django_filters.DateFilter(
        method="filter_member_on", label="Members on this day (YYYY-MM-DD)", widget=DayInput()
    )

    class Meta:
        model = Agency
        fields = ["member_on"]

    def filter_member_on(self, queryset, name, value):
        return queryset.members_on(value)


class ChairTermFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ChairTerm.Kind.choices)
    agency = django_filters.CharFilter(field_name="agency__acronym", lookup_expr="iexact", label="Agency acronym")
    year = django_filters.NumberFilter(method="filter_year", min_value=1990, max_value=2100, label="Terms in year")

    class Meta:
        model = ChairTerm
        fields = ["kind", "agency", "year"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(starts_on__year__lte=value, ends_on__year__gte=value)


class GroupFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Group.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Group.Status.choices)

    class Meta:
        model = Group
        fields = ["kind", "status"]


class WorkPlanFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=WorkPlan.Kind.choices)
    status = django_filters.ChoiceFilter(choices=WorkPlan.Status.choices)
    group = django_filters.CharFilter(field_name="group__slug", label="Group slug")

    class Meta:
        model = WorkPlan
        fields = ["kind", "status", "group"]


class ActivityFilter(django_filters.FilterSet):
    workplan = django_filters.CharFilter(field_name="output__stream__workplan__slug", label="Work plan slug")
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices)
    agency = django_filters.CharFilter(method="filter_agency", label="Led or partnered by this agency (acronym)")
    lead_agency = django_filters.CharFilter(method="filter_lead_agency", label="Led by this agency (acronym)")
    year = django_filters.NumberFilter(field_name="output__year", min_value=1990, max_value=2100, label="Output year")
    ends_after = django_filters.DateFilter(field_name="ends_on", lookup_expr="gte", widget=DayInput())
    ends_before = django_filters.DateFilter(field_name="ends_on", lookup_expr="lte", widget=DayInput())

    class Meta:
        model = Activity
        fields = ["workplan", "status", "agency", "lead_agency", "year", "ends_after", "ends_before"]

    def filter_lead_agency(self, queryset, name, value):
        # EXISTS of the agency's own id, not a join made distinct: the planner knows then how many it leads, and
        # the page's ids come in plan order from the index, unsorted.
        agency = Agency.objects.filter(acronym__iexact=value).first()
        if agency is None:
            return queryset.none()
        leads = Activity.lead_agencies.through.objects.filter(activity_id=OuterRef("pk"), agency_id=agency.pk)
        return queryset.filter(Exists(leads))

    def filter_agency(self, queryset, name, value):
        agency = Agency.objects.filter(acronym__iexact=value).first()
        return queryset.involving(agency) if agency is not None else queryset.none()
