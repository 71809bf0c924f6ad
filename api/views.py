"""The REST API (issue 11, item 4): the record read as the pages read it, progress updates written as the
report page writes them. Every permission is asked of the apps' access.py; every write goes through the
services the pages call, with the pages' form doing the checking.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.filters import DAY, ActivityFilter, AgencyFilter, ChairTermFilter, GroupFilter, MeetingFilter, WorkPlanFilter
from chairs.models import ChairTerm
from chairs.services import troika_on
from groups.models import Agency, Group, GroupCoChair
from kit import record_version
from kit.inputs import LAST_DAY, parse_day
from meetings.filters import DecisionFilter
from meetings.models import Decision, Meeting
from register.deadlines import KINDS
from register.reading import obligations
from workplans import selectors as workplan_selectors
from workplans import services as workplan_services
from workplans.access import can_report_on
from workplans.forms import ActivityUpdateForm
from workplans.models import Activity, ActivityUpdate, UpdateAttachment, WorkPlan
from workplans.views.updates import REPORT_REFUSED

DEADLINES_DEFAULT_DAYS, DEADLINES_MAX_DAYS = 90, 366 * 5
ID = r"[0-9]{1,18}"


class Conflict(APIException):
    """The request is well formed but conflicts with the record as it is (409), with the reasons per field."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the record as it is.")
    default_code = "conflict"


class KeptList:
    """A list's page as the API serializes it, kept under the record's version (kit.record_version).

    Everyone signed in reads the whole record through the API (api/permissions.py), so a page depends on the
    record and on its address alone: the filters, the page and its size are in the query string, and the links
    in it (the records' pages, the next and previous pages) are made from the scheme and host it was asked at.
    A refusal (a filter, a page or a page size that cannot be read) is raised, never kept. Who may ask is still
    asked each time (authentication, permission, throttling run before `list`)."""

    def list(self, request, *args, **kwargs):
        def make():
            return super(KeptList, self).list(request, *args, **kwargs).data

        data = record_version.kept(f"api:{self.basename}", (request.build_absolute_uri(),), make)
        return Response(data)


def _day(request, name: str, default: date | None) -> date | None:
    """A day from the query string, by the portal's one rule for days (kit.inputs.parse_day)."""
    value = request.query_params.get(name)
    if value is None:
        return default
    try:
        return parse_day(value)
    except DjangoValidationError as error:
        raise ValidationError({name: error.messages}) from None


class AgencyViewSet(KeptList, viewsets.ReadOnlyModelViewSet):
    """The member entities, with the days they joined and left."""

    queryset = Agency.objects.prefetch_related("memberships").order_by("sort_name", "acronym")
    serializer_class = s.AgencySerializer
    filterset_class = AgencyFilter
    lookup_value_regex = ID


class ChairTermViewSet(KeptList, viewsets.ReadOnlyModelViewSet):
    """Chair terms, planned and actual (seed 000, decision 1), with the annual report's due date."""

    queryset = ChairTerm.objects.select_related("agency", "co_chair").order_by("starts_on", "kind", "pk")
    serializer_class = s.ChairTermSerializer
    filterset_class = ChairTermFilter
    lookup_value_regex = ID


@extend_schema(
    parameters=[OpenApiParameter("on", DAY, description=_("The day (default: today)."))],
    responses=s.TroikaSerializer,
)
class TroikaView(APIView):
    """The previous, current and next chair on a day, derived from the chair terms (decision 1)."""

    def get(self, request):
        from django.utils import timezone

        day = _day(request, "on", timezone.localdate())
        return Response(s.TroikaSerializer(troika_on(day)).data)


class GroupViewSet(KeptList, viewsets.ReadOnlyModelViewSet):
    """Working groups and task forces with their co-chairs (in their rotation order) and participants."""

    queryset = Group.objects.order_by("kind", "name").prefetch_related(
        Prefetch("co_chair_links", queryset=GroupCoChair.objects.select_related("agency").order_by("position")),
        Prefetch("participating", queryset=Agency.objects.order_by("acronym")),
    )
    serializer_class = s.GroupSerializer
    filterset_class = GroupFilter
    lookup_field = "slug"


