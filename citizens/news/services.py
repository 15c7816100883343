"""News of a center's activities (ข่าวกิจกรรม): who may do what, and every change.

Who may do what is written here once; the views, the menu and the selectors ask it:

- a center's staff write its news and edit its drafts: a district's officers and
  head the district's posts, a province's officers and head the province's own
  posts (no district);
- the center's head decides: publishes a draft, withdraws a published post,
  republishes a withdrawn one, or takes it back to draft to be corrected
  (``STEPS``, the one table of the post's states);
- central officers read every center's posts and change none.

Every change is a function here: keyword-only, validated first, in one
transaction, audited (``audit.events.news_changed``: the audit rows are the
post's history), and it leaves the caller's post current.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import events as audit_events
from cases.models import Complaint
from cases.services import ActionRefused
from citizens.models import NewsPhoto, NewsPost
from citizens.news import images
from core.models import Subdistrict, User
from core.roles import Role, ScopeLevel
from core.thai import to_arabic_digits

State = NewsPost.State

MAX_PHOTOS = 10
MAX_LINKED_CASES = 20
# The points a map of Thailand can hold (as the intake's incident point).
LATITUDE_RANGE = (Decimal(5), Decimal(21))
LONGITUDE_RANGE = (Decimal(97), Decimal(106))


# --- Who may do what ------------------------------------------------------------------------


@dataclass(frozen=True)
class Center:
    """The center an officer works at: a district's, or a province's own (``district_id`` None)."""

    province_id: str
    district_id: str | None
    is_head: bool


def center_of(user) -> Center | None:
    """The center whose news ``user`` writes, or None (team members, auditors, central officers)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.scope_level == ScopeLevel.DISTRICT and user.district_id:
        if user.has_role(Role.DISTRICT_OFFICER, Role.DISTRICT_HEAD):
            return Center(user.province_id, user.district_id, is_head=user.has_role(Role.DISTRICT_HEAD))
    elif user.scope_level == ScopeLevel.PROVINCE and user.province_id:
        if user.has_role(Role.PROVINCE_OFFICER, Role.PROVINCE_HEAD):
            return Center(user.province_id, None, is_head=user.has_role(Role.PROVINCE_HEAD))
    return None


def reads_every_center(user) -> bool:
    """Central officers read the news of every center (and change none)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.scope_level == ScopeLevel.NATION
        and user.has_role(Role.CENTRAL_OFFICER)
    )


def can_open_news(user) -> bool:
    """The officers' news pages (the menu asks this too)."""
    return center_of(user) is not None or reads_every_center(user)


def is_own(user, post: NewsPost) -> bool:
    center = center_of(user)
    return center is not None and (center.province_id, center.district_id) == (post.province_id, post.district_id)


def can_read(user, post: NewsPost) -> bool:
    return is_own(user, post) or reads_every_center(user)


def can_write(user) -> bool:
    """Write a new post for one's own center."""
    return center_of(user) is not None


def can_edit(user, post: NewsPost) -> bool:
    """Edit a post's text, photos and linked cases: the center's staff, while it is a draft."""
    return post.state == State.DRAFT and is_own(user, post)


def is_deciding_head(user, post: NewsPost) -> bool:
    """The head of the post's center: the district head for a district's post, the province head for a province's."""
    center = center_of(user)
    return center is not None and center.is_head and is_own(user, post)


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    label: str | Promise
    done: str | Promise  # what the page says once it is done


