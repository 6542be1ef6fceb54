"""The Taobao Open Platform (TOP) router: one signed call at a time, over HTTP with httpx.

A request carries the API's name (`method`), the app key, the seller's session, `timestamp`
in Beijing time, `v=2.0`, `format=json`, `sign_method` and `sign`: the parameters sorted by
name and concatenated as name+value (empty ones left out), then MD5 of secret + that +
secret (`md5`), HMAC-MD5 (`hmac`) or HMAC-SHA256 (`hmac-sha256`) keyed with the secret, as
uppercase hex. An answer is either `{"<api>_response": {...}}` or `{"error_response": {code,
msg, sub_code, sub_msg}}`: a rate limit (code 7, `isv.*-service-unavailable`) is waited out
and asked again, an expired session (27) raises SessionExpired so its channel stops in words."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import httpx

from store.core.errors import StoreError
from store.core.i18n import _

T = TypeVar("T")
BEIJING = ZoneInfo("Asia/Shanghai")
SIGN_METHODS = ("md5", "hmac", "hmac-sha256")
DEFAULT_URL = "https://eco.taobao.com/router/rest"


class TopError(StoreError):
    """The platform refused a call; `code`/`sub_code` as it said them, and `wait` the seconds
    it asked for before the next try, when it said (Shopify's Retry-After, its cost budget)."""

    def __init__(self, message: str, code: str = "", sub_code: str = "",
                 wait: float | None = None) -> None:
        super().__init__(message)
        self.code, self.sub_code, self.wait = code, sub_code, wait


class SessionExpired(TopError):
    """The seller's session (授权) expired or was revoked: the merchant must authorise again."""


class Unreachable(TopError):
    """No answer (the network, a timeout, a server error) after the retries."""


def sign(params: dict[str, str], secret: str, method: str = "hmac-sha256") -> str:
    """TOP's signature of a request's parameters (without `sign` itself)."""
    text = "".join(f"{k}{v}" for k, v in sorted(params.items()) if k != "sign" and v != "")
    if method == "md5":
        digest = hashlib.md5((secret + text + secret).encode()).hexdigest()
    elif method == "hmac":
        digest = hmac.new(secret.encode(), text.encode(), hashlib.md5).hexdigest()
    elif method == "hmac-sha256":
        digest = hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()
    else:
        raise ValueError(method)
    return digest.upper()


def beijing(at: dt.datetime) -> str:
    """A moment as TOP writes times: Beijing wall-clock, to the second."""
    return at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _rate_limited(code: str, sub_code: str) -> bool:
    return code == "7" or (sub_code.startswith("isv.") and
                           sub_code.endswith("-service-unavailable"))


def retried(once: Callable[[], T], *, retries: int, sleep: Callable[[float], None],
            retryable: Callable[[TopError], bool]) -> T:
    """`once()` until it answers; a retryable refusal is asked again after the wait the
    server gave, else 1, 2, 4, 8 s (the platforms' limits reset), `retries` times at most."""
    for attempt in range(retries + 1):
        try:
            return once()
        except TopError as err:
            if attempt == retries or not retryable(err):
                raise
            sleep(err.wait or min(60.0, 2.0 ** attempt))
    raise AssertionError("unreachable")


def post(http: httpx.Client, url: str, **request: Any) -> httpx.Response:
    """One POST; no answer at all (refused, cut, timed out) is Unreachable."""
    try:
        return http.post(url, **request)
    except httpx.HTTPError as exc:
        raise Unreachable(_("{url}: no answer ({reason})").format(
            url=url, reason=type(exc).__name__), code="network") from None


def json_of(answer: httpx.Response, url: str) -> dict[str, Any]:
    """An answer's JSON object; a server error is Unreachable, anything but a JSON object
    (a redirect, an HTML page, a cut body) is refused in words."""
    if answer.is_redirect:  # an API never redirects: another host is not who we trust
        raise TopError(_("{url}: redirected to {where}; a channel's API never redirects, so "
                         "it was not followed").format(
                             url=url, where=answer.headers.get("Location", "?")[:80]),
                       code="redirect")
    if answer.status_code >= 500:
        raise Unreachable(_("{url}: the server answered {status}").format(
            url=url, status=answer.status_code), code=str(answer.status_code))
    try:
        body = answer.json()
    except ValueError:
        raise TopError(_("{url}: the answer is not JSON (HTTP {status})").format(
            url=url, status=answer.status_code), code="format") from None
    if not isinstance(body, dict):
        raise TopError(_("{url}: an answer of an unknown shape").format(url=url),
                       code="format")
    return body


class TopClient:
    def __init__(self, url: str, app_key: str, secret: str, session: str, *,
                 sign_method: str = "hmac-sha256", http: httpx.Client | None = None,
                 retries: int = 4, sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        if sign_method not in SIGN_METHODS:
            raise ValueError(sign_method)
        self.url, self.app_key, self.secret, self.session = url, app_key, secret, session
        self.sign_method, self.retries, self.sleep, self.now = sign_method, retries, sleep, now
        self.http = http or httpx.Client(timeout=httpx.Timeout(20.0, connect=5.0))

    def call(self, api: str, **params: object) -> dict[str, Any]:
        """The API's answer (the inside of `<api>_response`); a refusal raises TopError."""
        return retried(lambda: self._once(api, params), retries=self.retries, sleep=self.sleep,
                       retryable=lambda err: not isinstance(err, SessionExpired) and (
                           isinstance(err, Unreachable)
                           or _rate_limited(err.code, err.sub_code)))

    def _once(self, api: str, params: dict[str, object]) -> dict[str, Any]:
        request = {"method": api, "app_key": self.app_key, "session": self.session,
                   "timestamp": beijing(self.now()), "v": "2.0", "format": "json",
                   "simplify": "false", "sign_method": self.sign_method,
                   **{k: _text(v) for k, v in params.items() if v is not None}}
        request["sign"] = sign(request, self.secret, self.sign_method)
        answer = post(self.http, self.url, data=request)
        if answer.status_code == 429:
            raise Unreachable(_("{url}: the server answered {status}").format(
                url=self.url, status=429), code="429")
        body = json_of(answer, self.url)
        error = body.get("error_response")
        if isinstance(error, dict):
            code, sub = str(error.get("code", "")), str(error.get("sub_code", ""))
            said = str(error.get("sub_msg") or error.get("msg") or "")[:200]
            kind = SessionExpired if code in ("26", "27") else TopError
            raise kind(_("Taobao refused {api}: {code} {message}").format(
                api=api, code=sub or code, message=said), code=code, sub_code=sub)
        found = body.get(api.removeprefix("taobao.").replace(".", "_") + "_response")
        if not isinstance(found, dict):
            raise TopError(_("{url}: an answer of an unknown shape").format(url=self.url),
                           code="format")
        return found


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return beijing(value)
    return str(value)
