"""Rows of the permission table for designation and plaques (see tests/permission_table.py):
the announcement, the directory, a center's page and plaque verification are public; the
certificate downloads for the commission and the center's own unit only."""

from ..permission_table import Row, everyone, only
from .permission_rows import _notice


def _center(world, status="finalised"):
    import datetime

    from django.core.files.base import ContentFile

    from accounts.selectors import user_primary_organisation
    from centers.models import Center, Plaque, PublicNotice
    from tests.factories import ApplicationFactory

    notice = PublicNotice.objects.get(pk=_notice(world, status)["pk"])
    applicant = world.user("applicant")
    application = ApplicationFactory(call=notice.call, complete=True, status="proposed",
                                     organisation=user_primary_organisation(applicant),
                                     created_by=applicant)
    center = Center.objects.create(application=application, notice=notice,
                                   name="青岛市测试赋能中心", lead_unit_name="测试单位",
                                   designated_on=datetime.date(2026, 6, 20))
    plaque = Plaque.objects.create(center=center, number="青数赋-2026-001",
                                   token="t" * 32, issued_on=center.designated_on)
    plaque.certificate.save("certificate.pdf", ContentFile(b"%PDF-1.4\n"))
    world.objects["center"], world.objects["plaque"] = center, plaque
    return {"notice": notice.pk, "center": center.pk, "plaque": plaque.pk, "token": plaque.token}


def _announcement(world):
    return {"pk": _center(world)["notice"]}


def _closed_notice(world):
    return _notice(world, "closed")


ROWS = [
    Row("centers:announcement", everyone(200), kwargs=_announcement, state="finalised"),
    Row("centers:announcement", everyone(404), kwargs=_closed_notice, state="not finalised"),
    Row("centers:center_list", everyone(200)),
    Row("centers:revoked_list", everyone(200)),
    Row("centers:center_detail", everyone(200), kwargs=lambda w: {"pk": _center(w)["center"]}),
    Row("centers:verify", everyone(200)),
    Row("centers:verify", everyone(200), data={"number": "青数赋-2026-001"}, state="a number"),
    Row("centers:verify_token", everyone(200), kwargs=lambda w: {"token": _center(w)["token"]},
        state="a known token"),
    Row("centers:verify_token", everyone(200), kwargs=lambda w: {"token": "x" * 32},
        state="an unknown token"),
    Row("centers:certificate_download", only("commission_staff", "applicant"),
        kwargs=lambda w: {"pk": _center(w)["plaque"]}),
]