# The post's states: draft → published → withdrawn, and back. Every step is the head's.
STEPS: dict[str, Step] = {
    "publish": Step(
        frozenset({State.DRAFT}), State.PUBLISHED, gettext_lazy("เผยแพร่"), gettext_lazy("เผยแพร่ข่าวแล้ว")
    ),
    "withdraw": Step(
        frozenset({State.PUBLISHED}), State.WITHDRAWN, gettext_lazy("ถอนการเผยแพร่"),
        gettext_lazy("ถอนการเผยแพร่แล้ว ประชาชนจะไม่เห็นข่าวนี้และภาพของข่าวอีก"),
    ),
    "republish": Step(
        frozenset({State.WITHDRAWN}), State.PUBLISHED, gettext_lazy("เผยแพร่อีกครั้ง"),
        gettext_lazy("เผยแพร่ข่าวอีกครั้งแล้ว"),
    ),
    "revise": Step(
        frozenset({State.WITHDRAWN}), State.DRAFT, gettext_lazy("นำกลับมาแก้ไข (เป็นร่าง)"),
        gettext_lazy("ข่าวกลับเป็นร่างแล้ว เจ้าหน้าที่แก้ไขได้ และต้องเผยแพร่ใหม่อีกครั้ง"),
    ),
}  # fmt: skip


def can_take(user, post: NewsPost, step: str) -> bool:
    return step in STEPS and post.state in STEPS[step].sources and is_deciding_head(user, post)


def steps_for(user, post: NewsPost) -> list[tuple[str, Step]]:
    """The steps ``user`` may take on ``post`` now: the buttons on its page."""
    return [(name, step) for name, step in STEPS.items() if can_take(user, post, name)]


# --- Writing and editing --------------------------------------------------------------------


@dataclass(frozen=True)
class NewsData:
    title: str
    leader: str
    participants: str
    happened_on: dt.date
    place: str
    body: str
    happened_at: dt.time | None = None
    subdistrict: Subdistrict | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    # The linked cases by number (7001/2569/000123); only cases the writer sees.
    case_numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhotoEdit:
    """What the form says of a photo already on the post."""

    photo_id: int
    caption: str = ""
    position: int = 0
    delete: bool = False


@dataclass
class _Errors:
    by_field: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


_TEXT_LIMITS = {"title": 200, "leader": 200, "participants": 2000, "place": 300, "body": 10000}


def _validated(data: NewsData, *, today: dt.date, errors: _Errors) -> dict[str, Any]:
    """The post's fields from ``data``, trimmed and checked; problems go to ``errors``."""
    required = {
        "title": _("กรุณากรอกชื่อกิจกรรม"),
        "leader": _("กรุณากรอกชื่อผู้นำกิจกรรม"),
        "participants": _("กรุณากรอกผู้เข้าร่วมกิจกรรม"),
        "place": _("กรุณากรอกสถานที่จัดกิจกรรม"),
        "body": _("กรุณากรอกรายละเอียดของกิจกรรม"),
    }
    values: dict[str, Any] = {}
    for name, message in required.items():
        text = (getattr(data, name) or "").strip()
        if not text:
            errors.add(name, message)
        elif len(text) > _TEXT_LIMITS[name]:
            errors.add(name, _("ยาวเกินไป (ไม่เกิน %(limit)d ตัวอักษร)") % {"limit": _TEXT_LIMITS[name]})
        values[name] = text
    if data.happened_on is None:
        errors.add("happened_on", _("กรุณาระบุวันที่จัดกิจกรรม"))
    elif data.happened_on > today:
        errors.add("happened_on", _("วันที่จัดกิจกรรมต้องไม่เป็นวันในอนาคต ข่าวกิจกรรมรายงานกิจกรรมที่จัดแล้ว"))
    values["happened_on"] = data.happened_on
    values["happened_at"] = data.happened_at
    values["subdistrict"] = data.subdistrict
    latitude, longitude = data.latitude, data.longitude
    if (latitude is None) != (longitude is None):
        errors.add("latitude" if latitude is None else "longitude", _("กรุณากรอกทั้งละติจูดและลองจิจูด หรือเว้นว่างทั้งคู่"))
    if latitude is not None and not LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]:
        errors.add("latitude", _("ละติจูดต้องอยู่ระหว่าง 5 ถึง 21 (ในประเทศไทย)"))
    if longitude is not None and not LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]:
        errors.add("longitude", _("ลองจิจูดต้องอยู่ระหว่าง 97 ถึง 106 (ในประเทศไทย)"))
    values["latitude"], values["longitude"] = latitude, longitude
    return values


