"""Sharing a case with another district or a named officer, and ending the share: the pages.

The rule and the write path are the permissions app's (``permissions.rules.can_share``,
``permissions.services``); the pages fetch the case through the cases read path, so
they live here, above both.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.selectors import get_case_for_user
from core.forms import add_service_errors
from permissions import rules, services
from permissions.forms import ShareForm


@login_required
@require_http_methods(["GET", "POST"])
def share_case(request, pk):
    case = get_case_for_user(request.user, pk)
    if not rules.can_share(request.user, case):
        raise PermissionDenied
    # The district list opens at the case's province; another is one choice away.
    form = ShareForm(request.POST or None, initial={"district": case.district.province})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            share = services.share_case(
                actor=request.user, case=case, reason=data["reason"], expires_on=data["expires_on"],
                district=data.get("district"), user=data.get("user"),
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        except services.ShareRefused as refused:
            messages.error(request, refused.message)
            return redirect(case)
        else:
            messages.success(request, _("แชร์เรื่องให้ %(name)s แล้ว") % {"name": share.recipient_name})
            return redirect(f"{case.get_absolute_url()}#shares")
    return render(request, "permissions/share.html", {"case": case, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke_share(request, pk, share_pk):
    case = get_case_for_user(request.user, pk)
    share = get_object_or_404(case.shares, pk=share_pk)
    try:
        services.end_share(share, actor=request.user)
    except services.ShareRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("ยกเลิกการแชร์ให้ %(name)s แล้ว") % {"name": share.recipient_name})
    return redirect(f"{case.get_absolute_url()}#shares")
