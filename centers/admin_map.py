"""一张图 (第十五条) in the commission's admin: a center's operating address and coordinates
shown on its page, and corrected by an action calling the same service as the center's own
page (`location.center_location_set`: Qingdao's extent checked, audited)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from core.admin import action_form_page

from .admin_designation import CenterAdmin
from .location import CenterLocationForm, LocationError, center_location_set


@admin.action(description="修改运营地址和地图坐标（一次一家）")
def correct_location(modeladmin, request, queryset):
    """For CenterAdmin: the ticked center's address and coordinates, through
    `center_location_set`; one center at a time (each has its own place)."""
    chosen = list(queryset.order_by("pk")[:2])
    if len(chosen) != 1:
        modeladmin.message_user(request, "请只勾选一家赋能中心修改其运营地址和坐标。",
                                messages.ERROR)
        return None
    center = chosen[0]
    if "apply" in request.POST:
        form = CenterLocationForm(request.POST)
    else:
        form = CenterLocationForm(initial={"address": center.address,
                                           "longitude": center.longitude,
                                           "latitude": center.latitude})
    if form.is_bound and form.is_valid():
        try:
            center_location_set(center=center, actor=request.user, **form.cleaned_data)
        except LocationError as error:
            form.apply_problems(error.problems)
        except PermissionDenied as error:
            modeladmin.message_user(request, f"“{center}”：{error}", messages.ERROR)
            return None
        else:
            modeladmin.message_user(request, f"“{center}”的运营地址和坐标已保存。",
                                    messages.SUCCESS)
            return None
    return action_form_page(
        modeladmin, request, action="correct_location", title="修改运营地址和地图坐标",
        rows=chosen, form=form, submit="保存",
        intro="坐标为十进制度数，须在青岛市范围内；经度和纬度同时留空则不在“一张图”上显示点位。"
              "修改记入审计日志。")


CenterAdmin.fields = CenterAdmin.readonly_fields = (
    *CenterAdmin.readonly_fields, "address", "longitude", "latitude")
CenterAdmin.actions = [*CenterAdmin.actions, correct_location]
