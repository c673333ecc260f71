"""Chinese names of the audit actions this app writes (see `core.audit`).

The workflow moves are recorded by `core.transitions` as `<model>.<move>`.
"""

AUDIT_ACTION_LABELS = {
    "call.publish": "发布申报通知",
    "call.close": "截止受理申报通知",
    "call.change_window": "变更申报受理期限",
    "call.reopen": "重新开放申报受理",
    "application.start": "创建申报",
    "application.submit": "提交申报",
    "application.return": "退回申报修改",
    "application.resubmit": "重新提交申报",
    "application.withdraw": "撤回申报",
    "application.recommend": "推荐申报",
    "application.decline": "不予推荐申报",
    "application.reopen": "重新编辑已撤回的申报",
    "application.reroute": "改派主管部门",
    "application.pass_formal": "形式审查通过",
    "application.start_expert_review": "转入专家评审",
    "application.propose": "列入拟评定名单",
    "application.not_propose": "未列入拟评定名单",
    "application.receipt_download": "下载申报回执",
    "application.attachment_add": "上传申报附件",
    "application.attachment_remove": "删除申报附件",
    "application.avoidance_requests_save": "填写回避申请",
    "application.export_request": "申请导出申报清单",
    "application.export": "导出申报清单",
    "application.export_download": "下载导出的申报清单",
    "application.documents_expire": "清理被取代的申报文档",
    "application.exports_expire": "清理过期的导出文件",
}
