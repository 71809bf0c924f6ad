"""Forms of the work plan editor and of progress reporting.

Each editing form carries the revision it was built from (no lost updates) and each creating form a token
unique to that page load (a form posted twice creates one row). Views render them with crispy-forms.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse_lazy
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from groups.forms import AgencyMultipleChoiceField
from groups.models import Agency
from kit.forms_flow import RevisionFormMixin, TokenFormMixin
from kit.inputs import DayField, DayInput, SingleLineField
from kit.uploads import check_update_file
from workplans import spreadsheets
from workplans.currencies import validate_currency
from workplans.models import (
    Activity,
    Output,
    ReportingRound,
    WorkPlan,
    WorkPlanVersion,
    WorkStream,
)


class CostFieldsMixin:
    """Cost with its currency: the currency is an ISO 4217 code and is required when a cost is given."""

    def clean_estimated_cost(self):
        cost = self.cleaned_data.get("estimated_cost")
        if cost is not None and cost < 0:
            raise ValidationError(_("The estimated cost cannot be negative."))
        return cost

    def clean_currency(self):
        value = (self.cleaned_data.get("currency") or "").strip().upper()
        validate_currency(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("estimated_cost") is not None and not cleaned.get("currency"):
            self.add_error("currency", _("Give the currency of the estimated cost, e.g. USD."))
        return cleaned


# -- plans --------------------------------------------------------------------------------------------------------


class WorkPlanForm(forms.ModelForm):
    class Meta:
        model = WorkPlan
        fields = [
            "title",
            "slug",
            "kind",
            "status",
            "starts_on",
            "ends_on",
            "group",
            "chair_term",
            "adopted_on",
            "summary",
            "note",
        ]
        labels = {
            "title": _("Title"),
            "slug": _("Short name in the address"),
            "kind": _("Kind"),
            "status": _("Status"),
            "starts_on": _("Starts on"),
            "ends_on": _("Ends on"),
            "group": _("Group"),
            "chair_term": _("Chair term"),
            "adopted_on": _("Adopted on"),
            "summary": _("Summary"),
            "note": _("Note"),
        }
        help_texts = {"slug": _("Letters, numbers and hyphens, e.g. mawp-2016-2018.")}
        widgets = {
            "starts_on": DayInput(),
            "ends_on": DayInput(),
            "adopted_on": DayInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The plan must end after it starts."))
        if cleaned.get("kind") == WorkPlan.Kind.GROUP and not cleaned.get("group"):
            self.add_error("group", _("A group's work plan names its group."))
        return cleaned


class WorkPlanCreateForm(TokenFormMixin, WorkPlanForm):
    def validate_unique(self):
        # The same form posted again finds its own plan's short name taken: the service answers with that plan.
        token = self.posted_token()
        if token is not None and WorkPlan.objects.filter(token=token).exists():
            return
        super().validate_unique()


class WorkPlanEditForm(RevisionFormMixin, WorkPlanForm):
    pass


class WorkPlanCopyForm(TokenFormMixin, forms.Form):
    title = SingleLineField(max_length=250, label=_("Title of the new plan"))
    slug = forms.SlugField(max_length=80, label=_("Short name in the address"), help_text=_("e.g. mawp-2016-2018"))
    starts_on = DayField(label=_("Starts on"))
    ends_on = DayField(label=_("Ends on"))

    def __init__(self, *args, source: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        if not self.is_bound:
            years = source.ends_on.year - source.starts_on.year + 1
            starts_on = source.starts_on.replace(year=source.starts_on.year + years)
            ends_on = source.ends_on.replace(year=source.ends_on.year + years)
            title = source.title.replace(str(source.starts_on.year), str(starts_on.year)).replace(
                str(source.ends_on.year), str(ends_on.year)
            )
            self.initial.update(
                title=title,
                slug=slugify(title)[:80],
                starts_on=starts_on.isoformat(),
                ends_on=ends_on.isoformat(),
            )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.others(WorkPlan.objects.filter(slug=slug)).exists():
            raise ValidationError(_("A work plan already has this short name; choose another."))
        return slug

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The plan must end after it starts."))
        return cleaned


# -- streams and outputs ------------------------------------------------------------------------------------------


class WorkStreamForm(CostFieldsMixin, forms.ModelForm):
    currency = forms.CharField(
        max_length=3, required=False, label=_("Currency"), help_text=_("ISO 4217 code, e.g. USD.")
    )

    class Meta:
        model = WorkStream
        fields = [
            "title",
            "kind",
            "lead_group",
            "led_by_chair",
            "function",
            "objectives",
            "expected_results",
            "key_outputs",
            "estimated_cost",
            "currency",
        ]
        labels = {
            "title": _("Title"),
            "kind": _("Kind"),
            "lead_group": _("Lead group"),
            "led_by_chair": _("Led by the GMG Chair"),
            "function": _("Function"),
            "objectives": _("Objectives"),
            "expected_results": _("Expected results"),
            "key_outputs": _("Key outputs"),
            "estimated_cost": _("Estimated cost"),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ("function", "objectives", "expected_results", "key_outputs")
        }


class WorkStreamCreateForm(TokenFormMixin, WorkStreamForm):
    pass


class WorkStreamEditForm(RevisionFormMixin, WorkStreamForm):
    pass


class OutputForm(forms.ModelForm):
    class Meta:
        model = Output
        fields = ["year", "number", "title", "description", "note"]
        labels = {
            "year": _("Year"),
            "number": _("Number"),
            "title": _("Title"),
            "description": _("Description"),
            "note": _("Note"),
        }
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["year"].required = True

    def clean_number(self):
        number = self.cleaned_data.get("number", "")
        if not Output(number=number).number_leaves_room():
            raise ValidationError(
                _(
                    "Keep the number to %(prefix)s characters after “Output ”: its activities are numbered from it "
                    "(3.1, 3.2, ...) and an activity's number holds %(length)s characters."
                )
                % {"prefix": Output.longest_prefix(), "length": Activity._meta.get_field("number").max_length}
            )
        return number

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and year not in self.plan.years:
            first, last = self.plan.years[0], self.plan.years[-1]
            raise ValidationError(
                _("The plan runs from %(first)s to %(last)s; choose a year in that range.")
                % {"first": first, "last": last}
            )
        return year


class OutputCreateForm(TokenFormMixin, OutputForm):
    pass


class OutputEditForm(RevisionFormMixin, OutputForm):
    pass


# -- activities ---------------------------------------------------------------------------------------------------


class ActivityForm(CostFieldsMixin, forms.ModelForm):
    lead_agencies = AgencyMultipleChoiceField(
        queryset=Agency.objects.order_by("acronym"),
        required=False,
        label=_("Lead agencies"),
        help_text=_("Type to search and pick as many as apply (without JavaScript: hold Ctrl, or Cmd on a Mac)."),
        widget=forms.SelectMultiple(
            attrs={
                "size": 6,
                "data-searchable": "",
                "data-placeholder": _("Type an acronym or a name"),
                "data-no-results": _("No agency has these letters."),
            }
        ),
    )
    partners = AgencyMultipleChoiceField(
        queryset=Agency.objects.order_by("acronym"),
        required=False,
        label=_("Partners"),
        help_text=_("Type to search and pick as many as apply (without JavaScript: hold Ctrl, or Cmd on a Mac)."),
        widget=forms.SelectMultiple(
            attrs={
                "size": 6,
                "data-searchable": "",
                "data-placeholder": _("Type an acronym or a name"),
                "data-no-results": _("No agency has these letters."),
            }
        ),
    )
    currency = forms.CharField(
        max_length=3, required=False, label=_("Currency"), help_text=_("ISO 4217 code, e.g. USD.")
    )

    class Meta:
        model = Activity
        fields = [
            "number",
            "description",
            "timeframe",
            "starts_on",
            "ends_on",
            "lead",
            "lead_agencies",
            "partners",
            "funding_source",
            "estimated_cost",
            "currency",
            "cost_as_written",
            "status",
            "note",
        ]
        labels = {
            "number": _("Number"),
            "description": _("Description"),
            "timeframe": _("Timeframe"),
            "funding_source": _("Funding source"),
            "estimated_cost": _("Estimated cost"),
            "status": _("Status"),
            "note": _("Note"),
            "starts_on": _("Start date"),
            "ends_on": _("End date"),
            "lead": _("Lead as written"),
            "cost_as_written": _("Cost as written"),
        }
        help_texts = {
            "timeframe": _('As people write it, e.g. "April-October 2013", "Spring 2014", "On-going".'),
            "starts_on": _("Only needed when the timeframe cannot be read."),
            "ends_on": _("Only needed when the timeframe cannot be read."),
            "lead": _('Optional, e.g. "GMG Chair (IOM)".'),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DayInput(),
            "ends_on": DayInput(),
        }

    def __init__(self, *args, output: Output, **kwargs):
        super().__init__(*args, **kwargs)
        self.output = output
        self.fields["timeframe"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("workplans:timeframe_reading"),
                "hx-trigger": "keyup changed delay:300ms, change",
                "hx-target": f"#{self.reading_id}",
                "hx-swap": "innerHTML",
                "hx-vals": f'{{"year": "{output.year or ""}"}}',
                "hx-sync": "this:replace",
                "aria-describedby": self.reading_id,
                "autocomplete": "off",
            }
        )

    @property
    def reading_id(self) -> str:
        return f"{self.prefix or 'activity'}-timeframe-reading"

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return cleaned

    def model_values(self) -> dict:
        """The activity's own fields, the timeframe read into dates (dates typed by hand only if unreadable)."""
        from workplans.services import activity_dates_from_timeframe

        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "number",
                "description",
                "lead",
                "funding_source",
                "estimated_cost",
                "currency",
                "cost_as_written",
                "status",
                "note",
            )
        }
        values.update(
            activity_dates_from_timeframe(
                data.get("timeframe") or "",
                year=self.output.year,
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
            )
        )
        return values


