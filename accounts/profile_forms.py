"""The 本单位信息 form: the fields an applicant unit keeps itself."""

from django import forms

from core.forms import PortalModelForm

from .models import Organisation
from .services import ORGANISATION_PROFILE_FIELDS
from .validators import normalize_phone, validate_phone


class OrganisationProfileForm(PortalModelForm):
    """Non-identity fields only; name and 统一社会信用代码 are shown, never posted."""

    class Meta:
        model = Organisation
        fields = ORGANISATION_PROFILE_FIELDS
        widgets = {"registered_on": forms.DateInput(attrs={"type": "date"},
                                                    format="%Y-%m-%d")}

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(validate_phone)
        self.fields["registered_capital"].min_value = 0
        for field in self.fields.values():
            field.disabled = read_only

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])
