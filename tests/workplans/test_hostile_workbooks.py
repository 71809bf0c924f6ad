"""Hostile files offered as a work plan workbook (tests/hostile_files.py, the corpus the archive gets too): each is
refused with a reason in the page, in under 5 seconds and 200 MB, and changes nothing; the command says why too."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from groups.models import Person
from tests.factories import make_activity, make_person
from tests.hostile_files import CORPUS, LIMIT_MB, LIMIT_SECONDS, measured
from workplans.models import Activity, WorkPlanImport


@pytest.fixture
def plan(db):
    return make_activity(description="Hold a GMG side event at the HLD").output.stream.workplan


def reasons_in(page: str) -> list[str]:
    """The reasons the page gives: the refusal's list, or the form's own error under the field."""
    refused = re.search(r'<div[^>]*id="refused".*?</div>', page, re.S)
    found = re.findall(r"<li>(.*?)</li>", refused.group(0), re.S) if refused else []
    return found + re.findall(r'id="error_\d+_id_workbook"[^>]*>\s*(?:<strong>)?(.*?)<', page, re.S)


@pytest.mark.parametrize("hostile", CORPUS, ids=[h.key for h in CORPUS])
def test_each_hostile_file_is_refused_with_a_reason_quickly_and_in_little_memory(client, plan, hostile):
    client.force_login(make_person("staff", role=Person.Role.SUPPORT))
    before = list(Activity.objects.values_list("pk", "revision"))
    data = hostile.data
    url = reverse("workplans:workplan_import", args=[plan.slug])

    response, seconds, megabytes = measured(
        lambda: client.post(url, {"workbook": SimpleUploadedFile(hostile.name, data)})
    )

    assert response.status_code == 400, f"{hostile.what}: answered {response.status_code}"
    reasons = [r.strip() for r in reasons_in(response.text) if r.strip()]
    assert reasons, f"{hostile.what}: refused without a reason shown"
    assert seconds < LIMIT_SECONDS, f"{hostile.what}: {seconds:.1f} s"
    assert megabytes < LIMIT_MB, f"{hostile.what}: {megabytes:.0f} MB"
    assert not WorkPlanImport.objects.exists()
    assert list(Activity.objects.values_list("pk", "revision")) == before


def test_a_workbook_with_a_doctype_is_refused_with_its_reason_in_the_page_and_by_the_command(client, plan, tmp_path):
    doctype = next(h for h in CORPUS if h.key == "doctype-xlsx")
    client.force_login(make_person("staff", role=Person.Role.SUPPORT))
    response = client.post(
        reverse("workplans:workplan_import", args=[plan.slug]),
        {"workbook": SimpleUploadedFile("plan.xlsx", doctype.data)},
    )
    assert response.status_code == 400
    assert any("declares a DOCTYPE" in reason for reason in reasons_in(response.text))
    path = tmp_path / "plan.xlsx"
    path.write_bytes(doctype.data)
    with pytest.raises(CommandError, match="declares a DOCTYPE"):
        call_command("import_workplan", plan.slug, str(path))
