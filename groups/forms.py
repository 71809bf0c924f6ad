"""Forms of the groups pages: a person's reminder choice, and the record the support team keeps (issue 12).

Each editing form carries the revision it was built from and each creating form a one-time token
(`workplans.forms.RevisionFormMixin`, `TokenFormMixin`): no lost updates, no double rows.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kit.forms_flow import RevisionFormMixin, TokenFormMixin
from kit.inputs import DayField, DayInput, limit_form_fields
from kit.uploads import check_update_file
from kit.widgets import LanguageSelect

from .models import Absence, Agency, Group, Membership, Person, TermsOfReference


def agency_label(agency: Agency) -> str:
    return f"{agency.acronym} – {agency.name}" if agency.name and agency.name != agency.acronym else agency.acronym


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return agency_label(obj)


DATE = DayInput()


class ReminderDeliveryForm(forms.ModelForm):
    """A person's own choices: the language the portal speaks to them (its pages after sign-in, its mails and
    notices), and how reminders reach them (issue 4: immediate mails or a daily or weekly digest). A form that
    does not name a language keeps the one chosen before."""

    class Meta:
        model = Person
        fields = ["language", "reminder_delivery"]
        widgets = {"reminder_delivery": forms.RadioSelect, "language": LanguageSelect}
        labels = {"language": _("Language")}
        help_texts = {
            "language": _("The portal's pages, and the mails and notices it sends you, are written in it."),
            "reminder_delivery": _("In-app notices arrive at once whatever you choose; this sets how e-mails come."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language


class RecordForm(forms.ModelForm):
    """Rendered by crispy-forms without its own <form> tag: the page writes the tag and the buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_form_fields(self)
        self.helper = FormHelper()
        self.helper.form_tag = False


AGENCY_FIELDS = ["acronym", "name", "sort_name", "iati_identifier", "declines_to_chair", "note", "source"]


class AgencyFormBase(RecordForm):
    class Meta:
        model = Agency
        fields = AGENCY_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "acronym": _("Acronym"),
            "sort_name": _("Rotation sort name"),
            "declines_to_chair": _("Has declined its turn to chair"),
            "note": _("Note"),
            "source": _("Source"),
        }

    def clean_acronym(self):
        acronym = self.cleaned_data["acronym"].strip()
        same = Agency.objects.filter(acronym__iexact=acronym).exclude(pk=self.instance.pk)
        token = self.data.get(self.add_prefix("token"))
        if token:
            same = same.exclude(token=token)
        if same.exists():
            raise forms.ValidationError(
                gettext("There is already an agency %(acronym)s in the record.") % {"acronym": acronym}
            )
        if "/" in acronym:
            raise forms.ValidationError(gettext("An acronym cannot contain a slash."))
        return acronym

    def validate_unique(self):
        # The acronym's uniqueness is checked above (a form posted twice finds its own row, not a clash).
        pass


class AgencyCreateForm(TokenFormMixin, AgencyFormBase):
    joined = forms.DateField(
        label=_("Member since"),
        required=False,
        widget=DATE,
        help_text=_("The day it joined the GMG; empty if it was a member before the record starts."),
    )


class AgencyEditForm(RevisionFormMixin, AgencyFormBase):
    pass


MEMBERSHIP_FIELDS = ["joined", "left", "note"]


class MembershipFormBase(RecordForm):
    class Meta:
        model = Membership
        fields = MEMBERSHIP_FIELDS
        widgets = {"joined": DATE, "left": DATE}
        labels = {"joined": _("Joined on"), "left": _("Left on"), "note": _("Note")}

    def clean(self):
        data = super().clean()
        joined, left = data.get("joined"), data.get("left")
        if joined and left and left < joined:
            self.add_error(
                "left", gettext("An agency leaves after it joins: the left date comes after the joined date.")
            )
        return data


class MembershipCreateForm(TokenFormMixin, MembershipFormBase):
    pass


class MembershipEditForm(RevisionFormMixin, MembershipFormBase):
    pass


# -- people ---------------------------------------------------------------------------------------------------

PERSON_FIELDS = ["first_name", "last_name", "email", "agency", "role", "job_title"]


