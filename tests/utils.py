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
