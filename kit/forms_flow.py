"""The one way every form of the portal works: bind, refuse with the errors, save once, never overwrite unseen.

A form view names its form, its page and its save; `form_flow` does the rest, the same for every form:

- parse and bind: GET shows the form; POST binds it (with the files);
- check access: `access=(allowed, reason)` refuses with the 403 page of `kit.access.require`;
- a refused POST answers 400 with the errors next to their fields, in the page (or the partial) the person sees;
- a concurrent edit: editing forms carry the revision they were built from (`RevisionFormMixin`); the save writes
  only the fields the form owns and only if the row is still at that revision (`save_form_if_unchanged`, or a
  service's `save_if_unchanged`); otherwise `EditConflict`, and the answer is 409 with the saved values beside
  the person's, the person's input kept in the form, rebuilt on the current revision to save again deliberately.
  A POST without its revision is refused, never saved unchecked;
- the rules of what a field may hold (a maximum for every text, identifiers, one-line titles) come with every
  form it binds (`kit.inputs.limit_form_fields`);
- a double post: creating forms carry a one-time token (`TokenFormMixin`), kept on the row it created
  (`create_once`), so the same form posted twice makes one row;
- the answer to a finished POST: a redirect, or for htmx `HX-Redirect` (one whole page, never a page drawn inside
  the form) - or the partial the editor swaps in place, when the view gives one (`finished(..., partial=...)`);
- a button without a page of its own (move up, renumber) is a command: `command_flow`, the same steps, a 400
  with the reason in words when its fields are wrong.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from kit.access import require
from kit.inputs import limit_form_fields
from kit.signals import row_updated

MISSING_REVISION = gettext_lazy(
    "This form was sent without the version of the record it was opened from, so saving it could overwrite "
    "someone else's changes unseen. Nothing was saved: open the page again and make your change there."
)


MISSING_TOKEN = gettext_lazy(
    "This form was sent without the one-time mark of the page it was filled in on, so it could not be told apart "
    "from a second send of the same form. Nothing was saved: open the page again and send it from there."
)


class EditConflict(Exception):
    """Someone else saved the record after the person's form was built from it."""

    def __init__(self, current: models.Model, saved_by: str = "", saved_at: datetime | None = None):
        self.current = current
        self.saved_by = saved_by
        self.saved_at = saved_at
        super().__init__(self.message)

    @property
    def message(self) -> str:
        noun = self.current._meta.verbose_name
        if self.saved_at and self.saved_by:
            return gettext("Someone else saved this %(noun)s while you were editing (by %(who)s at %(time)s).") % {
                "noun": noun,
                "who": self.saved_by,
                "time": f"{timezone.localtime(self.saved_at):%H:%M}",
            }
        if self.saved_at:
            return gettext("Someone else saved this %(noun)s while you were editing (at %(time)s).") % {
                "noun": noun,
                "time": f"{timezone.localtime(self.saved_at):%H:%M}",
            }
        return gettext("Someone else saved this %(noun)s while you were editing.") % {"noun": noun}


# -- the forms' two hidden fields ------------------------------------------------------------------------------


class RevisionFormMixin(forms.Form):
    """The revision the form was built from; the save is refused if the record moved on since, or if the form
    comes without it (the server never lets the client decide whether the check happens)."""

    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": MISSING_REVISION, "invalid": MISSING_REVISION, "min_value": MISSING_REVISION},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_form_fields(self)
        instance = getattr(self, "instance", None)
        if not self.is_bound and instance is not None and instance.pk:
            self.initial["revision"] = instance.revision

    def clean(self):
        cleaned = super().clean()
        if self.has_error("revision"):
            # A hidden field's error would show nowhere: say it at the top of the form (and let the form's own
            # checks run on, so the person also sees what else to correct).
            self.add_error(None, ValidationError(MISSING_REVISION, code="no_revision"))
        return cleaned


