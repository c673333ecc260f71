"""第十五条 一张图: the public map, the commission's fuller map, their JSON data, and the page on
which a center's unit enters its address and coordinates. Thin: the figures are read by
centers.map, the location is kept by centers.location.

The public map shows what the directory publishes: active centers by default, revoked ones when
asked (a revocation is published, 第十七条 对外公布, and has its own public list); the staff map
adds how many centers of each region have a location on the map, and each center's latest
published evaluation grade (registered by portal: centers may not read evaluations).

The JSON endpoints refuse a bad query in JSON, as the open-data API does (400 with the
parameter's Chinese reason, 404 with a Chinese `detail` for a region that does not exist);
the pages read a malformed filter as 全部."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
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
        # The JSON is asked with the filters as read, so a malformed one the page reads as
        # 全部 is not sent on to the JSON, which refuses it.
        "data_query": urlencode(filters.query()),
        # A center's page links to the map centred on its point (?center=<pk>).
        "focus": selectors.map_focus_parse(request.GET),
        # A filter outside the lists (a year without designations, a field without centers)
        # stays shown as chosen rather than reading as 全部.
        "field_listed": any(f["pk"] == filters.field for f in choices["fields"]),
        **choices})


def _json(body, status=200):
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _json_errors(view):
    """A refused query answers JSON (400 or 404 with a Chinese reason, as the open-data API
    does), never the portal's HTML error page."""
    @wraps(view)
    def answered(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except selectors.MapQueryError as error:
            return _json(error.body, status=error.status)

    return answered


def _data(request, *, staff: bool):
    filters = selectors.map_query_check(request.GET)
    points = selectors.map_points(filters)
    if staff:
        points = selectors.staff_center_facts_add(points)
    return _json({**selectors.map_figures(filters, with_locations=staff), "points": points})


def _centers(request, *, staff: bool):
    filters = selectors.map_query_check(request.GET, extra=("region",))
    region = request.GET.get("region", "")
    if not region:
        raise selectors.MapQueryError(400, {"region": ["请指定区（市）或功能区（region）。"]})
    found = selectors.region_centers(filters, region[:12])
    if found is None:
        raise selectors.MapQueryError(404, {"detail": "没有找到该区（市）或功能区。"})
    if staff:
        found["centers"] = selectors.staff_center_facts_add(found["centers"])
    return _json(found)


@require_GET
def public_map(request):
    """一张图 (public): the districts coloured by their designated centers, with filters by
    field and year, revoked centers on request, functional zones and 市直 beside the map."""
    return _render_map(request, staff=False)


@require_GET
@_json_errors
def public_map_data(request):
    """The public map's figures and points as JSON (see centers.map.map_figures)."""
    return _data(request, staff=False)


@require_GET
@_json_errors
def public_map_centers(request):
    """The centers of one region (`region`: department pk, region code or "city") as JSON."""
    return _centers(request, staff=False)


@_staff_only
@require_GET
def commission_map(request):
    """一张图 for the commission: the public map plus, per region, the revoked centers and
    how many centers have entered their location."""
    return _render_map(request, staff=True)


@_staff_only
@require_GET
@_json_errors
def commission_map_data(request):
    """The staff map's figures and points as JSON, each point with the facts registered for
    the staff map (the latest published evaluation grade: centers.map.staff_center_facts)."""
    return _data(request, staff=True)


@_staff_only
@require_GET
@_json_errors
def commission_map_centers(request):
    """The centers of one region as JSON, with the staff map's facts (see above)."""
    return _centers(request, staff=True)


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
