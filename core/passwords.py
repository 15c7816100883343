"""Password rules beyond Django's: letters and digits, and not the national ID."""

import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.thai import to_arabic_digits

# Letters and digits that cannot be confused when read aloud or copied from paper.
_READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class MixedCharactersValidator:
    def validate(self, password, user=None):
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(_("รหัสผ่านต้องมีทั้งตัวอักษรและตัวเลข"), code="password_not_mixed")

    def get_help_text(self):
        return _("รหัสผ่านต้องมีทั้งตัวอักษรและตัวเลข")


class NotNationalIdValidator:
    def validate(self, password, user=None):
        national_id = getattr(user, "national_id", "") or ""
        digits = "".join(c for c in to_arabic_digits(password) if c.isdigit())
        if national_id and (national_id[-6:] in digits or national_id[:6] in digits):
            raise ValidationError(
                _("รหัสผ่านต้องไม่มีเลขประจำตัวประชาชนหรือบางส่วนของเลขนั้น"),
                code="password_contains_national_id",
            )

    def get_help_text(self):
        return _("รหัสผ่านต้องไม่มีเลขประจำตัวประชาชนของคุณ")


def one_time_password() -> str:
    """Return a random first password an administrator reads out or writes down once.

    Twelve readable characters, always with letters and digits, so it passes the
    validators above; the user must replace it at first sign-in.
    """
    while True:
        candidate = "".join(secrets.choice(_READABLE) for _ in range(12))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return f"{candidate[:4]}-{candidate[4:8]}-{candidate[8:]}"
