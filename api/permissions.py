"""Who may use the API at all: a signed-in officer who need not change the password first."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions


class PasswordChangeRequired(exceptions.PermissionDenied):
    default_detail = _("ต้องเปลี่ยนรหัสผ่านก่อนใช้งาน กรุณาเปลี่ยนรหัสผ่านที่เว็บไซต์ของระบบ")
    default_code = "password_change_required"


class IsOfficer(permissions.IsAuthenticated):
    """Signed in (a device token or the web's session), and not held at the password change:
    the web keeps such a user on its password page (core.middleware.ForcePasswordChangeMiddleware);
    the API says so instead (an administrator's reset may come after a device signed in)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.user.must_change_password:
            raise PasswordChangeRequired
        return True
