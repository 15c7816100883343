"""The helper's HTTP server: the intake page asks it for the card in the reader.

- It listens on 127.0.0.1 only (``make_server`` refuses any other address): nothing on the
  network reaches the card, only the browser on this PC.
- A page may ask only from the site's own origin(s) (``--origin``): CORS answers no other,
  and a request that names another origin is refused before anything is read.
- A page must also be paired: on start the helper shows a 6-digit code; the officer types it
  into the intake page once, which exchanges it (``POST /pair``) for a long token kept in the
  browser (localStorage) and sent with every ``GET /card`` (``Authorization: Bearer …``). The
  helper keeps only the tokens' SHA-256 digests, in its state folder, so a pairing outlives a
  restart. A code is used once; five wrong codes replace it with a new one.
- The ``Host`` header must name this helper (127.0.0.1 or localhost): a page from elsewhere
  whose name was re-pointed at 127.0.0.1 (DNS rebinding) is refused.
- Answers carry personal data: never cached, and the helper's log never holds them.

Standard library only (http.server, threading): the officer's PC needs Python and, for a real
reader, pyscard.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from cardhelper.protocol import CardData, CardError

log = logging.getLogger("cardhelper")

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
AUTH_SCHEME = "Bearer "
CODE_DIGITS = 6
CODE_ATTEMPTS = 5
MAX_BODY = 1024
ROUTES = ("/", "/card", "/pair")

MESSAGES = {
    "unpaired": "เครื่องนี้ยังไม่ได้จับคู่กับโปรแกรมอ่านบัตร กรุณากรอกรหัสจับคู่ 6 หลักที่แสดงในหน้าต่างโปรแกรมอ่านบัตร",
    "bad_code": "รหัสจับคู่ไม่ถูกต้อง กรุณาตรวจสอบรหัสในหน้าต่างโปรแกรมอ่านบัตร",
    "code_replaced": "รหัสจับคู่ผิดหลายครั้ง โปรแกรมอ่านบัตรแสดงรหัสใหม่แล้ว กรุณาใช้รหัสใหม่",
    "origin": "โปรแกรมอ่านบัตรไม่ได้ตั้งให้รับคำขอจากเว็บไซต์นี้",
    "host": "คำขอนี้ไม่ได้ส่งถึงโปรแกรมอ่านบัตรบนเครื่องนี้",
    "bad_request": "คำขอไม่ถูกต้อง",
    "not_found": "ไม่มีหน้านี้ในโปรแกรมอ่านบัตร",
}


class Reader(Protocol):
    def read(self) -> CardData: ...


def normalize_origin(value: str) -> str:
    """``https://Example.go.th:443/`` → ``https://example.go.th``: how a browser sends it in ``Origin``."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        raise ValueError(f"not a site's origin (scheme://host[:port]): {value!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"not a site's origin (scheme://host[:port]): {value!r}")
    default_port = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    port = f":{parts.port}" if parts.port and parts.port != default_port else ""
    return f"{parts.scheme}://{host}{port}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenStore:
    """The digests of the tokens given to paired browsers; in ``path`` (JSON) when given."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._lock = threading.Lock()
        self._digests: list[str] = []
        if path is not None and path.exists():
            self._digests = [str(d) for d in json.loads(path.read_text()).get("tokens", [])]

    def __len__(self) -> int:
        return len(self._digests)

    def issue(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._digests.append(_digest(token))
            self._save()
        return token

    def check(self, token: str) -> bool:
        if not token:
            return False
        digest = _digest(token)
        # compare_digest over every entry: the time taken says nothing about which one matched.
        return any([hmac.compare_digest(digest, known) for known in self._digests])

    def clear(self) -> None:
        with self._lock:
            self._digests = []
            self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        # Readable by this PC's user only; written whole, then renamed over the old file.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump({"tokens": self._digests}, file)
        os.replace(temporary, self.path)


class Pairing:
    """The current pairing code, used once and replaced after five misses; each replacement is
    shown through ``announce`` (the first code is the caller's to show, once it listens)."""

    def __init__(self, announce: Callable[[str], None] = lambda code: None):
        self.announce = announce
        self._lock = threading.Lock()
        self._new()

    def _new(self) -> None:
        self.code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        self.attempts_left = CODE_ATTEMPTS

    def _replace(self) -> None:
        self._new()
        self.announce(self.code)

    def exchange(self, code: str) -> tuple[bool, str]:
        """(True, "") when ``code`` is the current code (a new one replaces it); else (False, error)."""
        with self._lock:
            if hmac.compare_digest(code.encode(), self.code.encode()):
                self._replace()
                return True, ""
            self.attempts_left -= 1
            if self.attempts_left <= 0:
                self._replace()
                return False, "code_replaced"
            return False, "bad_code"


class CardHelper:
    """What the server serves: one reader, the allowed origins, the pairing and its tokens."""

    def __init__(
        self,
        *,
        reader: Reader,
        origins: Iterable[str],
        tokens: TokenStore | None = None,
        pairing: Pairing | None = None,
    ):
        self.reader = reader
        self.origins = frozenset(normalize_origin(origin) for origin in origins)
        if not self.origins:
            raise ValueError("give at least one origin: the address of the complaint system's site")
        self.tokens = tokens if tokens is not None else TokenStore()
        self.pairing = pairing if pairing is not None else Pairing()
        self._read_lock = threading.Lock()  # one card, one read at a time

    def read(self) -> CardData:
        with self._read_lock:
            return self.reader.read()


class HelperServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], helper: CardHelper):
        super().__init__(address, Handler)
        self.helper = helper
        port = self.server_address[1]
        self.hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"


