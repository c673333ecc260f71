"""The 建设方案 outline migration keeps every text typed before it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("applications", "0003_applicationexport")]
AFTER = [("applications", "0006_remove_old_plan_sections")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_plan_texts_move_to_the_first_heading_of_their_section(applicant_a, org_a):
    old = _migrate(BEFORE)
    try:
        Call = old.get_model("applications", "Call")
        Application = old.get_model("applications", "Application")
        now = timezone.now()
        call = Call.objects.create(
            year=2026, title="旧通知", body="正文", policy_id=old.get_model(
                "applications", "PolicyDocument").objects.first().pk,
            opens_at=now, closes_at=now + datetime.timedelta(days=1),
            district_review_deadline=now.date(), status="published")
        texts = {"plan_foundation": "基础条件全文\n第二段", "plan_construction": "建设内容全文",
                 "plan_operation": "运行架构全文", "plan_implementation": "实施方案全文",
                 "plan_other": "其他说明"}
        untouched = Application.objects.create(call=call, organisation_id=org_a.pk,
                                               created_by_id=applicant_a.pk,
                                               current_step="plan", **texts)
        fresh = Application.objects.create(call=Call.objects.create(
            year=2026, title="另一通知", body="正文", policy_id=call.policy_id, opens_at=now,
            closes_at=now + datetime.timedelta(days=1), district_review_deadline=now.date()),
            organisation_id=org_a.pk, created_by_id=applicant_a.pk, current_step="lead")

        new = _migrate(AFTER)
        Application = new.get_model("applications", "Application")
        moved = Application.objects.get(pk=untouched.pk)
        assert moved.plan_unit_overview == "基础条件全文\n第二段"
        assert moved.plan_development_goals == "建设内容全文"
        assert moved.plan_organisation == "运行架构全文"
        assert moved.plan_site == "实施方案全文"
        assert moved.plan_other == "其他说明"
        assert moved.plan_tech_achievements == "" and moved.plan_benefits == ""
        # Past the joint-unit step: its 无 stands. Never reached it: asked again.
        assert moved.has_joint_unit is False
        assert Application.objects.get(pk=fresh.pk).has_joint_unit is None

        back = _migrate(BEFORE)
        Application = back.get_model("applications", "Application")
        assert Application.objects.get(pk=untouched.pk).plan_foundation == "基础条件全文\n第二段"
    finally:
        # Back to the latest schema of every app, whatever migrations come after this one.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
