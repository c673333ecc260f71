"""Small helpers shared by the tests."""

import re

from django.http import HttpRequest
from django.test import Client

from .factories import PASSWORD


def password_login(client: Client, username: str, password: str = PASSWORD) -> bool:
    """`Client.login` through the real authentication backends.

    django-axes refuses to authenticate without a request, so hand it an empty one; the
    lock-out tests post to the login page instead, which is what users do.
    """
    return client.login(request=HttpRequest(), username=username, password=password)


def application_rows_shown(response) -> int:
    """How many application rows a page shows: links to one application (`/applications/<id>/`),
    not to a list of them."""
    return len(re.findall(r'href="/applications/\d+/"', response.content.decode()))


def dead_redis(settings) -> None:
    """Points the default cache at a Redis on a port where nothing listens (the fragments
    cache stays in process): a page must still answer with Redis down."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/15",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "fragments"}}
