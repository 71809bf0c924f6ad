"""What the API shows of the record: the pages' fields, with agencies named by acronym and links to the pages."""

from __future__ import annotations

from rest_framework import serializers

from chairs.models import ChairTerm
from chairs.services import annual_report_due
from gmg_portal.pagination import url_for_each
from groups.models import Agency, Group
from meetings.models import Decision, Meeting
from workplans.models import Activity, ActivityUpdate, Output, WorkPlan, WorkStream
from workplans.services import SNAPSHOT_FIELDS


class PageLinkMixin(serializers.Serializer):
    page = serializers.SerializerMethodField(help_text="The record's page in the portal.")

    def get_page(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request is not None else url


def acronyms() -> serializers.Field:
    """Agencies named by acronym (a new field each time: DRF binds a field to one name)."""
    return serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)


class AgencySerializer(PageLinkMixin, serializers.ModelSerializer):
    joined = serializers.DateField(read_only=True, help_text="The start of its first membership period.")
    left = serializers.DateField(read_only=True, help_text="The end of its last membership period (null: a member).")
    memberships = serializers.SerializerMethodField(help_text="Its membership periods: joined and left days.")

    class Meta:
        model = Agency
        fields = ["id", "acronym", "name", "sort_name", "joined", "left", "memberships", "declines_to_chair", "page"]

    def get_memberships(self, agency) -> list[dict]:
        return [{"joined": period.joined, "left": period.left} for period in agency.periods]


class ChairTermSerializer(PageLinkMixin, serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    co_chair = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    annual_report_due = serializers.SerializerMethodField(
        help_text="Annex I, working level ix: two months after the term ends."
    )

    class Meta:
        model = ChairTerm
        fields = [
            "id",
            "key",
            "kind",
            "agency",
            "co_chair",
            "starts_on",
            "ends_on",
            "letter_of_commitment_received_on",
            "workplan_endorsed_on",
            "annual_report_due",
            "annual_report_submitted_on",
            "replaced_on",
            "page",
        ]

    def get_annual_report_due(self, term) -> str:
        return annual_report_due(term).isoformat()


class TroikaMemberSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.acronym")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    term_id = serializers.SerializerMethodField()

    def get_term_id(self, member) -> int | None:
        return member.pk if isinstance(member, ChairTerm) else None


class TroikaSerializer(serializers.Serializer):
    day = serializers.DateField()
    previous = TroikaMemberSerializer(allow_null=True)
    current = TroikaMemberSerializer(allow_null=True)
    next = TroikaMemberSerializer(allow_null=True)
    next_is_proposed = serializers.BooleanField(help_text="True: no term is planned yet; the rotation proposes it.")


class GroupSerializer(PageLinkMixin, serializers.ModelSerializer):
    co_chairs = serializers.SerializerMethodField()
    participating = acronyms()

    class Meta:
        model = Group
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "kind",
            "status",
            "established_on",
            "co_chairs",
            "chair_rotates_annually",
            "participating",
            "page",
        ]

    def get_co_chairs(self, group) -> list[str]:
        return [link.agency.acronym for link in group.co_chair_links.all()]


class ActivitySerializer(PageLinkMixin, serializers.ModelSerializer):
    lead_agencies = acronyms()
    partners = acronyms()
    output = serializers.PrimaryKeyRelatedField(read_only=True)

    def get_page(self, activity) -> str:
        # A page of 50 (or 200) activities: their addresses from one reversed address, not a reverse() each.
        url = url_for_each("workplans:activity_detail")(activity.pk)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    class Meta:
        model = Activity
        # The fields a version of the plan keeps, with what the portal read from the timeframe and the revision.
        fields = [
            "id",
            "output",
            "position",
            *SNAPSHOT_FIELDS,
            "timeframe_unread",
            "timeframe_tentative",
            "cost_as_written",
            "revision",
            "page",
        ]


class OutputSerializer(serializers.ModelSerializer):
    activities = ActivitySerializer(many=True, read_only=True)

    class Meta:
        model = Output
        fields = ["id", "year", "position", "number", "title", "description", "activities"]


class WorkStreamSerializer(serializers.ModelSerializer):
    lead_group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    outputs = OutputSerializer(many=True, read_only=True)

    class Meta:
        model = WorkStream
        fields = [
            "id",
            "position",
            "title",
            "kind",
            "lead_group",
            "led_by_chair",
            "objectives",
            "expected_results",
            "estimated_cost",
            "currency",
            "outputs",
        ]


class WorkPlanSerializer(PageLinkMixin, serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    chair_term = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = WorkPlan
        fields = [
            "id",
            "slug",
            "title",
            "kind",
            "status",
            "starts_on",
            "ends_on",
            "group",
            "chair_term",
            "adopted_on",
            "summary",
            "revision",
            "page",
        ]


class WorkPlanDetailSerializer(WorkPlanSerializer):
    streams = WorkStreamSerializer(many=True, read_only=True)

    class Meta(WorkPlanSerializer.Meta):
        fields = [*WorkPlanSerializer.Meta.fields, "streams"]


class MeetingSerializer(PageLinkMixin, serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    attendees = acronyms()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "kind",
            "group",
            "status",
            "starts_on",
            "ends_on",
            "date_as_written",
            "venue",
            "attendees",
            "minutes_shared_on",
            "page",
        ]


class DecisionSerializer(PageLinkMixin, serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)
    taken_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "meeting",
            "taken_on",
            "number",
            "title",
            "text",
            "trial_months",
            "review_on",
            "reviewed_on",
            "page",
        ]


class ObligationSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    due = serializers.DateField()
    state = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)
    agency = serializers.CharField(source="agency.acronym", allow_null=True, default=None)
    agencies = serializers.SerializerMethodField()
    audience = serializers.CharField()
    page = serializers.SerializerMethodField()

    def get_agencies(self, obligation) -> list[str]:
        return [a.acronym for a in obligation.agencies]

    def get_page(self, obligation) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(obligation.url) if request is not None else obligation.url


class ActivityUpdateSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    author = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = ActivityUpdate
        fields = ["id", "activity", "agency", "author", "reported_on", "status", "narrative", "review", "links"]
        read_only_fields = fields

    def get_author(self, update) -> str:
        author = update.author
        return (author.get_full_name() or author.username) if author is not None else ""

    def get_links(self, update) -> list[str]:
        return [a.url for a in update.attachments.all() if a.url]


class ActivityUpdateInputSerializer(serializers.Serializer):
    """A progress update as the API takes it; the page's form checks it (one set of rules for both)."""

    status = serializers.ChoiceField(choices=Activity.Status.choices)
    narrative = serializers.CharField(help_text="What happened: progress since the last update.")
    links = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    agency = serializers.CharField(
        required=False, help_text="Support staff only: the acronym of the agency reported for (one of the activity's)."
    )
    token = serializers.UUIDField(
        help_text="Any new UUID per update: sending the same update twice with the same token files it once.",
    )
