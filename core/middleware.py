import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ThaiFirstLocaleMiddleware:
    """Activate the language the user chose (cookie), else Thai.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which
    on many office computers is English; the centers want Thai unless an officer
    switches.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class ForcePasswordChangeMiddleware:
    """Keep a user who must change the password on the password-change page.

    Set at first sign-in and after an administrator's reset. Only the pages
    needed to change the password, sign out or switch language stay open.
    """

    ALLOWED_URL_NAMES = (
        "password_change", "logout", "set_language", "language",
        # The user manual: how to change the password is in it.
        "manual:index", "manual:role", "manual:pdf", "manual:all_pdf",
        # The field app's shell, manifest and service worker: the same for everyone (the app signs
        # in with a device token); redirected, the worker would keep the password page as the app.
        "field:shell", "field:manifest", "field:service_worker",
    )  # fmt: skip

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            try:
                name = resolve(request.path_info).view_name  # the language links take the language
            except Resolver404:
                name = None
            static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
            if name not in self.ALLOWED_URL_NAMES and not request.path.startswith(static):
                return redirect("password_change")
        return self.get_response(request)


class SlidingSessionMiddleware:
    """Keep a session alive while it is used, writing it at most once a minute.

    An idle session ends SESSION_COOKIE_AGE after its last use (the centers ask for
    30 minutes). Django's SESSION_SAVE_EVERY_REQUEST would do that by rewriting the
    session row, and committing, on every page: a database write per page view. Here
    the expiry moves forward only when a minute has passed since it last did, so a
    session ends between 29 and 30 minutes after its last use. After
    AuthenticationMiddleware, which has loaded the session anyway.
    """

    REFRESH_SECONDS = 60
    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and session.session_key:
            now = int(self.clock())
            if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                session[self.KEY] = now  # modified: SessionMiddleware saves it with a new expiry
        return response

    @staticmethod
    def clock() -> float:
        return time.time()
