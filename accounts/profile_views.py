"""本单位信息: an applicant unit's own profile, which pre-fills its next application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .profile_forms import OrganisationProfileForm
from .selectors import user_primary_organisation
from .services import organisation_update_profile


@login_required
@require_http_methods(["GET", "POST"])
def organisation_profile(request):
    organisation = user_primary_organisation(request.user)
    if organisation is None or not request.user.has_perm("accounts.view_organisation_profile"):
        raise PermissionDenied("只有申报单位用户可以查看本单位信息。")
    can_edit = request.user.has_perm("accounts.change_organisation_profile", organisation)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("只有本单位的账号管理员可以修改本单位信息。")
    form = OrganisationProfileForm(request.POST or None, instance=organisation,
                                   read_only=not can_edit)
    if request.method == "POST" and form.is_valid():
        organisation_update_profile(organisation=organisation, actor=request.user,
                                    values={name: form.cleaned_data[name]
                                            for name in form.Meta.fields},
                                    request=request)
        messages.success(request, "本单位信息已保存，将用于预填下一次申报的承建单位信息。")
        return redirect("organisation_profile")
    return render(request, "accounts/organisation_profile.html", {
        "organisation": organisation, "form": form, "can_edit": can_edit,
    })
