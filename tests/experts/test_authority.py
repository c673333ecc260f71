"""Industry authorities in a round (第三条、第九条（三）): invited by the commission, they read
the round's applications, give one opinion per application until the proposed list is frozen,
and see results only once the round has closed; another round is not found."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from core.formtokens import FIELD, form_token_new
from core.models import AuditEvent
from experts import roster
from experts.enums import ProposedListStatus, RoundStatus
from experts.models import AuthorityOpinion, ProposedList, ReviewRound, RoundEntry
from tests.factories import DepartmentFactory, department, staff

from .conftest import expert_review_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited_round(review_round, industry_authority, commission_staff):
    roster.round_authorities_set(round_=review_round, departments=[industry_authority],
                                 actor=commission_staff)
    return review_round


@pytest.fixture
def other_authority_staff(db):
    return staff(Role.INDUSTRY_STAFF, DepartmentFactory(name="青岛市商务局", short_name="市商务局"),
                 username="commerce_staff")


def _close(round_):
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    for n, entry in enumerate(round_.entries.order_by("pk"), start=1):
        entry.aggregate, entry.rank_in_call = Decimal("90.50") - n, n
        entry.save(update_fields=["aggregate", "rank_in_call"])


# --- invitations -----------------------------------------------------------------------------

def test_an_invitation_is_audited(review_round, industry_authority, commission_staff):
    roster.round_authorities_set(round_=review_round, departments=[industry_authority],
                                 actor=commission_staff)
    event = AuditEvent.objects.get(action="review_round.invite_authorities")
    assert event.before == {"authorities": []}
    assert event.after == {"authorities": ["青岛市工业和信息化局"]}
    # Setting the same list again records nothing new.
    roster.round_authorities_set(round_=review_round, departments=[industry_authority],
                                 actor=commission_staff)
    assert AuditEvent.objects.filter(action="review_round.invite_authorities").count() == 1


def test_only_authorities_can_be_invited_and_only_by_the_commission(review_round,
                                                                    commission_staff,
                                                                    industry_staff,
                                                                    industry_authority):
    with pytest.raises(ValidationError):
        roster.round_authorities_set(round_=review_round, departments=[department("崂山区")],
                                     actor=commission_staff)
    with pytest.raises(PermissionDenied):
        roster.round_authorities_set(round_=review_round, departments=[industry_authority],
                                     actor=industry_staff)


def test_the_round_admin_mixin_saves_through_the_service(review_round, industry_authority,
                                                         commission_staff, rf):
    from types import SimpleNamespace

    from experts.admin_roster import InvitedAuthoritiesAdminMixin

    class Base:
        def save_related(self, request, form, formsets, change):
            assert "invited_authorities" not in form.cleaned_data

    class Admin(InvitedAuthoritiesAdminMixin, Base):
        pass

    request = rf.post("/")
    request.user = commission_staff
    form = SimpleNamespace(instance=review_round,
                           cleaned_data={"invited_authorities": [industry_authority]})
    Admin().save_related(request, form, [], True)
    assert list(review_round.invited_authorities.all()) == [industry_authority]
    assert AuditEvent.objects.filter(action="review_round.invite_authorities").exists()


# --- pages -----------------------------------------------------------------------------------

def test_the_list_shows_only_invited_rounds(invited_round, review_call, commission_staff,
                                            role_client):
    ReviewRound.objects.create(call=review_call, title="未邀请的现场考察", created_by=commission_staff,
                               deadline=timezone.now())
    page = role_client("industry_staff").get(reverse("experts:authority_rounds")).content.decode()
    assert invited_round.title in page and "未邀请的现场考察" not in page


def test_another_authority_gets_404(invited_round, other_authority_staff, client):
    client.force_login(other_authority_staff)
    assert client.get(reverse("experts:authority_round", args=[invited_round.pk])).status_code \
        == 404
    application = invited_round.entries.first().application
    assert client.get(reverse("experts:authority_application",
                              args=[invited_round.pk, application.pk])).status_code == 404
    attachment = application.attachments.first()
    assert client.get(reverse("experts:authority_attachment",
                              args=[invited_round.pk, application.pk, attachment.pk])
                      ).status_code == 404
    response = client.post(reverse("experts:authority_application",
                                   args=[invited_round.pk, application.pk]),
                           {"opinion": "同意"})
    assert response.status_code == 404 and not AuthorityOpinion.objects.exists()
    page = client.get(reverse("experts:authority_rounds")).content.decode()
    assert invited_round.title not in page


def test_an_application_outside_the_round_is_not_found(invited_round, review_call, role_client):
    outside = expert_review_application(review_call)
    response = role_client("industry_staff").get(
        reverse("experts:authority_application", args=[invited_round.pk, outside.pk]))
    assert response.status_code == 404


def test_results_are_hidden_until_the_round_closes(invited_round, role_client):
    client = role_client("industry_staff")
    url = reverse("experts:authority_round", args=[invited_round.pk])
    entry = invited_round.entries.order_by("pk").first()
    entry.aggregate, entry.rank_in_call = Decimal("88.25"), 1
    entry.save(update_fields=["aggregate", "rank_in_call"])
    page = client.get(url).content.decode()
    assert "88.25" not in page and "汇总得分" not in page and 'id="results-hidden"' in page
    detail = client.get(reverse("experts:authority_application",
                                args=[invited_round.pk, entry.application_id])).content.decode()
    assert "88.25" not in detail and 'id="entry-result"' not in detail

    invited_round.status = RoundStatus.CLOSED
    invited_round.save(update_fields=["status"])
    page = client.get(url).content.decode()
    assert "88.25" in page and "汇总得分" in page
    detail = client.get(reverse("experts:authority_application",
                                args=[invited_round.pk, entry.application_id])).content.decode()
    assert "88.25" in detail


def test_the_application_page_shows_the_content_and_files_leave_a_trace(invited_round,
                                                                        role_client):
    client = role_client("industry_staff")
    application = invited_round.entries.first().application
    page = client.get(reverse("experts:authority_application",
                              args=[invited_round.pk, application.pk])).content.decode()
    assert application.center_name in page and "一、单位基本情况" in page
    attachment = application.attachments.first()
    response = client.get(reverse("experts:authority_attachment",
                                  args=[invited_round.pk, application.pk, attachment.pk]))
    assert response.status_code == 200 and response["Cache-Control"].startswith("private")
    event = AuditEvent.objects.get(action="authority.attachment_download")
    assert event.after["attachment"] == attachment.pk and event.after["round"] == \
        invited_round.pk


def test_an_opinion_is_saved_once_edited_and_locked_after_the_list(invited_round, role_client,
                                                                   industry_staff,
                                                                   industry_authority,
                                                                   commission_staff):
    client = role_client("industry_staff")
    application = invited_round.entries.first().application
    url = reverse("experts:authority_application", args=[invited_round.pk, application.pk])
    token = form_token_new()
    for _ in range(2):  # a double click
        assert client.post(url, {"opinion": "同意推荐。", FIELD: token}).status_code == 302
    opinion = AuthorityOpinion.objects.get()
    assert (opinion.department, opinion.author, opinion.opinion) == (
        industry_authority, industry_staff, "同意推荐。")
    client.post(url, {"opinion": "建议补充服务案例后推荐。", FIELD: form_token_new()})
    opinion.refresh_from_db()
    assert opinion.opinion == "建议补充服务案例后推荐。" and AuthorityOpinion.objects.count() == 1
    assert AuditEvent.objects.filter(action="authority_opinion.save").count() == 2
    round_page = client.get(reverse("experts:authority_round",
                                    args=[invited_round.pk])).content.decode()
    assert "已填写" in round_page

    ProposedList.objects.create(call=invited_round.call, round=invited_round,
                                status=ProposedListStatus.FROZEN, frozen_at=timezone.now())
    response = client.post(url, {"opinion": "改主意了。", FIELD: form_token_new()})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.opinion == "建议补充服务案例后推荐。"
    page = client.get(url).content.decode()
    assert 'id="opinion-form"' not in page and "不能再修改" in page
    with pytest.raises(ValidationError):
        roster.authority_opinion_save(round_=invited_round, application=application,
                                      actor=industry_staff, opinion="改")


def test_an_empty_opinion_keeps_the_form(invited_round, role_client):
    application = invited_round.entries.first().application
    url = reverse("experts:authority_application", args=[invited_round.pk, application.pk])
    response = role_client("industry_staff").post(url, {"opinion": "  "})
    assert response.status_code == 200 and not AuthorityOpinion.objects.exists()


def test_the_dashboard_lists_invited_rounds(invited_round, review_call, commission_staff,
                                            industry_authority, role_client):
    for n in range(11):
        extra = ReviewRound.objects.create(call=review_call, title=f"补充评审{n}",
                                           created_by=commission_staff, deadline=timezone.now())
        extra.invited_authorities.add(industry_authority)
    page = role_client("industry_staff").get(reverse("dashboard_industry")).content.decode()
    assert "补充评审10" in page and 'id="dashboard-full-list"' in page
    assert page.count("/authority/rounds/") >= 10


def test_the_dashboard_without_invitations(role_client, industry_staff):
    page = role_client("industry_staff").get(reverse("dashboard_industry")).content.decode()
    assert "目前没有邀请本部门会同的评审" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_query_counts_are_fixed(invited_round, review_call, commission_staff,
                                          industry_authority, role_client):
    client = role_client("industry_staff")
    rounds_url = reverse("experts:authority_rounds")
    round_url = reverse("experts:authority_round", args=[invited_round.pk])
    _close(invited_round)
    client.get(rounds_url)
    few = (_queries(client, rounds_url), _queries(client, round_url))
    for n in range(29):
        extra = ReviewRound.objects.create(call=review_call, title=f"补充评审{n}",
                                           created_by=commission_staff, deadline=timezone.now())
        extra.invited_authorities.add(industry_authority)
        RoundEntry.objects.create(round=invited_round,
                                  application=expert_review_application(review_call))
    many = (_queries(client, rounds_url), _queries(client, round_url))
    assert few == many and max(many) <= 15


def test_the_commission_reads_the_opinions_by_application(invited_round, industry_staff):
    from experts.selectors import round_authority_opinions

    application = invited_round.entries.first().application
    roster.authority_opinion_save(round_=invited_round, application=application,
                                  actor=industry_staff, opinion="同意。")
    opinions = round_authority_opinions(invited_round)
    assert [o.opinion for o in opinions[application.pk]] == ["同意。"]
    assert opinions[application.pk][0].department.short_name == "市工业和信息化局"
