"""The troika (previous, current, next chair) for any day, derived from the chair terms."""

from datetime import date

import pytest

from chairs.models import ChairTerm
from chairs.selectors import terms_side_by_side
from chairs.services import Proposal, chair_succession, troika_on
from register.deadlines import CHAIR_KINDS
from register.reading import obligations
from tests.factories import make_agency, make_term

pytestmark = pytest.mark.django_db


def acronyms(troika):
    return (
        troika.previous.agency.acronym if troika.previous else None,
        troika.current.agency.acronym if troika.current else None,
        troika.next_agency.acronym if troika.next_agency else None,
        troika.next_is_proposed,
    )


def test_troika_in_mid_2015_is_ilo_world_bank_and_the_rotations_2016_chair(gmg_record):
    # The 2013 plan named the World Bank for 2016, but it chaired 2015: that plan was overtaken, so 2016 is the
    # rotation's to fill. WHO, planned for 2017 (seed 000), chairs after that, not next.
    troika = troika_on(date(2015, 7, 1))
    assert acronyms(troika) == ("ILO", "World Bank", "OHCHR", True)
    assert (troika.next.starts_on, troika.next.ends_on) == (date(2016, 1, 1), date(2016, 12, 31))
    in_2016 = troika_on(date(2016, 6, 1))
    assert acronyms(in_2016) == ("World Bank", None, "WHO", False)


def test_the_troika_the_rotation_and_the_obligations_give_one_answer_on_the_gmg_record(gmg_record):
    day = date(2015, 6, 15)
    succession = chair_succession(day)
    troika = troika_on(day)
    assert succession.pending[0] == troika.next
    assert [(p.agency.acronym, p.starts_on.year) for p in succession.pending] == [
        ("OHCHR", 2016),
        ("ILO", 2018),
        ("IOM", 2019),
    ]
    after_2015 = [(p.agency.acronym, p.starts_on.year, isinstance(p, Proposal)) for p in succession.periods[-4:]]
    assert after_2015 == [("OHCHR", 2016, True), ("WHO", 2017, False), ("ILO", 2018, True), ("IOM", 2019, True)]
    # The chair's obligations are the governing terms': WHO's 2017 letter, none for the overtaken World Bank 2016.
    register = obligations(first=date(2016, 1, 1), last=date(2017, 12, 31), today=day, kinds=CHAIR_KINDS)
    owners = {(o.chair_term.agency.acronym, o.chair_term.starts_on.year) for o in register}
    owners = {(acronym, year) for acronym, year in owners if year >= 2016}
    assert owners == {(t.agency.acronym, t.starts_on.year) for t in succession.governing if t.starts_on.year >= 2016}
    assert ("WHO", 2017) in owners and ("World Bank", 2016) not in owners


def test_seen_years_later_the_rotations_past_proposals_are_lapsed_not_pending(gmg_record):
    succession = chair_succession(date(2026, 12, 2))
    assert [(p.agency.acronym, p.starts_on.year) for p in succession.lapsed][:3] == [
        ("OHCHR", 2016),
        ("ILO", 2018),
        ("IOM", 2019),
    ]
    assert all(p.ends_on >= date(2026, 12, 2) for p in succession.pending)
    assert [p.starts_on.year for p in succession.pending] == [2026, 2027, 2028]
    troika = troika_on(date(2026, 12, 2))
    assert troika.next == succession.pending[1] and troika.next_is_proposed


def test_troika_in_2010_is_unitar_undp_ohchr_with_semester_terms(gmg_record):
    # Seed 001: "the other members of the GMG Troika (UNITAR, OHCHR)" under UNDP's first semester 2010.
    assert acronyms(troika_on(date(2010, 3, 1))) == ("UNITAR", "UNDP", "OHCHR", False)
    assert acronyms(troika_on(date(2010, 6, 30))) == ("UNITAR", "UNDP", "OHCHR", False)
    assert acronyms(troika_on(date(2010, 7, 1))) == ("UNDP", "OHCHR", "UNESCAP", False)


def test_troika_from_the_last_semester_to_the_first_annual_term(gmg_record):
    assert acronyms(troika_on(date(2013, 9, 1))) == ("UNESCAP", "IOM", "ILO", False)
    assert acronyms(troika_on(date(2014, 1, 1))) == ("IOM", "ILO", "World Bank", False)


def test_troika_in_a_gap_of_the_record_has_no_current_chair(gmg_record):
    # The seeds name no chair for 2011 or 2012.
    troika = troika_on(date(2012, 3, 1))
    assert troika.current is None
    assert acronyms(troika) == ("OHCHR", None, "UNESCAP", False)


def test_where_no_next_chair_is_confirmed_the_rotation_proposes_one():
    make_agency("AAA", sort_name="Alpha")
    make_agency("BBB", sort_name="Bravo")
    make_term(make_agency("CCC", sort_name="Charlie"), date(2024, 1, 1), date(2024, 12, 31))
    current = make_term(make_agency("DDD", sort_name="Delta"), date(2025, 1, 1), date(2025, 12, 31))
    troika = troika_on(date(2025, 6, 1))
    assert acronyms(troika) == ("CCC", "DDD", "AAA", True)
    assert isinstance(troika.next, Proposal)
    assert (troika.next.starts_on, troika.next.ends_on) == (date(2026, 1, 1), date(2026, 12, 31))
    assert troika.current == current


def test_a_confirmed_planned_term_replaces_the_proposal():
    make_agency("AAA", sort_name="Alpha")
    make_term(make_agency("DDD", sort_name="Delta"), date(2025, 1, 1), date(2025, 12, 31))
    make_term(make_agency("BBB", sort_name="Bravo"), date(2026, 1, 1), date(2026, 12, 31), kind=ChairTerm.Kind.PLANNED)
    assert acronyms(troika_on(date(2025, 6, 1))) == (None, "DDD", "BBB", False)


def test_moving_a_terms_end_changes_the_troika_at_once():
    first = make_term(make_agency("AAA", sort_name="Alpha"), date(2024, 1, 1), date(2024, 12, 31))
    make_term(make_agency("BBB", sort_name="Bravo"), date(2025, 1, 1), date(2025, 12, 31))
    assert acronyms(troika_on(date(2024, 10, 1)))[1] == "AAA"
    first.ends_on = date(2024, 9, 30)  # the term cut short
    first.save()
    troika = troika_on(date(2024, 10, 1))
    assert troika.current is None
    assert acronyms(troika) == ("AAA", None, "BBB", False)


def test_with_no_agencies_and_no_terms_the_troika_is_empty():
    troika = troika_on(date(2025, 6, 1))
    assert acronyms(troika) == (None, None, None, False)


def test_planned_and_actual_terms_are_shown_side_by_side(gmg_record):
    rows = {
        row.starts_on.year: (
            row.planned.agency.acronym if row.planned else None,
            row.actual.agency.acronym if row.actual else None,
            row.differs,
            row.planned_overtaken,
        )
        for row in terms_side_by_side()
        if row.starts_on.year >= 2014
    }
    assert rows == {
        2014: ("ILO", "ILO", False, True),
        2015: ("UN Women", "World Bank", True, True),
        2016: ("World Bank", None, False, True),
        2017: ("WHO", None, False, False),
    }
