"""Chinese names of the audit actions this app writes (see `core.audit`)."""

AUDIT_ACTION_LABELS = {
    "organisation.register": "注册申报单位",
    "organisation.member_add": "添加单位用户",
    "user.confirm_email": "确认电子邮箱",
}
