"""The base of every form of the portal: text is normalised once, as it arrives.

Every form class of the portal (accounts, applications, Django admin through
`core.apps.CoreConfig.ready`) inherits `NormalisedTextMixin`; tests/core/test_forms.py walks
them all. Pasted text from Word brings vertical tabs, form feeds and escapes that would print as
boxes in the PDF; they are handled here, before any field or `clean_…` method sees them.
"""

from django import forms
from django.utils.datastructures import MultiValueDict

from .text import clean_text


def _clean_line(value: str) -> str:
    """`clean_text` for a one-line field: line breaks removed as well."""
    return clean_text(value).replace("\n", "") if value else value


class NormalisedTextMixin:
    """Cleans every posted text value of the form's fields with `core.text.clean_text`.

    Passwords are left exactly as typed; files are not text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = self._normalised(self.data)

    def _text_keys(self, data):
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.PasswordInput):
                continue
            key = self.add_prefix(name)
            # A text area keeps its line breaks; a one-line input cannot show one, so a break
            # pasted into it (Word's vertical tab in a unit's name) is dropped, as the browser
            # drops CR and LF typed into such an input.
            multiline = isinstance(field.widget, forms.Textarea)
            # A multi-widget posts key_0, key_1, …
            yield from [(k, multiline) for k in data if k == key or k.startswith(f"{key}_")]

    def _normalised(self, data):
        data = data.copy()
        for key, multiline in list(self._text_keys(data)):
            clean = clean_text if multiline else _clean_line
            if isinstance(data, MultiValueDict):
                data.setlist(key, [clean(v) if isinstance(v, str) else v
                                   for v in data.getlist(key)])
            elif isinstance(data[key], str):
                data[key] = clean(data[key])
        return data


class PortalForm(NormalisedTextMixin, forms.Form):
    """A plain form of the portal."""


class PortalModelForm(NormalisedTextMixin, forms.ModelForm):
    """A model form of the portal; also the default form of every Django admin page."""


def posted_version(post) -> int:
    """The `version` an autosaved form was loaded at, from its POST data (int); -1 when missing
    or not a number, which no stored row has, so the save is refused as stale."""
    try:
        return int(post.get("version", ""))
    except ValueError:
        return -1


def score_row_values(stored, typed: dict | None, text_field: str) -> tuple[str, str]:
    """(value, text) a score row of a form shows: what was typed (`typed`, a dict with "value"
    and `text_field`) when the form comes back with errors, else the stored score (`stored`,
    a row with `value` (Decimal or None) and `text_field`, or None) written without trailing
    zeros. Shared by the expert's sheet and a center's self-scores."""
    if typed is not None:
        return typed["value"], typed[text_field]
    if stored is None:
        return "", ""
    value = "" if stored.value is None else f"{stored.value.normalize():f}"
    return value, getattr(stored, text_field)
