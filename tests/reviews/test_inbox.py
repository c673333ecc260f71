"""The 主管部门's inbox: its own department only, filters, counts, deadlines, overdue rows, and
a fixed number of queries whatever the number of rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Call
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.usefixtures("celery_eager")


def _inbox(client, **params):
    return client.get(reverse("reviews:inbox"), params).content.decode()


def test_only_the_own_department_and_never_drafts(open_call, submitted_a, submitted_b,
                                                  role_client):
    ApplicationFactory(complete=True, call=open_call, center_name="尚未提交的草稿中心")
    page = _inbox(role_client("district_official"))
    assert submitted_a.receipt_number in page
    assert submitted_b.receipt_number not in page
    assert "尚未提交的草稿中心" not in page
    assert submitted_b.receipt_number in _inbox(role_client("district_official_b"))


def test_filters_and_counts(open_call, official_laoshan, role_client):
    ApplicationFactory(submitted=True, call=open_call, center_name="甲赋能中心")
    ApplicationFactory(returned=True, call=open_call, center_name="乙赋能中心")
    client = role_client("district_official")
    page = _inbox(client, status=ApplicationStatus.RETURNED)
    assert "乙赋能中心" in page and "甲赋能中心" not in page
    page = _inbox(client, q="甲赋能")
    assert "甲赋能中心" in page and "乙赋能中心" not in page
    counts = page[page.index('id="status-counts"'):]
    assert "已提交 <span class=\"badge text-bg-secondary\">1</span>" in counts
    assert "退回修改 <span class=\"badge text-bg-secondary\">1</span>" in counts
    assert open_call.district_review_deadline.strftime("%Y年%-m月%-d日") in page


def test_undecided_past_the_deadline_stands_out(open_call, role_client):
    ApplicationFactory(submitted=True, call=open_call)
    Call.objects.filter(pk=open_call.pk).update(
        district_review_deadline=timezone.localdate() - datetime.timedelta(days=1))
    page = _inbox(role_client("district_official"))
    assert 'class="table-danger"' in page and "逾期未审" in page


@pytest.mark.parametrize("rows", [1, 30])
def test_the_inbox_reads_a_fixed_number_of_queries(rows, open_call, official_laoshan,
                                                   role_client, django_assert_max_num_queries):
    for _ in range(rows):
        ApplicationFactory(submitted=True, call=open_call)
    client = role_client("district_official")
    client.get(reverse("reviews:inbox"))  # the session and the user's roles are cached warm
    with django_assert_max_num_queries(13):
        response = client.get(reverse("reviews:inbox"), {"call": open_call.pk})
    assert response.status_code == 200
    assert response.content.decode().count("reviews/") >= rows


def test_the_proposed_list_is_not_read_before_its_notice(open_call, submitted_a, role_client):
    """第九条（三）、（四）: 拟评定 / 未列入 stay the commission's until the public notice: the
    主管部门's inbox, counts, filter and review page read 专家评审, and so does the unit."""
    type(submitted_a).objects.filter(pk=submitted_a.pk).update(
        status=ApplicationStatus.NOT_PROPOSED)
    client = role_client("district_official")
    page = _inbox(client)
    assert "未列入拟评定名单" not in page and "拟评定" not in page
    assert submitted_a.receipt_number in _inbox(client, status=ApplicationStatus.EXPERT_REVIEW)
    counts = page[page.index('id="status-counts"'):]
    assert "专家评审 <span class=\"badge text-bg-secondary\">1</span>" in counts
    review = client.get(reverse("reviews:review", args=[submitted_a.pk])).content.decode()
    assert "拟评定" not in review and "专家评审" in review
    mine = role_client("applicant").get(reverse("applications:mine")).content.decode()
    filtered = role_client("applicant").get(
        reverse("applications:mine"), {"status": ApplicationStatus.EXPERT_REVIEW})
    assert [a.pk for a in filtered.context["page"].object_list] == [submitted_a.pk]
    assert "拟评定" not in mine and "专家评审" in mine
