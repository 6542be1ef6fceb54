"""Variants (issue 19.7): product templates, their attributes and values, and on each product
the template it is a variant of with its values' codes."""
from peewee import *


def up(migrator, db):
    class ProductTemplate(Model):
        code = CharField(max_length=40, unique=True)
        name = CharField(max_length=160)
        name_en = CharField(max_length=160, default='')
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'product_template'

    class TemplateAttribute(Model):
        template = ForeignKeyField(ProductTemplate, on_delete='CASCADE')
        position = IntegerField()
        name = CharField(max_length=40)
        name_en = CharField(max_length=40, default='')

        class Meta:
            database = db
            table_name = 'template_attribute'
            indexes = ((('template', 'name'), True),)

    class AttributeValue(Model):
        attribute = ForeignKeyField(TemplateAttribute, on_delete='CASCADE')
        position = IntegerField()
        code = CharField(max_length=12)
        name = CharField(max_length=40)
        name_en = CharField(max_length=40, default='')

        class Meta:
            database = db
            table_name = 'attribute_value'
            indexes = ((('attribute', 'code'), True),)

    db.create_tables([ProductTemplate, TemplateAttribute, AttributeValue])
    migrator.migrate(
        migrator.add_column('product', 'template_id',
                            ForeignKeyField(ProductTemplate, null=True, field=ProductTemplate.id,
                                            on_delete='RESTRICT')),
        migrator.add_column('product', 'variant_key', CharField(max_length=40, null=True)),
        migrator.add_index('product', ('template_id', 'variant_key'), True),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index('product', 'product_template_id_variant_key'),
                     migrator.drop_column('product', 'variant_key'),
                     migrator.drop_column('product', 'template_id'))
    db.execute_sql('DROP TABLE attribute_value')
    db.execute_sql('DROP TABLE template_attribute')
    db.execute_sql('DROP TABLE product_template')
