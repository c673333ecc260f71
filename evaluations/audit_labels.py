"""Chinese names of the audit actions of the yearly evaluation and revocation (see
`core.audit`). One dict; each part appends its keys in its own block."""

AUDIT_ACTION_LABELS = {}

# --- cycles, grades and 通报 (第十七条) ---
AUDIT_ACTION_LABELS.update({
    "indicator_table.settings": "修改评价等级起点和不合格情形",
    "indicator_table.indicators": "修改评价指标",
    "indicator_table.new_version": "生成评价指标体系新版本",
    "evaluation_cycle.create": "设立运行评估评价",
    "evaluationcycle.open": "启动运行评估评价",
    "evaluation_cycle.scope": "确定评价范围",
    "evaluationcycle.start_scoring": "开始评估评分",
    "evaluation_cycle.grades_compute": "计算评价等级",
    "evaluation.false_materials": "认定提供虚假材料",
    "evaluation.grade_confirm": "确认评价等级",
    "evaluationcycle.confirm": "确认年度评价等级",
    "evaluationcycle.publish": "公布评价结果",
    "bulletin.issue": "发布不合格通报",
    "bulletin.download": "下载通报",
})
AUDIT_ACTION_LABELS.update({
    "evaluation_cycle.change": "修改运行评估评价设置",
    "indicator_table.create": "新建评价指标体系",
})
