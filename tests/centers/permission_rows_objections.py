"""Rows of the permission table for the objections (see tests/permission_table.py): anyone
opens the objection form of a published notice and the lookup; the commission alone lists and
handles objections and reads their evidence; the applicant alone reads and answers the
commission's questions about its application (anyone else: 404)."""


from django.core.files.base import ContentFile

from ..permission_table import LOGIN, Row, answers, everyone, only, redirect
from .permission_rows import _notice


def _objection(world):
    from centers.models import Objection, ObjectionFile, PublicNotice

    notice = PublicNotice.objects.get(pk=_notice(world, "published")["pk"])
    objection = Objection.objects.create(notice=notice, number="26-1-12345678", real_name="王五",
                                         phone="13912345678", facts="事实" * 20, truthful=True)
    evidence = ObjectionFile(objection=objection, original_name="证据.pdf", size=20)
    evidence.file.save("e.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {"pk": objection.pk, "file_pk": evidence.pk}


def _explanation_of_applicant(world):
    from accounts.selectors import user_primary_organisation
    from centers.models import ExplanationRequest, Objection
    from tests.factories import ApplicationFactory

    objection = Objection.objects.get(pk=_objection(world)["pk"])
    user = world.user("applicant")
    application = ApplicationFactory(organisation=user_primary_organisation(user),
                                     created_by=user, submitted=True)
    ExplanationRequest.objects.create(objection=objection, application=application,
                                      question="请说明。", asked_by=world.user("commission_staff"))
    return {"pk": application.pk}


ROWS = [
    Row("centers:objection_new", everyone(200), kwargs=lambda w: _notice(w, "published"),
        state="a published notice (the page says whether it is open)"),
    Row("centers:objection_new", everyone(404), kwargs=lambda w: _notice(w, "draft"),
        state="a draft"),
    Row("centers:objection_filed", everyone(redirect("centers:objection_lookup")),
        state="nothing filed in this session"),
    Row("centers:objection_lookup", everyone(200)),
    Row("centers:objection_lookup", everyone(200), method="post",
        data={"number": "26-1-12345678", "phone": "13912345678"}, state="a lookup"),
    Row("centers:objection_list", only("commission_staff")),
    Row("centers:objection_handle", only("commission_staff"),
        kwargs=lambda w: {"pk": _objection(w)["pk"]}),
    Row("centers:objection_file", only("commission_staff"), kwargs=_objection),
    Row("centers:explanations", answers(404, anonymous=LOGIN, applicant=200),
        kwargs=_explanation_of_applicant, state="a question to the applicant's application"),
]

