"""服务记录 (第十二条): entry per kind by the center's own users, closed years locked, evidence
reads audited, the list's query count fixed, the progress figures equal to the records."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.validators import uscc_check_character
from centers import records
from centers.enums import ServiceKind
from centers.models import RecordYearClosure, ServedEnterprise, ServiceRecord
from centers.progress import progress_figures
from core.models import AuditEvent
from tests.factories import applicant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def uscc(serial: int) -> str:
    first17 = f"91370200{serial:09d}"
    return first17 + uscc_check_character(first17)


@pytest.fixture
def center(designated_centers):
    return designated_centers[0]


@pytest.fixture
def keeper(center):
    return applicant(center.application.organisation, username="center-user",
                     real_name="中心填报人")


def _client(client, user):
    client.force_login(user)
    return client


def _training(center, keeper, **data):
    fields = {"occurred_on": datetime.date.today(), "title": "数字化转型培训", "hours": Decimal("4"),
              "participants": 30, **data}
    return records.record_create(center=center, actor=keeper, kind=ServiceKind.TRAINING,
                                 data=fields, enterprises=[{"name": "青岛甲公司",
                                                            "uscc": uscc(1)}])


# --- 专利号 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", [
    "ZL200310102344.5",   # ZC 0006-2003's own example
    "ZL201710601862.3",   # a published 2017 invention application
    "ZL95115608.X",       # an 8-digit number whose check is X
    "ZL97101765.4",
])
def test_published_patent_numbers_pass(number):
    records.validate_patent_number(number)


def test_a_patent_number_is_normalised_and_its_check_digit_checked():
    assert records.normalize_patent_number("zl 2003 1 0102344.5") == "ZL200310102344.5"
    assert records.normalize_patent_number("ＣＮ２００３１０１０２３４４．５") == "ZL200310102344.5"
    with pytest.raises(ValidationError, match="校验位不正确（按该申请号计算应为5）"):
        records.validate_patent_number("ZL200310102344.6")
    with pytest.raises(ValidationError, match="格式"):
        records.validate_patent_number("ZL2003101023")


def test_a_patent_counts_once(center, keeper):
    def patent(number):
        return records.record_create(
            center=center, actor=keeper, kind=ServiceKind.PATENT, enterprises=[],
            data={"occurred_on": datetime.date.today(), "title": "一种设备预警方法",
                  "patent_number": number})

    first = patent("ZL200310102344.5")
    with pytest.raises(records.RecordError, match="已登记过"):
        patent("zl 2003 1 0102344.5")
    other = patent("ZL201710601862.3")
    with pytest.raises(records.RecordError, match="已登记过"):
        records.record_update(record=other, actor=keeper, enterprises=[],
                              data={"occurred_on": other.occurred_on, "title": other.title,
                                    "patent_number": first.patent_number})
    records.record_update(record=first, actor=keeper, enterprises=[],
                          data={"occurred_on": first.occurred_on, "title": "改名后的专利名称",
                                "patent_number": first.patent_number})
    assert center.service_records.filter(kind=ServiceKind.PATENT).count() == 2


# --- entry by the center's users ---------------------------------------------------------------

def test_the_unit_records_a_training_on_its_page_once(client, center, keeper):
    client = _client(client, keeper)
    url = reverse("centers:record_new", args=[center.pk, "training"])
    page = client.get(url).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    data = {"occurred_on": datetime.date.today().isoformat(), "title": "工业互联网专题培训",
            "hours": "4", "participants": "60", "description": "", "form_token": token,
            "ent-TOTAL_FORMS": "2", "ent-INITIAL_FORMS": "0",
            "ent-0-name": "青岛甲公司", "ent-0-uscc": uscc(1).lower(),
            "ent-1-name": "", "ent-1-uscc": "",
            "files": SimpleUploadedFile("签到表.pdf", PDF, "application/pdf")}
    response = client.post(url, data)
    record = ServiceRecord.objects.get()
    assert response.status_code == 302 and record.kind == ServiceKind.TRAINING
    assert record.enterprises.get().uscc == uscc(1)
    assert record.files.count() == 1 and record.year == datetime.date.today().year
    data.pop("files")
    again = client.post(url, data)
    assert again.status_code == 302 and ServiceRecord.objects.count() == 1
    assert AuditEvent.objects.filter(action="service_record.create").count() == 1


def test_bad_input_keeps_what_was_typed(client, center, keeper):
    client = _client(client, keeper)
    url = reverse("centers:record_new", args=[center.pk, "diagnosis"])
    response = client.post(url, {
        "occurred_on": datetime.date.today().isoformat(), "title": "生产数字化诊断书",
        "description": "车间诊断情况", "ent-TOTAL_FORMS": "1", "ent-INITIAL_FORMS": "0",
        "ent-0-name": "青岛乙公司", "ent-0-uscc": "913702001234567880"})
    page = response.content.decode()
    assert response.status_code == 200 and not ServiceRecord.objects.exists()
    assert "生产数字化诊断书" in page and "车间诊断情况" in page and "913702001234567880" in page
    assert "统一社会信用代码" in page and "校验" in page or "有误" in page


def test_a_diagnosis_needs_an_enterprise_and_a_project_accepted_its_date(center, keeper):
    today = datetime.date.today()
    with pytest.raises(records.RecordError, match="至少一个服务对象"):
        records.record_create(center=center, actor=keeper, kind=ServiceKind.DIAGNOSIS,
                              data={"occurred_on": today, "title": "诊断书"}, enterprises=[])
    with pytest.raises(records.RecordError, match="验收日期"):
        records.record_create(center=center, actor=keeper, kind=ServiceKind.PROJECT,
                              data={"occurred_on": today, "title": "项目", "amount": Decimal(10),
                                    "project_status": "accepted"},
                              enterprises=[{"name": "青岛甲公司", "uscc": uscc(1)}])
    with pytest.raises(records.RecordError, match="校验位"):
        records.record_create(center=center, actor=keeper, kind=ServiceKind.PATENT,
                              data={"occurred_on": today, "title": "专利",
                                    "patent_number": "ZL200310102344.6"}, enterprises=[])
    patent = records.record_create(center=center, actor=keeper, kind=ServiceKind.PATENT,
                                   data={"occurred_on": today, "title": "专利",
                                         "patent_number": "zl200310102344.5"}, enterprises=[])
    assert patent.patent_number == "ZL200310102344.5"


def test_only_the_centers_own_users_write(center, keeper, official_laoshan, commission_staff,
                                          applicant_b):
    for outsider in (official_laoshan, commission_staff, applicant_b):
        with pytest.raises(PermissionDenied):
            _training(center, outsider)
    assert not ServiceRecord.objects.exists()


# --- closed years ------------------------------------------------------------------------------

def test_a_closed_year_locks_its_records(client, center, keeper, commission_staff):
    record = _training(center, keeper)
    records.year_close(year=record.year, actor=commission_staff)
    data = {"occurred_on": record.occurred_on, "title": "改名", "hours": Decimal(4),
            "participants": 30}
    with pytest.raises(records.RecordError, match="评价已关闭"):
        records.record_update(record=record, actor=keeper, data=data, enterprises=[])
    with pytest.raises(records.RecordError, match="评价已关闭"):
        records.record_delete(record=record, actor=keeper)
    with pytest.raises(records.RecordError, match="评价已关闭"):
        _training(center, keeper)
    client = _client(client, keeper)
    url = reverse("centers:record_edit", args=[center.pk, record.pk])
    response = client.post(url, {"occurred_on": record.occurred_on.isoformat(), "title": "改名",
                                 "hours": "4", "participants": "30",
                                 "ent-TOTAL_FORMS": "0", "ent-INITIAL_FORMS": "0"})
    assert response.status_code == 200 and "评价已关闭" in response.content.decode()
    record.refresh_from_db()
    assert record.title == "数字化转型培训"
    assert records.year_close(year=record.year, actor=commission_staff).closed_by == \
        commission_staff
    with pytest.raises(PermissionDenied):
        records.year_close(year=2020, actor=keeper)


def test_a_record_may_not_move_into_a_closed_year(center, keeper, commission_staff):
    last_year = datetime.date.today().year - 1
    center.designated_on = datetime.date(last_year, 1, 1)  # last year is the center's too
    center.save(update_fields=["designated_on"])
    record = _training(center, keeper)
    RecordYearClosure.objects.create(year=last_year, closed_by=commission_staff)
    data = {"occurred_on": datetime.date(last_year, 12, 1), "title": "培训", "hours": Decimal(4),
            "participants": 30}
    with pytest.raises(records.RecordError, match=f"{last_year}年度的评价已关闭"):
        records.record_update(record=record, actor=keeper, data=data, enterprises=[])


def test_the_commission_closes_a_year_in_admin(client, commission_admin, center, keeper):
    record = _training(center, keeper)
    client.force_login(commission_admin)
    response = client.post(reverse("admin:centers_recordyearclosure_add"),
                           {"year": str(record.year)})
    assert response.status_code == 302, response.content.decode()[:2000]
    closure = RecordYearClosure.objects.get(year=record.year)
    assert closure.closed_by == commission_admin
    assert AuditEvent.objects.filter(action="record_year.close").count() == 1
    changelist = client.get(reverse("admin:centers_servicerecord_changelist"))
    assert changelist.status_code == 200 and record.title in changelist.content.decode()
    assert client.get(reverse("admin:centers_servicerecord_add")).status_code == 403


# --- audit -------------------------------------------------------------------------------------

def test_edits_are_audited_and_outside_reads_of_evidence_too(client, center, keeper,
                                                             commission_staff):
    record = records.record_create(
        center=center, actor=keeper, kind=ServiceKind.INDUSTRY_REPORT,
        data={"occurred_on": datetime.date.today(), "title": "行业报告", "provided_to": "市发展改革委"},
        enterprises=[], files=[SimpleUploadedFile("报告.pdf", PDF, "application/pdf")])
    records.record_update(record=record, actor=keeper, enterprises=[],
                          data={"occurred_on": record.occurred_on, "title": "行业报告（修订）",
                                "provided_to": "市发展改革委、市工业和信息化局"})
    update = AuditEvent.objects.get(action="service_record.update")
    assert update.before["title"] == "行业报告" and update.after["title"] == "行业报告（修订）"
    evidence = record.files.get()
    url = reverse("centers:record_file", args=[center.pk, record.pk, evidence.pk])
    assert _client(client, keeper).get(url).status_code == 200
    assert not AuditEvent.objects.filter(action="service_record_file.download").exists()
    client.force_login(commission_staff)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="service_record_file.download",
                                     actor=commission_staff).count() == 1
    records.record_delete(record=record, actor=keeper)
    assert AuditEvent.objects.get(action="service_record.delete").before["title"] == \
        "行业报告（修订）"


# --- the list ----------------------------------------------------------------------------------

def test_the_list_reads_a_fixed_number_of_queries(client, center, keeper,
                                                  django_assert_max_num_queries):
    client = _client(client, keeper)
    url = reverse("centers:record_list", args=[center.pk])
    _training(center, keeper)
    client.get(url)
    with django_assert_max_num_queries(14) as one:
        client.get(url)
    for i in range(29):
        _training(center, keeper, title=f"培训{i}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("1家") >= 30
    filtered = client.get(url, {"kind": "diagnosis"}).content.decode()
    assert "暂无服务记录" in filtered


def test_the_applicant_dashboard_links_its_own_centers_only(client, designated_centers,
                                                            keeper):
    page = _client(client, keeper).get(reverse("dashboard_applicant")).content.decode()
    assert reverse("centers:workspace", args=[designated_centers[0].pk]) in page
    assert reverse("centers:workspace", args=[designated_centers[1].pk]) not in page


# --- progress ----------------------------------------------------------------------------------

def test_progress_figures_equal_the_records(client, center, keeper, commission_staff,
                                            django_assert_max_num_queries):
    today = datetime.date.today()
    center.target_sets.update(patents=4, scenarios=2, key_technologies=None)
    _training(center, keeper, participants=25)
    _training(center, keeper, participants=15)
    for serial in (1000001, 1000002, 1000003):
        digits = f"{today.year}1{serial:07d}"
        records.record_create(center=center, actor=keeper, kind=ServiceKind.PATENT,
                              data={"occurred_on": today, "title": f"专利{serial}",
                                    "patent_number": digits + records.patent_check_digit(digits)},
                              enterprises=[])
    records.record_create(center=center, actor=keeper, kind=ServiceKind.PROJECT,
                          data={"occurred_on": today, "title": "项目", "amount": Decimal("12.5"),
                                "project_status": "accepted", "accepted_on": today},
                          enterprises=[{"name": "青岛丙公司", "uscc": uscc(2)},
                                       {"name": "青岛甲公司", "uscc": uscc(1)}])
    with django_assert_max_num_queries(3):
        figures = progress_figures(center)
    by_kind = {t.kind: t for t in figures.targets}
    assert by_kind[ServiceKind.PATENT].achieved == 3 == ServiceRecord.objects.filter(
        kind="patent").count()
    assert by_kind[ServiceKind.PATENT].promised == 4
    assert by_kind[ServiceKind.PATENT].percent == Decimal("75.0")
    assert by_kind[ServiceKind.SCENARIO].achieved == 0
    assert by_kind[ServiceKind.KEY_TECHNOLOGY].promised is None
    services = figures.services
    assert services.enterprises == ServedEnterprise.objects.values("uscc").distinct().count() == 2
    assert (services.trainings, services.participants) == (2, 40)
    assert (services.projects, services.projects_accepted, services.project_amount) == \
        (1, 1, Decimal("12.50"))
    client.force_login(commission_staff)
    page = client.get(reverse("centers:progress", args=[center.pk])).content.decode()
    assert f'?kind=patent" class="achieved">3</a>' in page
    assert "75.0%" in page and "参训40人次" in page and "服务企业" in page
    listed = client.get(reverse("centers:record_list", args=[center.pk]),
                        {"kind": "patent"}).content.decode()
    assert listed.count("专利1000") == 3


def test_progress_counts_only_since_designation_and_within_three_years(center, keeper):
    from centers.progress import period_end

    assert period_end(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)
    ServiceRecord.objects.create(center=center, kind=ServiceKind.PATENT, title="早",
                                 occurred_on=center.designated_on - datetime.timedelta(days=1),
                                 patent_number="ZL200310102344.5", created_by=keeper)
    figures = progress_figures(center)
    assert {t.kind: t.achieved for t in figures.targets}[ServiceKind.PATENT] == 0
    later = progress_figures(center, until=center.designated_on + datetime.timedelta(days=5000))
    assert later.until == period_end(center.designated_on) and later.elapsed_percent == 100


def test_the_edit_page_shows_the_stored_dates(client, center, keeper):
    """A date picker shows only an ISO value: a record opened to be edited keeps its date and
    its 验收日期 instead of showing empty boxes the user must fill again."""
    record = records.record_create(
        center=center, actor=keeper, kind=ServiceKind.PROJECT,
        data={"occurred_on": datetime.date.today(), "title": "项目", "amount": Decimal("10"),
              "project_status": "accepted", "accepted_on": datetime.date.today()},
        enterprises=[{"name": "青岛甲公司", "uscc": uscc(1)}])
    page = _client(client, keeper).get(
        reverse("centers:record_edit", args=[center.pk, record.pk])).content.decode()
    day = datetime.date.today().isoformat()
    assert f'name="occurred_on" value="{day}"' in page
    assert f'name="accepted_on" value="{day}"' in page


def test_a_record_before_the_designation_is_refused(client, center, keeper):
    """Listed but never counted on the progress page (which counts from the designation date):
    such a record is refused, on the form with what was typed kept, and on editing."""
    before = center.designated_on - datetime.timedelta(days=1)
    with pytest.raises(records.RecordError, match="不能早于赋能中心认定日期"):
        _training(center, keeper, occurred_on=before)
    record = _training(center, keeper)
    with pytest.raises(records.RecordError, match="不能早于赋能中心认定日期"):
        records.record_update(record=record, actor=keeper, enterprises=[], data={
            "occurred_on": before, "title": "培训", "hours": Decimal(4), "participants": 30})
    response = _client(client, keeper).post(
        reverse("centers:record_new", args=[center.pk, "training"]),
        {"occurred_on": before.isoformat(), "title": "认定前的培训", "hours": "4",
         "participants": "30", "ent-TOTAL_FORMS": "0", "ent-INITIAL_FORMS": "0"})
    page = response.content.decode()
    assert response.status_code == 200 and "不能早于赋能中心认定日期" in page
    assert "认定前的培训" in page and ServiceRecord.objects.count() == 1
