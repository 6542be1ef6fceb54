"""快递100's real-time query over real HTTP, written from its published API (not from our
client): a form POST to /poll/query.do of `customer`, `param` (JSON: com, num, phone …) and
`sign` = uppercase MD5 of param + key + customer. It refuses a bad signature (503), an unknown
customer (601), a 顺丰 parcel asked without the receiver's phone (408), a number it has no
record of (500 "查询无结果"); otherwise it answers the parcel's route, newest line first, with
`state` (0 在途, 3 签收 …) and `ischeck` as the real service does."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sims.server import FormServer


def refusal(code: str, message: str) -> dict[str, Any]:
    return {"result": False, "returnCode": code, "message": message}


class Kuaidi100(FormServer):
    PATH = "/poll/query.do"

    def __init__(self, customer: str = "CUST0001", key: str = "k3y") -> None:
        self.customer, self.key = customer, key
        self.parcels: dict[tuple[str, str], dict[str, Any]] = {}  # (com, num) → route
        self.phones: dict[tuple[str, str], str] = {}
        super().__init__()

    def parcel(self, com: str, num: str, lines: list[tuple[str, str]], *, state: str = "0",
               phone: str = "") -> None:
        """A parcel's route: (time "YYYY-MM-DD HH:MM:SS" Beijing, text), oldest first."""
        with self.lock:
            self.parcels[(com, num)] = {
                "state": state, "ischeck": "1" if state == "3" else "0",
                "data": [{"time": t, "ftime": t, "context": c} for t, c in reversed(lines)]}
            if phone:
                self.phones[(com, num)] = phone

    def answer(self, form: dict[str, str]) -> dict[str, Any]:
        param = form.get("param", "")
        if form.get("customer") != self.customer:
            return refusal("601", "POLL:KEY已过期或账号不存在")
        wanted = hashlib.md5((param + self.key + self.customer).encode()).hexdigest().upper()
        if form.get("sign") != wanted:
            return refusal("503", "验证签名失败")
        try:
            p = json.loads(param)
            com, num = str(p["com"]), str(p["num"])
        except (ValueError, KeyError, TypeError):
            return refusal("400", "找不到对应公司")
        with self.lock:
            found = self.parcels.get((com, num))
            phone = self.phones.get((com, num), "")
        if com == "shunfeng" and (not p.get("phone") or not phone.endswith(str(p["phone"]))):
            return refusal("408", "快递公司参数异常：验证码错误")
        if found is None:
            return refusal("500", "查询无结果，请隔段时间再查")
        return {"message": "ok", "nu": num, "ischeck": found["ischeck"], "condition": "F00",
                "com": com, "status": "200", "state": found["state"], "data": found["data"]}
