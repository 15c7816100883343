"""Atom feeds of the published news: the nation's, a province's, a district's.

Each entry links to its post and carries its first photo as an enclosure (and in
its summary), so that a feed reader or a center's own page shows the picture.
Addresses are absolute, on the citizens' site (settings.PUBLIC_SITE_URL if set).
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from citizens.news import selectors
from citizens.news.views import absolute_url, area_name, area_or_404, public_cache
from core.models import District, Province
from core.thai import format_date


class NewsFeed(Feed):
    feed_type = Atom1Feed
    kind = ""  # "", "province" or "district": the area the address names

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, code: str = ""):
        return area_or_404(self.kind, code) if self.kind else None

    def _absolute(self, path: str) -> str:
        return absolute_url(self.request, path)

    def title(self, area) -> str:
        site = _("ศูนย์ดำรงธรรม")
        if isinstance(area, District):
            return _("ข่าวกิจกรรม %(site)s %(area)s") % {"site": site, "area": area.full_name_th}
        if isinstance(area, Province):
            return _("ข่าวกิจกรรม %(site)s จังหวัด%(area)s") % {"site": site, "area": area.name_th}
        return _("ข่าวกิจกรรม %(site)s ทั่วประเทศ") % {"site": site}

    def subtitle(self, area) -> str:
        return _("กิจกรรมของศูนย์ดำรงธรรมอำเภอและจังหวัด ล่าสุดก่อน")

    def link(self, area) -> str:
        if isinstance(area, District):
            return self._absolute(reverse("public:news_district", args=[area.pk]))
        if isinstance(area, Province):
            return self._absolute(reverse("public:news_province", args=[area.pk]))
        return self._absolute(reverse("public:news"))

    def feed_url(self, area) -> str:
        return self._absolute(self.request.path)

    def items(self, area):
        if isinstance(area, District):
            return selectors.feed_posts(district=area.pk)
        if isinstance(area, Province):
            return selectors.feed_posts(province=area.pk)
        return selectors.feed_posts()

    def item_title(self, post) -> str:
        return post.title

    def item_link(self, post) -> str:
        return self._absolute(reverse("public:news_detail", args=[post.pk]))

    def item_guid(self, post) -> str:
        return self.item_link(post)

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_author_name(self, post) -> str:
        return _("ศูนย์ดำรงธรรม%(area)s") % {"area": area_name(post)}

    def item_description(self, post) -> str:
        text = Truncator(" ".join(post.body.split())).chars(300)
        when = format_date(post.happened_on, long=True)
        summary = format_html("<p>{} · {}</p><p>{}</p>", when, post.place, text)
        if post.cover_id:
            thumbnail = self._absolute(reverse("public:news_photo_thumbnail", args=[post.pk, post.cover_id]))
            summary = format_html(
                '<p><img src="{}" alt="{}"></p>{}', thumbnail, post.cover_caption or post.title, summary
            )
        return summary

    def item_enclosures(self, post) -> list[Enclosure]:
        if not post.cover_id:
            return []
        url = self._absolute(reverse("public:news_photo", args=[post.pk, post.cover_id]))
        return [Enclosure(url, str(_size(post.cover_image)), "image/jpeg")]


def _size(name: str) -> int:
    try:
        return default_storage.size(name)
    except OSError:
        return 0


class ProvinceNewsFeed(NewsFeed):
    kind = "province"


class DistrictNewsFeed(NewsFeed):
    kind = "district"


# A feed object keeps the request it answers (its addresses are built from it), so
# each request gets its own: one shared by the threads of a server would mix them.
@require_safe
@public_cache
def news_feed(request):
    return NewsFeed()(request)


@require_safe
@public_cache
def province_feed(request, code: str):
    return ProvinceNewsFeed()(request, code=code)


@require_safe
@public_cache
def district_feed(request, code: str):
    return DistrictNewsFeed()(request, code=code)
