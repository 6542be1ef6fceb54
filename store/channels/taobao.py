"""Taobao and Tmall seller-centre exports: the order report (订单报表) and, optionally, the item
report (宝贝报表). Columns are found by name — with the names newer exports use, and trailing
spaces — never by position. Files are GBK/GB18030 or UTF-8 with a BOM; order numbers come as
="…", phones with a leading ', amounts sometimes with 元.

Without an item report, an order's one item is read from the order report itself (宝贝标题,
宝贝总数量 and, when the export has it, 商家编码), priced at what the buyer paid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from store.channels import parsing
from store.channels.base import Batch, ItemInput, OrderInput
from store.core.csvfile import read_rows
from store.core.errors import StoreError, ValidationError
from store.core.i18n import _

ORDER_ALIASES = {
    "id": ("订单编号", "主订单编号", "订单号", "订单ID"),
    "buyer": ("买家会员名", "买家昵称", "买家账号"),
    "paid": ("买家实际支付金额", "实付金额", "买家实付金额", "总金额"),
    "postage": ("买家应付邮费", "邮费", "运费"),
    "status": ("订单状态", "交易状态"),
    "name": ("收货人姓名", "收货人", "收件人"),
    "address": ("收货地址", "收货地址 ", "详细地址"),
    "mobile": ("联系手机", "手机", "收货人手机"),
    "phone": ("联系电话", "电话"),
    "created": ("订单创建时间", "下单时间", "创建时间"),
    "paid_at": ("订单付款时间", "付款时间"),
    "title": ("宝贝标题", "商品标题", "宝贝标题 "),
    "kinds": ("宝贝种类", "商品种类"),
    "count": ("宝贝总数量", "商品总数量", "购买数量"),
    "sku": ("商家编码", "商家编码 ", "外部系统编号"),
    "tracking": ("物流单号", "运单号", "物流单号 "),
    "carrier": ("物流公司", "快递公司"),
    "note": ("订单备注", "卖家备注", "买家留言"),
}
ITEM_ALIASES = {
    "id": ("订单编号", "主订单编号", "订单号"),
    "title": ("标题", "宝贝标题", "商品标题"),
    "price": ("价格", "单价", "商品价格"),
    "qty": ("购买数量", "数量"),
    "sku": ("商家编码", "商品编码"),
    "external": ("外部系统编号",),
    "properties": ("商品属性", "销售属性"),
    "status": ("订单状态",),
}
STATUSES = {
    "等待买家付款": "quote",
    "买家已付款，等待卖家发货": "confirmed", "买家已付款,等待卖家发货": "confirmed",
    "等待卖家发货": "confirmed", "买家已付款": "confirmed", "等待发货": "confirmed",
    "卖家已发货，等待买家确认": "shipped", "卖家已发货,等待买家确认": "shipped",
    "卖家已发货": "shipped", "已发货": "shipped", "交易成功": "shipped",
    "交易关闭": "cancelled", "付款以前，卖家或买家主动关闭交易": "cancelled",
    "退款成功": "cancelled", "交易关闭(退款)": "cancelled", "已关闭": "cancelled",
}


def channel_status(value: str) -> str | None:
    """Our status for Taobao's words; None when they mean nothing we know."""
    v = parsing.text(value).replace(" ", "")
    if v in STATUSES:
        return STATUSES[v]
    if v.startswith("交易关闭"):
        return "cancelled"
    return None


