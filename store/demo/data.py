"""The demo catalog's raw material: categories, items, brands and sizes, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    zh: str
    en: str
    unit: str
    price: str  # base price in 元
    tax: str  # tax rate code
    sizes: tuple[tuple[str, str, str], ...] = (("", "", "1"),)  # (zh, en, price factor)
    brands: tuple[tuple[str, str], ...] = (("", ""),)
    weighed: bool = False
    case: int = 0  # units in a case barcode, 0: none


CATEGORIES = (
    ("DRINK", "饮料", "Beverages"),
    ("SNACK", "零食", "Snacks"),
    ("GRAIN", "粮油", "Grain & Oil"),
    ("HOME", "日用品", "Household"),
    ("FRESH", "生鲜", "Fresh"),
    ("SEASON", "调味品", "Condiments"),
    ("DAIRY", "乳品", "Dairy"),
    ("ALCOHOL", "酒类", "Alcohol"),
    ("CARE", "个人护理", "Personal Care"),
    ("FROZEN", "冷冻食品", "Frozen Food"),
)

_DRINK_SIZES = (("330ml", "330ml", "1"), ("500ml", "500ml", "1.3"), ("1.25L", "1.25L", "2.4"),
                ("2L", "2L", "3.4"))
_WATER = (("550ml", "550ml", "1"), ("1.5L", "1.5L", "2"), ("4L", "4L", "4.5"))

ITEMS: dict[str, tuple[Item, ...]] = {
    "DRINK": (
        Item("可乐", "Cola", "bottle", "3.00", "VAT13", _DRINK_SIZES,
             (("可口可乐", "Coca-Cola"), ("百事", "Pepsi")), case=12),
        Item("雪碧", "Sprite", "bottle", "3.00", "VAT13", _DRINK_SIZES, (("", ""),), case=12),
        Item("矿泉水", "Mineral Water", "bottle", "2.00", "VAT13", _WATER,
             (("农夫山泉", "Nongfu Spring"), ("怡宝", "C'estbon"), ("百岁山", "Ganten")), case=24),
        Item("绿茶", "Green Tea", "bottle", "3.50", "VAT13", _DRINK_SIZES[:2],
             (("康师傅", "Master Kong"), ("统一", "Uni-President")), case=15),
        Item("冰红茶", "Iced Black Tea", "bottle", "3.50", "VAT13", _DRINK_SIZES[:2],
             (("康师傅", "Master Kong"), ("统一", "Uni-President")), case=15),
        Item("凉茶", "Herbal Tea", "can", "4.00", "VAT13", (("310ml", "310ml", "1"),),
             (("王老吉", "Wanglaoji"), ("加多宝", "JDB")), case=24),
        Item("橙汁", "Orange Juice", "bottle", "5.50", "VAT13", _DRINK_SIZES[1:3],
             (("美汁源", "Minute Maid"), ("汇源", "Huiyuan"))),
        Item("功能饮料", "Energy Drink", "can", "6.00", "VAT13", (("250ml", "250ml", "1"),),
             (("红牛", "Red Bull"), ("东鹏特饮", "Eastroc")), case=24),
        Item("苏打水", "Soda Water", "bottle", "4.50", "VAT13", _DRINK_SIZES[:2],
             (("元气森林", "Genki Forest"), ("屈臣氏", "Watsons"))),
        Item("咖啡", "Coffee", "bottle", "6.50", "VAT13", (("268ml", "268ml", "1"),),
             (("雀巢", "Nescafe"), ("星巴克", "Starbucks"))),
    ),
    "SNACK": (
        Item("薯片", "Potato Chips", "bag", "7.50", "VAT13",
             (("原味 70g", "Original 70g", "1"), ("番茄味 70g", "Tomato 70g", "1"),
              ("黄瓜味 70g", "Cucumber 70g", "1"), ("原味 135g", "Original 135g", "1.7")),
             (("乐事", "Lay's"), ("可比克", "Copico")), case=22),
        Item("饼干", "Biscuits", "box", "8.90", "VAT13",
             (("100g", "100g", "1"), ("200g", "200g", "1.8")),
             (("奥利奥", "Oreo"), ("康师傅", "Master Kong"), ("达利园", "Daliyuan"))),
        Item("巧克力", "Chocolate", "pcs", "9.90", "VAT13",
             (("43g", "43g", "1"), ("牛奶味 80g", "Milk 80g", "1.8")),
             (("德芙", "Dove"), ("士力架", "Snickers"))),
        Item("方便面", "Instant Noodles", "bag", "4.50", "VAT13",
             (("红烧牛肉", "Braised Beef", "1"), ("老坛酸菜", "Pickled Cabbage", "1"),
              ("鲜虾鱼板", "Shrimp", "1")),
             (("康师傅", "Master Kong"), ("统一", "Uni-President"), ("白象", "Baixiang")),
             case=24),
        Item("瓜子", "Sunflower Seeds", "bag", "10.80", "VAT13",
             (("260g", "260g", "1"), ("500g", "500g", "1.8")), (("洽洽", "ChaCheer"),)),
        Item("坚果", "Mixed Nuts", "bag", "29.90", "VAT13", (("25g×7", "25g x7", "1"),),
             (("三只松鼠", "Three Squirrels"), ("百草味", "Be&Cheery"))),
        Item("口香糖", "Chewing Gum", "box", "11.50", "VAT13", (("40粒", "40 pcs", "1"),),
             (("绿箭", "Doublemint"), ("益达", "Extra"))),
    ),
    "GRAIN": (
        Item("大米", "Rice", "bag", "29.90", "VAT9",
             (("5kg", "5kg", "1"), ("10kg", "10kg", "1.9")),
             (("福临门", "Fortune"), ("金龙鱼", "Arawana"), ("五常", "Wuchang"))),
        Item("食用油", "Cooking Oil", "bottle", "69.90", "VAT9",
             (("5L", "5L", "1"), ("1.8L", "1.8L", "0.42")),
             (("金龙鱼", "Arawana"), ("鲁花", "Luhua"), ("福临门", "Fortune"))),
        Item("面粉", "Wheat Flour", "bag", "19.90", "VAT9", (("2.5kg", "2.5kg", "1"),),
             (("香雪", "Xiangxue"), ("金沙河", "Jinshahe"))),
        Item("挂面", "Dried Noodles", "bag", "6.50", "VAT9", (("1kg", "1kg", "1"),),
             (("陈克明", "Chenkeming"), ("金沙河", "Jinshahe"))),
    ),
    "HOME": (
        Item("抽纸", "Facial Tissue", "pack", "15.90", "VAT13",
             (("3包", "3-pack", "1"), ("6包", "6-pack", "1.9")),
             (("维达", "Vinda"), ("清风", "Breeze"), ("心相印", "Hearttex"))),
        Item("洗衣液", "Laundry Liquid", "bottle", "39.90", "VAT13",
             (("2kg", "2kg", "1"), ("3kg", "3kg", "1.4")),
             (("蓝月亮", "Bluemoon"), ("立白", "Liby"), ("奥妙", "OMO"))),
        Item("洗洁精", "Dish Soap", "bottle", "12.90", "VAT13", (("1.29kg", "1.29kg", "1"),),
             (("白猫", "White Cat"), ("立白", "Liby"))),
        Item("垃圾袋", "Garbage Bags", "pack", "9.90", "VAT13", (("50只", "50 bags", "1"),),
             (("妙洁", "Miaojie"),)),
        Item("电池", "Batteries", "pack", "16.80", "VAT13", (("5号4粒", "AA x4", "1"),
             ("7号4粒", "AAA x4", "1")), (("南孚", "Nanfu"),)),
    ),
    "FRESH": (
        Item("苹果", "Apples", "kg", "12.80", "VAT9", weighed=True),
        Item("香蕉", "Bananas", "kg", "7.98", "VAT9", weighed=True),
        Item("西红柿", "Tomatoes", "kg", "6.58", "VAT9", weighed=True),
        Item("黄瓜", "Cucumbers", "kg", "5.98", "VAT9", weighed=True),
        Item("土豆", "Potatoes", "kg", "3.98", "VAT9", weighed=True),
        Item("猪肉", "Pork", "kg", "29.80", "VAT9", weighed=True),
        Item("鸡蛋", "Eggs", "kg", "11.60", "VAT9", weighed=True),
        Item("橙子", "Oranges", "kg", "9.98", "VAT9", weighed=True),
        Item("白菜", "Napa Cabbage", "kg", "2.98", "VAT9", weighed=True),
        Item("牛肉", "Beef", "kg", "79.80", "VAT9", weighed=True),
    ),
    "SEASON": (
        Item("生抽", "Light Soy Sauce", "bottle", "12.80", "VAT13", (("500ml", "500ml", "1"),),
             (("海天", "Haday"), ("李锦记", "Lee Kum Kee"))),
        Item("老抽", "Dark Soy Sauce", "bottle", "13.80", "VAT13", (("500ml", "500ml", "1"),),
             (("海天", "Haday"), ("李锦记", "Lee Kum Kee"))),
        Item("醋", "Vinegar", "bottle", "8.50", "VAT13", (("500ml", "500ml", "1"),),
             (("恒顺", "Hengshun"), ("老陈醋", "Mature Vinegar"))),
        Item("食盐", "Salt", "bag", "2.50", "VAT13", (("400g", "400g", "1"),), (("中盐", "CNSIC"),)),
        Item("鸡精", "Chicken Bouillon", "bag", "9.90", "VAT13", (("200g", "200g", "1"),),
             (("太太乐", "Totole"),)),
        Item("辣椒酱", "Chili Sauce", "bottle", "10.50", "VAT13", (("280g", "280g", "1"),),
             (("老干妈", "Lao Gan Ma"),)),
    ),
    "DAIRY": (
        Item("纯牛奶", "Whole Milk", "box", "3.50", "VAT9",
             (("250ml", "250ml", "1"), ("250ml×12", "250ml x12", "11")),
             (("伊利", "Yili"), ("蒙牛", "Mengniu"), ("光明", "Bright")), case=12),
        Item("酸奶", "Yogurt", "bottle", "6.50", "VAT9", (("200g", "200g", "1"),),
             (("安慕希", "Ambrosial"), ("纯甄", "Chunzhen"))),
        Item("豆奶", "Soy Milk", "box", "3.00", "VAT9", (("250ml", "250ml", "1"),),
             (("维他奶", "Vitasoy"),), case=24),
    ),
    "ALCOHOL": (
        Item("啤酒", "Beer", "can", "5.50", "VAT13",
             (("330ml", "330ml", "1"), ("500ml", "500ml", "1.4")),
             (("青岛", "Tsingtao"), ("雪花", "Snow"), ("燕京", "Yanjing")), case=24),
        Item("白酒", "Baijiu", "bottle", "58.00", "VAT13", (("500ml", "500ml", "1"),),
             (("二锅头", "Erguotou"), ("汾酒", "Fenjiu"), ("洋河", "Yanghe"))),
        Item("黄酒", "Rice Wine", "bottle", "25.00", "VAT13", (("500ml", "500ml", "1"),),
             (("古越龙山", "Guyue Longshan"),)),
    ),
    "CARE": (
        Item("牙膏", "Toothpaste", "pcs", "12.90", "VAT13", (("120g", "120g", "1"),),
             (("云南白药", "Yunnan Baiyao"), ("高露洁", "Colgate"), ("佳洁士", "Crest"))),
        Item("洗发水", "Shampoo", "bottle", "39.90", "VAT13", (("400ml", "400ml", "1"),),
             (("海飞丝", "Head & Shoulders"), ("飘柔", "Rejoice"))),
        Item("香皂", "Soap", "pcs", "5.50", "VAT13", (("115g", "115g", "1"),),
             (("舒肤佳", "Safeguard"), ("力士", "Lux"))),
        Item("牙刷", "Toothbrush", "pcs", "9.90", "VAT13", (("软毛", "Soft", "1"),),
             (("高露洁", "Colgate"), ("黑人", "Darlie"))),
    ),
    "FROZEN": (
        Item("速冻水饺", "Frozen Dumplings", "bag", "19.90", "VAT13",
             (("猪肉白菜 500g", "Pork & Cabbage 500g", "1"), ("三鲜 500g", "Three Delicacies 500g",
              "1.1")), (("思念", "Synear"), ("湾仔码头", "Wanchai Ferry"))),
        Item("汤圆", "Tangyuan", "bag", "12.90", "VAT13", (("黑芝麻 400g", "Sesame 400g", "1"),),
             (("三全", "Sanquan"), ("思念", "Synear"))),
        Item("冰淇淋", "Ice Cream", "pcs", "5.00", "VAT13", (("巧克力", "Chocolate", "1"),
             ("香草", "Vanilla", "1")), (("伊利", "Yili"), ("和路雪", "Wall's"))),
    ),
}

# Past the real brand × item × size combinations, products get these variants (then numbers),
# as a shop's catalog really has: promotional packs, multipacks, new recipes.
# Past the real brand × size combinations the catalog grows by variants that exist for every
# item of the category: an edition and a pack (20 per category), never "土豆 无糖" or
# "Coca-Cola 1.25L Low fat". A catalog larger than that (the benchmarks' million) numbers them.
_PLAIN = ("", "")
_PLAIN_PACK = ("", "", "1")  # a pack: its name and its price against the single item
EDITIONS = {
    "DRINK": (_PLAIN, ("新包装", "New pack"), ("限定款", "Limited edition")),
    "SNACK": (_PLAIN, ("新包装", "New pack"), ("经典款", "Classic")),
    "GRAIN": (_PLAIN, ("新包装", "New pack"), ("有机", "Organic")),
    "HOME": (_PLAIN, ("新包装", "New pack"), ("环保装", "Eco pack")),
    "FRESH": (_PLAIN, ("精选", "Select"), ("有机", "Organic")),
    "SEASON": (_PLAIN, ("新包装", "New pack"), ("特级", "Premium")),
    "DAIRY": (_PLAIN, ("低脂", "Low fat"), ("高钙", "High calcium")),
    "ALCOHOL": (_PLAIN, ("经典款", "Classic"), ("限定款", "Limited edition")),
    "CARE": (_PLAIN, ("新包装", "New pack"), ("经典款", "Classic")),
    "FROZEN": (_PLAIN, ("新包装", "New pack"), ("经典款", "Classic")),
}
PACKS = {
    "DRINK": (
        _PLAIN_PACK,
        ("六连包", "6-pack", "5.7"), ("十二瓶装", "12-pack", "11"), ("整箱", "Case", "22"),
        ("冰镇", "Chilled", "1.1"), ("礼盒装", "Gift box", "3"), ("便携装", "On-the-go", "0.8"),
    ),
    "SNACK": (
        _PLAIN_PACK,
        ("家庭装", "Family pack", "1.8"), ("量贩装", "Value pack", "2.6"), ("迷你装", "Mini", "0.5"),
        ("五连包", "5-pack", "4.6"), ("礼盒装", "Gift box", "3"), ("加量装", "Bonus size", "1.2"),
    ),
    "GRAIN": (
        _PLAIN_PACK,
        ("家庭装", "Family pack", "1.8"), ("量贩装", "Value pack", "2.6"), ("加量装", "Bonus size", "1.2"),
        ("礼盒装", "Gift box", "3"), ("小包装", "Small pack", "0.6"), ("两件装", "2-pack", "1.9"),
    ),
    "HOME": (
        _PLAIN_PACK,
        ("家庭装", "Family pack", "1.8"), ("量贩装", "Value pack", "2.6"), ("组合装", "Combo", "2.5"),
        ("加量装", "Bonus size", "1.2"), ("特惠装", "Special offer", "0.9"), ("两件装", "2-pack", "1.9"),
    ),
    "FRESH": (
        _PLAIN_PACK,
        ("本地", "Local", "1"), ("盒装", "Boxed", "1.2"), ("家庭装", "Family pack", "1.8"),
        ("特价", "Special", "0.85"), ("当日鲜", "Fresh today", "1.1"), ("产地直供", "Farm direct", "1"),
    ),
    "SEASON": (
        _PLAIN_PACK,
        ("家庭装", "Family pack", "1.8"), ("加量装", "Bonus size", "1.2"), ("小包装", "Small pack", "0.6"),
        ("礼盒装", "Gift box", "3"), ("两件装", "2-pack", "1.9"), ("特惠装", "Special offer", "0.9"),
    ),
    "DAIRY": (
        _PLAIN_PACK,
        ("十二盒装", "12 cartons", "11"), ("整箱", "Case", "22"), ("家庭装", "Family pack", "1.8"),
        ("瓶装", "Bottle", "1.2"), ("礼盒装", "Gift box", "3"), ("迷你装", "Mini", "0.5"),
    ),
    "ALCOHOL": (
        _PLAIN_PACK,
        ("礼盒装", "Gift box", "3"), ("两瓶装", "2 bottles", "1.9"), ("整箱", "Case", "22"),
        ("小瓶装", "Small bottle", "0.5"), ("特惠装", "Special offer", "0.9"), ("新包装", "New pack", "1"),
    ),
    "CARE": (
        _PLAIN_PACK,
        ("家庭装", "Family pack", "1.8"), ("旅行装", "Travel size", "0.5"), ("组合装", "Combo", "2.5"),
        ("加量装", "Bonus size", "1.2"), ("两件装", "2-pack", "1.9"), ("特惠装", "Special offer", "0.9"),
    ),
    "FROZEN": (
        _PLAIN_PACK,
        ("家庭装", "Family pack", "1.8"), ("量贩装", "Value pack", "2.6"), ("小份装", "Small pack", "0.6"),
        ("礼盒装", "Gift box", "3"), ("两件装", "2-pack", "1.9"), ("特惠装", "Special offer", "0.9"),
    ),
}


def variants(category: str) -> list[tuple[str, str, str]]:
    """The category's variants, (zh, en, price factor), the plain item excluded: edition ×
    pack; a case of 24 costs what 22 single bottles do, a gift box three."""
    out = []
    for (ezh, een), (pzh, pen, factor) in ((e, p) for e in EDITIONS[category]
                                           for p in PACKS[category]):
        if ezh or pzh:
            out.append((" ".join(x for x in (ezh, pzh) if x),
                        " ".join(x for x in (een, pen) if x), factor))
    return out


SUPPLIERS = (
    ("S001", "华润万家批发", "王经理", "021-5555-0101", 2),
    ("S002", "康师傅经销商", "李先生", "021-5555-0102", 3),
    ("S003", "可口可乐装瓶厂", "陈小姐", "021-5555-0103", 2),
    ("S004", "新鲜果蔬批发市场", "赵师傅", "021-5555-0104", 1),
    ("S005", "粮油总汇", "刘经理", "021-5555-0105", 5),
    ("S006", "日化用品公司", "孙小姐", "021-5555-0106", 4),
    ("S007", "乳业配送中心", "周先生", "021-5555-0107", 1),
    ("S008", "酒水批发部", "吴经理", "021-5555-0108", 3),
    ("S009", "商铺物业", "物业办", "021-5555-0109", 0),  # the landlord: rent and electricity
)

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林高罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛",
         "明", "超", "秀英", "华", "慧")
