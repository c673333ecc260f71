"""A round's lifecycle and rubric (第九条（三））: the workflow, entries, the frozen rubric, and
the admin calling the same services."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from core.models import AuditEvent, StatusChange
from experts import rounds
from experts.enums import RoundStatus
from experts.models import ReviewRound, RoundEntry
from experts.rubrics import DEFAULT_RUBRIC, RubricError, rubric_freeze
from tests.factories import ApplicationFactory

from .conftest import expert_review_application
from .results_helpers import sheet_for

pytestmark = pytest.mark.django_db

ROWS = [{"name": "甲", "description": "", "max_score": "10", "weight": "60"},
        {"name": "乙", "description": "", "max_score": "20", "weight": "40"}]


def test_round_create_installs_default_rubric(review_call, commission_staff):
    round_ = rounds.round_create(actor=commission_staff, call=review_call, title="材料评审",
                                 deadline=timezone.now() + datetime.timedelta(days=3))
    assert round_.criteria.count() == len(DEFAULT_RUBRIC)
    assert AuditEvent.objects.filter(action="review_round.create").exists()


def test_rubric_save_checks_weights_and_frozen(review_round, commission_staff):
    with pytest.raises(RubricError, match="100"):
        rounds.rubric_save(round=review_round, actor=commission_staff,
                           rows=[{**ROWS[0], "weight": "50"}, ROWS[1]])
    saved = rounds.rubric_save(round=review_round, actor=commission_staff, rows=ROWS)
    assert [(c.name, c.weight) for c in saved] == [("甲", D("60")), ("乙", D("40"))]
    rubric_freeze(review_round)
    with pytest.raises(RubricError, match="锁定"):
        rounds.rubric_save(round=review_round, actor=commission_staff, rows=ROWS)


def test_rubric_save_refuses_others(review_round, industry_staff):
    with pytest.raises(PermissionDenied):
        rounds.rubric_save(round=review_round, actor=industry_staff, rows=ROWS)


def test_open_enters_expert_review_applications_idempotently(review_call, commission_staff):
    apps = [expert_review_application(review_call) for _ in range(2)]
    ApplicationFactory(call=review_call, submitted=True, status=ApplicationStatus.RECOMMENDED)
    round_ = rounds.round_create(actor=commission_staff, call=review_call, title="材料评审",
                                 deadline=timezone.now() + datetime.timedelta(days=3))
    RoundEntry.objects.create(round=round_, application=apps[0])
    opened = rounds.round_open(round=round_, actor=commission_staff)
    assert opened.status == RoundStatus.OPEN and opened.opened_at
    assert set(opened.entries.values_list("application_id", flat=True)) == {a.pk for a in apps}
    assert rounds.round_entries_enter(opened) == 0
    with pytest.raises(rounds.RoundError):
        rounds.round_open(round=opened, actor=commission_staff)
    assert StatusChange.objects.filter(transition="open").count() == 1


def test_close_computes_results(review_round, expert_review_apps, commission_staff):
    ReviewRound.objects.filter(pk=review_round.pk).update(status=RoundStatus.OPEN)
    sheet_for(review_round, expert_review_apps[0], total=80)
    sheet_for(review_round, expert_review_apps[0], total=90)
    closed = rounds.round_close(round=review_round, actor=commission_staff)
    assert closed.status == RoundStatus.CLOSED and closed.closed_at
    entry = closed.entries.get(application=expert_review_apps[0])
    assert entry.aggregate == D("85.00") and entry.computed_at
    assert AuditEvent.objects.filter(action="review_round.results_compute").exists()


def _admin_data(round_, rows, **extra):
    data = {"call": round_.call_id, "title": round_.title, "kind": round_.kind,
            "deadline_0": timezone.localtime(round_.deadline).strftime("%Y-%m-%d"),
            "deadline_1": "10:00:00", "experts_per_application": "3",
            "aggregation": round_.aggregation, "disagreement_threshold": "15",
            "criteria-TOTAL_FORMS": str(len(rows)), "criteria-INITIAL_FORMS": "0",
            "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "1000", **extra}
    for i, row in enumerate(rows):
        data.update({f"criteria-{i}-order": str(i + 1), f"criteria-{i}-name": row["name"],
                     f"criteria-{i}-description": "", f"criteria-{i}-max_score": row["max_score"],
                     f"criteria-{i}-weight": row["weight"]})
    return data


@pytest.fixture
def admin_client_(commission_admin, client):
    client.force_login(commission_admin)
    return client


def test_admin_creates_a_round_with_the_default_rubric(review_call, admin_client_):
    client = admin_client_
    round_ = ReviewRound(call=review_call, title="后台创建",
                         deadline=timezone.now() + datetime.timedelta(days=5))
    response = client.post(reverse("admin:experts_reviewround_add"), _admin_data(round_, []))
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ReviewRound.objects.get(title="后台创建")
    assert created.criteria.count() == len(DEFAULT_RUBRIC)


def test_admin_refuses_weights_not_summing_to_100(review_call, admin_client_):
    client = admin_client_
    round_ = ReviewRound(call=review_call, title="权重错误",
                         deadline=timezone.now() + datetime.timedelta(days=5))
    response = client.post(reverse("admin:experts_reviewround_add"),
                           _admin_data(round_, [{**ROWS[0], "weight": "50"}, ROWS[1]]))
    assert response.status_code == 200
    assert "权重之和须为100" in response.content.decode()
    assert not ReviewRound.objects.filter(title="权重错误").exists()


def test_admin_rubric_read_only_once_frozen(review_round, admin_client_):
    rubric_freeze(review_round)
    client = admin_client_
    page = client.get(reverse("admin:experts_reviewround_change", args=[review_round.pk]))
    assert page.status_code == 200
    assert 'name="criteria-0-weight"' not in page.content.decode()


def test_admin_actions_open_and_close(review_round, admin_client_):
    client = admin_client_
    url = reverse("admin:experts_reviewround_changelist")
    client.post(url, {"action": "open_rounds", "_selected_action": [review_round.pk]})
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.OPEN
    client.post(url, {"action": "close_rounds", "_selected_action": [review_round.pk]})
    review_round.refresh_from_db()
    assert review_round.status == RoundStatus.CLOSED
    assert review_round.entries.filter(computed_at__isnull=False).count() == 3


def test_admin_entry_and_list_pages_read_only(review_round, admin_client_):
    client = admin_client_
    response = client.get(reverse("admin:experts_roundentry_changelist")
                          + f"?round__id__exact={review_round.pk}&flag=open")
    assert response.status_code == 200
    assert client.get(reverse("admin:experts_proposedlist_changelist")).status_code == 200


def test_admin_invites_an_industry_authority_through_the_audited_service(
        review_call, industry_authority, admin_client_):
    """第三条: the invitation made in the round's admin form is the service's, audited."""
    from core.models import AuditEvent

    round_ = ReviewRound(call=review_call, title="会同评审",
                         deadline=timezone.now() + datetime.timedelta(days=5))
    response = admin_client_.post(
        reverse("admin:experts_reviewround_add"),
        _admin_data(round_, [], invited_authorities=[industry_authority.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    created = ReviewRound.objects.get(title="会同评审")
    assert list(created.invited_authorities.all()) == [industry_authority]
    assert AuditEvent.objects.filter(action="review_round.invite_authorities").exists()


def test_a_round_closes_before_its_deadline_only_with_every_sheet_in(
        review_round, expert_review_apps, commission_staff, monkeypatch):
    """Closing early would drop sheets the experts may still hand in; at the deadline's second
    it is still early, one second later unsubmitted sheets are left out."""
    from experts.models import Assignment
    from experts.rounds import RoundError, round_close, round_open
    from .conftest import make_expert

    opened = round_open(round=review_round, actor=commission_staff)
    Assignment.objects.create(round=opened, application=expert_review_apps[0],
                              expert=make_expert(), assigned_by=commission_staff)
    deadline = opened.deadline
    monkeypatch.setattr(timezone, "now", lambda: deadline)
    with pytest.raises(RoundError, match="1份评分表未提交"):
        round_close(round=opened, actor=commission_staff)
    monkeypatch.setattr(timezone, "now", lambda: deadline + datetime.timedelta(seconds=1))
    closed = round_close(round=opened, actor=commission_staff)
    assert closed.status == RoundStatus.CLOSED