class PersonFormBase(RecordForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
        labels = {
            "email": _("E-mail address"),
            "agency": _("Agency"),
            "role": _("Role"),
            "job_title": _("Job title"),
            "alternate": _("Alternate"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["agency"].queryset = Agency.objects.order_by("sort_name")
        self.fields["agency"].help_text = _("Empty for the support team's own staff.")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        same = Person.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exclude(pk=self.instance.pk)
        token = self.data.get(self.add_prefix("token"))
        if token:
            same = same.exclude(token=token)
        if same.exists():
            raise forms.ValidationError(gettext("%(email)s already has an account.") % {"email": email})
        return email

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in (Person.Role.FOCAL_POINT, Person.Role.PRINCIPAL) and not data.get("agency"):
            self.add_error("agency", gettext("A focal point or principal speaks for an agency: choose it."))
        return data

    def validate_unique(self):
        # The e-mail address (the username) is checked above; a form posted twice finds its own row.
        pass


class PersonInviteForm(TokenFormMixin, PersonFormBase):
    pass


class PersonEditForm(RevisionFormMixin, PersonFormBase):
    class Meta(PersonFormBase.Meta):
        fields = [*PERSON_FIELDS, "alternate"]
        help_texts = {
            "alternate": _("A colleague of the same agency who receives the reminders while this person is away.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        colleagues = Person.objects.filter(is_active=True).exclude(pk=self.instance.pk).select_related("agency")
        if self.instance.agency_id:
            colleagues = colleagues.filter(agency_id=self.instance.agency_id)
        self.fields["alternate"].queryset = colleagues

    def clean(self):
        data = super().clean()
        alternate, agency = data.get("alternate"), data.get("agency")
        if alternate and (agency is None or alternate.agency_id != agency.pk):
            self.add_error(
                "alternate",
                gettext("The alternate is a colleague of the same agency; %(person)s is not.") % {"person": alternate},
            )
        return data


class AbsenceForm(TokenFormMixin, RecordForm):
    class Meta:
        model = Absence
        fields = ["starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", gettext("The person comes back after leaving: this day comes after the first."))
        return data


class DeactivateForm(RevisionFormMixin, RecordForm):
    hand_to = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Hand the pending work to"),
        help_text=_(
            "An active colleague of the same agency (of the support team, for its staff) who can sign in: a person "
            "invited who has not yet chosen a password is not offered."
        ),
        error_messages={
            "invalid_choice": _(
                "Choose a colleague from the list: only an active colleague of the same agency who "
                "has accepted their invitation can take over the work."
            )
        },
    )

    class Meta:
        model = Person
        fields = []

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hand_to"].queryset = colleagues.select_related("agency")


TOR_FIELDS = [
    "version",
    "adopted_on",
    "min_meetings_per_year",
    "review_after_months",
    "review_every_months",
    "minutes_shared_after_each_meeting",
    "objectives",
    "working_modalities",
    "text",
    "signed_pdf",
    "source",
]


class TermsOfReferenceForm(TokenFormMixin, RecordForm):
    """A new version of a group's terms of reference: its text, the signed PDF, its in-force day and the
    working modalities the group's rules read (minimum meetings, review cadence)."""

    class Meta:
        model = TermsOfReference
        fields = TOR_FIELDS
        labels = {
            "version": _("Version"),
            "adopted_on": _("In force from"),
            "review_after_months": _("Review after months"),
            "review_every_months": _("Review every months"),
            "minutes_shared_after_each_meeting": _("Minutes shared after each meeting"),
            "objectives": _("Objectives"),
            "working_modalities": _("Working modalities"),
            "text": _("Text"),
            "source": _("Source"),
        }
        help_texts = {"adopted_on": _("The day the version takes effect; the group's obligations follow it from then.")}
        widgets = {
            "adopted_on": DATE,
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "working_modalities": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = self.instance.group = group
        self.fields["signed_pdf"].required = True
        self.fields["signed_pdf"].widget = forms.FileInput(attrs={"accept": "application/pdf,.pdf"})
        self.fields["signed_pdf"].help_text = _("The signed document, a PDF.")

    def clean_signed_pdf(self):
        upload = self.cleaned_data.get("signed_pdf")
        if upload:
            if not upload.name.lower().endswith(".pdf"):
                raise forms.ValidationError(
                    gettext("%(name)s: the signed terms of reference are kept as a PDF.") % {"name": upload.name}
                )
            check_update_file(upload)
        return upload

    def clean_adopted_on(self):
        day = self.cleaned_data.get("adopted_on")
        if day and self.others(TermsOfReference.objects.filter(group=self.group, adopted_on=day)).exists():
            raise forms.ValidationError(
                gettext("%(group)s already has a ToR version in force from %(day)s; choose another day.")
                % {"group": self.group, "day": date_format(day, "d F Y")}
            )
        return day


# -- a group's page: its status, participating agencies and co-chairs --------------------------------------------


class GroupEditForm(RevisionFormMixin, RecordForm):
    participating = AgencyMultipleChoiceField(
        queryset=Agency.objects.order_by("sort_name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Participating agencies"),
        help_text=_("Tick an agency to add it to the group, untick it to remove it."),
    )

    class Meta:
        model = Group
        fields = ["status", "participating", "note"]
        labels = {"status": _("Status"), "note": _("Note")}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


CO_CHAIR_SLOTS = 4


class CoChairsForm(RevisionFormMixin, forms.Form):
    """From a day on, these agencies co-chair the group, in the order of the chair's annual rotation."""

    starts_on = DayField(
        label=_("From"),
        widget=DATE,
        help_text=_("The day the new co-chairs take over; a rotating chair hands over on 1 January."),
    )

    def __init__(self, *args, group: Group, current: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.helper = FormHelper()
        self.helper.form_tag = False
        agencies = Agency.objects.order_by("sort_name")
        for index in range(1, CO_CHAIR_SLOTS + 1):
            self.fields[f"co_chair_{index}"] = forms.ModelChoiceField(
                queryset=agencies,
                required=index == 1,
                to_field_name="acronym",
                label=(
                    gettext("Co-chair %(n)s (chairs first in the rotation)")
                    if index == 1
                    else gettext("Co-chair %(n)s")
                )
                % {"n": index},
                empty_label="—",
            )
            if not self.is_bound and index <= len(current):
                self.initial[f"co_chair_{index}"] = current[index - 1].acronym
        if not self.is_bound:
            self.initial["revision"] = group.revision

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(f"co_chair_{i}") for i in range(1, CO_CHAIR_SLOTS + 1)]
        agencies = [agency for agency in chosen if agency is not None]
        if len({agency.pk for agency in agencies}) != len(agencies):
            raise forms.ValidationError(gettext("Each agency co-chairs once: an agency is named twice."))
        cleaned["agencies"] = agencies
        return cleaned
