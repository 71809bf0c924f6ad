"""IATI's own rules applied to an IATI activity file: IATI-Rulesets' standard ruleset and the codelists.

What the IATI Validator runs besides the XSD: the standard ruleset (`kit/iati_vendor/rulesets/standard.json`, from
IATI/IATI-Rulesets, MIT licence in `kit/iati_vendor/rulesets/LICENSE`) and a check that every code the file holds is on
its IATI codelist. The rule kinds are ported from IATI-Rulesets' Python implementation (`iatirulesets/__init__.py`,
MIT, Copyright (c) 2013-2014 Ben Webb), which reads the older `standard_py.json`; the kinds and keys
`standard.json` adds or redefines (`startswith` with a list of prefixes, a separator or the registration agency
prefixes, `idCondition`, `no_spaces`, `time_limit` as at most 365 days, `NOW` in date rules, inclusive
`between_dates`, an empty value passing a regular expression) follow IATI-Rulesets' SPEC.rst.

`idCondition` asks whether an identifier is a publisher registered with IATI's Registry, which is not available
offline: every identifier is treated as unregistered, so those rules always apply (stricter than the Validator).
Both severities count: a warning is a failure here too.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from lxml import etree

from kit.iati_codelists import CODELISTS, active, codes, organisation_identifier_problem

STANDARD = CODELISTS.parent / "rulesets" / "standard.json"
_DATE = re.compile(r"(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})")


@dataclass(frozen=True)
class Failure:
    rule: str  # the rule's id in the ruleset ("6.2.2"), or "codelist"
    severity: str
    message: str
    activity: str  # the iati-identifier of the activity it is found in
    detail: str = ""

    def __str__(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.activity}: IATI rule {self.rule} ({self.severity}): {self.message}{detail}"


@cache
def standard_ruleset() -> dict:
    return json.loads(STANDARD.read_text(encoding="utf-8"))


def _text(node) -> str:
    if isinstance(node, etree._Element):
        return node.text or ""
    return str(node)


def _true(value) -> bool:
    """XPath's boolean(): a node-set is true when not empty, a number when neither 0 nor NaN."""
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return bool(value)


def _day(text: str) -> date | None:
    match = _DATE.match(text or "")
    return date(*map(int, match.groups())) if match else None


def _decimals(texts: list[str]) -> list[Decimal] | None:
    try:
        return [Decimal(text) for text in texts]
    except InvalidOperation:
        return None


class Rules:
    """One case of one rule kind on one element (as iatirulesets.Rules); each method returns True, False or None
    (None: the rule does not apply)."""

    def __init__(self, element, case: dict, id_sets: dict, now: datetime):
        self.element, self.case, self.id_sets, self.now = element, case, id_sets, now
        self.nested = [self.xpath(path) for path in case.get("paths", [])]
        self.matches = [match for matches in self.nested for match in matches]
        self.texts = [_text(match) for match in self.matches]

    def xpath(self, expression: str):
        return self.element.xpath(expression)

    def _date(self, expression: str) -> date | None:
        if expression in ("NOW", "TODAY"):
            return self.now.date()
        found = self.xpath(expression)
        return _day(_text(found[0])) if found else None

    def id_condition(self) -> bool:
        condition = self.case.get("idCondition")
        registered = self.id_sets.get("ORG-ID", set())
        if condition == "NOT_EXISTING_ORG_ID":
            return all(text not in registered for text in self.texts)
        if condition == "NOT_EXISTING_ORG_ID_PREFIX":
            return all(not any(text.startswith(f"{org}-") for org in registered) for text in self.texts)
        return True

    def no_more_than_one(self):
        return len(self.matches) <= 1

    def atleast_one(self):
        return len(self.matches) >= 1

    def only_one_of(self):
        for excluded in self.case["excluded"]:
            if self.xpath(excluded):
                if self.matches:
                    return False
            elif len(self.matches) != 1:
                return False
        return True

    def one_or_all(self):
        if self.xpath(self.case["one"]):
            return True
        every = {
            "lang": ("descendant::narrative", "@xml:lang"),
            "sector": ("transaction", "sector"),
            "recipient-country|recipient-region": ("transaction", "recipient-country|recipient-region"),
        }
        if self.case["all"] == "currency":
            return all(
                node.xpath("@currency")
                for path in ("value", "forecast", "loan-status")
                for node in self.xpath(f"descendant::{path}")
            )
        if self.case["all"] in every:
            nodes, required = every[self.case["all"]]
            return all(node.xpath(required) for node in self.xpath(nodes))
        return True

    def dependent(self):
        return all(self.nested) or not any(self.nested)

    def unique(self):
        return len(self.texts) == len(set(self.texts))

    def strict_sum(self):
        values = _decimals(self.texts)
        return values is not None and sum(values) == Decimal(str(self.case["sum"]))

    def sum(self):
        return not self.matches or self.strict_sum()

    def date_order(self):
        less, more = self._date(self.case["less"]), self._date(self.case["more"])
        return None if less is None or more is None else less <= more

    def date_now(self):
        found = self.xpath(self.case["date"])
        if not found:
            return None
        try:
            moment = datetime.fromisoformat(_text(found[0]).replace("Z", "+00:00"))
        except ValueError:
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment <= self.now

    def time_limit(self):
        start, end = self._date(self.case["start"]), self._date(self.case["end"])
        return None if start is None or end is None else (end - start).days <= 365

    def between_dates(self):
        day = self._date(self.case["date"])
        if day is None:
            return None
        start, end = self._date(self.case["start"]), self._date(self.case["end"])
        return start is not None and end is not None and start <= day <= end

    def regex_matches(self):
        return all(text == "" or re.search(self.case["regex"], text) for text in self.texts)

    def regex_no_matches(self):
        return all(text == "" or not re.search(self.case["regex"], text) for text in self.texts)

    def startswith(self):
        if "start" in self.case:  # the older form (standard_py.json): the first match of one path
            found = self.xpath(self.case["start"])
            start = _text(found[0]) if found else ""
            return all(text.startswith(start) for text in self.texts)
        prefixes = self.case["prefix"]
        if prefixes in ("ORG-ID-PREFIX", ["ORG-ID-PREFIX"]):
            known = self.id_sets["ORG-ID-PREFIX"]
            return all("-".join(text.split("-")[:2]) in known for text in self.texts)
        separator = self.case.get("separator", "")
        starts = [_text(node) for prefix in prefixes for node in self.xpath(prefix)]
        return all(any(text.startswith(start + separator) for start in starts) for text in self.texts)

    def no_spaces(self):
        return all(text == text.strip() for text in self.texts)

    def no_percent(self):
        return all("%" not in text for text in self.texts)

    def if_then(self):
        return _true(self.xpath(self.case["then"])) if _true(self.xpath(self.case["if"])) else True

    def range(self):
        values = _decimals(self.texts)
        if values is None:
            return False
        low, high = self.case.get("min"), self.case.get("max")
        return all(
            (low is None or Decimal(str(low)) <= value) and (high is None or value <= Decimal(str(high)))
            for value in values
        )


