"""IATI's codelists, read from the copies vendored in kit/iati_vendor/codelists/ (see its README).

The export writes codes from them (the DAC purpose code for migration, the region "developing countries,
unspecified", the activity status...) and the checker (`workplans.iati_rules`) tests every code the file holds
against them. An organisation identifier is registration agency prefix + "-" + the identifier the agency gives
(e.g. XM-DAC-41302, the ILO in the OECD DAC's list): the prefix must be one IATI lists.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from lxml import etree

CODELISTS = Path(__file__).resolve().parent / "iati_vendor" / "codelists"
# Symbols IATI-Rulesets refuse in an identifier (rules 1.3.13, 1.8.13, 1.14.13), and spaces (1.x.1).
FORBIDDEN = re.compile(r"[/&|?\s]")


@cache
def codes(name: str) -> dict[str, str]:
    """The codes of one codelist with their status ("active" unless the list says "withdrawn")."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.parse(str(CODELISTS / f"{name}.xml"), parser=parser).getroot()
    return {item.findtext("code").strip(): item.get("status") or "active" for item in root.iter("codelist-item")}


def active(name: str, code: str) -> bool:
    return codes(name).get(code) == "active"


def registration_prefix(identifier: str) -> str:
    """The registration agency part of an organisation identifier: everything left of the second hyphen."""
    return "-".join(identifier.split("-")[:2])


def organisation_identifier_problem(identifier: str) -> str:
    """Why an IATI organisation identifier would fail IATI's rules; empty when it passes."""
    if not identifier:
        return gettext("The IATI organisation identifier is empty.")
    if FORBIDDEN.search(identifier):
        return gettext("The IATI organisation identifier must not contain spaces or any of the symbols / & | ?.")
    prefix = registration_prefix(identifier)
    if identifier.count("-") < 2 or not active("OrganisationRegistrationAgency", prefix):
        return gettext(
            "The IATI organisation identifier must start with a registration agency prefix IATI lists "
            "(OrganisationRegistrationAgency), such as XM-DAC for the OECD DAC's list of agencies; %(prefix)s is "
            "not one."
        ) % {"prefix": repr(prefix)}
    return ""


def validate_organisation_identifier(value: str) -> None:
    """Model and form validator of an agency's IATI organisation identifier (blank is allowed: not yet known)."""
    if value and (problem := organisation_identifier_problem(value)):
        raise ValidationError(problem)
