"""Demo data of the public notice (`make run`): the demo call's frozen proposed list published
from today for five working days, open for objections. Idempotent; when the period would reach
a year whose holiday schedule is not known yet, the demo says so and leaves the notice out."""

from django.utils import timezone

from accounts.models import User
from experts.enums import ProposedListStatus
from experts.models import ProposedList

from . import notices, objections
from .models import Objection, PublicNotice


def seed_notice(stdout=None) -> PublicNotice | None:
    commission = User.objects.filter(username="commission").first()
    proposed = (ProposedList.objects.filter(status=ProposedListStatus.FROZEN,
                                            public_notice__isnull=True)
                .order_by("pk").first())
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


def seed_designation(stdout=None) -> list:
    """认定 in the demo: finalises each closed notice whose objections are all decided (its
    centers, plaques and certificates). The demo data has no closed notice yet (its one
    notice is open from today), so this makes nothing until one exists. Idempotent."""
    from .designation import finalise_problem, notice_finalise
    from .enums import NoticeStatus

    commission = User.objects.filter(username="commission").first()
    if commission is None:
        return []
    made = []
    for notice in PublicNotice.objects.filter(status=NoticeStatus.CLOSED).order_by("pk"):
        if finalise_problem(notice):
            continue
        made += notice_finalise(notice=notice, actor=commission)
    if not made and stdout is not None:
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
