"""Chinese names of the audit actions of the committee and the industry authorities' part
(see `core.audit`)."""

AUDIT_ACTION_LABELS = {
    "expert.membership_change": "调整专家委员会委员状态",
    "expert.account_create": "开通评审专家账号",
    "expert.import": "从 Excel 导入专家",
    "review_round.invite_authorities": "邀请行业主管部门会同评审",
    "authority_opinion.save": "行业主管部门填写评审意见",
    "authority.attachment_download": "行业主管部门下载申报附件",
}