@dataclass
class TaobaoFiles:
    """A connector over one pair of export files (the cursor is unused: a file is read once)."""

    orders: Path
    items: Path | None = None
    channel: str = "taobao"

    @property
    def name(self) -> str:
        return self.channel

    def fetch(self, cursor: str = "") -> Batch:
        rows, _enc = read_rows(Path(self.orders), ORDER_ALIASES, ("id", "status"),
                               mark_short=True)
        rejected: list[tuple[int, str]] = []
        items_by_order: dict[str, list[ItemInput]] = defaultdict(list)
        bad_items: dict[str, str] = {}  # order → why one of its item rows was refused
        if self.items is not None:
            items_by_order, bad_items = self._items(Path(self.items), rejected)
        out: list[OrderInput] = []
        first_row: dict[str, int] = {}
        for line, v in rows:
            order_id = parsing.text(v["id"])
            if not order_id:
                rejected.append((line, _("no order number")))
                continue
            why = parsing.short(v)
            if why is None and order_id in first_row:
                why = _("the same order again (first on row {row})").format(
                    row=first_row[order_id])
            if why is None and order_id in bad_items:
                why = bad_items[order_id]
            if why is not None:
                rejected.append((line, f"{order_id}: {why}"))
                continue
            first_row[order_id] = line
            try:
                out.append(self._order(line, order_id, v, items_by_order.get(order_id)))
            except StoreError as err:
                rejected.append((line, f"{order_id}: {err}"))
        return Batch(out, "", rejected)

    def _items(self, path: Path, rejected: list[tuple[int, str]]
               ) -> tuple[dict[str, list[ItemInput]], dict[str, str]]:
        """The item report by order; an order with a bad item row is refused whole. A row
        repeated cell for cell is reported and counted once (a sub-order is never twice)."""
        item_rows, _enc = read_rows(path, ITEM_ALIASES, ("id", "qty"), mark_short=True)
        items: dict[str, list[ItemInput]] = defaultdict(list)
        bad: dict[str, str] = {}
        seen: dict[tuple[tuple[str, str], ...], int] = {}
        for line, v in item_rows:
            order_id = parsing.text(v["id"])
            key = tuple(sorted(v.items()))
            if key in seen:
                rejected.append((line, _("{file}: the same item row again (first on row {row})")
                                 .format(file=path.name, row=seen[key])))
                continue
            seen[key] = line
            try:
                why = parsing.short(v)
                if why is not None:
                    raise ValidationError(why, field="row", value=line, row=line)
                qty = parsing.qty(v.get("qty", ""), field="购买数量", row=line)
                price = parsing.amount(v.get("price", ""), field="价格", row=line)
            except StoreError as err:
                bad.setdefault(order_id, _("{file} row {row}: {reason}").format(
                    file=path.name, row=line, reason=err))
                continue
            title = parsing.text(v.get("title", ""))
            props = parsing.text(v.get("properties", ""))
            code = parsing.text(v.get("sku", "")) or parsing.text(v.get("external", ""))
            items[order_id].append(ItemInput(code, f"{title} {props}".strip(), qty, price,
                                             line))
        return items, bad

    @staticmethod
    def _order(line: int, order_id: str, v: dict[str, str], items: list[ItemInput] | None
               ) -> OrderInput:
        raw_status = parsing.text(v.get("status", ""))
        status = channel_status(raw_status)
        if status is None:
            raise ValidationError(_("unknown status '{status}'").format(status=raw_status),
                                  field="订单状态", value=raw_status, row=line)
        paid = parsing.amount(v.get("paid", ""), field="买家实际支付金额", row=line)
        postage = parsing.amount(v.get("postage", ""), field="邮费", row=line)
        created = parsing.moment(v.get("created", ""))
        mobile = (parsing.phone(v.get("mobile", ""), row=line)
                  or parsing.phone(v.get("phone", ""), row=line))
        if items is None:  # one item, from the order report itself
            count = parsing.qty(v.get("count", ""), field="宝贝总数量", row=line)
            goods = paid - postage if paid > postage else paid
            items = [ItemInput(parsing.text(v.get("sku", "")), parsing.text(v.get("title", "")),
                               count, (goods / count).quantize(Decimal("0.01")), line)]
        return OrderInput(
            external_id=order_id, status=status, channel_status=raw_status,
            buyer=parsing.text(v.get("buyer", "")),
            recipient=(parsing.text(v.get("name", "")), mobile,
                       parsing.text(v.get("address", ""))),
            total=sum((i.qty * i.unit_price for i in items), Decimal(0)).quantize(
                Decimal("0.01")),
            shipping=postage, ordered_at=created, carrier=parsing.text(v.get("carrier", "")),
            tracking_no=parsing.text(v.get("tracking", "")),
            note=parsing.text(v.get("note", "")), items=items, row=line)