class WorkPlanViewSet(KeptList, viewsets.ReadOnlyModelViewSet):
    """Work plans; one plan comes with its streams, their outputs and the outputs' activities."""

    queryset = WorkPlan.objects.select_related("group").order_by("-starts_on", "title")
    filterset_class = WorkPlanFilter
    lookup_field = "slug"

    def get_serializer_class(self):
        return s.WorkPlanDetailSerializer if self.action == "retrieve" else s.WorkPlanSerializer

    def get_object(self):
        try:
            return workplan_selectors.workplan_for_page(self.kwargs["slug"])
        except WorkPlan.DoesNotExist:
            raise Http404(_("No work plan has this slug.")) from None


update_response = inline_serializer(
    "ActivityUpdateFiled", {"update": s.ActivityUpdateSerializer(), "created": serializers.BooleanField()}
)


@extend_schema_view(
    updates=extend_schema(
        methods=["GET"], responses=s.ActivityUpdateSerializer(many=True), description=_("The activity's updates.")
    ),
)
class ActivityViewSet(KeptList, viewsets.ReadOnlyModelViewSet):
    """Activities in plan order, with their agencies; their progress updates, read and filed."""

    queryset = workplan_selectors.activities_for_api()
    serializer_class = s.ActivitySerializer
    filterset_class = ActivityFilter
    lookup_value_regex = ID
    page_by_pk = True

    @extend_schema(
        methods=["POST"],
        request=s.ActivityUpdateInputSerializer,
        responses={201: update_response, 200: update_response},
        description=(
            _(
                "File a progress update, as the activity's report page does: a focal point of an agency that leads "
                "or takes part in the activity files for its own agency; support staff for one of the activity's "
                "agencies. The same token sent twice files one update."
            )
        ),
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def updates(self, request, pk=None, format=None):  # the router adds a .json format suffix
        activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
        if request.method == "GET":
            rows = (
                ActivityUpdate.objects.filter(activity=activity)
                .exclude(review=ActivityUpdate.Review.RETURNED)
                .select_related("agency", "author")
                .prefetch_related(Prefetch("attachments", queryset=UpdateAttachment.objects.order_by("pk")))
            )
            return Response(s.ActivityUpdateSerializer(rows, many=True).data)
        if not can_report_on(request.user, activity):
            raise PermissionDenied(REPORT_REFUSED)
        return self._file_update(request, activity)

    def _file_update(self, request, activity):
        incoming = s.ActivityUpdateInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        agencies = workplan_selectors.agencies_reported_for(request.user, activity)
        named = data["agency"]
        if agencies is None:
            own = request.user.agency.acronym
            if named.casefold() != own.casefold():
                raise PermissionDenied(
                    _("A focal point reports for its own agency (%(own)s), not %(named)r.")
                    % {"own": own, "named": named[:40]}
                )
        form_data = {
            "status": data["status"],
            "narrative": data["narrative"],
            "links": "\n".join(data["links"]),
            "token": str(data["token"]) if data.get("token") else "",
        }
        if agencies is not None:
            chosen = agencies.filter(acronym__iexact=named).first()
            if chosen is None:
                choices = ", ".join(a.acronym for a in agencies)
                raise Conflict(
                    {"agency": [_("Name the agency you report for, one of: %(choices)s.") % {"choices": choices}]}
                )
            form_data["agency"] = chosen.pk
        form = ActivityUpdateForm(form_data, {}, agencies=agencies)
        if not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        cleaned = form.cleaned_data
        update, created = workplan_services.activity_update_submit(
            activity=activity,
            author=request.user,
            agency=cleaned["agency"] if agencies is not None else request.user.agency,
            status=cleaned["status"],
            narrative=cleaned["narrative"],
            links=cleaned["links"],
            token=cleaned["token"],
        )
        if not created and (update.activity_id != activity.pk or update.author_id != request.user.pk):
            raise Conflict({"token": [_("This token was already used for another update; send a new one.")]})
        update = (
            ActivityUpdate.objects.select_related("agency", "author").prefetch_related("attachments").get(pk=update.pk)
        )
        body = {"update": s.ActivityUpdateSerializer(update).data, "created": created}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class MeetingViewSet(KeptList, viewsets.ReadOnlyModelViewSet):
    """Meetings, newest first, filtered as on the meetings page (kind, group slug, year, status)."""

    queryset = (
        Meeting.objects.select_related("group")
        .prefetch_related(Prefetch("attendees", queryset=Agency.objects.order_by("acronym")))
        .order_by(F("starts_on").desc(nulls_last=True), "title", "pk")
    )
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilter
    lookup_value_regex = ID


class DecisionViewSet(KeptList, viewsets.ReadOnlyModelViewSet):
    """Decisions as on the decisions page (year taken, on trial)."""

    queryset = Decision.objects.select_related("meeting").order_by("meeting__starts_on", "number", "pk")
    serializer_class = s.DecisionSerializer
    filterset_class = DecisionFilter
    lookup_value_regex = ID


@extend_schema(
    parameters=[
        OpenApiParameter("from", DAY, description=_("First due date (default: today).")),
        OpenApiParameter(
            "to",
            DAY,
            description=format_lazy(
                _(
                    "Last due date (default: {default} days after the first); not before the first, at most {most} "
                    "days after it (else 400)."
                ),
                default=DEADLINES_DEFAULT_DAYS,
                most=DEADLINES_MAX_DAYS,
            ),
        ),
        OpenApiParameter(
            "agency",
            {"type": "string", "pattern": r"^[^\x00]*$"},
            description=_("Only what this agency (acronym) is responsible for; an acronym no agency has: 404."),
        ),
        OpenApiParameter("kind", str, many=True, enum=sorted(KINDS), description=_("Only these kinds.")),
        OpenApiParameter("overdue", bool, description=_("Also what is still overdue from before the first date.")),
    ],
)
class DeadlineList(generics.ListAPIView):
    """The register of dated obligations (register/deadlines.py), as `manage.py deadlines` prints it."""

    serializer_class = s.ObligationSerializer
    filter_backends = []

    def get_queryset(self):
        from django.utils import timezone

        today = timezone.localdate()
        params = self.request.query_params
        first = _day(self.request, "from", today)
        last = _day(self.request, "to", None) or min(first + timedelta(days=DEADLINES_DEFAULT_DAYS), LAST_DAY)
        if last < first:
            raise ValidationError({"to": [_("The last due date is before the first.")]})
        if (last - first).days > DEADLINES_MAX_DAYS:
            raise ValidationError(
                {"to": [_("Ask for at most %(days)s days at a time.") % {"days": DEADLINES_MAX_DAYS}]}
            )
        agency = None
        if params.get("agency"):
            if "\x00" in params["agency"]:  # PostgreSQL keeps no NUL in text: no agency can have it
                raise ValidationError({"agency": [_("An acronym holds no NUL character.")]})
            agency = Agency.objects.filter(acronym__iexact=params["agency"].strip()).first()
            if agency is None:
                raise NotFound(_("No agency has the acronym %(acronym)r.") % {"acronym": params["agency"][:40]})
        kinds = params.getlist("kind")
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown:
            raise ValidationError(
                {
                    "kind": [
                        _("Unknown kinds: %(unknown)s. Known: %(known)s.")
                        % {"unknown": ", ".join(unknown), "known": ", ".join(sorted(KINDS))}
                    ]
                }
            )
        overdue = params.get("overdue", "false").lower()
        if overdue not in {"true", "false", "1", "0"}:
            raise ValidationError({"overdue": [_("Write true or false.")]})
        return obligations(
            first=first,
            last=last,
            today=today,
            agency=agency,
            kinds=set(kinds) or None,
            include_overdue=overdue in {"true", "1"},
        )


@csrf_exempt  # nothing is done: any method, with or without a session, learns only that there is no such address
def no_such_address(request, *args, **kwargs):
    """An address under /api/ that names no operation (or a malformed id): 404 in the API's own error form."""
    return JsonResponse({"detail": _("No such address in the API; /api/docs/ lists them.")}, status=404)
