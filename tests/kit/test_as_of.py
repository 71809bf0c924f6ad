"""The "as of" day (`?on=`) travels with the dashboard's links, and the pages they reach judge "overdue" on it."""

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from chairs.models import ChairTerm
from groups.models import Person
from kit.as_of import with_as_of
from tests.factories import make_activity, make_agency, make_output, make_person, make_stream, make_workplan

pytestmark = pytest.mark.django_db

ON = date(2015, 6, 15)


@pytest.fixture
def viewer(client, db):
    client.force_login(make_person("viewer", role=Person.Role.VIEWER))
    return client


def links_in_main(html: str) -> list[str]:
    main = html[html.index("<main") : html.index("</main>")]
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', main)]


def test_a_link_keeps_its_parameters_and_fragment_and_takes_the_day():
    assert with_as_of("/chairs/3/", ON) == "/chairs/3/?on=2015-06-15"
    assert with_as_of("/meetings/?year=2015&on=2020-01-01#x", ON) == "/meetings/?year=2015&on=2015-06-15#x"
    carried = "/dashboard/activities/?on=2015-06-15&stream=3"
    assert with_as_of(carried, ON) == carried
    assert with_as_of("/chairs/3/", None) == "/chairs/3/"


def test_every_link_the_dashboard_makes_carries_its_day(viewer, gmg_record):
    html = viewer.get(reverse("dashboard"), {"on": ON.isoformat()}).text
    links = [link for link in links_in_main(html) if not link.startswith("#")]
    today_button = reverse("dashboard")
    followed = [link for link in links if link != today_button]
    assert len(followed) > 20
    for link in followed:
        assert parse_qs(urlsplit(link).query).get("on") == [ON.isoformat()], link
    # Seen as of today, the links carry no day.
    assert not [link for link in links_in_main(viewer.get(reverse("dashboard")).text) if "on=" in link]


def test_the_chair_term_page_reached_from_the_dashboard_judges_its_obligations_on_that_day(viewer, gmg_record):
    term = ChairTerm.objects.get(kind="actual", agency__acronym="World Bank", starts_on=date(2015, 1, 1))
    html = viewer.get(reverse("dashboard"), {"on": ON.isoformat()}).text
    link = next(link for link in links_in_main(html) if link.startswith(term.get_absolute_url()))
    then = viewer.get(link)
    states = {o.kind: o.state for o in then.context["duties"]}
    assert states["annual_report"] == "upcoming" and states["principals_meeting"] in {"upcoming", "due"}
    assert "Seen as of 15 June 2015" in then.text
    now = {o.kind: o.state for o in viewer.get(term.get_absolute_url()).context["duties"]}
    assert now["annual_report"] == "overdue"


def test_my_agencys_activities_and_an_activity_judge_overdue_on_the_day(client, db):
    agency = make_agency("UNODC")
    focal = make_person("fp", role=Person.Role.FOCAL_POINT, agency=agency)
    activity = make_activity(
        output=make_output(make_stream(make_workplan())),
        description="Launch the key messages",
        starts_on=date(2014, 3, 1),
        ends_on=date(2014, 5, 31),
        lead_agencies=[agency],
    )
    client.force_login(focal)
    url = reverse("workplans:my_activities")
    assert "Launch the key messages" in client.get(url, {"overdue": "yes"}).text
    assert "Launch the key messages" not in client.get(url, {"overdue": "yes", "on": "2014-05-01"}).text
    assert "Launch the key messages" in client.get(url, {"overdue": "no", "on": "2014-05-01"}).text
    assert client.get(activity.get_absolute_url(), {"on": "2014-05-01"}).context["overdue"] is False
    assert client.get(activity.get_absolute_url()).context["overdue"] is True


