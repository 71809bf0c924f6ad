"""The timeframe reader: work-plan timeframes as people write them, read into dates.

Pure Python: runs without Django, e.g.
``python -m pytest -p no:django /work/main/tests/workplans/test_timeframes.py``.
"""

import dataclasses
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workplans.timeframes import Timeframe, read_timeframe  # noqa: E402

D = date


def assert_reads(tf: Timeframe, starts_on, ends_on, *, tentative=False, ongoing=False):
    assert tf.readable, tf.note
    assert (tf.starts_on, tf.ends_on) == (starts_on, ends_on), tf.note
    assert tf.tentative is tentative, tf.note
    assert tf.ongoing is ongoing, tf.note
    assert tf.note


def assert_flagged(tf: Timeframe):
    assert tf.readable is False
    assert tf.starts_on is None and tf.ends_on is None
    assert tf.ongoing is False
    assert tf.note


# --- one rule family per test ------------------------------------------------


@pytest.mark.parametrize(
    "text, day",
    [
        ("17 April 2013", D(2013, 4, 17)),
        ("26 September 2013", D(2013, 9, 26)),
        ("13 November 2013", D(2013, 11, 13)),
        ("18 Dec. 2010", D(2010, 12, 18)),
        ("1st March 2014", D(2014, 3, 1)),
        ("September 26, 2013", D(2013, 9, 26)),
        ("2013-10-17", D(2013, 10, 17)),
    ],
)
def test_a_single_day_starts_and_ends_on_that_day(text, day):
    assert_reads(read_timeframe(text), day, day)


@pytest.mark.parametrize(
    "text, default_year, starts_on, ends_on",
    [
        ("26-29 Nov 2013", None, D(2013, 11, 26), D(2013, 11, 29)),
        ("18-19 February 2013", None, D(2013, 2, 18), D(2013, 2, 19)),
        ("3-4 October 2013", None, D(2013, 10, 3), D(2013, 10, 4)),
        ("24 Sept \u2013 4 Oct", 2013, D(2013, 9, 24), D(2013, 10, 4)),
        ("24 Sept \u2014 4 Oct 2013", None, D(2013, 9, 24), D(2013, 10, 4)),
        ("24 September to 4 October 2013", None, D(2013, 9, 24), D(2013, 10, 4)),
        ("24 September until 4 October 2013", None, D(2013, 9, 24), D(2013, 10, 4)),
        ("from 24 Sept to 4 Oct 2013", None, D(2013, 9, 24), D(2013, 10, 4)),
        ("May 12-16, 2014", None, D(2014, 5, 12), D(2014, 5, 16)),
        ("30 December 2013 - 3 January 2014", None, D(2013, 12, 30), D(2014, 1, 3)),
    ],
)
def test_a_day_range_covers_every_day_in_it(text, default_year, starts_on, ends_on):
    assert_reads(read_timeframe(text, default_year=default_year), starts_on, ends_on)


def test_days_given_as_alternatives_run_from_the_earliest_to_the_latest_and_are_tentative():
    tf = read_timeframe("27-28 May or 30 May-1 June 2010")
    assert_reads(tf, D(2010, 5, 27), D(2010, 6, 1), tentative=True)
    assert "alternatives" in tf.note


@pytest.mark.parametrize(
    "text, starts_on, ends_on",
    [
        ("October 2013", D(2013, 10, 1), D(2013, 10, 31)),
        ("Oct 2013", D(2013, 10, 1), D(2013, 10, 31)),
        ("oct. 2013", D(2013, 10, 1), D(2013, 10, 31)),
        ("Sept. 2013", D(2013, 9, 1), D(2013, 9, 30)),
        ("SEPT 2013", D(2013, 9, 1), D(2013, 9, 30)),
        ("Dec. 2013", D(2013, 12, 1), D(2013, 12, 31)),
        ("Nov. 2010", D(2010, 11, 1), D(2010, 11, 30)),
        ("January 2013", D(2013, 1, 1), D(2013, 1, 31)),
        ("June 2014", D(2014, 6, 1), D(2014, 6, 30)),
        ("February 2014", D(2014, 2, 1), D(2014, 2, 28)),
    ],
)
def test_a_month_covers_the_whole_month(text, starts_on, ends_on):
    assert_reads(read_timeframe(text), starts_on, ends_on)