class TokenFormMixin(forms.Form):
    """A token unique to the page load; a second post of the same form creates nothing new."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_form_fields(self)
        self.initial.setdefault("token", uuid.uuid4())

    def clean(self):
        cleaned = super().clean()
        if self.has_error("token"):
            # A hidden field's error would show nowhere: say it at the top of the form, the form's own checks after.
            self.add_error(None, ValidationError(MISSING_TOKEN, code="no_token"))
        return cleaned

    def posted_token(self) -> uuid.UUID | None:
        """The token as posted, before cleaning (None when it is missing or not a token)."""
        try:
            return uuid.UUID(str(self.data.get(self.add_prefix("token"))))
        except ValueError:
            return None

    def others(self, queryset: models.QuerySet) -> models.QuerySet:
        """Rows other than the one this very form already made: a second post clashes with nothing it made."""
        token = self.posted_token()
        return queryset.exclude(token=token) if token is not None else queryset


# -- the writes ------------------------------------------------------------------------------------------------

FLOW_FIELDS = frozenset({"revision", "token"})


def form_values(form: forms.BaseForm) -> dict[str, Any]:
    """A valid form's values for its service, without the flow's own hidden fields (revision, token)."""
    return {name: value for name, value in form.cleaned_data.items() if name not in FLOW_FIELDS}


def save_if_unchanged(model: type[models.Model], *, pk: int, revision: int, values: dict[str, Any]) -> bool:
    """Write `values` only if the row is still at `revision`; True when it was written (and its revision raised).

    The apps that keep what follows from the record (the deadline register) hear of the written row
    (`kit.signals.row_updated`)."""
    written = bool(model.objects.filter(pk=pk, revision=revision).update(**values, revision=F("revision") + 1))
    if written:
        row_updated.send(sender=model, pk=pk)
    return written


def create_once(model: type[models.Model], *, token: uuid.UUID | None, **values) -> tuple[models.Model, bool]:
    """Create a row carrying the form's token; a second post of the same form returns the first row."""
    if token is not None:
        existing = model.objects.filter(token=token).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return model.objects.create(token=token, **values), True
    except IntegrityError:
        existing = model.objects.filter(token=token).first() if token is not None else None
        if existing is None:
            raise
        return existing, False


def owned_fields(form: forms.ModelForm) -> list[str]:
    """The model fields a model form writes: its own concrete fields, never the others."""
    names = set(form.cleaned_data) & set(form._meta.fields or [])
    return [f.name for f in form._meta.model._meta.concrete_fields if f.name in names or getattr(f, "auto_now", False)]


def save_form_if_unchanged(form: forms.ModelForm, *, after: Callable[[models.Model], None] | None = None):
    """Save an editing model form: only the fields it owns, only if its row is still at the form's revision.

    Raises EditConflict with the row as now saved otherwise. `after(instance)` runs in the same transaction
    (e.g. telling invitees of a new date).
    """
    instance = form.instance
    model = type(instance)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=instance.pk)
        if current.revision != form.cleaned_data["revision"]:
            raise EditConflict(current, saved_at=getattr(current, "updated_at", None))
        instance.revision = current.revision + 1
        instance.save(update_fields=[*owned_fields(form), "revision"])
        form._save_m2m()  # the form's many-to-many fields, as ModelForm.save() writes them
        if after is not None:
            after(instance)
    return instance


def create_form_once(form: forms.ModelForm, **values) -> tuple[models.Model, bool]:
    """Save a creating model form once per token: a second post returns the row the first one made."""
    instance = form.instance
    for name, value in values.items():
        setattr(instance, name, value)
    token = form.cleaned_data.get("token")
    model = type(instance)
    if token is not None and (existing := model.objects.filter(token=token).first()) is not None:
        return existing, False
    instance.token = token
    try:
        with transaction.atomic():
            instance.save()
            form._save_m2m()  # the form's many-to-many fields, as ModelForm.save() writes them
    except IntegrityError:
        existing = model.objects.filter(token=token).first() if token is not None else None
        if existing is None:
            raise
        return existing, False
    return instance, True


# -- the conflict view -----------------------------------------------------------------------------------------


def conflict_rows(form, current, names: list[str], mine: dict | None = None) -> list[tuple[str, str, str]]:
    """The fields where the saved record differs from the person's input: (label, theirs, yours).

    `mine` gives the values the person's save would write (an activity's dates come from its timeframe);
    by default the form's cleaned data.
    """
    mine = form.cleaned_data if mine is None else mine
    rows = []
    for name in names:
        field = form.fields.get(name)
        if field is None or name not in mine:
            continue
        theirs, yours = getattr(current, name), mine[name]
        if hasattr(theirs, "all"):
            theirs_text = ", ".join(sorted(str(a) for a in theirs.all()))
            yours_text = ", ".join(sorted(str(a) for a in yours))
            if hasattr(theirs.model, "acronym"):
                theirs_text = ", ".join(sorted(a.acronym for a in theirs.all()))
                yours_text = ", ".join(sorted(a.acronym for a in yours))
        elif theirs == yours or (theirs in (None, "") and yours in (None, "")):
            continue
        elif hasattr(current, f"get_{name}_display"):
            theirs_text = getattr(current, f"get_{name}_display")()
            yours_text = str(dict(field.choices).get(yours, yours))
        else:
            theirs_text = "" if theirs in (None, "") else str(theirs)
            yours_text = "" if yours in (None, "") else str(yours)
        if theirs_text != yours_text:
            rows.append((str(field.label), theirs_text or "(empty)", yours_text or "(empty)"))
    return rows


