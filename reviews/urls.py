from django.urls import path

from . import file_views, views

app_name = "reviews"

urlpatterns = [
    path("district/reviews/", views.inbox, name="inbox"),
    path("district/reviews/return/", views.return_many, name="return_many"),
    path("district/reviews/<int:pk>/", views.review, name="review"),
    path("district/reviews/<int:pk>/attachments/<int:attachment_pk>/",
         views.attachment_download, name="attachment_download"),
    path("district/reviews/<int:pk>/attachments/<int:attachment_pk>/view/",
         file_views.attachment_inline, name="attachment_inline"),
    path("district/reviews/bundles/files/", file_views.bundle_files, name="bundle_files"),
    path("district/reviews/bundles/list/", file_views.bundle_list, name="bundle_list"),
    path("district/reviews/bundles/<int:pk>/", file_views.bundle_detail, name="bundle_detail"),
    path("district/reviews/bundles/<int:pk>/download/", file_views.bundle_download,
         name="bundle_download"),
    path("district/recommendations/<int:call_pk>/", views.ranking, name="ranking"),
    path("district/recommendations/move/<int:review_pk>/", views.ranking_move,
         name="ranking_move"),
]
