"""How long the 申报表 PDF takes to render: prints the median of N renders against the target.

Builds one complete application (lead and joint unit, every field filled, 三 and 四 at their
500-character limit) in a throwaway in-memory SQLite database, then renders the 申报表 the way
the worker does (content → HTML → WeasyPrint PDF), without writing files.

    .venv/bin/python scripts/benchmark.py [--runs N]
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.5


def _configure():
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # Never touch the real database, broker or media folder.
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="benchmark-media-")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build_application():
    from django.utils import timezone

    from accounts.enums import OrganisationKind
    from accounts.models import Department, Organisation, User
    from applications.enums import AttachmentKind, CallStatus, UnitRole
    from applications.models import (
        Application,
        ApplicationUnit,
        Attachment,
        Call,
        IndustryField,
        PolicyDocument,
    )

    now = timezone.now()
    user = User.objects.create(username="benchmark", real_name="张明",
                               email="benchmark@example.qingdao.test")
    organisation = Organisation.objects.create(
        name="青岛海智工业互联网有限公司", uscc="913702001234567886",
        kind=OrganisationKind.ENTERPRISE,
        competent_department=Department.objects.get(short_name="崂山区"),
    )
    field = IndustryField.objects.get(name="智能家电")
    call = Call.objects.create(
        year=2026, title="关于组织申报2026年度青岛市重点产业数字化转型赋能中心的通知",
        body="……", policy=PolicyDocument.objects.first(), status=CallStatus.PUBLISHED,
        opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=30),
        district_review_deadline=(now + datetime.timedelta(days=45)).date(),
    )
    call.industry_fields.add(field)
    summary = ("围绕智能家电产业链上下游企业开展数字化诊断服务，累计完成诊断报告126份，"
               "形成行业解决方案8套，建成柔性制造、质量追溯等应用场景15个。") * 8
    application = Application.objects.create(
        call=call, organisation=organisation, created_by=user, has_joint_unit=True,
        center_name="青岛市智能家电产业数字化转型赋能中心", industry_field=field,
        director_name="张明", director_title="总经理/正高级工程师",
        director_phone="13800000001", director_email="zhangming@haizhi.example.cn",
        tech_lead_name="李工", tech_lead_title="高级工程师", tech_lead_phone="0532-88886666",
        tech_lead_email="ligong@haizhi.example.cn",
        service_lead_name="王服", service_lead_title="服务总监",
        service_lead_phone="13800000003", service_lead_email="wangfu@haizhi.example.cn",
        service_summary=summary[:500], construction_content=summary[:500],
        goal_key_technologies=6, goal_key_technologies_note="工业视觉质检、设备预测性维护等。",
        goal_scenarios=20, goal_scenarios_note="在20家以上家电企业落地数字化应用场景。",
        goal_solutions=10, goal_solutions_note="形成覆盖研发、生产、供应链的行业解决方案。",
        goal_patents=12, goal_patents_note="申请发明专利8项、软件著作权4项。",
        goal_other="培训数字化人才1000人次。",
        plan_unit_overview="公司成立于2015年。" * 40, plan_development_goals="建设三大平台。" * 40,
        plan_organisation="理事会领导下的主任负责制。" * 30, plan_site="总投资5000万元。" * 30,
        plan_other="无",
    )
    for role, name, uscc in ((UnitRole.LEAD, organisation.name, organisation.uscc),
                             (UnitRole.JOINT, "青岛市工业技术研究院", "91350100M000100Y43")):
        ApplicationUnit.objects.create(
            application=application, role=role, name=name, uscc=uscc,
            registered_on=datetime.date(2015, 6, 18), registered_capital=Decimal("5000"),
            revenue_last_year=Decimal("3.2"), rd_investment_last_year=Decimal("2400"),
            enterprise_qualification="高新技术企业、专精特新“小巨人”企业",
            industry_qualification="信息系统建设和服务能力评估CS3级",
            legal_representative="赵研", phone="0532-85551234",
        )
    for number, kind in enumerate(AttachmentKind.values, start=1):
        # Only the index of the attachments is rendered: a stored name without a file suffices.
        Attachment.objects.create(application=application, kind=kind,
                                  file=f"applications/{application.pk}/{number}.pdf",
                                  original_name=f"证明材料{number}.pdf",
                                  content_type="application/pdf", size=120_000 * number,
                                  sha256=f"{number:064x}", uploaded_by=user)
    return application.pk


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="number of timed renders")
    args = parser.parse_args()

    _configure()
    from applications.documents import document_content, document_pdf
    from applications.models import Application
    from applications.selectors import application_with_details

    application_id = _build_application()

    def render():
        application = application_with_details(Application.objects.all()).get(pk=application_id)
        return document_pdf(document_content(application, "form"))

    started = time.perf_counter()
    pdf = render()  # the first render loads the fonts; a running worker has them already
    first = time.perf_counter() - started
    wall, cpu = [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        render()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)

    median = statistics.median(wall)
    print(f"申报表 PDF: {len(pdf) / 1024:.0f} KB")
    print(f"first render (fonts loading): {first:.3f} s")
    print(f"renders: {args.runs}, min {min(wall):.3f} s, max {max(wall):.3f} s")
    # Rendering is single-threaded: on a busy machine the wall time grows, the CPU time not.
    print(f"CPU time per render (median): {statistics.median(cpu):.3f} s; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"median: {median:.3f} s")
    print(f"target: ≤ {TARGET_SECONDS:.1f} s — {'met' if median <= TARGET_SECONDS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
