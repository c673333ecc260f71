"""The results page's sheet rows (`{% sheet_rows e.sheets criteria round %}`), built in one
pass per entry instead of a template loop per criterion: a page of 50 entries holds some 2,500
score cells, and Django's per-variable rendering of them cost more than the page's queries.
The HTML is the same as the loop it replaces gave, cell for cell."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.formtokens import FIELD as FORM_TOKEN_FIELD
from core.formtokens import form_token_new
from core.templatetags.listcells import row_url

register = template.Library()


def _number(value, cache) -> str:
    """`{{ value }}` of a number (localized as the template shows it), memoized by its text:
    a round's scores take few distinct values."""
    key = (type(value), str(value))
    text = cache.get(key)
    if text is None:
        text = cache[key] = escape(localize(value))
    return text


@register.simple_tag
def sheet_rows(sheets, criteria, round_) -> str:
    """The `<tr>` rows of an entry's sheets: expert, state, one cell per criterion, total
    (with the 重新开放 link while the round is open); one row saying none are assigned when
    `sheets` is empty."""
    if not sheets:
        return mark_safe(f'<tr><td colspan="{len(criteria) + 3}">尚未分配评审专家。</td></tr>')
    cache = {}
    reopen = round_.status == "open"
    out = []
    for s in sheets:
        counted = s["counted"]
        cells = "".join(
            '<td class="text-end"></td>' if v is None
            else f'<td class="text-end">{_number(v, cache)}</td>' for v in s["scores"])
        total = "—" if s["total"] is None else _number(s["total"], cache)
        link = (f' <a class="small sheet-reopen" href="'
                f'{row_url("experts:sheet_reopen", s["sheet_id"])}">重新开放</a>'
                if s["submitted"] and reopen else "")
        out.append(
            f'<tr{"" if counted else " class=\"text-body-secondary\""}>'
            f'<td class="text-nowrap">{escape(s["expert"])}</td>'
            f'<td>{escape(s["state"])}{"" if counted else "（不计入）"}</td>'
            f'{cells}<td class="text-end">{total}{link}</td></tr>')
    return mark_safe("".join(out))


@register.simple_tag
def sheet_summary(sheets, round_) -> str:
    """An entry's sheets on the ranking page, one line each: expert, state, weighted total
    (with the 重新开放 link while the round is open). The per-criterion scores are on the
    entry's own page (`experts:round_entry`): 50 entries × 5 sheets × 8 criteria made the
    ranking page 170 KB."""
    if not sheets:
        return mark_safe('<li>尚未分配评审专家。</li>')
    cache = {}
    reopen = round_.status == "open"
    out = []
    for s in sheets:
        counted = s["counted"]
        total = "" if s["total"] is None else f' {_number(s["total"], cache)}分'
        link = (f' <a class="sheet-reopen" href="'
                f'{row_url("experts:sheet_reopen", s["sheet_id"])}">重新开放</a>'
                if s["submitted"] and reopen else "")
        out.append(
            f'<li{"" if counted else " class=\"text-body-secondary\""}>{escape(s["expert"])}：'
            f'{escape(s["state"])}{"" if counted else "（不计入）"}{total}{link}</li>')
    return mark_safe("".join(out))


@register.simple_tag
def criteria_head(criteria) -> str:
    """The `<th>` cells of the criteria (name, with 满分 and 权重 as a title), the same for
    every entry of the page: built once, not once per entry."""
    cache = {}
    return mark_safe("".join(
        f'<th class="text-end" title="满分{_number(c.max_score, cache)}，'
        f'权重{_number(c.weight, cache)}%">{escape(c.name)}</th>' for c in criteria))


_SENTINEL = 987654321987


def _round_urls(round_) -> dict:
    """The row links of `round_`'s entries as (prefix, suffix) around the entry's or
    application's id: each reversed once per page, not once per row."""
    urls = {}
    for name in ("experts:round_entry", "experts:entry_resolve", "experts:site_visit"):
        url = reverse(name, args=[round_.pk, _SENTINEL])
        prefix, _, suffix = url.rpartition(str(_SENTINEL))
        urls[name] = (escape(prefix), escape(suffix))
    return urls


def _url(urls, name, pk) -> str:
    prefix, suffix = urls[name]
    return f"{prefix}{int(pk)}{suffix}"


def form_token() -> str:
    """`{% form_token %}` (core/templatetags/formtokens.py)."""
    return f'<input type="hidden" name="{FORM_TOKEN_FIELD}" value="{form_token_new()}">'


def _opinion_divs(pairs) -> str:
    return "".join(f"<div>{escape(name)}：{linebreaksbr(text, autoescape=True)}</div>"
                   for name, text in pairs)


