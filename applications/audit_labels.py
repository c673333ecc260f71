"""Chinese names of the audit actions this app writes (see `core.audit`).

The workflow moves are recorded by `core.transitions` as `<model>.<move>`.
"""

AUDIT_ACTION_LABELS = {
    "call.publish": "发布申报通知",
    "call.close": "截止受理申报通知",
    "application.start": "创建申报",
    "application.submit": "提交申报",
    "application.return": "退回申报修改",
    "application.resubmit": "重新提交申报",
    "application.withdraw": "撤回申报",
    "application.attachment_add": "上传申报附件",
    "application.attachment_remove": "删除申报附件",
    "application.export_request": "申请导出申报清单",
    "application.export": "导出申报清单",
}
