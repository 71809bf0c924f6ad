"""Forms of the meeting pages: the meeting itself, its minutes, agenda items and action points."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from groups.access import is_support
from groups.models import Agency, Group, GroupCoChair, Person
from kit.forms import DATE, TIME, PortalForm
from kit.forms_flow import RevisionFormMixin, TokenFormMixin

from .models import ActionPoint, AgendaItem, Decision, Meeting, ReviewOutcome


class MeetingForm(PortalForm):
    """A meeting's date, place, kind and attendance. Co-chairs keep their own group's meetings only.

    The new-meeting form carries a one-time token, the editing form the revision it was built from
    (`kit.forms_flow`): a double post adds one meeting, a save over someone else's is refused.
    """

    class Meta:
        model = Meeting
        fields = [
            "title",
            "kind",
            "group",
            "status",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "date_as_written",
            "date_tentative",
            "venue",
            "remote_link",
            "attendees",
            "note",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "attendees": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title": _("Title"),
            "kind": _("Kind"),
            "group": _("Group"),
            "status": _("Status"),
            "starts_on": _("First day"),
            "ends_on": _("Last day"),
            "start_time": _("Start time"),
            "end_time": _("End time"),
            "date_as_written": _("Date as written"),
            "venue": _("Venue"),
            "remote_link": _("Remote link (video call)"),
            "attendees": _("Attendees"),
            "note": _("Note"),
        }
        help_texts = {"attendees": _("The agencies that took part (or are invited, for a coming meeting).")}

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["attendees"].queryset = Agency.objects.order_by("sort_name")
        groups = Group.objects.order_by("kind", "name")
        if not is_support(person):
            # A co-chair keeps the meetings of the groups its agency co-chairs, and no other.
            links = GroupCoChair.objects.covering(timezone.localdate()).filter(agency_id=person.agency_id)
            groups = groups.filter(co_chair_links__in=links).distinct()
            self.fields["group"].required = True
            self.fields["group"].empty_label = None
        self.fields["group"].queryset = groups
        self.fields["group"].help_text = gettext("The working group or task force that holds the meeting, if any.")

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if ends_on and not starts_on:
            self.add_error("starts_on", gettext("Give the first day too, or leave the last day empty."))
        elif starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", gettext("The last day cannot come before the first day."))
        start_time, end_time = data.get("start_time"), data.get("end_time")
        single_day = not ends_on or ends_on == starts_on
        if end_time and not start_time:
            self.add_error("start_time", gettext("Give the start time too, or leave the end time empty."))
        elif start_time and end_time and single_day and end_time <= start_time:
            self.add_error("end_time", gettext("The meeting ends after it starts."))
        if data.get("kind") == Meeting.Kind.GROUP and not data.get("group"):
            self.add_error("group", gettext("A group meeting names its group."))
        if not starts_on and not data.get("date_as_written"):
            self.add_error("starts_on", gettext("Give the first day, or say in 'date as written' what is known of it."))
        if data.get("date_tentative") and not (data.get("date_as_written") or "").strip():
            self.add_error(
                "date_as_written", gettext("Say in 'date as written' what is proposed, as the record has it.")
            )
        return data


class MeetingCreateForm(TokenFormMixin, MeetingForm):
    pass


class MeetingEditForm(RevisionFormMixin, MeetingForm):
    pass


class MinutesForm(RevisionFormMixin, PortalForm):
    class Meta:
        model = Meeting
        fields = ["minutes", "minutes_shared_on"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 14}), "minutes_shared_on": DATE}
        labels = {"minutes": _("Minutes"), "minutes_shared_on": _("Minutes shared with the members on")}
        help_texts = {"minutes": _("Plain text; paragraphs and line breaks are kept.")}

    def clean(self):
        data = super().clean()
        shared, meeting_day = data.get("minutes_shared_on"), self.instance.starts_on
        if shared and meeting_day and shared < meeting_day:
            self.add_error("minutes_shared_on", gettext("Minutes are shared after the meeting starts, not before."))
        if shared and not (data.get("minutes") or "").strip():
            self.add_error("minutes", gettext("Write the minutes before saying when they were shared."))
        return data


class AgendaItemForm(PortalForm):
    """An agenda item; `AgendaItemCreateForm` and `AgendaItemEditForm` add the token or the revision."""

    class Meta:
        model = AgendaItem
        fields = ["position", "title", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"position": _("Item number"), "title": _("Title"), "notes": _("Notes")}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if not self.instance.pk:
            last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
            self.initial.setdefault("position", None)
            self.initial["position"] = self.initial["position"] or (last or 0) + 1
        self.fields["position"].min_value = 1
        self.fields["position"].widget.attrs["min"] = 1

    def clean_position(self):
        position = self.cleaned_data["position"]
        taken = self.meeting.agenda_items.filter(position=position).exclude(pk=self.instance.pk)
        if isinstance(self, TokenFormMixin):
            taken = self.others(taken)
        if taken.exists():
            raise forms.ValidationError(
                gettext("Item %(number)s is already on the agenda; choose another number.") % {"number": position}
            )
        return position


class ActionPointForm(PortalForm):
    """An action point; `ActionPointCreateForm` and `ActionPointEditForm` add the token or the revision."""

    class Meta:
        model = ActionPoint
        fields = ["text", "owner_agency", "owner", "due_on", "status", "done_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due_on": DATE, "done_on": DATE}
        labels = {
            "text": _("Action"),
            "owner_agency": _("Owner agency"),
            "owner": _("Owner (person)"),
            "due_on": _("Due date"),
            "done_on": _("Done on"),
            "status": _("Status"),
        }
        help_texts = {"owner": _("Optional: the person of the owner agency who follows it up.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.order_by("sort_name")
        self.fields["owner"].queryset = Person.objects.filter(is_active=True).select_related("agency")

    def clean(self):
        data = super().clean()
        agency, owner = data.get("owner_agency"), data.get("owner")
        if agency and owner and owner.agency_id != agency.pk:
            self.add_error(
                "owner",
                gettext("%(person)s is not a person of %(agency)s; choose one of its people or no one.")
                % {"person": owner, "agency": agency},
            )
        status, done_on = data.get("status"), data.get("done_on")
        if status == ActionPoint.Status.DONE and not done_on:
            self.add_error("done_on", gettext("Say when the action was done."))
        if status != ActionPoint.Status.DONE and done_on:
            self.add_error(
                "done_on", gettext("Only a done action has a 'done on' date: mark it done, or clear the date.")
            )
        return data


class AgendaItemCreateForm(TokenFormMixin, AgendaItemForm):
    pass


class AgendaItemEditForm(RevisionFormMixin, AgendaItemForm):
    pass


class ActionPointCreateForm(TokenFormMixin, ActionPointForm):
    pass


class ActionPointEditForm(RevisionFormMixin, ActionPointForm):
    pass


class DecisionFormBase(PortalForm):
    """A decision of a meeting: number, text, trial period and review date, what it establishes or adopts."""

    establishes = forms.ModelMultipleChoiceField(
        queryset=Group.objects.order_by("kind", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Establishes"),
        help_text=_("The working groups or task forces this decision establishes."),
    )
    adopts = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("Adopts (work plans)")
    )

    class Meta:
        model = Decision
        fields = ["number", "title", "text", "trial_months", "review_on", "source"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "review_on": DATE}
        labels = {
            "number": _("Number"),
            "title": _("Title"),
            "text": _("Text"),
            "trial_months": _("Trial period (months)"),
            "review_on": _("Review date"),
            "source": _("Source"),
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        from workplans.models import WorkPlan

        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["adopts"].queryset = WorkPlan.objects.order_by("-starts_on", "title")
        if self.instance.pk:
            self.initial.setdefault("establishes", list(self.instance.established_groups.all()))
            self.initial.setdefault("adopts", list(self.instance.adopted_workplans.all()))

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        same = Decision.objects.filter(meeting=self.meeting, number=number).exclude(pk=self.instance.pk)
        token = self.data.get(self.add_prefix("token"))
        if token:
            same = same.exclude(token=token)
        if same.exists():
            raise forms.ValidationError(
                gettext("This meeting already has a decision %(number)s; choose another number.") % {"number": number}
            )
        return number

    def clean(self):
        data = super().clean()
        if data.get("trial_months") and not data.get("review_on"):
            self.add_error("review_on", gettext("A decision on trial has a review date."))
        return data

    def validate_unique(self):
        # The number's uniqueness within the meeting is checked above (a double post finds its own row).
        pass


class DecisionCreateForm(TokenFormMixin, DecisionFormBase):
    pass


class DecisionEditForm(RevisionFormMixin, DecisionFormBase):
    pass


class DecisionReviewForm(TokenFormMixin, DecisionFormBase):
    """The review of a decision on trial, recorded as a decision of the meeting that reviewed it."""

    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label=_("Reviewed at the meeting"))
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices, label=_("Outcome"), widget=forms.RadioSelect)

    field_order = ["meeting", "outcome", "number", "title", "text"]

    def __init__(self, *args, reviewed: Decision, **kwargs):
        data = args[0] if args else kwargs.get("data")
        posted = str((data or {}).get("meeting") or "")
        meeting = Meeting.objects.filter(pk=int(posted)).first() if posted.isdigit() and len(posted) < 12 else None
        super().__init__(*args, meeting=meeting or reviewed.meeting, **kwargs)
        self.reviewed = reviewed
        self.fields["meeting"].queryset = Meeting.objects.order_by("-starts_on")
        self.fields["meeting"].label_from_instance = lambda m: f"{m.title} ({m.when})"
