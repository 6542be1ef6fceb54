"""Telling Taobao/Tmall that an order shipped (issue 17.3), once.

An order the channel still shows as paid-and-waiting (WAIT_SELLER_SEND_GOODS) that the shop
has shipped — at the back office, or by a courier's tracking file — is sent to
`taobao.logistics.offline.send` with its tracking number and the courier's TOP code. The
notice is recorded done when the platform accepts it; a refusal (an unknown courier, a limit,
no answer) is kept with its reason and tried at the next sync, never blocking the shop. Orders
the channel itself reported shipped are never told again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN

from store.channels import top
from store.core.db import unit_of_work
from store.core.i18n import _
from store.models import ChannelNotice, SalesOrder, utcnow

WAITING = ("WAIT_SELLER_SEND_GOODS", "SELLER_CONSIGNED_PART")  # the channel: paid, unshipped
SHIPPED = ("shipped", "invoiced", "paid")  # ours: everything has gone
# The couriers' codes on the open platform, found by the name the shop typed or the code.
COURIERS = {
    "顺丰": "SF", "顺丰速运": "SF", "中通": "ZTO", "中通快递": "ZTO", "圆通": "YTO",
    "圆通速递": "YTO", "申通": "STO", "申通快递": "STO", "韵达": "YUNDA", "韵达快递": "YUNDA",
    "邮政": "POSTB", "邮政快递包裹": "POSTB", "EMS": "EMS", "京东": "JD", "京东快递": "JD",
    "极兔": "JTSD", "极兔速递": "JTSD", "德邦": "DBKD", "德邦快递": "DBKD", "百世": "HTKY",
}
CODES = frozenset(COURIERS.values())


@dataclass
class Told:
    done: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (order number, why)


def courier_code(carrier: str) -> str | None:
    name = carrier.strip()
    return name.upper() if name.upper() in CODES else COURIERS.get(name)


def waiting(channel: str, still: Any = None) -> list[SalesOrder]:
    """The channel's orders shipped here and not yet told (or told and refused) that the
    channel still shows unshipped (`still`: a condition on channel_status; TOP's by default)."""
    still = SalesOrder.channel_status.in_(WAITING) if still is None else still
    return list(SalesOrder.select()
                .join(ChannelNotice, JOIN.LEFT_OUTER,
                      on=((ChannelNotice.order == SalesOrder.id)
                          & (ChannelNotice.kind == "ship")))
                .where((SalesOrder.channel == channel) & SalesOrder.status.in_(SHIPPED)
                       & still & (SalesOrder.tracking_no != "")
                       & (ChannelNotice.id.is_null() | (ChannelNotice.status != "done")))
                .order_by(SalesOrder.id))


def tell(channel: str, client: top.TopClient) -> Told:
    """Send every waiting shipment; an expired session stops it (raised), anything else is
    kept on the order's notice and the rest go on."""
    told = Told()
    for order in waiting(channel):
        code = courier_code(order.carrier)
        if code is None:
            why = _("courier '{name}' has no code on the open platform (known: {codes})").format(
                name=order.carrier[:20], codes=", ".join(sorted(CODES)))
            record(order.id, ok=False, message=why)
            told.failed.append((order.number, why))
            continue
        try:
            answer = client.call("taobao.logistics.offline.send", tid=order.external_id,
                                 out_sid=order.tracking_no, company_code=code)
        except top.SessionExpired:
            raise
        except top.TopError as err:
            record(order.id, ok=False, message=str(err))
            told.failed.append((order.number, str(err)))
            continue
        ok = _accepted(answer)
        record(order.id, ok=ok, message="" if ok else _("the platform did not confirm it"))
        if ok:
            told.done += 1
        else:
            told.failed.append((order.number, _("the platform did not confirm it")))
    return told


def _accepted(answer: dict[str, Any]) -> bool:
    shipping = answer.get("shipping")
    return isinstance(shipping, dict) and shipping.get("is_success") in (True, "true")


@unit_of_work
def record(order_id: int, *, ok: bool, message: str,
           now_shows: str = "WAIT_BUYER_CONFIRM_GOODS") -> None:
    """How telling the channel went; told, the order shows what the channel now says
    (`now_shows`) until the next sync brings it back in the channel's own words."""
    notice = ChannelNotice.get_or_none((ChannelNotice.order == order_id)
                                       & (ChannelNotice.kind == "ship"))
    if notice is None:
        notice = ChannelNotice.create(order=order_id, kind="ship")
    (ChannelNotice.update(status="done" if ok else "failed",
                          attempts=ChannelNotice.attempts + 1, message=message[:300],
                          done_at=utcnow() if ok else None)
     .where(ChannelNotice.id == notice.id).execute())
    if ok:
        (SalesOrder.update(channel_status=now_shows[:40])
         .where(SalesOrder.id == order_id).execute())
