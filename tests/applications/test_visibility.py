"""Everyone sees only what is theirs: applications, their pages and files."""

import pytest
from django.urls import reverse

from applications.selectors import applications_visible_to

pytestmark = pytest.mark.django_db

APPLICANT_PAGES = [
    ("applications:detail", ()),
    ("applications:step", ("lead",)),
    ("applications:step", ("commitment",)),
]


@pytest.mark.parametrize("name,extra", APPLICANT_PAGES)
def test_another_applicant_gets_404(draft_a, role_client, name, extra):
    url = reverse(name, args=[draft_a.pk, *extra])
    assert role_client("applicant").get(url).status_code == 200
    assert role_client("applicant_b").get(url).status_code == 404


@pytest.mark.parametrize("name", ["applications:submit", "applications:withdraw"])
def test_another_applicant_cannot_act_on_it(submitted_a, role_client, name):
    response = role_client("applicant_b").post(reverse(name, args=[submitted_a.pk]))
    assert response.status_code == 404
    submitted_a.refresh_from_db()
    assert submitted_a.status == "submitted"


def test_district_sees_submitted_applications_of_its_district_only(draft_b, submitted_a,
                                                                   role_user):
    laoshan, jimo = role_user("district_official"), role_user("district_official_b")
    assert list(applications_visible_to(laoshan)) == [submitted_a]
    assert list(applications_visible_to(jimo)) == []  # draft_b is a draft: not yet sent


def test_district_official_may_read_but_not_edit(submitted_a, role_client):
    client = role_client("district_official")
    assert client.get(reverse("applications:detail", args=[submitted_a.pk])).status_code == 200
    response = client.get(reverse("applications:step", args=[submitted_a.pk, "lead"]))
    assert response.status_code == 403


def test_commission_sees_all_and_others_see_nothing(draft_a, draft_b, role_user):
    assert applications_visible_to(role_user("commission_staff")).count() == 2
    for role in ("expert", "auditor", "industry_staff", "third_party_staff"):
        assert applications_visible_to(role_user(role)).count() == 0, role
