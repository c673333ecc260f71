"""The year's figures a reader of the submitted materials sees (expert sheet, invited
authority, 第十七条): the figures stored on submission are shown as Chinese rows — the data
window, each service figure, each 建设目标 — never as a raw record with code names."""

import re

import pytest
from django.template.loader import render_to_string

from evaluations import scoring

pytestmark = pytest.mark.usefixtures("celery_eager")


def test_the_stored_figures_read_as_chinese_rows(submitted_evaluation):
    submitted_evaluation.refresh_from_db()
    assert "services" in submitted_evaluation.figures  # the shape materials_submit stores
    materials = scoring.materials_of(submitted_evaluation)
    labels = [label for label, _value in materials["figures"]]
    assert "服务数据统计期" in labels and "服务企业数（家）" in labels
    assert any(label.startswith("建设目标完成情况：") for label in labels)
    html = render_to_string("evaluations/scoring_materials.html", {"materials": materials})
    shown = re.sub(r"<[^>]+>", " ", html)
    assert not re.findall(r"[A-Za-z_]{3,}", shown), shown


def test_a_flat_record_still_reads():
    assert scoring.figure_rows({"enterprises": 36, "trainings": 5, "oddity": 1}) == [
        ("服务企业数（家）", 36), ("开展培训（场）", 5)]