@pytest.mark.parametrize(
    "text, starts_on, ends_on",
    [
        ("April-October 2013", D(2013, 4, 1), D(2013, 10, 31)),
        ("May \u2013 September 2013", D(2013, 5, 1), D(2013, 9, 30)),
        ("July - Dec 2013", D(2013, 7, 1), D(2013, 12, 31)),
        ("August-December 2013", D(2013, 8, 1), D(2013, 12, 31)),
        ("January-October 2014", D(2014, 1, 1), D(2014, 10, 31)),
        ("March to May 2014", D(2014, 3, 1), D(2014, 5, 31)),
        ("between March and May 2014", D(2014, 3, 1), D(2014, 5, 31)),
        ("November 2013 - February 2014", D(2013, 11, 1), D(2014, 2, 28)),
    ],
)
def test_a_month_range_covers_whole_months(text, starts_on, ends_on):
    assert_reads(read_timeframe(text), starts_on, ends_on)


def test_months_given_as_either_or_cover_both_and_are_tentative():
    assert_reads(read_timeframe("April/May 2010"), D(2010, 4, 1), D(2010, 5, 31), tentative=True)


def test_periods_joined_by_and_run_from_the_first_to_the_last():
    tf = read_timeframe("November 2013 and February 2014")
    assert_reads(tf, D(2013, 11, 1), D(2014, 2, 28))
    assert "first to the last" in tf.note
    assert_reads(read_timeframe("2014 & 2015"), D(2014, 1, 1), D(2015, 12, 31))


def test_a_remark_after_a_semicolon_or_comma_is_kept_visible_in_the_note():
    tf = read_timeframe("July-Dec. 2013; implementation may be more long-term")
    assert_reads(tf, D(2013, 7, 1), D(2013, 12, 31))
    assert "implementation may be more long-term" in tf.note
    tf = read_timeframe("March 2014, depending on funding")
    assert_reads(tf, D(2014, 3, 1), D(2014, 3, 31))
    assert "depending on funding" in tf.note


@pytest.mark.parametrize(
    "text, ends_on",
    [
        ("By Oct 2013", D(2013, 10, 31)),
        ("by Oct 2013", D(2013, 10, 31)),
        ("By Jan 2014", D(2014, 1, 31)),
        ("by end of 2014", D(2014, 12, 31)),
        ("by the end of May 2010", D(2010, 5, 31)),
        ("no later than July 2013", D(2013, 7, 31)),
        ("by 30 June 2014", D(2014, 6, 30)),
        ("before 1 September 2010", D(2010, 8, 31)),
        ("prior to October 2013", D(2013, 9, 30)),
    ],
)
def test_a_deadline_has_no_start_and_ends_on_the_last_day_of_the_period(text, ends_on):
    tf = read_timeframe(text)
    assert_reads(tf, None, ends_on)
    assert "no start given" in tf.note


@pytest.mark.parametrize(
    "text, starts_on, ongoing",
    [
        ("starting in August 2013", D(2013, 8, 1), False),
        ("from 2014", D(2014, 1, 1), False),
        ("as of March 2015", D(2015, 3, 1), False),
        ("from January 2014 onwards", D(2014, 1, 1), True),
        ("Jan 2014 - ongoing", D(2014, 1, 1), True),
    ],
)
def test_a_start_without_an_end_has_no_end_date(text, starts_on, ongoing):
    tf = read_timeframe(text)
    assert_reads(tf, starts_on, None, ongoing=ongoing)
    assert "no end given" in tf.note


@pytest.mark.parametrize(
    "text, starts_on, ends_on",
    [
        ("2013", D(2013, 1, 1), D(2013, 12, 31)),
        ("2014", D(2014, 1, 1), D(2014, 12, 31)),
        ("2013 \u2013 2014", D(2013, 1, 1), D(2014, 12, 31)),
        ("2013-2014", D(2013, 1, 1), D(2014, 12, 31)),
        ("2016-18", D(2016, 1, 1), D(2018, 12, 31)),
        ("2016-2018", D(2016, 1, 1), D(2018, 12, 31)),
        ("2016-17", D(2016, 1, 1), D(2017, 12, 31)),
        ("in 2014-2015", D(2014, 1, 1), D(2015, 12, 31)),
        ("over the course of 2010", D(2010, 1, 1), D(2010, 12, 31)),
    ],
)
def test_a_year_or_a_run_of_years_covers_whole_years(text, starts_on, ends_on):
    assert_reads(read_timeframe(text), starts_on, ends_on)


