"""Small helpers shared by the tests."""

from django.http import HttpRequest
from django.test import Client

from .factories import PASSWORD


def password_login(client: Client, username: str, password: str = PASSWORD) -> bool:
    """`Client.login` through the real authentication backends.

    django-axes refuses to authenticate without a request, so hand it an empty one; the
    lock-out tests post to the login page instead, which is what users do.
    """
    return client.login(request=HttpRequest(), username=username, password=password)
