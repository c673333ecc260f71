from django.urls import path

from accounts.enums import Role

from . import open_data_urls, statistics_urls, views

# URL names stay un-namespaced ("home", "dashboard", "dashboard_<role>"): LOGIN_REDIRECT_URL,
# the templates and the permission table name them so.
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/applicant/", views.role_dashboard(Role.APPLICANT, "applicant"),
         name="dashboard_applicant"),
    path("dashboard/district/", views.role_dashboard(Role.DISTRICT_OFFICIAL, "district"),
         name="dashboard_district"),
    path("dashboard/commission/", views.role_dashboard(Role.COMMISSION_STAFF, "commission"),
         name="dashboard_commission"),
    path("dashboard/industry/", views.role_dashboard(Role.INDUSTRY_STAFF, "industry"),
         name="dashboard_industry"),
    path("dashboard/third-party/", views.role_dashboard(Role.THIRD_PARTY_STAFF, "third_party"),
         name="dashboard_third_party"),
    path("dashboard/expert/", views.role_dashboard(Role.EXPERT, "expert"),
         name="dashboard_expert"),
    path("dashboard/auditor/", views.role_dashboard(Role.AUDITOR, "auditor"),
         name="dashboard_auditor"),
    # 第十五条 产业数据分析 (portal/statistics_urls.py); 第七条（八） open data (portal/open_data_urls.py).
    *statistics_urls.urlpatterns,
    *open_data_urls.urlpatterns,
]
