"""Sales orders: what a customer or an online channel ordered, what has been shipped and
invoiced, and the order's history."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    UUIDField,
)

from store.core.fields import MoneyField, QtyField
from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.catalog import Product
from store.models.org import Warehouse
from store.models.parties import Customer

# The statuses that hold stock for an order: confirmed, picked and partly shipped orders still
# have goods to ship (available = on hand − reserved).
RESERVING = ("confirmed", "picked", "partial")


class SalesOrder(BaseModel):
    number = CharField(max_length=20, unique=True)
    uuid = UUIDField(unique=True)
    channel = CharField(max_length=20, index=True)  # phone, wholesale, taobao, shopify …
    external_id = CharField(max_length=64, null=True)  # the channel's order number
    status = CharField(max_length=12, index=True)
    channel_status = CharField(max_length=40, default="")  # as the channel last said it
    customer = ForeignKeyField(Customer, null=True, on_delete="RESTRICT")
    warehouse = ForeignKeyField(Warehouse, on_delete="RESTRICT")
    buyer = CharField(max_length=100, default="")  # the channel's buyer name (a nickname)
    recipient_enc = CharField(max_length=600, default="")  # name, phone, address: sealed
    total = MoneyField(default=0)  # what the buyer pays for the goods
    shipping = MoneyField(default=0)
    paid = MoneyField(default=0)
    carrier = CharField(max_length=40, default="")
    tracking_no = CharField(max_length=64, default="")
    note = CharField(max_length=500, default="")
    cancel_reason = CharField(max_length=200, default="")
    ordered_at = DateTimeField(default=utcnow)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    customer_id: int | None
    warehouse_id: int

    class Meta:
        indexes = ((("channel", "external_id"), True),)


class SalesOrderLine(BaseModel):
    order = ForeignKeyField(SalesOrder, backref="lines", on_delete="CASCADE")
    line_no = IntegerField()
    product = ForeignKeyField(Product, null=True, on_delete="RESTRICT")  # None: not mapped
    external_sku = CharField(max_length=64, default="")
    title = CharField(max_length=200, default="")
    qty = QtyField()
    unit_price = MoneyField()
    amount = MoneyField()
    tax_rate_bp = IntegerField(default=0)
    shipped_qty = QtyField(default=0)
    invoiced_qty = QtyField(default=0)
    discount = MoneyField(default=0)  # what promotions took off qty × unit_price
    promotions = CharField(max_length=200, default="")  # their names, for the order and invoice
    order_id: int
    product_id: int | None


class OrderEvent(BaseModel):
    """One step of an order's history: a status reached, by whom, with a note."""

    order = ForeignKeyField(SalesOrder, backref="events", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)
    status = CharField(max_length=12)
    note = CharField(max_length=300, default="")
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    order_id: int


class ChannelLink(BaseModel):
    """An online shop connected by its API (issue 17): where to call, the credentials sealed
    with the shop's data key (never stored, printed or logged in clear), where the next sync
    starts, and how the last one went."""

    name = CharField(max_length=20, unique=True)  # the channel its orders carry: taobao, tmall…
    kind = CharField(max_length=20)  # taobao, tmall, shopify: which API it speaks
    url = CharField(max_length=200)
    secrets = TextField()  # sealed JSON: app_key, app_secret, session / shop, token
    warehouse = CharField(max_length=20, default="STORE")  # where its orders ship from
    cursor = CharField(max_length=64, default="")  # where the next sync starts (kind's own)
    status = CharField(max_length=12, default="new")  # new, ok, retrying, stopped
    message = CharField(max_length=300, default="")  # what the last sync said
    synced_at = DateTimeField(null=True)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)


class ChannelNotice(BaseModel):
    """What the shop must tell a connected channel about one of its orders (issue 17.3): for
    now that it shipped, with which courier and tracking number. Told once: a notice is done
    when the channel accepted it; a failure is kept with its reason and tried again."""

    order = ForeignKeyField(SalesOrder, on_delete="RESTRICT")
    kind = CharField(max_length=12)  # ship (told to the channel), track (a courier asked)
    status = CharField(max_length=12, default="pending")  # pending, done, failed
    attempts = IntegerField(default=0)
    message = CharField(max_length=300, default="")
    created_at = DateTimeField(default=utcnow)  # a track notice: when the courier was last asked
    done_at = DateTimeField(null=True)  # a track notice: when it was delivered
    order_id: int

    class Meta:
        indexes = ((("order", "kind"), True),)


class ChannelItem(BaseModel):
    """A connected channel's listing of one of our products (issue 17.4): its item (and SKU)
    id there, learnt from the trades that sold it by 商家编码, and the quantity last pushed."""

    channel = CharField(max_length=20)
    product = ForeignKeyField(Product, on_delete="RESTRICT")
    item_id = CharField(max_length=32)  # TOP num_iid
    sku_id = CharField(max_length=32, default="")  # TOP sku_id ("" for an item without SKUs)
    pushed_qty = IntegerField(null=True)  # None: never pushed
    pushed_at = DateTimeField(null=True)
    message = CharField(max_length=300, default="")  # why the last push failed
    product_id: int

    class Meta:
        indexes = ((("channel", "item_id", "sku_id"), True),)
