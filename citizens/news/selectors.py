"""Reads of the news: the public lists (published posts only), a post and its photos
for the public, and the officers' lists (their center's posts, ``services.center_of``).

The public lists are keyset pages on (published_at, id), newest first, served by the
partial indexes of ``NewsPost`` (the nation's, a province's, a district's): a deep
page costs what the first one does, and nothing counts the table. Each page is one
query, its cover photos included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from audit.events import NEWS_REFERENCE
from audit.models import AuditEvent, Kind
from cases.models import Complaint
from citizens.models import NewsPhoto, NewsPost
from citizens.news.services import center_of, reads_every_center
from core.keyset import decode_cursor, encode_cursor

PAGE_SIZE = 12
MANAGE_PAGE_SIZE = 25
FEED_SIZE = 20


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None
    is_first: bool


def _encode(moment: dt.datetime, pk: int) -> str:
    return encode_cursor(moment.isoformat(), pk)


def _decode(cursor: str) -> tuple[dt.datetime, int] | None:
    return decode_cursor(cursor, dt.datetime.fromisoformat) if cursor else None


def _keyset_page(qs: QuerySet, field: str, after: str, size: int) -> Page:
    """The page after ``after`` of ``qs`` ordered by ``field`` then id, newest first."""
    cursor = _decode(after)
    if cursor is not None:
        moment, pk = cursor
        qs = qs.filter(Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk}))
    rows = list(qs.order_by(f"-{field}", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = _encode(getattr(rows[-1], field), rows[-1].pk) if rows and more else None
    return Page(items=rows, next_cursor=next_cursor, is_first=cursor is None)


def with_cover(qs: QuerySet) -> QuerySet:
    """``qs`` with each post's first photo (``cover_id``, its size and caption) in the same query."""
    first = NewsPhoto.objects.filter(post=OuterRef("pk")).order_by("position", "id")
    return qs.annotate(
        cover_id=Subquery(first.values("pk")[:1]),
        cover_width=Subquery(first.values("width")[:1]),
        cover_height=Subquery(first.values("height")[:1]),
        cover_caption=Subquery(first.values("caption")[:1]),
        cover_image=Subquery(first.values("image")[:1]),
    )


# --- The public site ------------------------------------------------------------------------


def published() -> QuerySet:
    return NewsPost.objects.filter(state=NewsPost.State.PUBLISHED)


def _in_area(qs: QuerySet, *, province: str | None, district: str | None) -> QuerySet:
    if district:
        return qs.filter(district_id=district)
    if province:
        return qs.filter(province_id=province)
    return qs


def public_page(
    *, province: str | None = None, district: str | None = None, after: str = "", size: int = PAGE_SIZE
) -> Page:
    """A page of the published news of the nation, a province or a district, newest first."""
    qs = _in_area(published(), province=province, district=district).select_related("province", "district__province")
    return _keyset_page(with_cover(qs).defer("body", "participants"), "published_at", after, size)


def feed_posts(*, province: str | None = None, district: str | None = None, size: int = FEED_SIZE) -> list:
    qs = _in_area(published(), province=province, district=district).select_related("province", "district__province")
    return list(with_cover(qs).order_by("-published_at", "-pk")[:size])


def get_published(pk: int) -> NewsPost:
    """The published post ``pk`` with its photos, or Http404 (a draft or a withdrawn post included)."""
    post = (
        published()
        .select_related("province", "district__province", "subdistrict__district__province")
        .prefetch_related(Prefetch("photos", queryset=NewsPhoto.objects.order_by("position", "id")))
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    return post


def get_public_photo(pk: int, photo_pk: int) -> NewsPhoto:
    """A photo of the published post ``pk``, or Http404: a withdrawn post's photos are no longer served."""
    photo = (
        NewsPhoto.objects.filter(pk=photo_pk, post_id=pk, post__state=NewsPost.State.PUBLISHED)
        .select_related("post")
        .first()
    )
    if photo is None:
        raise Http404
    return photo


# --- The officers' pages --------------------------------------------------------------------


def managed_posts(user) -> QuerySet:
    """The posts ``user`` reads on the officers' pages: their center's, or every center's for central officers."""
    center = center_of(user)
    if center is not None:
        return NewsPost.objects.filter(province_id=center.province_id, district_id=center.district_id)
    if reads_every_center(user):
        return NewsPost.objects.all()
    return NewsPost.objects.none()


def manage_page(user, *, state: str = "", after: str = "", size: int = MANAGE_PAGE_SIZE) -> Page:
    """A page of ``user``'s posts (optionally in one state), newest written first."""
    qs = managed_posts(user).select_related("province", "district__province")
    if state in NewsPost.State.values:
        qs = qs.filter(state=state)
    return _keyset_page(with_cover(qs).defer("body", "participants"), "created_at", after, size)


def get_post_for_user(user, pk: int) -> NewsPost:
    """The post ``pk`` if ``user`` reads it on the officers' pages, else Http404."""
    post = (
        managed_posts(user)
        .select_related(
            "province", "district__province", "subdistrict__district__province", "created_by", "published_by"
        )
        .prefetch_related(Prefetch("photos", queryset=NewsPhoto.objects.order_by("position", "id")))
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404
    return post


def get_managed_photo(user, pk: int, photo_pk: int) -> NewsPhoto:
    photo = NewsPhoto.objects.filter(pk=photo_pk, post__in=managed_posts(user).filter(pk=pk)).first()
    if photo is None:
        raise Http404
    return photo


def linked_cases(user, post: NewsPost) -> list[Complaint]:
    """The cases linked to ``post`` that ``user`` sees: the others are not named to him."""
    return list(
        Complaint.objects.visible_to(user)
        .filter(news=post)
        .select_related("number_district")
        .order_by("fiscal_year", "number_district_id", "running_number")
    )


def history(post: NewsPost) -> list[AuditEvent]:
    """The post's steps, oldest first: its audit rows (``audit.events.news_changed``)."""
    return list(
        AuditEvent.objects.filter(kind=Kind.PUBLICATION, detail__startswith=f"{NEWS_REFERENCE}{post.pk} ").order_by(
            "id"
        )
    )


def history_step(event: AuditEvent) -> str:
    """The step an audit row of a post records (create, edit, publish, ...)."""
    head = event.detail.removeprefix(NEWS_REFERENCE).split(":", 1)[0]
    return head.split(" ", 1)[1] if " " in head else ""
