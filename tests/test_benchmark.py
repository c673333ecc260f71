"""The benchmark (`make benchmark`, issue 7): its seeding is idempotent and refuses a database
holding real data, every list page and dashboard is registered in it, and every registered page
answers on a small seeded database."""

import inspect
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Organisation, User
from applications.enums import ApplicationStatus
from applications.models import Application, ApplicationUnit, Attachment
from core.benchmark import FLOOR, YARDSTICK, benchmark_pages
from scripts.benchmark import seed as seeding
from scripts.benchmark import urls as benchmark_urls  # its floor page registers on import

from .factories import UserFactory

SMALL = 30


def lead_applications():
    return Application.objects.filter(organisation__name__startswith=seeding.ORG_PREFIX)


@pytest.mark.django_db
def test_seeding_twice_gives_n_applications_of_every_status():
    world = seeding.seed(SMALL)
    counts = (User.objects.count(), Organisation.objects.count(), ApplicationUnit.objects.count(),
              Attachment.objects.count())
    assert seeding.seed(SMALL).applications == world.applications == SMALL
    assert (User.objects.count(), Organisation.objects.count(),
            ApplicationUnit.objects.count(), Attachment.objects.count()) == counts
    assert lead_applications().count() == SMALL
    assert set(lead_applications().values_list("status", flat=True)) == set(
        ApplicationStatus.values)
    assert Attachment.objects.count() == SMALL * 2 // 5
    assert lead_applications().values("routed_department").distinct().count() > 5
    assert set(world.users) >= {"applicant", "district_official", "commission_staff",
                                "industry_staff", "third_party_staff", "expert", "auditor"}


@pytest.mark.django_db
def test_seeding_a_smaller_number_removes_the_surplus():
    from applications.services import application_submit

    seeding.seed(SMALL)
    # The last draft a rush may submit, submitted: its applicant is in the audit log now.
    application_id, user_id = seeding.rush_drafts(SMALL)[-1]
    application_submit(application=Application.objects.get(pk=application_id),
                       actor=User.objects.get(pk=user_id))
    assert Application.objects.get(pk=application_id).organisation.uscc >= seeding.uscc(
        seeding.LEAD_SERIAL + SMALL - 10)
    assert seeding.seed(SMALL - 10).applications == SMALL - 10
    assert lead_applications().count() == SMALL - 10
    assert not Organisation.objects.filter(uscc=seeding.uscc(seeding.LEAD_SERIAL + SMALL - 1))


@pytest.mark.django_db
def test_seeding_refuses_a_database_with_real_users():
    UserFactory(username="zhangsan")
    with pytest.raises(seeding.BenchmarkRefused, match="did not write"):
        seeding.seed(SMALL)
    assert not lead_applications().exists()


@pytest.mark.django_db
def test_rush_drafts_are_complete_and_back_in_draft_after_a_rush():
    from applications.services import submission_problems

    from applications.services import application_submit

    seeding.seed(SMALL)
    drafts = seeding.rush_drafts(3)
    assert len(drafts) == 3
    application = Application.objects.get(pk=drafts[0][0])
    assert submission_problems(application) == []
    application_submit(application=application, actor=User.objects.get(pk=drafts[0][1]))

    assert seeding.rush_drafts(3) == drafts
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.receipt_number is None
    assert lead_applications().count() == SMALL


# --- the page registry ----------------------------------------------------------------------

# A view is a list when its code pages through rows (django.core.paginator, or a selector
# returning a page such as `application_list_page`); every dashboard is one too.
PAGINATED = re.compile(r"\bPaginator\b|_page\(|\bpaginate")


def _views(patterns=None, prefix="", namespace=""):
    """(route, full URL name, view callback) of every named URL pattern outside admin."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from _views(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield route, ":".join(n for n in (namespace, pattern.name) if n), pattern.callback


def _source(callback) -> str:
    """The source of a view: a function's own (decorators unwrapped), or every class of a
    class-based view's hierarchy that belongs to the portal."""
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return inspect.getsource(inspect.unwrap(callback))
    return "\n".join(inspect.getsource(cls) for cls in view_class.__mro__
                     if not cls.__module__.startswith(("django.", "builtins")))


def list_url_names() -> set[str]:
    return {name for _, name, callback in _views()
            if name.split(":")[-1].startswith("dashboard_") or PAGINATED.search(_source(callback))}


def test_the_list_detection_finds_the_known_lists():
    assert list_url_names() >= {"applications:staff_list", "lockout_list", "notification_list",
                                "dashboard_auditor", "dashboard_commission"}


def test_every_list_page_and_dashboard_is_in_the_benchmark():
    registered = {page.url_name for page in benchmark_pages()}
    missing = sorted(list_url_names() - registered)
    assert not missing, (
        f"register these list pages in the benchmark, in <app>/benchmark_pages.py "
        f"(see core/benchmark.py): {missing}")


@pytest.mark.urls(benchmark_urls.__name__)
@pytest.mark.django_db
def test_every_registered_page_answers_for_its_role_on_a_seeded_database():
    world = seeding.seed(SMALL)
    pages = benchmark_pages()
    assert {page.kind for page in pages} >= {FLOOR, YARDSTICK}
    answers = {}
    for page in pages:
        client = Client()
        if page.role != "anonymous":
            client.force_login(world.users[page.role])
        answers[page.label] = client.get(page.url(world)).status_code
    assert {label: status for label, status in answers.items() if status != 200} == {}
