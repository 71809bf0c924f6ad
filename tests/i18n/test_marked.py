"""Every word a person reads is marked for translation (tests/i18n/marks.py reads the templates and the modules):
a string left unmarked reads in English on a French or Spanish page. tests/i18n/test_rendered_languages.py then
reads the pages themselves in French and Spanish, for what the source alone does not show."""

from __future__ import annotations

import re

import pytest

from tests.i18n import marks

# Words the checker sees that are not to be translated: (file, text) and the reason.
NOT_WORDS: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("path", marks.sources(), ids=lambda p: str(p.relative_to(marks.ROOT)))
def test_every_word_a_person_reads_is_marked(path):
    relative = str(path.relative_to(marks.ROOT))
    found = [(line, text) for line, text in marks.problems(path) if (relative, text) not in NOT_WORDS]
    assert not found, f"{relative}: words not marked for translation:\n" + "\n".join(
        f"  line {line}: {text[:120]}" for line, text in found
    )


def test_the_checker_sees_what_is_not_marked():
    """The checker itself: it finds text, a read attribute and an unmarked message, and lets marked ones pass."""
    template = (
        '{% load i18n %}<p>Saved</p><p>{% translate "Saved" %}</p><input placeholder="Search">'
        '<span title="{% translate \'Close\' %}">{{ x|default:"none yet" }}</span>'
        "{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}<b>GMG</b> <i>IATI</i>"
    )
    assert sorted(text for _, text in marks.template_problems(template)) == [
        "Saved",
        'placeholder="Search"',
        '{{ x|default:"none yet" }}',
    ]
    module = (
        "from django.utils.translation import gettext as _\n"
        "messages.success(request, 'Saved.')\n"
        "messages.success(request, _('Saved.'))\n"
        "class Kind(models.TextChoices):\n"
        "    NEWS = 'news', 'News item'\n"
        "    PAGE = 'page', _('Page')\n"
        "title = models.CharField('title of it', max_length=3)\n"
        "raise ValidationError(f'No {x} here.')\n"
    )
    assert [text for _, text in marks.python_problems(module)] == ["Saved.", "News item", "title of it", "No  here."]


# The portal's own scripts (not the vendored ones): a sentence they show comes from the page, in its language (a
# data- attribute the template writes with {% translate %}), never from a string of the script.
SCRIPTS = sorted((marks.ROOT / "static" / "js").glob("*.js"))
SENTENCE = re.compile(r"(?:^|\s)[A-Z][a-z]+(?:\s+[a-z]+)+|[A-Za-z]{2,}[.!?]$")


def sentences_in_script(source: str) -> list[str]:
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"(?m)//.*$", "", source)
    return [m.group(2) for m in re.finditer(r"(['\"])((?:(?!\1).)*?)\1", source) if SENTENCE.search(m.group(2))]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_no_script_of_the_portal_writes_words_of_its_own(path):
    assert not sentences_in_script(path.read_text()), f"{path.name}: {sentences_in_script(path.read_text())}"


def test_the_script_check_sees_a_sentence():
    assert sentences_in_script('status.textContent = "Copied.";  // said') == ["Copied."]
    assert sentences_in_script('placeholder: x || "Type to search"') == ["Type to search"]
    assert sentences_in_script("'use strict'; el.className = 'small text-body-secondary'; on('htmx:load')") == []