def make_server(helper: CardHelper, *, host: str = HOST, port: int = DEFAULT_PORT) -> HelperServer:
    """The server on ``host:port`` (port 0: any free port); any host but 127.0.0.1 is refused."""
    if host != HOST:
        raise ValueError(
            f"the card helper listens on {HOST} only, not on {host!r}: the card must not reach the network"
        )
    return HelperServer((host, port), helper)


class Handler(BaseHTTPRequestHandler):
    server: HelperServer
    server_version = "DamrongdhamaCardHelper/1"
    # HTTP/1.0 (http.server's default): one request per connection, so a body left unread by a
    # refusal can never be taken for the next request.

    # --- answers ---------------------------------------------------------------------------

    def _cors_headers(self) -> None:
        origin = self.headers.get("Origin")
        if origin and origin in self.server.helper.origins:
            self.send_header("Access-Control-Allow-Origin", origin)
        self.send_header("Vary", "Origin")

    def _send(self, status: HTTPStatus, body: dict | None = None) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        self.send_response(status)
        self._cors_headers()
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _error(self, status: HTTPStatus, code: str, message: str = "") -> None:
        self._send(status, {"error": code, "message": message or MESSAGES[code]})

    # --- checks every request passes ----------------------------------------------------------

    def _allowed(self) -> bool:
        if self.headers.get("Host", "").lower() not in self.server.hosts:
            self._error(HTTPStatus.MISDIRECTED_REQUEST, "host")
            return False
        origin = self.headers.get("Origin")
        # A request without Origin comes from a program on this PC, not from a page: the token
        # still decides. "null" (a sandboxed frame, a file:// page) is an origin like any other.
        if origin is not None and origin not in self.server.helper.origins:
            log.warning("refused a request from %s", origin)
            self._error(HTTPStatus.FORBIDDEN, "origin")
            return False
        return True

    def _paired(self) -> bool:
        header = self.headers.get("Authorization", "")
        token = header[len(AUTH_SCHEME) :] if header.startswith(AUTH_SCHEME) else ""
        if self.server.helper.tokens.check(token.strip()):
            return True
        self._error(HTTPStatus.UNAUTHORIZED, "unpaired")
        return False

    # --- routes ------------------------------------------------------------------------------------

    def _route(self) -> str:
        return urlsplit(self.path).path

    def do_OPTIONS(self):  # noqa: N802 - http.server's naming
        if not self._allowed():
            return
        if self._route() not in ROUTES:
            self._error(HTTPStatus.NOT_FOUND, "not_found")
            return
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors_headers()
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
        self.send_header("Access-Control-Max-Age", "600")
        # Chrome asks before a public site may reach a private address (Private Network Access).
        if self.headers.get("Access-Control-Request-Private-Network") == "true":
            self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # noqa: N802
        if not self._allowed():
            return
        route = self._route()
        if route == "/":
            self._send(HTTPStatus.OK, {"service": "damrongdhama-cardhelper", "version": 1})
        elif route == "/card":
            if self._paired():
                self._card()
        else:
            self._error(HTTPStatus.NOT_FOUND, "not_found")

    def do_POST(self):  # noqa: N802
        if not self._allowed():
            return
        if self._route() != "/pair":
            self._error(HTTPStatus.NOT_FOUND, "not_found")
            return
        # JSON only: a page of another site cannot send it without a preflight, which CORS refuses.
        if self.headers.get_content_type() != "application/json":
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "bad_request")
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            self._error(HTTPStatus.BAD_REQUEST, "bad_request")
            return
        try:
            code = json.loads(self.rfile.read(length)).get("code", "")
        except (ValueError, AttributeError):
            code = None
        if not isinstance(code, str):
            self._error(HTTPStatus.BAD_REQUEST, "bad_request")
            return
        paired, error = self.server.helper.pairing.exchange(code.strip())
        if not paired:
            log.warning("a wrong pairing code from %s", self.headers.get("Origin", "a local program"))
            self._error(HTTPStatus.FORBIDDEN, error)
            return
        log.info("paired a browser from %s", self.headers.get("Origin", "a local program"))
        self._send(HTTPStatus.OK, {"token": self.server.helper.tokens.issue()})

    def _card(self) -> None:
        try:
            card = self.server.helper.read()
        except CardError as error:
            log.info("no card read: %s %s", error.code, error.detail)
            status = HTTPStatus.BAD_GATEWAY if error.code == "read_failed" else HTTPStatus.SERVICE_UNAVAILABLE
            self._error(status, error.code, error.message)
            return
        except Exception:  # a fault of the reader's driver or ours: the page still hears of it
            log.exception("the card could not be read")
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, "read_failed", CardError.default_message)
            return
        log.info("a card was read for %s", self.headers.get("Origin", "a local program"))  # never what it said
        self._send(HTTPStatus.OK, card.as_json())

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        log.debug("%s " + format, self.address_string(), *args)