@pytest.mark.parametrize(
    "text, starts_on, ends_on",
    [
        ("Spring 2014", D(2014, 3, 1), D(2014, 5, 31)),
        ("Summer 2014", D(2014, 6, 1), D(2014, 8, 31)),
        ("Autumn 2013", D(2013, 9, 1), D(2013, 11, 30)),
        ("Fall 2013", D(2013, 9, 1), D(2013, 11, 30)),
        ("Winter 2014", D(2013, 12, 1), D(2014, 2, 28)),
        ("Winter 2016", D(2015, 12, 1), D(2016, 2, 29)),
    ],
)
def test_a_season_covers_its_northern_hemisphere_months(text, starts_on, ends_on):
    tf = read_timeframe(text)
    assert_reads(tf, starts_on, ends_on)
    assert "northern hemisphere" in tf.note


@pytest.mark.parametrize(
    "text, default_year, starts_on, ends_on",
    [
        ("early January", 2010, D(2010, 1, 1), D(2010, 1, 10)),
        ("mid-October 2013", None, D(2013, 10, 11), D(2013, 10, 20)),
        ("mid October", 2013, D(2013, 10, 11), D(2013, 10, 20)),
        ("late February", 2010, D(2010, 2, 21), D(2010, 2, 28)),
        ("late Feb 2016", None, D(2016, 2, 21), D(2016, 2, 29)),
        ("end of May", 2010, D(2010, 5, 21), D(2010, 5, 31)),
        ("at the end of May 2010", None, D(2010, 5, 21), D(2010, 5, 31)),
        ("early 2010", None, D(2010, 1, 1), D(2010, 4, 30)),
        ("early in 2010", None, D(2010, 1, 1), D(2010, 4, 30)),
        ("mid-2014", None, D(2014, 5, 1), D(2014, 8, 31)),
        ("late 2014", None, D(2014, 9, 1), D(2014, 12, 31)),
        ("end of 2014", None, D(2014, 9, 1), D(2014, 12, 31)),
    ],
)
def test_early_mid_and_late_split_a_month_or_a_year_and_are_tentative(text, default_year, starts_on, ends_on):
    assert_reads(read_timeframe(text, default_year=default_year), starts_on, ends_on, tentative=True)


@pytest.mark.parametrize(
    "text, default_year, starts_on, ends_on",
    [
        ("Q1 2014", None, D(2014, 1, 1), D(2014, 3, 31)),
        ("Q4 2014", None, D(2014, 10, 1), D(2014, 12, 31)),
        ("first quarter of 2014", None, D(2014, 1, 1), D(2014, 3, 31)),
        ("3rd quarter 2014", None, D(2014, 7, 1), D(2014, 9, 30)),
        ("Q1-Q2 2014", None, D(2014, 1, 1), D(2014, 6, 30)),
        ("first half of 2013", None, D(2013, 1, 1), D(2013, 6, 30)),
        ("second half of 2014", None, D(2014, 7, 1), D(2014, 12, 31)),
        ("H2 2014", None, D(2014, 7, 1), D(2014, 12, 31)),
        ("second semester 2010", None, D(2010, 7, 1), D(2010, 12, 31)),
        ("second semester of 2009", None, D(2009, 7, 1), D(2009, 12, 31)),
        ("1st semester", 2010, D(2010, 1, 1), D(2010, 6, 30)),
        ("2nd semester", 2010, D(2010, 7, 1), D(2010, 12, 31)),
    ],
)
def test_quarters_and_halves_cover_those_parts_of_the_year(text, default_year, starts_on, ends_on):
    assert_reads(read_timeframe(text, default_year=default_year), starts_on, ends_on)


@pytest.mark.parametrize(
    "text, default_year, starts_on, ends_on",
    [
        ("July 2014 (precise date TBC)", None, D(2014, 7, 1), D(2014, 7, 31)),
        ("September, 2016 (TBC)", None, D(2016, 9, 1), D(2016, 9, 30)),
        ("2014 (tbc)", None, D(2014, 1, 1), D(2014, 12, 31)),
        ("October 2013?", None, D(2013, 10, 1), D(2013, 10, 31)),
        ("Proposed date: 6 October", 2010, D(2010, 10, 6), D(2010, 10, 6)),
        ("tentatively March 2015", None, D(2015, 3, 1), D(2015, 3, 31)),
        ("Proposed date: 1/2 day in Geneva during week of 13-17 September", 2010, D(2010, 9, 13), D(2010, 9, 17)),
    ],
)
def test_a_date_to_be_confirmed_is_read_and_marked_tentative(text, default_year, starts_on, ends_on):
    tf = read_timeframe(text, default_year=default_year)
    assert_reads(tf, starts_on, ends_on, tentative=True)
    assert "tentative" in tf.note


