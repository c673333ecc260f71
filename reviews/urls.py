from django.urls import path

from . import batch_views, file_views, intake_views, views

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
    # 第八条: the commission's intake.
    path("commission/intake/", intake_views.intake_page, name="intake"),
    path("commission/intake/export/", intake_views.intake_export, name="intake_export"),
    path("commission/intake/expert-review/", intake_views.intake_expert_review,
         name="intake_expert_review"),
    path("commission/intake/<int:pk>/", intake_views.formal_review, name="formal_review"),
    path("commission/intake/overdue/<int:pk>/extend/", intake_views.overdue_extend,
         name="overdue_extend"),
    path("commission/intake/overdue/<int:pk>/take-over/", intake_views.overdue_take_over,
         name="overdue_take_over"),
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
