"""Cells of list tables, rendered once per row: `{{ value|minute }}` and
`{% row_url "app:name" pk %}`.

Django's `date` filter and `{% url %}` tag are general and slow for what a row of 50 needs
(about 0.1 ms each per cell: a 50-row page spent more on them than on its database queries).
These give the same text for the one format and the one-argument URLs that rows use."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

register = template.Library()

# A pk no row has, to find where the pk goes in a reversed URL.
_SENTINEL = 987654321987


@register.filter
def minute(value) -> str:
    """A datetime as `date:"Y-m-d H:i"` shows it (in the current time zone); "" for None."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


@lru_cache(maxsize=256)
def _url_parts(name: str, script_prefix: str, urlconf) -> tuple[str, str]:
    url = reverse(name, args=[_SENTINEL], urlconf=urlconf)
    prefix, _, suffix = url.partition(str(_SENTINEL))
    return prefix, suffix


@register.simple_tag
def row_url(name: str, pk) -> str:
    """`{% url name pk %}` for a URL taking one integer argument: reversed once (per URL
    configuration and script prefix), then the pk put in its place. Raises NoReverseMatch as
    `{% url %}` does for an unknown name."""
    prefix, suffix = _url_parts(name, get_script_prefix(), get_urlconf())
    return f"{prefix}{int(pk)}{suffix}"
