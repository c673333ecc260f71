"""The commission's 回避 pages (joined to experts.urls)."""

from django.urls import path

from . import avoidance_views

urlpatterns = [
    path("commission/avoidance/", avoidance_views.avoidance_list, name="avoidance_list"),
    path("commission/avoidance/<int:pk>/", avoidance_views.avoidance_rule,
         name="avoidance_rule"),
    path("commission/conflicts/", avoidance_views.conflict_list, name="conflict_list"),
    path("commission/conflicts/rule/", avoidance_views.conflict_rule, name="conflict_rule"),
]