def _test(element, rule: str, case: dict, id_sets: dict, now: datetime):
    if "condition" in case and not _true(element.xpath(case["condition"])):
        return None
    rules = Rules(element, case, id_sets, now)
    if not rules.id_condition():
        return None
    return getattr(rules, rule)()


def _cases(element, rule: str, case: dict):
    """A case, or for a loop, each case of its `do` with `$1` replaced by each value `foreach` finds."""
    if rule != "loop":
        yield rule, case
        return
    values = sorted({_text(value) for value in element.xpath(case["foreach"])})
    for sub_rule, sub_cases in case["do"].items():
        for sub_case in sub_cases["cases"]:
            for value in values:
                substituted = dict(sub_case)
                for key in case["subs"]:
                    if isinstance(sub_case.get(key), list):
                        substituted[key] = [item.replace("$1", value) for item in sub_case[key]]
                    elif key in sub_case:
                        substituted[key] = sub_case[key].replace("$1", value)
                yield sub_rule, substituted


def _activity_of(element) -> str:
    found = element.xpath("ancestor-or-self::iati-activity[1]/iati-identifier/text()")
    return found[0] if found else "(file)"


def ruleset_failures(document, ruleset: dict | None = None, now: datetime | None = None) -> list[Failure]:
    """Every case of the ruleset that fails on the document (an lxml element or tree)."""
    ruleset = ruleset if ruleset is not None else standard_ruleset()
    now = now or datetime.now(UTC)
    id_sets = {"ORG-ID": set(), "ORG-ID-PREFIX": set(codes("OrganisationRegistrationAgency"))}
    failures = []
    for context, rules in ruleset.items():
        for element in document.xpath(context):
            for rule, cases in rules.items():
                for outer in cases["cases"]:
                    for kind, case in _cases(element, rule, outer):
                        if _test(element, kind, case, id_sets, now) is False:
                            info = case.get("ruleInfo") or outer.get("ruleInfo") or {}
                            failures.append(
                                Failure(
                                    info.get("id", kind),
                                    info.get("severity", "error"),
                                    info.get("message", kind),
                                    _activity_of(element),
                                )
                            )
    return failures


# The codes the export writes, each with the codelist it must be on (an optional condition selects the elements
# whose vocabulary is the one the codelist belongs to).
CODED = [
    ("activity-status/@code", "ActivityStatus"),
    ("activity-date/@type", "ActivityDateType"),
    ("reporting-org/@type | participating-org/@type", "OrganisationType"),
    ("participating-org/@role", "OrganisationRole"),
    ("sector/@vocabulary", "SectorVocabulary"),
    ("sector[not(@vocabulary) or @vocabulary='1']/@code", "Sector"),
    ("recipient-region/@vocabulary", "RegionVocabulary"),
    ("recipient-region[not(@vocabulary) or @vocabulary='1']/@code", "Region"),
    ("budget/@type", "BudgetType"),
    ("budget/@status", "BudgetStatus"),
    ("@default-currency | .//@currency", "Currency"),
    ("description/@type", "DescriptionType"),
    ("related-activity/@type", "RelatedActivityType"),
    ("result/@type", "ResultType"),
    ("result/indicator/@measure", "IndicatorMeasure"),
]


def codelist_failures(document) -> list[Failure]:
    """Codes not (or no longer) on their IATI codelist, and organisation identifiers without a registered prefix."""
    failures = []
    for activity in document.xpath("//iati-activity"):
        identifier = activity.findtext("iati-identifier") or "(no identifier)"
        for path, codelist in CODED:
            for code in activity.xpath(path):
                if not active(codelist, str(code)):
                    failures.append(
                        Failure("codelist", "error", f"{code!r} is not an active code of {codelist}", identifier)
                    )
        for ref in activity.xpath("reporting-org/@ref | participating-org/@ref"):
            if problem := organisation_identifier_problem(str(ref)):
                failures.append(
                    Failure("codelist", "error", f"the organisation identifier {ref!r} {problem}", identifier)
                )
    return failures


def failures(document, now: datetime | None = None) -> list[Failure]:
    """IATI's rules on an activity file: the standard ruleset, then the codelists."""
    return ruleset_failures(document, now=now) + codelist_failures(document)