@pytest.mark.parametrize(
    "text",
    ["On-going", "Ongoing", "ongoing", "on going", "continuous", "Continuous"],
)
def test_ongoing_work_is_read_without_dates_and_is_not_an_error(text):
    tf = read_timeframe(text)
    assert_reads(tf, None, None, ongoing=True)
    assert "on-going" in tf.note


def test_ongoing_work_keeps_what_else_it_says_visible():
    tf = read_timeframe("ongoing through public website; hard copy distribution at the GMG symposium")
    assert_reads(tf, None, None, ongoing=True)
    assert "hard copy distribution at the GMG symposium" in tf.note


@pytest.mark.parametrize(
    "text, starts_on, ends_on",
    [
        ("Bangladesh 2016 / Morocco / Germany 2017-18", D(2016, 1, 1), D(2018, 12, 31)),
        ("Bangladesh 2016\nMorocco / Germany 2017-18", D(2016, 1, 1), D(2018, 12, 31)),
        ("Africa 2016 / Turin 2017", D(2016, 1, 1), D(2017, 12, 31)),
        ("Turin 2017", D(2017, 1, 1), D(2017, 12, 31)),
        ("Geneva, 2014", D(2014, 1, 1), D(2014, 12, 31)),
    ],
)
def test_place_names_before_years_are_skipped_and_the_years_read_from_earliest_to_latest(text, starts_on, ends_on):
    tf = read_timeframe(text)
    assert_reads(tf, starts_on, ends_on)
    assert "place names" in tf.note


@pytest.mark.parametrize("text", ["Soon 2014", "sometime 2014", "Later 2015", "FY2014"])
def test_words_that_are_not_place_names_do_not_pass_as_places(text):
    assert_flagged(read_timeframe(text))


def test_a_text_without_a_year_takes_the_work_plan_year_and_says_so():
    tf = read_timeframe("April/May", default_year=2010)
    assert_reads(tf, D(2010, 4, 1), D(2010, 5, 31), tentative=True)
    assert "work plan year (2010)" in tf.note


def test_a_text_without_a_year_and_no_work_plan_year_is_flagged():
    tf = read_timeframe("April/May")
    assert_flagged(tf)
    assert "no year" in tf.note


def test_a_written_year_wins_over_the_work_plan_year():
    tf = read_timeframe("January 2015", default_year=2014)
    assert_reads(tf, D(2015, 1, 1), D(2015, 1, 31))
    assert "work plan year" not in tf.note


def test_a_period_that_ends_before_the_work_plan_year_is_read_but_pointed_out():
    tf = read_timeframe("by May 2009", default_year=2010)
    assert_reads(tf, None, D(2009, 5, 31))
    assert "check the year" in tf.note


@pytest.mark.parametrize(
    "text, explains",
    [
        ("", "no timeframe given"),
        ("   ", "no timeframe given"),
        (None, "no timeframe given"),
        ("TBD", "no date set yet"),
        ("TBC", "no date set yet"),
        ("to be determined", "no date set yet"),
        ("Date and modalities to be discussed", "no date set yet"),
        ("as needed", "not a period of time"),
        ("upon occasion", "not a period of time"),
        ("sometime soon", "could not read 'sometime soon': enter dates by hand"),
        ("asdf qwerty", "could not read"),
        ("31 February 2014", "31 February 2014 does not exist"),
        ("31 April 2014", "April has 30 days"),
        ("October-April 2013", "comes before the start"),
        ("2014-2013", "comes before the start"),
        ("2017-16", "comes before the start"),
        ("December-February 2014", "write both years"),
        ("Turin 2017-16", "run backwards"),
        ("26-29", "no month"),
        ("04/05/2013", "write the month as a word"),
        ("early-mid 2014", "could not read"),
        ("32 May 2014", "does not exist"),
    ],
)
def test_what_cannot_be_read_is_left_undated_and_flagged_in_plain_words(text, explains):
    tf = read_timeframe(text)
    assert_flagged(tf)
    assert explains in tf.note


@pytest.mark.parametrize(
    "text, readable, starts_on, ends_on",
    [
        ("29 February 2016", True, D(2016, 2, 29), D(2016, 2, 29)),
        ("29 February 2015", False, None, None),
        ("February 2016", True, D(2016, 2, 1), D(2016, 2, 29)),
        ("February 2015", True, D(2015, 2, 1), D(2015, 2, 28)),
        ("February 2000", True, D(2000, 2, 1), D(2000, 2, 29)),
        ("February 2100", True, D(2100, 2, 1), D(2100, 2, 28)),
        ("28 February-1 March 2016", True, D(2016, 2, 28), D(2016, 3, 1)),
    ],
)
def test_leap_years_are_respected(text, readable, starts_on, ends_on):
    tf = read_timeframe(text)
    assert (tf.readable, tf.starts_on, tf.ends_on) == (readable, starts_on, ends_on)
    if not readable:
        assert "2015 is not a leap year" in tf.note


