"""第十五条 产业数据分析: the commission's statistics pages."""

from django.urls import path

from . import statistics_views

urlpatterns = [
    path("commission/statistics/", statistics_views.statistics_page, name="statistics"),
    path("commission/statistics/<slug:key>.xlsx", statistics_views.statistics_download,
         name="statistics_download"),
]
