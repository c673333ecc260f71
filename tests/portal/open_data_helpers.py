"""Data for the open-data tests: published, closed and draft calls; public and draft notices
with their lists; active and revoked centers; and an objection full of personal data that
must never leave through the open data. Built directly (no workflow): these tests read."""

import datetime

from django.utils import timezone

from accounts.models import Department
from applications.models import IndustryField, PolicyDocument
from centers.models import Center, NoticeEntry, Objection, PublicNotice
from experts.models import ProposedList, ReviewRound
from tests.factories import ApplicationFactory, CallFactory, UserFactory

# What must never appear in an open-data answer or file.
SECRETS = ("张科长 0532-85911234", "密信异议人", "13912345678", "objector@secret.example.cn",
           "异议人工作单位", "异议事实秘而不宣", "草稿公示不得公开", "草稿通知不得公开",
           "91370212MA3SECRET1", "内部移出理由")


def call_make(*, status="closed", year=2024, title=None, fields=("人工智能",)):
    return CallFactory(year=year, title=title or f"{year}年度赋能中心申报通知",
                       closed=status == "closed", unpublished=status == "draft",
                       industry_fields=list(fields), materials=False)


def notice_make(*, status="finalised", year=2024, title="拟认定名单公示", commission=None):
    commission = commission or UserFactory()
    call = call_make(year=year)
    round_ = ReviewRound.objects.create(
        call=call, title="材料评审", created_by=commission,
        deadline=datetime.datetime(year, 5, 1, tzinfo=datetime.UTC))
    proposed = ProposedList.objects.create(call=call, round=round_, status="frozen")
    return PublicNotice.objects.create(
        call=call, proposed_list=proposed, title=title, basis="依据", steps_completed="程序",
        starts_on=datetime.date(year, 6, 1), ends_on=datetime.date(year, 6, 5),
        objection_channel="异议请寄 objector@secret.example.cn", contact="张科长 0532-85911234",
        issuer="青岛市发展和改革委员会", issued_on=datetime.date(year, 6, 1), status=status,
        published_at=timezone.now(), created_by=commission)


def entry_make(notice, position, application=None, **fields):
    application = application or ApplicationFactory(call=notice.call, status="proposed")
    return NoticeEntry.objects.create(
        notice=notice, application=application, position=position,
        unit_name=fields.get("unit_name", f"公示单位{position}"),
        center_name=fields.get("center_name", f"公示赋能中心{position}"),
        field_name="人工智能", department_name="崂山区", **{
            k: v for k, v in fields.items() if k not in ("unit_name", "center_name")})


def centers_make(notice, n, *, status="active", department="崂山区", field="人工智能",
                 designated_on=datetime.date(2024, 7, 1)):
    """`n` centers designated on `notice`, each with its entry on the notice's list."""
    made = []
    department = Department.objects.get(short_name=department) if department else None
    industry_field = IndustryField.objects.get(name=field)
    for _ in range(n):
        application = ApplicationFactory(call=notice.call, status="proposed")
        position = NoticeEntry.objects.filter(notice=notice).count() + 1
        entry_make(notice, position, application)
        made.append(Center.objects.create(
            application=application, notice=notice, name=f"开放数据测试赋能中心{position}",
            lead_unit_name=f"承建单位{position}", lead_unit_uscc="91370212MA3SECRET1",
            industry_field=industry_field, department=department, designated_on=designated_on,
            status=status, address="崂山区秘密路1号",
            revoked_on=datetime.date(2026, 3, 1) if status == "revoked" else None,
            revocation_ground="主动申请撤销认定" if status == "revoked" else ""))
    return made


def objection_make(notice):
    """An objection against the first entry, upheld with a reason: the entry is removed."""
    entry = notice.entries.order_by("position").first()
    objection = Objection.objects.create(
        notice=notice, number=f"YY-{notice.pk}-1", real_name="密信异议人",
        organisation="异议人工作单位", phone="13912345678", email="objector@secret.example.cn",
        facts="异议事实秘而不宣", truthful=True, status="upheld", decision_reason="内部移出理由")
    objection.entries.add(entry)
    NoticeEntry.objects.filter(pk=entry.pk).update(removed_at=timezone.now(),
                                                  removal_reason="内部移出理由")
    return objection


def open_world(commission=None):
    """Two public calls and a draft one; a finalised notice with an active center, a revoked
    one (即墨区, 2023) and a 市直 one, and an upheld objection; a published notice; a draft."""
    policy = PolicyDocument.objects.create(title="青岛市重点产业数字化转型赋能中心管理办法（试行）",
                                           document_number="青发改规〔2024〕1号",
                                           effective_from=datetime.date(2024, 1, 1))
    calls = [call_make(status="published", year=2026, fields=("人工智能", "智能家电")),
             call_make(status="closed", year=2025)]
    call_make(status="draft", year=2027, title="草稿通知不得公开")
    for call in calls:
        type(call).objects.filter(pk=call.pk).update(policy=policy)
    finalised = notice_make(status="finalised", year=2024, title="2024年度拟认定名单公示",
                            commission=commission)
    active = centers_make(finalised, 1)
    revoked = centers_make(finalised, 1, status="revoked", department="即墨区",
                           field="智能家电", designated_on=datetime.date(2023, 7, 1))
    city = centers_make(finalised, 1, department=None)
    published = notice_make(status="published", year=2026, title="2026年度拟认定名单公示",
                            commission=commission)
    entry_make(published, 1)
    entry_make(published, 2)
    objection_make(published)
    draft = notice_make(status="draft", year=2025, title="草稿公示不得公开", commission=commission)
    entry_make(draft, 1, center_name="草稿公示不得公开")
    return {"calls": calls, "finalised": finalised, "published": published, "draft": draft,
            "active": active[0], "revoked": revoked[0], "city": city[0], "policy": policy}
