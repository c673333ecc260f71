"""政策文件 (第二十条): the public page groups the policy documents into 现行有效, 即将施行 and
已失效 by today, each with its 文号, 施行日期, 有效期至 and the published calls run under it, in a
fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import PolicyDocument
from applications.policies import policies_by_validity, policy_validity
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 30)


def _policy(title, start, until=None, number=""):
    return PolicyDocument.objects.create(title=title, document_number=number,
                                         effective_from=start, effective_until=until)


def test_validity_on_a_day_counts_both_ends():
    policy = PolicyDocument(effective_from=DAY, effective_until=DAY + datetime.timedelta(days=9))
    assert policy_validity(policy, DAY - datetime.timedelta(days=1)) == "upcoming"
    assert policy_validity(policy, DAY) == "current"
    assert policy_validity(policy, DAY + datetime.timedelta(days=9)) == "current"
    assert policy_validity(policy, DAY + datetime.timedelta(days=10)) == "expired"
    assert policy_validity(PolicyDocument(effective_from=DAY), DAY.replace(year=2040)) == "current"


def test_the_page_groups_by_today_with_the_calls_run_under_each(client):
    today = timezone.localdate()
    PolicyDocument.objects.all().delete()
    expired = _policy("赋能中心管理办法（试行）", datetime.date(2021, 11, 19),
                      datetime.date(2023, 11, 18), "青发改规〔2021〕5号")
    current = _policy("赋能中心管理办法", today - datetime.timedelta(days=300), None,
                      "青发改规〔2024〕2号")
    upcoming = _policy("赋能中心管理办法（修订）", today + datetime.timedelta(days=30),
                       today + datetime.timedelta(days=30 + 5 * 365), "青发改规〔2026〕9号")
    published = CallFactory(policy=current, title="2026年度赋能中心申报通知")
    draft = CallFactory(policy=current, unpublished=True, title="尚未发布的通知")
    groups = policies_by_validity(today)
    assert (groups.current, groups.upcoming, groups.expired) == ([current], [upcoming], [expired])
    assert groups.current[0].listed_calls == [published]

    page = client.get(reverse("applications:policy_list")).content.decode()
    for text in ("现行有效", "即将施行", "已失效", "青发改规〔2024〕2号", "青发改规〔2026〕9号",
                 "2021年11月19日", "2023年11月18日", "未规定（至修订或废止）", published.title):
        assert text in page
    assert draft.title not in page
    assert page.index("青发改规〔2024〕2号") < page.index("青发改规〔2026〕9号") \
        < page.index("青发改规〔2021〕5号")
    call_page = client.get(reverse("applications:call_detail", args=[published.pk])).content
    assert reverse("applications:policy_list").encode() in call_page


def test_the_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    def add(n, start):
        for i in range(n):
            policy = _policy(f"政策文件{start + i}", datetime.date(2020, 1, 1) +
                             datetime.timedelta(days=start + i))
            CallFactory(policy=policy, title=f"申报通知{start + i}")

    url = reverse("applications:policy_list")
    add(1, 0)
    client.get(url)
    with django_assert_max_num_queries(10) as one:
        assert client.get(url).status_code == 200
    add(29, 1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("申报通知") >= 30
