"""The catalog: tax rates, units, categories, products and their barcodes."""

from __future__ import annotations

from typing import Any

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, fn

from store.core.fields import CostField, MoneyField, QtyField
from store.core.i18n import current_language
from store.models.auth import User
from store.models.base import BaseModel, utcnow


class TaxRate(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=50)
    name_en = CharField(max_length=50, default="")
    rate_bp = IntegerField()  # basis points: 13% = 1300
    active = BooleanField(default=True)


class Unit(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=20)
    name_en = CharField(max_length=20, default="")
    decimals = IntegerField(default=0)  # 0: counted; 3: weighed to the gram
    active = BooleanField(default=True)


class Category(BaseModel):
    code = CharField(max_length=40, unique=True)
    name = CharField(max_length=100)
    name_en = CharField(max_length=100, default="")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    active = BooleanField(default=True)
    tax_code = CharField(max_length=19, default="")  # 商品和服务税收分类编码, for 发票 (19.4)
    parent_id: int | None


class ProductTemplate(BaseModel):
    """A style sold in variants (a T-shirt in sizes and colours): each variant is a product
    of its own (SKU, barcode, price, stock), made from one value of each attribute."""

    code = CharField(max_length=40, unique=True)  # the variants' SKUs start with it
    name = CharField(max_length=160)
    name_en = CharField(max_length=160, default="")
    created_at = DateTimeField(default=utcnow)


class TemplateAttribute(BaseModel):
    template = ForeignKeyField(ProductTemplate, backref="attributes", on_delete="CASCADE")
    position = IntegerField()
    name = CharField(max_length=40)  # 尺码, 颜色, 口味
    name_en = CharField(max_length=40, default="")
    template_id: int

    class Meta:
        indexes = ((("template", "name"), True),)


class AttributeValue(BaseModel):
    attribute = ForeignKeyField(TemplateAttribute, backref="values", on_delete="CASCADE")
    position = IntegerField()
    code = CharField(max_length=12)  # in the SKU: TSHIRT-L-RED
    name = CharField(max_length=40)  # on the receipt: T恤 L 红
    name_en = CharField(max_length=40, default="")
    attribute_id: int

    class Meta:
        indexes = ((("attribute", "code"), True),)


class Product(BaseModel):
    sku = CharField(max_length=64, unique=True)  # 商家编码
    name = CharField(max_length=200, index=True)
    name_en = CharField(max_length=200, default="")
    pinyin = CharField(max_length=400, default="", index=True)  # full, lower case: kekoukele
    initials = CharField(max_length=200, default="", index=True)  # kkkl
    category = ForeignKeyField(Category, null=True, backref="products", on_delete="RESTRICT")
    unit = ForeignKeyField(Unit, backref="products", on_delete="RESTRICT")
    price = MoneyField()
    tax_rate = ForeignKeyField(TaxRate, backref="products", on_delete="RESTRICT")
    cost = CostField(default=0)
    stock_tracked = BooleanField(default=True)
    tracks_lots = BooleanField(default=False)  # lot numbers and expiry dates (store.stock.lots)
    sold_by_weight = BooleanField(default=False)
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    template = ForeignKeyField(ProductTemplate, null=True, backref="variants",
                               on_delete="RESTRICT")
    variant_key = CharField(max_length=40, null=True)  # its values' codes: "L-RED"
    category_id: int | None
    unit_id: int
    tax_rate_id: int
    template_id: int | None

    class Meta:
        indexes = ((("template", "variant_key"), True),)

    @property
    def local_name(self) -> str:
        """The name in the interface's language: English where the product has one."""
        return self.name_en if self.name_en and current_language() == "en" else self.name

    @classmethod
    def local_name_sql(cls) -> Any:
        """The same in SQL, for a select: `Product.local_name_sql().alias("name")`."""
        if current_language() == "en":
            return fn.COALESCE(fn.NULLIF(cls.name_en, ""), cls.name)
        return cls.name


class Barcode(BaseModel):
    code = CharField(max_length=64, unique=True)
    product = ForeignKeyField(Product, backref="barcodes", on_delete="CASCADE")
    pack_qty = QtyField(default=1)  # a case barcode sells 12 units
    product_id: int


class PriceChange(BaseModel):
    """One change of a product's shelf price: a fact, never edited. `old_price` is None for
    the price a product was created with."""

    product = ForeignKeyField(Product, backref="price_changes", on_delete="RESTRICT")
    old_price = MoneyField(null=True)
    new_price = MoneyField()
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    source = CharField(max_length=12)  # editor, import, bulk, till
    note = CharField(max_length=200, default="")
    created_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("product", "created_at"), False),)
