import pytest
from django.urls import reverse

from audit.models import AuditEvent, Kind
from cases.models import Category

pytestmark = pytest.mark.django_db


def test_changing_a_category_target_in_the_admin_is_audited(signed_in, ada):
    land = Category.objects.get(name_th="ที่ดิน", parent=None)
    client = signed_in(ada)
    form = client.get(reverse("admin:cases_category_change", args=[land.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"closure_days": 75, "first_reply_days": 10, "progress_days": 14, "is_active": "on",
                 "children-TOTAL_FORMS": 0, "children-INITIAL_FORMS": 0})  # fmt: skip
    for key in ("is_other",):
        data.pop(key, None)
    response = client.post(reverse("admin:cases_category_change", args=[land.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(kind=Kind.SETTINGS_CHANGE)
    assert event.actor_id == ada.pk
    assert event.before["closure_days"] == "90" and event.after["closure_days"] == "75"
