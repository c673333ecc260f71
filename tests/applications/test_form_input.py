"""What applicants type, as they type it: phone numbers, pasted Word text, the 500-character
limit counted as the reader sees it."""

import pytest
from django.urls import reverse

from applications.completeness import char_count

pytestmark = pytest.mark.django_db

FAMILY = "👨\u200d👩\u200d👧"  # one user-perceived character, five code points


def step_url(application, step):
    return reverse("applications:step", args=[application.pk, step])


@pytest.fixture
def client_a(role_client):
    return role_client("applicant")


@pytest.mark.parametrize("text, count", [
    ("数" * 499 + FAMILY, 500),
    ("数" * 500 + FAMILY, 501),
    (FAMILY, 1),
    ("e\u0301", 1),  # e + combining acute
    ("🇨🇳", 1),
    ("第一行\r\n第二行", 7),
    ("汉字，abc。1", 8),
])
def test_characters_are_counted_as_the_reader_sees_them(text, count):
    assert char_count(text) == count


def test_499_characters_and_a_family_emoji_are_500_and_accepted(client_a, draft_a):
    text = "数" * 499 + FAMILY
    response = client_a.post(step_url(draft_a, "service"),
                             {"service_summary": text, "construction_content": "内容",
                              "next": "1"})
    assert response.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.service_summary == text


def test_one_more_is_refused_with_the_count_the_reader_sees(client_a, draft_a):
    response = client_a.post(step_url(draft_a, "service"),
                             {"service_summary": "数" * 500 + FAMILY, "next": "1"})
    assert response.status_code == 200
    assert "当前501字" in response.content.decode()


@pytest.mark.parametrize("typed, stored", [
    ("010-62781234", "010-62781234"),
    ("(0531) 8888 6666 转 12", "0531-88886666转12"),
    ("+86 138 1234 5678", "13812345678"),
    ("400 812 3456", "400-812-3456"),
])
def test_phone_numbers_from_anywhere_in_china_are_stored_normalised(client_a, draft_a, typed,
                                                                   stored):
    response = client_a.post(step_url(draft_a, "center"),
                             {"director_phone": typed, "next": "1"})
    assert response.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.director_phone == stored


def test_lead_unit_phone_outside_qingdao_is_accepted(client_a, draft_a):
    client_a.post(step_url(draft_a, "lead"), {"lead-phone": "010-62781234", "next": "1"})
    assert draft_a.units.get(role="lead").phone == "010-62781234"
