"""The signed-in user and their roles kept in the cache (accounts.authentication): read
without a query, and yet every change applies on the next request, for that user only; with
Redis down every page still answers."""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from accounts.models import RoleAssignment
from tests.factories import PASSWORD
from tests.utils import dead_redis

LOGIN = reverse("login")
DISTRICT = reverse("dashboard_district")
COMMISSION = reverse("dashboard_commission")


def sign_in(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def queries_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_second_page_reads_neither_the_user_nor_the_roles(client, official_laoshan):
    sign_in(client, official_laoshan)
    queries_of(client, DISTRICT)

    sql = queries_of(client, DISTRICT)

    assert not [q for q in sql if q.startswith('SELECT "accounts_user"')
                and f'"accounts_user"."id" = {official_laoshan.pk}' in q]
    assert not [q for q in sql if 'FROM "accounts_roleassignment"' in q]


def test_a_role_taken_applies_on_the_next_request(client, official_laoshan):
    sign_in(client, official_laoshan)
    assert client.get(DISTRICT).status_code == 200

    RoleAssignment.objects.filter(user=official_laoshan).delete()

    assert client.get(DISTRICT).status_code == 403


def test_a_role_given_applies_on_the_next_request(client, official_laoshan, commission):
    sign_in(client, official_laoshan)
    assert client.get(COMMISSION).status_code == 403
    assert "市发展改革委工作台" not in client.get(DISTRICT).content.decode()

    RoleAssignment.objects.create(user=official_laoshan, role=Role.COMMISSION_STAFF,
                                  department=commission)

    assert client.get(COMMISSION).status_code == 200
    assert "市发展改革委工作台" in client.get(DISTRICT).content.decode()


def test_a_disabled_account_is_signed_out_on_the_next_request(client, official_laoshan):
    sign_in(client, official_laoshan)
    assert client.get(DISTRICT).status_code == 200

    official_laoshan.is_active = False
    official_laoshan.save(update_fields=["is_active"])

    response = client.get(DISTRICT)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_a_password_changed_elsewhere_ends_the_session(client, official_laoshan):
    sign_in(client, official_laoshan)
    assert client.get(DISTRICT).status_code == 200

    official_laoshan.set_password("Another#2027")
    official_laoshan.save()

    response = client.get(DISTRICT)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_a_renamed_unit_shows_on_the_next_request(client, applicant_a, org_a):
    sign_in(client, applicant_a)
    page = reverse("organisation_profile")
    assert org_a.name in client.get(page).content.decode()

    org_a.name = "青岛海智数字科技有限公司"
    org_a.save(update_fields=["name"])

    assert "青岛海智数字科技有限公司" in client.get(page).content.decode()


def test_each_user_sees_their_own_name_and_roles(official_laoshan, commission_staff):
    from django.test import Client

    first, second = sign_in(Client(), official_laoshan), sign_in(Client(), commission_staff)
    for _ in range(2):
        district = first.get(DISTRICT).content.decode()
        commission_page = second.get(COMMISSION).content.decode()
        assert official_laoshan.display_name in district
        assert commission_staff.display_name not in district
        assert commission_staff.display_name in commission_page
        assert official_laoshan.display_name not in commission_page
        assert first.get(COMMISSION).status_code == 403
        assert second.get(DISTRICT).status_code == 403


@pytest.mark.django_db
def test_with_redis_down_pages_answer_and_roles_still_apply(settings, client, official_laoshan):
    dead_redis(settings)

    sign_in(client, official_laoshan)
    assert client.get(DISTRICT).status_code == 200
    assert client.get(DISTRICT).status_code == 200

    RoleAssignment.objects.filter(user=official_laoshan).delete()
    assert client.get(DISTRICT).status_code == 403
