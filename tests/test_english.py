"""No English on the pages each role sees (issue 6 §5, the shared brief: "Every page any role
sees is Chinese: no English word or code name on screen").

Walks every GET row of the permission table that answers 200, as that row's role, and reads
the page as a person does: text nodes plus the attributes a browser shows (placeholder, title,
alt, aria-label, the value of buttons), never markup, scripts, styles or data attributes. Any
run of two or more ASCII letters is a word; a word outside `ALLOWED` fails the test. The
commission also works in Django admin: its index, the changelists and the add forms of our
models are walked the same way (Django's own chrome is translated by zh-hans; our verbose names,
choices and actions must be Chinese).

The allow-list is short on purpose, and each entry says why it stays in Latin letters.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from .conftest import ROLE_USERS
from .permission_table import TABLE, World

pytestmark = pytest.mark.usefixtures("celery_eager")

ALLOWED = {
    # File formats and products, as Chinese offices name them (附件格式、Excel 导出).
    "PDF", "DOC", "DOCX", "XLS", "XLSX", "WPS", "OFD", "JPG", "JPEG", "PNG", "ZIP",
    "Word", "Excel",
    # Units of file size.
    "KB", "MB",
    # "IP 地址" is how Chinese staff name the address in an audit log.
    "IP",
    # Industry qualification grades as certificates print them (信息系统建设和服务能力评估CS3级,
    # ITSS 运维三级) in demo and fixture data.
    "CS", "ITSS",
    # The prefix of a Chinese patent number as the certificate prints it (专利号 ZL200310102344.5).
    "ZL",
}

# Data, not wording: e-mail addresses, host names and web addresses typed by users or shown
# as contacts, and the fixtures' usernames (a login name is whatever the user chose).
DATA_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    re.compile(r"https?://\S+"),
    re.compile(r"\b[\w-]+(\.[\w-]+)*\.(cn|com|test|example|org|net)\b"),
    # The extension of a file's name (营业执照.pdf): the name is the applicant's.
    re.compile(r"(?<=\S)\.(pdf|docx?|xlsx?|jpe?g|png|zip|wps|ofd)\b", re.IGNORECASE),
    # A 统一社会信用代码 (GB 32100-2015) is data, letters and all.
    re.compile(r"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b"),
)
# The open-data dictionary (第七条（八）) publishes, for the programmers of the 青岛市公共数据服务平台,
# the API's field identifiers, parameters and codes (`lead_unit_name`, `page`, `revoked`) and
# addresses: in <code> elements on that page only, each beside its Chinese name. The page names
# the formats and the encoding it serves as the platform's staff know them (UTF-8).
CODE_PAGES = {"open_data_dictionary"}
CODE_PAGE_ALLOWED = frozenset({"CSV", "JSON", "OpenAPI", "UTF"})
WORD = re.compile(r"[A-Za-z]{2,}")
VISIBLE_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label"}
HIDDEN_ELEMENTS = {"script", "style", "template", "noscript"}


class VisibleText(HTMLParser):
    """Collects what a reader sees of an HTML page.

    Django admin's status icons (`<img src=".../admin/img/icon-yes.svg" alt="True">`) carry an
    untranslatable alt text from Django itself; the icon is what staff see, so those alts are
    skipped.
    """

    def __init__(self, *, skip_code=False):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._hidden_elements = HIDDEN_ELEMENTS | ({"code"} if skip_code else set())

    def handle_starttag(self, tag, attrs):
        if tag in self._hidden_elements:
            self._hidden += 1
            return
        attributes = dict(attrs)
        if tag == "img" and "/admin/img/" in (attributes.get("src") or ""):
            attributes.pop("alt", None)
        for name in VISIBLE_ATTRIBUTES & attributes.keys():
            self.parts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self._hidden_elements and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def english_words(html: str, *, usernames=(), allowed=frozenset(), skip_code=False) -> list[str]:
    """The ASCII words of the page's visible text that are neither allowed nor data
    (`skip_code`: text in <code> elements is not read, see CODE_PAGES)."""
    parser = VisibleText(skip_code=skip_code)
    parser.feed(html)
    text = "\n".join(parser.parts)
    for pattern in DATA_PATTERNS:
        text = pattern.sub(" ", text)
    for username in usernames:
        text = re.sub(rf"(?<![\w]){re.escape(username)}(?![\w])", " ", text)
    return sorted({word for word in WORD.findall(text) if word not in ALLOWED | allowed})


def test_the_reader_sees_text_and_visible_attributes_only():
    html = """<html><head><title>申报 Portal</title><style>.x{color:red}</style></head>
    <body data-mode="draft"><script>var status = "draft";</script>
    <p class="lead">状态：submitted</p><input type="text" placeholder="Search" name="q">
    <input type="submit" value="保存"><button title="Close">×</button>
    <p>联系 director@haizhi.example.cn，附件 PDF 不超过 20 MB，用户 applicant_a</p></body></html>"""

    assert english_words(html, usernames=["applicant_a"]) == [
        "Close", "Portal", "Search", "submitted"]


def test_code_is_read_as_words_except_on_the_code_pages():
    html = "<p>字段 <code>lead_unit_name</code> 承建单位</p>"
    assert english_words(html) == ["lead", "name", "unit"]
    assert english_words(html, skip_code=True) == []


def page_cases():
    for row in TABLE:
        if row.method != "get":
            continue
        for role, answer in row.expected.items():
            if answer == 200:
                yield pytest.param(row, role, id=f"{row.label}-{role}")


@pytest.mark.parametrize(("row", "role"), list(page_cases()))
def test_no_english_on_the_page(row, role, role_user, role_client):
    client = role_client(role)
    world = World(user=role_user, me=role_user(role))
    kwargs = row.kwargs(world) if row.kwargs else {}
    data = row.data(world) if callable(row.data) else (row.data or {})

    response = client.get(reverse(row.url_name, kwargs=kwargs), data)

    assert response.status_code == 200
    if "html" not in response.get("Content-Type", ""):
        return
    usernames = [role_user(key).username for key in ROLE_USERS]
    code_page = row.url_name in CODE_PAGES
    words = english_words(response.content.decode(), usernames=usernames, skip_code=code_page,
                          allowed=CODE_PAGE_ALLOWED if code_page else frozenset())
    assert words == [], f"{row.label} as {role} shows English: {words}"


# Django admin's zh-hans translation keeps these in Latin letters: keyboard keys in the
# multi-select help (按住 Control 键，或 Mac 上的 Command 键) and LDAP in the password help.
ADMIN_ALLOWED = frozenset({"Control", "Command", "Mac", "LDAP"})



def _admin_pages():
    """Admin index, and the changelist and add form of every model registered in admin."""
    yield "index", reverse("admin:index")
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        for view in ("changelist", "add"):
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            except NoReverseMatch:
                continue
            yield f"{opts.label}.{view}", url


@pytest.fixture
def admin_client(client, db):
    from .factories import UserFactory

    client.force_login(UserFactory(username="platform_admin", is_staff=True, is_superuser=True))
    return client


def test_admin_pages_show_no_english(admin_client, submitted_a_for_admin):
    found = {}
    for label, url in _admin_pages():
        response = admin_client.get(url, follow=True)
        if response.status_code != 200:
            continue
        words = english_words(response.content.decode(),
                              usernames=["platform_admin", "applicant_a", "commission_staff"],
                              allowed=ADMIN_ALLOWED)
        if words:
            found[label] = words
    assert found == {}, "\n".join(f"{label}: {words}" for label, words in found.items())


@pytest.fixture
def submitted_a_for_admin(commission_staff, applicant_a, org_a):
    """Rows in the changelists: a submitted application with its call, units, attachments,
    documents and audit trail, built as the applicant builds it."""
    from applications import services

    from .factories import ApplicationFactory

    application = ApplicationFactory(complete=True, organisation=org_a, created_by=applicant_a)
    services.application_submit(application=application, actor=applicant_a)


@pytest.fixture
def applications_in_every_state(org_a, applicant_a, org_b, applicant_b, laoshan):
    """Organisation A's application in each state (one per call), a direct unit's, and B's."""
    from .factories import ApplicationFactory, CallFactory

    built = [ApplicationFactory(organisation=org_a, created_by=applicant_a, **traits)
             for traits in ({}, {"complete": True, "joint": True}, {"submitted": True},
                            {"returned": True}, {"withdrawn": True})]
    built.append(ApplicationFactory(submitted=True, direct=True))
    built.append(ApplicationFactory(submitted=True, organisation=org_b, created_by=applicant_b,
                                    call=CallFactory(closed=True)))
    return built


@pytest.mark.parametrize("role", ["applicant", "district_official", "commission_staff"])
def test_no_english_where_applications_of_every_state_are_listed(
        role, role_client, role_user, applications_in_every_state):
    client = role_client(role)
    urls = [reverse("dashboard"), reverse("notification_list")]
    if role == "commission_staff":
        urls.append(reverse("applications:staff_list"))
    if role == "applicant":
        urls += [reverse("applications:mine"), reverse("applications:mine") + "?status=returned"]
    urls += [reverse("applications:detail", args=[a.pk]) for a in applications_in_every_state]
    usernames = [role_user(key).username for key in ROLE_USERS]
    found = {}
    for url in urls:
        response = client.get(url, follow=True)
        if response.status_code == 200:
            words = english_words(response.content.decode(), usernames=usernames)
            if words:
                found[url] = words
    assert found == {}
