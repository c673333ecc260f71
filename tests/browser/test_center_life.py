"""The whole life of one center in Chromium, as one continuous course (第七条至第十八条): the
commission publishes a call; 即墨区's unit applies and submits; 即墨区 recommends it and sends
its list; the commission moves it to 专家评审; the experts score it (one in the browser); it is
proposed, put on public notice, the period ends and the commission designates it in admin;
the public directory lists it with its plaque, whose verification page says 有效; the center
records a year of service (the last two records in the browser) and reports a rename, which
its 主管部门 forwards and the commission accepts. Then the yearly evaluation (第十六至十八条):
the unit submits its materials, 即墨区 forwards them and the commission confirms 不合格 in the
browser; a second cycle a year on (services, `now=`) is 不合格 again, which proposes the
revocation (ground 1); the commission tells the center, the unit states its case and the
commission revokes, in the browser; the public list of revoked centers and the plaque's
verification page say 已撤销, and no reminder reaches the revoked center.

The steps other browser tests drive in detail are set up here through the same services
(filling the 申报表: test_application; the experts' rounds: test_expert_*; the notice:
test_designation; the expert sheet of an evaluation: test_expert_scoring): the center's life
stays one test.
"""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Department, User
from applications.demo import CALL_BODY, complete_and_submit
from applications.enums import ApplicationStatus, AttachmentKind
from applications.models import Application, Call, CallMaterial, IndustryField, PolicyDocument
from centers.enums import CenterStatus, NoticeStatus, ServiceKind
from centers.models import Center, Plaque, PublicNotice
from core.models import Notification, WorkdayYear
from core.sweep import run_deadline_sweep
from evaluations import bulletins, cycles, grades, opinions, revocations
from evaluations.enums import EvaluationStatus, Grade, RevocationGround
from evaluations.models import Bulletin, Evaluation, EvaluationCycle, Revocation
from evaluations.reminders import evaluation_reminders
from portal.management.commands.seed_demo import DEMO_PASSWORD
from tests.test_english import english_words

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("celery_eager")]

UNIT_USER, OFFICIAL = "applicant_jimo", "official_jimo"
EXPERTS = ("expert_zhao", "expert_qian", "expert_sun")  # expert_zhao scores in the browser
CALL_TITLE = "关于组织申报青岛市重点产业数字化转型赋能中心的通知（全程测试批次）"
CENTER_NAME = "青岛即墨纺织数字化转型赋能中心"
NEW_NAME = "青岛即墨纺织服装数字化转型赋能中心"
# A valid 统一社会信用代码 (GB 32100-2015) of an enterprise the center serves.
ENTERPRISE_USCC = "91370200MA3C5R8X1D"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _chinese_only(page):
    page.wait_for_load_state()
    assert english_words(page.content()) == [], page.url


def _draft_call() -> Call:
    """The commission's draft call (written in admin's form; published below in the browser)."""
    now = timezone.now()
    call = Call.objects.create(
        year=timezone.localdate().year, title=CALL_TITLE, body=CALL_BODY,
        policy=PolicyDocument.objects.order_by("effective_from").first(),
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=20),
        district_review_deadline=timezone.localdate() + datetime.timedelta(days=30))
    call.industry_fields.set(IndustryField.objects.all())
    for kind in (AttachmentKind.QUALIFICATION, AttachmentKind.CASE, AttachmentKind.SEALED_FORM):
        CallMaterial.objects.create(call=call, kind=kind, is_mandatory=True)
    return call


def _expert_round(call: Call, application: Application):
    """The commission's round on the call (open, deadline in three days) with the three demo
    experts assigned by hand (test_expert_assignments drives these pages)."""
    from experts.assignment import assignment_add
    from experts.models import Expert
    from experts.rounds import round_create, round_open

    commission = User.objects.get(username="commission")
    round_ = round_create(actor=commission, call=call, title="全程测试材料评审",
                          deadline=timezone.now() + datetime.timedelta(days=3),
                          experts_per_application=len(EXPERTS))
    round_ = round_open(round=round_, actor=commission)
    assignments = {username: assignment_add(round=round_, application=application,
                                            expert=Expert.objects.get(user__username=username),
                                            actor=commission)
                   for username in EXPERTS}
    return round_, assignments


