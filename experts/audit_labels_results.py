"""Chinese names of the audit actions of rounds, results and the proposed list (see
`core.audit`). The moves of experts.rounds.ROUND_WORKFLOW and
experts.results.PROPOSED_LIST_WORKFLOW are recorded as `reviewround.<move>` and
`proposedlist.<move>`."""

AUDIT_ACTION_LABELS = {
    "review_round.create": "创建专家评审轮次",
    "review_round.rubric_save": "修改评分标准",
    "reviewround.open": "开始专家评审",
    "reviewround.close": "结束专家评审",
    "review_round.results_compute": "计算专家评审结果",
    "round_entry.resolve": "记录评分分歧处理意见",
    "proposed_list.save": "保存拟评定名单草稿",
    "proposedlist.freeze": "确定拟评定名单",
    "review_round.summary_export": "导出评审结果汇总",
    "review_round.sheets_export": "导出专家评分表",
    "review_round.results_pdf_request": "生成专家评分汇总表",
    "review_round.results_pdf_download": "下载专家评分汇总表",
}
