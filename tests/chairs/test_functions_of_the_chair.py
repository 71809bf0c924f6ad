"""The functions of the Chair (Annex I to the decisions of 3 July 2013) as each term's checklist: the chair's
people and the support team tick what the term has done (the day, who, kept in the history); the two functions
that are obligations in the register (a Principals meeting a year, the annual report) show the register's state
and are never ticked by hand. Who may tick is one table of role x page x method, checked on the server."""

import re
import uuid
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chairs.models import ChairFunction, ChairFunctionTick, ChairTerm
from chairs.services import ANNUAL_REPORT, PRINCIPALS_MEETING
from groups.models import Person
from tests.factories import make_agency, make_person, make_term

# The GMG's source documents lie beside the project (../shared/seeds), as in every checkout and in CI.
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEED_000 = next(SEEDS.glob("000_*.txt"))

ROLES = [
    "anonymous",
    "viewer",
    "focal_other",
    "chair_viewer",
    "chair_focal",
    "chair_principal",
    "support",
    "deactivated",
]
READERS = {"viewer", "focal_other", "chair_viewer", "chair_focal", "chair_principal", "support"}
TICKERS = {"chair_focal", "chair_principal", "support"}


def annex_i_functions() -> dict[str, list[tuple[str, str]]]:
    """Annex I's two lists as the seed writes them: level -> [(number, text)]."""
    lines = SEED_000.read_text(encoding="utf-8").splitlines()
    start = lines.index("ANNEX I – FUNCTIONS OF THE CHAIR")
    found: dict[str, list[tuple[str, str]]] = {}
    level = None
    for line in lines[start:]:
        if line.strip() in ("At Principals Level", "At Working Level"):
            level = "principals" if "Principals" in line else "working"
            continue
        if line.startswith("Global Migration Group"):
            break
        if level and (match := re.match(r"- ([ivx]+)\. (.+)$", line)):
            found.setdefault(level, []).append(match.groups())
    return found


def test_the_record_holds_annex_is_functions_in_its_words(gmg_record):
    seed = annex_i_functions()
    assert (len(seed["principals"]), len(seed["working"])) == (10, 9)
    for level, functions in seed.items():
        loaded = list(ChairFunction.objects.filter(level=level).values_list("number", "text"))
        assert loaded == functions
    linked = dict(
        ChairFunction.objects.exclude(obligation_kind="").values_list("obligation_kind", "text").order_by("level")
    )
    assert linked[PRINCIPALS_MEETING].startswith("Convene at least one Principals meeting")
    assert linked[ANNUAL_REPORT].startswith("Prepare a brief annual report on activities undertaken no later than two")
    assert ChairFunction.objects.exclude(obligation_kind="").count() == 2


@pytest.fixture
def world(db):
    ilo, unhcr = make_agency("ILO"), make_agency("UNHCR")
    term = make_term(ilo, date(2014, 1, 1), date(2014, 12, 31))
    represent = ChairFunction.objects.create(
        level="principals", number="v", position=5, text="Represent the GMG at external meetings, briefings and events;"
    )
    report = ChairFunction.objects.create(
        level="working",
        number="ix",
        position=9,
        text=(
            "Prepare a brief annual report on activities undertaken no later than two months after end of Chairmanship."
        ),
        obligation_kind=ANNUAL_REPORT,
    )
    people = {
        "viewer": make_person("viewer", role=Person.Role.VIEWER),
        "focal_other": make_person("focal-unhcr", role=Person.Role.FOCAL_POINT, agency=unhcr),
        "chair_viewer": make_person("viewer-ilo", role=Person.Role.VIEWER, agency=ilo),
        "chair_focal": make_person("focal-ilo", role=Person.Role.FOCAL_POINT, agency=ilo),
        "chair_principal": make_person("principal-ilo", role=Person.Role.PRINCIPAL, agency=ilo),
        "support": make_person("support", role=Person.Role.SUPPORT),
        "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
    }
    return {"term": term, "represent": represent, "report": report, "people": people}


def tick_url(world, function="represent"):
    return reverse("chairs:function_tick", args=[world["term"].pk, world[function].pk])


def tick_post(world, **extra):
    return {"done_on": "2014-09-30", "note": "At the HLD follow-up briefing", "token": str(uuid.uuid4()), **extra}


PAGES = [
    ("term_detail", "get", lambda w: w["term"].get_absolute_url(), None, READERS),
    ("function_tick_form", "get", tick_url, None, TICKERS),
    ("function_tick", "post", tick_url, tick_post, TICKERS),
]
CASES = [(page, role) for page in PAGES for role in ROLES]


