"""Forms of the requests for access: asking (from a candidate's card), and the head's answer."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BuddhistDateField
from permissions.services import DEFAULT_ACCESS_DAYS


def _text(label, required_message, *, rows=3):
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), max_length=2000,
        error_messages={"required": required_message},
    )  # fmt: skip


class AskForm(forms.Form):
    """Sent by a minimal card's button: the card's token names the case."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=500)
    reason = _text(_("เหตุผลที่ขอเข้าถึงเรื่อง"), _("กรุณาระบุเหตุผลที่ขอเข้าถึงเรื่องนี้"), rows=2)


class GrantForm(forms.Form):
    expires_on = BuddhistDateField(label=_("ให้เข้าถึงได้ถึงวันที่"))
    note = forms.CharField(
        label=_("บันทึกถึงผู้ขอ"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("expires_on", timezone.localdate() + dt.timedelta(days=DEFAULT_ACCESS_DAYS))


class RefuseForm(forms.Form):
    note = _text(_("เหตุผลที่ไม่อนุญาต (ผู้ขอจะเห็นเหตุผลนี้)"), _("กรุณาระบุเหตุผลที่ไม่อนุญาต ผู้ขอจะเห็นเหตุผลนี้"))
