"""The French and Spanish catalogues (locale/) are whole: every marked string of the portal has its translation,
none is empty or fuzzy, the placeholders and HTML tags of each are kept, and each compiles."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["fr", "es"]
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sd]|\{[a-z_0-9]*\}")
# The HTML a message may carry (a link, emphasis, a line break...); "<address>" in a help text is a word.
TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|kbd|li|p|small|span|strong|sup|time|ul|ol)\b[^>]*>")


def catalogue(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = polib.pofile(str(catalogue(language)))
    assert po.metadata.get("Language") == language
    assert "fuzzy" not in po.metadata_is_fuzzy, "the header is marked fuzzy"
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    obsolete = [entry.msgid for entry in po.obsolete_entries()]
    assert not untranslated, f"{len(untranslated)} without a translation, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert not obsolete, f"{len(obsolete)} obsolete: `make catalogues` drops them"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_and_tags(language):
    wrong = []
    for entry in polib.pofile(str(catalogue(language))):
        pairs = (
            [(entry.msgid, entry.msgstr)]
            if not entry.msgid_plural
            else [(entry.msgid_plural if index else entry.msgid, text) for index, text in entry.msgstr_plural.items()]
        )
        for source, translation in pairs:
            for pattern in (PLACEHOLDER, TAG):
                wanted, got = sorted(pattern.findall(source)), sorted(pattern.findall(translation))
                if set(got) != set(wanted) and not (entry.msgid_plural and set(got) <= set(wanted)):
                    wrong.append(f"{entry.msgid[:60]!r}: {wanted} -> {got}")
    assert not wrong, f"{len(wrong)} translations lose or add placeholders or tags:\n" + "\n".join(wrong[:20])


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_compiles(language, tmp_path):
    done = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(catalogue(language))],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_every_marked_string_is_in_the_catalogues(tmp_path):
    """What `make catalogues` would gather from the source today is what the catalogues hold: a string marked
    since (or changed) is not missing from them, untranslated."""
    saved = {language: catalogue(language).read_bytes() for language in LANGUAGES}
    try:
        done = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                *(f"--locale={lang}" for lang in LANGUAGES),
                "--add-location=file",
                "--no-obsolete",
                "--ignore=.venv/*",
                "--ignore=tests/*",
                "--ignore=node_modules/*",
                "--ignore=staticfiles/*",
                "--ignore=var/*",
                "--ignore=site/*",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        for language in LANGUAGES:
            shutil.copy(catalogue(language), tmp_path / f"{language}.po")
    finally:
        for language, content in saved.items():
            catalogue(language).write_bytes(content)
    for language in LANGUAGES:
        gathered = {(e.msgctxt, e.msgid) for e in polib.pofile(str(tmp_path / f"{language}.po"))}
        kept = {(e.msgctxt, e.msgid) for e in polib.pofile(str(catalogue(language)))}
        missing = sorted(gathered - kept, key=str)
        assert not missing, (
            f"{len(missing)} marked strings are not in locale/{language} (run `make catalogues` and translate "
            f"them): {[m for _, m in missing[:8]]}"
        )
