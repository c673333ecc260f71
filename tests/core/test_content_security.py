"""Content-Security-Policy: pages carry it, and no template holds script the policy would block
(inline <script> blocks, on…= handlers, javascript: links) or an inline style attribute."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loaders.app_directories import get_app_template_dirs
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
# Rendered by WeasyPrint into PDFs, never served to a browser: CSP does not apply there.
PDF_TEMPLATES = ("applications/pdf/",)

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/(?:ld\+)?json)"
                           r"[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)


def our_templates():
    """Every template of the project: templates/ and the templates/ folder of our own apps."""
    folders = [ROOT / "templates"] + [Path(d) for d in get_app_template_dirs("templates")
                                      if Path(d).is_relative_to(ROOT)
                                      and ".venv" not in Path(d).parts]
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            name = path.relative_to(folder).as_posix()
            yield pytest.param(path, id=name, marks=[]) if not name.startswith(
                PDF_TEMPLATES) else pytest.param(path, id=name + " (PDF)")


def test_the_scan_finds_the_templates():
    names = {p.values[0].name for p in our_templates()}
    assert {"base.html", "login.html", "call_detail.html"} <= names


@pytest.mark.parametrize("path", list(our_templates()))
def test_no_template_holds_inline_script(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), f"{path}: inline <script>; move it to static/js"
    assert not EVENT_HANDLER.search(text), f"{path}: on…= handler; use a listener in static/js"
    assert not JAVASCRIPT_URL.search(text), f"{path}: javascript: URL"


@pytest.mark.parametrize("path", [p for p in our_templates() if "(PDF)" not in p.id])
def test_no_served_template_holds_a_style_attribute(path):
    text = path.read_text(encoding="utf-8")
    assert not STYLE_ATTRIBUTE.search(text), f"{path}: style= attribute; use a class in CSS"


@pytest.mark.parametrize("snippet", [
    "<script>alert(1)</script>", '<SCRIPT type="text/javascript">x()</SCRIPT>',
    '<form onsubmit="return confirm(1)">', '<a href="javascript:void(0)">',
])
def test_the_scan_catches_what_csp_blocks(snippet):
    assert INLINE_SCRIPT.search(snippet) or EVENT_HANDLER.search(snippet) or \
        JAVASCRIPT_URL.search(snippet)


@pytest.mark.parametrize("snippet", [
    '<script src="/static/js/portal.js"></script>',
    '<script id="d" type="application/json">{}</script>',
    '<form data-confirm="确定？" data-once>',
])
def test_the_scan_lets_external_script_and_data_pass(snippet):
    assert not (INLINE_SCRIPT.search(snippet) or EVENT_HANDLER.search(snippet))


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "login", "register", "password_reset",
                                      "organisation_claim"])
def test_pages_carry_a_strict_policy(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_signed_in_pages_and_the_admin_carry_the_policy(role_client):
    client = role_client("commission_staff")
    for url in (reverse("dashboard_commission"), reverse("lockout_list"), reverse("admin:login")):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert "default-src 'self'" in response["Content-Security-Policy"], url
