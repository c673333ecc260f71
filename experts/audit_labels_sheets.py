"""Chinese names of the audit actions of the experts' sheets and site visits (see
`core.audit`). Moves along the workflows are recorded by `core.transitions` as
`assignment.<move>` and `scoresheet.<move>`."""

AUDIT_ACTION_LABELS = {
    "assignment.commit": "专家确认回避与保密承诺",
    "assignment.recuse": "专家主动回避",
    "expert.declare": "专家申报利益冲突或参与编制申报材料",
    "scoresheet.open": "专家首次打开评分表",
    "scoresheet.save_draft": "专家保存评分表",
    "scoresheet.submit": "专家提交评分表",
    "scoresheet.reopen": "重新开放专家评分表",
    "expert_review.attachment_download": "评审专家下载申报附件",
    "site_visit.record": "记录现场考察",
    "site_visit.file_add": "上传现场考察照片或文件",
    "site_visit.file_download": "下载现场考察照片或文件",
}
