"""`{% open_evaluations_for user as rows %}`: the applicant dashboard's block of evaluations
still to be submitted (selectors_materials.open_evaluations_for_user)."""

from django import template

register = template.Library()


@register.simple_tag
def open_evaluations_for(user):
    from evaluations.selectors_materials import open_evaluations_for_user

    return open_evaluations_for_user(user) if user.is_authenticated else []
