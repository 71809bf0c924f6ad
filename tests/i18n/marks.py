"""Words a person reads that are not marked for translation, found in the source.

- Templates: text between tags, and the attributes people read (title, alt, placeholder, aria-label, a meta
  description, an input button's value), outside `{% translate %}` and `{% blocktranslate %}`; the literal English of a
  `default:"..."` or `yesno:"..."` filter.
- Python: the strings of `messages.*(request, "...")`, `ValidationError("...")`, `add_error(field, "...")`, the
  labels, help texts and verbose names of forms and models, the labels of choices, and the first argument of a
  model field (its verbose name) when they are plain strings rather than `_("...")`.

`python -m tests.i18n.marks [paths...]` lists them; tests/i18n/test_marked.py fails on any.
"""

from __future__ import annotations

import ast
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
HOLE = "\u00a7"  # what a template tag or variable becomes: not a word
LETTER = re.compile(r"[^\W\d_]")
# Words that are the same in every language: acronyms and names (GMG, IATI, PDF, CSV, ...), symbols.
SAME_EVERYWHERE = re.compile(r"^(?:[A-Z][A-Z0-9&.\-]+s?|[A-Z]{1,2}\d*|GMG|iCal|Word|Excel|Atom|[a-z]\.|x)$")
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription", "label"}
META_READ = {"description", "og:title", "og:description", "twitter:title", "twitter:description", "og:site_name"}
FILTERS_WITH_WORDS = re.compile(r"\|(?:default|default_if_none|yesno)\s*:\s*(\"[^\"]*\"|'[^']*')")


def _words(text: str) -> str:
    """The words of a piece of text that need a translation ('' if none)."""
    text = text.replace(HOLE, " ")
    words = [w for w in re.split(r"[\s()\[\]{}:;,!?/|·•–—…\"“”'’«»+=*#<>]+", text) if w and LETTER.search(w)]
    words = [w.strip(".") for w in words]
    return " ".join(w for w in words if w and not SAME_EVERYWHERE.match(w))


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            read = name in READ_ATTRIBUTES
            meta = attributes.get("name") in META_READ or attributes.get("property") in META_READ
            read |= name == "content" and meta
            read |= name == "value" and tag == "input" and attributes.get("type") in ("submit", "button", "reset")
            if read and _words(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and _words(data):
            self.found.append((self.getpos()[0], " ".join(data.split())))


def template_problems(source: str, html: bool = True) -> list[tuple[int, str]]:
    """(line, text) of each unmarked piece of text of a template's source."""
    parts: list[str] = []
    problems: list[tuple[int, str]] = []
    inside = None  # the tag whose end closes a part that is not read as text
    for token in Lexer(source).tokenize():
        if inside:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == inside:
                inside = None
            parts.append("\n" * token.contents.count("\n") + HOLE)
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        elif token.token_type == TokenType.VAR:
            for literal in FILTERS_WITH_WORDS.findall(token.contents):
                if _words(literal[1:-1]):
                    problems.append((token.lineno, f"{{{{ {token.contents} }}}}"))
            parts.append(HOLE)
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            ends = {
                "blocktranslate": "endblocktranslate",
                "blocktrans": "endblocktrans",
                "comment": "endcomment",
                "verbatim": "endverbatim",
            }
            if name in ends:
                inside = ends[name]
            parts.append("\n" * token.contents.count("\n") + HOLE)
        else:  # a {# comment #}
            parts.append("\n" * token.contents.count("\n"))
    text = "".join(parts)
    if html:
        finder = _TextFinder()
        finder.feed(text)
        finder.close()
        problems += finder.found
    else:
        for number, line in enumerate(text.splitlines(), 1):
            if _words(line):
                problems.append((number, line.strip()))
    return sorted(problems)


# -- Python --------------------------------------------------------------------------------------------------------
MESSAGE_CALLS = {"success", "error", "warning", "info", "debug", "add_message"}
ERROR_CALLS = {"ValidationError", "PermissionDenied", "Http404"}
READ_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "empty_value_display",
    "short_description",
    "description",
}
MODEL_FIELDS = re.compile(r"^(?:[A-Z][A-Za-z]*Field|ForeignKey|OneToOneField|ManyToManyField)$")
MARKERS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "format_lazy",
}


def _plain(node: ast.AST) -> str | None:
    """The text of a plain string (or f-string) argument that needs a translation, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if _words(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return text if _words(text) else None
    return None


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def python_problems(source: str) -> list[tuple[int, str]]:
    problems = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in MARKERS:
                continue
            candidates = []
            if name in MESSAGE_CALLS and isinstance(node.func, ast.Attribute) and len(node.args) >= 2:
                text_at = 2 if name == "add_message" else len(node.args) - 1
                candidates.append(node.args[text_at] if text_at < len(node.args) else None)
            if name in ERROR_CALLS and node.args:
                candidates.append(node.args[0])
            if name == "add_error" and len(node.args) >= 2:
                candidates.append(node.args[1])
            if MODEL_FIELDS.match(name) and node.args:
                candidates.append(node.args[0])
            for keyword in node.keywords:
                if keyword.arg in READ_KEYWORDS:
                    candidates.append(keyword.value)
            for candidate in candidates:
                text = candidate is not None and _plain(candidate)
                if text:
                    problems.append((candidate.lineno, text))
        elif isinstance(node, ast.ClassDef) and any(_name(b) in ("TextChoices", "IntegerChoices") for b in node.bases):
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.value, ast.Tuple) and len(item.value.elts) >= 2:
                    text = _plain(item.value.elts[-1])
                    if text:
                        problems.append((item.lineno, text))
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in ("verbose_name", "verbose_name_plural") for t in node.targets
        ):
            text = _plain(node.value)
            if text:
                problems.append((node.lineno, text))
    return sorted(problems)


# -- What is read ----------------------------------------------------------------------------------------------------
APPS = [
    "accounts",
    "api",
    "archive",
    "chairs",
    "events",
    "groups",
    "kit",
    "meetings",
    "overview",
    "record",
    "register",
    "reminders",
    "reports",
    "website",
    "workplans",
    "gmg_portal",
]


def sources(paths: list[str] | None = None) -> list[Path]:
    """The templates and the Python modules of the portal (not its tests, migrations or management commands)."""
    roots = [ROOT / p for p in paths] if paths else [ROOT / "templates", *(ROOT / app for app in APPS)]
    found = []
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if "migrations" in path.parts or "management" in path.parts or "iati_vendor" in path.parts:
                continue
            if path.suffix in (".html", ".txt", ".py", ".ics"):
                found.append(path)
    return found


def problems(path: Path) -> list[tuple[int, str]]:
    source = path.read_text()
    if path.suffix == ".py":
        return python_problems(source)
    if path.parts[-2:-1] and "templates" not in path.parts:
        return []
    return template_problems(source, html=path.suffix == ".html")


def main(argv: list[str]) -> int:
    import django

    django.setup()
    count = 0
    for path in sources(argv or None):
        for line, text in problems(path):
            count += 1
            print(f"{path.relative_to(ROOT)}:{line}: {text[:140]}")
    print(f"{count} unmarked", file=sys.stderr)
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
