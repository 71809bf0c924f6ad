"""Currencies as ISO 4217 codes: the cost fields of activities, in the editor's forms and in an imported workbook."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ISO 4217 alphabetic codes of the currencies in use (funds and precious metals left out).
_ISO_4217 = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
    CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD
    HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR
    PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND
    TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
"""


ISO_4217_CODES = frozenset(_ISO_4217.split())  # noqa: SIM905 (a table reads better than a list literal)


def validate_currency(value: str) -> None:
    if value and value not in ISO_4217_CODES:
        raise ValidationError(
            _("Enter a currency as its three-letter ISO 4217 code, e.g. USD, EUR or CHF."), code="currency"
        )
