"""The alphabetical chair rotation: proposals, confirmation and override (decision 1 of 3 July 2013)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chairs.models import ChairTerm
from chairs.services import confirm_proposal, override_proposal, propose_rotation
from groups.models import Person
from tests.factories import make_agency, make_person, make_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def alphabet():
    """Four agencies whose acronyms sort differently from their names: the rotation follows the names."""
    return {
        "D": make_agency("ZED", name="Delta Agency", sort_name="Delta Agency"),
        "A": make_agency("YOU", name="Alpha Agency", sort_name="Alpha Agency"),
        "C": make_agency("XEN", name="Charlie Agency", sort_name="Charlie Agency"),
        "B": make_agency("WOO", name="Bravo Agency", sort_name="Bravo Agency"),
    }


def summary(proposals):
    return [(p.agency.sort_name[0], p.starts_on, p.ends_on) for p in proposals]


def test_rotation_continues_alphabetically_after_the_last_actual_chair(alphabet):
    make_term(alphabet["A"], date(2014, 1, 1), date(2014, 12, 31))
    make_term(alphabet["B"], date(2015, 1, 1), date(2015, 12, 31))
    assert summary(propose_rotation(count=3, skip_recent_terms=1)) == [
        ("C", date(2016, 1, 1), date(2016, 12, 31)),
        ("D", date(2017, 1, 1), date(2017, 12, 31)),
        ("A", date(2018, 1, 1), date(2018, 12, 31)),
    ]


def test_rotation_passes_over_agencies_that_chaired_within_the_last_terms(alphabet):
    make_term(alphabet["A"], date(2014, 1, 1), date(2014, 12, 31))
    make_term(alphabet["B"], date(2015, 1, 1), date(2015, 12, 31))
    # With three recent terms barred, after C (2016) and D (2017) come A's and B's turns again only when
    # they are more than three terms back: A chaired 2014, so in 2018 it is four terms back.
    proposals = propose_rotation(count=4, skip_recent_terms=3)
    assert [p.agency.sort_name[0] for p in proposals] == ["C", "D", "A", "B"]
    proposals = propose_rotation(count=2, skip_recent_terms=4)
    assert [p.agency.sort_name[0] for p in proposals] == ["C", "D"]
    assert len(propose_rotation(count=3, skip_recent_terms=4)) == 2  # then no one is left to propose


def test_rotation_passes_over_an_agency_that_leaves_before_the_term_ends(alphabet):
    make_term(alphabet["B"], date(2015, 1, 1), date(2015, 12, 31))
    alphabet["C"].memberships.update(left=date(2016, 6, 30))
    first = propose_rotation(count=1, skip_recent_terms=1)[0]
    assert first.agency == alphabet["D"]
    assert [(a.acronym, why) for a, why in first.passed_over] == [("XEN", "not a member for the whole term")]


def test_rotation_passes_over_an_agency_that_joins_after_the_term_starts(alphabet):
    make_term(alphabet["B"], date(2015, 1, 1), date(2015, 12, 31))
    alphabet["C"].memberships.update(joined=date(2016, 3, 1))
    assert propose_rotation(count=1, skip_recent_terms=1)[0].agency == alphabet["D"]


def test_rotation_passes_over_agencies_that_declined(alphabet):
    make_term(alphabet["B"], date(2015, 1, 1), date(2015, 12, 31))
    alphabet["C"].declines_to_chair = True
    alphabet["C"].save()
    first = propose_rotation(count=1, skip_recent_terms=1)[0]
    assert first.agency == alphabet["D"]
    assert first.passed_over[0][1] == "declined to chair"


def test_rotation_keeps_planned_terms_and_continues_after_them(alphabet):
    make_term(alphabet["A"], date(2015, 1, 1), date(2015, 12, 31))
    make_term(alphabet["C"], date(2016, 1, 1), date(2016, 12, 31), kind=ChairTerm.Kind.PLANNED)
    assert summary(propose_rotation(count=2, skip_recent_terms=1)) == [
        ("D", date(2017, 1, 1), date(2017, 12, 31)),
        ("A", date(2018, 1, 1), date(2018, 12, 31)),
    ]


def test_after_a_term_cut_short_the_proposal_covers_the_rest_of_the_year(alphabet):
    make_term(alphabet["A"], date(2016, 1, 1), date(2016, 6, 30))
    assert summary(propose_rotation(count=2, skip_recent_terms=1)) == [
        ("B", date(2016, 7, 1), date(2016, 12, 31)),
        ("C", date(2017, 1, 1), date(2017, 12, 31)),
    ]


def test_with_no_chair_in_the_record_the_rotation_starts_at_the_top_of_the_alphabet(alphabet):
    proposals = propose_rotation(count=2, skip_recent_terms=1, starting=date(2030, 1, 1))
    assert summary(proposals) == [
        ("A", date(2030, 1, 1), date(2030, 12, 31)),
        ("B", date(2031, 1, 1), date(2031, 12, 31)),
    ]


def test_the_gmg_record_proposes_ohchr_for_2016_around_whos_planned_2017_turn(gmg_record):
    # After the World Bank (2015) comes the World Health Organization, but WHO is planned for 2017; ILO (2014)
    # and IOM (2013) chaired within the last three terms; OHCHR last chaired in 2010.
    proposals = propose_rotation(count=3)
    assert [(p.agency.acronym, p.starts_on.year) for p in proposals] == [("OHCHR", 2016), ("ILO", 2018), ("IOM", 2019)]
    assert [(a.acronym, why) for a, why in proposals[0].passed_over] == [
        ("WHO", "planned to chair 2017"),
        ("ILO", "chaired within the last 3 terms"),
        ("IOM", "chaired within the last 3 terms"),
    ]


def test_confirming_a_proposal_creates_a_planned_term(alphabet):
    make_term(alphabet["B"], date(2015, 1, 1), date(2015, 12, 31))
    staff = make_person(role=Person.Role.SUPPORT)
    proposal = propose_rotation(count=1, skip_recent_terms=1)[0]
    term = confirm_proposal(proposal, by=staff)
    term.refresh_from_db()
    assert (term.kind, term.agency, term.starts_on, term.ends_on) == (
        ChairTerm.Kind.PLANNED,
        alphabet["C"],
        date(2016, 1, 1),
        date(2016, 12, 31),
    )
    assert "confirmed by" in term.note
    # The confirmed term now governs 2016: the rotation moves on to 2017.
    assert propose_rotation(count=1, skip_recent_terms=1)[0].starts_on == date(2017, 1, 1)


def test_only_the_support_team_confirms_a_proposal(alphabet):
    make_term(alphabet["B"], date(2015, 1, 1), date(2015, 12, 31))
    focal_point = make_person(role=Person.Role.FOCAL_POINT, agency=alphabet["C"])
    proposal = propose_rotation(count=1, skip_recent_terms=1)[0]
    with pytest.raises(PermissionDenied):
        confirm_proposal(proposal, by=focal_point)
    with pytest.raises(PermissionDenied):
        override_proposal(proposal, agency=alphabet["D"], by=focal_point)
    assert not ChairTerm.objects.planned().exists()


def test_confirming_the_same_period_twice_is_refused_with_a_reason(alphabet):
    make_term(alphabet["B"], date(2015, 1, 1), date(2015, 12, 31))
    staff = make_person(role=Person.Role.SUPPORT)
    proposal = propose_rotation(count=1, skip_recent_terms=1)[0]
    confirm_proposal(proposal, by=staff)
    with pytest.raises(ValidationError, match="already a planned term starting that day"):
        confirm_proposal(proposal, by=staff)
    assert ChairTerm.objects.planned().count() == 1


def test_overriding_plans_another_agency_and_keeps_the_reason(alphabet):
    make_term(alphabet["B"], date(2015, 1, 1), date(2015, 12, 31))
    staff = make_person(role=Person.Role.SUPPORT)
    proposal = propose_rotation(count=1, skip_recent_terms=1)[0]
    term = override_proposal(proposal, agency=alphabet["A"], by=staff, reason="Charlie asked to defer a year.")
    assert term.agency == alphabet["A"] and term.kind == ChairTerm.Kind.PLANNED
    assert "The rotation proposed XEN" in term.note and "Charlie asked to defer a year." in term.note


def test_overriding_with_an_agency_that_is_not_a_member_is_refused(alphabet):
    make_term(alphabet["B"], date(2015, 1, 1), date(2015, 12, 31))
    alphabet["A"].memberships.update(left=date(2015, 12, 31))
    staff = make_person(role=Person.Role.SUPPORT)
    proposal = propose_rotation(count=1, skip_recent_terms=1)[0]
    with pytest.raises(ValidationError, match="not a GMG member"):
        override_proposal(proposal, agency=alphabet["A"], by=staff)
