"""Builders for the revocation tests: cycles and confirmed grades made with the ORM, uploads,
and the unit's user of a center."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.services import organisation_members
from evaluations.enums import CycleStatus
from evaluations.models import Evaluation, EvaluationCycle

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="证据.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def member(center):
    return organisation_members(center.application.organisation_id)[0]


def cycle_of(year, table, actor, *, status=CycleStatus.CONFIRMED, materials_due=None):
    now = timezone.now()
    return EvaluationCycle.objects.create(
        year=year, title=f"{year}年度赋能中心运行评估评价",
        window_start=datetime.date(year - 1, 1, 1), window_end=datetime.date(year - 1, 12, 31),
        table=table, materials_due=materials_due or now - datetime.timedelta(days=60),
        district_due=now - datetime.timedelta(days=40), status=status, opened_at=now,
        created_by=actor, materials_closed_at=now)


def graded(cycle, center, grade, *, confirmed=True):
    now = timezone.now()
    return Evaluation.objects.create(
        cycle=cycle, center=center, department_id=center.department_id, grade=grade,
        computed_grade=grade, submitted_at=now, confirmed_at=now if confirmed else None)
