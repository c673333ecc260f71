"""The assignments page's live experts of one application (`{% live_assignments row.live
round %}`), built in one pass: a page of 50 applications holds some 250 experts. Each expert
not yet scored has a reason box and a 撤回 button; both belong to the page's one withdraw form
(`{% withdraw_form round back %}`, through the `form` attribute), which carries the one CSRF
and one-time token: 250 forms with a token each made the page 190 KB."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.templatetags.formtokens import form_token

register = template.Library()

FORM_ID = "withdraw-form"


@register.simple_tag(takes_context=True)
def withdraw_form(context, round_, back) -> str:
    """The page's one withdraw form (empty: its fields are the rows' reason boxes and
    buttons); nothing once the round is closed."""
    if round_.status == "closed":
        return ""
    url = escape(reverse("experts:assignment_withdraw", args=[round_.pk]))
    return mark_safe(
        f'<form method="post" action="{url}" id="{FORM_ID}" data-once>'
        f'{CsrfTokenNode().render(context)}{form_token()}'
        f'<input type="hidden" name="back" value="{escape(back)}"></form>')


@register.simple_tag
def live_assignments(live, round_) -> str:
    """`live`: the rows of `selectors_assignment.assignment_page` (dicts with `id`,
    `expert__name`, `method`, `status`, `sheet__status`)."""
    if not live:
        return mark_safe('<span class="text-body-secondary">尚未分配</span>')
    open_round = round_.status != "closed"
    out = []
    for a in live:
        name = escape(a["expert__name"])
        committed = a["status"] == "committed"
        if a["sheet__status"] == "submitted":
            tail = ' <span class="badge text-bg-primary">已提交评分</span>'
        elif open_round:
            pk = int(a["id"])
            tail = (f' <input type="text" name="reason_{pk}" form="{FORM_ID}" class="form-control '
                    f'form-control-sm reason-inline" placeholder="撤回理由" '
                    f'aria-label="撤回{name}的理由" maxlength="300"> <button type="submit" '
                    f'form="{FORM_ID}" name="assignment" value="{pk}" class="btn btn-sm '
                    f'btn-outline-danger">撤回</button>')
        else:
            tail = ""
        out.append(
            f'<div class="mb-1 live-assignment">{name} <span class="badge text-bg-light">'
            f'{"自动" if a["method"] == "automatic" else "手工"}</span> <span class="badge '
            f'{"text-bg-success" if committed else "text-bg-secondary"}">'
            f'{"已确认承诺" if committed else "待确认承诺"}</span>{tail}</div>')
    return mark_safe("".join(out))