def _sheet_by_service(assignment, share: str) -> None:
    """An expert's sheet committed, scored at `share` of every maximum and submitted."""
    from decimal import Decimal

    from experts import sheets

    user = assignment.expert.user
    assignment = sheets.assignment_commit(assignment=assignment, actor=user, accepted=True)
    sheet = sheets.sheet_open(assignment=assignment, actor=user)
    entries = {c.pk: {"value": str((c.max_score * Decimal(share)).quantize(Decimal("0.01"))),
                      "comment": "材料翔实，论证充分。"}
               for c in sheets.round_criteria(assignment.round)}
    sheets.sheet_save(sheet=sheet, actor=user, entries=entries, version=sheet.version,
                      overall_comment="总体符合赋能中心评定条件。", submit=True)


def _propose_and_publish(round_, application) -> PublicNotice:
    """The round closed, the 拟评定名单 saved and frozen, its notice drawn up and published
    from today (test_expert_results and test_designation drive these pages)."""
    from centers.notices import notice_create, notice_publish
    from experts.results import proposed_list_freeze, proposed_list_save
    from experts.rounds import round_close

    commission = User.objects.get(username="commission")
    round_ = round_close(round=round_, actor=commission)
    proposed = proposed_list_save(round=round_, actor=commission, chosen=[
        {"application_id": application.pk, "note": "综合评审得分居前。"}],
        note="依据专家材料评审结果，经主任办公会研究确定。")
    proposed = proposed_list_freeze(proposed_list=proposed, actor=commission)
    # Late in December the period reaches next year: the commission has confirmed its schedule.
    WorkdayYear.objects.get_or_create(year=timezone.localdate().year + 1,
                                      defaults={"is_complete": True})
    notice = notice_create(proposed_list=proposed, actor=commission,
                           starts_on=timezone.localdate(),
                           contact="市发展改革委数字经济处 0532-85911234")
    return notice_publish(notice=notice, actor=commission)


def _at(year: int, month: int, day: int, hour: int = 17) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def _cycle(year: int, opened: datetime.datetime | None = None) -> EvaluationCycle:
    """The commission's cycle of `year` (data window year − 1), its materials due on 20
    January and the 主管部门's review on 20 February of `year`, the demo agency entrusted and
    市工业和信息化局 invited; opened at `opened` (now by default). test_evaluation_materials
    and the cycle pages' tests drive these acts."""
    from evaluations.indicators import table_install_default

    commission = User.objects.get(username="commission")
    cycle = cycles.cycle_create(
        actor=commission, year=year,
        table=table_install_default(actor=commission, name=f"全程测试指标{year}"),
        materials_due=_at(year, 1, 20), district_due=_at(year, 2, 20),
        agency=Department.objects.get(short_name="青岛数字经济评估中心"),
        invited_authorities=[Department.objects.get(short_name="市工业和信息化局")])
    return cycles.cycle_open(cycle=cycle, actor=commission, now=opened)


def _materials_by_service(cycle, center, now) -> None:
    """The unit's materials submitted at `now` and its 主管部门's opinion forwarded."""
    from evaluations import district, materials

    member, official = User.objects.get(username=UNIT_USER), User.objects.get(username=OFFICIAL)
    evaluation = Evaluation.objects.get(cycle=cycle, center=center)
    scores = {i.pk: {"value": (i.weight * Decimal("0.6")).quantize(Decimal("0.01")),
                     "note": "依据服务记录自评。"} for i in cycle.table.indicators.all()}
    evaluation = materials.materials_save(evaluation=evaluation, actor=member, now=now,
                                          report="本年度服务企业数量下降，建设目标未按期完成。",
                                          scores=scores)
    materials.materials_submit(evaluation=evaluation, actor=member, now=now)
    district.opinion_save(evaluation=evaluation, actor=official,
                          opinion="经初审，评价材料完整，同意报送。")
    # The 主管部门 forwards once the materials are due: its other centers may still submit
    # before then (evaluations.district.review_forward).
    district.review_forward(cycle=cycle, department=center.department, actor=official,
                            now=cycle.materials_due + datetime.timedelta(seconds=1))


