"""The assignments page's live experts of one application (`{% live_assignments row.live
round back %}`), built in one pass: a page of 50 applications holds some 250 experts, each with
a withdraw form, and Django's per-node rendering of them cost more than the page's queries.
The HTML is the same as the template loop it replaces gave, character for character."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.templatetags.formtokens import form_token

register = template.Library()

_SENTINEL = 987654321987


@register.simple_tag(takes_context=True)
def live_assignments(context, live, round_, back) -> str:
    """`live`: the rows of `selectors_assignment.assignment_page` (dicts with `id`,
    `expert__name`, `method`, `status`, `sheet__status`)."""
    if not live:
        return mark_safe('<span class="text-body-secondary">尚未分配</span>')
    withdraw_url = None
    csrf = CsrfTokenNode().render(context)
    back = escape(back)
    out = []
    for a in live:
        name = escape(a["expert__name"])
        committed = a["status"] == "committed"
        if a["sheet__status"] == "submitted":
            tail = '<span class="badge text-bg-primary">已提交评分</span>'
        elif round_.status != "closed":
            if withdraw_url is None:
                withdraw_url = escape(reverse("experts:assignment_withdraw",
                                              args=[round_.pk, _SENTINEL]))
            url = withdraw_url.replace(str(_SENTINEL), str(int(a["id"])))
            tail = (
                f'\n          <form method="post" action="{url}" class="d-inline-flex gap-1 '
                f'withdraw-form" data-once>{csrf}{form_token()}\n'
                f'            <input type="hidden" name="back" value="{back}">\n'
                f'            <input type="text" name="reason" class="form-control '
                f'form-control-sm" placeholder="撤回理由" aria-label="撤回{name}的理由" required '
                f'maxlength="300">\n'
                f'            <button class="btn btn-sm btn-outline-danger text-nowrap" '
                f'type="submit">撤回</button>\n'
                f'          </form>\n          ')
        else:
            tail = ""
        out.append(
            f'\n        <div class="d-flex flex-wrap align-items-center gap-1 mb-1 '
            f'live-assignment">\n'
            f'          <span>{name}</span>\n'
            f'          <span class="badge text-bg-light">'
            f'{"自动" if a["method"] == "automatic" else "手工"}</span>\n'
            f'          <span class="badge '
            f'{"text-bg-success" if committed else "text-bg-secondary"}">'
            f'{"已确认承诺" if committed else "待确认承诺"}</span>\n'
            f'          {tail}\n'
            f'        </div>\n        ')
    return mark_safe("".join(out))
