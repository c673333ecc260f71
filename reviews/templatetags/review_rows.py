"""The rows of 初审工作台 (`{% inbox_rows page %}`), built in one pass per page: the template
loop spent some fifteen nodes a row, more than the page's query for them took. The HTML is the
same as the loop it replaces gave, character for character."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from core.templatetags.listcells import minute, row_url

register = template.Library()


def _date(value, fmt) -> str:
    """`{{ value|date:fmt }}`: in the current time zone, "" for None."""
    return escape(date_filter(template_localtime(value), fmt))


@register.simple_tag
def inbox_rows(page) -> str:
    """`page`: rows of `selectors.inbox_page`; the "none found" row when empty."""
    out = []
    for a in page:
        overdue = a.is_overdue
        center = escape(a.center_name)
        field = a.industry_field
        status = escape(a.status_for_department_display)
        if a.has_draft:
            status += ' <span class="badge text-bg-light">有审查草稿</span>'
        if a.status == "returned" and a.resubmit_by:
            status += (f'<br><span class="small text-body-secondary">须于'
                       f'{_date(a.resubmit_by, "n月j日")}前重新提交</span>')
        out.append(
            f'\n    <tr{" class=\"table-danger\"" if overdue else ""}>\n'
            f'      <td><input class="form-check-input" type="checkbox" name="application" '
            f'value="{int(a.pk)}" aria-label="选择{center}"></td>\n'
            f'      <td>{escape(a.receipt_number) if a.receipt_number else "—"}</td>\n'
            f'      <td>{escape(a.organisation.name)}</td>\n'
            f'      <td><a href="{row_url("reviews:review", a.pk)}">'
            f'{center if a.center_name else "（未填写中心名称）"}</a></td>\n'
            f'      <td>{escape(field.name) if field is not None and field.name else ""}</td>\n'
            f'      <td>{escape(a.call.title)}</td>\n'
            f'      <td>{status}</td>\n'
            f'      <td>{minute(a.submitted_at) or "—"}</td>\n'
            f'      <td>{_date(a.call.district_review_deadline, "Y-m-d")}'
            f'{" <span class=\"badge text-bg-danger overdue\">逾期未审</span>" if overdue else ""}'
            f'</td>\n'
            f'    </tr>\n  ')
    if not out:
        return mark_safe('\n    <tr><td colspan="9" class="text-body-secondary">'
                         '没有符合条件的申报。</td></tr>\n  ')
    return mark_safe("".join(out))


_READY = ("recommended", "formal_passed")


@register.simple_tag
def intake_rows(page) -> str:
    """`page`: rows of `intake_selectors.intake_page`; the "none found" row when empty. The
    forms of the 未按期审查 buttons (`extend-<id>`, `take-over-<id>`) follow the table."""
    out = []
    for a in page:
        mark = a.open_mark_id
        ready = a.status in _READY
        center = escape(a.center_name)
        label = center if a.center_name else "（未填写中心名称）"
        if a.routed_to_commission:
            link = f'<a href="{row_url("reviews:formal_review", a.pk)}">{label}</a>'
        else:
            link = f'<a href="{row_url("applications:detail", a.pk)}">{label}</a>'
        field = a.industry_field
        status = escape(a.get_status_display())
        if mark:
            status += (' <span class="badge text-bg-danger overdue">未按期审查</span><br>'
                       f'<span class="small">应于{_date(a.open_mark_deadline, "Y年n月j日")}'
                       '前完成初审</span>')
        acts = ""
        if ready:
            acts += (f'<button class="btn btn-sm btn-outline-primary" type="submit" name="one" '
                     f'value="{int(a.pk)}">转入专家评审</button>')
        acts += "\n        "
        if mark:
            mark_id = int(mark)
            acts += (
                f'\n          <span class="d-flex flex-wrap gap-1 align-items-center">\n'
                f'            <input class="form-control form-control-sm w-auto" type="date" '
                f'name="until" form="extend-{mark_id}" aria-label="补审期限" required>\n'
                f'            <button class="btn btn-sm btn-outline-warning" type="submit" '
                f'form="extend-{mark_id}">允许主管部门补审</button>\n'
                f'            <button class="btn btn-sm btn-outline-danger" type="submit" '
                f'form="take-over-{mark_id}">直接转入形式审查</button>\n'
                f'          </span>\n        ')
        out.append(
            f'\n    <tr{" class=\"table-danger\"" if mark else ""}>\n'
            f'      <td>{(f"<input class=\"form-check-input\" type=\"checkbox\" name=\"application\" value=\"{int(a.pk)}\" aria-label=\"选择{center}\">") if ready else ""}</td>\n'
            f'      <td>{escape(a.receipt_number) if a.receipt_number else "—"}</td>\n'
            f'      <td>{escape(a.organisation.name)}</td>\n'
            f'      <td>{link}</td>\n'
            f'      <td>{escape(field.name) if field is not None and field.name else ""}</td>\n'
            f'      <td>{escape(a.destination_label)}</td>\n'
            f'      <td>{f"第{escape(localize(a.rank))}位" if a.rank else "—"}</td>\n'
            f'      <td>{status}</td>\n'
            f'      <td>{minute(a.submitted_at) or "—"}</td>\n'
            f'      <td>\n        {acts}\n      </td>\n'
            f'    </tr>\n  ')
    if not out:
        return mark_safe('\n    <tr><td colspan="10" class="text-body-secondary">'
                         '没有符合条件的申报。</td></tr>\n  ')
    return mark_safe("".join(out))
