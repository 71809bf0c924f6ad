"""Work plans to spreadsheets and back (issue 11, item 2).

The export lays a plan out as the GMG's own tables, one sheet per work stream: Year, Output, No., Activities,
Timeframe, Lead, Partners, Funding source, Cost, Currency, Status, and two hidden columns, the activity's id and
its revision then. The import reads an edited workbook into a preview - added, changed and removed activities,
and each row's problems in plain words - and applies nothing until asked; applied, it is all or nothing, and an
activity someone changed in the portal since the export (its revision moved on) is reported, never overwritten.

A workbook is checked before openpyxl reads it: its size, that it is a zip holding a workbook, and its parts as
bytes (kit.office_files): what they unpack to, counted while unpacking (a small file that unpacks to
gigabytes is refused), their number, their XML elements, and no DOCTYPE or entity declaration (Excel never
writes one; one can expand without end or read the server's files). Whatever openpyxl still fails on, opening the
workbook or reading its rows, is a refusal with its reason, never an error page. Formulas are refused: the portal
keeps values, and a formula's value is whatever the last program to save the file computed.

Text is never written as a formula: in the workbook a text starting with "=" is a text cell, and in the CSV such
a text (or one starting with +, - or @) gets a leading apostrophe, which the import takes off again, so an
export read back changes nothing. The import also takes the CSV file the page exports (UTF-8, with or without
its byte-order mark); a CSV carries no record of what was exported, so a row left out of it removes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from groups.models import Agency
from kit import documents
from kit.office_files import Limits, PackageRefused, check_package
from workplans import services
from workplans.models import Activity, Output, WorkPlan, WorkStream
from workplans.timeframes import read_timeframe

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PARTS = 500
MAX_ELEMENTS = 2_000_000
MAX_ROWS_PER_SHEET = 5000
MANIFEST = "Exported"

COLUMNS = [
    "Year",
    "Output",
    "No.",
    "Activities",
    "Timeframe",
    "Lead",
    "Partners",
    "Funding source",
    "Cost",
    "Currency",
    "Status",
    "Id",
    "Revision",
]
REQUIRED = [c for c in COLUMNS if c not in {"Id", "Revision"}]
HIDDEN = {"Id", "Revision"}
WIDTHS = {"Year": 7, "Output": 40, "No.": 7, "Activities": 60, "Timeframe": 22, "Lead": 18, "Partners": 24}
STATUS_BY_WORD = {
    **{label.lower(): value for value, label in Activity.Status.choices},
    **{v: v for v in Activity.Status.values},
}
# The fields a row sets, in the words the preview uses.
ROW_FIELDS = {
    "number": "No.",
    "description": "Activities",
    "timeframe": "Timeframe",
    "lead_agencies": "Lead",
    "partners": "Partners",
    "funding_source": "Funding source",
    "estimated_cost": "Cost",
    "currency": "Currency",
    "status": "Status",
    "output": "Output",
}


class SpreadsheetRefused(Exception):
    """The file as a whole cannot be read; the reasons are plain sentences."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


# -- export -----------------------------------------------------------------------------------------------------


def output_label(output: Output) -> str:
    return f"{output.number}: {output.title}" if output.number else output.title


def sheet_title(stream: WorkStream) -> str:
    # Excel: at most 31 characters, none of []:*?/\ ; the leading number names the stream on import.
    return re.sub(r"[\[\]:*?/\\]", " ", f"{stream.position} {stream.title}")[:31].strip()


def _plan_tree(plan: WorkPlan) -> list[WorkStream]:
    from workplans.selectors import workplan_for_page

    return list(workplan_for_page(plan.slug).streams.all())


def _row(output: Output, activity: Activity) -> list[Any]:
    return [
        output.year,
        output_label(output),
        activity.number,
        activity.description,
        activity.timeframe,
        ", ".join(a.acronym for a in activity.lead_agencies.all()),
        ", ".join(a.acronym for a in activity.partners.all()),
        activity.funding_source,
        activity.estimated_cost,
        activity.currency,
        activity.get_status_display(),
        activity.pk,
        activity.revision,
    ]


