"""The results page's sheet rows (`{% sheet_rows e.sheets criteria round %}`), built in one
pass per entry instead of a template loop per criterion: a page of 50 entries holds some 2,500
score cells, and Django's per-variable rendering of them cost more than the page's queries.
The HTML is the same as the loop it replaces gave, cell for cell."""

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe

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
