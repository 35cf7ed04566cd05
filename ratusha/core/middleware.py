import logging
import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

logger = logging.getLogger(__name__)


class UkrainianFirstLocaleMiddleware(LocaleMiddleware):
    """Ukrainian unless the visitor chose another language.

    The law on the state language (art. 27) requires official websites to open in Ukrainian, so
    the browser's Accept-Language is not consulted; the language switcher sets a cookie.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AnonymousPageCacheMiddleware:
    """Serve public pages to anonymous visitors from the cache (``ratusha.core.cache``).

    Cached: GET (and HEAD, answered from the GET entry) of any path but the admin, the deputy's
    cabinet and the projector screen, with status 200, no cookie set but the CSRF one, not
    ``private``/``no-cache``/``no-store``. Never for a visitor with a session (logged in) or a
    messages cookie. The key includes the language and low-vision cookies. A served page carries
    ``X-Cache: HIT`` (``MISS`` when it was just stored).

    Every page holds a CSRF token (the language switch is a POST form). The token is that
    visitor's, so it is stored as a placeholder and each hit gets the visitor's own token (and
    the CSRF cookie when they have none), exactly as ``CsrfViewMiddleware`` would give it. A page
    that uses the token anywhere but in the forms' hidden field is not cached.

    Placed right after SecurityMiddleware: a hit costs no database query and no session load.
    """

    EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/council/cabinet/", "/i18n/")
    CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
    CSRF_PLACEHOLDER = b"@@ratusha-csrf-token@@"

    def __init__(self, get_response):
        from django.middleware.csrf import CsrfViewMiddleware

        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def _cacheable_request(self, request) -> bool:
        from . import cache as page_cache

        if request.method not in ("GET", "HEAD") or page_cache.timeout() <= 0:
            return False
        if settings.CSRF_USE_SESSIONS:
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return False
        path = request.path
        excluded = getattr(settings, "PORTAL_CACHE_EXCLUDED_PREFIXES", self.EXCLUDED_PREFIXES)
        if path.startswith(tuple(excluded)) or path.endswith("/screen/"):
            return False
        # Wagtail's preview and the "view draft" links live under /admin/; a page served with
        # a preview token in the query is never stored.
        return "preview" not in request.GET

    def _stored_content(self, response) -> bytes | None:
        """The body to store (CSRF token replaced by the placeholder), or None if the
        response may not be shared."""
        if response.status_code != 200 or response.streaming:
            return None
        if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
            return None
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return None
        if "authorization" in response.get("Vary", "").lower():
            return None
        content = response.content
        if settings.CSRF_COOKIE_NAME in response.cookies:  # the page used the CSRF token
            content, replaced = self.CSRF_FIELD.subn(
                rb"\1" + self.CSRF_PLACEHOLDER + rb"\2", content
            )
            if not replaced:
                return None
        return content

    def _from_cache(self, request, stored):
        from django.http import HttpResponse
        from django.middleware.csrf import get_token

        status, headers, content = stored
        with_token = self.CSRF_PLACEHOLDER in content
        if with_token:
            self.csrf.process_request(request)
            content = content.replace(self.CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        if with_token:
            self.csrf.process_response(request, response)
        response["X-Cache"] = "HIT"
        return response

    def __call__(self, request):
        from . import cache as page_cache

        if not self._cacheable_request(request):
            return self.get_response(request)
        key = page_cache.page_key(request)
        try:
            generation, stored = page_cache.lookup(key)
        except Exception:  # a broken cache (full disk, Redis client error): serve uncached
            logger.warning("Page cache unavailable: %s served uncached", request.path)
            return self.get_response(request)
        if stored is not None:
            return self._from_cache(request, stored)
        response = self.get_response(request)
        if request.method == "GET":
            content = self._stored_content(response)
            if content is not None:
                headers = [(name, value) for name, value in response.items()]
                try:
                    stored = page_cache.store(
                        key, generation, response.status_code, headers, content
                    )
                except Exception:
                    logger.warning("Page cache unavailable: %s not stored", request.path)
                    stored = False
                if stored:
                    response["X-Cache"] = "MISS"
        return response