def export_xlsx(plan: WorkPlan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for stream in _plan_tree(plan):
        sheet = book.create_sheet(sheet_title(stream))
        sheet.append(COLUMNS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for output in stream.outputs.all():
            for activity in output.activities.all():
                sheet.append(_row(output, activity))
                for cell in sheet[sheet.max_row]:
                    # openpyxl takes a text starting with "=" for a formula: what people typed stays text.
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
        for index, name in enumerate(COLUMNS, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = WIDTHS.get(name, 14)
            sheet.column_dimensions[letter].hidden = name in HIDDEN
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    if not book.worksheets:
        book.create_sheet("No streams").append(COLUMNS)
    # What was exported, and at which revision: only these may be removed by leaving their row out, and only
    # if nobody changed them since (an activity added in the portal after the export is never removed).
    manifest = book.create_sheet(MANIFEST)
    manifest.append(["Id", "Revision"])
    for stream in _plan_tree(plan):
        for output in stream.outputs.all():
            for activity in output.activities.all():
                manifest.append([activity.pk, activity.revision])
    manifest.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_csv(plan: WorkPlan) -> str:
    """The plan as one CSV table (a Stream column first): UTF-8 with a BOM, no cell a formula
    (`kit.documents.csv_text`)."""
    return documents.csv_text(
        [
            ["Stream", *COLUMNS],
            *(
                [stream.title, *_row(output, activity)]
                for stream in _plan_tree(plan)
                for output in stream.outputs.all()
                for activity in output.activities.all()
            ),
        ]
    )


# -- reading a workbook safely ----------------------------------------------------------------------------------


def check_workbook_file(data: bytes) -> None:
    """Refuse what is too big, not a workbook, or a zip that unpacks to far more than it weighs."""
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetRefused(
            [
                _("The file is %(size)s MB; a work plan workbook is at most %(most)s MB.")
                % {"size": f"{len(data) / 2**20:.0f}", "most": MAX_FILE_BYTES // 2**20}
            ]
        )
    # A workbook starts with its first part; a zip behind other bytes (a PDF with a workbook appended) is refused.
    if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetRefused(
            [_("This is not an Excel workbook (.xlsx): save the file as an Excel workbook first.")]
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SpreadsheetRefused([_("This file is damaged or not an Excel workbook (.xlsx).")]) from None
    if "xl/workbook.xml" not in names:
        raise SpreadsheetRefused([_("This zip file is not an Excel workbook (.xlsx): it holds no workbook.")])
    if len(parts) > MAX_PARTS:
        raise SpreadsheetRefused(
            [_("The workbook has %(count)s parts; a work plan has far fewer.") % {"count": len(parts)}]
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetRefused(
            [
                _("The workbook unpacks to %(size)s MB; more than %(most)s MB is refused.")
                % {"size": f"{unpacked / 2**20:.0f}", "most": MAX_UNPACKED_BYTES // 2**20}
            ]
        )
    limits = Limits(max_parts=MAX_PARTS, max_unpacked_bytes=MAX_UNPACKED_BYTES, max_elements=MAX_ELEMENTS)
    try:
        check_package(data, kind="Excel workbook", required_part="xl/workbook.xml", limits=limits)
    except PackageRefused as refusal:
        raise SpreadsheetRefused(
            [_("This workbook cannot be read safely: %(reason)s.") % {"reason": refusal.reason}]
        ) from None


def read_workbook(data: bytes) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Each sheet's rows as {column: value}, numbered as Excel numbers them; formulas and missing columns refused."""
    from openpyxl import load_workbook

    check_workbook_file(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise SpreadsheetRefused(
            [_("The workbook cannot be read (%(error)s); save it again from Excel.") % {"error": type(error).__name__}]
        ) from None
    sheets: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    problems: list[str] = []
    try:
        _read_sheets(book, sheets, problems)
    except Exception as error:  # read-only openpyxl parses each sheet only now, as its rows are read
        raise SpreadsheetRefused(
            [
                _("The workbook's rows cannot be read (%(error)s); save it again from Excel.")
                % {"error": f"{type(error).__name__}: {str(error)[:200]}"}
            ]
        ) from None
    finally:
        book.close()
    if problems:
        raise SpreadsheetRefused(problems)
    return sheets


def _read_sheets(book, sheets: dict, problems: list[str]) -> None:
    for sheet in book.worksheets:
        rows = sheet.iter_rows()
        header_cells = next(rows, ())
        header = [str(c.value).strip() if c.value is not None else "" for c in header_cells]
        required = ["Id", "Revision"] if sheet.title == MANIFEST else REQUIRED
        missing = [c for c in required if c not in header]
        if missing:
            problems.append(
                _("Sheet “%(sheet)s” has no column %(columns)s.")
                % {"sheet": sheet.title, "columns": ", ".join(f"“{m}”" for m in missing)}
            )
            continue
        found = []
        for number, cells in enumerate(rows, start=2):
            if number > MAX_ROWS_PER_SHEET:
                problems.append(
                    _("Sheet “%(sheet)s” has more than %(most)s rows.")
                    % {"sheet": sheet.title, "most": MAX_ROWS_PER_SHEET}
                )
                break
            values = {}
            for name, cell in zip(header, cells, strict=False):
                # A text cell that starts with "=" is text (the export writes such descriptions so).
                if getattr(cell, "data_type", None) == "f":
                    problems.append(
                        _("Sheet “%(sheet)s”, cell %(cell)s holds a formula; type the value instead.")
                        % {"sheet": sheet.title, "cell": cell.coordinate}
                    )
                if name:
                    values[name] = documents.from_spreadsheet_text(cell.value)
            if any(v not in (None, "") for v in values.values()):
                found.append((number, values))
        sheets[sheet.title] = found


CSV_COLUMNS = ["Stream", *REQUIRED]


def is_csv(data: bytes) -> bool:
    """The CSV file the page exports (its first line names the columns), not a workbook."""
    first = data.removeprefix(documents.CSV_BOM.encode()).split(b"\n", 1)[0]
    return not zipfile.is_zipfile(io.BytesIO(data)) and all(c.encode() in first for c in ("Stream", "Activities"))


def read_csv(data: bytes) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """The exported CSV file's rows by stream (its Stream column), as `read_workbook` gives a workbook's sheets;
    the byte-order mark, and the apostrophe the export puts before a text that looks like a formula, come off."""
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetRefused(
            [
                _("The file is %(size)s MB; a work plan file is at most %(most)s MB.")
                % {"size": f"{len(data) / 2**20:.0f}", "most": MAX_FILE_BYTES // 2**20}
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetRefused(
            [_("This CSV file is not in UTF-8: save it as “CSV UTF-8” (Excel) or with the UTF-8 character set.")]
        ) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise SpreadsheetRefused([_("This CSV file cannot be read (%(error)s).") % {"error": error}]) from None
    header = [name.strip() for name in (rows[0] if rows else [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise SpreadsheetRefused(
            [_("The CSV file has no column %(columns)s.") % {"columns": ", ".join(f"“{m}”" for m in missing)}]
        )
    if len(rows) > MAX_ROWS_PER_SHEET:
        raise SpreadsheetRefused([_("The CSV file has more than %(most)s rows.") % {"most": MAX_ROWS_PER_SHEET}])
    sheets: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, cells in enumerate(rows[1:], start=2):
        values = {
            name: documents.from_spreadsheet_text(cell) for name, cell in zip(header, cells, strict=False) if name
        }
        if any(v not in (None, "") for v in values.values()):
            sheets.setdefault(_text(values.pop("Stream", "")), []).append((number, values))
    return sheets


# -- the preview ------------------------------------------------------------------------------------------------


@dataclass
class RowChange:
    sheet: str
    row: int
    activity: Activity | None  # None for an added row
    output: Output
    values: dict[str, Any]
    lead_agencies: list[Agency]
    partners: list[Agency]
    revision: int | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)

    @property
    def label(self) -> str:
        return f"{self.values.get('number') or ''} {self.values.get('description', '')}".strip()[:120]


@dataclass
class RowError:
    sheet: str
    row: int | None
    message: str


@dataclass
class ImportPreview:
    plan: WorkPlan
    added: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    removed: list[Activity] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _agencies(text: str, known: dict[str, Agency]) -> tuple[list[Agency], list[str]]:
    found, unknown = [], []
    for name in (n.strip() for n in re.split(r"[,;\n]", text)):
        if not name:
            continue
        agency = known.get(name.lower())
        if agency is None:
            unknown.append(name)
        elif agency not in found:
            found.append(agency)
    return found, unknown


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(a.acronym for a in value)
    return "" if value is None else str(value)


def preview_import(plan: WorkPlan, data: bytes) -> ImportPreview:
    """What applying the workbook would do to the plan; nothing is written."""
    sheets = read_csv(data) if is_csv(data) else read_workbook(data)
    preview = ImportPreview(plan=plan)
    known = {}
    for agency in Agency.objects.all():
        known[agency.acronym.lower()] = agency
        known.setdefault(agency.name.lower(), agency)
    exported = {}
    for _number, row in sheets.pop(MANIFEST, []):
        if _text(row.get("Id")).isdigit() and _text(row.get("Revision")).isdigit():
            exported[int(_text(row["Id"]))] = int(_text(row["Revision"]))
    streams = _plan_tree(plan)
    by_position = {s.position: s for s in streams}
    by_title = {s.title: s for s in streams}
    current = {a.pk: a for s in streams for o in s.outputs.all() for a in o.activities.all()}
    seen_ids: set[int] = set()
    seen_streams: set[int] = set()
    for title, rows in sheets.items():
        match = re.match(r"\s*(\d+)\b", title)
        stream = by_title.get(title) or (by_position.get(int(match.group(1))) if match else None)
        if stream is None:
            preview.errors.append(RowError(title, None, f"Sheet “{title}” names no work stream of this plan."))
            continue
        seen_streams.add(stream.pk)
        outputs = {(o.year, output_label(o).lower()): o for o in stream.outputs.all()}
        for number, values in rows:
            _read_row(preview, title, number, values, stream, outputs, known, current, seen_ids)
    for stream in streams:
        if stream.pk not in seen_streams and any(o.activities.all() for o in stream.outputs.all()):
            preview.errors.append(
                RowError("", None, f"The workbook has no sheet for the stream “{stream.title}”; nothing is removed.")
            )
    for pk, activity in current.items():
        if pk in seen_ids or pk not in exported:
            continue
        if activity.revision != exported[pk]:
            preview.errors.append(
                RowError(
                    "",
                    None,
                    _(
                        "activity %(number)s was changed in the portal since this file was exported; its row is "
                        "missing from the file, but it is not removed"
                    )
                    % {"number": activity.number or pk},
                )
            )
        else:
            preview.removed.append(activity)
    if preview.errors:
        preview.removed = []
    return preview


def _read_row(preview, title, number, values, stream, outputs, known, current, seen_ids) -> None:
    errors = []

    def fail(message):
        errors.append(RowError(title, number, message))

    year_text = _text(values.get("Year"))
    year = None
    if year_text:
        try:
            year = int(year_text)
        except ValueError:
            fail(_("the year “%(year)s” is not a year") % {"year": year_text})
    output = outputs.get((year, _text(values.get("Output")).lower()))
    if output is None:
        if year:
            fail(
                _("no output “%(output)s” of %(year)s in this stream (add outputs in the portal)")
                % {"output": _text(values.get("Output")), "year": year}
            )
        else:
            fail(
                _("no output “%(output)s” of no year in this stream (add outputs in the portal)")
                % {"output": _text(values.get("Output"))}
            )
    description = _text(values.get("Activities"))
    if not description:
        fail(_("the activity has no description (column “Activities”)"))
    leads, unknown_leads = _agencies(_text(values.get("Lead")), known)
    partners, unknown_partners = _agencies(_text(values.get("Partners")), known)
    for name in unknown_leads + unknown_partners:
        fail(_("unknown agency “%(name)s” (write the acronym, e.g. IOM or UN Women)") % {"name": name})
    cost_text = _text(values.get("Cost"))
    cost = None
    if cost_text:
        try:
            cost = Decimal(cost_text.replace(",", "").replace(" ", ""))
            if cost < 0 or not cost.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            fail(_("the cost “%(cost)s” is not an amount (write a number, e.g. 75000)") % {"cost": cost_text})
            cost = None
    currency = _text(values.get("Currency")).upper()
    if currency:
        from workplans.currencies import ISO_4217_CODES

        if currency not in ISO_4217_CODES:
            fail(_("the currency “%(currency)s” is not an ISO 4217 code (e.g. USD)") % {"currency": currency})
    if cost is not None and not currency:
        fail(_("a cost needs its currency (column “Currency”)"))
    status_text = _text(values.get("Status"))
    status = STATUS_BY_WORD.get(status_text.lower()) if status_text else Activity.Status.PLANNED
    if status is None:
        fail(
            _("the status “%(status)s” is not one of: %(known)s")
            % {"status": status_text, "known": ", ".join(str(label) for label in Activity.Status.labels)}
        )
    id_text, activity = _text(values.get("Id")), None
    if id_text:
        try:
            activity = current.get(int(id_text))
        except ValueError:
            activity = None
        if activity is None:
            fail(
                _("the id %(id)s is no activity of this plan (clear it to add the row as a new activity)")
                % {"id": id_text}
            )
        elif activity.pk in seen_ids:
            fail(_("the id %(id)s is on two rows") % {"id": id_text})
    timeframe = _text(values.get("Timeframe"))
    if timeframe and (activity is None or timeframe != activity.timeframe):
        reading = read_timeframe(timeframe, default_year=year)
        if not reading.readable:
            fail(
                _("the timeframe “%(timeframe)s” cannot be read: %(note)s")
                % {"timeframe": timeframe, "note": reading.note}
                if reading.note
                else _("the timeframe “%(timeframe)s” cannot be read") % {"timeframe": timeframe}
            )
    if errors:
        preview.errors.extend(errors)
        if activity is not None:
            seen_ids.add(activity.pk)
        return
    row_values = {
        "number": _text(values.get("No."))[:20],
        "description": description,
        "funding_source": _text(values.get("Funding source"))[:500],
        "estimated_cost": cost,
        "currency": currency,
        "status": status,
    }
    change = RowChange(title, number, activity, output, row_values, leads, partners)
    if activity is None:
        change.values.update(services.activity_dates_from_timeframe(timeframe, year=year))
        preview.added.append(change)
        return
    seen_ids.add(activity.pk)
    revision_text = _text(values.get("Revision"))
    change.revision = int(revision_text) if revision_text.isdigit() else None
    before = {
        "number": activity.number,
        "description": activity.description,
        "funding_source": activity.funding_source,
        "estimated_cost": activity.estimated_cost,
        "currency": activity.currency,
        "status": activity.status,
        "timeframe": activity.timeframe,
        "output": activity.output,
        "lead_agencies": list(activity.lead_agencies.all()),
        "partners": list(activity.partners.all()),
    }
    after = {**row_values, "timeframe": timeframe, "output": output, "lead_agencies": leads, "partners": partners}
    for name, column in ROW_FIELDS.items():
        old, new = before[name], after[name]
        if name in {"lead_agencies", "partners"}:
            differs = {a.pk for a in old} != {a.pk for a in new}
        elif name == "estimated_cost":
            differs = (old is None) != (new is None) or (old is not None and Decimal(old) != new)
        else:
            differs = old != new
        if differs:
            change.changes.append((column, _shown(old), _shown(new)))
    if not change.changes:
        return
    if change.revision != activity.revision:
        preview.errors.append(
            RowError(
                title,
                number,
                f"activity {activity.number or activity.pk} was changed in the portal since this file was exported; "
                "your edit is not applied - export again and redo it",
            )
        )
        return
    if timeframe != activity.timeframe:
        change.values.update(
            services.activity_dates_from_timeframe(
                timeframe, year=year, starts_on=activity.starts_on, ends_on=activity.ends_on
            )
        )
    preview.changed.append(change)


class ImportConflict(Exception):
    """Something changed between the preview and the apply; nothing was applied."""


@transaction.atomic
def apply_import(preview: ImportPreview, *, user=None) -> dict[str, int]:
    """Apply a clean preview, all or nothing: any activity changed meanwhile undoes the whole import."""
    if not preview.ok:
        raise ImportConflict(_("The workbook has problems; fix them and upload it again."))
    WorkPlan.objects.select_for_update().filter(pk=preview.plan.pk).first()
    for change in preview.changed:
        values = dict(change.values)
        if change.output.pk != change.activity.output_id:
            values["output"] = change.output
            values["position"] = services.next_position_in(change.output)
        try:
            services.activity_update(
                activity=change.activity,
                revision=change.revision,
                values=values,
                lead_agencies=change.lead_agencies,
                partners=change.partners,
                user=user,
            )
        except services.EditConflict as conflict:
            raise ImportConflict(
                _(
                    "Activity %(number)s was changed in the portal meanwhile (%(why)s); nothing was applied. Export "
                    "again and redo your edits."
                )
                % {"number": change.activity.number or change.activity.pk, "why": conflict.message}
            ) from None
    for activity in preview.removed:
        current = Activity.objects.filter(pk=activity.pk).values_list("revision", flat=True).first()
        if current != activity.revision:
            raise ImportConflict(
                _("Activity %(number)s was changed or removed in the portal meanwhile; nothing was applied.")
                % {"number": activity.number or activity.pk}
            )
        services.activity_remove(activity=Activity.objects.get(pk=activity.pk), user=user)
    for change in preview.added:
        services.activity_create(
            output=change.output,
            values=change.values,
            lead_agencies=change.lead_agencies,
            partners=change.partners,
            user=user,
        )
    return {"added": len(preview.added), "changed": len(preview.changed), "removed": len(preview.removed)}
