"""Chinese names of the audit actions this app writes (see `core.audit`)."""

AUDIT_ACTION_LABELS = {
    "organisation.register": "注册申报单位",
    "organisation.member_add": "添加单位用户",
    "user.confirm_email": "确认电子邮箱",
    "user.confirmation_resend": "重发邮箱确认邮件",
    "user.admin_access": "变更管理后台权限",
    "auth.unlock": "解除账号锁定",
    "role.assign": "授予角色",
    "role.change": "变更角色",
    "role.revoke": "撤销角色",
    "organisation.registration_lapsed": "单位注册逾期未确认失效",
    "organisation.profile_update": "修改本单位信息",
    "organisation.create": "新建单位",
    "organisation.identity_change": "变更单位名称或统一社会信用代码",
    "organisation.admin_change": "修改单位信息",
    "organisation.route_confirm": "确认单位报送路径",
    "organisation.claim_submit": "提交单位认领申请",
    "organisation.claim_licence_read": "查看认领人营业执照",
    "organisation.claim_approve": "通过单位认领",
    "organisation.claim_refuse": "不予通过单位认领",
}
