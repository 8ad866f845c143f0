"""The web app's guard: loopback by default, a token for anything else, CSRF, size limits,
strict content types and security headers.

- :func:`check_bind` refuses a non-loopback address without a token.
- :class:`Guard` (pure ASGI middleware) runs before any route: it checks the ``Host`` header
  on a loopback server without a token (so a DNS-rebinding page cannot reach it), the token
  (``Authorization: Bearer``, ``X-Crampcheck-Token`` or the cookie set by ``/login?token=``)
  when one is set, the body size (``Content-Length`` and the bytes actually sent) and the
  content type of every ``POST`` (``application/json`` under ``/api/``, a urlencoded form
  elsewhere). It adds a strict Content-Security-Policy (no external source of any kind) and
  related headers to every response.
- :func:`csrf_ok`: forms carry a random token that must equal the ``cc_csrf`` cookie (double
  submit; the cookie is ``SameSite=Strict``), and the browser must say the form came from this
  server: an ``Origin`` or ``Referer`` header, when sent, must be this server, and without an
  ``Origin`` (or with ``Origin: null``) ``Sec-Fetch-Site`` must be ``same-origin``. A made-up
  cookie and field pair sent with none of these headers is refused.
- The JSON body of an ``/api/`` request is checked before FastAPI parses it: nesting depth,
  a key given twice, UTF-8 (:func:`crampcheck.jsonsafe.loads`).
- An error no route expected becomes a 500 page or ``{"detail": …}`` without a traceback;
  the server's console gets one line.

A loopback server (``127.0.0.0/8``, ``::1``) answers requests whose ``Host`` is a loopback
address or ``localhost``, so ``--host 127.0.0.2`` works.

Nothing here logs request bodies, query strings or tokens.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..errors import InputError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 256 * 1024
TOKEN_COOKIE = "cc_token"
CSRF_COOKIE = "cc_csrf"
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def is_loopback(host: str) -> bool:
    """True for ``localhost``, ``127.0.0.0/8`` and ``::1``."""
    h = host.strip().strip("[]").lower()
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve a non-loopback address without a token.

    Raises
    ------
    InputError
        ``host`` is not a loopback address and ``token`` is empty.
    """
    if not is_loopback(host) and not token:
        raise InputError(f"binding to {host} (not this machine only) needs a token: give "
                         "--token, or let 'crampcheck serve' generate one")
    if token is not None and len(token) < 16:
        raise InputError("--token must be at least 16 characters (or omit it to get one)")


def cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is ignored
                continue
    return {k: m.value for k, m in jar.items()}


def header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k == name:
            return v.decode("latin-1")
    return None


def _same_host(url: str, host: str | None) -> bool:
    try:
        return urlsplit(url).netloc.lower() == (host or "").lower() != ""
    except ValueError:
        return False


def same_origin(origin: str | None, host: str | None, *, referer: str | None = None,
                fetch_site: str | None = None, require: bool = True) -> bool:
    """Whether the browser's headers say the request came from a page of this server.

    ``Origin`` (unless ``null``) and ``Referer``, when sent, must name this server;
    ``Sec-Fetch-Site``, when sent, must be ``same-origin``. With ``require``, a request without
    a usable ``Origin`` must carry ``Sec-Fetch-Site: same-origin`` (every current browser sends
    one of the two on a form POST).
    """
    if origin and origin != "null" and not _same_host(origin, host):
        return False
    if referer and not _same_host(referer, host):
        return False
    site = (fetch_site or "").strip().lower()
    if site and site != "same-origin":
        return False
    if require and (not origin or origin == "null") and site != "same-origin":
        return False
    return True


def csrf_ok(form_token: str | None, cookie_token: str | None, origin: str | None,
            host: str | None, *, referer: str | None = None,
            fetch_site: str | None = None) -> bool:
    """The form's token equals the cookie's, and :func:`same_origin` (see the module
    docstring)."""
    if not same_origin(origin, host, referer=referer, fetch_site=fetch_site):
        return False
    if not form_token or not cookie_token:
        return False
    return hmac.compare_digest(form_token.encode(), cookie_token.encode())


def json_problem(body: bytes) -> str | None:
    """Why an API body cannot be read as JSON (depth, a repeated key, not UTF-8), or None.

    A body that is not JSON at all is left to FastAPI's own 422 message.
    """
    from ..errors import InputError
    from ..jsonsafe import loads

    if not body.strip():
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the body is not UTF-8 (byte {exc.start})"
    try:
        loads(text, source="the body", max_bytes=MAX_BODY_BYTES)
    except InputError as exc:
        if "is not valid JSON" in exc.message:
            return None
        return str(exc)
    return None


def unexpected_message(exc: BaseException) -> str:
    from ..boundary import unexpected

    return unexpected(exc).replace("with the command", "with what you did")


def log_unexpected(method: str, path: str, exc: BaseException) -> None:
    """One line on the server's console (the traceback only with CRAMPCHECK_DEBUG=1)."""
    import logging

    from ..boundary import debug, unexpected

    logger = logging.getLogger("crampcheck.web")
    logger.error("%s %s: %s", method, path, unexpected(exc), exc_info=exc if debug() else None)


