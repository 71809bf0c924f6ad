"""An amount of money as the reader's language writes it: `{% money amount currency %}` gives "USD 25,000.00"
in English, "25 000,00 USD" in French and Spanish (Django's formats of the active language:
its decimal sign and its grouping; the code of the currency where the language puts it)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import translation
from django.utils.formats import number_format

register = template.Library()

# Languages that write the currency's code after the amount.
CODE_AFTER = {"fr", "es"}


def money_text(amount: Decimal | int | float | None, currency: str = "") -> str:
    if amount is None:
        return ""
    figures = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    if not currency:
        return figures
    if (translation.get_language() or "en").split("-")[0] in CODE_AFTER:
        return f"{figures}\u00a0{currency}"
    return f"{currency}\u00a0{figures}"


@register.simple_tag
def money(amount, currency: str = "") -> str:
    return money_text(amount, currency)
