"""The step table: every step declares its forms and its save; the view reads it alike."""

import pytest
from django.urls import reverse

from applications import forms
from applications.steps import STEP_KEYS, STEPS, step_forms, step_intent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key, expected", [
    ("lead", {"unit": forms.LeadUnitForm}),
    ("joint", {"choice": forms.JointUnitChoiceForm, "unit": forms.UnitForm}),
    ("center", {"form": forms.CenterForm}),
    ("service", {"form": forms.ServiceForm}),
    ("goals", {"form": forms.GoalsForm}),
    ("plan", {"form": forms.PlanForm}),
    ("attachments", {"upload": forms.AttachmentForm}),
    ("commitment", {"form": forms.CommitmentForm}),
])
def test_each_step_declares_its_forms(draft_a, key, expected):
    built = step_forms(key, draft_a)
    assert {name: type(form) for name, form in built.items()} == expected
    assert not any(form.is_bound for form in built.values())
    bound = step_forms(key, draft_a, data={"x": "1"})
    assert all(form.is_bound for form in bound.values())


def test_every_step_has_a_save_and_an_unknown_step_is_refused(draft_a):
    assert [s.key for s in STEPS] == list(STEP_KEYS)
    assert all(callable(s.forms) and callable(s.save) for s in STEPS)
    with pytest.raises(KeyError):
        step_forms("nope", draft_a)


@pytest.mark.parametrize("posted, intent", [
    ({"next": "1"}, "next"), ({}, "next"), ({"save_and_stay": "1"}, "stay"),
    ({"previous": "1"}, "previous"), ({"upload": "1"}, "upload"),
    ({"submit_application": "1"}, "submit"),
])
def test_the_pressed_button_names_the_intent(posted, intent):
    assert step_intent(posted) == intent


def test_a_post_without_a_button_goes_forward(role_client, draft_a):
    # What Enter in a text field sends when the browser names no button.
    response = role_client("applicant").post(
        reverse("applications:step", args=[draft_a.pk, "center"]), {"center_name": "中心"})
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:step", args=[draft_a.pk, "service"])
