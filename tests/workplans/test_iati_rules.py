"""The port of IATI-Rulesets' rule kinds (workplans/iati_rules.py) passes IATI-Rulesets' own meta tests: each
line `test RULES FILE True|False` of their meta_tests.sh, vendored with the rules and files it names."""

import json
import re

import pytest
from lxml import etree

from kit import iati_codelists
from workplans import iati_rules

VENDOR = iati_codelists.CODELISTS.parent
LINE = re.compile(r"^test (\S+) (\S+) (True|False)$", re.M)
CASES = LINE.findall((VENDOR / "meta_tests.sh").read_text(encoding="utf-8"))


def test_the_meta_tests_are_all_read():
    assert len(CASES) == 83


@pytest.mark.parametrize(("rules", "document", "expected"), CASES, ids=[f"{r}-{d}" for r, d, _ in CASES])
def test_iatis_own_meta_tests(rules, document, expected):
    ruleset = json.loads((VENDOR / "meta_tests" / f"{rules}.json").read_text(encoding="utf-8"))
    tree = etree.parse(str(VENDOR / "meta_tests" / f"{document}.xml"))
    failures = iati_rules.ruleset_failures(tree, ruleset)
    assert (not failures) is (expected == "True"), failures