# The pages that judge "overdue", "past", "due" or "pending" against a day, reached as they are from the menus.
def _judging_pages():
    from meetings.models import Decision, Meeting

    return {
        "meetings": reverse("meetings:meeting_list"),
        "calendar": reverse("register:meeting_calendar_month", args=[ON.year, ON.month]) + "?deadlines=on",
        "decision": Decision.objects.exclude(review_on=None).order_by("-review_on").first().get_absolute_url(),
        "decisions": reverse("meetings:decision_list"),
        "action points": reverse("meetings:action_point_list"),
        "rotation": reverse("chairs:rotation"),
        "chair terms": reverse("chairs:term_list"),
        "events": reverse("events:event_list"),
        "rounds": reverse("workplans:round_list"),
        "groups": reverse("groups:group_list"),
        "agencies": reverse("groups:agency_list"),
        "meetings (latest first)": Meeting.objects.order_by("-starts_on").first().get_absolute_url(),
    }


RED = re.compile(r"text-bg-danger|table-danger|text-danger")


def _portal_links(html: str) -> list[str]:
    return [
        link
        for link in links_in_main(html)
        if link.startswith("/") and not link.startswith(("//", "/static/", "/media/", "/admin/"))
    ]


def test_every_page_that_judges_by_a_day_judges_on_the_day_and_hands_it_on(client, gmg_record):
    client.force_login(make_person("keeper", role=Person.Role.SUPPORT))
    then_red = now_red = 0
    for what, url in _judging_pages().items():
        then = client.get(url + ("&" if "?" in url else "?") + f"on={ON.isoformat()}")
        assert then.status_code == 200, what
        html = then.text
        assert "Seen as of 15 June 2015" in html, what
        links = [link for link in _portal_links(html) if link != urlsplit(url).path]
        assert links, what
        for link in links:
            assert parse_qs(urlsplit(link).query).get("on") == [ON.isoformat()], f"{what}: {link}"
        main = html[html.index("<main") : html.index("</main>")]
        for form in re.findall(r"<form\b[^>]*>.*?</form>", main, re.DOTALL):
            if 'method="post"' not in form.split(">", 1)[0]:
                assert f'name="on" value="{ON.isoformat()}"' in form or 'name="on"' in form, f"{what}: {form[:200]}"
        then_red += len(RED.findall(main))
        now = client.get(url).text
        now_red += len(RED.findall(now[now.index("<main") : now.index("</main>")]))
        # Seen as of today, nothing carries a day.
        assert not [link for link in _portal_links(now) if "on" in parse_qs(urlsplit(link).query)], what
    # The historic record does not read all red when seen as it stood then.
    assert then_red < now_red


def test_a_decision_reached_from_the_list_judges_its_review_on_the_day(client, gmg_record):
    from meetings.models import Decision

    client.force_login(make_person("viewer", role=Person.Role.VIEWER))
    # Decision 1 of 3 July 2013, on trial for three years: its review was due on 3 July 2016.
    decision = Decision.objects.get(review_on=date(2016, 7, 3))
    listing = client.get(reverse("meetings:decision_list"), {"on": ON.isoformat()})
    # The other decision on trial, due for review on 3 January 2015, was overdue then too.
    assert listing.text.count("review overdue") < client.get(reverse("meetings:decision_list")).text.count(
        "review overdue"
    )
    link = next(link for link in links_in_main(listing.text) if link.startswith(decision.get_absolute_url()))
    assert "review overdue" not in client.get(link).text
    assert "review overdue" in client.get(decision.get_absolute_url()).text


def test_the_rotation_seen_as_of_a_day_proposes_from_that_day_and_confirms_only_today(client, gmg_record):
    client.force_login(make_person("keeper", role=Person.Role.SUPPORT))
    then = client.get(reverse("chairs:rotation"), {"on": ON.isoformat()})
    now = client.get(reverse("chairs:rotation"))
    assert [p.starts_on for p, *_ in then.context["proposals"]] != [p.starts_on for p, *_ in now.context["proposals"]]
    assert all(p.starts_on > ON for p, *_ in then.context["proposals"])
    assert then.context["may_confirm"] is False and now.context["may_confirm"] is True
    assert 'method="post"' not in then.text.split("<main", 1)[1].split("</main>")[0]
