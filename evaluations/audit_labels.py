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

# --- B: the center's materials and the 主管部门's 初审 (第十八条) ---
AUDIT_ACTION_LABELS.update({
    "evaluation.materials_save": "保存运行自评估报告",
    "evaluation.submit": "报送评价材料",
    "evaluation.return": "退回评价材料修改",
    "evaluation.forward": "报送审查意见（单个赋能中心）",
    "evaluation.district_opinion": "填写初审意见",
    "evaluation_file.add": "上传评价佐证材料",
    "evaluation_file.remove": "删除评价佐证材料",
    "evaluation_file.download": "查阅评价佐证材料",
    "district_forwarding.forward": "主管部门报送审查意见",
    "district_forwarding.pdf_download": "下载审查意见PDF",
    "district_forwarding.pdf_rerender": "重新生成审查意见PDF",
})

# --- C: expert scoring and the invited authorities' opinions ---
AUDIT_ACTION_LABELS.update({
    "evaluation.scoring_round": "组织运行评价专家评分",
    "evaluation.opinion_save": "填写会同评价意见",
    "evaluation.file_read_expert": "专家查阅评价佐证材料",
    "evaluation.file_read_authority": "行业主管部门查阅评价佐证材料",
})

# --- D: revocation (第十七条) ---
AUDIT_ACTION_LABELS.update({
    "revocation.propose": "提出撤销资格",
    "revocation.notify": "告知拟撤销资格",
    "revocation.state": "陈述申辩",
    "revocation.revoke": "决定撤销资格",
    "revocation.drop": "决定不予撤销",
    "revocation_file.download": "查阅撤销资格材料",
    "evaluation_cycle.materials_close": "评价材料报送截止处理",
})
