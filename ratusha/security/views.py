"""The second factor in the admin: the code page after the password, setting up the
authenticator app (compulsory for administrators and approvers), turning it off (for the
others) and renewing the recovery codes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from ratusha.core.permissions import RecordPermissionDenied

from . import two_factor
from .forms import CodeForm


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


@never_cache
@sensitive_post_parameters("token")
def verify(request):
    """Ask for the code after the password."""
    user = request.user
    if two_factor.is_verified(user) or not two_factor.is_enabled(user):
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request=request, user=user, token=form.cleaned_data["token"]):
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired. Try the next one."))
    return TemplateResponse(
        request,
        "security/verify.html",
        {"form": form, "next": _next_url(request)},
        status=200 if not form.errors else 400,
    )


@never_cache
@sensitive_post_parameters("token")
def setup(request):
    """Scan the QR code, type the first code; the recovery codes are shown once."""
    user = request.user
    if two_factor.is_enabled(user) and not two_factor.is_verified(user):
        # Someone who already has a phone proves it before enrolling another one.
        return HttpResponseRedirect(f"{reverse('security_2fa_verify')}?next={request.path}")
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.two_factor_enable(
            actor=user, request=request, token=form.cleaned_data["token"]
        )
        if codes is not None:
            return _recovery_codes_page(request, codes)
        form.add_error("token", _("The code is wrong or has expired. Try the next one."))
    return TemplateResponse(
        request,
        "security/setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_for_typing(device),
            "required": two_factor.is_required(user),
            "next": _next_url(request),
        },
        status=200 if not form.errors else 400,
    )


def _recovery_codes_page(request, codes):
    response = TemplateResponse(
        request, "security/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@sensitive_post_parameters("token")
def manage(request):
    """The account's two-factor page: state, turn off, renew recovery codes."""
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        action = request.POST.get("action")
        if action == "disable":
            try:
                done = two_factor.two_factor_disable(actor=user, request=request, token=token)
            except RecordPermissionDenied as refusal:
                messages.error(request, str(refusal))
                return HttpResponseRedirect(reverse("security_2fa_manage"))
            if done:
                messages.success(request, _("Two-factor authentication is turned off."))
                return HttpResponseRedirect(reverse("security_2fa_manage"))
        elif action == "renew":
            codes = two_factor.recovery_codes_renew(actor=user, request=request, token=token)
            if codes is not None:
                return _recovery_codes_page(request, codes)
        form.add_error("token", _("The code is wrong or has expired. Try the next one."))
    return TemplateResponse(
        request,
        "security/manage.html",
        {
            "form": form,
            "enabled": two_factor.is_enabled(user),
            "required": two_factor.is_required(user),
        },
        status=200 if not form.errors else 400,
    )


def lockout(request, original_response=None, credentials=None):
    """The page django-axes answers with while an account or an address is locked out."""
    from django.conf import settings

    cooloff = settings.AXES_COOLOFF_TIME
    return TemplateResponse(
        request,
        "security/lockout.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_timedelta": cooloff,
            "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
        },
        status=429,
    ).render()
