"""SQLite, the embedded default, under a burst of requests to a real server.

The portal runs as `make run` runs it (`manage.py runserver`, threaded) on a SQLite file, whatever
database the rest of the suite uses; eight clients, each with its own session, then save a step,
autosave, submit and register at the same moment. Nothing may answer 500 ("database is locked"),
and a form sent twice at once (a double click) creates one thing.
"""

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8
CSRF = "a" * 32  # an unmasked CSRF secret: the cookie and the field carry the same value


def _world():
    """Run inside the server's database (see `server`): a published call, a draft of
    崂山区's company, a complete application of 即墨区's, and eight sessions of each of their
    users, made without a password (no PBKDF2 wait). Prints the ids as JSON."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import update_last_login  # noqa: F401
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import Department
    from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory, applicant, staff
    from accounts.enums import Role
    from applications import services

    laoshan = Department.objects.get(short_name="崂山区")
    jimo = Department.objects.get(short_name="即墨区")
    commission = Department.objects.get(short_name="市发展改革委")
    commission_user = staff(Role.COMMISSION_STAFF, commission, username="commission_staff")
    call = services.call_publish(call=CallFactory(unpublished=True), actor=commission_user,
                                 policy_confirmed=True)
    org_a = OrganisationFactory(name="青岛海智工业互联网有限公司", competent_department=laoshan)
    org_b = OrganisationFactory(name="青岛即墨纺织数字科技有限公司", competent_department=jimo)
    user_a = applicant(org_a, username="applicant_a")
    user_b = applicant(org_b, username="applicant_b")
    staff(Role.DISTRICT_OFFICIAL, jimo, username="official_jimo")
    draft = services.application_start(call=call, organisation=org_a, actor=user_a)
    complete = ApplicationFactory(complete=True, call=call, organisation=org_b, created_by=user_b)

    def sessions(user):
        keys = []
        for _ in range(CLIENTS):
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            keys.append(store.session_key)
        return keys

    print(json.dumps({"draft": draft.pk, "complete": complete.pk,
                      "sessions_a": sessions(user_a), "sessions_b": sessions(user_b),
                      "laoshan": laoshan.pk}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite-server")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "REDIS_URL": "",
           "DEBUG": "true", "MEDIA_ROOT": str(folder / "media"),
           "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def manage(*args, **kwargs):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300, **kwargs)

    migrated = manage("migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    built = subprocess.run([sys.executable, "-c",
                            "import tests.test_sqlite_concurrency as t; t._world()"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    world = json.loads(built.stdout.strip().splitlines()[-1])

    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload",
                                f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"the server did not start: {(folder / 'server.log').read_text()}")
            time.sleep(0.2)
    world.update(port=port, log=folder / "server.log", env=env)
    yield world
    process.terminate()
    process.wait(timeout=30)
    log.close()


def request(server, method, path, *, session=None, fields=None, files=None):
    """One request on its own connection; returns (status, Location header, body)."""
    headers = {"Cookie": f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else ""),
               "Referer": f"http://127.0.0.1:{server['port']}/",
               "Host": f"127.0.0.1:{server['port']}"}
    body = None
    if method == "POST":
        fields = {"csrfmiddlewaretoken": CSRF, **(fields or {})}
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                             f"\r\n\r\n{value}\r\n".encode())
            for name, (filename, content, content_type) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                             f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
                             .encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read()
    finally:
        connection.close()


def burst(calls):
    """Runs the calls at the same moment, one thread each; returns their answers in order."""
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def query(server, sql):
    code = ("import django, json; django.setup(); from django.db import connection; "
            f"c = connection.cursor(); c.execute({sql!r}); print(json.dumps(c.fetchall()))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=server["env"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_no_server_error(answers, server):
    statuses = [status for status, _, _ in answers]
    assert all(status < 500 for status in statuses), (
        statuses, server["log"].read_text()[-4000:])


def test_eight_simultaneous_step_saves_and_autosaves(server):
    draft = server["draft"]
    step = f"/applications/{draft}/step/plan/"
    saves = [
        (lambda i=i: request(server, "POST", step, session=server["sessions_a"][i],
                             fields={"plan_unit_overview": f"第{i}位同事写的基础条件。",
                                     "save_and_stay": "1"}))
        for i in range(CLIENTS)
    ]
    autosaves = [
        (lambda i=i: request(server, "POST", step + "autosave/",
                             session=server["sessions_a"][i],
                             fields={"plan_other": f"第{i}次自动保存。"}))
        for i in range(CLIENTS)
    ]
    answers = burst(saves + autosaves)

    assert_no_server_error(answers, server)
    assert [status for status, _, _ in answers] == [302] * CLIENTS + [200] * CLIENTS
    [[foundation]] = query(server, f"select plan_unit_overview from applications_application "
                                   f"where id = {draft}")
    assert foundation in {f"第{i}位同事写的基础条件。" for i in range(CLIENTS)}


def test_eight_simultaneous_submits_submit_once(server):
    complete = server["complete"]
    answers = burst([
        (lambda i=i: request(server, "POST", f"/applications/{complete}/submit/",
                             session=server["sessions_b"][i],
                             fields={"form_token": secrets.token_urlsafe(24), "confirm": "1"}))
        for i in range(CLIENTS)
    ])

    assert_no_server_error(answers, server)
    assert {status for status, _, _ in answers} == {302}
    [[status, submissions]] = query(server, (
        "select a.status, (select count(*) from core_statuschange s "
        f"where s.object_id = '{complete}' and s.transition = 'submit') "
        f"from applications_application a where a.id = {complete}"))
    assert (status, submissions) == ("submitted", 1)


def test_a_double_click_uploads_once(server):
    from tests.applications.conftest import pdf_bytes

    draft = server["draft"]
    step = f"/applications/{draft}/step/attachments/"
    token = secrets.token_urlsafe(24)
    answers = burst([
        (lambda i=i: request(server, "POST", step, session=server["sessions_a"][i],
                             fields={"kind": "case", "upload": "1", "form_token": token},
                             files={"file": ("案例.pdf", pdf_bytes("case"), "application/pdf")}))
        for i in range(2)
    ])

    assert_no_server_error(answers, server)
    assert [(status, location) for status, location, _ in answers] == [(302, step)] * 2
    assert query(server, "select count(*) from applications_attachment "
                         f"where application_id = {draft} and kind = 'case'") == [[1]]


def test_a_double_click_on_register_registers_once_among_eight(server):
    def registration(n: int, token: str):
        from tests.factories import make_uscc

        fields = {
            "name": f"青岛并发测试企业{n}有限公司", "uscc": make_uscc(5000 + n),
            "kind": "enterprise", "registered_in_qingdao": "on", "located_in_qingdao": "on",
            "competent_department": str(server["laoshan"]), "real_name": "王晓云",
            "mobile": "13912345678", "email": f"burst{n}@example.cn", "username": f"burst{n}",
            "password1": "Haibin!8848", "password2": "Haibin!8848", "form_token": token,
        }
        return lambda: request(server, "POST", "/accounts/register/", fields=fields)

    double = secrets.token_urlsafe(24)
    calls = [registration(0, double), registration(0, double)]
    calls += [registration(n, secrets.token_urlsafe(24)) for n in range(1, CLIENTS - 1)]
    answers = burst(calls)

    assert_no_server_error(answers, server)
    assert [(status, location) for status, location, _ in answers] == (
        [(302, "/accounts/register/done/")] * CLIENTS), [a[:2] for a in answers]
    assert query(server, "select count(*) from accounts_user where username like 'burst%'") == [
        [CLIENTS - 1]]
