"""Forms of the case page's repeats panel: link, a step on a link, merge. They parse; the rules
are ``repeats.services``'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import ActionForm
from repeats.models import Relation
from repeats.selectors import case_by_number


class CaseNumberField(forms.CharField):
    """A case's number as officers quote it (7001/2569/000123, Thai digits too): the case, nationally."""

    default_error_messages = {"not_found": _("ไม่พบเรื่องเลขที่นี้ กรุณาตรวจสอบเลขที่รับ (เช่น 7001/2569/000123)")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", _("เลขที่รับของอีกเรื่องหนึ่ง เช่น 7001/2569/000123"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        case = case_by_number(value)
        if case is None:
            raise forms.ValidationError(self.error_messages["not_found"], code="not_found")
        return case


def _note(label=None, *, required=False):
    return forms.CharField(
        label=label or _("บันทึกเพิ่มเติม"), required=required, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class LinkForm(forms.Form):
    other = CaseNumberField(label=_("เลขที่รับของเรื่องที่ซ้ำ"))
    relation = forms.ChoiceField(label=_("ความสัมพันธ์"), choices=Relation.choices, widget=forms.RadioSelect)
    note = _note()


class ReasonForm(forms.Form):
    """A step on a link that needs the officer's reason (unlink, dismiss)."""

    reason = _note(_("เหตุผล"), required=True)


class NoteForm(forms.Form):
    """A step on a link with an optional note (confirm)."""

    note = _note()


class MergeForm(ActionForm):
    """The merge of the page's case into another: ``repeats.services.merge`` takes what it cleans."""

    into = CaseNumberField(label=_("รวมเข้ากับเรื่องเลขที่"), help_text=_("เรื่องที่เก็บไว้ดำเนินการต่อ เช่น 7001/2569/000123"))
    note = _note()
