"""`zhanggui purchase|suppliers|bills|pay|payables …`: orders, reorder suggestions, the
products suppliers sell, supplier bills, payments, aging and statements (returns to
suppliers: supplier_returns.py)."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from store.buying import payables, purchasing, receiving, reorder, suppliers
from store.buying.payables import BillLineInput
from store.buying.purchasing import OrderLineInput
from store.common import clock
from store.core import files
from store.core.config import Config
from store.core.errors import ValidationError
from store.core.i18n import _
from store.core.money import format_money, format_qty
from store.customers import parties

from . import master, supplier_returns
from .common import acting_user, open_db, parse_date, print_json, print_table

ACTOR_HELP = "who does it (asks for the PIN or password)"


def _actor_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="actor", required=True, metavar="USER", help=_(ACTOR_HELP))


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("purchase", help=_("purchase orders and reorder suggestions"))
    psub = p.add_subparsers(dest="purchase_command", metavar=_("COMMAND"), required=True)
    ls = psub.add_parser("list", help=_("purchase orders, newest first"))
    ls.add_argument("--status", default="", help=_("draft, open, ordered, partial, received, "
                                                   "billed, closed or cancelled"))
    ls.add_argument("--supplier", default="", metavar="CODE")
    ls.add_argument("--json", action="store_true", help=_("print JSON"))
    ls.set_defaults(func=cmd_list)
    sh = psub.add_parser("show", help=_("one order with ordered, received and billed"))
    sh.add_argument("number")
    sh.add_argument("--json", action="store_true", help=_("print JSON"))
    sh.set_defaults(func=cmd_show)
    cr = psub.add_parser("create", help=_("a new order (sent, or --draft)"))
    cr.add_argument("--supplier", required=True, metavar="CODE")
    cr.add_argument("--warehouse", required=True, metavar="CODE")
    cr.add_argument("--line", action="append", required=True, metavar="SKU:QTY[:COST]",
                    help=_("a product, its quantity and unit cost (default: the last price)"))
    cr.add_argument("--draft", action="store_true", help=_("keep it a draft to edit"))
    _actor_arg(cr)
    cr.set_defaults(func=cmd_create)
    se = psub.add_parser("send", help=_("send a draft to the supplier"))
    se.add_argument("number")
    _actor_arg(se)
    se.set_defaults(func=cmd_send)
    rc = psub.add_parser("receive", help=_("receive an order in one step: all that is still "
                                           "expected, or the quantities given"))
    rc.add_argument("number")
    rc.add_argument("--qty", action="append", default=[], metavar="SKU=QTY",
                    help=_("only this much of a product (repeat for more)"))
    rc.add_argument("--warehouse", default="", metavar="CODE",
                    help=_("into another warehouse than the order's"))
    _actor_arg(rc)
    rc.set_defaults(func=cmd_receive)
    for name, helptext in (("cancel", _("cancel an order nothing arrived on")),
                           ("close", _("close a partly received order: the rest will not "
                                       "come"))):
        c = psub.add_parser(name, help=helptext)
        c.add_argument("number")
        c.add_argument("--reason", required=True)
        _actor_arg(c)
        c.set_defaults(func=cmd_cancel if name == "cancel" else cmd_close)
    ex = psub.add_parser("export", help=_("the order for the supplier: CSV or a ticket"))
    ex.add_argument("number")
    ex.add_argument("--format", dest="fmt", choices=["csv", "txt"], default="csv")
    ex.add_argument("--out", metavar="FILE", help=_("default: print it"))
    ex.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    ex.set_defaults(func=cmd_export)
    sg = psub.add_parser("suggest", help=_("what to reorder, from the reorder rules and sales"))
    sg.add_argument("--warehouse", default="", metavar="CODE")
    sg.add_argument("--shop", default="", metavar="SHOP",
                    help=_("the warehouses of one shop of a chain"))
    sg.add_argument("--days", type=int, default=28, help=_("sales of the last N days"))
    sg.add_argument("--create", action="store_true", help=_("make draft orders, one per "
                                                            "supplier (needs --as)"))
    sg.add_argument("--as", dest="actor", metavar="USER", help=_(ACTOR_HELP))
    sg.add_argument("--json", action="store_true", help=_("print JSON"))
    sg.set_defaults(func=cmd_suggest)
    mt = psub.add_parser("match", help=_("order, receipts and bills side by side"))
    mt.add_argument("number")
    mt.add_argument("--json", action="store_true", help=_("print JSON"))
    mt.set_defaults(func=cmd_match)
    supplier_returns.add_parsers(psub)

    s = sub.add_parser("suppliers", help=_("suppliers and the products they sell"))
    ssub = s.add_subparsers(dest="suppliers_command", metavar=_("COMMAND"), required=True)
    sl = ssub.add_parser("list", help=_("suppliers"))
    sl.add_argument("--json", action="store_true", help=_("print JSON"))
    sl.set_defaults(func=cmd_suppliers)
    sn = ssub.add_parser("add", help=_("add a supplier"))
    sn.add_argument("code", metavar="CODE")
    sn.add_argument("name", metavar="NAME")
    sn.add_argument("--contact", default="", metavar="NAME", help=_("the person to call"))
    sn.add_argument("--phone", default="", help=_("the supplier's business phone"))
    sn.add_argument("--terms-days", type=int, default=30, metavar="DAYS",
                    help=_("days after the bill's date to pay it (default 30)"))
    sn.add_argument("--lead-days", type=int, default=3, metavar="DAYS",
                    help=_("days from order to delivery (default 3)"))
    _actor_arg(sn)
    sn.set_defaults(func=cmd_suppliers_add)
    master.add_supplier_parsers(ssub)
    sp = ssub.add_parser("products", help=_("what a supplier sells"))
    sp.add_argument("supplier")
    sp.add_argument("--json", action="store_true", help=_("print JSON"))
    sp.set_defaults(func=cmd_supplier_products)
    sa = ssub.add_parser("set-product", help=_("record a product a supplier sells"))
    sa.add_argument("supplier")
    sa.add_argument("sku")
    sa.add_argument("--supplier-sku", default="")
    sa.add_argument("--price")
    sa.add_argument("--lead-days", type=int)
    sa.add_argument("--pack", default="1")
    sa.add_argument("--preferred", action="store_true")
    _actor_arg(sa)
    sa.set_defaults(func=cmd_set_product)
    st = ssub.add_parser("terms", help=_("days to pay and days to deliver"))
    st.add_argument("supplier")
    st.add_argument("--payment-days", type=int)
    st.add_argument("--lead-days", type=int)
    _actor_arg(st)
    st.set_defaults(func=cmd_terms)

    b = sub.add_parser("bills", help=_("supplier bills"))
    bsub = b.add_subparsers(dest="bills_command", metavar=_("COMMAND"), required=True)
    bl = bsub.add_parser("list", help=_("bills, newest first"))
    bl.add_argument("--supplier", default="", metavar="CODE")
    bl.add_argument("--open", action="store_true", help=_("only those not paid in full"))
    bl.add_argument("--json", action="store_true", help=_("print JSON"))
    bl.set_defaults(func=cmd_bills)
    bs = bsub.add_parser("show", help=_("one bill with its lines"))
    bs.add_argument("number")
    bs.add_argument("--json", action="store_true", help=_("print JSON"))
    bs.set_defaults(func=cmd_bill_show)
    bu = bsub.add_parser("unbilled", help=_("goods received from a supplier and not billed"))
    bu.add_argument("supplier")
    bu.add_argument("--json", action="store_true", help=_("print JSON"))
    bu.set_defaults(func=cmd_unbilled)
    bp = bsub.add_parser("post", help=_("enter a supplier's invoice"))
    bp.add_argument("supplier")
    bp.add_argument("ref", help=_("the supplier's invoice number"))
    bp.add_argument("--goods", action="append", default=[], metavar="LINE[:QTY[:PRICE]]",
                    help=_("a line of `bills unbilled`; QTY and PRICE default to all of it "
                           "at the received cost"))
    bp.add_argument("--all-unbilled", action="store_true",
                    help=_("bill everything received and not billed, at the received cost"))
    bp.add_argument("--expense", action="append", default=[], metavar="ACCOUNT:AMOUNT[:TEXT]")
    bp.add_argument("--tax", default="0", help=_("the invoice's input VAT"))
    bp.add_argument("--date", metavar="YYYY-MM-DD", help=_("the invoice's date (default: "
                                                          "today)"))
    bp.add_argument("--due", metavar="YYYY-MM-DD", help=_("default: after the supplier's "
                                                         "payment days"))
    _actor_arg(bp)
    bp.set_defaults(func=cmd_bill_post)

    pay = sub.add_parser("pay", help=_("pay a supplier"))
    pay.add_argument("supplier")
    pay.add_argument("amount")
    pay.add_argument("--account", default="1002", help=_("pay from: 1001 cash, 1002 bank, "
                                                         "1012 WeChat/Alipay"))
    pay.add_argument("--bill", action="append", default=[], metavar="NUMBER",
                     help=_("these bills (default: the oldest due first)"))
    pay.add_argument("--prepayment", action="store_true",
                     help=_("allow paying more than is owed: the rest is a prepayment"))
    pay.add_argument("--reference", default="")
    pay.add_argument("--date", metavar="YYYY-MM-DD")
    _actor_arg(pay)
    pay.set_defaults(func=cmd_pay)

    ap = sub.add_parser("payables", help=_("what the shop owes its suppliers"))
    apsub = ap.add_subparsers(dest="payables_command", metavar=_("COMMAND"), required=True)
    ag = apsub.add_parser("aging", help=_("owed per supplier by days overdue"))
    ag.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD")
    ag.add_argument("--json", action="store_true", help=_("print JSON"))
    ag.set_defaults(func=cmd_aging)
    stm = apsub.add_parser("statement", help=_("a supplier's bills and payments"))
    stm.add_argument("supplier")
    stm.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    stm.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    stm.add_argument("--json", action="store_true", help=_("print JSON"))
    stm.set_defaults(func=cmd_statement)


def _order_json(v: purchasing.OrderView) -> dict[str, Any]:
    return {**dataclasses.asdict(v), "total": v.total}


def cmd_list(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = purchasing.orders(status=args.status, supplier_code=args.supplier)
    if args.json:
        print_json([_order_json(v) for v in rows])
        return 0
    print_table([_("Order"), _("Status"), _("Supplier"), _("Warehouse"), _("Total"), _("Name")],
                [(v.number, _(v.status), v.supplier_code, v.warehouse_code,
                  format_money(v.total), v.supplier_name) for v in rows], right={4})
    return 0


def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = purchasing.get_order(args.number)
    if args.json:
        print_json(_order_json(v))
        return 0
    print(f"{v.number}  {_(v.status)}  {v.supplier_code} {v.supplier_name} → {v.warehouse_code}")
    for ln in v.lines:
        print(f"  {ln.sku:12} {ln.name[:20]:20} {format_qty(ln.qty):>8} × {ln.unit_cost:.2f} "
              + _("received {received}, billed {billed}").format(
                  received=format_qty(ln.received), billed=format_qty(ln.billed)))
    print("  " + _("Total {total}").format(total=format_money(v.total)))
    return 0


def _order_lines(specs: list[str]) -> list[OrderLineInput]:
    out = []
    for spec in specs:
        parts = spec.split(":")
        if len(parts) not in (2, 3) or not parts[0]:
            raise ValidationError(_("--line: '{value}' is not SKU:QTY[:COST]").format(
                value=spec), field="line", value=spec)
        out.append(OrderLineInput(parts[0], parts[1], parts[2] if len(parts) == 3 else None))
    return out


def cmd_create(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = purchasing.create_order(acting_user(args.actor), args.supplier, args.warehouse,
                                _order_lines(args.line), send=not args.draft)
    print(_("{number} ({status}): {total}").format(number=v.number, status=_(v.status),
                                                   total=format_money(v.total)))
    return 0


def cmd_send(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = purchasing.send_order(acting_user(args.actor), args.number)
    print(_("{number} ({status}): {total}").format(number=v.number, status=_(v.status),
                                                   total=format_money(v.total)))
    return 0


def cmd_receive(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    quantities: dict[str, str] | None = None
    if args.qty:
        quantities = {}
        for item in args.qty:
            sku, sep, qty = item.partition("=")
            if not sep or not sku.strip() or sku.strip() in quantities:
                raise ValidationError(_("--qty: '{value}' is not SKU=QTY, or its SKU is given "
                                        "twice").format(value=item), field="qty", value=item)
            quantities[sku.strip()] = qty
    v = receiving.receive_order(acting_user(args.actor), args.number, quantities,
                                warehouse_code=args.warehouse)
    print(_("{number} posted: {qty} units into {warehouse}, {value}").format(
        number=v.number, qty=format_qty(v.total_qty), warehouse=v.warehouse_code,
        value=format_money(v.value)))
    return 0


def cmd_cancel(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    purchasing.cancel_order(acting_user(args.actor), args.number, args.reason)
    print(_("{number} cancelled").format(number=args.number))
    return 0


def cmd_close(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = purchasing.short_close(acting_user(args.actor), args.number, args.reason)
    print(_("{number} ({status}): {total}").format(number=v.number, status=_(v.status),
                                                   total=format_money(v.total)))
    return 0


def cmd_export(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    text = purchasing.export_order(args.number, args.fmt)
    if not args.out:
        print(text, end="")
        return 0
    files.write_text(args.out, text, force=args.force)
    print(_("Wrote {path}").format(path=args.out))
    return 0


def cmd_suggest(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = reorder.suggestions(warehouse_code=args.warehouse, days=args.days, shop=args.shop)
    if args.create:
        if not args.actor:
            raise ValidationError(_("--create needs --as USER"), field="as", value="")
        made = reorder.draft_orders(acting_user(args.actor), rows)
        for v in made:
            print(_("{number} ({status}): {total}").format(number=v.number, status=_(v.status),
                                                           total=format_money(v.total)))
        left = [r for r in rows if not r.supplier_code]
        if left:
            print(_("No supplier for: {skus}").format(skus=", ".join(r.sku for r in left)))
        return 0
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    for r in rows:
        print(f"{r.supplier_code or '—':8} {r.sku:12} {r.warehouse:6} "
              + _("on hand {have}, on order {coming}, {daily}/day: order {qty}").format(
                  have=format_qty(r.on_hand), coming=format_qty(r.on_order),
                  daily=format_qty(r.daily_sales), qty=format_qty(r.qty)) + f"  {r.name}")
    return 0


def cmd_match(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = purchasing.match(args.number)
    if args.json:
        print_json([{**dataclasses.asdict(m), "qty_difference": m.qty_difference,
                     "billed_price": m.billed_price, "price_difference": m.price_difference}
                    for m in rows])
        return 0
    for m in rows:
        print(f"{m.sku:12} " + _("ordered {o} @ {p}, received {r}, billed {b} for {a}").format(
            o=format_qty(m.ordered), p=f"{m.order_price:.2f}", r=format_qty(m.received),
            b=format_qty(m.billed), a=format_money(m.billed_amount))
            + (_("; {qty} sent back").format(qty=format_qty(m.returned))
               if m.returned else ""))
    return 0


def cmd_suppliers(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = [{"code": s.code, "name": s.name, "contact": s.contact, "phone": s.phone,
             "lead_time_days": s.lead_time_days, "payment_days": s.payment_days}
            for s in suppliers.suppliers()]
    if args.json:
        print_json(rows)
        return 0
    print_table([_("Code"), _("Name")], [(r["code"], r["name"]) for r in rows])
    return 0


def cmd_suppliers_add(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    s = parties.add_supplier(acting_user(args.actor), args.code, args.name, contact=args.contact,
                             phone=args.phone, payment_days=args.terms_days,
                             lead_time_days=args.lead_days)
    print(_("Supplier {code} {name} added: pay in {days} days, delivery in {lead} days").format(
        code=s.code, name=s.name, days=s.payment_days, lead=s.lead_time_days))
    return 0


def cmd_supplier_products(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = suppliers.products_of(args.supplier)
    if args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    print_table([_("SKU"), _("Supplier's code"), _("Last price"), _("Name")],
                [(r.sku, r.supplier_sku, format_money(r.last_price) if r.last_price else "",
                  r.name) for r in rows], right={2})
    return 0


def cmd_set_product(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    suppliers.set_product(acting_user(args.actor), args.supplier, args.sku,
                          supplier_sku=args.supplier_sku, price=args.price,
                          lead_time_days=args.lead_days, pack_qty=args.pack,
                          preferred=args.preferred)
    print(_("{supplier} sells {sku}").format(supplier=args.supplier, sku=args.sku))
    return 0


def cmd_terms(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    actor = acting_user(args.actor)
    if args.payment_days is None and args.lead_days is None:  # nothing to change: shown
        s = suppliers.get_supplier(args.supplier)
    else:
        s = parties.change_supplier(actor, args.supplier, payment_days=args.payment_days,
                                    lead_time_days=args.lead_days)
    print(_("{supplier}: pay within {pay} days, delivers in {lead} days").format(
        supplier=s.code, pay=s.payment_days, lead=s.lead_time_days))
    return 0


def _bill_json(v: payables.BillView) -> dict[str, Any]:
    return {**dataclasses.asdict(v), "open": v.open}


def cmd_bills(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = payables.bills(supplier_code=args.supplier, open_only=args.open)
    if args.json:
        print_json([_bill_json(v) for v in rows])
        return 0
    print_table([_("Bill"), _("Supplier"), _("Their number"), _("Due"), _("Total"),
                 _("Open amount"), _("Status")],
                [(v.number, v.supplier_code, v.supplier_ref, v.due_date, format_money(v.total),
                  format_money(v.open), _(v.status)) for v in rows], right={4, 5})
    return 0


def cmd_bill_show(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    v = payables.bill_view(args.number)
    if args.json:
        print_json(_bill_json(v))
        return 0
    print(f"{v.number} {v.supplier_code} {v.supplier_ref} {v.bill_date} → {v.due_date} "
          f"{_(v.status)}")
    if v.opening:
        print("  " + _("Opening balance"))
    for ln in v.lines:
        print(f"  {ln.sku or ln.account:10} {ln.description[:24]:24} {format_qty(ln.qty):>8} "
              f"{format_money(ln.amount):>12}")
    print("  " + _("net {net}  tax {tax}  total {total}  paid {paid}").format(
        net=v.net, tax=v.tax, total=v.total, paid=v.paid))
    return 0


def cmd_unbilled(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    rows = payables.unbilled(args.supplier)
    if args.json:
        print_json([dataclasses.asdict(u) for u in rows])
        return 0
    print_table([_("Line"), _("Receipt"), _("Received"), _("SKU"), _("Qty"), _("Unit cost"),
                 _("Name")],
                [(u.receipt_line_id, u.receipt, u.received_on, u.sku, format_qty(u.qty),
                  f"{u.unit_cost:.2f}", u.name) for u in rows], right={0, 4, 5})
    return 0


def _bill_lines(args: argparse.Namespace) -> list[BillLineInput]:
    lines = []
    if args.all_unbilled:
        lines += [BillLineInput(u.receipt_line_id) for u in payables.unbilled(args.supplier)]
    for spec in args.goods:
        parts = spec.split(":")
        if not parts[0].isdigit() or len(parts) > 3:
            raise ValidationError(_("--goods: '{value}' is not LINE[:QTY[:PRICE]]").format(
                value=spec), field="goods", value=spec)
        lines.append(BillLineInput(int(parts[0]), parts[1] if len(parts) > 1 else None,
                                   parts[2] if len(parts) > 2 else None))
    for spec in args.expense:
        parts = spec.split(":", 2)
        if len(parts) < 2:
            raise ValidationError(_("--expense: '{value}' is not ACCOUNT:AMOUNT[:TEXT]").format(
                value=spec), field="expense", value=spec)
        lines.append(BillLineInput(account=parts[0], amount=parts[1],
                                   description=parts[2] if len(parts) > 2 else ""))
    return lines


def cmd_bill_post(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    due = parse_date(args.due, "--due") if args.due else None
    v = payables.post_bill(user, args.supplier, args.ref, _bill_lines(args),
                           bill_date=parse_date(args.date, "--date", clock.local_today()),
                           tax=args.tax, due_date=due)
    print(_("{number}: {total}, due {due}").format(number=v.number,
                                                   total=format_money(v.total), due=v.due_date))
    for ln in v.lines:
        if ln.price_difference:
            print("  " + _("{sku}: billed {difference} beyond what it was received at").format(
                sku=ln.sku, difference=format_money(ln.price_difference)))
    return 0


def cmd_pay(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    user = acting_user(args.actor)
    v = payables.pay(user, args.supplier, args.amount, account=args.account,
                     day=parse_date(args.date, "--date", clock.local_today()),
                     reference=args.reference, bills=args.bill, prepayment=args.prepayment)
    print(_("{number}: {amount} to {supplier}").format(number=v.number,
                                                       amount=format_money(v.amount),
                                                       supplier=v.supplier_code))
    for bill, amount in v.allocations:
        print(f"  {bill:12} {format_money(amount):>12}")
    if v.unallocated:
        print("  " + _("prepayment {amount}").format(amount=format_money(v.unallocated)))
    return 0


def cmd_aging(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    day = parse_date(args.as_of, "--as-of", clock.local_today())
    rows = payables.aging(day)
    if args.json:
        print_json({"as_of": day, "suppliers": [
            {"code": r.code, "name": r.name,
             "not_due": r.buckets[0], "1_30": r.buckets[1], "31_60": r.buckets[2],
             "61_90": r.buckets[3], "over_90": r.buckets[4], "total": r.total} for r in rows]})
        return 0
    print(f"{'':8} {_('Not due'):>12} {'1–30':>12} {'31–60':>12} {'61–90':>12} {'90+':>12}")
    for r in rows:
        print(f"{r.code:8} " + " ".join(f"{format_money(b):>12}" for b in r.buckets))
    return 0


def cmd_statement(args: argparse.Namespace, cfg: Config) -> int:
    open_db(cfg)
    start = parse_date(args.start, "--from") if args.start else None
    end = parse_date(args.end, "--to") if args.end else None
    before, lines = payables.statement(args.supplier, start, end)
    if args.json:
        print_json({"brought_forward": before, "lines": [dataclasses.asdict(ln) for ln in lines]})
        return 0
    print(_("Brought forward {amount}").format(amount=format_money(before)))
    for ln in lines:
        print(f"{ln.date} {ln.document:12} {ln.description[:16]:16} "
              f"{format_money(ln.charge) if ln.charge else '':>12} "
              f"{format_money(ln.payment) if ln.payment else '':>12} "
              f"{format_money(ln.balance):>12}")
    return 0
