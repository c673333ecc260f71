"""Chinese names of the audit actions of the yearly evaluation and revocation (core.audit)."""

AUDIT_ACTION_LABELS = {
    # --- D: revocation (第十七条) ---
    "revocation.propose": "提出撤销资格",
    "revocation.notify": "告知拟撤销资格",
    "revocation.state": "陈述申辩",
    "revocation.revoke": "决定撤销资格",
    "revocation.drop": "决定不予撤销",
    "revocation_file.download": "查阅撤销资格材料",
    "evaluation_cycle.materials_close": "评价材料报送截止处理",
}
