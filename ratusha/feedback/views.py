"""The public feedback form at ``/feedback/`` and its confirmation page.

Post/redirect/get: a stored message redirects to ``sent/<token>/`` (the reference number,
signed), so reloading the confirmation never posts again. Before anything is read, a body over
``FEEDBACK_MAX_BODY_BYTES`` gets the 413 page and a client address over
``FEEDBACK_RATE_LIMIT`` posts per ``FEEDBACK_RATE_WINDOW`` seconds the 429 page, the form
still holding what was typed; the CSRF check runs after the size check."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from . import ratelimit, services
from .forms import FeedbackForm
from .models import TEXT_MAX

SIGNING_SALT = "ratusha.feedback.sent"
TEMPLATE = "feedback/form.html"


def _max_body() -> int:
    return int(getattr(settings, "FEEDBACK_MAX_BODY_BYTES", 64 * 1024))


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


@csrf_protect
def _form(request):
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": FeedbackForm()})
    form = FeedbackForm(request.POST)
    limit = ratelimit.hit(
        request,
        "feedback",
        limit=int(getattr(settings, "FEEDBACK_RATE_LIMIT", 5)),
        window=int(getattr(settings, "FEEDBACK_RATE_WINDOW", 3600)),
    )
    if not limit.allowed:
        response = render(
            request,
            TEMPLATE,
            {"form": form, "limited": True, "retry_minutes": max(1, -(-limit.retry_after // 60))},
            status=429,
        )
        response["Retry-After"] = str(limit.retry_after)
        return _private(response)
    if form.honeypot_filled:
        return _private(render(request, TEMPLATE, {"form": form, "honeypot": True}, status=400))
    if form.is_valid():
        try:
            message = services.message_submit(
                data=form.service_data(), consent=form.cleaned_data["consent"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            token = signing.dumps(message.reference, salt=SIGNING_SALT)
            return redirect("feedback:sent", token=token)
    return _private(render(request, TEMPLATE, {"form": form}, status=400))


@csrf_exempt  # the size is checked before the body is read; _form is csrf_protect-ed
def feedback_form(request):
    if request.method not in ("GET", "HEAD", "POST"):
        response = render(request, TEMPLATE, {"form": FeedbackForm()}, status=405)
        response["Allow"] = "GET, HEAD, POST"
        return response
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = _max_body() + 1
        if length > _max_body():
            return _private(
                render(
                    request,
                    "feedback/too_large.html",
                    {"limit_kb": _max_body() // 1024, "text_max": TEXT_MAX},
                    status=413,
                )
            )
    return _form(request)


def feedback_sent(request, token: str):
    try:
        reference = signing.loads(token, salt=SIGNING_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature as exc:
        raise Http404 from exc
    return _private(render(request, "feedback/sent.html", {"reference": reference}))
