"""Who gets what from every URL: one table of URL pattern × role (× state) → expected answer.

`tests/test_permission_gate.py` walks every URL pattern of the resolver and fails when a named
pattern has no row here (the admin and static files are exempt by rule), then requests each row
as each role and checks the answer. A feature that adds a URL adds its rows: either here or,
once it has many, in `tests/<app>/permission_rows.py` (a list `ROWS` of the same `Row`s)
joined to `TABLE` at the bottom of this file.

Format
------
`TABLE` is a list of `Row`s::

    Row("dashboard_auditor", only("auditor"))

    Row("notification_read", answers(404, anonymous=LOGIN, applicant=redirect("notification_list")),
        method="post", kwargs=notice_of_applicant, state="the applicant's own notice")

- `url_name`: the pattern's full name, namespace included (`"applications:detail"`).
- `expected`: a dict role key → answer, with a key for every role in `ROLES` (the helpers
  below fill them). It may add other keys of `tests.conftest.ROLE_USERS`, such as `applicant_b`
  (the applicant of organisation B in 即墨区) or `district_official_b` (即墨区's official), to
  check "the other organisation / the other district" answers.
- `method`: `"get"` (default), `"post"`, or any other HTTP method of Django's test client.
- `kwargs`: a function `(world) -> dict` returning the URL's keyword arguments; it builds the
  objects the URL needs (an application in a given status, another user's notification …).
  A URL without arguments may still use it to set up state and return `{}`.
- `data`: the GET query or POST body: a dict, or a function `(world) -> dict`.
- `state`: a few words naming the situation when a URL has several rows (states, methods).

`world` gives the builders the fixture users and a place to keep what they built:
`world.user("applicant")` is the user behind a role key (None for `"anonymous"`), `world.me`
is the user making the request (None when anonymous), `world.objects` is a dict for builders
and redirect targets to share objects.

Answers
-------
- an HTTP status code: `200`, `400`, `403`, `404`, `405` …; 403 and 404 must be the portal's
  Chinese refusal pages, or, from a JSON endpoint, JSON with a Chinese `detail`.
- `LOGIN`: a redirect (302) to the login page carrying `?next=`.
- `redirect("url_name")`: a redirect (302) to that URL (path compared, query ignored);
  `redirect(lambda world: path)` when the target has arguments.

Helpers building `expected`:
- `everyone(answer)`: the same answer for every role, anonymous visitors included.
- `answers(default, **by_role)`: `default` for every role, overridden per role key.
- `signed_in(answer, **by_role)`: anonymous → `LOGIN`, every other role → `answer`.
- `only(*role_keys, ok=200)`: anonymous → `LOGIN`, the named roles → `ok`, the rest → 403.

Every helper answers for the `superuser` and `staff_no_role` columns as for any other signed-in
user the page is not for: a 403 or 404 wherever `only` or `answers` refuses. Name them only
where they differ (the dashboard forwards both to Django admin).
`tests/test_permission_gate.py` checks that neither column is ever let in where an ordinary
role without business on the page is not.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .factories import NotificationFactory, UserFactory

ANONYMOUS = "anonymous"
ROLES = (
    ANONYMOUS,
    "applicant",
    "district_official",
    "commission_staff",
    "industry_staff",
    "third_party_staff",
    "expert",
    "auditor",
    # Admin flags without a role (第一部分 of issue 6): Django admin opens to them, nothing else
    # does. The helpers give them the answer of a signed-in user without business on the page.
    "superuser",
    "staff_no_role",
)

# The columns whose users hold no role of the portal, only Django admin flags.
ADMIN_FLAG_ROLES = ("superuser", "staff_no_role")


class _Login:
    def __repr__(self):
        return "LOGIN"


LOGIN = _Login()


@dataclass(frozen=True)
class Redirect:
    target: str | Callable[[Any], str]

    def __repr__(self):
        return f"redirect({self.target!r})"


def redirect(target: str | Callable[[Any], str]) -> Redirect:
    return Redirect(target)


@dataclass
class Row:
    url_name: str
    expected: dict[str, Any]
    method: str = "get"
    kwargs: Callable[[Any], dict] | None = None
    data: dict | Callable[[Any], dict] | None = None
    state: str = ""

    @property
    def label(self) -> str:
        return f"{self.url_name}[{self.state}]" if self.state else self.url_name


@dataclass
class World:
    """What row builders see: users by role key, the requesting user, shared objects."""

    user: Callable[[str], Any]
    me: Any = None
    objects: dict = field(default_factory=dict)


def answers(default, **by_role) -> dict:
    return {role: default for role in ROLES} | by_role


def everyone(answer) -> dict:
    return answers(answer)


def signed_in(answer, **by_role) -> dict:
    return answers(answer, **{ANONYMOUS: LOGIN} | by_role)


def only(*role_keys: str, ok=200) -> dict:
    return answers(403, **{ANONYMOUS: LOGIN} | {role: ok for role in role_keys})


# Builders ----------------------------------------------------------------------------------

def notice_of_applicant(world) -> dict:
    """A notification addressed to the applicant of organisation A."""
    notice = NotificationFactory(recipient=world.user("applicant"))
    world.objects["notice"] = notice
    return {"pk": notice.pk}


def unconfirmed_account(world) -> dict:
    """A freshly registered account and the link from its confirmation mail."""
    user = UserFactory(is_active=False)
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user)}


def forged_link(world) -> dict:
    user = UserFactory(is_active=False)
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": "abc-forged0000"}


# The table ---------------------------------------------------------------------------------

TABLE: list[Row] = [
    # Public pages
    Row("register", answers(redirect("dashboard"), **{ANONYMOUS: 200})),
    Row("register_done", everyone(200)),
    Row("register_confirm", everyone(redirect("login")), kwargs=unconfirmed_account,
        state="valid link"),
    Row("register_confirm", everyone(400), kwargs=forged_link, state="forged link"),

    # Signing in and out, passwords
    Row("login", answers(redirect("dashboard"), **{ANONYMOUS: 200})),
    Row("logout", everyone(405), state="GET"),
    Row("logout", everyone(redirect("home")), method="post"),
    Row("password_change", signed_in(200)),
    Row("password_change_done", signed_in(200)),
    Row("password_reset", everyone(200)),
    Row("password_reset_done", everyone(200)),
    Row("password_reset_confirm", everyone(200), kwargs=forged_link,
        state="forged link shows the invalid-link page"),
    Row("password_reset_complete", everyone(200)),

    # Notifications
    Row("notification_list", signed_in(200)),
    Row("notification_read",
        signed_in(404, applicant=redirect("notification_list"), applicant_b=404),
        method="post", kwargs=notice_of_applicant,
        state="the applicant's notice; everybody else's is not found"),
    Row("notification_read", signed_in(405), kwargs=notice_of_applicant, state="GET"),

    # Staying signed in from a page being written (401: the session has ended already)
    Row("session_keepalive", signed_in(200, **{ANONYMOUS: 401}), method="post"),
    Row("session_keepalive", everyone(405), state="GET"),

    # An applicant unit's accounts: members read, the administrator (applicant A) adds
    Row("organisation_members", only("applicant", "applicant_b")),
    Row("organisation_members",
        answers(403, **{ANONYMOUS: LOGIN, "applicant": redirect("organisation_members")}),
        method="post",
        data={"real_name": "王晓", "username": "wangxiao", "email": "wx@haizhi.example",
              "mobile": "13812345678"},
        state="the administrator opens a colleague's account"),

    # 本单位信息: members read it, the administrator (applicant A) keeps it
    Row("organisation_profile", only("applicant", "applicant_b")),
    Row("organisation_profile",
        answers(403, **{ANONYMOUS: LOGIN, "applicant": redirect("organisation_profile")}),
        method="post",
        data={"legal_representative": "王海", "registered_capital": "6000",
              "registered_on": "2015-06-18", "enterprise_qualification": "高新技术企业",
              "industry_qualification": "CS3级", "phone": "0532-88886666",
              "address": "青岛市崂山区", "contact_name": "张明",
              "contact_email": "zm@haizhi.example"},
        state="the administrator keeps it; other members read only"),
]

# Each feature's rows live beside its tests and join the one table here.
from .accounts.permission_rows import ROWS as ACCOUNT_ROWS  # noqa: E402
from .applications.permission_rows import ROWS as APPLICATION_ROWS  # noqa: E402
from .portal.permission_rows import ROWS as PORTAL_ROWS  # noqa: E402
from .reviews.permission_rows import ROWS as REVIEW_ROWS  # noqa: E402
from .experts.permission_rows_committee import ROWS as COMMITTEE_ROWS  # noqa: E402
from .experts.permission_rows_results import ROWS as EXPERT_RESULTS_ROWS  # noqa: E402
from .experts.permission_rows_assignment import ROWS as EXPERT_ASSIGNMENT_ROWS  # noqa: E402
from .experts.permission_rows_avoidance import ROWS as EXPERT_AVOIDANCE_ROWS  # noqa: E402
from .experts.permission_rows_scoring import ROWS as EXPERT_SCORING_ROWS  # noqa: E402
from .centers.permission_rows import ROWS as CENTER_ROWS  # noqa: E402
from .centers.permission_rows_designation import ROWS as DESIGNATION_ROWS  # noqa: E402
from .centers.permission_rows_objections import ROWS as OBJECTION_ROWS  # noqa: E402
from .centers.permission_rows_records import ROWS as RECORD_ROWS  # noqa: E402
from .centers.permission_rows_changes import ROWS as CHANGE_ROWS  # noqa: E402
from .centers.permission_rows_supervision import ROWS as SUPERVISION_ROWS  # noqa: E402
from .evaluations.permission_rows_cycles import ROWS as EVALUATION_CYCLE_ROWS  # noqa: E402
from .evaluations.permission_rows_materials import ROWS as MATERIALS_ROWS  # noqa: E402
from .evaluations.permission_rows_scoring import ROWS as SCORING_ROWS  # noqa: E402
from .evaluations.permission_rows_revocations import ROWS as REVOCATION_ROWS  # noqa: E402
from .centers.permission_rows_map import ROWS as MAP_ROWS  # noqa: E402
from .portal.permission_rows_statistics import ROWS as STATISTICS_ROWS  # noqa: E402

TABLE += ACCOUNT_ROWS
TABLE += APPLICATION_ROWS
TABLE += PORTAL_ROWS
TABLE += REVIEW_ROWS
TABLE += COMMITTEE_ROWS
TABLE += EXPERT_ASSIGNMENT_ROWS
TABLE += EXPERT_RESULTS_ROWS
TABLE += EXPERT_AVOIDANCE_ROWS
TABLE += EXPERT_SCORING_ROWS
TABLE += CENTER_ROWS
TABLE += DESIGNATION_ROWS
TABLE += OBJECTION_ROWS
TABLE += RECORD_ROWS
TABLE += CHANGE_ROWS
TABLE += SUPERVISION_ROWS
TABLE += EVALUATION_CYCLE_ROWS
TABLE += MATERIALS_ROWS
TABLE += SCORING_ROWS
TABLE += REVOCATION_ROWS

from .portal.permission_rows_open_data import ROWS as OPEN_DATA_ROWS  # noqa: E402

TABLE += OPEN_DATA_ROWS
TABLE += MAP_ROWS
from .centers.permission_rows_publicity import ROWS as PUBLICITY_ROWS  # noqa: E402

TABLE += PUBLICITY_ROWS
TABLE += STATISTICS_ROWS
