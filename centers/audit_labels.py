"""Chinese names of the audit actions of the public notice (see `core.audit`)."""

AUDIT_ACTION_LABELS = {
    "public_notice.create": "拟定公示",
    "publicnotice.publish": "发布公示",
    "publicnotice.close": "公示期满（自动结束）",
}
AUDIT_ACTION_LABELS.update({
    "publicnotice.finalise": "确定认定结果",
    "center.designate": "认定赋能中心",
    "plaque.certificate_download": "下载授牌证书",
    "plaque.reissue": "换发牌匾",
})