def _scoring(cycle, center, share: str) -> EvaluationCycle:
    """After the 主管部门's deadline: the cycle's expert round opened, the three experts score
    the center at `share` of every maximum, the round closed; 市工业和信息化局's opinion."""
    from experts.assignment import assignment_add
    from experts.models import Expert, ReviewRound
    from experts.rounds import round_close, round_open

    commission = User.objects.get(username="commission")
    cycle = cycles.cycle_start_scoring(cycle=cycle, actor=commission,
                                       now=cycle.district_due + datetime.timedelta(seconds=1))
    round_ = ReviewRound.objects.get(pk=cycle.review_round_id)
    assert round_.status == "preparing" and round_.deadline > cycle.district_due
    round_ = round_open(round=round_, actor=commission)
    for username in EXPERTS:
        _sheet_by_service(assignment_add(round=round_, application=center.application,
                                         expert=Expert.objects.get(user__username=username),
                                         actor=commission), share)
    round_close(round=round_, actor=commission)
    opinions.opinion_save(evaluation=Evaluation.objects.get(cycle=cycle, center=center),
                          actor=User.objects.get(username="industry"),
                          text="该中心年度服务成效不明显，行业带动作用有待加强。")
    cycle.refresh_from_db()
    return cycle


def _finish(cycle, bulletin_for=None) -> None:
    """Every grade still unconfirmed confirmed as computed, the cycle's grades confirmed (the
    revocation rules run on commit) and published; the 通报 of `bulletin_for`'s 不合格."""
    commission = User.objects.get(username="commission")
    for evaluation in cycle.evaluations.filter(grade="").order_by("pk"):
        grades.grade_confirm(evaluation=evaluation, actor=commission)
    cycle = grades.cycle_confirm(cycle=cycle, actor=commission)
    grades.cycle_publish(cycle=cycle, actor=commission)
    if bulletin_for is not None:
        bulletin = bulletins.bulletin_issue(
            evaluation=Evaluation.objects.get(cycle=cycle, center=bulletin_for),
            actor=commission, reasons="该中心年度运行评价结果为不合格，予以通报。")
        assert Bulletin.objects.get(pk=bulletin.pk).pdf


def _unit_users(center) -> list:
    from applications.services import organisation_members

    return organisation_members(center.application.organisation_id)


