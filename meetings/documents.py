"""A meeting's agenda and minutes, and the action points across meetings, as documents (PDF, Word, CSV).

The content comes from `meetings.selectors`; the rendering from `kit.documents`, as for the chair's
annual report. The PDFs print the templates the pages use (`meetings/_agenda_body.html`, ...).
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kit import documents
from meetings.models import ActionPoint, Meeting
from meetings.selectors import ActionPointLine, carried_forward_to

AGENDA, MINUTES = "agenda", "minutes"


def _owner(point: ActionPoint) -> str:
    person = point.owner.get_full_name() or point.owner.username if point.owner else ""
    return f"{point.owner_agency.acronym} ({person})" if person else point.owner_agency.acronym


def _status(point: ActionPoint) -> str:
    done = f" ({date_format(point.done_on, "SHORT_DATE_FORMAT")})" if point.done_on else ""
    return f"{point.get_status_display()}{done}"


def _due(point: ActionPoint) -> str:
    return date_format(point.due_on, "SHORT_DATE_FORMAT") if point.due_on else _("no date")


def meeting_context(meeting: Meeting, kind: str) -> dict:
    title = (_("Agenda: %(title)s") if kind == AGENDA else _("Minutes: %(title)s")) % {"title": meeting.title}
    return {
        "meeting": meeting,
        "carried_forward": carried_forward_to(meeting) if kind == MINUTES else [],
        "document_title": title,
        "document_subtitle": meeting.when,
        "document_lines": [meeting.get_status_display() + (f", {meeting.group}" if meeting.group else "")],
        "document_body": f"meetings/_{kind}_body.html",
        "document_compact": True,
        "running_head": title[:90],
    }


def meeting_pdf(meeting: Meeting, kind: str) -> bytes:
    return documents.pdf_from_template("documents/print.html", meeting_context(meeting, kind))


def _action_point_table(document, points, *, with_meeting: bool = False) -> None:
    header = [_("Action"), _("Owner"), _("Due"), _("Status")] + ([_("Raised at")] if with_meeting else [])
    documents.add_table(
        document,
        header,
        (
            [p.text, _owner(p), _due(p), _status(p)]
            + ([f"{p.meeting.title}, {p.meeting.when}"] if with_meeting else [])
            for p in points
        ),
    )


def meeting_docx(meeting: Meeting, kind: str) -> bytes:
    """The agenda (its items, with notes) or the minutes (agenda, minutes, decisions, action points and the open
    points carried forward) as an editable Word file."""
    context = meeting_context(meeting, kind)
    document = documents.new_word_document(
        title=context["document_title"],
        subtitle=meeting.when,
        lines=context["document_lines"],
        compact=True,
        running_head=context["running_head"],
    )
    facts = [
        (_("When"), meeting.when),
        (_("Where"), meeting.venue or _("not given")),
        (_("Kind"), meeting.get_kind_display() + (f", {meeting.group}" if meeting.group else "")),
    ]
    if kind == MINUTES:
        facts.append((_("Attended"), ", ".join(a.acronym for a in meeting.attendees.all()) or _("not recorded")))
    documents.add_table(document, ["", ""], facts)
    document.add_heading(_("Agenda"), level=1)
    items = list(meeting.agenda_items.all())
    for item in items:
        document.add_paragraph(item.title, style="List Number")
        if kind == AGENDA and item.notes:
            documents.add_paragraphs(document, item.notes)
    if not items:
        document.add_paragraph(_("No agenda in the record."))
    if kind == AGENDA:
        return documents.word_bytes(document)
    document.add_heading(_("Minutes"), level=1)
    documents.add_paragraphs(document, meeting.minutes or _("No minutes in the record."))
    document.add_heading(_("Decisions"), level=1)
    for decision in meeting.decisions.all():
        document.add_heading(
            _("Decision %(number)s: %(title)s") % {"number": decision.number, "title": decision.title}, level=2
        )
        documents.add_paragraphs(document, decision.text)
    if not meeting.decisions.all():
        document.add_paragraph(_("No decisions recorded at this meeting."))
    document.add_heading(_("Action points"), level=1)
    _action_point_table(document, meeting.action_points.all())
    document.add_heading(_("Open action points carried forward from earlier meetings"), level=2)
    _action_point_table(document, context["carried_forward"], with_meeting=True)
    return documents.word_bytes(document)


# -- the action points across meetings ------------------------------------------------------------------------

ACTION_POINT_COLUMNS = ["Meeting", "Meeting date", "Action", "Owner", "Due", "Status", "Done on", "Carried forward"]


def action_points_context(lines: list[ActionPointLine], *, described: str) -> dict:
    return {
        "lines": lines,
        "document_title": _("Action points of the Global Migration Group"),
        "document_subtitle": described,
        "document_lines": [
            ngettext("%(count)s action point", "%(count)s action points", len(lines)) % {"count": len(lines)}
        ],
        "document_body": "meetings/_action_points_body.html",
        "document_compact": True,
        "running_head": _("Action points"),
    }


def action_points_pdf(lines: list[ActionPointLine], *, described: str) -> bytes:
    return documents.pdf_from_template("documents/print.html", action_points_context(lines, described=described))


def action_points_docx(lines: list[ActionPointLine], *, described: str) -> bytes:
    context = action_points_context(lines, described=described)
    document = documents.new_word_document(
        title=context["document_title"],
        subtitle=described,
        lines=context["document_lines"],
        compact=True,
        running_head=context["running_head"],
    )
    documents.add_table(
        document,
        [_("Raised at"), _("Action"), _("Owner"), _("Due"), _("Status"), _("Carried forward")],
        (
            [
                f"{line.meeting.title}, {line.meeting.when}",
                line.point.text,
                _owner(line.point),
                (_("%(day)s (overdue)") % {"day": _due(line.point)}) if line.overdue else _due(line.point),
                _status(line.point),
                line.carried,
            ]
            for line in lines
        ),
    )
    return documents.word_bytes(document)


def action_points_csv(lines: list[ActionPointLine]) -> str:
    """One row per action point, dates as YYYY-MM-DD, for a spreadsheet (UTF-8 with a BOM, no formulas)."""
    return documents.csv_text(
        [
            ACTION_POINT_COLUMNS,
            *(
                [
                    line.meeting.title,
                    line.meeting.starts_on.isoformat() if line.meeting.starts_on else line.meeting.when,
                    line.point.text,
                    _owner(line.point),
                    line.point.due_on.isoformat() if line.point.due_on else "",
                    line.point.get_status_display(),
                    line.point.done_on.isoformat() if line.point.done_on else "",
                    line.carried,
                ]
                for line in lines
            ),
        ]
    )
