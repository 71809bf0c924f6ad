"""Filters of the API's lists (django-filter). Meetings and decisions use the pages' own filters (meetings by a
group's slug, as work plans: a slug no group has finds nothing).

The API is stricter than the pages: a filter given with no value is refused (the pages' forms send empty fields),
and every day is written YYYY-MM-DD within the portal's range - what the schema says, so a request the schema
allows is never refused for its form."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from chairs.models import ChairTerm
from groups.models import Agency, Group
from kit.inputs import FIRST_DAY, LAST_DAY, DayInput, parse_day
from meetings import filters as meeting_filters
from workplans.models import Activity, WorkPlan

# A day as parse_day takes it: YYYY-MM-DD within the portal's range (kit.inputs FIRST_DAY to LAST_DAY).
DAY = {
    "type": "string",
    "format": "date",
    "pattern": rf"^({FIRST_DAY.year // 100}[0-9]{{2}}|2[01][0-9]{{2}}|{LAST_DAY.year})-[0-9]{{2}}-[0-9]{{2}}$",
}
NO_NUL = r"^[^\x00]*$"


class DayField(forms.DateField):
    """A day as `parse_day` reads it (YYYY-MM-DD in the portal's range), drawn as the portal's one date input."""

    widget = DayInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_day(value)
        except DjangoValidationError as error:
            raise forms.ValidationError(error.messages) from None


@extend_schema_field(DAY)
class DayFilter(django_filters.Filter):
    field_class = DayField


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing a filter named with an empty value (the schema asks for one)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            empty = sorted(
                name
                for name in filterset_class.base_filters
                if name in request.query_params and "" in request.query_params.getlist(name)
            )
            if empty:
                raise ValidationError({name: [_("Give a value, or leave the parameter out.")] for name in empty})
            # django-filter reads a yes/no it does not know as "either"; the API says what it takes.
            not_yes_or_no = sorted(
                name
                for name, filter_ in filterset_class.base_filters.items()
                if isinstance(filter_, django_filters.BooleanFilter)
                and request.query_params.get(name, "true") not in ("true", "false")
            )
            if not_yes_or_no:
                raise ValidationError({name: [_("Write true or false.")] for name in not_yes_or_no})
        return super().filter_queryset(request, queryset, view)


class StrictFilterExtension(DjangoFilterExtension):
    """The schema of the strict backend's parameters: no empty value, and no NUL in a text (PostgreSQL keeps none;
    Django's forms refuse it)."""

    target_class = "api.filters.StrictFilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        for parameter in parameters:
            schema = parameter["schema"]
            item = schema.get("items", schema) if schema.get("type") == "array" else schema
            if item.get("type") == "string":
                item.setdefault("minLength", 1)
                if "enum" not in item and "format" not in item and "pattern" not in item:
                    item["pattern"] = NO_NUL
        return parameters


class AgencyFilter(django_filters.FilterSet):
    member_on = DayFilter(method="filter_member_on", label=_("Members on this day (YYYY-MM-DD)"))

    class Meta:
        model = Agency
        fields = ["member_on"]

    def filter_member_on(self, queryset, name, value):
        return queryset.members_on(value)


class ChairTermFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ChairTerm.Kind.choices)
    agency = django_filters.CharFilter(field_name="agency__acronym", lookup_expr="iexact", label=_("Agency acronym"))
    year = meeting_filters.YearFilter(method="filter_year", label=_("Terms in year"))

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
    group = django_filters.CharFilter(field_name="group__slug", label=_("Group slug"))

    class Meta:
        model = WorkPlan
        fields = ["kind", "status", "group"]


class ActivityFilter(django_filters.FilterSet):
    workplan = django_filters.CharFilter(field_name="output__stream__workplan__slug", label=_("Work plan slug"))
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices)
    agency = django_filters.CharFilter(method="filter_agency", label=_("Led or partnered by this agency (acronym)"))
    lead_agency = django_filters.CharFilter(method="filter_lead_agency", label=_("Led by this agency (acronym)"))
    year = meeting_filters.YearFilter(field_name="output__year", label=_("Output year"))
    ends_after = DayFilter(field_name="ends_on", lookup_expr="gte")
    ends_before = DayFilter(field_name="ends_on", lookup_expr="lte")

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


class MeetingFilter(meeting_filters.MeetingFilter):
    group = django_filters.CharFilter(field_name="group__slug", label=_("Group slug"))
