"""The phone number field of every model that stores one (applications, organisations)."""

from django import forms
from django.db import models

from .validators import normalize_phone, validate_phone


class PhoneFormField(forms.CharField):
    """Accepts any Chinese number as people write it and hands on its stored form."""

    default_validators = [validate_phone]

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value


class PhoneNumberField(models.CharField):
    """A telephone number (mobile, landline with any area code and extension, 400/800), stored
    normalised: 13812345678, 010-62781234, 0532-88886666转123, 400-812-3456."""

    description = "电话号码"
    default_validators = [validate_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})
