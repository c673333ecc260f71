"""Moves the text of the old 建设方案 sections to the first heading of each section, and asks
drafts that never reached the joint-unit step to choose 有/无 actively."""

from django.db import migrations

# The five texts of the old outline each go to the first heading of their section; the other
# headings start empty. Nothing typed is lost, and going back joins the headings again.
MOVED = {
    "plan_foundation": "plan_unit_overview",
    "plan_construction": "plan_development_goals",
    "plan_operation": "plan_organisation",
    "plan_implementation": "plan_site",
}
LATER_HEADINGS = {
    "plan_foundation": ["plan_tech_achievements", "plan_tech_support", "plan_competitiveness"],
    "plan_construction": ["plan_main_content", "plan_three_year_schedule"],
    "plan_operation": ["plan_team", "plan_sustainability", "plan_outcome_targets"],
    "plan_implementation": ["plan_funding", "plan_benefits"],
}


def move_plan_texts(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    if not Application.objects.exists():
        # Also how the test suite re-runs data migrations on an emptied, current schema.
        return
    for application in Application.objects.only("pk", *MOVED).iterator():
        for old, new in MOVED.items():
            setattr(application, new, getattr(application, old))
        application.save(update_fields=list(MOVED.values()))


def join_plan_texts(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    for application in Application.objects.iterator():
        for old, new in MOVED.items():
            parts = [getattr(application, new)] + [getattr(application, f)
                                                   for f in LATER_HEADINGS[old]]
            setattr(application, old, "\n\n".join(p for p in parts if p))
        application.save(update_fields=list(MOVED))


def ask_unanswered_joint_choice(apps, schema_editor):
    # A draft that never got past the joint-unit step said nothing about a joint unit: the old
    # default 无 was not the applicant's answer. It is asked again.
    Application = apps.get_model("applications", "Application")
    Application.objects.filter(status="draft", has_joint_unit=False,
                               current_step__in=["lead", "joint"]).update(has_joint_unit=None)


def default_joint_choice(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Application.objects.filter(has_joint_unit=None).update(has_joint_unit=False)



class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0004_plan_outline_headings_and_joint_choice"),
    ]

    operations = [
        migrations.RunPython(move_plan_texts, join_plan_texts),
        migrations.RunPython(ask_unanswered_joint_choice, default_joint_choice),
    ]