@pytest.mark.parametrize(
    "text, note",
    [
        ("April-October 2013", "1 April 2013 to 31 October 2013"),
        ("By Oct 2013", "by 31 October 2013 (no start given)"),
        ("17 April 2013", "17 April 2013"),
        ("sometime soon", "could not read 'sometime soon': enter dates by hand"),
        ("On-going", "on-going (no dates)"),
    ],
)
def test_the_note_says_in_plain_words_what_was_read(text, note):
    assert read_timeframe(text).note == note


@pytest.mark.parametrize(
    "text",
    ["  July - Dec 2013 ", "Sept. 2013", "24 Sept \u2013 4 Oct", "Bangladesh 2016\nMorocco / Germany 2017-18", "??"],
)
def test_the_text_is_kept_exactly_as_written(text):
    assert read_timeframe(text, default_year=2013).text == text


@pytest.mark.parametrize(
    "text, default_year",
    [
        ("", None),
        ("-", None),
        ("()", None),
        ("((", None),
        (";;,,", None),
        ("/", None),
        ("2013 -", None),
        ("- 2013", None),
        ("by", None),
        ("from", None),
        ("week of", None),
        ("9999", None),
        ("0 January 2014", None),
        ("99-99 May 2014", None),
        ("x" * 10_000, None),
        ("\u2013\u2014\u00a0", None),
        (2013, None),
        ("April", 0),
        ("April", 2013.5),
        ("April", "2013"),
        ("early January", 1),
        ("Winter", 1),
    ],
)
def test_reading_never_raises(text, default_year):
    tf = read_timeframe(text, default_year=default_year)  # type: ignore[arg-type]
    assert isinstance(tf, Timeframe)
    if not tf.readable:
        assert tf.starts_on is None and tf.ends_on is None and tf.note


def test_a_timeframe_cannot_be_changed_once_read():
    tf = read_timeframe("October 2013")
    with pytest.raises(dataclasses.FrozenInstanceError):
        tf.starts_on = D(2014, 1, 1)  # type: ignore[misc]


# --- every timeframe in the seed documents -----------------------------------
#
# Each string exactly as it stands in the source documents, with the work plan
# year it belongs to, what it reads as, and its flags ("" none, "tentative",
# "ongoing", "unreadable").
#   000 MAWP 2013/2014/2015: the Timeframe column of the output-activity tables
#       (blank cells are the continuation rows of an output), the Timelines
#       column of Annex IIIB, the Time-Frame column of Annex IIIC, and the dates
#       named in the text of the work streams ("24 Sept - 4 Oct" in 2013 output 3).
#   001 GMG Work Plan 2010: the dates in the timelines, the working-level
#       meetings list and the chairing semesters.
#   004 ToR of the TF on Migration and Decent Work (2016): the Timelines column
#       (two-paragraph cells both joined and as their paragraphs).

