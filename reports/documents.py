"""The chair's annual report as a document: the standalone page, the PDF and the Word file.

The content is `reports.selectors.annual_report`; the rendering is `kit.documents`, shared with the
meeting documents. The PDF and the HTML file print the page's own template (`chairs/_annual_report_body.html`).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kit import documents
from reports.selectors import AnnualReport

BODY = "chairs/_annual_report_body.html"


def report_context(report: AnnualReport) -> dict:
    """What the page, the PDF and the HTML file render: the report, its chart and the title page."""
    if report.submitted_on:
        state = _("Submitted on %(day)s") % {"day": date_format(report.submitted_on, "DATE_FORMAT")}
    elif report.due:
        state = _("Draft, due by %(day)s") % {"day": date_format(report.due, "DATE_FORMAT")}
    else:
        state = _("Draft")
    if report.text:
        state = _("%(state)s; text version %(n)s") % {"state": state, "n": report.text.revision}
    return {
        "report": report,
        "chart_url": documents.png_data_url(documents.status_chart_png(report.chart)),
        "document_title": report.title,
        "document_subtitle": report.subtitle,
        "document_lines": [
            report.period,
            state,
            _("Drafted from the record as of %(day)s") % {"day": date_format(report.as_of, "DATE_FORMAT")},
        ],
        "document_sections": report.sections,
        "document_body": BODY,
        "running_head": (
            _("Annual report of the Chair, %(period)s") % {"period": report.term.period_label}
            if report.term
            else _("Annual report, %(group)s %(year)s") % {"group": report.group.short_name, "year": report.year}
        ),
    }


def _output_label(output) -> str:
    """An output as the report names it, in full: year, number as written, title."""
    return ": ".join(str(part) for part in (output.year, output.number, output.title) if part)


def report_html(report: AnnualReport) -> str:
    """A standalone HTML file (styles and chart inside), the same as the PDF."""
    return render_to_string("documents/print.html", {**report_context(report), "for_print": True})


def report_pdf(report: AnnualReport) -> bytes:
    return documents.pdf_from_template("documents/print.html", report_context(report))


def report_docx(report: AnnualReport) -> bytes:
    """An editable Word file: Heading 1 per section, Heading 2 per work stream with its table of outputs."""
    context = report_context(report)
    document = documents.new_word_document(
        title=report.title,
        subtitle=report.subtitle,
        lines=context["document_lines"],
        running_head=context["running_head"],
    )
    documents.add_contents(document)
    statuses = report.statuses

    document.add_heading(_("Introduction"), level=1)
    if report.text and report.text.introduction:
        documents.add_paragraphs(document, report.text.introduction)
    elif report.group is None:
        document.add_paragraph(_("The chair's introduction has not been written yet."))
    dates = {
        "as_of": date_format(report.as_of, "DATE_FORMAT"),
        "due": report.due and date_format(report.due, "DATE_FORMAT"),
    }
    if report.due:
        drafted = _("It is drafted from the portal's record as of %(as_of)s; the report is due by %(due)s.") % dates
    else:
        drafted = _("It is drafted from the portal's record as of %(as_of)s.") % dates
    document.add_paragraph(f"{report.scope} {drafted}")
    if report.group is None:
        document.add_heading(_("Highlights"), level=1)
        if report.text and report.text.highlights:
            documents.add_paragraphs(document, report.text.highlights)
        else:
            document.add_paragraph(_("No highlights have been written yet."))

    document.add_heading(_("Progress of the work plan"), level=1)
    if report.streams:
        start, end = report.starts_on.year, report.ends_on.year
        if start == end:
            planned = _("the outputs planned for %(years)s, their activities by status.") % {"years": start}
        else:
            planned = _("the outputs planned for %(first)s-%(last)s, their activities by status.") % {
                "first": start,
                "last": end,
            }
        document.add_paragraph("; ".join(plan.title for plan in report.plans) + ": " + planned)
        documents.add_picture(
            document,
            documents.status_chart_png(report.chart),
            caption=_("Activities of the term's outputs by status, per work stream"),
        )
    else:
        document.add_paragraph(_("No work plan was in force during the term."))
    for row in report.streams:
        document.add_heading(row.label, level=2)
        lead = _("Led by %(lead)s.") % {"lead": row.stream.lead_label} + " " if row.stream.lead_label else ""
        counts = {"counter": row.progress.total, "overdue": row.progress.overdue}
        if row.progress.overdue:
            total = ngettext(
                "%(counter)s activity, %(overdue)s overdue.",
                "%(counter)s activities, %(overdue)s overdue.",
                counts["counter"],
            )
        else:
            total = ngettext("%(counter)s activity.", "%(counter)s activities.", counts["counter"])
        document.add_paragraph(lead + total % counts)
        documents.add_table(
            document,
            [_("Output"), *[str(s.label) for s in statuses], _("Overdue")],
            ([_output_label(o.output), *o.cells, o.overdue] for o in row.outputs),
            empty=_("No outputs planned for the term."),
        )

    document.add_heading(_("Activities"), level=1)
    for heading, lines, empty in (
        (
            _("Completed (%(n)s)") % {"n": len(report.completed)},
            report.completed,
            _("No activity of the term's outputs is recorded as completed."),
        ),
        (_("Ongoing or not yet started (%(n)s)") % {"n": len(report.ongoing)}, report.ongoing, _("None.")),
    ):
        document.add_heading(heading, level=2)
        documents.add_table(
            document,
            [_("Activity"), _("Timeframe"), _("Lead"), _("Status"), _("Latest update")],
            (
                [
                    f"{line.activity.number} {line.activity.description}".strip(),
                    line.activity.timeframe or "-",
                    ", ".join(a.acronym for a in line.activity.lead_agencies.all()) or line.activity.lead or "-",
                    line.activity.get_status_display(),
                    (
                        f"{date_format(line.latest.reported_on, "SHORT_DATE_FORMAT")}, {line.latest.agency.acronym}: "
                        f"{line.latest.narrative}"
                        if line.latest
                        else "-"
                    ),
                ]
                for line in lines
            ),
            empty=empty,
        )
    if report.cancelled:
        document.add_paragraph(
            ngettext("%(counter)s activity was cancelled.", "%(counter)s activities were cancelled.", report.cancelled)
            % {"counter": report.cancelled}
        )

    document.add_heading(_("Meetings and decisions"), level=1)
    document.add_heading(_("Meetings held (%(n)s)") % {"n": len(report.meetings)}, level=2)
    documents.add_table(
        document,
        [_("When"), _("Meeting"), _("Kind"), _("Venue")],
        ([m.when, m.title, m.get_kind_display(), m.venue] for m in report.meetings),
        empty=_("The record shows no meeting held during the term."),
    )
    document.add_heading(_("Decisions taken (%(n)s)") % {"n": len(report.decisions)}, level=2)
    documents.add_table(
        document,
        [_("Decision"), _("Taken at"), _("Text")],
        ([f"{d.number}. {d.title}", f"{d.meeting.title}, {d.meeting.when}", d.text] for d in report.decisions),
        empty=_("The record shows no decision taken during the term."),
    )

    document.add_heading(dict(report.sections)["groups"], level=1)
    documents.add_table(
        document,
        [_("Group"), _("Year"), _("Meetings held"), _("Minimum"), _("Outputs in the work plan")],
        (
            [
                str(g.group),
                g.year,
                _("%(held)s (short)") % {"held": g.held} if g.short else g.held,
                "-" if g.minimum is None else g.minimum,
                "; ".join(str(o) for o in g.outputs),
            ]
            for g in report.group_years
        ),
        empty=_("No group owed meetings during the term."),
    )

    document.add_heading(_("Outstanding"), level=1)
    if report.outstanding:
        document.add_paragraph(
            _("Obligations due during the term and still open on %(day)s, from the register of deadlines.")
            % {"day": date_format(report.as_of, "DATE_FORMAT")}
        )
    documents.add_table(
        document,
        [_("Due"), _("Kind"), _("Obligation"), _("Responsible")],
        (
            [date_format(o.due, "SHORT_DATE_FORMAT"), o.kind_label, o.title, str(o.agency or "-")]
            for o in report.outstanding
        ),
        empty=_("Nothing due during the term is outstanding."),
    )
    return documents.word_bytes(document)
