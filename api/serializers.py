"""What the API shows of the record: the pages' fields, with agencies named by acronym and links to the pages."""

from __future__ import annotations

from datetime import date

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chairs.models import ChairTerm
from chairs.services import annual_report_due
from groups.models import Agency, Group
from kit.pagination import url_for_each
from meetings.models import Decision, Meeting
from workplans.models import Activity, ActivityUpdate, Output, UpdateAttachment, WorkPlan, WorkStream
from workplans.services import SNAPSHOT_FIELDS

# Python's whitespace (what str.strip() removes), spelled out so the schema's pattern means the same in every
# regular expression dialect a client validates with (ECMA-262's \s differs from Python's).
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NARRATIVE = rf"^[^\x00]*[^\x00{WHITESPACE}][^\x00]*$"
NO_NUL = r"^[^\x00]*$"
WEB_ADDRESS = r"^https?://"
NOT_A_WEB_ADDRESS = _("This is not a web address (it starts with https:// or http://).")
LINK_MAX_LENGTH = UpdateAttachment._meta.get_field("url").max_length


class PageLinkMixin(serializers.Serializer):
    page = serializers.SerializerMethodField(help_text=_("The record's page in the portal."))

    def get_page(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request is not None else url


def acronyms() -> serializers.Field:
    """Agencies named by acronym (a new field each time: DRF binds a field to one name)."""
    return serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)


class MembershipSerializer(serializers.Serializer):
    joined = serializers.DateField(allow_null=True, help_text=_("null: the day it joined is not recorded."))
    left = serializers.DateField(allow_null=True, help_text=_("null: still a member."))


class AgencySerializer(PageLinkMixin, serializers.ModelSerializer):
    joined = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("The start of its first membership period (null: none recorded).")
    )
    left = serializers.DateField(
        read_only=True, allow_null=True, help_text=_("The end of its last membership period (null: a member).")
    )
    memberships = MembershipSerializer(
        source="periods", many=True, read_only=True, help_text=_("Its membership periods: joined and left days.")
    )

    class Meta:
        model = Agency
        fields = ["id", "acronym", "name", "sort_name", "joined", "left", "memberships", "declines_to_chair", "page"]


class ChairTermSerializer(PageLinkMixin, serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    co_chair = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    annual_report_due = serializers.SerializerMethodField(
        help_text=_("Annex I, working level ix: two months after the term ends.")
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

    def get_annual_report_due(self, term) -> date:
        return annual_report_due(term)


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
    next_is_proposed = serializers.BooleanField(help_text=_("True: no term is planned yet; the rotation proposes it."))


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
    lead_group = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=_("null: the chair leads the stream.")
    )
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
    group = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=_("A group's own plan: the group (else null).")
    )
    chair_term = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("A chair's annual plan: its term (else null).")
    )

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
    group = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=_("A group's meeting: the group (else null).")
    )
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
    """A progress update as the API takes it; the page's form checks it (one set of rules for both). The schema
    holds every rule that does not depend on the record, so a request the schema allows is refused only by the
    record: an activity the person may not report on (403), an agency not the activity's (409)."""

    status = serializers.ChoiceField(choices=Activity.Status.choices)
    narrative = serializers.CharField(
        help_text=_("What happened: progress since the last update (some text besides spaces; no NUL character)."),
        validators=[RegexValidator(NARRATIVE, message=_("Say what happened: some text besides spaces, no NUL."))],
    )
    links = serializers.ListField(
        child=serializers.URLField(
            max_length=LINK_MAX_LENGTH,
            validators=[RegexValidator(WEB_ADDRESS, message=NOT_A_WEB_ADDRESS)],
            error_messages={"invalid": NOT_A_WEB_ADDRESS},
        ),
        required=False,
        default=list,
        help_text=_("Web addresses (https:// or http://), e.g. a report or an event page."),
    )
    agency = serializers.CharField(
        max_length=Agency._meta.get_field("acronym").max_length,
        trim_whitespace=False,
        validators=[RegexValidator(NO_NUL, message=_("An acronym holds no NUL character."))],
        help_text=(
            _(
                "The acronym of the agency reported for: a focal point's own agency (another is refused, 403); for "
                "support staff, one of the activity's lead agencies or partners (another is refused, 409)."
            )
        ),
    )
    token = serializers.UUIDField(
        help_text=(
            _(
                "Any new UUID per update: sending the same update twice with the same token files it once (200); a "
                "token of another update is refused (409)."
            )
        ),
    )
