"""The publicity demo: news and announcements published, 典型案例 of demo centers published and
one awaiting approval, and policy versions so that /policies/ shows every group; a second run
changes nothing."""

from django.utils import timezone

from applications.policies import policies_by_validity
from centers.demo_publicity import ARTICLES, seed_publicity
from centers.models import Article, CaseStudy, Center


def test_the_publicity_demo_is_idempotent(designated_centers, commission_staff, client):
    Center.objects.filter(pk=designated_centers[0].pk).update(name="崂山湾人工智能赋能中心")
    Center.objects.filter(pk=designated_centers[1].pk).update(name="松岭路智能家电赋能中心")
    seed_publicity(commission_staff)
    counts = (Article.objects.count(), CaseStudy.objects.count())
    seed_publicity(commission_staff)
    assert (Article.objects.count(), CaseStudy.objects.count()) == counts
    assert Article.objects.filter(status="published").count() == len(ARTICLES)
    assert set(CaseStudy.objects.values_list("center__name", "status")) == {
        ("崂山湾人工智能赋能中心", "published"), ("松岭路智能家电赋能中心", "submitted")}
    groups = policies_by_validity(timezone.localdate())
    assert groups.current and groups.upcoming and groups.expired
    page = client.get("/cases/").content.decode()
    assert "注塑件质量在线检测" in page and "供应链协同平台" not in page
