from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_http_methods, require_POST

from core.context_processors import SITE_NAME
from core.downloads import private_download
from core.formtokens import form_once, form_token_attach, form_token_check

from .forms import ClaimForm, MemberForm, RegistrationForm
from .forms_auth import PortalAuthenticationForm, PortalSetPasswordForm
from .licence import LICENCE_CONTENT_TYPES
from .models import OrganisationClaim, User
from .selectors import (
    locked_accounts,
    mask_email,
    organisation_administrator_hints,
    user_primary_organisation,
)
from .selectors import organisation_members as organisation_members_of
from .services import (
    DuplicateOrganisation,
    ResendRefused,
    account_unlock,
    confirmation_resend,
    organisation_claim_licence_open,
    organisation_claim_submit,
    organisation_member_add,
    organisation_register,
    registrations_release_lapsed,
    user_confirm_email,
)

# Session key: the account that gave its right password but still awaits its e-mail confirmation
# (only that account may ask for the confirmation mail again).
AWAITING_CONFIRMATION_SESSION_KEY = "awaiting_confirmation_user_id"

@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form_token_check(request, purpose="register", fallback_url=reverse("register_done"))
    if request.method == "POST":
        # Registrations left unconfirmed past their deadline hold no code or user name.
        registrations_release_lapsed()
    form = RegistrationForm(request.POST or None)
    duplicate_admins = None
    claim_uscc = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with form_once(request, purpose="register",
                           fallback_url=reverse("register_done")) as once:
                organisation_register(
                    organisation_data=form.organisation_data(),
                    username=data["username"], password=data["password1"],
                    real_name=data["real_name"], mobile=data["mobile"], email=data["email"],
                    request=request,
                )
                once.result_url = reverse("register_done")
        except DuplicateOrganisation as duplicate:
            duplicate_admins = organisation_administrator_hints(duplicate.organisation)
            form.add_error(
                "uscc",
                f"统一社会信用代码 {duplicate.organisation.uscc} 已由“{duplicate.organisation.name}”"
                "注册，请不要重复注册。请联系该单位的账号管理员在“本单位账号”页面"
                "为您开通账号；如本单位从未注册过，可申请认领。",
            )
            claim_uscc = duplicate.organisation.uscc
        else:
            return redirect("register_done")
    return render(request, "accounts/register.html",
                  {"form": form_token_attach(form), "duplicate_admins": duplicate_admins,
                   "claim_uscc": claim_uscc})


class PortalLoginView(auth_views.LoginView):
    """Signing in; remembers an account awaiting its e-mail confirmation for the resend button."""

    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        awaiting = getattr(form, "awaiting_user", None)
        if awaiting is not None:
            self.request.session[AWAITING_CONFIRMATION_SESSION_KEY] = awaiting.pk
        else:
            self.request.session.pop(AWAITING_CONFIRMATION_SESSION_KEY, None)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["awaiting_confirmation"] = getattr(form, "awaiting_user", None) is not None
        # Django puts the request's host into `site_name` (the page title would read
        # 127.0.0.1); the portal's pages show its Chinese name.
        context["site_name"] = SITE_NAME
        return context


