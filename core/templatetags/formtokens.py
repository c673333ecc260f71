from django import template
from django.utils.html import format_html

from core.formtokens import FIELD, form_token_new

register = template.Library()


@register.simple_tag
def form_token():
    """`{% form_token %}` inside a form that creates something: its one-time token."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, form_token_new())