SEED_TIMEFRAMES = [
    # 000, MAWP 2013 table
    ("000 MAWP 2013", "", 2013, None, None, "unreadable"),
    ("000 MAWP 2013", "October 2013", 2013, D(2013, 10, 1), D(2013, 10, 31), ""),
    ("000 MAWP 2013", "September 2013", 2013, D(2013, 9, 1), D(2013, 9, 30), ""),
    ("000 MAWP 2013", "April-October 2013", 2013, D(2013, 4, 1), D(2013, 10, 31), ""),
    ("000 MAWP 2013", "26 September 2013", 2013, D(2013, 9, 26), D(2013, 9, 26), ""),
    ("000 MAWP 2013", "27 May 2013", 2013, D(2013, 5, 27), D(2013, 5, 27), ""),
    ("000 MAWP 2013", "By Oct 2013", 2013, None, D(2013, 10, 31), ""),
    ("000 MAWP 2013", "Oct 2013", 2013, D(2013, 10, 1), D(2013, 10, 31), ""),
    ("000 MAWP 2013", "by Oct 2013", 2013, None, D(2013, 10, 31), ""),
    ("000 MAWP 2013", "May \u2013 September 2013", 2013, D(2013, 5, 1), D(2013, 9, 30), ""),
    (
        "000 MAWP 2013",
        "July-Dec. 2013; implementation may be more long-term",
        2013,
        D(2013, 7, 1),
        D(2013, 12, 31),
        "",
    ),
    ("000 MAWP 2013", "26-29 Nov 2013", 2013, D(2013, 11, 26), D(2013, 11, 29), ""),
    ("000 MAWP 2013", "July - Dec 2013", 2013, D(2013, 7, 1), D(2013, 12, 31), ""),
    ("000 MAWP 2013", "By Jan 2014", 2013, None, D(2014, 1, 31), ""),
    ("000 MAWP 2013", "January 2013", 2013, D(2013, 1, 1), D(2013, 1, 31), ""),
    ("000 MAWP 2013", "January 2014", 2013, D(2014, 1, 1), D(2014, 1, 31), ""),
    ("000 MAWP 2013", "2013", 2013, D(2013, 1, 1), D(2013, 12, 31), ""),
    ("000 MAWP 2013", "17 April 2013", 2013, D(2013, 4, 17), D(2013, 4, 17), ""),
    ("000 MAWP 2013", "April-September 2013", 2013, D(2013, 4, 1), D(2013, 9, 30), ""),
    ("000 MAWP 2013", "13 November 2013", 2013, D(2013, 11, 13), D(2013, 11, 13), ""),
    ("000 MAWP 2013", "August-December 2013", 2013, D(2013, 8, 1), D(2013, 12, 31), ""),
    ("000 MAWP 2013", "24 Sept \u2013 4 Oct", 2013, D(2013, 9, 24), D(2013, 10, 4), ""),
    # 000, MAWP 2014 table
    ("000 MAWP 2014", "", 2014, None, None, "unreadable"),
    ("000 MAWP 2014", "2014", 2014, D(2014, 1, 1), D(2014, 12, 31), ""),
    ("000 MAWP 2014", "January 2014", 2014, D(2014, 1, 1), D(2014, 1, 31), ""),
    ("000 MAWP 2014", "January 2015", 2014, D(2015, 1, 1), D(2015, 1, 31), ""),
    ("000 MAWP 2014", "Spring 2014", 2014, D(2014, 3, 1), D(2014, 5, 31), ""),
    ("000 MAWP 2014", "2013 \u2013 2014", 2014, D(2013, 1, 1), D(2014, 12, 31), ""),
    ("000 MAWP 2014", "January-October 2014", 2014, D(2014, 1, 1), D(2014, 10, 31), ""),
    ("000 MAWP 2014", "February 2014", 2014, D(2014, 2, 1), D(2014, 2, 28), ""),
    ("000 MAWP 2014", "June 2014", 2014, D(2014, 6, 1), D(2014, 6, 30), ""),
    ("000 MAWP 2014", "July 2014 (precise date TBC)", 2014, D(2014, 7, 1), D(2014, 7, 31), "tentative"),
    # 000, MAWP 2015 table
    ("000 MAWP 2015", "", 2015, None, None, "unreadable"),
    ("000 MAWP 2015", "2015", 2015, D(2015, 1, 1), D(2015, 12, 31), ""),
    ("000 MAWP 2015", "January 2015", 2015, D(2015, 1, 1), D(2015, 1, 31), ""),
    ("000 MAWP 2015", "January 2016", 2015, D(2016, 1, 1), D(2016, 1, 31), ""),
    # 000, Annex IIIB (TF on Migration and Decent Work), Timelines column
    ("000 Annex IIIB", "July 2013", 2013, D(2013, 7, 1), D(2013, 7, 31), ""),
    ("000 Annex IIIB", "September 2013", 2013, D(2013, 9, 1), D(2013, 9, 30), ""),
    ("000 Annex IIIB", "11 September 2013", 2013, D(2013, 9, 11), D(2013, 9, 11), ""),
    ("000 Annex IIIB", "3-4 October 2013", 2013, D(2013, 10, 3), D(2013, 10, 4), ""),
    ("000 Annex IIIB", "On-going", 2013, None, None, "ongoing"),
    ("000 Annex IIIB", "January-October 2014", 2014, D(2014, 1, 1), D(2014, 10, 31), ""),
    ("000 Annex IIIB", "February 2014", 2014, D(2014, 2, 1), D(2014, 2, 28), ""),
    ("000 Annex IIIB", "12-16 May 2014", 2014, D(2014, 5, 12), D(2014, 5, 16), ""),
    ("000 Annex IIIB", "June 2014", 2014, D(2014, 6, 1), D(2014, 6, 30), ""),
    ("000 Annex IIIB", "July 2014 (precise date TBC)", 2014, D(2014, 7, 1), D(2014, 7, 31), "tentative"),
    ("000 Annex IIIB", "", 2014, None, None, "unreadable"),
    # 000, Annex IIIC (TF on Capacity Development), Time-Frame column
    ("000 Annex IIIC", "2013", 2013, D(2013, 1, 1), D(2013, 12, 31), ""),
    ("000 Annex IIIC", "2014", 2013, D(2014, 1, 1), D(2014, 12, 31), ""),
    # 000, dates named in the text of the work streams and annexes
    ("000 text", "November 2013 and February 2014", 2013, D(2013, 11, 1), D(2014, 2, 28), ""),
    ("000 text", "starting in August 2013", 2013, D(2013, 8, 1), None, ""),
    ("000 text", "in 2014-2015", 2013, D(2014, 1, 1), D(2015, 12, 31), ""),
    ("000 text", "2014 & 2015", 2013, D(2014, 1, 1), D(2015, 12, 31), ""),
    ("000 text", "no later than July 2013", 2013, None, D(2013, 7, 31), ""),
    ("000 text", "18-19 February 2013", 2013, D(2013, 2, 18), D(2013, 2, 19), ""),
    ("000 text", "14 November 2012", 2013, D(2012, 11, 14), D(2012, 11, 14), ""),
    # 001, GMG Work Plan 2010: chairing semesters
    ("001 chairs", "1st semester", 2010, D(2010, 1, 1), D(2010, 6, 30), ""),
    ("001 chairs", "2nd semester", 2010, D(2010, 7, 1), D(2010, 12, 31), ""),
    ("001 chairs", "second semester of 2009", 2010, D(2009, 7, 1), D(2009, 12, 31), ""),
    ("001 text", "early in 2010", 2010, D(2010, 1, 1), D(2010, 4, 30), "tentative"),
    ("001 text", "in early 2010", 2010, D(2010, 1, 1), D(2010, 4, 30), "tentative"),
    ("001 text", "over the course of 2010", 2010, D(2010, 1, 1), D(2010, 12, 31), ""),
    ("001 text", "in December 2009", 2010, D(2009, 12, 1), D(2009, 12, 31), ""),
    # 001, first semester timeline
    ("001 timeline", "end of February", 2010, D(2010, 2, 21), D(2010, 2, 28), "tentative"),
    ("001 timeline", "by May 2009", 2010, None, D(2009, 5, 31), ""),
    ("001 timeline", "at the end of May", 2010, D(2010, 5, 21), D(2010, 5, 31), "tentative"),
    ("001 timeline", "in early January", 2010, D(2010, 1, 1), D(2010, 1, 10), "tentative"),
    (
        "001 timeline",
        "Proposed date: 27-28 May or 30 May-1 June 2010",
        2010,
        D(2010, 5, 27),
        D(2010, 6, 1),
        "tentative",
    ),
    ("001 timeline", "in early February 2010", 2010, D(2010, 2, 1), D(2010, 2, 10), "tentative"),
    ("001 timeline", "in late February", 2010, D(2010, 2, 21), D(2010, 2, 28), "tentative"),
    ("001 timeline", "in May", 2010, D(2010, 5, 1), D(2010, 5, 31), ""),
    ("001 timeline", "in June", 2010, D(2010, 6, 1), D(2010, 6, 30), ""),
    ("001 timeline", "in March", 2010, D(2010, 3, 1), D(2010, 3, 31), ""),
    ("001 timeline", "in April/May", 2010, D(2010, 4, 1), D(2010, 5, 31), "tentative"),
    # 001, second semester timeline
    (
        "001 timeline",
        "Proposed date: 1/2 day in Geneva during week of 13-17 September",
        2010,
        D(2010, 9, 13),
        D(2010, 9, 17),
        "tentative",
    ),
    ("001 timeline", "on 1 Sept.", 2010, D(2010, 9, 1), D(2010, 9, 1), ""),
    ("001 timeline", "Date and modalities to be discussed", 2010, None, None, "unreadable"),
    ("001 timeline", "Proposed date: 6 October", 2010, D(2010, 10, 6), D(2010, 10, 6), "tentative"),
    ("001 timeline", "Date: Nov. 2010", 2010, D(2010, 11, 1), D(2010, 11, 30), ""),
    ("001 timeline", "on 8 February", 2010, D(2010, 2, 8), D(2010, 2, 8), ""),
    # 001, analysis timeline
    ("001 timeline", "March 2010", 2010, D(2010, 3, 1), D(2010, 3, 31), ""),
    ("001 timeline", "ongoing", 2010, None, None, "ongoing"),
    (
        "001 timeline",
        "ongoing through public website; hard copy distribution at the GMG symposium",
        2010,
        None,
        None,
        "ongoing",
    ),
    ("001 timeline", "at the end of May 2010", 2010, D(2010, 5, 21), D(2010, 5, 31), "tentative"),
    ("001 timeline", "upon occasion", 2010, None, None, "unreadable"),
    ("001 timeline", "continuous", 2010, None, None, "ongoing"),
    ("001 timeline", "Nov. 2010", 2010, D(2010, 11, 1), D(2010, 11, 30), ""),
    ("001 timeline", "18 Dec. 2010", 2010, D(2010, 12, 18), D(2010, 12, 18), ""),
    # 001, proposed working level meetings
    ("001 meetings", "8 February 2010", 2010, D(2010, 2, 8), D(2010, 2, 8), ""),
    ("001 meetings", "April/May 2010", 2010, D(2010, 4, 1), D(2010, 5, 31), "tentative"),
    ("001 meetings", "June 2010", 2010, D(2010, 6, 1), D(2010, 6, 30), ""),
    ("001 meetings", "1 September 2010", 2010, D(2010, 9, 1), D(2010, 9, 1), ""),
    ("001 meetings", "15 December 2010", 2010, D(2010, 12, 15), D(2010, 12, 15), ""),
    # 004, TF on Migration and Decent Work 2016, Timelines column
    ("004 timelines", "On-going", 2016, None, None, "ongoing"),
    ("004 timelines", "2016-18", 2016, D(2016, 1, 1), D(2018, 12, 31), ""),
    ("004 timelines", "2016", 2016, D(2016, 1, 1), D(2016, 12, 31), ""),
    (
        "004 timelines",
        "Bangladesh 2016 / Morocco / Germany 2017-18",
        2016,
        D(2016, 1, 1),
        D(2018, 12, 31),
        "",
    ),
    (
        "004 timelines",
        "Bangladesh 2016\nMorocco / Germany 2017-18",
        2016,
        D(2016, 1, 1),
        D(2018, 12, 31),
        "",
    ),
    ("004 timelines", "Bangladesh 2016", 2016, D(2016, 1, 1), D(2016, 12, 31), ""),
    ("004 timelines", "Morocco / Germany 2017-18", 2016, D(2017, 1, 1), D(2018, 12, 31), ""),
    ("004 timelines", "Africa 2016 / Turin 2017", 2016, D(2016, 1, 1), D(2017, 12, 31), ""),
    ("004 timelines", "Africa 2016\nTurin 2017", 2016, D(2016, 1, 1), D(2017, 12, 31), ""),
    ("004 timelines", "Africa 2016", 2016, D(2016, 1, 1), D(2016, 12, 31), ""),
    ("004 timelines", "Turin 2017", 2016, D(2017, 1, 1), D(2017, 12, 31), ""),
    ("004 timelines", "September, 2016 (TBC)", 2016, D(2016, 9, 1), D(2016, 9, 30), "tentative"),
    ("004 timelines", "2016-17", 2016, D(2016, 1, 1), D(2017, 12, 31), ""),
    ("004 timelines", "2016-2018", 2016, D(2016, 1, 1), D(2018, 12, 31), ""),
]


@pytest.mark.parametrize(
    "source, text, default_year, starts_on, ends_on, flags",
    SEED_TIMEFRAMES,
    ids=[f"{row[0]}: {row[1]!r}" for row in SEED_TIMEFRAMES],
)
def test_every_timeframe_in_the_seed_documents_is_read_or_flagged(
    source, text, default_year, starts_on, ends_on, flags
):
    tf = read_timeframe(text, default_year=default_year)
    assert tf.text == text
    assert tf.note, "staff always get a note"
    if flags == "unreadable":
        assert_flagged(tf)
        explanations = ("could not read", "no date set yet", "not a period of time", "no timeframe given")
        assert any(words in tf.note for words in explanations), tf.note
    else:
        assert_reads(
            tf,
            starts_on,
            ends_on,
            tentative=flags == "tentative",
            ongoing=flags == "ongoing",
        )


if __name__ == "__main__":  # run on its own, without Django or the suite's conftest
    sys.exit(pytest.main([__file__, "-q", "-p", "no:django", "-p", "no:cacheprovider", "--noconftest"]))
