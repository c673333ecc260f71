"""Demo data of the public notice (`make run`): the demo call's frozen proposed list published
from today for five working days, open for objections; and a past notice of the earlier call
(reviews.demo.PAST_CALL_TITLE), its period ended a month ago, closed by the sweep, its one
objection upheld after the applicant explained, finalised into six centers with plaques and
rendered certificates. Idempotent; when the current period would reach a year whose holiday
schedule is not known yet, the demo says so and leaves that notice out (the past notice lies
in known years)."""

import datetime

from django.utils import timezone

from accounts.models import User
from applications.services import organisation_members
from experts.enums import ProposedListStatus
from experts.models import ProposedList
from reviews.demo import PAST_CALL_TITLE

from . import notices, objections
from .models import Objection, PublicNotice


def seed_notice(stdout=None) -> PublicNotice | None:
    commission = User.objects.filter(username="commission").first()
    proposed = (ProposedList.objects.filter(status=ProposedListStatus.FROZEN,
                                            public_notice__isnull=True)
                .exclude(call__title=PAST_CALL_TITLE).order_by("pk").first())
    if commission is None or proposed is None:
        return None
    try:
        notice = notices.notice_create(proposed_list=proposed, actor=commission,
                                       starts_on=timezone.localdate(),
                                       contact="市发展改革委数字经济处 0532-85911234")
    except notices.NoticeError as error:
        if stdout is not None:
            stdout.write(f"未生成演示公示：{error}")
        return None
    return notices.notice_publish(notice=notice, actor=commission)


# The past notice began this many days before today: five working days end well before
# today even across the Spring Festival or National Day holidays.
# Some twenty months back, so the centers it designates show a year of service records, all
# of it past, and are designated in the year before the last: they fall in scope of the
# evaluation cycle whose data window is that year (evaluations.demo).
PAST_NOTICE_DAYS_AGO = 600
PAST_OBJECTION_FACTS = ("该单位申报材料所列三个已落地应用场景中，两个场景的服务合同由其关联公司签订，"
                        "并非该单位自身提供服务，与申报材料所述不符，附合同首页复印件，请予核实。")
PAST_QUESTION = "请说明申报材料所列应用场景的服务合同签订主体，并提供服务合同及验收材料。"
PAST_ANSWER = "所列两个场景的合同确由关联公司签订，由本单位技术团队参与实施；相关合同及验收材料附后。"
PAST_DECISION = ("经调查核实，申报材料所列两个应用场景的服务合同由关联公司签订并实施，不属于申报单位"
                 "自身服务业绩，申报材料与实际情况不符，异议成立，该申报移出认定名单。")


def seed_past_notice(stdout=None) -> PublicNotice | None:
    """The past 公示 of the earlier call's frozen list (experts.demo.seed_past_proposed_list):
    drawn up by notices.notice_create from PAST_NOTICE_DAYS_AGO days ago and put in the state
    publishing would have left then (notice_publish refuses a period already over); an
    objection filed in the period through objections.objection_file (at that time), an
    explanation asked of the applicant and answered, the notice closed by the real sweep
    (close_ended_notices), the objection upheld with its reason. seed_designation then
    finalises it. Idempotent: a notice of that list is returned as it stands."""
    from .enums import NoticeStatus

    commission = User.objects.filter(username="commission").first()
    proposed = ProposedList.objects.filter(call__title=PAST_CALL_TITLE,
                                           status=ProposedListStatus.FROZEN).first()
    if commission is None or proposed is None:
        return None
    existing = PublicNotice.objects.filter(proposed_list=proposed).first()
    if existing is not None:
        return existing
    starts_on = timezone.localdate() - datetime.timedelta(days=PAST_NOTICE_DAYS_AGO)
    try:
        notice = notices.notice_create(proposed_list=proposed, actor=commission,
                                       starts_on=starts_on,
                                       contact="市发展改革委数字经济处 0532-85911234")
    except notices.NoticeError as error:
        if stdout is not None:
            stdout.write(f"未生成演示往期公示：{error}")
        return None
    zone = timezone.get_current_timezone()
    published_at = datetime.datetime.combine(starts_on, datetime.time(9), tzinfo=zone)
    PublicNotice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.PUBLISHED, published_at=published_at, issued_on=starts_on)
    notice.refresh_from_db()
    entry = notice.entries.order_by("-position").first()
    filed_at = published_at + datetime.timedelta(days=1, hours=1)
    objection = objections.objection_file(
        notice=notice, entry_ids=[entry.pk], real_name="演示往期异议人",
        organisation="青岛某数字科技有限公司", phone="13700000001",
        email="past-objector@example.com", facts=PAST_OBJECTION_FACTS, truthful=True,
        now=filed_at)
    Objection.objects.filter(pk=objection.pk).update(submitted_at=filed_at)
    explanation = objections.explanation_ask(objection=objection, entry=entry,
                                             actor=commission, question=PAST_QUESTION)
    member = next(iter(organisation_members(entry.application.organisation_id)), None)
    if member is not None:
        objections.explanation_answer(explanation=explanation, actor=member,
                                      answer=PAST_ANSWER)
    notices.close_ended_notices(timezone.now())
    objection.refresh_from_db()
    objections.objection_decide(objection=objection, actor=commission, upheld=True,
                                reason=PAST_DECISION)
    notice.refresh_from_db()
    return notice


def seed_designation(stdout=None) -> list:
    """认定 in the demo: finalises each closed notice whose objections are all decided (the
    past notice of seed_past_notice) through designation.notice_finalise, and renders every
    demo plaque's certificate here, synchronously, so `make run` shows them with or without
    a worker (the task queued on commit then finds them done). Returns the new centers;
    nothing on a second run."""
    from .designation import finalise_problem, notice_finalise
    from .enums import NoticeStatus
    from .models import Center, Plaque
    from .plaques import certificate_render

    commission = User.objects.filter(username="commission").first()
    if commission is None:
        return []
    made = []
    for notice in PublicNotice.objects.filter(status=NoticeStatus.CLOSED).order_by("pk"):
        if finalise_problem(notice):
            continue
        # Decided a week after the period, as the commission would have then.
        decided_on = min(notice.ends_on + datetime.timedelta(days=7), timezone.localdate())
        made += notice_finalise(notice=notice, actor=commission, designated_on=decided_on)
    for plaque_id in Plaque.objects.filter(certificate="").values_list("pk", flat=True):
        certificate_render(plaque_id=plaque_id)
    if not made and stdout is not None and not Center.objects.exists():
        stdout.write("演示数据中没有可确定认定结果的公示，未生成赋能中心。")
    return made


DEMO_OBJECTION_FACTS = ("公示名单中该中心申报材料所列“已落地应用场景”中，有两个场景的合同签订时间晚于申报"
                        "截止日期，与申报材料所述不符，请予核实。")


def seed_objections(notice: PublicNotice) -> Objection | None:
    """One objection (已受理) against the first entry of the demo notice, filed as a member of
    the public would; none while the notice is not open. Idempotent."""
    existing = notice.objections.order_by("pk").first()
    if existing is not None:
        return existing
    entry = notice.entries.filter(removed_at__isnull=True).order_by("position").first()
    if entry is None or not notices.notice_is_open(notice):
        return None
    return objections.objection_file(
        notice=notice, entry_ids=[entry.pk], real_name="演示异议人", organisation="",
        phone="13700000000", email="objector@example.com", facts=DEMO_OBJECTION_FACTS,
        truthful=True)