def snapshot():
    return list(ChairFunctionTick.objects.order_by("pk").values_list("pk", "term_id", "function_id", "done_on"))


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p[0]}-{r}" for p, r in CASES])
@time_machine.travel(date(2015, 3, 15), tick=False)
def test_each_role_may_do_what_it_should_and_nothing_more(client, world, page, role):
    name, method, url_for, data_for, allowed = page
    if role != "anonymous":
        client.force_login(world["people"][role])
    url = url_for(world)
    before = snapshot()
    response = client.get(url) if method == "get" else client.post(url, data_for(world))
    if role in ("anonymous", "deactivated"):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert snapshot() == before
    elif role in allowed:
        assert response.status_code == (200 if method == "get" else 302), response.content[:2000]
        if method == "post":
            assert snapshot() != before, "an allowed write changed nothing"
    else:
        assert response.status_code == 403
        assert snapshot() == before, "a refused write changed the record"


@time_machine.travel(date(2015, 3, 15), tick=False)
def test_a_tick_keeps_the_day_and_who_and_the_term_page_shows_it(client, world):
    focal = world["people"]["chair_focal"]
    client.force_login(focal)
    response = client.post(tick_url(world), tick_post(world), follow=True)
    assert "is ticked as done on 30 September 2014" in response.text
    tick = ChairFunctionTick.objects.get()
    assert (tick.term, tick.function, tick.done_on, tick.ticked_by) == (
        world["term"],
        world["represent"],
        date(2014, 9, 30),
        focal,
    )
    assert tick.history.count() == 1 and tick.history.get().history_user == focal
    row = re.search(rf'<tr id="function-{world["represent"].pk}">.*?</tr>', response.text, re.S).group(0)
    assert "done" in row and "30 Sep 2014" in row and "focal-ilo" in row
    assert "Tick as done" not in row


@time_machine.travel(date(2015, 3, 15), tick=False)
def test_the_annual_report_function_shows_the_registers_state_and_is_not_ticked_by_hand(client, world):
    client.force_login(world["people"]["chair_focal"])
    page = client.get(world["term"].get_absolute_url()).text
    row = re.search(rf'<tr id="function-{world["report"].pk}">.*?</tr>', page, re.S).group(0)
    assert "overdue" in row  # due 28 February 2015, not submitted
    assert reverse("chairs:report", args=[world["term"].pk]) in row
    assert "Tick as done" not in row
    refused = client.post(tick_url(world, "report"), tick_post(world))
    assert refused.status_code == 400
    assert "is not ticked by hand" in refused.text
    assert not ChairFunctionTick.objects.exists()
    term = ChairTerm.objects.get(pk=world["term"].pk)
    term.annual_report_submitted_on = date(2015, 3, 1)
    term.save()  # the register renews the term's obligations
    page = client.get(world["term"].get_absolute_url()).text
    row = re.search(rf'<tr id="function-{world["report"].pk}">.*?</tr>', page, re.S).group(0)
    assert "overdue" not in row and "1 Mar 2015" in row


@pytest.mark.parametrize(
    ("done_on", "message"),
    [
        ("2015-03-16", "the day cannot be after today"),
        ("2015-02-31", "Enter a valid date"),
        ("", "This field is required"),
        ("soon", "Enter a valid date"),
    ],
)
@time_machine.travel(date(2015, 3, 15), tick=False)
def test_a_bad_day_is_refused_with_its_reason_and_nothing_is_ticked(client, world, done_on, message):
    client.force_login(world["people"]["support"])
    response = client.post(tick_url(world), tick_post(world, done_on=done_on))
    assert response.status_code == 400
    assert message in response.text
    assert not ChairFunctionTick.objects.exists()


@time_machine.travel(date(2015, 3, 15), tick=False)
def test_a_form_posted_twice_ticks_once_and_a_second_tick_is_told_of_the_first(client, world):
    client.force_login(world["people"]["chair_principal"])
    data = tick_post(world)
    assert client.post(tick_url(world), data).status_code == 302
    again = client.post(tick_url(world), data, follow=True)
    assert "This function was already ticked." in again.text
    other = client.post(tick_url(world), tick_post(world, done_on="2014-10-01"))
    assert other.status_code == 400
    assert "already ticked as done on 30 September 2014 by principal-ilo" in other.text
    assert ChairFunctionTick.objects.count() == 1


@time_machine.travel(date(2015, 3, 15), tick=False)
def test_the_term_page_reads_the_checklist_in_the_same_queries_for_one_tick_or_twenty(client, world):
    client.force_login(world["people"]["chair_focal"])
    url = world["term"].get_absolute_url()
    ChairFunctionTick.objects.create(
        term=world["term"], function=world["represent"], done_on=date(2014, 5, 1), ticked_by=world["people"]["support"]
    )
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for position in range(10, 30):
        function = ChairFunction.objects.create(level="principals", number=str(position), position=position, text="x")
        ChairFunctionTick.objects.create(
            term=world["term"], function=function, done_on=date(2014, 5, 1), ticked_by=world["people"]["support"]
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
