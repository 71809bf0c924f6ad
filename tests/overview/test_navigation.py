"""The main menu: each page a person may open from it is in it, and the page open is the one highlighted."""

import re

import pytest
from django.urls import reverse

from groups.models import Person
from tests.factories import make_agency, make_person

pytestmark = pytest.mark.django_db


def menu(client, url: str) -> dict[str, bool]:
    """The main menu's entries on a page: {label: highlighted}."""
    page = client.get(url).text
    nav = page[page.index('aria-label="Main"') : page.index("</nav>")]
    return {
        " ".join(label.split()): "active" in classes
        for classes, label in re.findall(r'<a class="nav-link([^"]*)"[^>]*>([^<]+)</a>', nav)
    }


def test_the_support_team_finds_people_and_the_audit_trail_in_the_menu(client):
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    entries = menu(client, reverse("dashboard"))
    assert "People" in entries and "Audit trail" in entries
    assert menu(client, reverse("groups:person_list"))["People"]
    assert menu(client, reverse("audit"))["Audit trail"]


def test_people_outside_the_support_team_are_not_offered_pages_they_may_not_open(client):
    client.force_login(make_person("fp", role=Person.Role.FOCAL_POINT, agency=make_agency("ILO")))
    entries = menu(client, reverse("dashboard"))
    assert "People" not in entries and "Audit trail" not in entries


def test_my_agencys_activities_is_highlighted_on_its_page_not_work_plans(client):
    client.force_login(make_person("fp", role=Person.Role.FOCAL_POINT, agency=make_agency("ILO")))
    entries = menu(client, reverse("workplans:my_activities"))
    assert entries["My agency's activities"] and not entries["Work plans"]
    assert menu(client, reverse("workplans:workplan_list"))["Work plans"]
