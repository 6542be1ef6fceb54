"""Files that look like the channels' real exports, written by the tests themselves: Taobao's
order and item reports in GBK with ="…" order numbers, '-prefixed phones, 元 amounts and
headers with trailing spaces; Shopify's one-row-per-item orders_export.csv."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

# The columns of a real 订单报表, trailing spaces and all, in the export's order.
ORDER_HEADER = ["订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费",
                "总金额", "买家实际支付金额", "订单状态", "买家留言", "收货人姓名", "收货地址 ",
                "运送方式", "联系电话 ", "联系手机", "订单创建时间", "订单付款时间 ",
                "宝贝标题 ", "宝贝种类", "物流单号 ", "物流公司", "订单备注", "宝贝总数量",
                "店铺名称"]
ITEM_HEADER = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息",
               "备注", "订单状态", "商家编码"]


@dataclass
class TbItem:
    sku: str
    title: str
    price: str
    qty: str


@dataclass
class TbOrder:
    id: str
    status: str = "买家已付款，等待卖家发货"
    items: list[TbItem] = field(default_factory=list)
    paid: str = ""  # default: the items plus postage, written with 元 on odd orders
    postage: str = "0.00"
    name: str = "张三"
    mobile: str = "13800138000"
    address: str = "上海 上海市 长宁区 某某路1号 200050"
    tracking: str = ""
    carrier: str = ""
    created: str = "2026-11-30 20:15:00"


def _num(text: str) -> Decimal:
    try:
        return Decimal(text)
    except ArithmeticError:  # a deliberately bad cell: the order report still needs a figure
        return Decimal(0)


def _order_row(o: TbOrder, n: int) -> list[str]:
    goods = sum((_num(i.price) * _num(i.qty) for i in o.items), Decimal(0))
    paid = o.paid or f"{goods + Decimal(o.postage):.2f}" + ("元" if n % 2 else "")
    title = o.items[0].title if o.items else ""
    count = str(sum(int(_num(i.qty)) for i in o.items)) if o.items else "1"
    return [f'="{o.id}"', "tb_buyer" + o.id[-4:], "buyer@example.com", paid, o.postage,
            paid, paid, o.status, "", o.name, o.address, "快递", "", f"'{o.mobile}",
            o.created, o.created, title, str(len(o.items)), o.tracking, o.carrier, "",
            count, "测试店"]


def write_taobao(directory: Path, orders: Sequence[TbOrder], *, encoding: str = "gbk",
                 stem: str = "ExportOrderList") -> tuple[Path, Path]:
    """The order report and the item report for these orders."""
    directory.mkdir(parents=True, exist_ok=True)
    order_path, item_path = directory / f"{stem}.csv", directory / f"{stem}_items.csv"
    _write(order_path, ORDER_HEADER, (_order_row(o, n) for n, o in enumerate(orders)), encoding)
    _write(item_path, ITEM_HEADER, ([f'="{o.id}"', i.title, i.price, i.qty, "", "颜色分类:默认",
                                     "", "", o.status, i.sku]
                                    for o in orders for i in o.items), encoding)
    return order_path, item_path


def _write(path: Path, header: list[str], rows: Iterable[list[str]], encoding: str) -> None:
    buf = io.StringIO(newline="")
    out = csv.writer(buf)
    out.writerow(header)
    out.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


SHOPIFY_HEADER = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status",
                  "Fulfilled at", "Currency", "Subtotal", "Shipping", "Taxes", "Total",
                  "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price",
                  "Lineitem sku", "Billing Name", "Shipping Name", "Shipping Address1",
                  "Shipping Address2", "Shipping City", "Shipping Zip", "Shipping Province",
                  "Shipping Country", "Shipping Phone", "Notes", "Cancelled at"]


def shopify_rows(name: str, items: Sequence[tuple[str, str, str, str]], *,
                 financial: str = "paid", fulfillment: str = "unfulfilled",
                 phone: str = "+86 139 1234 5678", cancelled: str = "") -> list[list[str]]:
    """One order: (sku, title, price, qty) per line; the order's fields on its first row only."""
    rows = []
    for n, (sku, title, price, qty) in enumerate(items):
        first = n == 0
        rows.append([name, "a@example.com" if first else "", financial if first else "",
                     "", fulfillment if first else "", "", "CNY" if first else "", "",
                     "10.00" if first else "", "", "", "2026-11-30 10:00:00 +0800" if first
                     else "", qty, title, price, sku, "Li Si" if first else "",
                     "Li Si" if first else "", "1 Some Road" if first else "", "",
                     "Beijing" if first else "", "100000" if first else "",
                     "BJ" if first else "", "CN" if first else "", phone if first else "", "",
                     cancelled if first else ""])
    return rows


def write_shopify(path: Path, rows: Iterable[list[str]]) -> Path:
    _write(path, SHOPIFY_HEADER, rows, "utf-8")
    return path
