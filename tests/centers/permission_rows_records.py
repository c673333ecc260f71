"""Rows of the permission table for a center's operation pages, part C (see
tests/permission_table.py): the workspace, service records, their evidence and the progress
page are read by the center's unit (applicant A), the official of its 主管部门 (崂山区) and the
commission; the other unit, the other district and every other role are refused, the public
is sent to sign in. Only the center's unit writes (new, edit, delete, import)."""

from ..permission_table import LOGIN, Row, answers, redirect, signed_in


def _center(world):
    """A designated center of applicant A's unit under 崂山区 (the district official's
    department), with one training record and one evidence file."""
    import datetime

    from django.core.files.base import ContentFile

    from accounts.enums import Role
    from accounts.selectors import user_department_ids, user_primary_organisation
    from centers.models import Center, ServiceRecord, ServiceRecordFile
    from centers.targets import targets_initial
    from tests.factories import ApplicationFactory

    from .permission_rows import _notice

    if "record_center" in world.objects:
        return world.objects["record_center"]
    from centers.models import PublicNotice

    notice = PublicNotice.objects.get(pk=_notice(world, "finalised")["pk"])
    applicant = world.user("applicant")
    [department_id] = user_department_ids(world.user("district_official"),
                                          Role.DISTRICT_OFFICIAL)
    application = ApplicationFactory(call=notice.call, complete=True, status="proposed",
                                     organisation=user_primary_organisation(applicant),
                                     created_by=applicant)
    center = Center.objects.create(application=application, notice=notice,
                                   name="青岛市测试赋能中心", lead_unit_name="测试单位",
                                   department_id=department_id, goal_patents=3,
                                   designated_on=datetime.date(2026, 1, 5))
    targets_initial(center)
    record = ServiceRecord.objects.create(center=center, kind="training",
                                          occurred_on=datetime.date(2026, 2, 1), title="培训",
                                          hours=2, participants=30, created_by=applicant)
    evidence = ServiceRecordFile(record=record, original_name="签到表.pdf", size=20)
    evidence.file.save("e.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    world.objects["record_center"] = found = {"pk": center.pk, "record_pk": record.pk,
                                              "file_pk": evidence.pk}
    return found


def _of_center(world):
    return {"pk": _center(world)["pk"]}


def _of_record(world):
    found = _center(world)
    return {"pk": found["pk"], "record_pk": found["record_pk"]}


def _new_training(world):
    return {**_of_center(world), "kind": "training"}


# Readers: the unit, its 主管部门, the commission; not the other unit nor the other district.
READERS = answers(403, anonymous=LOGIN, applicant=200, district_official=200,
                  commission_staff=200, applicant_b=403, district_official_b=403)
KEEPERS = answers(403, anonymous=LOGIN, applicant=200, applicant_b=403, district_official_b=403)

ROWS = [
    Row("centers:workspace", READERS, kwargs=_of_center),
    Row("centers:record_list", READERS, kwargs=_of_center),
    Row("centers:record_list", READERS, kwargs=_of_center, data={"kind": "training",
                                                                 "year": "2026"},
        state="filtered"),
    Row("centers:record_detail", READERS, kwargs=_of_record),
    Row("centers:record_file", READERS, kwargs=lambda w: _center(w)),
    Row("centers:progress", READERS, kwargs=_of_center),
    Row("centers:record_new", KEEPERS, kwargs=_new_training),
    Row("centers:record_edit", KEEPERS, kwargs=_of_record),
    Row("centers:record_import", KEEPERS, kwargs=_of_center),
    Row("centers:record_import_template", KEEPERS, kwargs=_of_center),
    Row("centers:record_delete", signed_in(405), kwargs=_of_record, state="GET"),
    Row("centers:record_delete",
        answers(403, anonymous=LOGIN, applicant=redirect(
            lambda w: f"/center/{_center(w)['pk']}/records/"), applicant_b=403,
            district_official_b=403),
        method="post", kwargs=_of_record, state="the unit deletes an open year's record"),
]
