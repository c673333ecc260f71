from django.urls import path

from . import batch_views, views

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
    # 第八条: the department's batch of recommendations, and the commission's side of it.
    path("district/recommendations/<int:call_pk>/batch/", batch_views.batch, name="batch"),
    path("district/recommendations/<int:call_pk>/batch/submit/", batch_views.batch_submit,
         name="batch_submit"),
    path("district/recommendations/<int:call_pk>/batch/letter/", batch_views.batch_letter,
         name="batch_letter"),
    path("staff/recommendation-batches/", batch_views.commission_batches,
         name="commission_batches"),
    path("staff/recommendation-batches/<int:pk>/", batch_views.commission_batch,
         name="commission_batch"),
    path("staff/recommendation-batches/<int:pk>/reopen/", batch_views.commission_batch_reopen,
         name="commission_batch_reopen"),
    path("staff/recommendation-batches/<int:pk>/letter/", batch_views.commission_batch_letter,
         name="commission_batch_letter"),
]
