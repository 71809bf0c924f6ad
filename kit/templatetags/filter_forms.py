"""The fields of a list's filter form, written as crispy's bootstrap5 `as_crispy_field` writes them (the same
elements, attributes and classes) in one pass: crispy renders five nested templates per field, a third of the
rendering of "My agency's activities". `{% load filter_forms %}{% filter_field field %}`.

Only inputs and selects are written here; any other widget (checkboxes, radios, files, multi-widgets) and
hidden fields are left to crispy.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

LEFT_TO_CRISPY = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput)


def _add_classes(widget: forms.Widget, *names: str) -> None:
    """Add the classes crispy adds: the widget's class name (unless the classes hold it already) and `names`."""
    classes = widget.attrs.get("class", "")
    own = type(widget).__name__.lower()
    if not classes:
        classes = own
    elif classes.find(own) == -1:
        classes += f" {own}"
    for name in names:
        if name not in classes.split():
            classes += f" {name}"
    widget.attrs["class"] = classes


@register.simple_tag
def filter_field(field):
    widget = field.field.widget
    if field.is_hidden or isinstance(widget, (*LEFT_TO_CRISPY, forms.MultiWidget)):
        return as_crispy_field(field)
    _add_classes(widget, "form-select" if isinstance(widget, forms.Select) else "form-control")
    if field.errors:
        _add_classes(widget, "is-invalid")
    required = field.field.required
    label = ""
    if field.label:
        label = format_html(
            '<label{} class="form-label{}">{}{}</label>',
            format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            getattr(field.errors, "field_id", None) or field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div {}class="form-text">{}</div>',
            format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else "",
            mark_safe(field.help_text),  # as crispy writes it (|safe): help texts are the portal's own
        )
    css_classes = field.css_classes()
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}</div>',
        field.auto_id,
        f" {css_classes}" if css_classes else "",
        label,
        field.as_widget(),
        errors,
        help_text,
    )