class ActivityCreateForm(TokenFormMixin, ActivityForm):
    pass


class ActivityEditForm(RevisionFormMixin, ActivityForm):
    pass


MOVE_REFUSED = _("Say whether to move it up or down.")


class MoveForm(forms.Form):
    """A move button: one step up or down among its siblings."""

    direction = forms.ChoiceField(
        choices=[("up", "Up"), ("down", "Down")],
        error_messages={"required": MOVE_REFUSED, "invalid_choice": MOVE_REFUSED},
    )


class RemoveForm(forms.Form):
    """The confirmation of a removal: a form to submit, not a dialog."""

    confirm = forms.BooleanField(
        required=True, label=_("Yes, remove it"), error_messages={"required": _("Tick the box to confirm the removal.")}
    )


# -- versions -----------------------------------------------------------------------------------------------------


class VersionPublishForm(TokenFormMixin, forms.ModelForm):
    class Meta:
        model = WorkPlanVersion
        fields = ["label", "dated"]
        labels = {"label": _("Version label"), "dated": _("Version date")}
        help_texts = {
            "label": _('e.g. "Adopted by decision 3 of 3 July 2013".'),
            "dated": _("The date the document bears; leave it empty when the document is undated."),
        }
        widgets = {"dated": DayInput()}

    def __init__(self, *args, plan: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if self.others(WorkPlanVersion.objects.filter(workplan=self.plan, label=label)).exists():
            raise ValidationError(_("This plan already has a version with this label; choose another label."))
        return label


# -- progress updates ---------------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ActivityUpdateForm(TokenFormMixin, forms.Form):
    """A focal point's progress update; the agency and the review are never taken from the form."""

    status = forms.ChoiceField(choices=Activity.Status.choices, label=_("Status"))
    narrative = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Progress since the last update."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One web address a line, e.g. a report or an event page."),
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=format_lazy(
            _("PDF, Word, Excel, PowerPoint, PNG, JPG, text or CSV; each at most {mb} MB."),
            mb=getattr(settings, "GMG_UPDATE_FILE_MAX_MB", 10),
        ),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            # Support staff file for one of the activity's agencies; focal points always for their own.
            self.fields["agency"] = forms.ModelChoiceField(queryset=agencies, label=_("On behalf of"), empty_label=None)
            self.order_fields(["agency"])

    def clean_links(self):
        links = [line.strip() for line in (self.cleaned_data.get("links") or "").splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        bad = []
        for link in links:
            try:
                validate(link)
            except ValidationError:
                bad.append(link)
        if bad:
            raise ValidationError(
                _("These are not web addresses (they start with https:// or http://): %(links)s")
                % {"links": ", ".join(bad)}
            )
        return links

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        errors = []
        for upload in files:
            try:
                check_update_file(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class ActivityUpdateResubmitForm(ActivityUpdateForm):
    """The same form for answering a returned update (no new token: it changes the existing row)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("token")


class UpdateReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    comment = forms.CharField(
        label=_("Comment to the focal point"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you return the update: say what is missing."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Say what the focal point should change before returning the update."))
        return cleaned


class ReportingRoundForm(TokenFormMixin, forms.ModelForm):
    class Meta:
        model = ReportingRound
        fields = ["title", "workplan", "period_starts_on", "period_ends_on", "due_on"]
        labels = {"workplan": _("Work plan"), "title": _("Title")}
        widgets = {
            "period_starts_on": DayInput(),
            "period_ends_on": DayInput(),
            "due_on": DayInput(),
        }

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on, due_on = (cleaned.get(k) for k in ("period_starts_on", "period_ends_on", "due_on"))
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("period_ends_on", _("The period cannot end before it starts."))
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", _("Updates cannot be due before the period starts."))
        return cleaned


class WorkbookForm(forms.Form):
    """An edited workbook (or CSV file) uploaded to a plan's import page."""

    workbook = forms.FileField(
        label=_("Edited workbook (.xlsx) or CSV file (.csv)"),
        help_text=format_lazy(
            _("The file exported from this page, edited; at most {mb} MB."), mb=spreadsheets.MAX_FILE_BYTES // 2**20
        ),
    )
