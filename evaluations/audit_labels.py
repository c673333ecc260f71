"""The Chinese names of the evaluation's audit actions (registered in EvaluationsConfig.ready)."""

AUDIT_ACTION_LABELS = {
    # --- C: expert scoring and the invited authorities' opinions ---
    "evaluation.scoring_round": "组织运行评价专家评分",
    "evaluation.opinion_save": "填写会同评价意见",
    "evaluation.file_read_expert": "专家查阅评价佐证材料",
    "evaluation.file_read_authority": "行业主管部门查阅评价佐证材料",
}
