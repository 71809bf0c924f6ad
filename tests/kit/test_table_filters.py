"""The filters for big tables' cells give what Django's `truncatechars` and `date` give."""

from datetime import date

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars

from kit.templatetags.tables import clip, day_month, day_month_year

TEXTS = [
    "",
    "Launch the key messages",
    "Synthetic multi-annual work plan 2 (2010-2012)",
    "x" * 40,
    "x" * 41,
    "Cafe\u0301 in Gene\u0300ve, twenty-nine characters and a few more",  # combining accents count for nothing
    "e\u0301" * 40,
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("length", [40, 10, 1, 0, "x"])
def test_clip_cuts_text_as_truncatechars_does(text, length):
    assert clip(text, length) == truncatechars(text, length)


@pytest.mark.parametrize("day", [date(2014, 5, 31), date(2014, 3, 1), date(999, 12, 1), None])
def test_the_day_filters_write_days_as_the_date_filter_does(day):
    assert day_month_year(day) == date_filter(day, "j M Y")
    assert day_month(day) == date_filter(day, "j M")


@pytest.mark.parametrize("language", ["en-gb", "fr", "es"])
def test_the_day_filters_name_the_month_in_the_active_language(language):
    from django.utils import translation

    with translation.override(language):
        for month in range(1, 13):
            day = date(2015, month, 5)
            assert day_month_year(day) == date_filter(day, "SHORT_DATE_FORMAT")
