"""Chinese names of the audit actions of the yearly evaluation (see `core.audit`)."""

AUDIT_ACTION_LABELS = {}
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
