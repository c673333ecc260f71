from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("district/reviews/", views.inbox, name="inbox"),
    path("district/reviews/return/", views.return_many, name="return_many"),
    path("district/reviews/<int:pk>/", views.review, name="review"),
    path("district/reviews/<int:pk>/attachments/<int:attachment_pk>/",
         views.attachment_download, name="attachment_download"),
    path("district/recommendations/<int:call_pk>/", views.ranking, name="ranking"),
    path("district/recommendations/move/<int:review_pk>/", views.ranking_move,
         name="ranking_move"),
]
