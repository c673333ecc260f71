"""The public notice pages in the benchmark (see core/benchmark.py)."""

from core.benchmark import benchmark_page

benchmark_page("公示公告", "centers:notice_list", role="anonymous")
benchmark_page("赋能中心名录", "centers:center_list", role="anonymous")
benchmark_page("赋能中心名录 · 按年度", "centers:center_list", role="anonymous",
               query={"year": "2026"})
benchmark_page("已撤销的赋能中心", "centers:revoked_list", role="anonymous")
benchmark_page("异议办理", "centers:objection_list", role="commission_staff")

# --- 变更报告 (第十三条) ---


def _benchmark_center(world) -> dict:
    """A center of the benchmark's applicant (made once, from its first application), so the
    center's own list has something to show."""
    import datetime

    from accounts.selectors import user_primary_organisation
    from applications.models import Application
    from experts.models import ProposedList, ReviewRound

    from .models import Center, PublicNotice

    organisation = user_primary_organisation(world.users["applicant"])
    center = Center.objects.filter(application__organisation=organisation).first()
    if center is None:
        application = Application.objects.filter(organisation=organisation).order_by("pk").first()
        commission = world.users["commission_staff"]
        round_ = ReviewRound.objects.filter(call=application.call).first() or \
            ReviewRound.objects.create(call=application.call, title="基准评审",
                                       created_by=commission,
                                       deadline=datetime.datetime(2026, 5, 1,
                                                                  tzinfo=datetime.UTC))
        proposed, _ = ProposedList.objects.get_or_create(
            call=application.call, defaults={"round": round_, "status": "frozen"})
        notice, _ = PublicNotice.objects.get_or_create(
            proposed_list=proposed, defaults={
                "call": application.call, "title": "基准公示", "basis": "依据",
                "steps_completed": "程序", "starts_on": datetime.date(2026, 6, 1),
                "ends_on": datetime.date(2026, 6, 5), "objection_channel": "渠道",
                "contact": "联系人", "issuer": "发布单位", "issued_on": datetime.date(2026, 6, 1),
                "status": "finalised", "created_by": commission})
        center = Center.objects.create(application=application, notice=notice,
                                       name="基准赋能中心", lead_unit_name=organisation.name,
                                       department_id=world.department,
                                       designated_on=datetime.date(2026, 6, 20))
    return {"pk": center.pk}


benchmark_page("赋能中心变更报告", "centers:change_list", role="applicant",
               kwargs=_benchmark_center)
benchmark_page("主管部门 · 变更报告", "centers:change_district_list", role="district_official")
benchmark_page("变更报告总览", "centers:change_overview", role="commission_staff")
benchmark_page("变更报告总览 · 逾期", "centers:change_overview", role="commission_staff",
               query={"overdue": "1"})