def test_the_life_of_one_center(page, portal, log_in, log_out, tmp_path, save_screenshot):
    # Rate limits and lookups count in the cache, which other tests share.
    cache.clear()
    page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()
    member = User.objects.get(username=UNIT_USER)
    organisation = member.role_assignments.get().organisation

    # 1. 申报通知 (第八条): the commission publishes the call in admin; the measures on
    # record are out of force, so it confirms (第二十条).
    call = _draft_call()
    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/admin/applications/call/")
    page.locator(f"input[name=_selected_action][value='{call.pk}']").check()
    page.locator("select[name=action]").select_option("publish_calls")
    page.locator("button[name=index]").click()
    confirm = page.locator("#confirm-publish")
    if confirm.count():
        confirm.click()
    expect(page.locator(".messagelist")).to_contain_text("已发布")
    call.refresh_from_db()
    assert call.status == "published"
    page.goto(f"{portal}/dashboard/")
    log_out(page)

    # 2. 申报: 即墨区's unit finds the call on the home page and starts; the 申报表 is filled
    # through the services (test_application fills it page by page); the unit checks and
    # submits it on the 核对提交 page.
    log_in(page, UNIT_USER, DEMO_PASSWORD)
    page.goto(portal + "/")
    page.locator("#open-calls").get_by_role("link", name=CALL_TITLE, exact=True).click()
    page.locator("#apply-now").click()
    page.wait_for_load_state()
    application = Application.objects.get(call=call, organisation=organisation)
    complete_and_submit(application, member, "纺织服装", center_name=CENTER_NAME, submit=False)
    page.goto(f"{portal}/applications/{application.pk}/review/")
    _chinese_only(page)
    page.check("#confirm-checked")
    page.locator("#confirm-submit").dblclick()
    expect(page.locator("#receipt-number")).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.routed_department.short_name == "即墨区"
    log_out(page)

    # 3. 主管部门初审 and 推荐 (第八条): 即墨区's official recommends and sends the list.
    log_in(page, OFFICIAL, DEMO_PASSWORD)
    page.goto(f"{portal}/district/reviews/")
    page.locator("#review-inbox a", has_text=CENTER_NAME).first.click()
    expect(page.locator("#application-status")).to_have_text("已提交")
    for item in ("authenticity", "accuracy", "conformity"):
        page.check(f"input[name={item}][value=passed]")
    page.fill("#id_opinion", "材料真实、准确、规范，纺织服装行业服务基础扎实，同意推荐。")
    page.locator("#decide-recommend").dblclick()
    page.wait_for_load_state()
    expect(page.locator("#application-status")).to_have_text("已推荐")
    page.goto(f"{portal}/district/recommendations/{call.pk}/")
    page.get_by_role("link", name="报送推荐名单").click()
    confirm = page.locator("#id_confirm_undecided")
    if confirm.count():
        confirm.check()
    page.locator("#batch-submit").dblclick()
    expect(page.locator("#batch-status")).to_contain_text("已报送")
    _chinese_only(page)
    log_out(page)

    # 4. 受理 (第八条): the commission moves it on to 专家评审.
    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/commission/intake/?call={call.pk}&stage=ready")
    row = page.locator("#intake-list tr", has_text=CENTER_NAME)
    row.get_by_role("button", name="转入专家评审").dblclick()
    expect(page.locator(".alert-success")).to_contain_text("转入专家评审")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.EXPERT_REVIEW
    log_out(page)

    # 5. 专家评审 (第九条（三）): three experts assigned; 赵敏 commits and scores in the browser,
    # the other two through the same services.
    round_, assignments = _expert_round(call, application)
    log_in(page, EXPERTS[0], DEMO_PASSWORD)
    page.goto(f"{portal}/dashboard/")
    page.locator("#expert-full-list").click()
    page.locator(f"tr[data-assignment='{assignments[EXPERTS[0]].pk}'] a").click()
    page.check("#id_accept")
    page.locator("#commit-button").click()
    expect(page.locator("#sheet-form")).to_be_visible()
    for criterion in round_.criteria.order_by("order"):
        page.fill(f"#score_{criterion.pk}", str(criterion.max_score * 85 / 100))
    page.fill("#id_overall_comment", "建设方案完整，纺织服装行业服务能力突出。")
    page.locator("#submit-sheet").click()
    expect(page.locator("#sheet-submitted")).to_be_visible()
    _chinese_only(page)
    log_out(page)
    for username, share in zip(EXPERTS[1:], ("0.88", "0.82"), strict=True):
        _sheet_by_service(assignments[username], share)

    # 6. 拟评定名单 and 公示 (第九条（四）): proposed and published; the public reads the notice.
    notice = _propose_and_publish(round_, application)
    page.goto(f"{portal}/notices/")
    page.get_by_role("link", name=notice.title).first.click()
    expect(page.locator("#notice-entries")).to_contain_text(CENTER_NAME)
    _chinese_only(page)

    # 7. 认定 and 授牌: the period ends without objection (its dates moved back, as in
    # test_designation), the sweep closes it, the commission finalises in admin.
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - datetime.timedelta(days=20), ends_on=today - datetime.timedelta(days=13))
    assert run_deadline_sweep()["centers.notices.close_ended_notices"] == 1
    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/admin/centers/publicnotice/")
    page.locator(f"input[name=_selected_action][value='{notice.pk}']").check()
    page.locator("select[name=action]").select_option("finalise_notices")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("已确定认定结果")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.FINALISED
    center = Center.objects.get(notice=notice)
    assert center.name == CENTER_NAME and center.status == CenterStatus.ACTIVE
    assert center.department == Department.objects.get(short_name="即墨区")
    plaque = center.plaques.get()

    # The public directory lists it; the commission downloads the plaque certificate.
    page.goto(f"{portal}/centers/")
    page.get_by_role("link", name=CENTER_NAME).first.click()
    expect(page.get_by_text(plaque.number).first).to_be_visible()
    _chinese_only(page)
    if shutil.which("pdftotext") is not None:
        with page.expect_download() as download:
            page.get_by_role("link", name="下载授牌证书").click()
        pdf = tmp_path / "certificate.pdf"
        download.value.save_as(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert CENTER_NAME in text.replace(" ", "") and plaque.number in text
    log_out(page)
    page.goto(f"{portal}/verify/{plaque.token}/")
    expect(page.locator("#verify-status")).to_have_text("有效")

    # 8. 一年的服务记录 (第十二条): the year passes — the designation dated back to the start of
    # the year in the database — and the center records its year of work (the demo's plan,
    # centers.demo_records, through the record service); its user adds the last two records
    # in the browser and the progress page counts them.
    start = min(today, datetime.date(today.year, 1, 2))
    Center.objects.filter(pk=center.pk).update(designated_on=start)
    Plaque.objects.filter(pk=plaque.pk).update(issued_on=start)
    center.refresh_from_db()
    from centers.demo_records import seed_service_records

    assert seed_service_records([center], today=today) > 0
    log_in(page, UNIT_USER, DEMO_PASSWORD)
    page.goto(f"{portal}/center/{center.pk}/records/")
    page.locator("#record-new-links").get_by_role("link", name="数字化转型培训").click()
    page.get_by_label("日期").fill(today.isoformat())
    page.get_by_label("培训主题").fill("纺织服装企业数字化转型年终专题培训")
    page.get_by_label("学时（小时）").fill("6")
    page.get_by_label("参训人数").fill("45")
    page.locator("#id_ent-0-name").fill("青岛即墨针织机械有限公司")
    page.locator("#id_ent-0-uscc").fill(ENTERPRISE_USCC)
    page.locator("#record-submit").click()
    expect(page.get_by_text("纺织服装企业数字化转型年终专题培训").first).to_be_visible()
    page.goto(f"{portal}/center/{center.pk}/records/")
    page.locator("#record-new-links").get_by_role("link", name="数字化诊断书").click()
    page.get_by_label("日期").fill(today.isoformat())
    page.get_by_label("诊断书名称").fill("青岛即墨针织机械有限公司数字化诊断书")
    page.locator("#id_ent-0-name").fill("青岛即墨针织机械有限公司")
    page.locator("#id_ent-0-uscc").fill(ENTERPRISE_USCC)
    page.locator("#record-submit").click()
    expect(page.get_by_text("青岛即墨针织机械有限公司数字化诊断书").first).to_be_visible()
    _chinese_only(page)
    records = center.service_records.all()
    assert records.count() >= 12 and records.filter(occurred_on=today).count() >= 2
    assert {d.year for d in records.values_list("occurred_on", flat=True)} == {today.year}
    page.goto(f"{portal}/center/{center.pk}/progress/")
    expect(page.locator("body")).to_contain_text("数字化转型培训")
    _chinese_only(page)

    # 9. 变更报告 (第十三条): a rename with its licence change and evidence; 即墨区 forwards it;
    # the commission accepts; the directory shows the new name, the old plaque says 换发.
    evidence = tmp_path / "营业执照变更.pdf"
    evidence.write_bytes(PDF)
    page.goto(f"{portal}/center/{center.pk}/changes/")
    page.get_by_role("link", name="报告变更").click()
    page.get_by_label("依托法人实体重大调整", exact=True).check()
    page.get_by_label("法人实体调整事项（依托法人实体重大调整时填写）").select_option("rename")
    page.get_by_label("营业执照变更（注销）日期").fill(
        max(start, today - datetime.timedelta(days=3)).isoformat())
    page.get_by_label("变更后的赋能中心名称（更名时填写）").fill(NEW_NAME)
    page.locator("#id_summary").fill("依托法人实体更名，赋能中心名称随之变更。")
    page.locator("input[name=files]").set_input_files(str(evidence))
    page.get_by_role("button", name="报主管部门").click()
    expect(page.locator("#change-status")).to_have_text("已报主管部门")
    _chinese_only(page)
    log_out(page)

    log_in(page, OFFICIAL, DEMO_PASSWORD)
    page.goto(f"{portal}/dashboard/")
    page.locator("#district-changes-link").click()
    page.get_by_role("link", name=CENTER_NAME).first.click()
    page.locator("#id_opinion").fill("经核实，依托法人实体已完成更名登记，同意报送。")
    page.get_by_role("button", name="报送市发展改革委").click()
    expect(page.locator("#change-status")).to_have_text("已报送市发展改革委")
    log_out(page)

    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/dashboard/")
    page.locator("#change-overview-link").click()
    page.get_by_role("link", name=CENTER_NAME).first.click()
    page.get_by_label("同意变更", exact=True).check()
    page.locator("#id_reason").fill("同意更名，换发牌匾。")
    page.get_by_role("button", name="提交办理结果").click()
    expect(page.locator("#change-status")).to_have_text("已同意")
    _chinese_only(page)
    log_out(page)
    center.refresh_from_db()
    assert center.name == NEW_NAME
    page.goto(f"{portal}/centers/")
    expect(page.get_by_text(NEW_NAME).first).to_be_visible()
    page.goto(f"{portal}/verify/{plaque.token}/")
    expect(page.locator("#verify-status")).to_contain_text("换发")
    plaque = center.plaques.get(replaced_at__isnull=True)
    page.goto(f"{portal}/verify/{plaque.token}/")
    expect(page.locator("#verify-status")).to_have_text("有效")
    save_screenshot(page, "center-life-before-evaluation")

    # 10. 运行评估评价 (第十六至十八条), the first cycle: year today.year + 1, data window this
    # calendar year (the center was designated on `start`, so it is in scope). The commission
    # sets it up and opens it, 青岛数字经济评估中心 entrusted, 市工业和信息化局 invited.
    commission = User.objects.get(username="commission")
    records_kept = center.service_records.count()
    first = _cycle(today.year + 1)
    evaluation = Evaluation.objects.get(cycle=first, center=center)
    indicators = list(first.table.indicators.order_by("order"))

    # The unit writes its 运行自评估报告 in the browser, self-scores every indicator, attaches
    # a 佐证材料 and submits before the deadline; the year's figures come from its records.
    log_in(page, UNIT_USER, DEMO_PASSWORD)
    page.goto(f"{portal}/center/{center.pk}/")
    page.locator("#center-evaluations-link").click()
    page.get_by_role("link", name="填写运行自评估报告").first.click()
    page.locator("#id_report").fill("本年度围绕纺织服装行业开展培训和诊断服务，完成建设目标阶段任务。")
    page.locator(f"#score_{indicators[0].pk}").fill(str(int(indicators[0].weight) - 1))
    proof = tmp_path / "服务记录汇总.pdf"
    proof.write_bytes(PDF)
    files = page.locator(f"#files-{indicators[0].pk}")
    files.locator("input[type=file]").set_input_files(str(proof))
    files.get_by_role("button", name="上传").click()
    page.wait_for_url(f"**#files-{indicators[0].pk}")
    expect(page.locator(f"#files-{indicators[0].pk}")).to_contain_text("服务记录汇总.pdf")
    for indicator in indicators:
        page.locator(f"#score_{indicator.pk}").fill(str(int(indicator.weight) - 1))
    page.locator("#submit-materials").click()
    page.wait_for_load_state()
    assert "评价材料已报送主管部门" in page.content()
    _chinese_only(page)
    log_out(page)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    trainings = center.service_records.filter(kind=ServiceKind.TRAINING,
                                              occurred_on__year=today.year).count()
    assert evaluation.figures["services"]["trainings"] == trainings >= 1

    # 即墨区 gives its opinion and forwards its 审查意见 in the browser (PDF queued), once the
    # materials are due (its other centers could submit until then): the deadline is moved to
    # the second before, as the other steps move their dates.
    EvaluationCycle.objects.filter(pk=first.pk).update(
        materials_due=timezone.now() - datetime.timedelta(seconds=1))
    log_in(page, OFFICIAL, DEMO_PASSWORD)
    page.goto(f"{portal}/district/evaluations/?cycle={first.pk}")
    page.locator("#district-evaluation-rows tr", has_text=NEW_NAME).get_by_role(
        "link", name="初审", exact=True).click()
    page.locator("#id_opinion").fill("经初审，评价材料完整，年度数据与服务记录一致，同意报送。")
    page.get_by_role("button", name="保存初审意见").click()
    page.wait_for_load_state()
    page.goto(f"{portal}/district/evaluations/?cycle={first.pk}")
    page.locator("#forward-button").click()
    expect(page.locator("#district-forwarded")).to_be_visible()
    _chinese_only(page)
    log_out(page)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.FORWARDED and evaluation.forwarding.pdf

    # The agency's experts score it low and 市工业和信息化局 gives its opinion (test_expert_scoring
    # drives the sheet); the grades are computed.
    first = _scoring(first, center, share="0.50")
    grades.grades_compute(cycle=first, actor=commission)
    evaluation.refresh_from_db()
    assert evaluation.computed_grade == Grade.FAIL and evaluation.score == Decimal("50.00")

    # The commission confirms 不合格 on its portal page; the others are confirmed alike, the
    # cycle is confirmed and published, and the 通报 issued.
    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/commission/evaluations/grades/{evaluation.pk}/")
    expect(page.locator("#computed-grade")).to_have_text("不合格")
    page.locator("input[name=grade][value=fail]").check()
    page.locator("#grade-confirm-form button[type=submit]").click()
    expect(page.locator("#confirmed-grade")).to_contain_text("不合格")
    _chinese_only(page)
    log_out(page)
    _finish(first, bulletin_for=center)
    page.goto(f"{portal}/evaluations/results/{first.year}/")
    expect(page.locator("body")).to_contain_text(NEW_NAME)
    _chinese_only(page)

    # 11. The second cycle (year today.year + 2) through the same services with now= a year
    # on: graded 不合格 again, and its confirmation proposes the revocation on ground 1
    # (连续两次评价不合格), exactly once.
    second = _cycle(today.year + 2, opened=_at(today.year + 2, 1, 5))
    _materials_by_service(second, center, _at(today.year + 2, 1, 6))
    second = _scoring(second, center, share="0.40")
    grades.grades_compute(cycle=second, actor=commission)
    _finish(second)
    assert Evaluation.objects.get(cycle=second, center=center).grade == Grade.FAIL
    [proposal] = Revocation.objects.filter(center=center)
    assert proposal.ground == RevocationGround.TWO_FAILS and proposal.cycle == second
    assert revocations.after_grade_confirmed(
        Evaluation.objects.get(cycle=second, center=center)).pk == proposal.pk
    assert Revocation.objects.filter(center=center).count() == 1
    # A later cycle is open while the proposal runs: the center still has materials due.
    third = _cycle(today.year + 3)
    assert Evaluation.objects.filter(cycle=third, center=center).exists()

    # 12. 撤销 (第十七条): the commission tells the center on its page (statement_due in working
    # days); the unit states its case in the browser with a file; the commission revokes.
    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/commission/revocations/{proposal.pk}/")
    page.locator("#revocation-notify-form button[type=submit]").click()
    expect(page.locator("#revocation-status")).to_have_text("已告知待陈述申辩")
    log_out(page)
    proposal.refresh_from_db()
    assert proposal.statement_due > today

    statement = tmp_path / "陈述申辩材料.pdf"
    statement.write_bytes(PDF)
    log_in(page, UNIT_USER, DEMO_PASSWORD)
    page.goto(f"{portal}/center/{center.pk}/revocations/{proposal.pk}/")
    expect(page.locator("#statement-due")).to_contain_text("陈述申辩期内")
    page.locator("#id_statement").fill("本中心已制定整改方案，恳请给予整改机会。")
    page.locator("#statement-form input[name=files]").set_input_files(str(statement))
    page.locator("#statement-form button[type=submit]").click()
    expect(page.locator("#statement-text")).to_contain_text("恳请给予整改机会")
    _chinese_only(page)
    log_out(page)

    log_in(page, "commission", DEMO_PASSWORD)
    page.goto(f"{portal}/commission/revocations/{proposal.pk}/")
    expect(page.locator("#statement-text")).to_contain_text("恳请给予整改机会")
    page.locator("input[name=outcome][value=revoke]").check()
    page.locator("#id_reason").fill("该中心连续两个年度评价不合格，陈述申辩理由不能成立，决定撤销其资格。")
    page.locator("#revocation-decide-form button[type=submit]").click()
    expect(page.locator("#revocation-status")).to_have_text("已撤销")
    _chinese_only(page)
    log_out(page)
    center.refresh_from_db()
    assert center.status == CenterStatus.REVOKED and center.revoked_on == today

    # 13. 对外公布: the public list of revoked centers shows it with the ground and the date; the
    # current plaque's verification page says 已撤销 on the next request.
    page.goto(f"{portal}/centers/revoked/")
    row = page.locator("tr", has_text=NEW_NAME)
    expect(row).to_contain_text("连续两次评价不合格")
    expect(row).to_contain_text(f"{today.year}年{today.month}月{today.day}日")
    _chinese_only(page)
    page.goto(f"{portal}/verify/{plaque.token}/")
    expect(page.locator("#verify-status")).to_contain_text("已撤销")
    save_screenshot(page, "center-life-revoked")

    # A reminder sweep sends the revoked center nothing, though the open cycle still reminds
    # the others; nothing was deleted.
    received = Notification.objects.filter(recipient__in=_unit_users(center)).count()
    run_deadline_sweep()
    assert evaluation_reminders(third.materials_due - datetime.timedelta(days=1)) > 0
    assert Notification.objects.filter(recipient__in=_unit_users(center)).count() == received
    assert Center.objects.filter(pk=center.pk).exists()
    assert center.service_records.count() == records_kept
    assert Evaluation.objects.filter(center=center).count() == 3
