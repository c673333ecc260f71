"""Rows of the permission table for 政策文件 and 宣传推介 (第十五条、第十九条、第二十条; see
tests/permission_table.py): the policy page, published news and published 典型案例 are public
(anything unpublished answers 404 to everyone); a center's cases, drafts included, are its own
unit's only (the other unit, the districts and the commission are refused); the review queue is
the commission's, which never sees a draft; a 主管部门 reads its own centers' cases sent to the
commission (never a draft, nothing of another department's: 404)."""

from ..permission_table import LOGIN, Row, answers, everyone, only
from .permission_rows_designation import _center

OTHERS = {"applicant_b": 403, "district_official_b": 403}


def _article(world, status="published"):
    from django.utils import timezone

    from centers.models import Article

    article = Article.objects.create(
        kind="news", title="赋能中心建设工作推进会召开", body="<p>会议要求……</p>", status=status,
        published_at=timezone.now() if status == "published" else None,
        created_by=world.user("commission_staff"))
    return {"pk": article.pk}


def _case(world, status="draft"):
    from django.utils import timezone

    from centers.models import CaseStudy

    center_pk = _center(world)["center"]
    case = CaseStudy.objects.create(
        center_id=center_pk, title="注塑企业质量在线检测", summary="摘要", body="<p>正文</p>",
        status=status, created_by=world.user("applicant"),
        submitted_at=None if status == "draft" else timezone.now(),
        published_at=timezone.now() if status == "published" else None)
    world.objects["case"] = case
    return {"pk": center_pk, "case_pk": case.pk}


def _public_case(world, status="published"):
    return {"pk": _case(world, status)["case_pk"]}


def _laoshan_case(world, status="submitted"):
    """A case of a center supervised by 崂山区 (district_official's department)."""
    from django.utils import timezone

    from centers.models import CaseStudy

    from .permission_rows_supervision import _center_of_laoshan

    _center_of_laoshan(world)
    case = CaseStudy.objects.create(
        center=world.objects["center"], title="注塑企业质量在线检测", body="<p>正文</p>",
        status=status, created_by=world.user("applicant"),
        submitted_at=None if status == "draft" else timezone.now(),
        published_at=timezone.now() if status == "published" else None)
    return {"pk": case.pk}


DISTRICTS = only("district_official", "district_official_b")


ROWS = [
    Row("applications:policy_list", everyone(200)),
    Row("centers:news_list", everyone(200)),
    Row("centers:news_list", everyone(200), data={"kind": "announcement"}, state="by 栏目"),
    Row("centers:news_detail", everyone(200), kwargs=_article, state="published"),
    Row("centers:news_detail", everyone(404), kwargs=lambda w: _article(w, "draft"),
        state="a draft"),
    Row("centers:news_detail", everyone(404), kwargs=lambda w: _article(w, "withdrawn"),
        state="withdrawn"),
    Row("centers:case_public_list", everyone(200)),
    Row("centers:case_public_detail", everyone(200), kwargs=_public_case, state="published"),
    Row("centers:case_public_detail", everyone(404), kwargs=lambda w: _public_case(w, "draft"),
        state="a draft is nobody's public page"),
    Row("centers:case_public_detail", everyone(404),
        kwargs=lambda w: _public_case(w, "submitted"), state="awaiting approval"),
    Row("centers:case_list", only("applicant") | OTHERS,
        kwargs=lambda w: {"pk": _center(w)["center"]}),
    Row("centers:case_new", only("applicant") | OTHERS,
        kwargs=lambda w: {"pk": _center(w)["center"]}),
    Row("centers:case_new", answers(403, anonymous=LOGIN, applicant=200) | OTHERS,
        method="post", kwargs=lambda w: {"pk": _center(w)["center"]}, data={"title": ""},
        state="an empty title comes back with the error"),
    Row("centers:case_edit", only("applicant") | OTHERS, kwargs=_case, state="a draft"),
    Row("centers:case_edit", only("applicant") | OTHERS, kwargs=lambda w: _case(w, "published"),
        state="published"),
    Row("centers:case_autosave",
        answers(403, anonymous=401, applicant=200) | OTHERS, method="post", kwargs=_case,
        data={"title": "注塑企业质量在线检测", "summary": "", "body": "<p>改</p>",
              "version": "0"}, state="a draft"),
    Row("centers:case_autosave", everyone(405), kwargs=_case, state="GET"),
    Row("centers:district_case_list", DISTRICTS),
    Row("centers:district_case_list", DISTRICTS, data={"status": "returned"}, state="returned"),
    Row("centers:district_case_detail", DISTRICTS | {"district_official_b": 404},
        kwargs=_laoshan_case, state="awaiting approval; another district's is not found"),
    Row("centers:district_case_detail", DISTRICTS | {"district_official_b": 404},
        kwargs=lambda w: _laoshan_case(w, "published"), state="published"),
    Row("centers:district_case_detail", DISTRICTS | {"district_official": 404,
                                                     "district_official_b": 404},
        kwargs=lambda w: _laoshan_case(w, "draft"), state="a draft is the unit's own"),
    Row("centers:case_queue", only("commission_staff")),
    Row("centers:case_queue", only("commission_staff"), data={"status": "all"}, state="all"),
    Row("centers:case_review", only("commission_staff"),
        kwargs=lambda w: _public_case(w, "submitted"), state="awaiting approval"),
    Row("centers:case_review", answers(403, anonymous=LOGIN, commission_staff=404),
        kwargs=lambda w: _public_case(w, "draft"), state="a draft is the unit's own"),
]
