"""The steps of the online 申报表: what each one shows and how each one saves, in one table.

Every step declares two functions and the view treats every step the same way:

- ``forms(application, data, files) -> dict`` builds the step's forms (bound when posted);
- ``save(post: StepPost) -> StepOutcome`` stores what was posted through the services and says
  where to go next.

`step_forms` is the public entry for anything that needs a step's forms (the step page, the
autosave).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import QueryDict

from .enums import UnitRole
from .forms import (
    AttachmentForm,
    AvoidanceFormSet,
    CenterForm,
    CommitmentForm,
    GoalsForm,
    JointUnitChoiceForm,
    LeadUnitForm,
    PlanForm,
    ServiceForm,
    UnitForm,
)
from .models import ApplicationUnit

# services, selectors and completeness import this module (completeness reads STEPS), so the
# saves import them when they run.


@dataclass(frozen=True)
class StepPost:
    """One POST to a step: the application (loaded with its details), who posted, the step's
    bound forms and which button was pressed (``intent``: next, stay, previous, upload,
    submit). ``return_to`` is the step an upload made from another page goes back to."""

    application: object
    actor: object
    forms: dict
    intent: str
    return_to: str


@dataclass
class StepOutcome:
    """What a save did. ``valid`` False re-renders the step with the forms' errors; otherwise
    the user goes to ``go_to`` (a step key, or ``DETAIL`` for the application's page)."""

    valid: bool
    go_to: str = ""
    message: str = ""
    error: str = ""
    warning: str = ""


DETAIL = "__detail__"
REVIEW = "__review__"


@dataclass(frozen=True)
class Step:
    """One step: its key in URLs, its title, how it builds its forms and how it saves."""

    key: str
    title: str
    forms: Callable[..., dict] = field(repr=False, compare=False)
    save: Callable[[StepPost], StepOutcome] = field(repr=False, compare=False)


# --- forms -------------------------------------------------------------------------------------


def _unit_forms(application, data, files):
    return {"unit": LeadUnitForm(data, instance=application.lead_unit, prefix="lead")}


def _joint_forms(application, data, files):
    joint = next((u for u in application.units.all() if u.role == UnitRole.JOINT), None)
    answered = application.has_joint_unit
    choice = JointUnitChoiceForm(data, prefix="choice", initial={
        "has_joint_unit": None if answered is None else ("1" if answered else "0")})
    unit = UnitForm(data, instance=joint or ApplicationUnit(application=application,
                                                            role=UnitRole.JOINT),
                    prefix="joint")
    return {"choice": choice, "unit": unit}


def _model_form(form_class):
    def build(application, data, files):
        return {"form": form_class(data, instance=application)}
    return build


def _attachment_forms(application, data, files):
    return {"upload": AttachmentForm(data, files)}


def _avoidance_forms(application, data, files):
    initial = [{"expert_name": r.expert_name, "expert_employer": r.expert_employer,
                "reason": r.reason} for r in application.avoidance_requests.order_by("id")]
    return {"formset": AvoidanceFormSet(data, initial=initial, prefix="avoid")}


def avoidance_forms_from_held(application, held: dict) -> dict:
    """The 回避申请 step's forms showing text held when a session ended (drafts.py), as
    unsaved typing: unbound, with the held rows as their initial values."""
    rows = []
    for index in range(AvoidanceFormSet.max_num):
        row = {name: (held.get(f"avoid-{index}-{name}") or [""])[0]
               for name in ("expert_name", "expert_employer", "reason")}
        if any(row.values()):
            rows.append(row)
    return {"formset": AvoidanceFormSet(initial=rows, prefix="avoid")}


def _commitment_forms(application, data, files):
    return {"form": CommitmentForm(data, initial={
        "lead_commitment": application.lead_commitment_at is not None,
        "joint_commitment": application.joint_commitment_at is not None,
    })}


# --- saves -------------------------------------------------------------------------------------


def _after_valid_save(post: StepPost, key: str) -> StepOutcome:
    """Where a clean save goes, and what the step still lacks for submission (said plainly,
    not silently skipped: the draft is kept and the user may fill the rest later)."""
    if post.intent == "stay":
        return StepOutcome(True, go_to=key, message="已保存草稿。")
    if post.intent == "previous" and previous_step(key):
        return StepOutcome(True, go_to=previous_step(key))
    from .completeness import step_problems
    from .selectors import application_with_details

    fresh = application_with_details(type(post.application).objects.all()).get(
        pk=post.application.pk)
    missing = step_problems(fresh)[key]
    warning = ""
    if missing:
        warning = (f"已保存。“{STEP_TITLES[key]}”尚未填写完整：{''.join(missing)}"
                   "可以先填写后面的内容，提交前须补齐。")
    return StepOutcome(True, go_to=next_step(key), warning=warning)


def _save_forms(post: StepPost, key: str, forms: list) -> StepOutcome:
    from . import services

    all_valid = services.application_save_step(application=post.application, actor=post.actor,
                                               step=key, forms=forms,
                                               next_step=next_step(key))
    if not all_valid:
        return StepOutcome(False)
    return _after_valid_save(post, key)


def _save_plain(key):
    def save(post: StepPost) -> StepOutcome:
        return _save_forms(post, key, list(post.forms.values()))
    return save


def _save_joint(post: StepPost) -> StepOutcome:
    from . import services
    from .selectors import application_with_details

    choice = post.forms["choice"]
    if not choice.is_valid():
        return StepOutcome(False)
    has_joint = choice.cleaned_data["has_joint_unit"]
    application = services.application_set_joint_unit(application=post.application,
                                                      actor=post.actor, has_joint_unit=has_joint)
    unit_forms = []
    if has_joint:
        application = application_with_details(type(application).objects.all()).get(
            pk=application.pk)
        post.forms["unit"].instance = application.joint_unit
        unit_forms = [post.forms["unit"]]
    return _save_forms(StepPost(application, post.actor, post.forms, post.intent,
                                post.return_to), "joint", unit_forms)


def _save_attachments(post: StepPost) -> StepOutcome:
    from . import services

    if post.intent != "upload":
        services.application_remember_step(application=post.application, actor=post.actor,
                                           step=next_step("attachments"))
        return _after_valid_save(post, "attachments")
    upload = post.forms["upload"]
    if not upload.is_valid():
        if post.return_to != "attachments":
            return StepOutcome(True, go_to=post.return_to, error="；".join(
                e for errs in upload.errors.values() for e in errs))
        return StepOutcome(False)
    services.attachment_add(application=post.application, actor=post.actor,
                            kind=upload.cleaned_data["kind"],
                            uploaded_file=upload.cleaned_data["file"])
    return StepOutcome(True, go_to=post.return_to,
                       message=f"已上传“{upload.cleaned_data['file'].name}”。")


def _save_avoidance(post: StepPost) -> StepOutcome:
    from . import services

    formset = post.forms["formset"]
    if not formset.is_valid():
        return StepOutcome(False)
    services.avoidance_requests_save(application=post.application, actor=post.actor,
                                     rows=formset.rows())
    target = "avoidance" if post.intent == "stay" else next_step("avoidance")
    if post.intent == "previous":
        target = previous_step("avoidance")
    services.application_remember_step(application=post.application, actor=post.actor,
                                       step=target)
    return _after_valid_save(post, "avoidance")


def _save_commitment(post: StepPost) -> StepOutcome:
    from . import services

    form = post.forms["form"]
    form.is_valid()
    services.application_record_commitments(
        application=post.application, actor=post.actor,
        lead=form.cleaned_data.get("lead_commitment", False),
        joint=form.cleaned_data.get("joint_commitment", False),
    )
    if post.intent == "submit":
        # 提交申报 happens on the review page only, after the applicant has seen it all.
        return StepOutcome(True, go_to=REVIEW)
    return StepOutcome(True, go_to="commitment", message="已保存。")


STEPS = (
    Step("lead", "一、单位基本情况（承建主体）", _unit_forms, _save_plain("lead")),
    Step("joint", "一、单位基本情况（联合承建主体）", _joint_forms, _save_joint),
    Step("center", "二、赋能中心基本情况", _model_form(CenterForm), _save_plain("center")),
    Step("service", "三、行业服务情况 · 四、建设内容", _model_form(ServiceForm),
         _save_plain("service")),
    Step("goals", "五、建设目标（三年内）", _model_form(GoalsForm), _save_plain("goals")),
    Step("plan", "建设方案", _model_form(PlanForm), _save_plain("plan")),
    Step("attachments", "附件材料", _attachment_forms, _save_attachments),
    # 回避申请: optional, confidential between the unit and the commission (never in the PDF).
    Step("avoidance", "回避申请（可选）", _avoidance_forms, _save_avoidance),
    Step("commitment", "承诺与提交", _commitment_forms, _save_commitment),
)
STEP_KEYS = tuple(step.key for step in STEPS)
STEP_TITLES = {step.key: step.title for step in STEPS}
STEPS_BY_KEY = {step.key: step for step in STEPS}
# Steps whose failures (a refused upload, a refused submission) are reported on the page the
# user came from rather than by re-rendering the step's forms.
REDIRECT_ON_REFUSAL = ("attachments", "commitment")


def step_forms(step_key: str, application, data: QueryDict | None = None,
               files=None) -> dict:
    """The forms of one step, keyed by their role on the page ("unit", "choice", "form",
    "upload"), bound to ``data``/``files`` when given. Raises KeyError for an unknown step."""
    forms = STEPS_BY_KEY[step_key].forms(application, data, files)
    _mark_required(forms, step_key, application)
    return forms


def _mark_required(forms: dict, step_key: str, application) -> None:
    """An asterisk on every field required for submission (completeness.required_fields);
    the forms still save a draft with the field empty."""
    from django.utils.html import format_html

    from .completeness import required_fields

    for form_key, names in required_fields(step_key, application).items():
        form = forms[form_key]
        for name in names & set(form.fields):
            field = form.fields[name]
            field.widget.attrs["aria-required"] = "true"
            if not field.required:  # crispy marks required fields itself
                field.label = format_html('{}<span class="asteriskField" title="必填">*</span>',
                                          field.label or name)


def step_intent(post_data) -> str:
    """Which button of a step page was pressed; Enter in a text field presses the first one in
    the page, which is always 保存并下一步."""
    if "upload" in post_data:
        return "upload"
    if "submit_application" in post_data:
        return "submit"
    if "save_and_stay" in post_data:
        return "stay"
    if "previous" in post_data:
        return "previous"
    return "next"


def next_step(key: str) -> str:
    index = STEP_KEYS.index(key)
    return STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)]


def previous_step(key: str) -> str | None:
    index = STEP_KEYS.index(key)
    return STEP_KEYS[index - 1] if index > 0 else None
