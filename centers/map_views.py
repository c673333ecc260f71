"""第十五条 一张图: the public map, the commission's fuller map, their JSON data, and the page on
which a center's unit enters its address and coordinates. Thin: the figures are read by
centers.map, the location is kept by centers.location.

The public map shows what the directory publishes: active centers by default, revoked ones when
asked (a revocation is published, 第十七条 对外公布, and has its own public list); the staff map
adds how many centers of each region have a location on the map."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import map as selectors
from .location import CenterLocationForm, LocationError, center_location_set
from .models import Center


def _staff_only(view):
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("centers.view_staff_map"):
            raise PermissionDenied("该页面仅供市发展改革委工作人员使用。")
        return view(request, *args, **kwargs)

    return login_required(checked)


def _render_map(request, *, staff: bool):
    filters = selectors.map_filters_parse(request.GET)
    prefix = "centers:commission_map" if staff else "centers:map"
    choices = selectors.map_filter_choices()
    return render(request, "centers/map.html", {
        "staff": staff, "filters": filters,
        "figures": selectors.map_figures(filters, with_locations=staff),
        "data_url_name": f"{prefix}_data", "centers_url_name": f"{prefix}_centers",
        # A filter outside the lists (a year without designations, a field without centers)
        # stays shown as chosen rather than reading as 全部.
        "field_listed": any(f["pk"] == filters.field for f in choices["fields"]),
        **choices})


def _data(request, *, staff: bool):
    filters = selectors.map_filters_parse(request.GET)
    return JsonResponse({**selectors.map_figures(filters, with_locations=staff),
                         "points": selectors.map_points(filters)},
                        json_dumps_params={"ensure_ascii": False})


def _centers(request):
    filters = selectors.map_filters_parse(request.GET)
    found = selectors.region_centers(filters, request.GET.get("region", "")[:12])
    if found is None:
        raise Http404("没有找到该区（市）或功能区。")
    return JsonResponse(found, json_dumps_params={"ensure_ascii": False})


@require_GET
def public_map(request):
    """一张图 (public): the districts coloured by their designated centers, with filters by
    field and year, revoked centers on request, functional zones and 市直 beside the map."""
    return _render_map(request, staff=False)


@require_GET
def public_map_data(request):
    """The public map's figures and points as JSON (see centers.map.map_figures)."""
    return _data(request, staff=False)


@require_GET
def public_map_centers(request):
    """The centers of one region (`region`: department pk, region code or "city") as JSON."""
    return _centers(request)


@_staff_only
@require_GET
def commission_map(request):
    """一张图 for the commission: the public map plus, per region, the revoked centers and
    how many centers have entered their location."""
    return _render_map(request, staff=True)


@_staff_only
@require_GET
def commission_map_data(request):
    return _data(request, staff=True)


@_staff_only
@require_GET
def commission_map_centers(request):
    return _centers(request)


@login_required
@require_http_methods(["GET", "POST"])
def center_location(request, pk):
    """运营地址和地图坐标: the center's unit enters where the center works (第十五条); bad input
    keeps everything typed and says what is wrong; saving the same values again changes
    nothing."""
    center = get_object_or_404(Center.objects.select_related("application"), pk=pk)
    if not request.user.has_perm("centers.enter_center_location", center):
        if request.user.has_perm("centers.view_center_operation", center):
            raise PermissionDenied("只有赋能中心所在单位的用户可以填写运营地址和坐标（已撤销的中心不能再修改）。")
        raise PermissionDenied("您没有修改该赋能中心信息的权限。")
    initial = {"address": center.address, "longitude": center.longitude,
               "latitude": center.latitude}
    form = CenterLocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            center_location_set(center=center, actor=request.user, **form.cleaned_data)
        except LocationError as error:
            form.apply_problems(error.problems)
        else:
            messages.success(request, "运营地址和坐标已保存。")
            return redirect("centers:center_location", pk)
    return render(request, "centers/map_location.html", {"center": center, "form": form})
