"""The GMG record loads completely from data/gmg/, idempotently, and matches the seeds."""

import shutil
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.core.management import CommandError, call_command

from chairs.models import ChairTerm
from groups.models import Agency, Group
from meetings.models import Decision, Meeting
from record.loader import DATA_DIR, load_gmg_record
from workplans.models import Activity, WorkPlan

pytestmark = pytest.mark.django_db

def row_counts() -> dict[str, int]:
    """The rows of every app that holds the record (its AppConfig says so)."""
    return {
        model._meta.label: model.objects.count()
        for config in apps.get_app_configs()
        if getattr(config, "holds_the_record", False)
        for model in config.get_models()
    }


def yaml_activities():
    """Every activity in the work plan data files, with the keys that identify it."""
    for path in sorted((DATA_DIR / "workplans").glob("*.yaml")):
        plan = yaml.safe_load(path.read_text())
        for stream in plan.get("streams") or []:
            for output in stream.get("outputs") or []:
                for activity in output.get("activities") or []:
                    yield plan["slug"], stream["position"], output.get("year"), output["position"], activity


def test_loading_twice_leaves_the_same_rows(gmg_record):
    before = row_counts()
    report = load_gmg_record()
    assert not report.changed
    assert row_counts() == before


def test_the_command_says_what_it_loaded_and_a_second_run_changes_nothing(db):
    out = StringIO()
    call_command("load_gmg_data", stdout=out)
    assert "GMG record loaded" in out.getvalue()
    out = StringIO()
    call_command("load_gmg_data", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()


def test_a_changed_data_file_updates_the_row_and_never_duplicates_it(gmg_record, tmp_path):
    data = tmp_path / "gmg"
    shutil.copytree(DATA_DIR, data)
    mawp_path = data / "workplans" / "mawp-2013-2015.yaml"
    mawp = yaml.safe_load(mawp_path.read_text())
    activity = mawp["streams"][0]["outputs"][0]["activities"][0]
    activity["timeframe"] = "November 2013"
    mawp_path.write_text(yaml.safe_dump(mawp, allow_unicode=True, sort_keys=False))
    before = Activity.objects.count()

    report = load_gmg_record(data)

    assert Activity.objects.count() == before
    assert report.updated["activities"] == 1
    changed = Activity.objects.get(
        output__stream__workplan__slug=mawp["slug"],
        output__stream__position=mawp["streams"][0]["position"],
        output__year=mawp["streams"][0]["outputs"][0]["year"],
        output__position=mawp["streams"][0]["outputs"][0]["position"],
        position=activity["position"],
    )
    assert (changed.timeframe, changed.starts_on, changed.ends_on) == (
        "November 2013",
        date(2013, 11, 1),
        date(2013, 11, 30),
    )


def test_a_broken_data_file_loads_nothing_and_names_the_problem(db, tmp_path):
    data = tmp_path / "gmg"
    shutil.copytree(DATA_DIR, data)
    terms = yaml.safe_load((data / "chair_terms.yaml").read_text())
    terms[0]["agency"] = "NOBODY"
    (data / "chair_terms.yaml").write_text(yaml.safe_dump(terms, sort_keys=False))
    with pytest.raises(CommandError, match="agency 'NOBODY' is not in agencies.yaml"):
        call_command("load_gmg_data", data_dir=Path(data), stdout=StringIO())
    assert Agency.objects.count() == 0


def test_every_activity_of_the_data_files_is_loaded_with_its_timeframe_lead_and_funding(gmg_record):
    seen = 0
    for slug, stream, year, output, row in yaml_activities():
        activity = Activity.objects.get(
            output__stream__workplan__slug=slug,
            output__stream__position=stream,
            output__year=year,
            output__position=output,
            position=row["position"],
        )
        assert activity.number == (str(row["number"]) if row.get("number") is not None else "")
        assert activity.timeframe == (row.get("timeframe") or "").strip()
        assert activity.lead == (row.get("lead") or "").strip()
        assert activity.funding_source == (row.get("funding_source") or "").strip()
        assert sorted(a.acronym for a in activity.lead_agencies.all()) == sorted(row.get("lead_agencies") or [])
        seen += 1
    assert seen == Activity.objects.count()


def test_the_mawp_has_its_seven_work_streams_and_activities_in_each_year(gmg_record):
    mawp = WorkPlan.objects.get(slug="mawp-2013-2015")
    assert mawp.streams.count() == 7
    assert {s.kind for s in mawp.streams.all()} == {"overarching", "thematic"}
    assert mawp.streams.filter(kind="overarching", led_by_chair=True).count() == 2
    assert mawp.streams.filter(kind="thematic", lead_group__isnull=False).count() == 5
    for year in (2013, 2014, 2015):
        assert Activity.objects.filter(output__stream__workplan=mawp, output__year=year).exists()
    assert mawp.adopting_decision.number == "3"
    assert list(mawp.versions.values_list("dated", flat=True)) == [date(2013, 6, 28), date(2013, 7, 3)]


def test_the_seeds_activities_keep_timeframe_lead_and_funding_as_written(gmg_record):
    hld_side_event = Activity.objects.get(description__startswith="Hold a GMG side event at the HLD")
    assert (hld_side_event.number, hld_side_event.timeframe, hld_side_event.lead) == (
        "1.1",
        "October 2013",
        "GMG Chair (IOM)",
    )
    assert (hld_side_event.starts_on, hld_side_event.ends_on) == (date(2013, 10, 1), date(2013, 10, 31))

    knomad_retreat = Activity.objects.get(description__startswith="KNOMAD retreat")
    assert knomad_retreat.timeframe == "17 April 2013"
    assert knomad_retreat.funding_source == "KNOMAD"
    assert [a.acronym for a in knomad_retreat.lead_agencies.all()] == ["World Bank"]

    handbook = Activity.objects.get(description__startswith="Develop an Employers")
    assert handbook.number == "5.1"
    assert (handbook.estimated_cost, handbook.currency) == (Decimal("75000"), "USD")
    assert [a.acronym for a in handbook.lead_agencies.all()] == ["ILO"]

    compendium = Activity.objects.get(description__startswith="Publish CEB compendium")
    assert compendium.timeframe == "By Oct 2013"
    assert (compendium.starts_on, compendium.ends_on) == (None, date(2013, 10, 31))


def test_activity_numbers_are_kept_as_written_even_when_repeated(gmg_record):
    repeated = Activity.objects.filter(
        output__stream__workplan__slug="mawp-2013-2015", output__year=2015, number="3.2"
    ).values_list("output_id", flat=True)
    assert len(repeated) == 2
    assert len(set(repeated)) == 1, "the two 3.2 of the 2015 coordination table sit in one output"


def test_chair_terms_keep_planned_and_actual_where_they_differ(gmg_record):
    planned_2015 = ChairTerm.objects.planned().covering(date(2015, 6, 1)).get()
    actual_2015 = ChairTerm.objects.actual().covering(date(2015, 6, 1)).get()
    assert (planned_2015.agency.acronym, actual_2015.agency.acronym) == ("UN Women", "World Bank")
    actual = {(t.agency.acronym, t.starts_on, t.ends_on) for t in ChairTerm.objects.actual()}
    assert {
        ("UNITAR", date(2009, 7, 1), date(2009, 12, 31)),
        ("UNDP", date(2010, 1, 1), date(2010, 6, 30)),
        ("OHCHR", date(2010, 7, 1), date(2010, 12, 31)),
        ("UNESCAP", date(2013, 1, 1), date(2013, 6, 30)),
        ("IOM", date(2013, 7, 1), date(2013, 12, 31)),
        ("ILO", date(2014, 1, 1), date(2014, 12, 31)),
        ("World Bank", date(2015, 1, 1), date(2015, 12, 31)),
    } <= actual
    planned = {(t.agency.acronym, t.starts_on.year) for t in ChairTerm.objects.planned()}
    assert {("ILO", 2014), ("UN Women", 2015), ("World Bank", 2016), ("WHO", 2017)} <= planned


def test_the_five_decisions_of_3_july_2013_with_their_trial_periods(gmg_record):
    decisions = Decision.objects.filter(meeting__starts_on=date(2013, 7, 3)).order_by("number")
    assert [d.number for d in decisions] == ["1", "2", "3", "4", "5"]
    rotation, support_team = decisions[0], decisions[1]
    assert (rotation.trial_months, rotation.review_on) == (36, date(2016, 7, 3))
    assert (support_team.trial_months, support_team.review_on) == (18, date(2015, 1, 3))
    assert "alphabetical order" in rotation.text


def test_the_five_groups_with_their_co_chairs_and_tor_versions(gmg_record):
    groups = {g.slug: g for g in Group.objects.all()}
    assert len(groups) == 5
    co_chairs = {slug: [a.acronym for a in g.ordered_co_chairs] for slug, g in groups.items()}
    assert sorted(map(sorted, co_chairs.values())) == sorted(
        [["IOM", "UNDP"], ["IOM", "UN DESA"], ["OHCHR", "UN Women", "UNICEF"], ["IOM", "UNITAR"], ["ILO", "IOM"]]
    )
    decent_work = next(g for g in groups.values() if sorted(co_chairs[g.slug]) == ["ILO", "IOM"])
    tors = list(decent_work.terms_of_reference.order_by("adopted_on"))
    assert [t.adopted_on.year for t in tors] == [2013, 2016]
    assert tors[-1].adopted_on == date(2016, 3, 24)
    assert (tors[0].min_meetings_per_year, tors[-1].min_meetings_per_year) == (3, 2)
    assert tors[-1].review_every_months == 24
    assert decent_work.terms_of_reference_on(date(2016, 6, 1)) == tors[-1]
    hr_gender = next(g for g in groups.values() if "UNICEF" in co_chairs[g.slug])
    assert hr_gender.chair_rotates_annually
    assert hr_gender.establishing_decision.number == "4"


def test_the_2010_work_plan_and_its_five_working_level_meetings(gmg_record):
    plan = WorkPlan.objects.get(kind=WorkPlan.Kind.CHAIR_ANNUAL, starts_on__year=2010)
    assert plan.chair_term.agency.acronym == "UNDP"
    assert Activity.objects.filter(output__stream__workplan=plan).count() > 10
    meetings_2010 = Meeting.objects.filter(kind=Meeting.Kind.WORKING_LEVEL, starts_on__year=2010)
    assert meetings_2010.count() == 5
    assert meetings_2010.filter(starts_on=date(2010, 2, 8)).exists()
    assert meetings_2010.filter(starts_on=date(2010, 12, 15)).exists()


def test_the_decent_work_task_force_plan_for_2016_2018(gmg_record):
    plan = WorkPlan.objects.get(kind=WorkPlan.Kind.GROUP)
    assert (plan.starts_on, plan.ends_on) == (date(2016, 1, 1), date(2018, 12, 31))
    activities = Activity.objects.filter(output__stream__workplan=plan)
    assert activities.count() >= 15
    assert activities.filter(timeframe="On-going").exists()


def test_agencies_include_every_member_the_seeds_name(gmg_record):
    acronyms = set(Agency.objects.values_list("acronym", flat=True))
    assert {
        "ILO", "IOM", "OHCHR", "UN Women", "UNDP", "UNESCAP", "UNICEF", "UNITAR", "UNODC", "UNFPA",
        "UN DESA", "UNHCR", "UNESCO", "UNU", "WHO", "World Bank",
    } <= acronyms  # fmt: skip


def test_the_record_holds_every_row_counted_in_the_seeds(gmg_record):
    """Counts taken from the seeds' tables (each split cell counted as its activities)."""
    mawp = Activity.objects.filter(output__stream__workplan__slug="mawp-2013-2015")
    assert {year: mawp.filter(output__year=year).count() for year in (2013, 2014, 2015)} == {
        2013: 29,
        2014: 27,
        2015: 13,
    }
    assert Activity.objects.filter(output__stream__workplan__kind=WorkPlan.Kind.CHAIR_ANNUAL).count() == 30
    assert Activity.objects.filter(output__stream__workplan__kind=WorkPlan.Kind.GROUP).count() == 16
    assert (Agency.objects.count(), Group.objects.count(), Decision.objects.count()) == (16, 5, 5)
    assert (ChairTerm.objects.actual().count(), ChairTerm.objects.planned().count()) == (7, 4)
