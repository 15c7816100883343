"""The intake page's ID-card button (templates/cases/includes/idcard_button.html, static/js/idcard.js):
where the card helper on the officer's PC listens, and what the page says about each answer."""

import json

from django import template
from django.conf import settings
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def card_helper_url() -> str:
    """``settings.CARD_HELPER_URL``: empty when this site offers no card reading."""
    return settings.CARD_HELPER_URL


def card_helper_messages() -> dict[str, str]:
    """The page's words for each outcome; the keys are the helper's ``error`` codes, and the page's own."""
    return {
        "reading": _("กำลังอ่านบัตร…"),
        "filled": _("กรอกจากบัตรแล้ว (ช่องที่มีกรอบสีเขียว) กรุณาตรวจกับบัตร แก้ไขได้ตามต้องการ"),
        "unreachable": _("ติดต่อโปรแกรมอ่านบัตรบนเครื่องนี้ไม่ได้ กรุณาเปิดโปรแกรมอ่านบัตรแล้วลองอีกครั้ง หรือพิมพ์ข้อมูลเอง"),
        "no_reader": _("ไม่พบเครื่องอ่านบัตร กรุณาต่อเครื่องอ่านบัตรแล้วลองอีกครั้ง หรือพิมพ์ข้อมูลเอง"),
        "no_card": _("ไม่พบบัตร กรุณาเสียบบัตรประชาชนแล้วกดอ่านอีกครั้ง"),
        "read_failed": _("อ่านบัตรไม่สำเร็จ กรุณาถอดบัตรแล้วเสียบใหม่ หรือพิมพ์ข้อมูลเอง"),
        "unpaired": _("เครื่องนี้ยังไม่ได้จับคู่กับโปรแกรมอ่านบัตร กรุณากรอกรหัสจับคู่ 6 หลักที่แสดงในหน้าต่างโปรแกรมอ่านบัตร"),
        "pairing_lost": _("การจับคู่เดิมใช้ไม่ได้แล้ว กรุณากรอกรหัสจับคู่ใหม่ที่แสดงในหน้าต่างโปรแกรมอ่านบัตร"),
        "bad_code": _("รหัสจับคู่ไม่ถูกต้อง กรุณาตรวจสอบรหัสในหน้าต่างโปรแกรมอ่านบัตร"),
        "code_replaced": _("รหัสจับคู่ผิดหลายครั้ง โปรแกรมอ่านบัตรแสดงรหัสใหม่แล้ว กรุณาใช้รหัสใหม่"),
        "code_format": _("กรุณากรอกรหัสจับคู่เป็นตัวเลข 6 หลัก"),
        "origin": _("โปรแกรมอ่านบัตรไม่ได้ตั้งให้รับคำขอจากเว็บไซต์นี้ กรุณาแจ้งผู้ดูแลระบบ (--origin)"),
        "failed": _("อ่านบัตรไม่สำเร็จ กรุณาลองอีกครั้ง หรือพิมพ์ข้อมูลเอง"),
    }


@register.simple_tag
def card_helper_config(element_id: str = "idcard-config") -> str:
    """``<script type="application/json">`` with the helper's address and the page's messages."""
    # As django.utils.html.json_script, but Thai kept as it is: \uXXXX escapes made the
    # messages six times their size, and the intake page weighs what it ships.
    text = json.dumps({"url": settings.CARD_HELPER_URL, "messages": card_helper_messages()}, ensure_ascii=False)
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(text.translate(_json_script_escapes)),  # noqa: S308 - escaped as json_script escapes
    )
