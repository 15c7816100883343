"""News of the centers' activities: the citizens' pages and the officers' pages.

Thin views: they parse, call a selector or a service (``public.news.services``
holds every rule and every write), and render.

The citizens' pages show published posts only; a draft or a withdrawn post is a
404, and so are its photos, which are served here (never from a public folder)
so that withdrawing a post stops its photo addresses at once. They are cached
for five minutes by whoever is in between, and answer 304 to a browser that
has the page already (ETag, and Last-Modified for a post).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_http_methods, require_POST, require_safe

from cases.services import ActionRefused
from citizens.models import NewsPost
from citizens.news import images, selectors, services
from citizens.news.forms import AreaForm, NewsForm, PhotoForms, StateFilterForm
from core.forms import add_service_errors, is_area_code
from core.models import District, Province
from core.thai import format_date

# Shared caches may keep a public page this long: a withdrawn post leaves them within it.
PUBLIC_MAX_AGE = 300
public_cache = cache_control(public=True, max_age=PUBLIC_MAX_AGE)


def absolute_url(request, path: str) -> str:
    """``path`` on the citizens' site, as an address to share (settings.PUBLIC_SITE_URL if set)."""
    base = (getattr(settings, "PUBLIC_SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def _once(request, key, compute):
    """``compute()`` once per request: the ETag and the page ask for the same rows."""
    memo = request.__dict__.setdefault("_news_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _etag(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


# --- The citizens' pages --------------------------------------------------------------------


def area_or_404(kind: str, code: str):
    """The province or district of a list's address, or Http404."""
    if kind == "province":
        found = Province.objects.filter(pk=code).first() if is_area_code(code, 2) else None
    elif kind == "district":
        found = District.objects.select_related("province").filter(pk=code).first() if is_area_code(code, 4) else None
    else:
        found = None
    if found is None:
        raise Http404
    return found


def _list_page(request, kind: str = "", code: str = ""):
    def read():
        area = area_or_404(kind, code) if kind else None
        district = area.pk if isinstance(area, District) else None
        province = area.pk if isinstance(area, Province) else None
        page = selectors.public_page(province=province, district=district, after=request.GET.get("after", ""))
        return area, page

    return _once(request, "list", read)


def _asks_for_an_area(request) -> bool:
    """Whether the area form was sent (other parameters, as a share's ``fbclid``, are ignored)."""
    return bool({"area", "area_province"} & request.GET.keys())


def _list_etag(request, kind: str = "", code: str = "") -> str | None:
    if _asks_for_an_area(request):
        return None  # answered by a redirect
    _area_found, page = _list_page(request, kind, code)
    rows = [(post.pk, post.updated_at.isoformat()) for post in page.items]
    return _etag("news-list", request.LANGUAGE_CODE, kind, code, rows, page.next_cursor)


def _render_list(request, kind: str = "", code: str = ""):
    area, page = _list_page(request, kind, code)
    form = AreaForm(initial={"area": area})
    if isinstance(area, District):
        feed = reverse("public:news_district_feed", args=[area.pk])
    elif isinstance(area, Province):
        feed = reverse("public:news_province_feed", args=[area.pk])
    else:
        feed = reverse("public:news_feed")
    cards = [_card(post) for post in page.items]
    context = {
        "area": area, "area_label": area_label(area), "page": page, "cards": cards, "form": form, "feed_url": feed,
    }  # fmt: skip
    return render(request, "public/news/list.html", context)


def area_name(post: NewsPost) -> str:
    """Where the post's center is, in words: ``อำเภอเมืองราชบุรี จังหวัดราชบุรี``, or the province."""
    if post.district_id:
        return post.district.full_name_th
    return area_label(post.province)


def area_label(area) -> str:
    """A province's or a district's name as a heading says it."""
    if isinstance(area, District):
        return area.full_name_th
    if isinstance(area, Province):
        # Bangkok is no จังหวัด: its name says what it is.
        return area.name_th if area.pk == "10" else _("จังหวัด%(name)s") % {"name": area.name_th}
    return ""


def subdistrict_label(subdistrict) -> str:
    """``ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี`` (a khwaeng of Bangkok: ``แขวง...``)."""
    if subdistrict is None:
        return ""
    district = subdistrict.district
    word = _("แขวง") if district.province_id == "10" else _("ตำบล")
    return f"{word}{subdistrict.name_th} {district.full_name_th}"


def _card(post: NewsPost) -> dict:
    cover = None
    if post.cover_id:
        width, height = images.thumbnail_size(post.cover_width, post.cover_height)
        cover = {
            "url": reverse("public:news_photo_thumbnail", args=[post.pk, post.cover_id]),
            "width": width, "height": height,
        }  # fmt: skip
    return {"post": post, "cover": cover, "area": area_name(post)}


@require_safe
@public_cache
@condition(etag_func=_list_etag)
def news_list(request):
    """The nation's news, newest first; the area form sends to a province's or a district's list."""
    if _asks_for_an_area(request):
        form = AreaForm(request.GET)
        if form.is_valid():
            area = form.cleaned_data["area"]
            if isinstance(area, District):
                return redirect("public:news_district", code=area.pk)
            if isinstance(area, Province):
                return redirect("public:news_province", code=area.pk)
            return redirect("public:news")
        area, page = _list_page(request)
        context = {"area": None, "page": page, "cards": [_card(p) for p in page.items], "form": form}
        return render(request, "public/news/list.html", {**context, "feed_url": reverse("public:news_feed")})
    return _render_list(request)


@require_safe
@public_cache
@condition(etag_func=lambda request, code: _list_etag(request, "province", code))
def news_province(request, code: str):
    return _render_list(request, "province", code)


@require_safe
@public_cache
@condition(etag_func=lambda request, code: _list_etag(request, "district", code))
def news_district(request, code: str):
    return _render_list(request, "district", code)


def _published_version(request, pk: int):
    """The published post's last change, or None (the view then answers 404)."""
    return _once(
        request,
        ("version", pk),
        lambda: selectors.published().filter(pk=pk).values_list("updated_at", flat=True).first(),
    )


def _detail_etag(request, pk: int) -> str | None:
    version = _published_version(request, pk)
    return _etag("news", pk, version.isoformat(), request.LANGUAGE_CODE) if version else None


@require_safe
@public_cache
@condition(etag_func=_detail_etag, last_modified_func=_published_version)
def news_detail(request, pk: int):
    post = selectors.get_published(pk)
    photos = list(post.photos.all())
    gallery = []
    for photo in photos:
        width, height = images.thumbnail_size(photo.width, photo.height)
        gallery.append({
            "photo": photo,
            "url": reverse("public:news_photo", args=[post.pk, photo.pk]),
            "thumbnail_url": reverse("public:news_photo_thumbnail", args=[post.pk, photo.pk]),
            "thumb_width": width, "thumb_height": height,
            "alt": photo.caption or post.title,
        })  # fmt: skip
    summary = Truncator(" ".join(post.body.split())).chars(200)
    share = {
        "url": absolute_url(request, reverse("public:news_detail", args=[post.pk])),
        "description": summary,
        "image": absolute_url(request, gallery[0]["url"]) if gallery else "",
        "image_width": photos[0].width if photos else None,
        "image_height": photos[0].height if photos else None,
        "image_alt": gallery[0]["alt"] if gallery else "",
    }
    context = {
        "post": post, "gallery": gallery, "share": share, "summary": summary,
        "happened_on": format_date(post.happened_on, long=True), "area": area_name(post),
        "province_label": area_label(post.province), "place_area": subdistrict_label(post.subdistrict),
        "map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }  # fmt: skip
    return render(request, "public/news/detail.html", context)


def _public_photo(request, pk: int, photo_pk: int):
    return _once(request, ("photo", photo_pk), lambda: _photo_or_none(pk, photo_pk))


def _photo_or_none(pk: int, photo_pk: int):
    try:
        return selectors.get_public_photo(pk, photo_pk)
    except Http404:
        return None


def _photo_etag(request, pk: int, photo_pk: int, size: str) -> str | None:
    photo = _public_photo(request, pk, photo_pk)
    # A photo's file never changes (an edit stores a new photo); the post's version
    # is in the tag all the same, so that a tag outlives no state of the post.
    return _etag("photo", photo.pk, size, photo.post.updated_at.isoformat()) if photo else None


def _image_response(field_file, *, cache: str) -> FileResponse:
    if not field_file:
        raise Http404
    try:
        handle = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    # A stored file is never a page: no scripts even if a browser were to render it as one.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


_PUBLIC_IMAGE_CACHE = f"public, max-age={PUBLIC_MAX_AGE}"


@require_safe
@condition(etag_func=lambda request, pk, photo_pk: _photo_etag(request, pk, photo_pk, "full"))
def news_photo(request, pk: int, photo_pk: int):
    """A photo of a published post (404 once the post is withdrawn)."""
    photo = _public_photo(request, pk, photo_pk)
    if photo is None:
        raise Http404
    return _image_response(photo.image, cache=_PUBLIC_IMAGE_CACHE)


@require_safe
@condition(etag_func=lambda request, pk, photo_pk: _photo_etag(request, pk, photo_pk, "thumbnail"))
def news_photo_thumbnail(request, pk: int, photo_pk: int):
    photo = _public_photo(request, pk, photo_pk)
    if photo is None:
        raise Http404
    return _image_response(photo.thumbnail, cache=_PUBLIC_IMAGE_CACHE)


# --- The officers' pages --------------------------------------------------------------------


def _require_news(user) -> None:
    if not services.can_open_news(user):
        raise PermissionDenied


@login_required
@require_safe
def manage_list(request):
    _require_news(request.user)
    form = StateFilterForm(request.GET or None)
    state = form.cleaned_data.get("state", "") if form.is_bound and form.is_valid() else ""
    page = selectors.manage_page(request.user, state=state, after=request.GET.get("after", ""))
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form, "page": page, "query": query.urlencode(), "can_write": services.can_write(request.user),
        "center": services.center_of(request.user), "show_center": services.center_of(request.user) is None,
    }  # fmt: skip
    return render(request, "public/news/manage_list.html", context)


def _form_context(request, form, photo_forms=None, post=None) -> dict:
    return {
        "form": form, "photo_forms": photo_forms, "post": post,
        "max_photos": services.MAX_PHOTOS, "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }  # fmt: skip


def _center_area(user) -> District | Province | None:
    """Where the center's activities usually are: its district, or its province (the form's first choice)."""
    center = services.center_of(user)
    if center is None:
        return None
    if center.district_id:
        return center.district_id
    return Province.objects.filter(pk=center.province_id).first()


@login_required
@require_http_methods(["GET", "POST"])
def manage_create(request):
    if not services.can_write(request.user):
        raise PermissionDenied
    form = NewsForm(request.POST or None, request.FILES or None, center_area=_center_area(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            post = services.news_create(
                actor=request.user, data=form.to_data(), uploads=form.cleaned_data.get("photos") or []
            )
        except ActionRefused as refused:
            raise PermissionDenied(refused.message) from refused
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("บันทึกร่างข่าวแล้ว ตรวจดูภาพและคำบรรยายภาพ แล้วให้หัวหน้าศูนย์เผยแพร่"))
            return redirect("public:news_manage_detail", pk=post.pk)
    return render(request, "public/news/manage_form.html", _form_context(request, form))


def _photo_forms(post: NewsPost, data=None) -> PhotoForms:
    photos = list(post.photos.all())
    initial = [{"photo_id": p.pk, "caption": p.caption, "position": p.position} for p in photos]
    forms = PhotoForms(data, initial=initial, prefix="photo")
    by_id = {photo.pk: photo for photo in photos}
    for form, photo in zip(forms.forms, photos, strict=False):
        posted = form["photo_id"].value() if data is not None else photo.pk
        form.photo = by_id.get(_int(posted), photo)
    return forms


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def manage_edit(request, pk: int):
    post = selectors.get_post_for_user(request.user, pk)
    if not services.can_edit(request.user, post):
        messages.error(request, _("แก้ไขได้เฉพาะข่าวที่เป็นร่างของศูนย์ของคุณ"))
        return redirect("public:news_manage_detail", pk=post.pk)
    initial = NewsForm.initial_for(
        post,
        case_numbers=[case.number for case in selectors.linked_cases(request.user, post)],
        version=services.version_of(post),
    )
    if request.method == "POST":
        form = NewsForm(request.POST, request.FILES, initial=initial)
        photo_forms = _photo_forms(post, request.POST)
        if form.is_valid() and photo_forms.is_valid():
            try:
                services.news_update(
                    actor=request.user, post=post, data=form.to_data(),
                    photo_edits=[f.to_edit() for f in photo_forms.forms if f.cleaned_data],
                    uploads=form.cleaned_data.get("photos") or [],
                    expected_version=form.cleaned_data.get("version") or None,
                )  # fmt: skip
            except ActionRefused as refused:
                messages.error(request, refused.message)
                return redirect("public:news_manage_detail", pk=post.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("บันทึกการแก้ไขแล้ว"))
                return redirect("public:news_manage_detail", pk=post.pk)
    else:
        form = NewsForm(initial=initial)
        photo_forms = _photo_forms(post)
    return render(request, "public/news/manage_form.html", _form_context(request, form, photo_forms, post))


# The steps of a post's history that are not state changes (``services.STEPS``).
_HISTORY_LABELS = {
    "create": gettext_lazy("เขียนร่างข่าว"),
    "edit": gettext_lazy("แก้ไขร่างข่าว"),
    "delete": gettext_lazy("ลบร่างข่าว"),
}


def step_label(step: str) -> str:
    if step in services.STEPS:
        return str(services.STEPS[step].label)
    return str(_HISTORY_LABELS.get(step, step))


@login_required
@require_safe
def manage_detail(request, pk: int):
    post = selectors.get_post_for_user(request.user, pk)
    photos = list(post.photos.all())
    history = selectors.history(post)
    context = {
        "post": post, "photos": photos, "cases": selectors.linked_cases(request.user, post),
        "steps": services.steps_for(request.user, post), "can_edit": services.can_edit(request.user, post),
        "can_delete": services.can_edit(request.user, post) and post.published_at is None,
        "version": services.version_of(post), "is_head": services.is_deciding_head(request.user, post),
        "history": [{"event": event, "label": step_label(selectors.history_step(event))} for event in history],
        "happened_on": format_date(post.happened_on, long=True), "area": area_name(post),
        "place_area": subdistrict_label(post.subdistrict),
    }  # fmt: skip
    return render(request, "public/news/manage_detail.html", context)


@login_required
@require_POST
def manage_step(request, pk: int, step: str):
    post = selectors.get_post_for_user(request.user, pk)
    if step not in services.STEPS:
        raise Http404
    try:
        services.news_take_step(
            actor=request.user, post=post, step=step, expected_version=request.POST.get("version") or None
        )
    except ActionRefused as refused:
        if refused.code == "forbidden":
            raise PermissionDenied(refused.message) from refused
        messages.error(request, refused.message)
    else:
        messages.success(request, services.STEPS[step].done)
    return redirect("public:news_manage_detail", pk=post.pk)


@login_required
@require_POST
def manage_delete(request, pk: int):
    post = selectors.get_post_for_user(request.user, pk)
    try:
        services.news_delete(actor=request.user, post=post, expected_version=request.POST.get("version") or None)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("public:news_manage_detail", pk=pk)
    messages.success(request, _("ลบร่างข่าวแล้ว"))
    return redirect("public:news_manage")


@login_required
@require_safe
def manage_photo(request, pk: int, photo_pk: int):
    photo = selectors.get_managed_photo(request.user, pk, photo_pk)
    return _image_response(photo.image, cache="private")


@login_required
@require_safe
def manage_photo_thumbnail(request, pk: int, photo_pk: int):
    photo = selectors.get_managed_photo(request.user, pk, photo_pk)
    return _image_response(photo.thumbnail, cache="private")
