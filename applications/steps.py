"""The steps of the online 申报表 and what makes each one complete."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    key: str
    title: str


STEPS = (
    Step("lead", "一、单位基本情况（承建主体）"),
    Step("joint", "一、单位基本情况（联合承建主体）"),
    Step("center", "二、赋能中心基本情况"),
    Step("service", "三、行业服务情况 · 四、建设内容"),
    Step("goals", "五、建设目标（三年内）"),
    Step("plan", "建设方案"),
    Step("attachments", "附件材料"),
    Step("commitment", "承诺与提交"),
)
STEP_KEYS = tuple(step.key for step in STEPS)
STEP_TITLES = {step.key: step.title for step in STEPS}


def next_step(key: str) -> str:
    index = STEP_KEYS.index(key)
    return STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)]


def previous_step(key: str) -> str | None:
    index = STEP_KEYS.index(key)
    return STEP_KEYS[index - 1] if index > 0 else None
