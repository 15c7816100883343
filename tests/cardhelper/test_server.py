"""The helper's HTTP server: only on 127.0.0.1, only for the site's origin, only for a paired
browser, and never a cached answer. Each test runs a real server on a free port, with a
simulated card, and talks to it over HTTP as the intake page does."""

import http.client
import json
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cardhelper.__main__ import main
from cardhelper.protocol import NoReader, ReadFailed
from cardhelper.server import CODE_ATTEMPTS, CardHelper, Pairing, TokenStore, make_server, normalize_origin
from cardhelper.simulated import DEMO_PERSON, SimulatedCard, SimulatedReader

SITE = "https://damrongdhama.example.go.th"
ROOT = Path(__file__).resolve().parents[2]


class Helper:
    """A running helper and a way to talk to it."""

    def __init__(self, tmp_path, reader):
        self.announced = []
        self.pairing = Pairing(self.announced.append)
        self.tokens = TokenStore(tmp_path / "state" / "tokens.json")
        self.helper = CardHelper(reader=reader, origins=[SITE], tokens=self.tokens, pairing=self.pairing)
        self.server = make_server(self.helper, port=0)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def request(self, method, path, *, origin=SITE, token=None, body=None, headers=None, host=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = {"Host": host or f"127.0.0.1:{self.port}"}
        if origin:
            sent["Origin"] = origin
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if body is not None:
            sent["Content-Type"] = "application/json"
            body = json.dumps(body)
        sent.update(headers or {})
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        connection.close()
        response.json = json.loads(raw) if raw else None
        return response

    def pair(self):
        response = self.request("POST", "/pair", body={"code": self.pairing.code})
        assert response.status == 200, response.json
        return response.json["token"]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def card():
    return SimulatedCard()


@pytest.fixture
def reader(card):
    return SimulatedReader(card)


@pytest.fixture
def helper(tmp_path, reader):
    helper = Helper(tmp_path, reader)
    yield helper
    helper.stop()


def test_a_paired_page_reads_the_card(helper):
    token = helper.pair()

    response = helper.request("GET", "/card", token=token)

    assert response.status == 200
    assert response.json["national_id"] == DEMO_PERSON.national_id
    assert (response.json["title"], response.json["first_name"], response.json["last_name"]) == (
        "นางสาว",
        "สมใจ",
        "ทองดี",
    )
    assert response.json["birth_date"] == "1987-01-15"
    assert response.json["address"].endswith("จังหวัดราชบุรี")
    assert response.getheader("Access-Control-Allow-Origin") == SITE
    assert response.getheader("Cache-Control") == "no-store"  # personal data
    assert response.getheader("Content-Type") == "application/json; charset=utf-8"


def test_without_the_token_nothing_is_read(helper, card):
    for token in (None, "", "guess", helper.tokens.issue() + "x"):
        response = helper.request("GET", "/card", token=token)
        assert response.status == 401
        assert response.json == {
            "error": "unpaired",
            "message": "เครื่องนี้ยังไม่ได้จับคู่กับโปรแกรมอ่านบัตร กรุณากรอกรหัสจับคู่ 6 หลักที่แสดงในหน้าต่างโปรแกรมอ่านบัตร",
        }
    assert card.log == []


def test_a_pairing_code_is_used_once(helper):
    code = helper.pairing.code

    first = helper.request("POST", "/pair", body={"code": code})
    again = helper.request("POST", "/pair", body={"code": code})

    assert first.status == 200 and len(first.json["token"]) >= 40
    assert again.status == 403 and again.json["error"] == "bad_code"
    assert helper.pairing.code != code
    assert helper.announced == [helper.pairing.code]  # the next browser's code, shown in the helper's window


def test_five_wrong_codes_replace_the_code(helper):
    code = helper.pairing.code
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    answers = [helper.request("POST", "/pair", body={"code": wrong}).json["error"] for _ in range(CODE_ATTEMPTS)]

    assert answers == ["bad_code"] * (CODE_ATTEMPTS - 1) + ["code_replaced"]
    assert helper.pairing.code != code and helper.announced == [helper.pairing.code]
    assert helper.request("POST", "/pair", body={"code": code}).status == 403  # the old one is gone


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        ({"code": 123456}, "application/json", 400),
        (["123456"], "application/json", 400),
        ("not json", "application/json", 400),
        ({"code": "123456"}, "text/plain", 415),  # a form another site could post without asking first
    ],
)
def test_a_pairing_request_must_be_json(helper, body, content_type, status):
    raw = body if isinstance(body, str) else json.dumps(body)
    connection = http.client.HTTPConnection("127.0.0.1", helper.port, timeout=10)
    connection.request("POST", "/pair", body=raw, headers={"Content-Type": content_type, "Origin": SITE})
    response = connection.getresponse()

    assert response.status == status
    assert json.loads(response.read())["error"] == "bad_request"


