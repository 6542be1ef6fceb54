"""发票 requests (issue 19.4): the requests, the sales each covers, and each category's tax
classification code (商品和服务税收分类编码) that the tax platform asks for every line."""
from peewee import *


def up(migrator, db):
    def ref(name):
        class Ref(Model):
            class Meta:
                database = db
                table_name = name
        return Ref

    sales, users, customers = ref('sale'), ref('user'), ref('customer')

    class FapiaoRequest(Model):
        number = CharField(max_length=20, unique=True)
        status = CharField(max_length=10, default='requested')
        kind = CharField(max_length=10, default='normal')
        title = CharField(max_length=100)
        tax_id = CharField(max_length=20, default='')
        email_enc = CharField(max_length=400, default='')
        address = CharField(max_length=200, default='')
        bank = CharField(max_length=200, default='')
        note = CharField(max_length=200, default='')
        amount = BigIntegerField()
        tax = BigIntegerField()
        customer = ForeignKeyField(customers, null=True, on_delete='RESTRICT')
        requested_by = ForeignKeyField(users, on_delete='RESTRICT')
        created_at = DateTimeField()
        invoice_number = CharField(max_length=32, default='')
        issued_on = DateField(null=True)
        sent_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'fapiao_request'
            indexes = ((('status', 'created_at'), False),)

    class FapiaoSale(Model):
        request = ForeignKeyField(FapiaoRequest, on_delete='CASCADE')
        sale = ForeignKeyField(sales, unique=True, on_delete='RESTRICT')

        class Meta:
            database = db
            table_name = 'fapiao_sale'

    db.create_tables([FapiaoRequest, FapiaoSale])
    migrator.migrate(migrator.add_column('category', 'tax_code',
                                         CharField(max_length=19, default='')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('category', 'tax_code'))
    db.execute_sql('DROP TABLE fapiao_sale')
    db.execute_sql('DROP TABLE fapiao_request')
