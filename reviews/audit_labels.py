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
    "district_review.attachment_view": "主管部门在页面中查看申报附件",
    "district_review.bundle_request": "主管部门请求批量下载申报材料或清单",
    "district_review.bundle_download": "主管部门下载批量申报材料或清单",
    "district_review.bundles_expire": "删除过期的初审批量下载文件",
    "districtreview.pass": "形式审查结论：通过",
    "commission_review.save_draft": "保存形式审查草稿",
    "overdue_review.extend": "允许主管部门补审",
    "overdue_review.take_over": "未按期审查的申报转入形式审查",
    "recommendationbatch.submit": "报送推荐名单",
    "recommendationbatch.reopen": "退回推荐名单重新报送",
    "recommendation_batch.letter_download": "下载推荐函",
}