@require_POST
def confirmation_resend_view(request):
    """Sends the confirmation mail again for the account that just gave its right password."""
    user_id = request.session.get(AWAITING_CONFIRMATION_SESSION_KEY)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        messages.error(request, "请先输入账号和密码登录，再申请重新发送确认邮件。")
        return redirect("login")
    try:
        confirmation_resend(user=user, request=request)
    except ResendRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"确认邮件已重新发送至 {mask_email(user.email)}，请查收。")
    return redirect("login")


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password from the e-mailed link also lifts the account's lock-out: the lock
    page sends locked users here, and the mail proves who they are."""

    form_class = PortalSetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        account_unlock(username=form.user.get_username(), request=self.request,
                       reason="通过邮件链接重置密码后解除锁定。")
        return response


class PortalPasswordResetView(auth_views.PasswordResetView):
    """The reset mail names the portal by its Chinese name, not the host it was reached at."""

    extra_email_context = {"site_name": SITE_NAME}


@require_http_methods(["GET", "POST"])
def organisation_claim(request):
    """A company whose 统一社会信用代码 was registered by someone else asks for the unit."""
    initial = {"uscc": request.GET.get("uscc", "")[:40]}
    form = ClaimForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation_claim_submit(
            uscc=data["uscc"], organisation_name=data["organisation_name"],
            licence=data["licence"], licence_extension=form.licence_extension,
            real_name=data["real_name"], mobile=data["mobile"], email=data["email"],
            username=data["username"], password=data["password1"], note=data["note"],
            request=request,
        )
        return redirect("organisation_claim_done")
    return render(request, "accounts/claim.html", {"form": form})


def organisation_claim_done(request):
    return render(request, "accounts/claim_done.html")


@login_required
@permission_required("accounts.view_organisation_claim", raise_exception=True)
@private_download
def organisation_claim_licence(request, pk):
    """The claimant's business licence, for the commission; every read is audited."""
    claim = get_object_or_404(OrganisationClaim, pk=pk)
    licence = organisation_claim_licence_open(claim=claim, actor=request.user, request=request)
    return FileResponse(licence, as_attachment=True,
                        filename=f"营业执照-{claim.uscc}.{claim.licence_extension}",
                        content_type=LICENCE_CONTENT_TYPES.get(claim.licence_extension,
                                                               "application/octet-stream"))


LOCKOUT_PAGE_SIZE = 50


@login_required
@permission_required("accounts.unlock_account", raise_exception=True)
@require_http_methods(["GET"])
def lockout_list(request):
    """账号锁定管理: accounts locked out now, for the commission to unlock."""
    page = Paginator(locked_accounts(), LOCKOUT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/lockouts.html", {"page": page})


@login_required
@permission_required("accounts.unlock_account", raise_exception=True)
@require_POST
def lockout_unlock(request):
    username = request.POST.get("username", "").strip()
    if not username:
        messages.error(request, "请选择要解除锁定的账号。")
        return redirect("lockout_list")
    account_unlock(username=username, actor=request.user, request=request,
                   reason=request.POST.get("reason", "").strip()[:500] or "市发展改革委解除锁定。")
    messages.success(request, f"已解除“{username}”的登录锁定。")
    return redirect("lockout_list")


def register_done(request):
    return render(request, "accounts/register_done.html")


def register_confirm(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    confirmed = user is not None and user_confirm_email(user=user, token=token)
    if confirmed:
        messages.success(request, "邮箱已确认，账号已激活，请登录。")
        return redirect("login")
    return render(request, "accounts/register_invalid.html",
                  {"confirm_hours": settings.REGISTRATION_CONFIRM_HOURS}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request):
    organisation = user_primary_organisation(request.user)
    if organisation is None or not request.user.has_perm("accounts.view_organisation_members"):
        raise PermissionDenied("只有申报单位用户可以查看本单位账号。")
    can_add = request.user.has_perm("accounts.add_organisation_member", organisation)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("只有本单位的账号管理员可以开通账号。")
        form_token_check(request, purpose="organisation_member_add",
                         fallback_url=reverse("organisation_members"))
        if form.is_valid():
            with form_once(request, purpose="organisation_member_add",
                           fallback_url=reverse("organisation_members")) as once:
                member = organisation_member_add(organisation=organisation, actor=request.user,
                                                 request=request, **form.cleaned_data)
                once.result_url = reverse("organisation_members")
            messages.success(request, f"已为{member.display_name}开通账号，设置密码的链接已发送到"
                                      f"{member.email}。")
            return redirect("organisation_members")
    return render(request, "accounts/organisation_members.html", {
        "organisation": organisation,
        "members": organisation_members_of(organisation),
        "form": form_token_attach(form) if can_add else None,
    })
