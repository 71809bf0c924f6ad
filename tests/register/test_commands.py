"""The `deadlines` and `troika` commands, for the support team and for cron."""

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from chairs.models import ChairTerm
from tests.factories import make_agency, make_decision, make_meeting, make_term

pytestmark = pytest.mark.django_db

DEADLINE_KEYS = {"kind", "title", "due", "state", "agency", "url"}


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_deadlines_json_lists_the_ilos_2014_report_with_stable_keys(gmg_record):
    rows = json.loads(run("deadlines", "--from", "2015-02-01", "--to", "2015-03-31", "--json"))
    assert rows and all(set(row) == DEADLINE_KEYS for row in rows)
    report = next(row for row in rows if row["kind"] == "annual_report")
    term = ChairTerm.objects.get(kind=ChairTerm.Kind.ACTUAL, starts_on=date(2014, 1, 1))
    assert report == {
        "kind": "annual_report",
        "title": "ILO: annual report on the 2014 term",
        "due": "2015-02-28",
        "state": "overdue",
        "agency": "ILO",
        "url": f"{settings.SITE_URL}/chairs/{term.pk}/",
    }
    assert [row["due"] for row in rows] == sorted(row["due"] for row in rows)
    assert all("2015-02-01" <= row["due"] <= "2015-03-31" for row in rows)


def test_deadlines_for_one_agency_only(gmg_record):
    rows = json.loads(
        run("deadlines", "--from", "2014-01-01", "--to", "2015-12-31", "--agency", "world bank", "--json")
    )
    assert rows and {row["agency"] for row in rows} == {"World Bank"}
    assert {"letter_of_commitment", "annual_workplan", "principals_meeting", "decision_review"} <= {
        row["kind"] for row in rows
    }


def test_deadlines_agency_null_when_no_one_is_named():
    make_agency("ILO")
    make_decision(make_meeting(date(2024, 1, 10)), "1", trial_months=12, review_on=date(2025, 1, 10))
    rows = json.loads(run("deadlines", "--from", "2025-01-01", "--to", "2025-01-31", "--json"))
    assert [(row["kind"], row["agency"]) for row in rows] == [("decision_review", None)]


@time_machine.travel(datetime(2015, 1, 1, 8, 0, tzinfo=UTC), tick=False)
def test_deadlines_default_to_today_and_the_next_90_days_in_a_table(gmg_record):
    out = run("deadlines")
    assert out.startswith("Obligations due 2015-01-01 to 2015-04-01 (today 2015-01-01):")
    assert "2015-02-28  due" not in out  # 58 days ahead: upcoming, not yet due
    assert "2015-02-28  upcoming  ILO" in out and "ILO: annual report on the 2014 term" in out
    assert "2015-01-03  due       World Bank  Review of Decision 2 of 3 July 2013" in out
    assert "2014-12-31" not in out
    assert out.rstrip().endswith("obligations.")


@time_machine.travel(datetime(2015, 3, 2, 8, 0, tzinfo=UTC), tick=False)
def test_deadlines_overdue_adds_what_is_still_late(gmg_record):
    plain = json.loads(run("deadlines", "--json", "--kind", "annual_report"))
    assert plain == []
    late = json.loads(run("deadlines", "--json", "--kind", "annual_report", "--overdue"))
    assert ("ILO", "2015-02-28", "overdue") in {(row["agency"], row["due"], row["state"]) for row in late}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "28/02/2015"], "--from '28/02/2015' is not a date; write it as YYYY-MM-DD"),
        (["--to", "2015-02-30"], "--to '2015-02-30' is not a date"),
        (["--from", "2015-03-01", "--to", "2015-02-01"], "--to 2015-02-01 is before --from 2015-03-01"),
        (["--agency", "XYZ"], "No agency has the acronym 'XYZ'. Known acronyms: ILO"),
    ],
)
def test_deadlines_bad_input_is_a_clear_error(args, message):
    make_agency("ILO")
    with pytest.raises(CommandError) as error:
        run("deadlines", *args)
    assert message in str(error.value)


def test_a_bad_date_from_the_shell_exits_with_1_and_no_traceback():
    manage = Path(settings.BASE_DIR) / "manage.py"
    env = {**os.environ, "DJANGO_SECRET_KEY": "t"}
    for command in (["deadlines", "--from", "tomorrow"], ["troika", "--on", "2015-13-01"]):
        result = subprocess.run(
            [sys.executable, str(manage), *command], capture_output=True, text=True, env=env, timeout=60
        )
        assert result.returncode == 1
        assert "is not a date; write it as YYYY-MM-DD" in result.stderr
        assert "Traceback" not in result.stderr


def test_troika_json_in_mid_2015(gmg_record):
    assert json.loads(run("troika", "--on", "2015-07-01", "--json")) == {
        "date": "2015-07-01",
        "previous": "ILO",
        "current": "World Bank",
        "next": "OHCHR",
        "next_is_proposed": True,
    }


def test_troika_json_marks_a_proposed_next_chair():
    make_agency("AAA", sort_name="Alpha")
    make_term(make_agency("BBB", sort_name="Bravo"), date(2025, 1, 1), date(2025, 12, 31))
    data = json.loads(run("troika", "--on", "2025-03-01", "--json"))
    assert data == {"date": "2025-03-01", "previous": None, "current": "BBB", "next": "AAA", "next_is_proposed": True}
    text = run("troika", "--on", "2025-03-01")
    assert "next      AAA (2026) - proposed by the alphabetical rotation, not confirmed" in text


def test_troika_sentence_in_a_gap_of_the_record(gmg_record):
    text = run("troika", "--on", "2012-03-01")
    assert text.splitlines() == [
        "The GMG troika on 1 March 2012:",
        "  previous  OHCHR (2nd semester 2010, actual)",
        "  current   none: no actual chair term covers this day",
        "  next      UNESCAP (1st semester 2013, actual)",
    ]


@time_machine.travel(datetime(2010, 3, 1, 23, 30, tzinfo=UTC), tick=False)
def test_troika_defaults_to_today_in_the_gmgs_time_zone(gmg_record):
    # 23:30 UTC on 1 March is 2 March in Geneva.
    assert json.loads(run("troika", "--json"))["date"] == "2010-03-02"
