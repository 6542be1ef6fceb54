"""The stockroom: stock value per product (moving-average cost), the exact value on each stock
move and each sale line's cost, purchase orders, goods receipts, transfers, stock counts and
unknown barcodes noted for the manager; the goods-received-not-invoiced account."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    Product, Warehouse, User = ref('product'), ref('warehouse'), ref('user')
    Supplier, Category = ref('supplier'), ref('category')

    class Base(Model):
        class Meta:
            database = db

    class StockValue(Base):
        product = ForeignKeyField(Product, unique=True, on_delete='RESTRICT')
        qty = BigIntegerField(default=0)
        value = BigIntegerField(default=0)
        unit_cost = BigIntegerField(default=0)
        class Meta:
            table_name = 'stock_value'

    class PurchaseOrder(Base):
        number = CharField(max_length=20, unique=True)
        supplier = ForeignKeyField(Supplier, on_delete='RESTRICT')
        warehouse = ForeignKeyField(Warehouse, on_delete='RESTRICT')
        status = CharField(max_length=12, default='draft', index=True)
        created_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        ordered_at = DateTimeField(null=True)
        expected_on = DateField(null=True)
        note = CharField(max_length=200, default='')
        cancel_reason = CharField(max_length=200, default='')
        class Meta:
            table_name = 'purchase_order'

    class PurchaseOrderLine(Base):
        order = ForeignKeyField(PurchaseOrder, on_delete='CASCADE')
        line_no = IntegerField()
        product = ForeignKeyField(Product, on_delete='RESTRICT')
        qty = BigIntegerField()
        unit_cost = BigIntegerField()
        received_qty = BigIntegerField(default=0)
        class Meta:
            table_name = 'purchase_order_line'

    class GoodsReceipt(Base):
        number = CharField(max_length=20, unique=True)
        status = CharField(max_length=10, default='draft', index=True)
        supplier = ForeignKeyField(Supplier, null=True, on_delete='RESTRICT')
        purchase_order = ForeignKeyField(PurchaseOrder, null=True, on_delete='RESTRICT')
        warehouse = ForeignKeyField(Warehouse, on_delete='RESTRICT')
        created_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        posted_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        posted_at = DateTimeField(null=True)
        value = BigIntegerField(default=0)
        class Meta:
            table_name = 'goods_receipt'

    class GoodsReceiptLine(Base):
        receipt = ForeignKeyField(GoodsReceipt, on_delete='CASCADE')
        product = ForeignKeyField(Product, on_delete='RESTRICT')
        qty = BigIntegerField(default=0)
        unit_cost = BigIntegerField(default=0)
        po_line = ForeignKeyField(PurchaseOrderLine, null=True, on_delete='RESTRICT')
        class Meta:
            table_name = 'goods_receipt_line'
            indexes = ((('receipt', 'product'), True),)

    class StockTransfer(Base):
        number = CharField(max_length=20, unique=True)
        source = ForeignKeyField(Warehouse, on_delete='RESTRICT')
        destination = ForeignKeyField(Warehouse, on_delete='RESTRICT')
        two_step = BooleanField(default=False)
        status = CharField(max_length=12, default='draft', index=True)
        created_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        shipped_at = DateTimeField(null=True)
        received_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        received_at = DateTimeField(null=True)
        class Meta:
            table_name = 'stock_transfer'

    class StockTransferLine(Base):
        transfer = ForeignKeyField(StockTransfer, on_delete='CASCADE')
        product = ForeignKeyField(Product, on_delete='RESTRICT')
        qty = BigIntegerField(default=0)
        class Meta:
            table_name = 'stock_transfer_line'
            indexes = ((('transfer', 'product'), True),)

    class StockCount(Base):
        number = CharField(max_length=20, unique=True)
        warehouse = ForeignKeyField(Warehouse, on_delete='RESTRICT')
        scope = CharField(max_length=10)
        category = ForeignKeyField(Category, null=True, on_delete='RESTRICT')
        status = CharField(max_length=10, default='open', index=True)
        created_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        approved_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        posted_at = DateTimeField(null=True)
        class Meta:
            table_name = 'stock_count'

    class StockCountLine(Base):
        count = ForeignKeyField(StockCount, on_delete='CASCADE')
        product = ForeignKeyField(Product, on_delete='RESTRICT')
        counted = BigIntegerField(null=True)
        expected = BigIntegerField(null=True)
        counted_by = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        scanned_at = DateTimeField(null=True)
        recounts = IntegerField(default=0)
        class Meta:
            table_name = 'stock_count_line'
            indexes = ((('count', 'product'), True),)

    class UnknownBarcode(Base):
        code = CharField(max_length=64)
        where = CharField(max_length=20)
        reference = CharField(max_length=20, default='')
        user = ForeignKeyField(User, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        class Meta:
            table_name = 'unknown_barcode'

    db.create_tables([StockValue, PurchaseOrder, PurchaseOrderLine, GoodsReceipt,
                      GoodsReceiptLine, StockTransfer, StockTransferLine, StockCount,
                      StockCountLine, UnknownBarcode])
    migrator.migrate(
        migrator.add_column('stock_move', 'value', BigIntegerField(default=0)),
        migrator.add_column('sale_line', 'cost', BigIntegerField(default=0)),
    )
    # Stock already on the shelves is worth its quantity at the product's cost (both scaled:
    # qty in thousandths, cost in ten-thousandths, value in cents).
    db.execute_sql(
        'INSERT INTO stock_value (product_id, qty, value, unit_cost) '
        'SELECT p.id, COALESCE(SUM(l.on_hand), 0), '
        '(CAST(COALESCE(SUM(l.on_hand), 0) AS BIGINT) * p.cost + 50000) / 100000, p.cost '
        'FROM product p LEFT JOIN stock_level l ON l.product_id = p.id '
        'GROUP BY p.id, p.cost')
    db.execute_sql(
        'UPDATE stock_move SET value = (qty * unit_cost + 50000) / 100000 WHERE qty > 0')
    db.execute_sql(
        'UPDATE stock_move SET value = -((-qty * unit_cost + 50000) / 100000) WHERE qty < 0')
    db.execute_sql(
        'UPDATE sale_line SET cost = (qty * unit_cost + 50000) / 100000 WHERE qty > 0')
    db.execute_sql(
        'UPDATE sale_line SET cost = -((-qty * unit_cost + 50000) / 100000) WHERE qty < 0')
    # Goods received, not yet invoiced by the supplier (暂估应付): the receipt's credit side.
    if not db.execute_sql("SELECT 1 FROM account WHERE code = '220201'").fetchone():
        db.execute_sql(
            "INSERT INTO account (code, name, name_en, kind) VALUES "
            "('220201', '应付账款-暂估', 'Goods received not invoiced', 'liability')")


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('sale_line', 'cost'),
        migrator.drop_column('stock_move', 'value'),
    )
    for table in ('unknown_barcode', 'stock_count_line', 'stock_count', 'stock_transfer_line',
                  'stock_transfer', 'goods_receipt_line', 'goods_receipt', 'purchase_order_line',
                  'purchase_order', 'stock_value'):
        db.execute_sql(f'DROP TABLE {table}')
    db.execute_sql("DELETE FROM account WHERE code = '220201'")