async def _reply(send: Send, status: int, body: dict[str, Any] | str,
                 extra: list[tuple[bytes, bytes]] | None = None) -> None:
    if isinstance(body, dict):
        data, ctype = json.dumps(body).encode(), b"application/json"
    else:
        data, ctype = body.encode(), b"text/html; charset=utf-8"
    headers = [(b"content-type", ctype), (b"content-length", str(len(data)).encode()),
               *SECURITY_HEADERS, *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def _page(title: str, text: str) -> str:
    from html import escape

    return (f"<!doctype html><html lang='en'><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width, initial-scale=1'><title>{escape(title)}</title>"
            f"<body><main><h1>{escape(title)}</h1><p>{escape(text)}</p></main></body></html>")


BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
Refusal = tuple  # (status, JSON dict or HTML page[, extra headers]) for :func:`_reply`


class Guard:
    """ASGI middleware; see the module docstring."""

    def __init__(self, app: ASGIApp, *, token: str | None, loopback_only: bool,
                 max_body: int = MAX_BODY_BYTES, fastapi: Any = None) -> None:
        self.app = app
        self.fastapi = fastapi  # the wrapped FastAPI app (routes, OpenAPI schema)
        self.token = token
        self.loopback_only = loopback_only
        self.max_body = max_body

    def _has_token(self, scope: Scope, token: str) -> bool:
        """Whether the request carries ``token`` (a header or the login cookie)."""
        given = header(scope, b"x-crampcheck-token")
        auth = header(scope, b"authorization")
        if auth and auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        given = given or cookies(scope).get(TOKEN_COOKIE)
        return bool(given) and hmac.compare_digest(given.encode(), token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        api = path.startswith("/api/") or path == "/openapi.json"
        if self._login(scope, path, method):
            await self._send_login_cookie(send)
            return
        refusal = (self._host_refusal(scope, api) or self._token_refusal(scope, api)
                   or self._header_refusal(scope, path, method))
        if refusal is not None:
            await _reply(send, *refusal)
            return
        body_parts: list[bytes] = []
        if method in BODY_METHODS:
            read = await self._read_body(receive, path)
            if read is None:
                return  # the client went away
            if isinstance(read, tuple):
                await _reply(send, *read)
                return
            body_parts = read
        await self._forward(scope, receive, send, body_parts, api=api)

    def _host_refusal(self, scope: Scope, api: bool) -> Refusal | None:
        """A loopback server without a token answers only a loopback ``Host`` (no DNS
        rebinding)."""
        if self.token is not None or not self.loopback_only:
            return None
        host = (header(scope, b"host") or "").lower()
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
        if name in LOOPBACK_NAMES or (name and is_loopback(name)):
            return None
        return (400, {"detail": "this server answers on 127.0.0.1 or localhost only"} if api
                else _page("Wrong address", "Open this app at 127.0.0.1 or localhost."))

    def _login(self, scope: Scope, path: str, method: str) -> bool:
        """Whether this is ``GET /login?token=`` with the right token."""
        if self.token is None or path != "/login" or method != "GET":
            return False
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = (query.get("token") or [""])[0]
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    async def _send_login_cookie(self, send: Send) -> None:
        cookie = f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/".encode()
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", b"/"), (b"set-cookie", cookie),
                                (b"content-length", b"0"), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": b""})

    def _token_refusal(self, scope: Scope, api: bool) -> Refusal | None:
        if self.token is None or self._has_token(scope, self.token):
            return None
        msg = ("a token is required: send 'Authorization: Bearer TOKEN' or open the "
               "login link that 'crampcheck serve' printed")
        return (401, {"detail": msg} if api else _page("Token required", msg),
                [(b"www-authenticate", b"Bearer")])

    def _header_refusal(self, scope: Scope, path: str, method: str) -> Refusal | None:
        """A body's declared size and its content type (JSON under ``/api/``, a form
        elsewhere)."""
        if method not in BODY_METHODS:
            return None
        length = header(scope, b"content-length")
        if length is not None:
            if not length.isdigit():
                return (400, {"detail": "bad Content-Length"})
            if int(length) > self.max_body:
                return (413, {"detail": f"request body over {self.max_body // 1024} KB"})
        ctype = (header(scope, b"content-type") or "").split(";")[0].strip().lower()
        want = "application/json" if path.startswith("/api/") else \
            "application/x-www-form-urlencoded"
        if ctype != want:
            return (415, {"detail": f"Content-Type must be {want}"})
        return None

    async def _read_body(self, receive: Receive, path: str) -> list[bytes] | Refusal | None:
        """The body's parts (``None`` when the client went away), or why it is refused: over
        the size limit, or (under ``/api/``) JSON too deep, with a key twice, not UTF-8."""
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return (413, {"detail": f"request body over {self.max_body // 1024} KB"})
            parts.append(chunk)
            if not message.get("more_body", False):
                break
        if path.startswith("/api/"):
            problem = json_problem(b"".join(parts))
            if problem is not None:
                return (422, {"detail": problem})
        return parts

    async def _forward(self, scope: Scope, receive: Receive, send: Send,
                       body_parts: list[bytes], *, api: bool) -> None:
        """Run the app with the body already read, add the security headers to its response,
        and turn an error it did not expect into a 500 without a traceback."""
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        replayed = False
        started = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(body_parts),
                        "more_body": False}
            return await receive()

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        try:
            await self.app(scope, replay, send_with_headers)
        except Exception as exc:  # the boundary: no traceback to the person
            log_unexpected(method, path, exc)
            if not started:
                msg = unexpected_message(exc)
                await _reply(send, 500, {"detail": msg} if api or path.startswith("/api/")
                             else _page("Something went wrong", msg))
