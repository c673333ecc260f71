"""Chinese names of the audit actions of the public notice (see `core.audit`)."""

AUDIT_ACTION_LABELS = {
    "public_notice.create": "拟定公示",
    "publicnotice.publish": "发布公示",
    "publicnotice.close": "公示期满（自动结束）",
    "objection.file": "受理异议",
    "objection.investigate": "异议调查核实",
    "objection.investigation": "更新异议调查核实情况",
    "objection.uphold": "认定异议成立",
    "objection.dismiss": "认定异议不成立",
    "objection_file.download": "查阅异议证明材料",
    "explanation.ask": "请申报单位说明情况",
    "explanation.answer": "申报单位说明情况",
    "notice_entry.remove": "移出公示名单",
}
AUDIT_ACTION_LABELS.update({
    "publicnotice.finalise": "确定认定结果",
    "center.designate": "认定赋能中心",
    "center.revoke": "撤销赋能中心资格",
    "plaque.certificate_download": "下载授牌证书",
    "plaque.reissue": "换发牌匾",
})
# 服务记录 (第十二条) and closing an evaluation year (第十七条).
AUDIT_ACTION_LABELS.update({
    "service_record.create": "填报服务记录",
    "service_record.update": "修改服务记录",
    "service_record.delete": "删除服务记录",
    "service_record.import": "导入服务记录",
    "service_record_file.download": "查阅服务记录证明材料",
    "record_year.close": "关闭评价年度",
})

# --- 变更报告 (第十三条) ---
AUDIT_ACTION_LABELS.update({
    "change_report.create": "填报变更报告",
    "changereport.submit": "变更报告报主管部门",
    "changereport.forward": "主管部门报送变更报告",
    "changereport.note": "主管部门知悉其他调整",
    "changereport.accept": "同意变更",
    "changereport.refuse": "不予同意变更",
    "change_report.overdue": "变更报告逾期未报送（自动标记）",
    "change_report_file.download": "查阅变更证明材料",
    "center.rename": "赋能中心更名",
    "center.cancellation_accepted": "依托法人实体注销（应启动依法终止程序）",
    "target_set.replace": "调整建设目标",
})

# --- Operation (E): supervision (第十一条) and data duties (第十四条) ---
AUDIT_ACTION_LABELS.update({
    "supervision_period.create": "设置运行情况报告期",
    "supervision_period.change": "修改运行情况报告期",
    "operationreport.submit": "报送运行情况报告",
    "operationreport.overdue": "运行情况报告逾期未报送（自动标记）",
    "data_security.save": "维护数据安全管理信息",
    "data_agreement.add": "上传数据使用协议",
    "data_agreement.download": "查阅数据使用协议",
    "data_self_check.submit": "提交数据安全年度自查",
})

# --- 一张图 (第十五条): a center's operating address and coordinates ---
AUDIT_ACTION_LABELS.update({
    "center.location_set": "填写赋能中心运营地址和坐标",
})

# 宣传推介 (第十五条、第十九条): news and announcements, 典型案例.
AUDIT_ACTION_LABELS.update({
    "article.create": "撰写新闻公告",
    "article.update": "修改新闻公告",
    "article.publish": "发布新闻公告",
    "article.withdraw": "撤回新闻公告",
    "casestudy.create": "填报典型案例",
    "casestudy.save": "保存典型案例",
    "casestudy.submit": "提交典型案例审核",
    "casestudy.approve": "审核通过并发布典型案例",
    "casestudy.return": "退回修改典型案例",
    "casestudy.withdraw": "撤回典型案例",
    "casestudy.district_read": "主管部门查阅未公开的典型案例",
})

# 第十五条 产业数据分析: a chart's figures downloaded as Excel.
AUDIT_ACTION_LABELS.update({
    "statistics.export": "导出统计数据",
})
