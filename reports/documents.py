"""The chair's annual report as a document: the standalone page, the PDF and the Word file.

The content is `reports.selectors.annual_report`; the rendering is `kit.documents`, shared with the
meeting documents. The PDF and the HTML file print the page's own template (`chairs/_annual_report_body.html`).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.dateformat import format as format_date

from kit import documents
from reports.selectors import AnnualReport

BODY = "chairs/_annual_report_body.html"


def report_context(report: AnnualReport) -> dict:
    """What the page, the PDF and the HTML file render: the report, its chart and the title page."""
    if report.submitted_on:
        state = f"Submitted on {format_date(report.submitted_on, 'j F Y')}"
    elif report.due:
        state = f"Draft, due by {format_date(report.due, 'j F Y')}"
    else:
        state = "Draft"
    version = f"; text version {report.text.revision}" if report.text else ""
    return {
        "report": report,
        "chart_url": documents.png_data_url(documents.status_chart_png(report.chart)),
        "document_title": report.title,
        "document_subtitle": report.subtitle,
        "document_lines": [
            report.period,
            f"{state}{version}",
            f"Drafted from the record as of {format_date(report.as_of, 'j F Y')}",
        ],
        "document_sections": report.sections,
        "document_body": BODY,
        "running_head": (
            f"Annual report of the Chair, {report.term.period_label}"
            if report.term
            else f"Annual report, {report.group.short_name} {report.year}"
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

    document.add_heading("Introduction", level=1)
    if report.text and report.text.introduction:
        documents.add_paragraphs(document, report.text.introduction)
    elif report.group is None:
        document.add_paragraph("The chair's introduction has not been written yet.")
    due = f"; the report is due by {format_date(report.due, 'j F Y')}" if report.due else ""
    document.add_paragraph(
        f"{report.scope} It is drafted from the portal's record as of {format_date(report.as_of, 'j F Y')}{due}."
    )
    if report.group is None:
        document.add_heading("Highlights", level=1)
        if report.text and report.text.highlights:
            documents.add_paragraphs(document, report.text.highlights)
        else:
            document.add_paragraph("No highlights have been written yet.")

    document.add_heading("Progress of the work plan", level=1)
    if report.streams:
        start, end = report.starts_on.year, report.ends_on.year
        years = str(start) if start == end else f"{start}-{end}"
        document.add_paragraph(
            "; ".join(plan.title for plan in report.plans)
            + f": the outputs planned for {years}, their activities by status."
        )
        documents.add_picture(
            document,
            documents.status_chart_png(report.chart),
            caption="Activities of the term's outputs by status, per work stream",
        )
    else:
        document.add_paragraph("No work plan was in force during the term.")
    for row in report.streams:
        document.add_heading(row.label, level=2)
        lead = f"Led by {row.stream.lead_label}. " if row.stream.lead_label else ""
        overdue = f", {row.progress.overdue} overdue" if row.progress.overdue else ""
        document.add_paragraph(f"{lead}{documents.plural(row.progress.total, 'activity')}{overdue}.")
        documents.add_table(
            document,
            ["Output", *[s.label for s in statuses], "Overdue"],
            ([_output_label(o.output), *o.cells, o.overdue] for o in row.outputs),
            empty="No outputs planned for the term.",
        )

    document.add_heading("Activities", level=1)
    for heading, lines, empty in (
        (
            f"Completed ({len(report.completed)})",
            report.completed,
            "No activity of the term's outputs is recorded as completed.",
        ),
        (f"Ongoing or not yet started ({len(report.ongoing)})", report.ongoing, "None."),
    ):
        document.add_heading(heading, level=2)
        documents.add_table(
            document,
            ["Activity", "Timeframe", "Lead", "Status", "Latest update"],
            (
                [
                    f"{line.activity.number} {line.activity.description}".strip(),
                    line.activity.timeframe or "-",
                    ", ".join(a.acronym for a in line.activity.lead_agencies.all()) or line.activity.lead or "-",
                    line.activity.get_status_display(),
                    (
                        f"{format_date(line.latest.reported_on, 'j M Y')}, {line.latest.agency.acronym}: "
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
        was = "activity was" if report.cancelled == 1 else "activities were"
        document.add_paragraph(f"{report.cancelled} {was} cancelled.")

    document.add_heading("Meetings and decisions", level=1)
    document.add_heading(f"Meetings held ({len(report.meetings)})", level=2)
    documents.add_table(
        document,
        ["When", "Meeting", "Kind", "Venue"],
        ([m.when, m.title, m.get_kind_display(), m.venue] for m in report.meetings),
        empty="The record shows no meeting held during the term.",
    )
    document.add_heading(f"Decisions taken ({len(report.decisions)})", level=2)
    documents.add_table(
        document,
        ["Decision", "Taken at", "Text"],
        ([f"{d.number}. {d.title}", f"{d.meeting.title}, {d.meeting.when}", d.text] for d in report.decisions),
        empty="The record shows no decision taken during the term.",
    )

    document.add_heading(dict(report.sections)["groups"], level=1)
    documents.add_table(
        document,
        ["Group", "Year", "Meetings held", "Minimum", "Outputs in the work plan"],
        (
            [
                str(g.group),
                g.year,
                f"{g.held} (short)" if g.short else g.held,
                "-" if g.minimum is None else g.minimum,
                "; ".join(str(o) for o in g.outputs),
            ]
            for g in report.group_years
        ),
        empty="No group owed meetings during the term.",
    )

    document.add_heading("Outstanding", level=1)
    if report.outstanding:
        document.add_paragraph(
            f"Obligations due during the term and still open on {format_date(report.as_of, 'j F Y')}, "
            "from the register of deadlines."
        )
    documents.add_table(
        document,
        ["Due", "Kind", "Obligation", "Responsible"],
        ([format_date(o.due, "j M Y"), o.kind_label, o.title, str(o.agency or "-")] for o in report.outstanding),
        empty="Nothing due during the term is outstanding.",
    )
    return documents.word_bytes(document)