def rebind_on_conflict(form_class, request, current, **kwargs):
    """The person's own input, rebuilt on the current revision so that saving again keeps it deliberately."""
    data = request.POST.copy()
    prefix = kwargs.get("prefix")
    data[f"{prefix}-revision" if prefix else "revision"] = str(current.revision)
    # A copy of the row for the form: validating a model form writes the person's input onto its instance,
    # and `current` must keep showing what was saved.
    form = form_class(data, instance=type(current).objects.get(pk=current.pk), **kwargs)
    form.is_valid()
    return form


# -- the answers -----------------------------------------------------------------------------------------------


def finished(
    request,
    to,
    message: str = "",
    *,
    level: int = messages.SUCCESS,
    partial: Callable[[], HttpResponse] | None = None,
) -> HttpResponse:
    """The answer to a finished form: its message, then the page it leads to - one whole page, also for htmx.

    `partial()`, when given, is what an editor swaps in place under htmx (the part of the page the write changed,
    with its message); without JavaScript the person still lands on `to`.
    """
    if message:
        messages.add_message(request, level, message)
    if partial is not None and getattr(request, "htmx", False):
        return partial()
    url = to if isinstance(to, str) else to.get_absolute_url()
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def form_flow(
    request,
    *,
    form_class: type[forms.BaseForm],
    save: Callable[[forms.BaseForm], HttpResponse],
    template: str = "",
    context: dict | None = None,
    form_kwargs: dict | None = None,
    access: tuple[bool, str] | None = None,
    render_form: Callable[[dict, int], HttpResponse] | None = None,
    conflict_fields: list[str] | None = None,
    conflict_values: Callable[[forms.BaseForm], dict] | None = None,
) -> HttpResponse:
    """Show, refuse or save one form (see the module's docstring).

    `save(form)` is called with a valid form; it writes through a service and returns the answer (usually
    `finished(...)`). It raises `EditConflict` when someone saved first. `render_form(context, status)` draws
    the form where the person is looking (the editor's partial); by default `template` as a whole page.
    `conflict_values(form)` gives the values the person's save would write, when they are not the form's
    cleaned data (an activity's dates come from its timeframe).
    """
    if access is not None:
        require(*access)
    form_kwargs = form_kwargs or {}
    context = dict(context or {})
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, request.FILES if posted else None, **form_kwargs)
    limit_form_fields(form)  # every form's text fields keep the portal's rules (kit.inputs)

    def draw(form, status, **extra):
        page = {**context, **extra, "form": form}
        if render_form is not None:
            return render_form(page, status)
        return render(request, template, page, status=status)

    if not posted:
        return draw(form, 200)
    if not form.is_valid():
        return draw(form, 400)
    try:
        return save(form)
    except EditConflict as conflict:
        data = request.POST.copy()
        prefix = form_kwargs.get("prefix")
        data[f"{prefix}-revision" if prefix else "revision"] = str(conflict.current.revision)
        instance = type(conflict.current).objects.get(pk=conflict.current.pk)
        again = limit_form_fields(form_class(data, request.FILES, **{**form_kwargs, "instance": instance}))
        again.is_valid()
        names = conflict_fields or [n for n in again.fields if n not in FLOW_FIELDS]
        mine = conflict_values(again) if conflict_values is not None else None
        return draw(again, 409, conflict=conflict, conflict_rows=conflict_rows(again, conflict.current, names, mine))


def command_flow(
    request,
    *,
    run: Callable[[forms.BaseForm], HttpResponse],
    form_class: type[forms.BaseForm] = forms.Form,
    form_kwargs: dict | None = None,
    access: tuple[bool, str] | None = None,
) -> HttpResponse:
    """A write with no page of its own (a move, a renumbering): the same flow as a form, for a button's POST.

    Access is checked first; the button's few fields are checked like a form's (a form without fields when it
    has none), and a bad command answers 400 with the reason in words (the form's errors, on the 400 page);
    `run(form)` writes through the service and answers, usually `finished(..., partial=...)`.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])

    def refuse(page, status):
        errors = page["form"].errors
        reason = " ".join(str(m) for messages_ in errors.values() for m in messages_)
        return render(request, "400.html", {"reason": reason}, status=400)

    return form_flow(
        request, form_class=form_class, form_kwargs=form_kwargs, access=access, save=run, render_form=refuse
    )
