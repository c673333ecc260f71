"""第十五条、第十九条 宣传推介: news, announcements and 典型案例."""

from django.urls import path

from . import publicity_views as views

urlpatterns = [
    # Public.
    path("news/", views.news_list, name="news_list"),
    path("news/<int:pk>/", views.news_detail, name="news_detail"),
    path("cases/", views.case_public_list, name="case_public_list"),
    path("cases/<int:pk>/", views.case_public_detail, name="case_public_detail"),
    # The center's unit writes and submits its cases.
    path("center/<int:pk>/cases/", views.case_list, name="case_list"),
    path("center/<int:pk>/cases/new/", views.case_new, name="case_new"),
    path("center/<int:pk>/cases/<int:case_pk>/", views.case_edit, name="case_edit"),
    path("center/<int:pk>/cases/<int:case_pk>/autosave/", views.case_autosave,
         name="case_autosave"),
    # The 主管部门 reads its centers' cases.
    path("district/cases/", views.district_case_list, name="district_case_list"),
    path("district/cases/<int:pk>/", views.district_case_detail, name="district_case_detail"),
    # The commission reviews them.
    path("commission/cases/", views.case_queue, name="case_queue"),
    path("commission/cases/<int:pk>/", views.case_review, name="case_review"),
]
