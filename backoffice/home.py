"""The back office menu: what an owner, supervisor or accountant can open."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding
from textual.screen import Screen

from store.core.i18n import N_, _
from store.security import permissions
from store.security.auth import SessionUser
from tui.screens.menu import Entry, MenuScreen


def _catalog(user: SessionUser) -> Screen:
    from .catalog import CatalogScreen

    return CatalogScreen(user)


def _users(user: SessionUser) -> Screen:
    from .users import UsersScreen

    return UsersScreen(user)


def _devices(user: SessionUser) -> Screen:
    from .devices import DevicesScreen

    return DevicesScreen(user)


class SetupMenu(MenuScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]


def _allowed(user: SessionUser, entries: list[Entry]) -> list[Entry]:
    rules = permissions.policy()
    return [e for e in entries if not e.needs or any(rules.allows(user.role, p) for p in e.needs)]


def _register(name: str) -> Callable[[SessionUser], Screen]:
    def opens(user: SessionUser) -> Screen:
        from . import setup_registers
        from .registers import RegisterScreen

        return RegisterScreen(user, getattr(setup_registers, name))

    return opens


def _shop(user: SessionUser) -> Screen:
    from .forms import FormDialog
    from .setup_registers import change_shop, shop_fields

    fields = shop_fields()
    return FormDialog(_("The shop"), fields, lambda v: change_shop(user, fields, v))


def _import(user: SessionUser) -> Screen:
    from .import_view import ImportScreen

    return ImportScreen(user)


def _getting_started(user: SessionUser) -> Screen:
    from .getting_started import GettingStartedScreen

    return GettingStartedScreen(user)


def _jobs(user: SessionUser) -> Screen:
    from .jobs_view import JobsScreen

    return JobsScreen(user)


def _setup(user: SessionUser) -> Screen:
    # Users and Devices keep the keys 1 and 2 they had; the registers follow.
    entries = [Entry("users", N_("Users"), _users),
               Entry("devices", N_("Devices"), _devices),
               Entry("shop", N_("The shop: receipt details, tax, rounding, time zone"), _shop,
                     ("change_settings",)),
               Entry("warehouses", N_("Warehouses"), _register("WAREHOUSES"),
                     ("change_settings",)),
               Entry("tills", N_("Tills"), _register("TILLS"), ("change_settings",)),
               Entry("tenders", N_("Tenders"), _register("TENDERS"), ("change_settings",)),
               Entry("categories", N_("Categories"), _register("CATEGORIES"),
                     ("manage_catalog",)),
               Entry("units", N_("Units"), _register("UNITS"), ("manage_catalog",)),
               Entry("tax-rates", N_("Tax rates"), _register("TAX_RATES"), ("manage_catalog",)),
               Entry("suppliers", N_("Suppliers"), _register("SUPPLIERS"), ("purchase",)),
               # Past the tenth: no key of its own (arrows and Enter); a shop does these once.
               Entry("import", N_("Import a file: products, customers, suppliers, stock, "
                                  "balances"), _import),
               Entry("getting-started", N_("Setting up the shop"), _getting_started),
               Entry("jobs", N_("Scheduled jobs and connected channels"), _jobs,
                     ("change_settings",)),
               Entry("shops", N_("Shops of a chain"), _register("SHOPS"),
                     ("change_settings",))]
    return SetupMenu(user, _allowed(user, entries), _("Shop set-up"))


def _promotions(user: SessionUser) -> Screen:
    from .promotions_view import PromotionsScreen

    return PromotionsScreen(user)


def _customer_list(user: SessionUser) -> Screen:
    from .customers_view import CustomersScreen

    return CustomersScreen(user)


def _price_lists(user: SessionUser) -> Screen:
    from .customers_view import PriceListsScreen

    return PriceListsScreen(user)


def _customers(user: SessionUser) -> Screen:
    entries = [Entry("promotions", N_("Promotions"), _promotions, ("manage_promotions",)),
               Entry("customer-list", N_("Customers"), _customer_list),
               Entry("price-lists", N_("Price lists"), _price_lists, ("manage_prices",)),
               Entry("customer-groups", N_("Customer groups"), _register("CUSTOMER_GROUPS"),
                     ("manage_prices",)),
               Entry("fapiao", N_("发票 requests"), _fapiao, ("fapiao",)),
               Entry("vouchers", N_("Vouchers"), _vouchers, ("manage_promotions",)),
               Entry("cards", N_("Stored-value cards"), _cards, ("top_up_card", "view_reports"))]
    return SetupMenu(user, _allowed(user, entries), _("Customers, price lists and promotions"))


def _dashboard(user: SessionUser) -> Screen:
    from .dashboard import DashboardScreen

    return DashboardScreen(user)


def _reports(user: SessionUser) -> Screen:
    from .ledger_view import ReportsScreen

    return ReportsScreen(user)


def _purchasing(user: SessionUser) -> Screen:
    from .purchasing import OrdersScreen

    return OrdersScreen(user)


def _bills(user: SessionUser) -> Screen:
    from .payables_view import BillsScreen

    return BillsScreen(user)


def _accounts(user: SessionUser) -> Screen:
    from .receivables_view import CustomerAccountsScreen

    return CustomerAccountsScreen(user)


def _sales_orders(user: SessionUser) -> Screen:
    from .sales_orders import SalesOrdersScreen

    return SalesOrdersScreen(user)


def _vouchers(user: SessionUser) -> Screen:
    from .vouchers_view import VouchersScreen

    return VouchersScreen(user)


def _cards(user: SessionUser) -> Screen:
    from .cards_view import CardsScreen

    return CardsScreen(user)


def _fapiao(user: SessionUser) -> Screen:
    from .fapiao_view import FapiaoScreen

    return FapiaoScreen(user)


def _ledger(user: SessionUser) -> Screen:
    from .ledger_view import LedgerScreen

    return LedgerScreen(user)


ENTRIES = (
    Entry("dashboard", N_("Today's dashboard"), _dashboard, ("view_reports",)),
    Entry("reports", N_("Reports"), _reports, ("view_reports",)),
    Entry("purchasing", N_("Purchasing"), _purchasing, ("purchase",)),
    Entry("bills", N_("Supplier bills and payments"), _bills, ("bill", "pay_suppliers")),
    Entry("accounts", N_("Customer accounts"), _accounts, ("receive_payment",)),
    Entry("orders", N_("Sales orders and online channels"), _sales_orders,
          ("sell_orders", "ship_orders")),
    Entry("ledger", N_("Ledger"), _ledger, ("post_journal", "lock_period")),
    Entry("catalog", N_("Products"), _catalog),
    Entry("customers", N_("Customers, price lists and promotions"), _customers),
    Entry("setup", N_("Shop set-up"), _setup),
)


def entries_for(user: SessionUser) -> list[Entry]:
    """What this user's role may open (the store checks again when they act)."""
    return _allowed(user, list(ENTRIES))


class BackOfficeScreen(MenuScreen):
    """The back office menu; the dashboard opens over it first for those who may see it."""

    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"), id="back")]

    def __init__(self, user: SessionUser) -> None:
        super().__init__(user, entries_for(user), _("Back office"))

    def on_mount(self) -> None:
        super().on_mount()
        if self.entries and self.entries[0].id == "dashboard":
            self.app.push_screen(_dashboard(self.user))
