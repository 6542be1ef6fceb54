"""A Taobao Open Platform router over real HTTP, written from TOP's published protocol (not
from our client): form-encoded POSTs to /router/rest, every request's signature checked (md5,
hmac, hmac-sha256 as the platform computes them), the timestamp within 10 minutes of its own
clock in Beijing time, `v=2.0`, the app key and the session it issued.

It serves `taobao.trades.sold.increment.get` over the trades it holds: windows of at most a day
on `modified`, newest-modified first, pages with `total_results` or `has_next`. A test can make
it refuse the next calls (a rate limit, an expired session), cut the connection, or change a
trade between two pages, as the real platform does under a live shop."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from sims.server import FormServer

BEIJING = ZoneInfo("Asia/Shanghai")
FMT = "%Y-%m-%d %H:%M:%S"


def top_signature(params: dict[str, str], secret: str, method: str) -> str:
    # From the platform's signing guide: sort by name, join name+value of non-empty params;
    # md5 wraps the string in the secret, hmac uses it as the key; hex in upper case.
    joined = "".join(k + params[k] for k in sorted(params) if k != "sign" and params[k])
    if method == "md5":
        return hashlib.md5(f"{secret}{joined}{secret}".encode()).hexdigest().upper()
    algo = {"hmac": hashlib.md5, "hmac-sha256": hashlib.sha256}[method]
    return hmac.new(secret.encode(), joined.encode(), algo).hexdigest().upper()


def error(code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> dict[str, Any]:
    return {"error_response": {"code": code, "msg": msg, "sub_code": sub_code,
                               "sub_msg": sub_msg, "request_id": "sim"}}


class TopRouter(FormServer):
    PATH = "/router/rest"

    def __init__(self, app_key: str = "12345678", secret: str = "s3cret",
                 session: str = "6100a-session") -> None:
        self.app_key, self.secret, self.session = app_key, secret, session
        self.trades: dict[str, dict[str, Any]] = {}
        self.stock: dict[tuple[str, str], int] = {}  # (num_iid, sku_id) → what the shop shows
        self.between_pages: Callable[[], None] | None = None  # run after each page served
        super().__init__()

    def put(self, tid: int, status: str, modified: dt.datetime, *, items: list[dict[str, Any]],
            list_omits: tuple[str, ...] = (), **more: Any) -> None:
        """A trade as the platform holds it (modified: an aware time); `list_omits`: fields
        the sold-trades list leaves out of it (only the full-info call answers them)."""
        with self.lock:
            self.trades[str(tid)] = {
                "tid": tid, "status": status,
                "modified": modified.astimezone(BEIJING).strftime(FMT),
                "created": more.pop("created", modified).astimezone(BEIJING).strftime(FMT),
                "payment": more.pop("payment", "0.00"), "post_fee": more.pop("post_fee", "0.00"),
                "orders": {"order": items}, **more}
            if list_omits:
                self.trades[str(tid)]["_omit"] = list(list_omits)

    # -- the HTTP side --------------------------------------------------------------------

    def answer(self, p: dict[str, str]) -> dict[str, Any]:
        method = p.get("sign_method", "md5")
        if method not in ("md5", "hmac", "hmac-sha256"):
            return error(25, "Invalid signature method")
        if p.get("app_key") != self.app_key:
            return error(29, "Invalid app Key")
        if p.get("sign") != top_signature(p, self.secret, method):
            return error(25, "Invalid signature")
        if p.get("v") != "2.0" or p.get("format") != "json":
            return error(40, "Missing required arguments: v/format")
        try:
            sent = dt.datetime.strptime(p.get("timestamp", ""), FMT).replace(tzinfo=BEIJING)
        except ValueError:
            return error(41, "Invalid arguments:timestamp")
        if abs(sent - dt.datetime.now(dt.UTC)) > dt.timedelta(minutes=10):
            return error(43, "Invalid timestamp")
        if p.get("session") != self.session:
            return error(27, "Invalid session", "invalid-sessionkey", "SessionKey非法")
        if p.get("method") == "taobao.trades.sold.increment.get":
            return self._increment(p)
        if p.get("method") == "taobao.trade.fullinfo.get":
            with self.lock:
                found = self.trades.get(p.get("tid", ""))
            if found is None or not p.get("fields"):
                return error(41, "Invalid arguments", "isv.trade-not-exist", "交易不存在")
            return {"trade_fullinfo_get_response": {"trade": {
                k: v for k, v in json.loads(json.dumps(found)).items() if k != "_omit"}}}
        if p.get("method") == "taobao.logistics.offline.send":
            return self._consign(p)
        if p.get("method") == "taobao.item.quantity.update":
            return self._quantity(p)
        return error(22, "Invalid method")

    def _quantity(self, p: dict[str, str]) -> dict[str, Any]:
        """库存全量更新 (type=1) of an item or one of its SKUs the shop lists."""
        key = (p.get("num_iid", ""), p.get("sku_id", ""))
        try:
            qty = int(p.get("quantity", ""))
        except ValueError:
            return error(41, "Invalid arguments", "isv.invalid-parameter", "quantity")
        if qty < 0 or p.get("type", "1") != "1":
            return error(41, "Invalid arguments", "isv.invalid-parameter", "quantity/type")
        with self.lock:
            if key not in self.stock:
                return error(15, "Remote service error", "isv.item-not-exist", "商品不存在")
            self.stock[key] = qty
        return {"item_quantity_update_response": {"item": {
            "num_iid": int(key[0]), "num": qty,
            "modified": dt.datetime.now(BEIJING).strftime(FMT)}}}

    COMPANIES = ("SF", "ZTO", "YTO", "STO", "YUNDA", "POSTB", "EMS", "JD", "JTSD", "DBKD", "HTKY")

    def _consign(self, p: dict[str, str]) -> dict[str, Any]:
        """自己联系物流（线下物流）发货: only a paid, unshipped trade; the trade moves on."""
        if not p.get("out_sid") or p.get("company_code") not in self.COMPANIES:
            return error(41, "Invalid arguments", "isv.invalid-parameter", "物流公司或运单号不正确")
        with self.lock:
            trade = self.trades.get(p.get("tid", ""))
            if trade is None:
                return error(15, "Remote service error", "isv.trade-not-exist", "交易不存在")
            if trade["status"] != "WAIT_SELLER_SEND_GOODS":
                return error(15, "Remote service error", "isv.logistics-offline-service-error:B04",
                             "该交易当前状态不能发货")
            trade.update(status="WAIT_BUYER_CONFIRM_GOODS", out_sid=p["out_sid"],
                         company_code=p["company_code"],
                         modified=dt.datetime.now(BEIJING).strftime(FMT))
        return {"logistics_offline_send_response": {"shipping": {"is_success": True}}}

    def _increment(self, p: dict[str, str]) -> dict[str, Any]:
        try:
            start = dt.datetime.strptime(p["start_modified"], FMT)
            end = dt.datetime.strptime(p["end_modified"], FMT)
            page_no, page_size = int(p.get("page_no", "1")), int(p.get("page_size", "40"))
        except (KeyError, ValueError):
            return error(41, "Invalid arguments", "isv.invalid-parameter")
        if end < start or end - start > dt.timedelta(days=1) or not 1 <= page_size <= 100:
            return error(41, "Invalid arguments", "isv.invalid-parameter",
                         "时间跨度不能超过一天")
        with self.lock:
            found = sorted((t for t in self.trades.values()
                            if start <= dt.datetime.strptime(t["modified"], FMT) <= end),
                           key=lambda t: t["modified"], reverse=True)
        page = found[(page_no - 1) * page_size:page_no * page_size]
        # The list answers only the fields it has for a trade (`list_omits`): the rest are
        # read by taobao.trade.fullinfo.get.
        out: dict[str, Any] = {"trades": {"trade": [
            {k: v for k, v in json.loads(json.dumps(t)).items()
             if k not in t.get("_omit", ()) and k != "_omit"} for t in page]}}
        if p.get("use_has_next") == "true":
            out["has_next"] = page_no * page_size < len(found)
        else:
            out["total_results"] = len(found)
        if self.between_pages is not None:
            self.between_pages()
        return {"trades_sold_increment_get_response": out}
