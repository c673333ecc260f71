"""The layout's navigation is rendered once per role set (templates/core/nav_*.html in the
"fragments" cache): each role set gets its own links, and nothing of one user (name, unread
count) shows to another holding the same roles."""

import re

from django.test import Client
from django.urls import reverse

from accounts.enums import Role
from tests.factories import NotificationFactory, staff

HOME = reverse("home")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def nav(client) -> str:
    page = client.get(HOME).content.decode()
    # The sign-out form's CSRF token differs per browser; the rest is compared.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "",
                  page[page.index("<nav"):page.index("</nav>")])


def test_each_role_set_gets_its_own_links(applicant_a, official_laoshan, commission_staff):
    # Rendered (and kept) for one role set first, then asked for by the others.
    applicant_nav = nav(signed_in(applicant_a))
    district_nav = nav(signed_in(official_laoshan))
    commission_nav = nav(signed_in(commission_staff))

    assert "我的申报" in applicant_nav and "本单位信息" in applicant_nav
    assert "主管部门工作台" not in applicant_nav and "市发展改革委工作台" not in applicant_nav
    assert "主管部门工作台" in district_nav and "申报初审" in district_nav
    assert "我的申报" not in district_nav and "本单位信息" not in district_nav
    assert "市发展改革委工作台" in commission_nav and "主管部门工作台" not in commission_nav
    # Asked again, each still gets its own.
    assert nav(signed_in(applicant_a)) == applicant_nav
    assert nav(signed_in(official_laoshan)) == district_nav


def test_users_of_the_same_roles_see_only_their_own_name_and_count(commission, commission_staff):
    colleague = staff(Role.COMMISSION_STAFF, commission, username="colleague", real_name="郑华")
    NotificationFactory(recipient=colleague)
    NotificationFactory(recipient=colleague)

    first = nav(signed_in(commission_staff))
    second = nav(signed_in(colleague))

    assert "吴强" in first and "郑华" not in first
    assert "郑华" in second and "吴强" not in second
    assert 'data-testid="unread-count">2<' in second
    assert 'data-testid="unread-count"' not in first
    assert first.count("市发展改革委工作台") == second.count("市发展改革委工作台") == 1


def test_a_role_or_admin_flag_changed_shows_in_the_next_page(official_laoshan, commission):
    client = signed_in(official_laoshan)
    assert "市发展改革委工作台" not in nav(client) and "管理后台" not in nav(client)

    official_laoshan.role_assignments.create(role=Role.COMMISSION_STAFF, department=commission)
    assert "市发展改革委工作台" in nav(client)

    official_laoshan.is_staff = True
    official_laoshan.save(update_fields=["is_staff"])
    assert "管理后台" in nav(client)

    official_laoshan.role_assignments.filter(role=Role.DISTRICT_OFFICIAL).delete()
    links = nav(client)
    assert "申报初审" not in links and "市发展改革委工作台" in links and "管理后台" in links


def test_the_signed_out_navigation_has_no_role_links(client, applicant_a):
    nav(signed_in(applicant_a))

    links = nav(client)

    assert "登录" in links and "我的申报" not in links and "本单位信息" not in links
