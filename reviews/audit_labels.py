"""Chinese names of the audit actions this app writes (see `core.audit`).

The decisions are recorded by `core.transitions` as `districtreview.<move>`.
"""

AUDIT_ACTION_LABELS = {
    "district_review.save_draft": "保存初审草稿",
    "districtreview.return": "初审结论：退回修改",
    "districtreview.decline": "初审结论：不予推荐",
    "districtreview.recommend": "初审结论：推荐",
    "district_review.reorder": "调整推荐排序",
    "district_review.attachment_download": "主管部门下载申报附件",
    "recommendationbatch.submit": "报送推荐名单",
    "recommendationbatch.reopen": "退回推荐名单重新报送",
    "recommendation_batch.letter_download": "下载推荐函",
}