def test_pairing_survives_a_restart_and_keeps_only_digests(helper, tmp_path):
    token = helper.pair()
    path = tmp_path / "state" / "tokens.json"

    assert TokenStore(path).check(token)
    assert token not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    TokenStore(path).clear()
    assert not TokenStore(path).check(token)


def test_another_site_is_refused_before_the_card_is_touched(helper, card):
    token = helper.pair()

    response = helper.request("GET", "/card", token=token, origin="https://evil.example")

    assert response.status == 403 and response.json["error"] == "origin"
    assert response.getheader("Access-Control-Allow-Origin") is None
    assert card.log == []
    assert helper.request("POST", "/pair", origin="null", body={"code": helper.pairing.code}).status == 403


def test_a_program_on_this_pc_without_origin_still_needs_the_token(helper):
    token = helper.pair()

    assert helper.request("GET", "/card", origin=None).status == 401
    response = helper.request("GET", "/card", origin=None, token=token)
    assert response.status == 200 and response.getheader("Access-Control-Allow-Origin") is None


def test_preflight_answers_the_site_only(helper):
    asked = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}

    allowed = helper.request("OPTIONS", "/card", headers=asked)
    private = helper.request("OPTIONS", "/pair", headers={**asked, "Access-Control-Request-Private-Network": "true"})
    refused = helper.request("OPTIONS", "/card", origin="https://evil.example", headers=asked)
    # From an HTTPS site Chrome asks first even for the page's plain "is the helper there?" (GET /).
    probe = helper.request("OPTIONS", "/", headers={**asked, "Access-Control-Request-Private-Network": "true"})

    assert allowed.status == 204
    assert allowed.getheader("Access-Control-Allow-Origin") == SITE
    assert "Authorization" in allowed.getheader("Access-Control-Allow-Headers")
    assert "GET" in allowed.getheader("Access-Control-Allow-Methods")
    assert allowed.getheader("Access-Control-Allow-Private-Network") is None
    assert private.getheader("Access-Control-Allow-Private-Network") == "true"  # Chrome's Private Network Access
    assert refused.status == 403 and refused.getheader("Access-Control-Allow-Origin") is None
    assert probe.status == 204 and probe.getheader("Access-Control-Allow-Private-Network") == "true"
    assert helper.request("OPTIONS", "/photo", headers=asked).status == 404


def test_a_name_pointed_at_127_0_0_1_is_refused(helper):
    """DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1 sends its own Host."""
    token = helper.pair()

    response = helper.request("GET", "/card", token=token, host=f"evil.example:{helper.port}", origin=None)

    assert response.status == 421 and response.json["error"] == "host"
    assert helper.request("GET", "/card", token=token, host=f"localhost:{helper.port}").status == 200