@register.simple_tag(takes_context=True)
def entry_rows(context, entries) -> str:
    """The ranking's two rows per entry (the entry; its sheets, opinions and 分歧 form), for
    `entries` of the page as `experts.results_selectors.results_page` gives them, built in
    one pass instead of a template loop of some 40 nodes per entry. The HTML is the same as
    the loop it replaces gave (templates/experts/results.html before), character for
    character; the context names the loop read: round, field_id, closed, can_resolve,
    proposed, csrf_token."""
    round_ = context["round"]
    field_id, closed = context.get("field_id"), context.get("closed")
    proposed = context.get("proposed")
    may_resolve = context.get("can_resolve") and not (proposed and proposed.frozen_at)
    csrf = context.get("csrf_token")
    csrf_input = ("" if not csrf or csrf == "NOTPROVIDED" else
                  f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf)}">')
    urls = _round_urls(round_)
    site_visit = round_.kind == "site_visit"
    cache = {}
    out = []
    for e in entries:
        application = e.application
        rank = e.rank_in_field if field_id else e.rank_in_call
        field = application.industry_field
        visit = (f'<a class="small site-visit-link" href="'
                 f'{_url(urls, "experts:site_visit", e.application_id)}">现场考察记录</a>'
                 if site_visit else "")
        if e.flagged:
            flag = (f'<span class="badge {"text-bg-danger" if e.flag_open else "text-bg-secondary"}'
                    f' flag">{"待处理" if e.flag_open else "已处理"}</span>'
                    f'<div class="small">{escape(e.flag_reason)}</div>')
        else:
            flag = "—"
        subject = ""
        if e.subject:
            if e.subject.get("note"):
                subject += (f'<div class="small mb-1 subject-note text-danger">'
                            f'{escape(e.subject["note"])}</div>')
            if e.subject.get("opinions"):
                subject += ('<div class="small mb-2 opinions subject-opinions"><span '
                            'class="fw-semibold">行业主管部门意见：</span>'
                            f'{_opinion_divs(e.subject["opinions"])}</div>')
        opinions = ""
        if e.opinions:
            opinions = ('<div class="small mb-2 opinions"><span class="fw-semibold">行业主管部门意见：'
                        '</span>' + _opinion_divs((o.department.name, o.opinion)
                                                 for o in e.opinions) + '</div>')
        flagged = ""
        if e.flagged:
            resolution = ""
            if e.resolution_note:
                resolved = date_filter(template_localtime(e.resolved_at), "Y-m-d H:i")
                resolution = ('<div class="small mb-2 resolution"><span class="fw-semibold">'
                              f'分歧处理意见：</span>{linebreaksbr(e.resolution_note, autoescape=True)}'
                              f'（{escape(resolved)}）</div>')
            form = ""
            if may_resolve:
                form = (f'<form method="post" action="{_url(urls, "experts:entry_resolve", e.pk)}"'
                        f' class="resolve-form mb-2" data-once>{csrf_input}{form_token()}\n'
                        f'          <label class="form-label small" for="note-{e.pk}">分歧处理意见'
                        f'</label>\n          <textarea class="form-control form-control-sm" '
                        f'name="note" id="note-{e.pk}" rows="2" required>'
                        f'{escape(e.resolution_note)}</textarea>\n          <button class="btn '
                        f'btn-sm btn-outline-danger mt-1" type="submit">记录处理意见</button></form>')
            flagged = f"\n        {resolution}\n        {form}\n      "
        out.append(
            f'\n    <tr id="entry-{e.pk}" class="entry-row">\n'
            f'      <td>{_number(rank, cache) if rank else "—"}</td>\n'
            f'      <td>{escape(application.receipt_number or "")}</td>\n'
            f'      <td>{escape(application.center_name)}<div class="small text-body-secondary">'
            f'{escape(application.organisation.name)}</div>{visit}</td>\n'
            f'      <td>{escape((field.name if field else "") or "")}</td>\n'
            f'      <td class="text-end fw-semibold aggregate">'
            f'{"—" if e.aggregate is None else _number(e.aggregate, cache)}</td>\n'
            f'      <td>{f"{_number(e.sheet_count, cache)} 份" if closed else "—"}</td>\n'
            f'      <td>{flag}</td>\n'
            f'    </tr>\n'
            f'    <tr class="entry-detail"><td></td><td colspan="6">\n'
            f'      <ul class="list-unstyled small mb-1 sheets">{sheet_summary(e.sheets, round_)}'
            f'</ul>\n'
            f'      <a class="small entry-link" href="{_url(urls, "experts:round_entry", e.pk)}">'
            f'各评分项得分和评价意见</a>\n'
            f'      {subject}\n'
            f'      {opinions}\n'
            f'      {flagged}\n'
            f'    </td></tr>\n  ')
    return mark_safe("".join(out))
