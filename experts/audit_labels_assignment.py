"""Chinese names of the audit actions of the experts' assignment (see `core.audit`)."""

AUDIT_ACTION_LABELS = {
    "assignment.add": "手工分配评审专家",
    "assignment.withdraw": "撤回专家评审分配",
    "assignment.auto": "自动分配评审专家",
}
