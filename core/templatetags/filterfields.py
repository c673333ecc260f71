"""`{{ form.field|filter_field }}`: one field of a list page's filter form, in the markup
crispy-forms' Bootstrap 5 pack gives it (label, control, error), built in Python.

A list page is requested far more often than any other form is shown, and crispy renders
each field and each `<option>` through a template of its own: four select boxes cost more
than the 50 rows of the table below them. Selects and single-line inputs are built here;
any other widget falls back to crispy."""

from django import forms, template
from django.forms.widgets import Input
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# The classes crispy's Bootstrap 5 pack gives each kind of control.
_SELECT_CLASS = "select form-select"
_INPUT_CLASSES = {"text": "textinput form-control", "search": "textinput form-control",
                  "number": "numberinput form-control", "date": "dateinput form-control",
                  "email": "emailinput form-control"}


def _control(bound_field, css: str) -> str:
    widget = bound_field.field.widget
    attrs = {**widget.attrs}
    attrs["class"] = " ".join(c for c in (css, attrs.get("class"),
                                          "is-invalid" if bound_field.errors else "") if c)
    attrs["id"] = bound_field.auto_id
    if bound_field.field.required and bound_field.form.use_required_attribute:
        attrs["required"] = True
    if bound_field.field.disabled:
        attrs["disabled"] = True
    name = bound_field.html_name
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        value = widget.format_value(bound_field.value())
        options = []
        for _group, choices, _index in widget.optgroups(name, value):
            for option in choices:
                options.append((option["value"], " selected" if option["selected"] else "",
                                option["label"]))
        return format_html('<select name="{}"{}>\n{}\n</select>', name, flatatt(attrs),
                           format_html_join("\n", '<option value="{}"{}>{}</option>',
                                            ((v, mark_safe(s), label)
                                             for v, s, label in options)))
    value = bound_field.value()
    if value not in (None, ""):
        attrs["value"] = widget.format_value(value)
    return format_html('<input type="{}" name="{}"{}>', widget.input_type, name, flatatt(attrs))


def _supported(widget) -> str | None:
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        return _SELECT_CLASS
    if isinstance(widget, Input) and not widget.is_hidden:
        return _INPUT_CLASSES.get(widget.input_type)
    return None


@register.filter
def filter_field(bound_field):
    """The field's `<div class="mb-3">` with label, control and errors, as crispy's
    `as_crispy_field` renders it for selects and single-line inputs (others: crispy itself).
    Raises nothing for a form that did not validate: its errors show under the control."""
    css = _supported(bound_field.field.widget)
    if css is None:
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound_field)
    label = ""
    if bound_field.label:
        asterisk = (mark_safe('<span class="asteriskField">*</span>')
                    if bound_field.field.required else "")
        label = format_html('<label for="{}" class="form-label">{}{}</label>',
                            bound_field.id_for_label, bound_field.label, asterisk)
    errors = format_html_join(
        "", '<span id="error_{}_{}" class="invalid-feedback"><strong>{}</strong></span>',
        ((i, bound_field.auto_id, e) for i, e in enumerate(bound_field.errors, start=1)))
    help_text = (format_html('<div id="{}_helptext" class="form-text">{}</div>',
                             bound_field.auto_id, bound_field.help_text)
                 if bound_field.help_text else "")
    return format_html('<div id="div_{}" class="mb-3">{}{}{}{}</div>', bound_field.auto_id,
                       label, _control(bound_field, css), errors, help_text)
