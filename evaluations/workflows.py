"""The named moves of cycles, evaluations and revocations (core.transitions)."""

from core.transitions import Move, Workflow

from .enums import CycleStatus, EvaluationStatus, RevocationStatus

C = CycleStatus
CYCLE_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("open", (C.DRAFT,), C.OPEN, "evaluations.manage_cycle", "启动评价"),
        Move("start_scoring", (C.OPEN,), C.SCORING, "evaluations.manage_cycle", "开始评估评分"),
        Move("confirm", (C.SCORING,), C.CONFIRMED, "evaluations.confirm_grade", "确认等级"),
        Move("publish", (C.CONFIRMED,), C.PUBLISHED, "evaluations.publish_results", "公布结果"),
    ),
)

E = EvaluationStatus
EVALUATION_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("submit", (E.PENDING, E.RETURNED), E.SUBMITTED, "evaluations.submit_materials",
             "报送评价材料"),
        # 第十八条: the 主管部门 may return the materials once for correction ...
        Move("return", (E.SUBMITTED,), E.RETURNED, "evaluations.review_materials",
             "退回修改", reason_required=True),
        # ... and forwards its 审查意见 with them.
        Move("forward", (E.SUBMITTED,), E.FORWARDED, "evaluations.review_materials",
             "报送审查意见"),
    ),
)

R = RevocationStatus
REVOCATION_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("notify", (R.PROPOSED,), R.NOTIFIED, "evaluations.decide_revocation",
             "告知赋能中心"),
        Move("state", (R.NOTIFIED,), R.STATED, "evaluations.state_case", "陈述申辩"),
        Move("revoke", (R.NOTIFIED, R.STATED), R.REVOKED, "evaluations.decide_revocation",
             "决定撤销", reason_required=True),
        Move("drop", (R.PROPOSED, R.NOTIFIED, R.STATED), R.DROPPED,
             "evaluations.decide_revocation", "不予撤销", reason_required=True),
    ),
)