_CASE_NUMBER = re.compile(r"^(\d{4})/(\d{4})/(\d{1,6})$")
_NUMBER_SEPARATORS = re.compile(r"[\s,;]+")


def split_case_numbers(text: str) -> tuple[str, ...]:
    """The case numbers typed in ``text`` (commas, spaces or lines between them; Thai digits read)."""
    parts = _NUMBER_SEPARATORS.split(to_arabic_digits(text or "").strip())
    return tuple(dict.fromkeys(part for part in parts if part))


def _visible_cases(actor, numbers: tuple[str, ...], errors: _Errors) -> list[Complaint]:
    """The cases ``actor`` sees that ``numbers`` name; a number that names none is an error."""
    if len(numbers) > MAX_LINKED_CASES:
        errors.add("case_numbers", _("เชื่อมโยงเรื่องได้ไม่เกิน %(limit)d เรื่อง") % {"limit": MAX_LINKED_CASES})
        return []
    wanted = {}
    for number in numbers:
        match = _CASE_NUMBER.match(number)
        if match is None:
            errors.add("case_numbers", _("“%(number)s” ไม่ใช่เลขที่รับ (เช่น 7001/2569/000123)") % {"number": number[:40]})
            continue
        district, year, running = match.groups()
        wanted[(district, int(year), int(running))] = number
    if not wanted:
        return []
    query = Q()
    for district, year, running in wanted:
        query |= Q(number_district_id=district, fiscal_year=year, running_number=running)
    found = list(Complaint.objects.visible_to(actor).filter(query))
    missing = set(wanted) - {(c.number_district_id, c.fiscal_year, c.running_number) for c in found}
    for key in sorted(missing):
        errors.add(
            "case_numbers",
            _("ไม่พบเรื่องเลขที่รับ %(number)s ในเรื่องที่คุณมีสิทธิ์เห็น") % {"number": wanted[key]},
        )
    return found


def _snapshot(post: NewsPost) -> dict[str, Any]:
    """The post's fields as the audit row keeps them (JSON)."""
    return {
        "state": post.state,
        "title": post.title,
        "leader": post.leader,
        "participants": post.participants,
        "happened_on": post.happened_on.isoformat() if post.happened_on else None,
        "happened_at": post.happened_at.isoformat(timespec="minutes") if post.happened_at else None,
        "place": post.place,
        "subdistrict": post.subdistrict_id,
        "latitude": str(post.latitude) if post.latitude is not None else None,
        "longitude": str(post.longitude) if post.longitude is not None else None,
        "body": post.body,
    }


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def _case_refs(cases) -> list[dict]:
    return [{"id": case.pk, "number": case.number} for case in sorted(cases, key=lambda c: c.pk)]


def _photo_ref(photo: NewsPhoto) -> dict:
    return {"id": photo.pk, "caption": photo.caption, "position": photo.position, "file": photo.image.name}


def _audit(actor, post: NewsPost, step: str, *, before: dict | None = None, after: dict | None = None) -> None:
    audit_events.news_changed(actor, post_id=post.pk, step=step, title=post.title, before=before, after=after)


def _prepare_uploads(uploads, errors: _Errors, *, room: int) -> list[images.PreparedPhoto]:
    """Check and re-encode each upload (before anything is written); too many is an error."""
    uploads = list(uploads or ())
    if len(uploads) > room:
        errors.add(
            "photos",
            _("ข่าวหนึ่งข่าวมีภาพได้ไม่เกิน %(limit)d ภาพ (เพิ่มได้อีก %(room)d ภาพ)")
            % {"limit": MAX_PHOTOS, "room": max(room, 0)},
        )
        return []
    prepared = []
    for upload in uploads:
        try:
            prepared.append(images.prepare(upload))
        except ValidationError as error:
            for message in error.messages:
                errors.add("photos", message)
    return prepared


