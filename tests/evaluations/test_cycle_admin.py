"""The commission works the evaluation in Django admin too: every act is an action calling the
same service; a table in use and the records are read-only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEvent
from evaluations import cycles, grades
from evaluations.enums import CycleStatus, Grade
from evaluations.models import Bulletin, Evaluation, EvaluationCycle, IndicatorTable

from .conftest import DISTRICT_DUE, MATERIALS_DUE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def test_every_commission_act_has_its_admin_action():
    from django.contrib import admin as django_admin

    def names(model):
        return {getattr(a, "__name__", a) for a in django_admin.site._registry[model].actions}

    assert "new_table_versions" in names(IndicatorTable)
    assert {"open_cycles", "start_scoring", "compute_grades", "confirm_cycles",
            "publish_cycles"} <= names(EvaluationCycle)
    assert {"confirm_computed_grades", "record_false_materials",
            "issue_bulletins"} <= names(Evaluation)


def _table_post(table, **changes):
    data = {"name": table.name, "excellent_from": str(table.excellent_from),
            "good_from": str(table.good_from), "pass_from": str(table.pass_from),
            "hard_rules": list(table.hard_rules)}
    indicators = list(table.indicators.order_by("order"))
    prefix = "indicators"
    data.update({f"{prefix}-TOTAL_FORMS": str(len(indicators)),
                 f"{prefix}-INITIAL_FORMS": str(len(indicators)),
                 f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    for i, indicator in enumerate(indicators):
        data.update({f"{prefix}-{i}-id": str(indicator.pk), f"{prefix}-{i}-table": str(table.pk),
                     f"{prefix}-{i}-order": str(indicator.order),
                     f"{prefix}-{i}-name": indicator.name,
                     f"{prefix}-{i}-weight": str(indicator.weight),
                     f"{prefix}-{i}-description": indicator.description,
                     f"{prefix}-{i}-evidence_required": indicator.evidence_required,
                     f"{prefix}-{i}-figure": indicator.figure})
    data.update(changes)
    return data


def test_the_table_is_edited_in_admin_until_a_cycle_opens(draft_cycle, commission_admin, client):
    table = draft_cycle.table
    client.force_login(commission_admin)
    url = reverse("admin:evaluations_indicatortable_change", args=[table.pk])
    # Weights not summing to 100 are refused with the reason.
    refused = client.post(url, _table_post(table, **{"indicators-0-weight": "30"}))
    assert refused.status_code == 200 and "合计须为100分" in refused.content.decode()
    # Thresholds out of order are refused.
    refused = client.post(url, _table_post(table, good_from="95"))
    assert "合格起点 &lt; 良好起点" in refused.content.decode()
    saved = client.post(url, _table_post(table, excellent_from="88",
                                         **{"indicators-0-weight": "20",
                                            "indicators-1-weight": "30"}))
    assert saved.status_code == 302
    table.refresh_from_db()
    assert table.excellent_from == Decimal("88")
    assert list(table.indicators.order_by("order").values_list("weight", flat=True))[:2] == [
        Decimal("20"), Decimal("30")]
    cycles.cycle_open(cycle=draft_cycle, actor=commission_admin,
                      now=MATERIALS_DUE - datetime.timedelta(days=60))
    page = client.get(url).content.decode()
    assert 'name="excellent_from"' not in page and 'name="indicators-0-weight"' not in page
    for change in ({"excellent_from": "95"}, {"indicators-0-weight": "25",
                                             "indicators-1-weight": "25"},
                   {"hard_rules": []}):
        assert client.post(url, _table_post(table, **change)).status_code == 403
    table.refresh_from_db()
    assert table.excellent_from == Decimal("88") and table.hard_rules
    listing = reverse("admin:evaluations_indicatortable_changelist")
    client.post(listing, {"action": "new_table_versions", "_selected_action": [table.pk]})
    fresh = IndicatorTable.objects.get(name=table.name, version=table.version + 1)
    assert fresh.indicators.count() == 6 and not fresh.is_frozen
    assert client.get(reverse("admin:evaluations_indicatortable_change",
                              args=[fresh.pk])).content.decode().count('name="excellent_from"')


def test_a_cycle_is_set_up_and_run_in_admin(designated_centers, indicator_table,
                                            commission_admin, client, third_party_agency,
                                            monkeypatch):
    from django.utils import timezone

    client.force_login(commission_admin)
    add = reverse("admin:evaluations_evaluationcycle_add")
    data = {"year": "2027", "title": "", "window_start": "", "window_end": "",
            "table": str(indicator_table.pk), "materials_due_0": "2027-03-31",
            "materials_due_1": "17:00:00", "district_due_0": "2027-03-01",
            "district_due_1": "17:00:00", "agency": str(third_party_agency.pk)}
    refused = client.post(add, data)
    assert "须晚于" in refused.content.decode()
    data["district_due_0"] = "2027-04-30"
    assert client.post(add, data).status_code == 302
    cycle = EvaluationCycle.objects.get(year=2027)
    assert cycle.window_start == datetime.date(2026, 1, 1) and cycle.title
    listing = reverse("admin:evaluations_evaluationcycle_changelist")
    client.post(listing, {"action": "open_cycles", "_selected_action": [cycle.pk]})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN and cycle.evaluations.count() == 2
    assert client.get(reverse("admin:evaluations_evaluationcycle_change",
                              args=[cycle.pk])).content.decode().count('name="year"') == 0
    cycle.evaluations.update(status="forwarded", submitted_at=MATERIALS_DUE)
    client.post(listing, {"action": "start_scoring", "_selected_action": [cycle.pk]})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SCORING
    first, second = cycle.evaluations.order_by("pk")
    from evaluations import scoring

    monkeypatch.setattr(scoring, "cycle_scores",
                        lambda c: {first.pk: Decimal("45"), second.pk: Decimal("76")})
    client.post(listing, {"action": "compute_grades", "_selected_action": [cycle.pk]})
    assert list(cycle.evaluations.order_by("pk").values_list("computed_grade", flat=True)) == [
        Grade.FAIL, Grade.GOOD]
    evaluations = reverse("admin:evaluations_evaluation_changelist")
    assert first.center.name in client.get(evaluations, {"cycle__id__exact": cycle.pk,
                                                         "grade": ""}).content.decode()
    client.post(evaluations, {"action": "confirm_computed_grades",
                              "_selected_action": [first.pk, second.pk]})
    assert not cycle.evaluations.filter(grade="").exists()
    client.post(listing, {"action": "confirm_cycles", "_selected_action": [cycle.pk]})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CONFIRMED
    asked = client.post(evaluations, {"action": "issue_bulletins",
                                      "_selected_action": [first.pk]}).content.decode()
    assert "通报编号按年度顺序生成" in asked
    client.post(evaluations, {"action": "issue_bulletins", "_selected_action": [first.pk],
                              "apply": "1", "reasons": "评价得分45分。"})
    bulletin = Bulletin.objects.get()
    assert bulletin.evaluation_id == first.pk
    client.post(listing, {"action": "publish_cycles", "_selected_action": [cycle.pk]})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.PUBLISHED and cycle.published_at <= timezone.now()
    change = client.get(reverse("admin:evaluations_bulletin_change", args=[bulletin.pk]))
    assert change.status_code == 200 and 'name="reasons"' not in change.content.decode()
    assert DISTRICT_DUE  # the deadlines of the fixture's cycle, unused here


def test_false_materials_are_recorded_in_admin(scoring_cycle, commission_admin, client):
    evaluation = scoring_cycle.evaluations.order_by("pk").first()
    client.force_login(commission_admin)
    listing = reverse("admin:evaluations_evaluation_changelist")
    client.post(listing, {"action": "record_false_materials", "_selected_action": [evaluation.pk],
                          "apply": "1", "note": "数据经核查虚报。"})
    evaluation.refresh_from_db()
    assert evaluation.false_materials_found and evaluation.false_materials_note == "数据经核查虚报。"
    grades.grades_compute(cycle=scoring_cycle, scores={evaluation.pk: Decimal("99")})
    evaluation.refresh_from_db()
    assert evaluation.computed_grade == Grade.FAIL


def test_no_role_no_evaluation_admin(superuser_no_role, client):
    client.force_login(superuser_no_role)
    for name in ("indicatortable", "evaluationcycle", "evaluation", "bulletin"):
        assert client.get(reverse(f"admin:evaluations_{name}_changelist")).status_code == 403


def test_a_new_table_is_made_in_admin_with_weights_summing_to_100(commission_admin, client):
    client.force_login(commission_admin)
    add = reverse("admin:evaluations_indicatortable_add")
    data = {"name": "试行指标", "excellent_from": "90", "good_from": "75", "pass_from": "60",
            "hard_rules": ["materials_not_submitted", "change_report_overdue"],
            "indicators-TOTAL_FORMS": "2", "indicators-INITIAL_FORMS": "0",
            "indicators-MIN_NUM_FORMS": "0", "indicators-MAX_NUM_FORMS": "1000",
            "indicators-0-order": "1", "indicators-0-name": "服务成效",
            "indicators-0-weight": "70", "indicators-1-order": "2",
            "indicators-1-name": "运行管理", "indicators-1-weight": "20"}
    refused = client.post(add, data)
    assert "当前合计90分" in refused.content.decode()
    assert not IndicatorTable.objects.filter(name="试行指标").exists()
    data["indicators-1-weight"] = "30"
    assert client.post(add, data).status_code == 302
    table = IndicatorTable.objects.get(name="试行指标")
    assert table.version == 1 and table.created_by == commission_admin
    assert AuditEvent.objects.filter(action="indicator_table.create").exists()
    assert table.hard_rules == ["materials_not_submitted", "change_report_overdue"]
    assert list(table.indicators.values_list("name", "weight")) == [
        ("服务成效", Decimal("70")), ("运行管理", Decimal("30"))]
