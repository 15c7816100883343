"""News of the centers' activities (ข่าวกิจกรรม): Alice, an officer of Mueang Ratchaburi,
writes up an activity with its photos; Harry, the district's head, publishes it; the
citizens find it on the national, province and district lists, in the Atom feeds and
shared with its photo; Harry withdraws it and it is gone, its photos with it.

Bob (Ban Pong) and Hank, his head, see none of Mueang Ratchaburi's drafts; Paula and
Pete write the province center's own news; Carol, a central officer, reads all of it
and changes none.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from audit.models import AuditEvent, Kind
from cases import services as case_services
from cases.models import Complaint
from citizens.models import NewsPhoto, NewsPost
from citizens.news import services
from citizens.news.services import STEPS, ActionRefused, NewsData
from core.models import District, Subdistrict

ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "ศูนย์ดำรงธรรมอำเภอเมืองราชบุรีลงพื้นที่ไกล่เกลี่ยข้อพิพาทที่ดิน"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def browser_of(db):
    """A signed-in browser of one's own for each person."""

    def open_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return open_for


def jpeg_with_gps(color=(200, 40, 40), size=(2400, 1800)) -> bytes:
    """A phone photo: a JPEG with the camera's make and model and the GPS position it was taken at."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Spy 3000"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (13.0, 32.0, 11.5),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (99.0, 48.0, 36.0),
    })  # fmt: skip
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo carries GPS"
    return data


def photo_upload(name="IMG_0001.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_gps(**kwargs), content_type="image/jpeg")


def form_data(**overrides) -> dict:
    data = {
        "title": TITLE,
        "happened_on": "15/01/2569",
        "happened_at": "09:30",
        "leader": "นายอำเภอเมืองราชบุรี",
        "participants": "เจ้าหน้าที่ศูนย์ดำรงธรรม ผู้ใหญ่บ้านหมู่ 3 และชาวบ้านประมาณ 40 คน",
        "place": "ศาลาประชาคมหมู่ 3",
        "district_province": "70",
        "district": "7001",
        "subdistrict": "700101",
        "latitude": "13.536530",
        "longitude": "99.817120",
        "body": "ศูนย์ดำรงธรรมอำเภอลงพื้นที่รับฟังปัญหาและไกล่เกลี่ยข้อพิพาทแนวเขตที่ดินระหว่างเพื่อนบ้าน\nทั้งสองฝ่ายตกลงกันได้",
        "case_numbers": "",
    }
    data.update(overrides)
    return data


def news_data(**overrides) -> NewsData:
    values = dict(
        title=TITLE, leader="นายอำเภอเมืองราชบุรี", participants="ชาวบ้านหมู่ 3", happened_on=dt.date(2026, 1, 15),
        place="ศาลาประชาคมหมู่ 3", body="ไกล่เกลี่ยข้อพิพาทที่ดิน", subdistrict=Subdistrict.objects.get(code="700101"),
    )  # fmt: skip
    values.update(overrides)
    return NewsData(**values)


def write(author, **overrides) -> NewsPost:
    return services.news_create(actor=author, data=news_data(**overrides), uploads=[photo_upload()])


def published_post(author, head, **overrides) -> NewsPost:
    post = write(author, **overrides)
    return services.news_take_step(actor=head, post=post, step="publish")


def open_stored(field_file) -> Image.Image:
    with default_storage.open(field_file.name, "rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    image.raw_bytes = data
    return image


def og(page: str, name: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', page)
    assert match, f"no {name} on the page"
    return match.group(1)


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- The story ------------------------------------------------------------------------------


def test_an_officer_posts_news_with_three_photos_and_the_head_publishes_it(browser_of, alice, harry, bob):
    # given Alice's three phone photos, each carrying the place it was taken
    uploads = [photo_upload(f"IMG_000{n}.jpg", color=color) for n, color in enumerate(((200, 40, 40), (40, 160, 60), (30, 60, 200)), 1)]  # fmt: skip
    # when she writes up the activity
    response = browser_of(alice).post(reverse("public:news_manage_create"), {**form_data(), "photos": uploads})
    # then a draft of her district's center holds it
    assert response.status_code == 302, response.content.decode()[:3000]
    post = NewsPost.objects.get()
    assert response["Location"] == reverse("public:news_manage_detail", args=[post.pk])
    assert (post.state, post.district_id, post.province_id, post.created_by) == ("draft", "7001", "70", alice)
    assert post.happened_on == dt.date(2026, 1, 15) and post.happened_at == dt.time(9, 30)
    photos = list(post.photos.all())
    assert len(photos) == 3
    for photo in photos:
        image, thumbnail = open_stored(photo.image), open_stored(photo.thumbnail)
        # re-encoded as JPEG, no EXIF (no GPS, no camera), at most 1600 px; the thumbnail ~480 px
        assert image.format == thumbnail.format == "JPEG"
        assert not image.getexif() and "exif" not in image.info and b"Spy 3000" not in image.raw_bytes
        assert not thumbnail.getexif() and b"Exif" not in thumbnail.raw_bytes
        assert image.size == (1600, 1200) == (photo.width, photo.height)
        assert thumbnail.size == (480, 360)
        assert photo.image.name.startswith("news/") and "IMG_000" not in photo.image.name
    # and the citizens do not see the draft, nor its photos
    citizen = Client()
    assert citizen.get(reverse("public:news_detail", args=[post.pk])).status_code == 404
    assert citizen.get(reverse("public:news_photo", args=[post.pk, photos[0].pk])).status_code == 404
    assert TITLE not in citizen.get(reverse("public:news")).content.decode()

    # when Harry, the district's head, publishes it
    response = browser_of(harry).post(
        reverse("public:news_manage_step", args=[post.pk, "publish"]), {"version": services.version_of(post)}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.state, post.published_by) == ("published", harry)

    # then it is on the national, province and district lists, not on another district's
    for url in (reverse("public:news"), reverse("public:news_province", args=["70"]), reverse("public:news_district", args=["7001"])):  # fmt: skip
        page = citizen.get(url)
        assert page.status_code == 200 and TITLE in page.content.decode(), url
        assert reverse("public:news_photo_thumbnail", args=[post.pk, photos[0].pk]) in page.content.decode()
    assert TITLE not in citizen.get(reverse("public:news_district", args=["7005"])).content.decode()
    assert TITLE not in citizen.get(reverse("public:news_province", args=["71"])).content.decode()

    # and its page shows the date in the Buddhist era, the place, the leader, the participants and the gallery
    page = citizen.get(reverse("public:news_detail", args=[post.pk])).content.decode()
    assert "15 มกราคม 2569" in page and "09:30" in page
    assert "ศาลาประชาคมหมู่ 3" in page and "ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี" in page
    assert "นายอำเภอเมืองราชบุรี" in page and "ผู้ใหญ่บ้านหมู่ 3" in page
    assert page.count('loading="lazy"') == 2  # the first photo at once, the others when scrolled to
    for photo in photos:
        assert reverse("public:news_photo", args=[post.pk, photo.pk]) in page
    assert f'alt="{TITLE}"' in page  # no caption yet: the title speaks for the photo

    # and a link shared on LINE or Facebook shows the title and the photo
    assert og(page, "og:title") == TITLE
    assert og(page, "og:type") == "article"
    assert path_of(og(page, "og:url")) == reverse("public:news_detail", args=[post.pk])
    assert og(page, "og:url").startswith("http")
    assert og(page, "og:image").startswith("http")
    assert og(page, "og:image:width") == "1600"
    assert og(page, "twitter:card") == "summary_large_image"
    image = citizen.get(path_of(og(page, "og:image")))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).size == (1600, 1200)

    # and the Atom feeds carry it with its first photo
    for url in (reverse("public:news_feed"), reverse("public:news_province_feed", args=["70"])):
        feed = citizen.get(url)
        assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
        root = ElementTree.fromstring(feed.content)
        entries = root.findall(f"{ATOM}entry")
        assert [e.findtext(f"{ATOM}title") for e in entries] == [TITLE]
        links = {link.get("rel"): link for link in entries[0].findall(f"{ATOM}link")}
        assert path_of(links["alternate"].get("href")) == reverse("public:news_detail", args=[post.pk])
        enclosure = links["enclosure"]
        assert enclosure.get("type") == "image/jpeg" and int(enclosure.get("length")) > 0
        assert path_of(enclosure.get("href")) == reverse("public:news_photo", args=[post.pk, photos[0].pk])
        assert citizen.get(path_of(enclosure.get("href")))["Content-Type"] == "image/jpeg"
    assert not ElementTree.fromstring(citizen.get(reverse("public:news_province_feed", args=["71"])).content).findall(
        f"{ATOM}entry"
    )

    # and Bob, of another district, never sees the post on the officers' side
    assert browser_of(bob).get(reverse("public:news_manage_detail", args=[post.pk])).status_code == 404


def test_the_form_says_what_is_published(browser_of, alice):
    page = browser_of(alice).get(reverse("public:news_manage_create")).content.decode()
    assert page.count("ข้อมูลนี้จะเผยแพร่ต่อสาธารณะ") >= 2  # the leader and the participants
    assert 'id="id_district_province"' in page and 'id="id_subdistrict"' in page  # the intake's area picker
    assert "news-map-picker" not in page  # no map without a tile server


def test_the_form_has_a_map_where_a_tile_server_is_configured(browser_of, alice, settings):
    settings.MAP_TILE_URL = "https://tiles.example.go.th/{z}/{x}/{y}.png"
    page = browser_of(alice).get(reverse("public:news_manage_create")).content.decode()
    assert 'id="news-map-picker"' in page and "leaflet.js" in page


# --- Who may do what ------------------------------------------------------------------------


def test_an_officer_cannot_publish(browser_of, alice):
    post = write(alice)
    response = browser_of(alice).post(reverse("public:news_manage_step", args=[post.pk, "publish"]))
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.state == "draft"
    assert (
        'data-testid="news-step-publish"'
        not in browser_of(alice).get(reverse("public:news_manage_detail", args=[post.pk])).content.decode()
    )


def test_another_districts_head_cannot_publish(browser_of, alice, hank, pete):
    post = write(alice)
    # Hank does not see it at all; Pete, the province head, decides the province center's posts only.
    assert browser_of(hank).post(reverse("public:news_manage_step", args=[post.pk, "publish"])).status_code == 404
    for head in (hank, pete):
        with pytest.raises(ActionRefused):
            services.news_take_step(actor=head, post=post, step="publish")
    post.refresh_from_db()
    assert post.state == "draft"


@pytest.mark.parametrize(
    ("state", "step", "allowed"),
    [(state, step, state in STEPS[step].sources) for state in NewsPost.State.values for step in STEPS],
)
def test_the_steps_table(alice, harry, state, step, allowed):
    post = write(alice)
    NewsPost.objects.filter(pk=post.pk).update(state=state)
    post.refresh_from_db()
    assert services.can_take(harry, post, step) is allowed
    assert not services.can_take(alice, post, step)
    if allowed:
        services.news_take_step(actor=harry, post=post, step=step)
        assert NewsPost.objects.get(pk=post.pk).state == STEPS[step].target
    else:
        with pytest.raises(ActionRefused):
            services.news_take_step(actor=harry, post=post, step=step)
        assert NewsPost.objects.get(pk=post.pk).state == state


def test_the_province_center_writes_and_publishes_its_own_news(browser_of, paula, pete, alice, harry):
    response = browser_of(paula).post(
        reverse("public:news_manage_create"), {**form_data(district="7005", subdistrict="700501"), "photos": []}
    )
    assert response.status_code == 302
    post = NewsPost.objects.get()
    assert (post.province_id, post.district_id) == ("70", None)
    # not Harry's to publish, nor Alice's to see
    assert browser_of(harry).get(reverse("public:news_manage_detail", args=[post.pk])).status_code == 404
    services.news_take_step(actor=pete, post=post, step="publish")
    citizen = Client()
    assert TITLE in citizen.get(reverse("public:news_province", args=["70"])).content.decode()
    assert TITLE not in citizen.get(reverse("public:news_district", args=["7005"])).content.decode()
    assert "จังหวัดราชบุรี" in citizen.get(reverse("public:news_detail", args=[post.pk])).content.decode()


def test_a_central_officer_reads_every_center_and_changes_nothing(browser_of, alice, carol):
    post = write(alice)
    client = browser_of(carol)
    assert TITLE in client.get(reverse("public:news_manage")).content.decode()
    page = client.get(reverse("public:news_manage_detail", args=[post.pk])).content.decode()
    assert TITLE in page and 'data-testid="news-edit"' not in page and "news-step-" not in page
    assert client.get(reverse("public:news_manage_create")).status_code == 403
    assert client.post(reverse("public:news_manage_edit", args=[post.pk]), form_data(title="x")).status_code == 302
    assert NewsPost.objects.get().title == TITLE


@pytest.mark.parametrize("who", ["tom", "audrey"])
def test_who_writes_no_news_does_not_get_the_pages(browser_of, request, who):
    client = browser_of(request.getfixturevalue(who))
    assert client.get(reverse("public:news_manage")).status_code == 403
    assert "/news/manage/" not in client.get(reverse("home")).content.decode()


def test_the_menu_offers_the_news_to_officers(browser_of, alice):
    assert 'href="/news/manage/"' in browser_of(alice).get(reverse("home")).content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("public:news_manage"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_drafts_are_edited(browser_of, alice, harry):
    post = published_post(alice, harry)
    response = browser_of(alice).post(reverse("public:news_manage_edit", args=[post.pk]), form_data(title="แก้ชื่อ"))
    assert response.status_code == 302
    assert NewsPost.objects.get().title == TITLE
    with pytest.raises(ActionRefused):
        services.news_update(actor=harry, post=post, data=news_data(title="แก้ชื่อ"))


# --- Withdrawal -----------------------------------------------------------------------------


def test_a_withdrawn_post_is_gone_and_its_photo_addresses_stop(browser_of, alice, harry):
    post = published_post(alice, harry)
    photo = post.photos.get()
    citizen = Client()
    photo_url = reverse("public:news_photo", args=[post.pk, photo.pk])
    thumbnail_url = reverse("public:news_photo_thumbnail", args=[post.pk, photo.pk])
    assert citizen.get(photo_url).status_code == 200
    assert citizen.get(thumbnail_url).status_code == 200

    browser_of(harry).post(reverse("public:news_manage_step", args=[post.pk, "withdraw"]))

    assert NewsPost.objects.get().state == "withdrawn"
    assert citizen.get(reverse("public:news_detail", args=[post.pk])).status_code == 404
    assert citizen.get(photo_url).status_code == 404
    assert citizen.get(thumbnail_url).status_code == 404
    assert TITLE not in citizen.get(reverse("public:news")).content.decode()
    assert TITLE.encode() not in citizen.get(reverse("public:news_feed")).content
    # the officers still see it, photos included
    assert browser_of(alice).get(reverse("public:news_manage_photo", args=[post.pk, photo.pk])).status_code == 200

    # republished, it is back where it was (its first publication dates it)
    first_published = post.published_at
    services.news_take_step(actor=harry, post=post, step="republish")
    assert citizen.get(photo_url).status_code == 200
    assert NewsPost.objects.get().published_at == first_published


def test_a_withdrawn_post_goes_back_to_draft_to_be_corrected(alice, harry):
    post = published_post(alice, harry)
    services.news_take_step(actor=harry, post=post, step="withdraw")
    services.news_take_step(actor=harry, post=post, step="revise")
    services.news_update(actor=alice, post=post, data=news_data(title="ชื่อกิจกรรมที่แก้แล้ว"))
    services.news_take_step(actor=harry, post=post, step="publish")
    assert Client().get(reverse("public:news_detail", args=[post.pk])).status_code == 200
    assert NewsPost.objects.get().title == "ชื่อกิจกรรมที่แก้แล้ว"


# --- Photos ---------------------------------------------------------------------------------


def test_photos_get_captions_an_order_and_one_is_deleted(browser_of, alice, harry, django_capture_on_commit_callbacks):
    post = services.news_create(
        actor=alice, data=news_data(), uploads=[photo_upload("a.jpg"), photo_upload("b.jpg"), photo_upload("c.jpg")]
    )
    first, second, third = post.photos.all()
    data = {
        **form_data(version=services.version_of(post)),
        "photo-TOTAL_FORMS": "3", "photo-INITIAL_FORMS": "3",
        "photo-0-photo_id": first.pk, "photo-0-caption": "ก่อนไกล่เกลี่ย", "photo-0-position": "3",
        "photo-1-photo_id": second.pk, "photo-1-caption": "", "photo-1-position": "2", "photo-1-delete": "on",
        "photo-2-photo_id": third.pk, "photo-2-caption": "ทั้งสองฝ่ายลงนามบันทึกข้อตกลง", "photo-2-position": "1",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = browser_of(alice).post(reverse("public:news_manage_edit", args=[post.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(p.pk, p.caption) for p in post.photos.all()] == [
        (third.pk, "ทั้งสองฝ่ายลงนามบันทึกข้อตกลง"),
        (first.pk, "ก่อนไกล่เกลี่ย"),
    ]
    assert not default_storage.exists(second.image.name) and not default_storage.exists(second.thumbnail.name)
    assert default_storage.exists(first.image.name)

    services.news_take_step(actor=harry, post=post, step="publish")
    page = Client().get(reverse("public:news_detail", args=[post.pk])).content.decode()
    assert page.index("ทั้งสองฝ่ายลงนามบันทึกข้อตกลง") < page.index("ก่อนไกล่เกลี่ย")
    assert 'alt="ทั้งสองฝ่ายลงนามบันทึกข้อตกลง"' in page


def test_a_file_that_is_no_photo_is_refused_whatever_its_name(browser_of, alice):
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = browser_of(alice).post(reverse("public:news_manage_create"), {**form_data(), "photos": [fake]})
    assert response.status_code == 200
    assert "ไม่ใช่ภาพถ่ายที่ระบบรับได้" in response.content.decode()
    assert not NewsPost.objects.exists() and not NewsPhoto.objects.exists()


def test_more_than_ten_photos_are_refused(alice):
    post = services.news_create(actor=alice, data=news_data(), uploads=[photo_upload(size=(64, 48)) for _ in range(8)])
    with pytest.raises(ValidationError) as refused:
        services.news_update(
            actor=alice, post=post, data=news_data(), uploads=[photo_upload(size=(64, 48)) for _ in range(3)]
        )
    assert "ไม่เกิน 10 ภาพ" in str(refused.value)
    assert post.photos.count() == 8


def test_a_failed_save_leaves_no_files_behind(alice, monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(services.audit_events, "news_changed", broken)
    with pytest.raises(RuntimeError):
        services.news_create(actor=alice, data=news_data(), uploads=[photo_upload(), photo_upload()])
    assert not NewsPost.objects.exists()
    stored = list((settings.MEDIA_ROOT / "news").rglob("*.jpg")) if (settings.MEDIA_ROOT / "news").exists() else []
    assert stored == []


# --- Checks of what is typed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"happened_on": "01/01/2600"}, "happened_on", "ต้องไม่เป็นวันในอนาคต"),
        ({"longitude": ""}, "longitude", "ทั้งละติจูดและลองจิจูด"),
        ({"subdistrict": "700501"}, "subdistrict", "ตำบลนี้ไม่อยู่ในอำเภอที่เลือก"),
        ({"leader": "  "}, "leader", ""),
        ({"case_numbers": "7001/2569"}, "case_numbers", "ไม่ใช่เลขที่รับ"),
        ({"case_numbers": "7001/2569/999999"}, "case_numbers", "ไม่พบเรื่องเลขที่รับ 7001/2569/999999"),
    ],
)
def test_what_is_wrong_is_said_beside_its_field(browser_of, alice, changes, field, message):
    response = browser_of(alice).post(reverse("public:news_manage_create"), form_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not NewsPost.objects.exists()


def test_someone_elses_change_in_between_is_not_overwritten(alice, amy):
    post = write(alice)
    opened = services.version_of(post)
    services.news_update(actor=amy, post=NewsPost.objects.get(pk=post.pk), data=news_data(title="แก้โดยเอมี่"))
    with pytest.raises(ActionRefused) as refused:
        services.news_update(actor=alice, post=post, data=news_data(title="แก้โดยอลิส"), expected_version=opened)
    assert refused.value.code == "changed"
    assert NewsPost.objects.get().title == "แก้โดยเอมี่"


# --- Linked cases ---------------------------------------------------------------------------


def test_linked_case_numbers_show_only_to_who_sees_the_case(browser_of, alice, harry, bob, new_case):
    # given Alice links her case to the post
    post = write(alice, case_numbers=(new_case.number,))
    assert list(post.cases.all()) == [new_case]
    assert (
        new_case.number in browser_of(alice).get(reverse("public:news_manage_detail", args=[post.pk])).content.decode()
    )
    # when Harry transfers the case to Ban Pong, out of Alice's sight
    case_services.case_transfer(
        actor=harry, case=new_case, district=District.objects.get(code="7005"), reason="เกิดเหตุในเขตอำเภอบ้านโป่ง"
    )
    assert not Complaint.objects.visible_to(alice).filter(pk=new_case.pk).exists()
    # then the post's page no longer names it to her, nor does her edit form
    assert (
        new_case.number
        not in browser_of(alice).get(reverse("public:news_manage_detail", args=[post.pk])).content.decode()
    )
    assert (
        new_case.number
        not in browser_of(alice).get(reverse("public:news_manage_edit", args=[post.pk])).content.decode()
    )
    # and her edit keeps the link she can no longer see
    services.news_update(actor=alice, post=post, data=news_data(title="แก้ชื่อ"))
    assert list(post.cases.all()) == [new_case]
    # and Bob, who sees the case now, does not see Mueang Ratchaburi's post at all
    assert browser_of(bob).get(reverse("public:news_manage_detail", args=[post.pk])).status_code == 404
    # and the public never sees any case number
    services.news_take_step(actor=harry, post=post, step="publish")
    citizen = Client()
    for url in (reverse("public:news_detail", args=[post.pk]), reverse("public:news"), reverse("public:news_feed")):
        assert new_case.number.encode() not in citizen.get(url).content, url


# --- The history ----------------------------------------------------------------------------


def test_every_step_is_audited_and_makes_the_history(browser_of, alice, harry, new_case):
    post = write(alice, case_numbers=(new_case.number,))
    services.news_update(actor=alice, post=post, data=news_data(title="ชื่อใหม่", case_numbers=(new_case.number,)))
    services.news_take_step(actor=harry, post=post, step="publish")
    services.news_take_step(actor=harry, post=post, step="withdraw")
    rows = list(AuditEvent.objects.filter(kind=Kind.PUBLICATION, detail__startswith=f"news:{post.pk} "))
    assert [row.detail.split(":")[1].split()[1] for row in rows] == ["create", "edit", "publish", "withdraw"]
    create, edit, publish, withdraw = rows
    assert create.actor_national_id == alice.national_id and create.actor_name == alice.get_full_name()
    assert create.after["cases"] == [{"id": new_case.pk, "number": new_case.number}]
    assert len(create.after["photos"]) == 1 and create.after["district"] == "7001"
    assert (edit.before["title"], edit.after["title"]) == (TITLE, "ชื่อใหม่")
    assert "cases" not in edit.after  # unchanged links are not repeated
    assert (publish.before, publish.after) == ({"state": "draft"}, {"state": "published"})
    assert withdraw.actor_national_id == harry.national_id and withdraw.after == {"state": "withdrawn"}
    assert "ชื่อใหม่" in withdraw.detail  # the title, copied: the row outlives the post
    page = browser_of(alice).get(reverse("public:news_manage_detail", args=[post.pk])).content.decode()
    history = page[page.index('data-testid="news-history"') :]
    for label in ("เขียนร่างข่าว", "แก้ไขร่างข่าว", "เผยแพร่", "ถอนการเผยแพร่"):
        assert label in history


def test_a_deleted_draft_keeps_its_history(browser_of, alice, django_capture_on_commit_callbacks):
    post = write(alice)
    photo = post.photos.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser_of(alice).post(reverse("public:news_manage_delete", args=[post.pk]))
    assert response.status_code == 302
    assert not NewsPost.objects.exists() and not default_storage.exists(photo.image.name)
    row = AuditEvent.objects.filter(detail__startswith=f"news:{post.pk} delete").get()
    assert row.before["title"] == TITLE and row.before["photos"][0]["id"] == photo.pk


# --- The public lists -----------------------------------------------------------------------


def make_published(count: int, author, head, *, start=None) -> list[NewsPost]:
    """``count`` published posts, one a minute apart (the newest last), each with a photo."""
    start = start or timezone.now() - dt.timedelta(days=1)
    posts = []
    for n in range(count):
        post = services.news_create(
            actor=author, data=news_data(title=f"กิจกรรมที่ {n + 1:02d}"), uploads=[photo_upload(size=(64, 48))]
        )
        services.news_take_step(actor=head, post=post, step="publish")
        NewsPost.objects.filter(pk=post.pk).update(published_at=start + dt.timedelta(minutes=n))
        posts.append(post)
    return posts


def titles_on(page: str) -> list[str]:
    return re.findall(r'stretched-link" href="[^"]+">(กิจกรรมที่ \d\d)<', page)


def test_the_list_is_keyset_paginated(alice, harry):
    make_published(30, alice, harry)
    citizen = Client()
    seen, url = [], reverse("public:news")
    with CaptureQueriesContext(connection) as queries:
        while url:
            response = citizen.get(url)
            page = response.content.decode()
            seen += titles_on(page)
            older = re.search(r'href="(\?after=[^"]+)" data-testid="news-older"', page)
            url = reverse("public:news") + older.group(1).replace("&amp;", "&") if older else None
    assert seen == [f"กิจกรรมที่ {n:02d}" for n in range(30, 0, -1)]
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql
    # a cursor typed by hand is the first page, not an error
    assert titles_on(citizen.get(reverse("public:news") + "?after=garbage").content.decode())[0] == "กิจกรรมที่ 30"


def test_a_post_published_meanwhile_does_not_shift_the_next_page(alice, harry):
    make_published(13, alice, harry)
    citizen = Client()
    first = citizen.get(reverse("public:news")).content.decode()
    older = re.search(r'href="\?after=([^"]+)" data-testid="news-older"', first).group(1)
    make_published(1, alice, harry, start=timezone.now())
    assert titles_on(citizen.get(reverse("public:news") + f"?after={older}").content.decode()) == ["กิจกรรมที่ 01"]


@pytest.mark.parametrize("url", ["public:news", "public:news_feed", "public:news_manage"])
def test_the_queries_of_a_list_do_not_grow_with_its_rows(browser_of, alice, harry, url):
    client = browser_of(alice)
    counts = []
    for total in (2, 25):
        NewsPost.objects.all().delete()
        make_published(total, alice, harry)
        client.get(reverse(url))  # the first request of a process reads the geography once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_area_form_leads_to_the_areas_list(client, db, geography):
    response = client.get(reverse("public:news"), {"area_province": "70", "area": ""})
    assert response.status_code == 302 and response["Location"] == reverse("public:news_province", args=["70"])
    response = client.get(reverse("public:news"), {"area_province": "70", "area": "7001"})
    assert response["Location"] == reverse("public:news_district", args=["7001"])
    response = client.get(reverse("public:news"), {"area_province": "70", "area": "7101"})
    assert response.status_code == 200 and "อำเภอนี้ไม่อยู่ในจังหวัดที่เลือก" in response.content.decode()
    # without script: the province's page offers its districts
    page = client.get(reverse("public:news_province", args=["70"])).content.decode()
    assert '<option value="7005">บ้านโป่ง</option>' in page and "เมืองกาญจนบุรี" not in page


@pytest.mark.parametrize("url", ["/news/province/99/", "/news/province/x1/", "/news/district/7099/", "/news/999999/"])
def test_an_unknown_area_or_post_is_404(client, db, geography, url):
    assert client.get(url).status_code == 404


# --- Caching --------------------------------------------------------------------------------


def test_public_pages_are_cacheable_and_answer_304(alice, harry):
    post = published_post(alice, harry)
    photo = post.photos.get()
    citizen = Client()
    for url in (
        reverse("public:news"), reverse("public:news_province", args=["70"]), reverse("public:news_detail", args=[post.pk]),
        reverse("public:news_feed"), reverse("public:news_photo", args=[post.pk, photo.pk]),
    ):  # fmt: skip
        response = citizen.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"], url
        assert not response.cookies, f"{url} sets {list(response.cookies)}"
        if response.has_header("ETag"):
            assert citizen.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304, url
    detail = citizen.get(reverse("public:news_detail", args=[post.pk]))
    assert detail.has_header("Last-Modified") and detail.has_header("ETag")
    # a change makes a new tag
    tag = detail["ETag"]
    services.news_take_step(actor=harry, post=post, step="withdraw")
    services.news_take_step(actor=harry, post=post, step="republish")
    assert citizen.get(reverse("public:news_detail", args=[post.pk]), headers={"if-none-match": tag}).status_code == 200


def test_a_shared_link_with_tracking_parameters_is_the_list(client, alice, harry):
    published_post(alice, harry)
    response = client.get(reverse("public:news"), {"fbclid": "IwAR0abc"})
    assert response.status_code == 200 and TITLE in response.content.decode()


def test_the_province_centers_form_opens_at_its_province(browser_of, paula):
    page = browser_of(paula).get(reverse("public:news_manage_create")).content.decode()
    assert re.search(r'<option value="70" selected>', page)


def test_the_place_is_on_a_map_only_where_a_tile_server_is_configured(alice, harry, settings):
    post = published_post(alice, harry, latitude=Decimal("13.536530"), longitude=Decimal("99.817120"))
    url = reverse("public:news_detail", args=[post.pk])
    page = Client().get(url).content.decode()
    assert "ละติจูด 13.536530 ลองจิจูด 99.817120" in page and 'id="news-map"' not in page
    settings.MAP_TILE_URL = "https://tiles.example.go.th/{z}/{x}/{y}.png"
    page = Client().get(url).content.decode()
    assert 'id="news-map"' in page and "js/news-map.js" in page