def _add_photos(post: NewsPost, prepared: list[images.PreparedPhoto], written: list) -> list[NewsPhoto]:
    start = (post.photos.aggregate(last=Max("position"))["last"] or 0) + 1 if post.pk else 1
    added = []
    for offset, photo_data in enumerate(prepared):
        photo = images.store(NewsPhoto(post=post, position=start + offset), photo_data)
        written.extend(images.files_of([photo]))
        added.append(photo)
    return added


@transaction.atomic
def news_create(*, actor: User, data: NewsData, uploads=()) -> NewsPost:
    """Write a new draft for ``actor``'s center, with its photos and linked cases.

    Raises ActionRefused if ``actor`` writes no center's news, ValidationError
    (by form field) for what is missing or wrong."""
    center = center_of(actor)
    if center is None:
        raise ActionRefused(_("คุณไม่มีสิทธิ์เขียนข่าวกิจกรรม"), code="forbidden")
    errors = _Errors()
    values = _validated(data, today=timezone.localdate(), errors=errors)
    cases = _visible_cases(actor, data.case_numbers, errors)
    prepared = _prepare_uploads(uploads, errors, room=MAX_PHOTOS)
    errors.raise_if_any()
    now = timezone.now()
    written: list = []
    try:
        post = NewsPost.objects.create(
            province_id=center.province_id, district_id=center.district_id, created_by=actor, created_at=now,
            updated_at=now, **values,
        )  # fmt: skip
        post.cases.set(cases)
        photos = _add_photos(post, prepared, written)
        _audit(
            actor, post, "create",
            after={**_snapshot(post), "province": post.province_id, "district": post.district_id,
                   "cases": _case_refs(cases), "photos": [_photo_ref(p) for p in photos]},
        )  # fmt: skip
    except BaseException:
        images.delete_files(written)
        raise
    return post


def _lock(post: NewsPost, expected_version: str | None) -> None:
    """Lock the post's row and bring ``post`` up to date; refuse if it changed since ``expected_version``."""
    current = NewsPost.objects.select_for_update().get(pk=post.pk)
    if expected_version and current.updated_at.isoformat() != expected_version:
        raise ActionRefused(
            _("ข่าวนี้มีผู้แก้ไขหรือเปลี่ยนสถานะไปแล้วระหว่างที่คุณเปิดหน้านี้ กรุณาเปิดข่าวอีกครั้งแล้วแก้ไขใหม่"),
            code="changed",
        )
    for name in [f.attname for f in NewsPost._meta.concrete_fields]:
        setattr(post, name, getattr(current, name))


def version_of(post: NewsPost) -> str:
    """What a form carries to say which version of the post it was opened on."""
    return post.updated_at.isoformat()


@transaction.atomic
def news_update(
    *, actor: User, post: NewsPost, data: NewsData, photo_edits=(), uploads=(), expected_version: str | None = None
) -> NewsPost:
    """Change a draft: its text, its photos (captions, order, deleted, added) and its linked cases.

    Links to cases ``actor`` does not see stay as they were: the form never showed
    them. Raises ActionRefused if ``actor`` may not edit the post (or it changed
    meanwhile), ValidationError by form field."""
    _lock(post, expected_version)
    if not can_edit(actor, post):
        raise ActionRefused(_("แก้ไขได้เฉพาะข่าวที่เป็นร่างของศูนย์ของคุณ"), code="forbidden")
    errors = _Errors()
    values = _validated(data, today=timezone.localdate(), errors=errors)
    cases = _visible_cases(actor, data.case_numbers, errors)
    photos = {photo.pk: photo for photo in post.photos.all()}
    edits = {edit.photo_id: edit for edit in photo_edits if edit.photo_id in photos}
    deleted = [photos[pk] for pk, edit in edits.items() if edit.delete]
    prepared = _prepare_uploads(uploads, errors, room=MAX_PHOTOS - len(photos) + len(deleted))
    errors.raise_if_any()

    before = _snapshot(post)
    for name, value in values.items():
        setattr(post, name, value)
    before, after = _changes(before, _snapshot(post))

    linked_before = list(post.cases.all())
    seen = _visible_ids(actor, linked_before)
    hidden = [case.pk for case in linked_before if case.pk not in seen]
    post.cases.set([*hidden, *(case.pk for case in cases)])
    if {c.pk for c in linked_before} != set(hidden) | {c.pk for c in cases}:
        visible_before = [case for case in linked_before if case.pk not in hidden]
        before["cases"], after["cases"] = _case_refs(visible_before), _case_refs(cases)

    photo_before, photo_after = [], []
    for pk, edit in edits.items():
        photo = photos[pk]
        caption = (edit.caption or "").strip()[:300]
        if edit.delete or (caption, edit.position) == (photo.caption, photo.position):
            continue
        photo_before.append(_photo_ref(photo))
        photo.caption, photo.position = caption, edit.position
        photo.save(update_fields=["caption", "position"])
        photo_after.append(_photo_ref(photo))
    written: list = []
    try:
        NewsPhoto.objects.filter(pk__in=[photo.pk for photo in deleted]).delete()
        images.delete_after_commit(deleted)
        added = _add_photos(post, prepared, written)
        if deleted:
            before["photos_deleted"] = [_photo_ref(photo) for photo in deleted]
        if photo_after:
            before["photos"], after["photos"] = photo_before, photo_after
        if added:
            after["photos_added"] = [_photo_ref(photo) for photo in added]
        post.updated_at = timezone.now()
        post.save()
        _audit(actor, post, "edit", before=before, after=after)
    except BaseException:
        images.delete_files(written)
        raise
    # The caller's post reads its photos and cases afresh.
    getattr(post, "_prefetched_objects_cache", {}).clear()
    return post


