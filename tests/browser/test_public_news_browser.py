"""News of a center's activity in a real browser: Alice writes it up with three photos,
Harry publishes it, and a citizen on a phone or a desk finds it on the news list, opens
it, and the link she would share carries its title and photo (Open Graph)."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree
from PIL import ExifTags, Image, ImageDraw
from playwright.sync_api import expect

from citizens.models import NewsPost
from tests.browser.axe import violations
from tests.browser.conftest import TIMEOUT_MS, field, watch_csp
from tests.browser.test_intake_browser import no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"
TITLE = "ลงพื้นที่ไกล่เกลี่ยข้อพิพาทแนวเขตที่ดิน บ้านหนองหว้า หมู่ 3"


def scene(sky, ground, sun) -> bytes:
    """A phone photo of a simple scene, with the GPS position and camera in its EXIF."""
    image = Image.new("RGB", (2000, 1500), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 950, 2000, 1500), fill=ground)
    draw.ellipse((1450, 180, 1750, 480), fill=sun)
    for x in range(200, 1400, 300):
        draw.rectangle((x, 700, x + 160, 950), fill=(120, 80, 50))
        draw.polygon([(x - 30, 700), (x + 80, 600), (x + 190, 700)], fill=(170, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Spy 3000"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (13.0, 32.0, 11.0)}
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


PHOTOS = [
    {"name": "IMG_2301.jpg", "mimeType": "image/jpeg", "buffer": scene((150, 200, 240), (90, 160, 80), (250, 210, 60))},
    {
        "name": "IMG_2302.jpg",
        "mimeType": "image/jpeg",
        "buffer": scene((240, 180, 140), (120, 150, 70), (250, 120, 40)),
    },
    {
        "name": "IMG_2303.jpg",
        "mimeType": "image/jpeg",
        "buffer": scene((120, 150, 200), (70, 120, 90), (240, 240, 240)),
    },
]


def screenshot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


@pytest.fixture
def citizen(browser, live_server, request):
    """A visitor of the citizens' site: no account, a browser of her own."""
    pages, found = [], []

    def open_at(width: int):
        context = browser.new_context(
            base_url=live_server.url, locale="th-TH", viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        watch_csp(page, found)
        pages.append(page)
        return page

    yield open_at
    for page in pages:
        page.context.close()
    assert found == [], "Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.mark.parametrize("width", [1366, 390])
def test_news_with_three_photos_from_the_officer_to_the_citizen(open_as, citizen, alice, harry, width):
    # Alice writes up the activity with three photos.
    office = open_as(alice)
    office.set_viewport_size({"width": width, "height": 900})
    if width < 1200:  # the menu folds behind its button below Bootstrap's xl
        office.get_by_role("button", name="เปิดหรือปิดเมนู").click()
    office.get_by_role("link", name="ข่าวกิจกรรม").first.click()
    office.get_by_test_id("news-new").click()
    field(office, "ชื่อกิจกรรม").fill(TITLE)
    field(office, "วันที่จัดกิจกรรม").fill("15/01/2569")
    field(office, "เวลา").fill("09:30")
    field(office, "ผู้นำกิจกรรม").fill("นายอำเภอเมืองราชบุรี")
    field(office, "ผู้เข้าร่วม").fill("เจ้าหน้าที่ศูนย์ดำรงธรรมอำเภอ ผู้ใหญ่บ้าน และชาวบ้านหมู่ 3 ประมาณ 40 คน")
    field(office, "สถานที่").fill("ศาลาประชาคมบ้านหนองหว้า หมู่ 3")
    expect(office.locator("#id_district")).to_have_value("7001")
    field(office, "ตำบลที่จัดกิจกรรม").select_option(label="หน้าเมือง")
    field(office, "รายละเอียดกิจกรรม").fill(
        "ศูนย์ดำรงธรรมอำเภอเมืองราชบุรีลงพื้นที่รับฟังปัญหาข้อพิพาทแนวเขตที่ดินระหว่างเพื่อนบ้าน "
        "ร่วมกับผู้ใหญ่บ้านและช่างรังวัด ทั้งสองฝ่ายตกลงแนวเขตกันได้และลงนามบันทึกข้อตกลงร่วมกัน"
    )
    field(office, "เพิ่มภาพกิจกรรม").set_input_files(PHOTOS)
    expect(office.get_by_text("ข้อมูลนี้จะเผยแพร่ต่อสาธารณะ").first).to_be_visible()
    no_horizontal_scroll(office)
    screenshot(office, f"news-officer-form-{width}")
    office.get_by_role("button", name="บันทึกร่าง").click()
    expect(office.get_by_test_id("news-state")).to_have_text("ร่าง")
    expect(office.get_by_test_id("news-manage-photos").get_by_role("img")).to_have_count(3)
    post = NewsPost.objects.get()
    assert post.photos.count() == 3

    # She gives the first photo a caption.
    office.get_by_test_id("news-edit").click()
    screenshot(office, f"news-officer-edit-{width}")
    office.get_by_test_id("news-photo-form").first.get_by_label("คำบรรยายภาพ").fill("ทั้งสองฝ่ายร่วมชี้แนวเขตที่ดิน")
    office.get_by_role("button", name="บันทึกร่าง").click()
    expect(office.get_by_test_id("news-manage-photos")).to_contain_text("ทั้งสองฝ่ายร่วมชี้แนวเขตที่ดิน")
    expect(office.get_by_test_id("news-actions").get_by_role("button", name="เผยแพร่")).to_have_count(0)

    # Harry, the district's head, publishes it.
    head = open_as(harry)
    head.set_viewport_size({"width": width, "height": 900})
    head.goto(f"/news/manage/{post.pk}/")
    head.get_by_test_id("news-step-publish").click()
    expect(head.get_by_test_id("news-state")).to_have_text("เผยแพร่แล้ว")
    screenshot(head, f"news-officer-post-{width}")
    head.get_by_role("link", name="ข่าวกิจกรรมทั้งหมด").click()
    expect(head.get_by_test_id("news-row")).to_have_count(1)
    screenshot(head, f"news-officer-list-{width}")
    head.go_back()

    # A citizen finds it on the news list, with its photo.
    visitor = citizen(width)
    visitor.goto("/public/")
    if width < 768:  # the citizens' menu folds below md
        visitor.get_by_role("button", name="เปิดหรือปิดเมนู").click()
    visitor.get_by_role("link", name="ข่าวกิจกรรม").first.click()
    card = visitor.get_by_test_id("news-card").filter(has_text=TITLE)
    expect(card).to_be_visible()
    expect(card.get_by_role("img")).to_have_attribute("alt", "ทั้งสองฝ่ายร่วมชี้แนวเขตที่ดิน")
    # The thumbnail may still be on its way (lazy, a loaded machine): wait for it, then measure.
    card.get_by_role("img").evaluate("img => img.complete ? null : img.decode()")
    assert card.get_by_role("img").evaluate("img => img.complete && img.naturalWidth") == 480
    no_horizontal_scroll(visitor)
    assert violations(visitor) == []
    screenshot(visitor, f"news-public-list-{width}")

    # The province's list has it too, reached through the area form without script.
    visitor.get_by_label("จังหวัด").select_option(label="ราชบุรี")
    visitor.get_by_role("button", name="แสดงข่าว").click()
    expect(visitor.get_by_test_id("news-area")).to_have_text("จังหวัดราชบุรี")
    visitor.get_by_label("อำเภอ").select_option(label="เมืองราชบุรี")
    visitor.get_by_role("button", name="แสดงข่าว").click()
    expect(visitor.get_by_test_id("news-area")).to_have_text("อำเภอเมืองราชบุรี จังหวัดราชบุรี")
    expect(visitor.get_by_test_id("news-card").filter(has_text=TITLE)).to_be_visible()

    # She opens it: the date in the Buddhist era, the place, who led and who took part, the gallery.
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_test_id("news-date")).to_have_text("15 มกราคม 2569 เวลา 09:30 น.")
    expect(visitor.get_by_test_id("news-place")).to_contain_text("ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี")
    expect(visitor.get_by_test_id("news-leader")).to_have_text("นายอำเภอเมืองราชบุรี")
    gallery = visitor.get_by_test_id("news-gallery").get_by_role("img")
    expect(gallery).to_have_count(3)
    expect(gallery.first).to_have_attribute("alt", "ทั้งสองฝ่ายร่วมชี้แนวเขตที่ดิน")
    expect(gallery.nth(1)).to_have_attribute("alt", TITLE)
    expect(gallery.nth(2)).to_have_attribute("loading", "lazy")
    no_horizontal_scroll(visitor)
    assert violations(visitor) == []
    screenshot(visitor, f"news-public-post-{width}")

    # The link she would share shows its title and photo.
    meta = {
        name: visitor.locator(f'meta[property="{name}"]').get_attribute("content")
        for name in ("og:title", "og:type", "og:image", "og:url")
    }
    assert (meta["og:title"], meta["og:type"]) == (TITLE, "article")
    image = visitor.request.get(urlsplit(meta["og:image"]).path)
    assert image.status == 200 and image.headers["content-type"] == "image/jpeg"
    shared = Image.open(io.BytesIO(image.body()))
    assert shared.size == (1600, 1200) and not shared.getexif()

    # And the Atom feed carries it with its first photo.
    feed = ElementTree.fromstring(visitor.request.get("/news/feed/").body())
    entry = feed.find("{http://www.w3.org/2005/Atom}entry")
    assert entry.findtext("{http://www.w3.org/2005/Atom}title") == TITLE
    enclosure = entry.find('{http://www.w3.org/2005/Atom}link[@rel="enclosure"]')
    assert visitor.request.get(urlsplit(enclosure.get("href")).path).status == 200

    # Harry withdraws it: gone from the list, and its photo no longer answers.
    head.get_by_test_id("news-step-withdraw").click()
    expect(head.get_by_test_id("news-state")).to_have_text("ถอนการเผยแพร่")
    assert visitor.request.get(urlsplit(meta["og:image"]).path).status == 404
    # (asked of the site: the visitor's browser may show its copy for max-age, 300 s)
    assert visitor.request.get(f"/news/{post.pk}/").status == 404
