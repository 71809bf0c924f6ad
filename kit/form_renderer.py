"""The portal's form renderer: Django's, with its select boxes written out in Python.

Django's select template includes a template per option (and another per option's attributes): a filter form
with an agency, a group and a plan to choose from renders a few hundred templates, which cost more than the
list below it. The same HTML is written here directly, for every <select> whose options use Django's own option
template; everything else renders through Django's templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: False leaves an attribute out, True writes its name alone."""
    written = []
    for name, value in attrs.items():
        if value is False:
            continue
        name = conditional_escape(name)
        written.append(f" {name}" if value is True else f' {name}="{conditional_escape(value)}"')
    return "".join(written)


def select_html(widget: dict) -> SafeString:
    """django/forms/widgets/select.html and its options, the same markup."""
    parts = [format_html('<select name="{}"', widget["name"]), attributes(widget["attrs"]), ">"]
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(format_html('\n  <option value="{}"', option["value"]))
            parts.append(attributes(option["attrs"]))
            parts.append(format_html(">{}</option>\n", option["label"]))  # the option template ends a line
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every value above is escaped as the templates escape it


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(
            option.get("template_name") == OPTION for _, options, _ in widget["optgroups"] for option in options
        ):
            return select_html(widget)
        return super().render(template_name, context, request=request)
