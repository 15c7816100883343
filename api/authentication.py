"""Device tokens on requests: ``Authorization: Token <key>``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api import services


class TokenRefused(exceptions.AuthenticationFailed):
    """A token that does not sign anyone in; ``code`` says why (the phone signs in again)."""


class DeviceTokenAuthentication(authentication.BaseAuthentication):
    """Authenticate with a device token (``api.DeviceToken``).

    A revoked or expired token, or one of an account that has ended, is refused on the
    request that carries it: there is no cache between the table and this check.
    """

    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise TokenRefused(_("รูปแบบโทเค็นไม่ถูกต้อง"), code="token_invalid")
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise TokenRefused(_("รูปแบบโทเค็นไม่ถูกต้อง"), code="token_invalid") from None
        token = services.token_for_key(key)
        if token is None:
            raise TokenRefused(_("โทเค็นไม่ถูกต้อง กรุณาเข้าสู่ระบบใหม่"), code="token_invalid")
        if token.is_revoked:
            raise TokenRefused(_("อุปกรณ์นี้ถูกยกเลิกการเข้าใช้งานแล้ว กรุณาเข้าสู่ระบบใหม่"), code="token_revoked")
        if token.is_expired:
            raise TokenRefused(_("การเข้าสู่ระบบของอุปกรณ์นี้หมดอายุแล้ว กรุณาเข้าสู่ระบบใหม่"), code="token_expired")
        if not token.user.is_active:
            raise TokenRefused(_("บัญชีนี้ถูกระงับการใช้งาน กรุณาติดต่อผู้ดูแลระบบของจังหวัด"), code="account_inactive")
        services.token_used(token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    """The device token in the OpenAPI document (drf-spectacular)."""

    target_class = "api.authentication.DeviceTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <key>: the key of POST /api/v1/auth/token/",
        }