def _visible_ids(actor, cases) -> set[int]:
    if not cases:
        return set()
    return set(Complaint.objects.visible_to(actor).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True))


@transaction.atomic
def news_take_step(*, actor: User, post: NewsPost, step: str, expected_version: str | None = None) -> NewsPost:
    """Publish, withdraw, republish or take back to draft (``STEPS``): the head of the post's center.

    A withdrawn post disappears from the public site at once, its photos with it
    (the public photo view serves published posts only)."""
    if step not in STEPS:
        raise ActionRefused(_("ไม่มีขั้นตอนนี้"), code="unknown")
    _lock(post, expected_version)
    transition = STEPS[step]
    if not is_deciding_head(actor, post):
        raise ActionRefused(_("เฉพาะหัวหน้าศูนย์ดำรงธรรมที่เป็นเจ้าของข่าวเท่านั้นที่เผยแพร่หรือถอนการเผยแพร่ข่าวได้"), code="forbidden")
    if post.state not in transition.sources:
        raise ActionRefused(
            _("ข่าวนี้อยู่ในสถานะ “%(state)s” จึง%(step)sไม่ได้")
            % {"state": post.get_state_display(), "step": transition.label},
            code="state",
        )
    now = timezone.now()
    before = {"state": post.state}
    post.state = transition.target
    post.updated_at = now
    if transition.target == State.PUBLISHED:
        # The first publication dates the post in the lists: a correction republished
        # does not bring old news back to the top.
        if post.published_at is None:
            post.published_at = now
        post.published_by = actor
        post.withdrawn_at = None
    elif transition.target == State.WITHDRAWN:
        post.withdrawn_at = now
    post.save()
    _audit(actor, post, step, before=before, after={"state": post.state})
    return post


@transaction.atomic
def news_delete(*, actor: User, post: NewsPost, expected_version: str | None = None) -> None:
    """Delete a draft that will not be published (a post once published is withdrawn instead)."""
    _lock(post, expected_version)
    if not can_edit(actor, post) or post.published_at is not None:
        raise ActionRefused(_("ลบได้เฉพาะร่างข่าวของศูนย์ของคุณที่ยังไม่เคยเผยแพร่"), code="forbidden")
    photos = list(post.photos.all())
    before = {
        **_snapshot(post),
        "cases": _case_refs(post.cases.all()),
        "photos": [_photo_ref(photo) for photo in photos],
    }
    _audit(actor, post, "delete", before=before)
    post.delete()
    images.delete_after_commit(photos)