@pytest.mark.parametrize(
    "reader, status, error, message",
    [
        (SimulatedReader(None), 503, "no_card", "ไม่พบบัตร กรุณาเสียบบัตรประชาชน"),
        (
            type("Unplugged", (), {"read": lambda self: (_ for _ in ()).throw(NoReader(detail="no PC/SC reader"))})(),
            503, "no_reader", "ไม่พบเครื่องอ่านบัตร กรุณาต่อเครื่องอ่านบัตรแล้วลองอีกครั้ง",
        ),
        (
            type("Broken", (), {"read": lambda self: (_ for _ in ()).throw(ReadFailed(detail="CID: 6A 82"))})(),
            502, "read_failed", "อ่านบัตรไม่สำเร็จ กรุณาถอดบัตรแล้วเสียบใหม่ หรือพิมพ์ข้อมูลเอง",
        ),
        (
            type("Faulty", (), {"read": lambda self: 1 / 0})(),
            500, "read_failed", "อ่านบัตรไม่สำเร็จ กรุณาถอดบัตรแล้วเสียบใหม่ หรือพิมพ์ข้อมูลเอง",
        ),
    ],
    ids=["no_card", "no_reader", "read_failed", "driver_fault"],
)  # fmt: skip
def test_a_card_that_cannot_be_read_is_a_clear_error(helper, reader, status, error, message):
    token = helper.pair()

    response = helper.request("GET", "/card", token=token)

    assert response.status == status
    assert response.json == {"error": error, "message": message}
    assert response.getheader("Access-Control-Allow-Origin") == SITE  # the page can read why


def test_unknown_paths(helper):
    assert helper.request("GET", "/photo", token=helper.pair()).status == 404
    assert helper.request("POST", "/card").status == 404
    assert helper.request("GET", "/").json == {"service": "damrongdhama-cardhelper", "version": 1}


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "localhost", ""])  # noqa: S104 - refused, the point
def test_it_listens_on_127_0_0_1_only(host):
    helper = CardHelper(reader=SimulatedReader(), origins=[SITE])

    with pytest.raises(ValueError, match="127.0.0.1 only"):
        make_server(helper, host=host, port=0)


def test_it_needs_the_sites_origin():
    with pytest.raises(ValueError, match="at least one origin"):
        CardHelper(reader=SimulatedReader(), origins=[])
    with pytest.raises(ValueError, match="not a site's origin"):
        CardHelper(reader=SimulatedReader(), origins=["https://example.go.th/cases/"])


@pytest.mark.parametrize(
    "given, origin",
    [
        ("https://Damrongdhama.example.go.th/", "https://damrongdhama.example.go.th"),
        ("https://example.go.th:443", "https://example.go.th"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://localhost:80", "http://localhost"),
    ],
)
def test_origins_are_compared_as_browsers_send_them(given, origin):
    assert normalize_origin(given) == origin


def test_the_command_refuses_another_address(capsys, tmp_path):
    assert main(["--origin", SITE, "--host", "0.0.0.0", "--state-dir", str(tmp_path)]) == 2  # noqa: S104
    assert "127.0.0.1 only" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--simulate"])  # no --origin


def test_the_helper_starts_with_one_command_and_without_django(tmp_path):
    """``python -m cardhelper`` on a PC without the project: no module of Django is imported."""
    probe = (
        "import sys, cardhelper.__main__, cardhelper.server, cardhelper.pcsc, cardhelper.simulated;"
        "sys.exit(sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'core', 'cases'}) or 0)"
    )
    subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, timeout=60)  # noqa: S603

    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "cardhelper", "--simulate", "--port", "0", "--origin", SITE, "--state-dir", str(tmp_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        started = process.stdout.readline()
        assert "Card helper on http://127.0.0.1:" in started and "(simulated card)" in started
        code = next(line for line in process.stdout if "pairing code" in line).split(":")[-1].strip()
        port = int(started.split("http://127.0.0.1:")[1].split()[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request(
            "POST", "/pair", body=json.dumps({"code": code}), headers={"Content-Type": "application/json"}
        )
        token = json.loads(connection.getresponse().read())["token"]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/card", headers={"Authorization": f"Bearer {token}"})
        assert json.loads(connection.getresponse().read())["national_id"] == DEMO_PERSON.national_id
    finally:
        process.terminate()
        process.wait(timeout=10)
