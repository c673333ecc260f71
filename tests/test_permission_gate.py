"""The permission gate: every URL is in `tests/permission_table.py`, and answers as it says.

Exempt by rule: the Django admin (its own permission system, staff only) and static or media
files. Everything else must be named and have a row for every role.
"""

from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from .conftest import ANONYMOUS, ROLE_USERS
from .permission_table import (
    ADMIN_FLAG_ROLES,
    LOGIN,
    ROLES,
    TABLE,
    Redirect,
    Row,
    World,
    redirect,
)

pytestmark = pytest.mark.usefixtures("celery_eager")

EXEMPT_PREFIXES = tuple(
    prefix for prefix in ("admin/", settings.STATIC_URL.lstrip("/"),
                          settings.MEDIA_URL.lstrip("/")) if prefix
)

# The portal's own refusal pages (templates/403.html, 404.html), never Django's English ones.
REFUSAL_TEXT = {403: "您没有访问此页面的权限", 404: "页面不存在"}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, full name) of every URL pattern, walking included URLconfs recursively."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and ":".join(n for n in (namespace, pattern.name) if n)
            yield route, name


def gated_patterns():
    return [(route, name) for route, name in url_patterns()
            if not route.startswith(EXEMPT_PREFIXES)]


def test_the_walk_names_nested_patterns_with_their_namespace():
    def view(request):
        return None

    inner = [path("detail/<int:pk>/", view, name="detail"), path("raw/", view)]
    patterns = [path("", view, name="home"), path("calls/", include((inner, "calls")))]

    assert list(url_patterns(patterns)) == [
        ("", "home"), ("calls/detail/<int:pk>/", "calls:detail"), ("calls/raw/", None)]


def test_only_admin_and_static_are_exempt():
    every = list(url_patterns())
    gated = gated_patterns()
    assert ("", "home") in gated
    exempt = [route for route, name in every if (route, name) not in gated]
    assert exempt and all(route.startswith(("admin/", "static/", "media/")) for route in exempt)


def test_every_url_pattern_has_a_name():
    unnamed = sorted(route for route, name in gated_patterns() if not name)
    assert not unnamed, f"name these URL patterns so the permission table can list them: {unnamed}"


def test_every_named_url_pattern_is_in_the_table():
    in_table = {row.url_name for row in TABLE}
    missing = sorted({name for _, name in gated_patterns() if name} - in_table)
    assert not missing, (
        "URL patterns without a row in tests/permission_table.py (say who may open them): "
        f"{missing}"
    )


def test_the_table_names_no_url_that_does_not_exist():
    existing = {name for _, name in gated_patterns()}
    stale = sorted({row.url_name for row in TABLE} - existing)
    assert not stale, f"rows for URL names that no longer exist: {stale}"


def test_every_row_answers_for_every_role():
    for row in TABLE:
        missing = [role for role in ROLES if role not in row.expected]
        unknown = [key for key in row.expected if key != ANONYMOUS and key not in ROLE_USERS]
        assert not missing, f"{row.label}: no answer for {missing}"
        assert not unknown, f"{row.label}: unknown role keys {unknown}"
        for answer in row.expected.values():
            assert answer is LOGIN or isinstance(answer, (int, Redirect)), (row.label, answer)


REFUSALS = {400, 403, 404, 405}


def test_admin_flags_are_let_in_nowhere_a_role_is_needed():
    """A superuser or is_staff user without a role is refused on every applicant, official and
    expert page of the table: the only pages open to them are those open to every signed-in
    role alike (their password, their notices), and the dashboard sends them to admin."""
    let_in = []
    for row in TABLE:
        ordinary = [row.expected[role] for role in ROLES
                    if role not in (ANONYMOUS, *ADMIN_FLAG_ROLES)]
        for role in ADMIN_FLAG_ROLES:
            answer = row.expected[role]
            if answer in REFUSALS:
                continue
            if all(other == answer for other in ordinary):
                continue  # the same for every signed-in role: not a role's page
            if row.url_name == "dashboard" and answer == redirect("admin:index"):
                continue
            let_in.append(f"{row.label} {row.method.upper()} as {role}: {answer!r}")
    assert not let_in, let_in


def cases():
    for row in TABLE:
        for role in row.expected:
            yield pytest.param(row, role, id=f"{row.label}-{row.method}-{role}")


def _resolve(value, world):
    return value(world) if callable(value) else value


def check_answer(response, expected, world, label):
    where = f"{label}: got {response.status_code}"
    if expected is LOGIN:
        assert response.status_code == 302, where
        target = urlparse(response.url)
        assert target.path == reverse("login"), f"{where} to {response.url}, not to login"
        assert "next" in parse_qs(target.query), f"{where}: login link without ?next="
    elif isinstance(expected, Redirect):
        path = _resolve(expected.target, world)
        path = path if path.startswith("/") else reverse(path)
        assert response.status_code == 302, where
        assert urlparse(response.url).path == path, f"{where} to {response.url}, not {path}"
    else:
        assert response.status_code == expected, where
        if expected in REFUSAL_TEXT and response.get("Content-Type") == "application/json":
            # A JSON endpoint refuses in JSON (the map's data, like the open-data API).
            detail = response.json().get("detail", "")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), (
                f"{label}: {expected} in JSON without a Chinese detail")
        elif expected in REFUSAL_TEXT:
            assert REFUSAL_TEXT[expected] in response.content.decode(), (
                f"{label}: {expected} without the portal's Chinese page")


@pytest.mark.parametrize(("row", "role"), list(cases()))
def test_each_role_gets_the_expected_answer(row: Row, role: str, role_user, role_client):
    client = role_client(role)
    world = World(user=role_user, me=role_user(role))
    kwargs = row.kwargs(world) if row.kwargs else {}
    url = reverse(row.url_name, kwargs=kwargs)
    data = _resolve(row.data, world) or {}

    response = getattr(client, row.method)(url, data)

    check_answer(response, row.expected[role], world, f"{row.label} {row.method.upper()} "
                                                     f"as {role}")
