"""发票 requests (issue 19.4): a customer asks for a VAT invoice for one or more sales; the
shop issues it on the tax platform (by its bulk-issue template) and records the invoice's
number when it comes back."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField

from store.core.fields import MoneyField
from store.models.auth import User
from store.models.base import BaseModel, utcnow
from store.models.parties import Customer
from store.models.sales import Sale


class FapiaoRequest(BaseModel):
    number = CharField(max_length=20, unique=True)  # FP-000001
    status = CharField(max_length=10, default="requested")  # issued, sent, cancelled
    kind = CharField(max_length=10, default="normal")  # normal (普票) or special (专票)
    title = CharField(max_length=100)  # the buyer's name as the invoice shows it
    tax_id = CharField(max_length=20, default="")  # 统一社会信用代码; none for a person
    email_enc = CharField(max_length=400, default="")  # sealed: a person's address
    address = CharField(max_length=200, default="")  # 专票: the buyer's address and phone
    bank = CharField(max_length=200, default="")  # 专票: bank and account
    note = CharField(max_length=200, default="")
    amount = MoneyField()  # the sales' lines less what came back, tax included
    tax = MoneyField()
    customer = ForeignKeyField(Customer, null=True, on_delete="RESTRICT")
    requested_by = ForeignKeyField(User, on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)
    invoice_number = CharField(max_length=32, default="")  # the platform's 数电票号码
    issued_on = DateField(null=True)
    sent_at = DateTimeField(null=True)
    customer_id: int | None
    requested_by_id: int

    class Meta:
        table_name = "fapiao_request"
        indexes = ((("status", "created_at"), False),)


class FapiaoSale(BaseModel):
    """A sale an invoice request covers: each sale on one request at most."""

    request = ForeignKeyField(FapiaoRequest, backref="sales", on_delete="CASCADE")
    sale = ForeignKeyField(Sale, unique=True, on_delete="RESTRICT")
    request_id: int
    sale_id: int

    class Meta:
        table_name = "fapiao_sale"
