"""The commission's results page, disagreement resolution, leniency, the proposed list and
the exports (第九条（三））."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.enums import ApplicationStatus
from core.models import AuditEvent
from experts import results
from experts.enums import ProposedListStatus, RoundStatus
from experts.models import AuthorityOpinion, ProposedList, ResultsDocument, ReviewRound
from experts.results_selectors import leniency_rows
from experts.scoring import round_results_compute

from .conftest import expert_review_application, make_expert
from .results_helpers import sheet_for

pytestmark = pytest.mark.django_db

# The same at 1 and 30 entries: the page reads sheets, scores and opinions in one query each.
QUERY_BUDGET = 20


def _close(round_):
    ReviewRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    round_.refresh_from_db()
    round_results_compute(round=round_)


@pytest.fixture
def scored(review_round, expert_review_apps):
    """a: 80/90 + one recused (85.00); b: 70/72 (71.00); c: 60/95 flagged (77.50)."""
    a, b, c = expert_review_apps
    sheet_for(review_round, a, total=80)
    sheet_for(review_round, a, total=90)
    sheet_for(review_round, a, total=20, assignment_status="recused")
    sheet_for(review_round, b, total=70)
    sheet_for(review_round, b, total=72)
    sheet_for(review_round, c, total=60)
    sheet_for(review_round, c, total=95)
    _close(review_round)
    return review_round


def _url(round_, name="experts:round_results"):
    return reverse(name, args=[round_.pk])


def test_results_page_shows_ranking_sheets_flags_and_opinions(scored, role_client,
                                                             industry_authority,
                                                             industry_staff,
                                                             expert_review_apps):
    AuthorityOpinion.objects.create(round=scored, application=expert_review_apps[2],
                                    department=industry_authority, opinion="建议重点支持。",
                                    author=industry_staff)
    page = role_client("commission_staff").get(_url(scored)).content.decode()
    assert "85.00" in page and "71.00" in page and "77.50" in page
    assert page.index("85.00") < page.index("77.50") < page.index("71.00")
    assert "已回避（不计入）" in page
    assert "待处理" in page and "分歧阈值" in page
    assert "建议重点支持。" in page
    assert "仅供参考" in page


def test_results_page_refused_to_others(scored, role_client):
    for role in ("expert", "industry_staff", "third_party_staff", "applicant"):
        assert role_client(role).get(_url(scored)).status_code == 403


def test_field_filter(scored, role_client, expert_review_apps):
    field = expert_review_apps[0].industry_field
    response = role_client("commission_staff").get(_url(scored), {"field": field.pk})
    assert response.status_code == 200 and "领域内排名" in response.content.decode()


def _many(round_, call, count):
    expert = make_expert()
    for i in range(count):
        application = expert_review_application(call)
        round_.entries.create(application=application)
        sheet_for(round_, application, expert=expert, total=60 + i % 30)
        sheet_for(round_, application, total=70)
    _close(round_)


@pytest.mark.parametrize("count", [1, 30])
def test_results_page_queries_fixed(count, review_call, commission_staff, client,
                                    django_assert_max_num_queries):
    import datetime

    from django.utils import timezone

    from experts.rubrics import rubric_install_default

    round_ = ReviewRound.objects.create(call=review_call, title="查询数",
                                        deadline=timezone.now() + datetime.timedelta(days=1),
                                        created_by=commission_staff)
    rubric_install_default(round_)
    _many(round_, review_call, count)
    client.force_login(commission_staff)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(_url(round_))
    assert response.status_code == 200


def test_resolve_flag_records_note_and_audit(scored, role_client, expert_review_apps):
    entry = scored.entries.get(application=expert_review_apps[2])
    client = role_client("commission_staff")
    url = reverse("experts:entry_resolve", args=[scored.pk, entry.pk])
    assert client.post(url, {"note": ""}).status_code == 302
    entry.refresh_from_db()
    assert entry.flag_open
    client.post(url, {"note": "经复核，评分差异源于对技术攻关能力的理解不同，维持原评分。"})
    entry.refresh_from_db()
    assert not entry.flag_open and entry.resolved_by and entry.aggregate == D("77.50")
    assert AuditEvent.objects.filter(action="round_entry.resolve").count() == 1
    assert role_client("expert").post(url, {"note": "x"}).status_code == 403


def test_leniency_only_from_five_sheets(review_round, review_call, expert_review_apps):
    lenient = make_expert("宽松专家")
    apps = list(expert_review_apps)
    for _ in range(2):
        application = expert_review_application(review_call)
        review_round.entries.create(application=application)
        apps.append(application)
    for i, application in enumerate(apps):
        sheet_for(review_round, application, expert=lenient, total=90)
        sheet_for(review_round, application, total=80)
    _close(review_round)
    rows = {r["expert"]: r for r in leniency_rows(review_round)}
    assert rows["宽松专家"]["sheets"] == 5 and rows["宽松专家"]["deviation"] == D("10.00")
    others = [r for name, r in rows.items() if name != "宽松专家"]
    assert all(r["deviation"] is None for r in others)
    # A diagnostic only: the aggregates are untouched.
    assert set(review_round.entries.values_list("aggregate", flat=True)) == {D("85.00")}


def _chosen(*apps):
    return [{"application_id": a.pk, "note": f"说明{a.pk}"} for a in apps]


def test_proposed_list_refuses_an_unresolved_flag(scored, commission_staff,
                                                  expert_review_apps):
    a, b, c = expert_review_apps
    with pytest.raises(results.ResultsError, match="分歧"):
        results.proposed_list_save(round=scored, actor=commission_staff, chosen=_chosen(a, c))
    entry = scored.entries.get(application=c)
    results.entry_resolve(entry=entry, actor=commission_staff, note="已复核。")
    saved = results.proposed_list_save(round=scored, actor=commission_staff,
                                       chosen=_chosen(c, a))
    assert [e.application_id for e in saved.entries.order_by("position")] == [a.pk, c.pk]


def test_proposed_list_needs_a_closed_round(review_round, commission_staff,
                                            expert_review_apps):
    with pytest.raises(results.ResultsError, match="评审结束"):
        results.proposed_list_save(round=review_round, actor=commission_staff,
                                   chosen=_chosen(expert_review_apps[0]))


def test_freeze_moves_applications_and_snapshots_once(scored, commission_staff,
                                                     expert_review_apps):
    a, b, c = expert_review_apps
    saved = results.proposed_list_save(round=scored, actor=commission_staff, chosen=_chosen(a))
    frozen = results.proposed_list_freeze(proposed_list=saved, actor=commission_staff)
    assert frozen.status == ProposedListStatus.FROZEN and frozen.frozen_by == commission_staff
    snapshot = frozen.results_snapshot
    assert snapshot["method"] == scored.aggregation
    by_app = {e["application_id"]: e for e in snapshot["entries"]}
    assert by_app[a.pk]["proposed"] and by_app[a.pk]["aggregate"] == "85.00"
    assert sorted(s["total"] for s in by_app[a.pk]["sheets"] if s["counted"]) == ["80.00",
                                                                                 "90.00"]
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.status == ApplicationStatus.PROPOSED
    assert b.status == c.status == ApplicationStatus.NOT_PROPOSED
    with pytest.raises(results.ResultsError):
        results.proposed_list_freeze(proposed_list=saved, actor=commission_staff)
    with pytest.raises(results.ResultsError):
        results.proposed_list_save(round=scored, actor=commission_staff, chosen=_chosen(b))
    with pytest.raises(results.ResultsError):
        results.entry_resolve(entry=scored.entries.get(application=c), actor=commission_staff,
                              note="晚了")
    assert AuditEvent.objects.filter(action="proposedlist.freeze").count() == 1


def test_proposed_page_defaults_to_top_and_freezes_once(scored, role_client,
                                                       expert_review_apps):
    from core.formtokens import form_token_new

    a, b, c = expert_review_apps
    client = role_client("commission_staff")
    page = client.get(_url(scored, "experts:proposed_list")).content.decode()
    assert f'value="{a.pk}" id="chosen-{a.pk}" checked' in page
    assert f'value="{c.pk}" id="chosen-{c.pk}" checked' not in page  # flag open
    refused = client.post(_url(scored, "experts:proposed_list"),
                          {"chosen": [a.pk, c.pk], f"note_{a.pk}": "得分第一", "intent": "save"})
    assert refused.status_code == 400 and "得分第一" in refused.content.decode()
    token = form_token_new()
    data = {"chosen": [a.pk, b.pk], f"note_{a.pk}": "得分第一", "intent": "freeze",
            "form_token": token}
    first = client.post(_url(scored, "experts:proposed_list"), data)
    second = client.post(_url(scored, "experts:proposed_list"), data)
    assert first.status_code == second.status_code == 302
    proposed = ProposedList.objects.get(call=scored.call)
    assert proposed.status == ProposedListStatus.FROZEN
    assert AuditEvent.objects.filter(action="proposedlist.freeze").count() == 1
    assert "已确定并锁定" in client.get(_url(scored, "experts:proposed_list")).content.decode()


def test_excel_exports_are_private_and_audited(scored, role_client):
    client = role_client("commission_staff")
    summary = client.get(_url(scored, "experts:results_summary_xlsx"))
    assert summary.status_code == 200 and "no-store" in summary["Cache-Control"]
    sheet = load_workbook(io.BytesIO(summary.content)).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "通知内排名" and any("专业基础与团队经费保障" in h for h in header)
    assert [r[header.index("汇总得分")] for r in sheet.iter_rows(min_row=2, values_only=True)
            ] == [85.0, 77.5, 71.0]
    sheets = client.get(_url(scored, "experts:results_sheets_xlsx"))
    workbook = load_workbook(io.BytesIO(sheets.content))
    assert len(workbook.worksheets) == 7
    assert AuditEvent.objects.filter(action__in=["review_round.summary_export",
                                                 "review_round.sheets_export"]).count() == 2
    assert role_client("expert").get(_url(scored, "experts:results_sheets_xlsx")
                                     ).status_code == 403


def test_pdf_rendered_by_the_worker_and_downloaded(scored, role_client, celery_eager,
                                                    django_capture_on_commit_callbacks):
    client = role_client("commission_staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(scored, "experts:results_pdf_request"))
    assert response.status_code == 302
    document = ResultsDocument.objects.get(round=scored)
    assert document.status == ResultsDocument.Status.READY, document.error
    assert document.content["experts"]  # signature lines
    download = client.get(reverse("experts:results_pdf_download", args=[scored.pk, document.pk]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="review_round.results_pdf_download").exists()


def test_pdf_refused_before_close_and_pending_not_served(review_round, role_client,
                                                         commission_staff):
    with pytest.raises(results.ResultsError):
        results.results_pdf_request(round=review_round, actor=commission_staff)
    page = role_client("commission_staff").get(_url(review_round)).content.decode()
    assert "尚未结束" in page
    ReviewRound.objects.filter(pk=review_round.pk).update(status=RoundStatus.CLOSED)
    review_round.refresh_from_db()
    document = ResultsDocument.objects.create(round=review_round, content={},
                                              requested_by=commission_staff)
    url = reverse("experts:results_pdf_download", args=[review_round.pk, document.pk])
    assert role_client("commission_staff").get(url).status_code == 404


def test_frozen_list_read_only_in_admin(scored, commission_admin, client, expert_review_apps):
    saved = results.proposed_list_save(round=scored, actor=commission_admin,
                                       chosen=_chosen(expert_review_apps[0]))
    results.proposed_list_freeze(proposed_list=saved, actor=commission_admin)
    client.force_login(commission_admin)
    change = client.get(reverse("admin:experts_proposedlist_change", args=[saved.pk]))
    assert change.status_code == 200 and 'name="note"' not in change.content.decode()
    assert client.post(reverse("admin:experts_proposedlist_change", args=[saved.pk]),
                       {"note": "改"}).status_code == 403


@pytest.mark.parametrize("count", [1, 30])
def test_proposed_page_queries_fixed(count, review_call, commission_staff, client,
                                     django_assert_max_num_queries):
    import datetime

    from django.utils import timezone

    from experts.rubrics import rubric_install_default

    round_ = ReviewRound.objects.create(call=review_call, title="查询数",
                                        deadline=timezone.now() + datetime.timedelta(days=1),
                                        created_by=commission_staff)
    rubric_install_default(round_)
    _many(round_, review_call, count)
    client.force_login(commission_staff)
    with django_assert_max_num_queries(12):
        response = client.get(_url(round_, "experts:proposed_list"))
    assert response.status_code == 200


def test_an_open_rounds_drafts_have_no_total_and_no_count_is_shown(
        review_round, expert_review_apps, role_client):
    """Only handed-in sheets are weighed; until the round closes no stored count is shown."""
    from experts.enums import RoundStatus, SheetStatus
    from experts.models import ReviewRound

    from .results_helpers import sheet_for

    ReviewRound.objects.filter(pk=review_round.pk).update(status=RoundStatus.OPEN)
    sheet_for(review_round, expert_review_apps[0], total=73, status=SheetStatus.DRAFT)
    page = role_client("commission_staff").get(
        reverse("experts:round_results", args=[review_round.pk])).content.decode()
    assert "73.00" not in page and "0 份" not in page


def test_entry_page_shows_every_criterion_and_comment_of_its_sheets(scored, role_client,
                                                                    expert_review_apps):
    """The ranking shows each sheet's total; the entry's own page the scores per criterion."""
    from experts.models import ScoreSheet

    entry = scored.entries.get(application=expert_review_apps[0])
    ScoreSheet.objects.filter(assignment__application=expert_review_apps[0],
                              assignment__status="committed").update(
        overall_comment="材料翔实，方案可行。")
    client = role_client("commission_staff")
    ranking = client.get(_url(scored)).content.decode()
    link = reverse("experts:round_entry", args=[scored.pk, entry.pk])
    assert link in ranking and "专业基础与团队经费保障" not in ranking
    page = client.get(link).content.decode()
    assert "专业基础与团队经费保障" in page and "85.00" in page
    assert "80.00" in page and "90.00" in page and "已回避（不计入）" in page
    assert "材料翔实，方案可行。" in page
    other = ReviewRound.objects.create(call=scored.call, title="另一轮",
                                       deadline=scored.deadline,
                                       created_by=scored.created_by)
    assert client.get(reverse("experts:round_entry",
                              args=[other.pk, entry.pk])).status_code == 404


def test_leniency_is_kept_until_a_counted_sheet_changes(review_round, review_call,
                                                        expert_review_apps,
                                                        django_assert_num_queries):
    """The diagnostic reads every score of the round: it is computed once and kept until a
    sheet is submitted, reopened or left out."""
    from experts.models import ScoreSheet

    lenient = make_expert("宽松专家")
    for application in expert_review_apps:
        sheet_for(review_round, application, expert=lenient, total=90)
        sheet_for(review_round, application, total=80)
    first = {r["expert"]: r["sheets"] for r in leniency_rows(review_round)}
    assert first["宽松专家"] == 3
    with django_assert_num_queries(2):  # the criteria and the fingerprint
        assert {r["expert"]: r["sheets"] for r in leniency_rows(review_round)} == first
    # A sheet reopened (back to draft, version moved on) no longer counts.
    sheet = ScoreSheet.objects.filter(assignment__expert=lenient).first()
    ScoreSheet.objects.filter(pk=sheet.pk).update(status="draft", version=sheet.version + 1)
    assert {r["expert"]: r["sheets"] for r in leniency_rows(review_round)}["宽松专家"] == 2
