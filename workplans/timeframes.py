"""Read work-plan timeframes as people write them.

The GMG's work plans give each activity a timeframe in free text: "26-29 Nov
2013", "By Oct 2013", "Spring 2014", "July 2014 (precise date TBC)",
"On-going", "Bangladesh 2016 / Morocco / Germany 2017-18".  The portal keeps
the text exactly as written and reads it into a start and an end date.

Rules of reading:

* A period covers whole days: the start is the first day of the period named,
  the end is its last day ("October 2013" is 1-31 October 2013).
* What cannot be read is left undated (``readable=False``) with a note in
  plain words, so that staff can enter the dates by hand.  Nothing is ever
  guessed silently: every reading carries a note saying what was read, and
  every approximation (TBC, "early", either/or, the work plan year standing
  in for a missing year, place names skipped) is said in the note.
* ``read_timeframe`` never raises.

This module is pure Python (standard library only) so it can be used and
tested without Django.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = ["Timeframe", "read_timeframe"]


@dataclass(frozen=True)
class Timeframe:
    """A timeframe as written, and what was read from it."""

    text: str  # as written, unchanged
    starts_on: date | None
    ends_on: date | None
    readable: bool  # False: could not be read -> both dates None, flag for staff
    ongoing: bool = False  # "On-going": read, but no dates (not an error)
    tentative: bool = False  # "(TBC)", "Proposed date", "or", "?", "early" ...
    note: str = ""  # plain-words explanation shown to staff


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

# Longest names first so that "march" is not taken for "mar" + "ch".
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_YEAR = r"((?:19|20|21)\d\d)"
_ORDINAL = r"(?:st|nd|rd|th)?"

# Seasons are those of the northern hemisphere (the GMG writes from Geneva
# and New York).  Winter YYYY runs from December YYYY-1 to February YYYY.
_SEASONS = {
    "spring": ((0, 3, 1), (0, 5, None)),
    "summer": ((0, 6, 1), (0, 8, None)),
    "autumn": ((0, 9, 1), (0, 11, None)),
    "fall": ((0, 9, 1), (0, 11, None)),
    "winter": ((-1, 12, 1), (0, 2, None)),
}

_QUALIFIERS = {
    "early": "early",
    "beginning of": "early",
    "beginning": "early",
    "start of": "early",
    "start": "early",
    "mid": "mid",
    "middle of": "mid",
    "middle": "mid",
    "late": "late",
    "end of": "late",
    "end": "late",
}
_QUAL = "(?:(" + "|".join(re.escape(q) for q in sorted(_QUALIFIERS, key=len, reverse=True)) + r")\s+(?:in\s+|of\s+)?)?"

_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}

# Words that say the date is not firm.  They are taken out before reading and
# make the reading tentative.
_TENTATIVE = re.compile(
    r"\b(?:precise\s+dates?\s+)?(?:tbc|tbd|tba)\b\.?"
    r"|\bto\s+be\s+(?:confirmed|determined|decided|discussed|agreed|defined|"
    r"fixed|set|scheduled|announced)\b"
    r"|\bproposed(?:\s+(?:dates?|timing|time\s*frame|period))?\b"
    r"|\b(?:tentative(?:ly)?|provisional(?:ly)?|indicative(?:ly)?|"
    r"approximately|approx|circa|around|about|possibly|probably|estimated|"
    r"expected)\b\.?"
    r"|\?",
    re.IGNORECASE,
)
# Of those, the ones that say that no date has been set at all.
_UNDECIDED = re.compile(
    r"\b(?:tbc|tbd|tba)\b|\bto\s+be\s+(?:confirmed|determined|decided|"
    r"discussed|agreed|defined|fixed|set|scheduled|announced)\b",
    re.IGNORECASE,
)
# Texts that describe a frequency rather than a period.
_AS_NEEDED = re.compile(
    r"\b(?:as\s+(?:needed|required|necessary|appropriate)|"
    r"when(?:ever)?\s+(?:needed|required|necessary)|upon\s+occasion|"
    r"on\s+occasion|ad[\s-]hoc|regularly|periodically|annually|every\s+year|"
    r"each\s+year|recurring)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"^\s*(?:dates?|time\s*-?\s*frame|timelines?|timing|when|period)\s*:\s*",
    re.IGNORECASE,
)
_ONGOING = re.compile(
    r"^(?:on[\s-]?going|continuous(?:ly)?|continuing)\b[\s,;:.\-]*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_DATE_CONTENT = re.compile(
    r"\d|\b" + _MONTH + r"\b|\b(?:spring|summer|autumn|fall|winter|quarter|"
    r"semester|half|q[1-4]|h[12])\b",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"^(?:in|on|at|during|the|of|within|throughout|over\s+the\s+course\s+of|"
    r"in\s+the\s+course\s+of)\s+"
)
_DEADLINE = re.compile(
    r"^(by|no\s+later\s+than|not\s+later\s+than|until|till|up\s+to|before|"
    r"prior\s+to|deadline:?)\s+(?:the\s+)?"
)
_OPEN_START = re.compile(
    r"^(?:from|starting(?:\s+(?:in|on|from))?|as\s+(?:of|from)|"
    r"beginning\s+(?:in|on)|commencing(?:\s+(?:in|on))?)\s+"
)
_OPEN_END = re.compile(
    r"(.+?)\s*(?:-|\bto\b|\buntil\b|\band\b)?\s*"
    r"\b(?:on[\s-]?going|onwards?|beyond|to\s+date|(?:the\s+)?present)"
)
_RANGE_SEP = re.compile(r"\s*-\s*|\s+(?:to|until|till|through|thru)\s+")
_LIST_SEP = re.compile(r"\s+(and/or|and|or|&)\s+|\s*(/)\s*|\s*(,)\s*")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")

# Words that may stand next to a year but are not place names.
_TIME_WORDS = (
    set(_MONTHS)
    | set(_SEASONS)
    | {
        "early",
        "mid",
        "middle",
        "late",
        "end",
        "beginning",
        "start",
        "by",
        "from",
        "to",
        "until",
        "till",
        "before",
        "after",
        "since",
        "soon",
        "later",
        "sometime",
        "some",
        "time",
        "year",
        "years",
        "quarter",
        "half",
        "semester",
        "week",
        "weeks",
        "day",
        "days",
        "month",
        "months",
        "date",
        "dates",
        "ongoing",
        "next",
        "last",
        "this",
        "first",
        "second",
        "third",
        "fourth",
        "q1",
        "q2",
        "q3",
        "q4",
        "h1",
        "h2",
        "tbc",
        "tbd",
        "tba",
        "fy",
    }
)


# ---------------------------------------------------------------------------
# Internals
# ---------------------------------------------------------------------------


class _Unreadable(Exception):
    """The text cannot be read; ``reason`` says why, in plain words."""

    def __init__(self, reason: str, *, hard: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        # A hard reason (an impossible date, an end before the start, a
        # missing year) is worth more to staff than "could not read".
        self.hard = hard


def _fmt(d: date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month]} {d.year}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _make_date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise _Unreadable(f"there is no month {month}", hard=True)
    last = _last_day(year, month)
    if not 1 <= day <= last:
        if month == 2 and day == 29:
            raise _Unreadable(
                f"29 February {year} does not exist ({year} is not a leap year)",
                hard=True,
            )
        raise _Unreadable(
            f"{day} {MONTH_NAMES[month]} {year} does not exist ({MONTH_NAMES[month]} has {last} days)",
            hard=True,
        )
    return date(year, month, day)


@dataclass
class _Part:
    """One end of a period as written, possibly still without its year."""

    kind: str  # day, month, year, season, quarter, half, bareday
    year: int | None = None
    month: int | None = None
    day: int | None = None
    qual: str | None = None  # early / mid / late
    n: int = 0  # number of the quarter or half
    season: str = ""

    def bounds(self) -> tuple[date, date]:
        y = self.year
        if y is None:  # years are resolved before dates are made
            raise _Unreadable("no year given", hard=True)
        if self.kind == "day":
            assert self.month is not None and self.day is not None
            d = _make_date(y, self.month, self.day)
            return d, d
        if self.kind == "month":
            assert self.month is not None
            last = _last_day(y, self.month)
            first_day, last_day = {
                None: (1, last),
                "early": (1, 10),
                "mid": (11, 20),
                "late": (21, last),
            }[self.qual]
            return date(y, self.month, first_day), date(y, self.month, last_day)
        if self.kind == "year":
            first_month, last_month = {
                None: (1, 12),
                "early": (1, 4),
                "mid": (5, 8),
                "late": (9, 12),
            }[self.qual]
            return (
                date(y, first_month, 1),
                date(y, last_month, _last_day(y, last_month)),
            )
        if self.kind == "season":
            (sy, sm, sd), (ey, em, _) = _SEASONS[self.season]
            return (
                date(y + sy, sm, sd),
                date(y + ey, em, _last_day(y + ey, em)),
            )
        if self.kind == "quarter":
            first_month = 3 * (self.n - 1) + 1
            last_month = first_month + 2
            return (
                date(y, first_month, 1),
                date(y, last_month, _last_day(y, last_month)),
            )
        if self.kind == "half":
            if self.n == 1:
                return date(y, 1, 1), date(y, 6, 30)
            return date(y, 7, 1), date(y, 12, 31)
        raise _Unreadable("a day number needs a month")


@dataclass
class _Reading:
    starts_on: date | None
    ends_on: date | None
    tentative: bool = False
    remarks: list[str] = field(default_factory=list)
    used_default_year: bool = False
    seasons: bool = False
    ongoing: bool = False


def _int_year(value: str | None) -> int | None:
    return int(value) if value else None


def _parse_point(s: str, *, allow_bare: bool = False) -> _Part:
    """Read one point or period: "17 april 2013", "oct", "q1 2014" ..."""
    s = s.strip(" .")
    while True:
        stripped = _FILLER.sub("", s)
        if stripped == s:
            break
        s = stripped

    m = re.fullmatch(rf"(\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH}(?:\s+{_YEAR})?", s)
    if m:
        return _Part("day", _int_year(m[3]), _MONTHS[m[2]], int(m[1]))
    m = re.fullmatch(rf"{_MONTH}\s+(\d{{1,2}}){_ORDINAL}(?:\s+{_YEAR})?", s)
    if m:
        return _Part("day", _int_year(m[3]), _MONTHS[m[1]], int(m[2]))
    m = re.fullmatch(rf"{_QUAL}{_MONTH}(?:\s+(?:of\s+)?{_YEAR})?", s)
    if m:
        qual = _QUALIFIERS[m[1]] if m[1] else None
        return _Part("month", _int_year(m[3]), _MONTHS[m[2]], qual=qual)
    m = re.fullmatch(rf"{_QUAL}{_YEAR}", s)
    if m:
        qual = _QUALIFIERS[m[1]] if m[1] else None
        return _Part("year", int(m[2]), qual=qual)
    m = re.fullmatch(rf"(spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?{_YEAR})?", s)
    if m:
        return _Part("season", _int_year(m[2]), season=m[1])
    m = re.fullmatch(
        rf"(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)"
        rf"(?:\s+(?:of\s+)?{_YEAR})?",
        s,
    )
    if m:
        n = int(m[1]) if m[1] else _ORDINALS[m[2]]
        return _Part("quarter", _int_year(m[3]), n=n)
    m = re.fullmatch(rf"{_YEAR}\s+q([1-4])", s)
    if m:
        return _Part("quarter", int(m[1]), n=int(m[2]))
    m = re.fullmatch(
        rf"(?:h([12])|(first|second|1st|2nd)\s+(?:half|semester))"
        rf"(?:\s+(?:of\s+)?(?:the\s+year\s+)?{_YEAR})?",
        s,
    )
    if m:
        n = int(m[1]) if m[1] else _ORDINALS[m[2]]
        return _Part("half", _int_year(m[3]), n=n)
    if allow_bare:
        m = re.fullmatch(rf"(\d{{1,2}}){_ORDINAL}", s)
        if m:
            return _Part("bareday", day=int(m[1]))
    raise _Unreadable(f"could not read '{s}'")


def _parse_item(s: str) -> tuple[_Part, _Part]:
    """Read one period, possibly a range: "26-29 nov 2013", "2016-18"."""
    s = s.strip(" .")
    m = re.fullmatch(rf"{_YEAR}\s*-\s*(\d\d)", s)
    if m:
        first = int(m[1])
        last = first // 100 * 100 + int(m[2])
        return _Part("year", first), _Part("year", last)

    pieces = _RANGE_SEP.split(s)
    if len(pieces) == 1:
        part = _parse_point(s)
        return part, part
    if len(pieces) != 2 or not all(p.strip() for p in pieces):
        raise _Unreadable(f"could not read '{s}'")
    a = _parse_point(pieces[0], allow_bare=True)
    b = _parse_point(pieces[1], allow_bare=True)
    if a.kind == "bareday" and b.kind == "bareday":
        raise _Unreadable(f"'{s}' names days but no month", hard=True)
    if a.kind == "bareday":  # "26-29 Nov 2013"
        if b.kind != "day":
            raise _Unreadable(f"could not read '{s}'")
        a = _Part("day", b.year, b.month, a.day)
    if b.kind == "bareday":  # "May 12-16"
        if a.kind != "day":
            raise _Unreadable(f"could not read '{s}'")
        b = _Part("day", a.year, a.month, b.day)
    if b.year is None and a.year is not None:
        b.year = a.year
    if a.year is None and b.year is not None:
        a.year = b.year
    return a, b


def _parse_list(s: str, default_year: int | None) -> _Reading:
    """Read one or more periods: "27-28 may or 30 may-1 june 2010"."""
    chunks = _LIST_SEP.split(s)
    texts = chunks[0::4]
    seps = [next((g for g in chunks[i : i + 3] if g), "") for i in range(1, len(chunks), 4)]
    if any(not t or not t.strip() for t in texts):
        raise _Unreadable(f"could not read '{s}'")
    items = [_parse_item(t) for t in texts]

    reading = _Reading(None, None)
    # A year written once at the end serves the whole list:
    # "27-28 May or 30 May-1 June 2010", "April/May 2010".
    for i, (a, b) in enumerate(items):
        if a.year is not None:
            continue
        later = next((x.year for x, _ in items[i + 1 :] if x.year is not None), None)
        if later is not None:
            a.year = b.year = later
        elif default_year is not None:
            a.year = b.year = default_year
            reading.used_default_year = True
        else:
            raise _Unreadable(
                "no year given: add the year, or set the work plan year",
                hard=True,
            )

    starts: list[date] = []
    ends: list[date] = []
    for a, b in items:
        start, _ = a.bounds()
        _, end = b.bounds()
        if end < start:
            raise _Unreadable(
                f"the end ({_fmt(end)}) comes before the start ({_fmt(start)}); "
                "if it runs into the next year, write both years",
                hard=True,
            )
        starts.append(start)
        ends.append(end)
        for part in (a, b):
            if part.qual:
                reading.tentative = True
            if part.kind == "season":
                reading.seasons = True
    reading.starts_on = min(starts)
    reading.ends_on = max(ends)
    if any(p.qual for a, b in items for p in (a, b)):
        reading.remarks.append("tentative: early/mid/late is approximate")
    if seps:
        if any(sep in ("or", "/", "and/or") for sep in seps):
            reading.tentative = True
            reading.remarks.append("tentative: alternatives given, read from the earliest start to the latest end")
        else:
            reading.remarks.append("several periods given, read from the first to the last")
    return reading


def _parse_head(s: str, default_year: int | None) -> _Reading:
    """Read the main part of a timeframe (lower case, normalised)."""
    s = s.strip(" .:")
    while True:
        stripped = _FILLER.sub("", s)
        if stripped == s:
            break
        s = stripped

    m = _OPEN_END.fullmatch(s)
    if m:  # "from January 2014 onwards", "Jan 2014 - ongoing"
        inner = _OPEN_START.sub("", m[1])
        if _RANGE_SEP.search(inner):
            raise _Unreadable(f"could not read '{s}'")
        reading = _parse_list(inner, default_year)
        reading.ends_on = None
        reading.ongoing = True
        return reading

    m = re.search(r"\bweek\s+of\s+(.+)$", s)
    if m:  # "1/2 day in Geneva during week of 13-17 September"
        reading = _parse_list(m[1], default_year)
        assert reading.starts_on is not None and reading.ends_on is not None
        if reading.starts_on == reading.ends_on:
            reading.ends_on = reading.starts_on + timedelta(days=6)
        reading.tentative = True
        reading.remarks.append("tentative: some time within that week")
        return reading

    m = _DEADLINE.match(s)
    if m:
        word = m[1].rstrip(":")
        rest = s[m.end() :]
        before = word in ("before", "prior to")
        end_of = re.match(r"(?:the\s+)?end\s+(?:of\s+)?", rest)
        if end_of:  # "by end of 2014" ends on 31 December 2014
            rest = rest[end_of.end() :]
            before = False
        reading = _parse_list(rest, default_year)
        assert reading.starts_on is not None and reading.ends_on is not None
        if before:
            reading.ends_on = reading.starts_on - timedelta(days=1)
        reading.starts_on = None
        return reading

    m = _OPEN_START.match(s)
    if m:
        rest = s[m.end() :]
        reading = _parse_list(rest, default_year)
        if not _RANGE_SEP.search(rest):
            reading.ends_on = None
        return reading

    m = re.fullmatch(r"between\s+(.+?)\s+and\s+(.+)", s)
    if m:
        return _parse_list(f"{m[1]} - {m[2]}", default_year)

    return _parse_list(s, default_year)


def _read_places(clean: str) -> tuple[date, date, list[str]] | None:
    """Read "Bangladesh 2016 / Morocco / Germany 2017-18" by its years."""
    year_re = re.compile(r"\b((?:19|20|21)\d\d)(?:\s*-\s*((?:19|20|21)\d\d|\d\d))?\b")
    found = list(year_re.finditer(clean))
    if not found:
        return None
    rest = year_re.sub(" ", clean)
    words = [w for w in re.split(r"[\s/,;&.\-]+", rest) if w and w.lower() != "and"]
    if not words:
        return None
    for word in words:
        if not re.fullmatch(r"[A-Z][A-Za-z'’]*", word):
            return None
        if word.lower() in _TIME_WORDS:
            return None
    starts: list[date] = []
    ends: list[date] = []
    for m in found:
        first = int(m[1])
        last = first
        if m[2]:
            last = int(m[2]) if len(m[2]) == 4 else first // 100 * 100 + int(m[2])
        if last < first:
            raise _Unreadable(f"the years in '{m[0]}' run backwards: check them", hard=True)
        starts.append(date(first, 1, 1))
        ends.append(date(last, 12, 31))
    return min(starts), max(ends), [m[0] for m in found]


def _normalise(text: str) -> str:
    """Same text, with dashes, spaces and abbreviations made regular."""
    s = text.replace("\u00a0", " ")
    s = re.sub(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]", "-", s)
    s = re.sub(r"\s+", " ", s).strip()
    # "Dec." -> "Dec", "Sept." -> "Sept"
    s = re.sub(rf"\b{_MONTH}\.", r"\1", s, flags=re.IGNORECASE)
    # ISO dates: "2013-10-17" -> "17 October 2013"
    s = re.sub(
        r"\b((?:19|20|21)\d\d)-(0[1-9]|1[0-2])-([0-3]\d)\b",
        lambda m: f"{int(m[3])} {MONTH_NAMES[int(m[2])]} {m[1]}",
        s,
    )
    # "May 12-16, 2014" -> "12-16 May 2014"
    s = re.sub(
        rf"\b{_MONTH}\s+(\d{{1,2}}){_ORDINAL}\s*-\s*(\d{{1,2}}){_ORDINAL}"
        rf"(?:\s*,)?(\s+{_YEAR})?\b",
        lambda m: f"{m[2]}-{m[3]} {m[1]}{m[4] or ''}",
        s,
        flags=re.IGNORECASE,
    )
    # "September 26, 2013" -> "26 September 2013"
    s = re.sub(
        rf"\b{_MONTH}\s+(\d{{1,2}}){_ORDINAL}\s*,\s*{_YEAR}\b",
        r"\2 \1 \3",
        s,
        flags=re.IGNORECASE,
    )
    # "September, 2016" -> "September 2016"
    s = re.sub(rf"\b{_MONTH}\s*,\s*{_YEAR}\b", r"\1 \2", s, flags=re.IGNORECASE)
    # "mid-2014", "end-May" -> "mid 2014", "end May"
    s = re.sub(r"\b(early|mid|late|end)\s*-\s*(?=[a-z0-9])", r"\1 ", s, flags=re.IGNORECASE)
    return s


def _unreadable(text: str, reason: str) -> Timeframe:
    return Timeframe(text, None, None, readable=False, note=reason)


def _describe(starts_on: date | None, ends_on: date | None) -> str:
    if starts_on is None and ends_on is not None:
        return f"by {_fmt(ends_on)} (no start given)"
    if ends_on is None and starts_on is not None:
        return f"from {_fmt(starts_on)} (no end given)"
    assert starts_on is not None and ends_on is not None
    if starts_on == ends_on:
        return _fmt(starts_on)
    return f"{_fmt(starts_on)} to {_fmt(ends_on)}"


def _read(text: str, default_year: int | None) -> Timeframe:
    shown = " ".join(text.split())
    if not shown:
        return _unreadable(text, "no timeframe given: enter dates by hand")

    s = _normalise(text)
    tentative = False
    remarks: list[str] = []

    # Brackets: "(precise date TBC)" makes the reading tentative, anything
    # else in brackets is kept visible in the note.
    def bracket(m: re.Match[str]) -> str:
        nonlocal tentative
        inner = m[1].strip()
        if _TENTATIVE.search(inner):
            tentative = True
            remarks.append(f"tentative ({inner})")
        elif inner:
            remarks.append(f"also says: '({inner})'")
        return " "

    s = re.sub(r"\(([^()]*)\)", bracket, s)
    undecided = bool(_UNDECIDED.search(s))
    markers = [" ".join(m[0].split()).rstrip(".") for m in _TENTATIVE.finditer(s)]
    if markers:
        tentative = True
        remarks.append("tentative (" + ", ".join(f"'{w}'" for w in markers) + ")")
        s = _TENTATIVE.sub(" ", s)
    s = _LABEL.sub("", s)
    s = re.sub(r"\s+", " ", s).strip(" .:;,-")

    if not _DATE_CONTENT.search(s):
        m = _ONGOING.match(s)
        if m:
            note = "on-going (no dates)"
            extra = m[1].strip()
            if extra:
                note += f"; also says: '{extra}'"
            if tentative:
                note += "; tentative"
            return Timeframe(
                text,
                None,
                None,
                readable=True,
                ongoing=True,
                tentative=tentative,
                note=note,
            )
        if undecided or (tentative and not s):
            return _unreadable(text, f"no date set yet ('{shown}'): enter dates when known")
        if _AS_NEEDED.search(s):
            return _unreadable(
                text,
                f"'{shown}' is not a period of time: enter dates by hand, or mark it on-going",
            )
        return _unreadable(text, f"could not read '{shown}': enter dates by hand")

    m = _ONGOING.match(s)
    if m:  # "Ongoing through 2014": keep it on-going, say what else it says
        note = f"on-going (no dates); also says: '{m[1].strip()}'"
        return Timeframe(
            text,
            None,
            None,
            readable=True,
            ongoing=True,
            tentative=tentative,
            note=note,
        )

    if _NUMERIC_DATE.search(s):
        return _unreadable(
            text,
            f"could not read '{shown}': a date written in figures can be read two ways; write the month as a word",
        )

    # The part before ';' or ',' is the timeframe; what follows is either
    # more dates ("November 2013, February 2014") or a remark, kept visible.
    segments = [seg.strip() for seg in re.split(r"[;,]", s)]
    reading: _Reading | None = None
    hard_error: _Unreadable | None = None
    remark = ""
    for k in range(len(segments), 0, -1):
        head = ", ".join(segments[:k]).lower()
        try:
            reading = _parse_head(head, default_year)
        except _Unreadable as exc:
            if exc.hard and hard_error is None:
                hard_error = exc
            continue
        remark = "; ".join(seg for seg in segments[k:] if seg)
        break

    if reading is None:
        if hard_error is not None:
            return _unreadable(text, f"could not read '{shown}': {hard_error.reason}")
        try:
            places = _read_places(s)
        except _Unreadable as exc:
            return _unreadable(text, f"could not read '{shown}': {exc.reason}")
        if places is None:
            return _unreadable(text, f"could not read '{shown}': enter dates by hand")
        start, end, years = places
        notes = [
            _describe(start, end),
            f"read from the years given with the places ({', '.join(years)}); the place names are not dates",
            *remarks,
        ]
        return Timeframe(
            text,
            start,
            end,
            readable=True,
            tentative=tentative,
            note="; ".join(notes),
        )

    notes = [_describe(reading.starts_on, reading.ends_on)]
    if reading.ongoing:
        notes.append("on-going")
    notes.extend(reading.remarks)
    notes.extend(remarks)
    if reading.used_default_year:
        notes.append(f"year taken from the work plan year ({default_year})")
    if reading.seasons:
        notes.append("seasons are read for the northern hemisphere")
    if remark:
        notes.append(f"also says: '{remark}'")
    if default_year is not None and reading.ends_on is not None and reading.ends_on.year < default_year:
        notes.append(f"check the year: it ends before the work plan year {default_year}")
    return Timeframe(
        text,
        reading.starts_on,
        reading.ends_on,
        readable=True,
        ongoing=reading.ongoing,
        tentative=tentative or reading.tentative,
        note="; ".join(notes),
    )


def read_timeframe(text: str | None, *, default_year: int | None = None) -> Timeframe:
    """Read a timeframe as written into a start and end date.

    ``default_year`` is the work plan year, used for texts that name no
    year ("April/May", "early January").  Never raises: what cannot be read
    comes back with ``readable=False`` and a note saying why.
    """
    if text is None:
        text = ""
    elif not isinstance(text, str):
        text = str(text)
    if default_year is not None and (
        isinstance(default_year, bool) or not isinstance(default_year, int) or not 1901 <= default_year <= 9998
    ):
        default_year = None
    try:
        return _read(text, default_year)
    except Exception:  # noqa: BLE001 - a timeframe must never break a page
        shown = " ".join(text.split())
        return _unreadable(text, f"could not read '{shown}': enter dates by hand")
