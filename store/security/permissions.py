"""Who may do what: a role → permission matrix and per-role discount limits, kept in the
database and editable by the owner. Every check is made here, in the store, so a script or a
new screen cannot skip it; screens only hide what is not allowed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from store.common import settings
from store.core.db import unit_of_work
from store.core.errors import PermissionDenied, ValidationError
from store.core.i18n import N_, _
from store.models import ROLES
from store.security import audit
from store.security.auth import SessionUser

PERMISSIONS: dict[str, str] = {
    "price_override": N_("Override a price"),
    "price_below_cost": N_("Sell below cost"),
    "discount": N_("Discount beyond the role's limit"),
    "refund": N_("Take goods back and refund"),
    "refund_to_cash": N_("Refund a card or mobile payment in cash"),
    "no_sale": N_("Open the drawer with no sale"),
    "cancel_sale": N_("Cancel a sale"),
    "void": N_("Remove a scanned line from the basket"),
    "top_up_card": N_("Open and top up stored-value cards"),
    "cash_out_card": N_("Close a stored-value card and give back what was paid onto it"),
    "manage_promotions": N_("Create, start and end promotions"),
    "manage_prices": N_("Change shelf prices; create price lists and change their prices"),
    "manage_catalog": N_("Add and edit products, categories, units and tax rates"),
    "close_stale_shift": N_("Close a shift left open from an earlier day"),
    "add_product": N_("Add a product at the till"),
    "unlock_user": N_("Unlock an account locked by wrong PINs"),
    "receive": N_("Receive goods"),
    "receive_without_order": N_("Receive goods without a purchase order"),
    "receive_exceptions": N_("Receive more than ordered, goods not ordered, or at a cost far "
                             "from the usual"),
    "transfer": N_("Move stock between warehouses"),
    "count": N_("Start and scan stock counts"),
    "approve_count": N_("Approve and post a stock count"),
    "purchase": N_("Create and send purchase orders"),
    "sell_orders": N_("Take, confirm, invoice and cancel sales orders"),
    "ship_orders": N_("Pick and ship sales orders"),
    "import_orders": N_("Import orders and tracking numbers from online channels"),
    "export_customer_data": N_("Export customers' names, phones and addresses"),
    "change_settings": N_("Change the shop's settings and warehouses"),
    "manage_users": N_("Add users and change their PINs"),
    "bill": N_("Enter supplier bills"),
    "credit_limit": N_("Sell on account beyond the customer's credit limit"),
    "receive_payment": N_("Take customers' payments on account"),
    "pay_suppliers": N_("Pay suppliers"),
    "return_to_supplier": N_("Send goods back to a supplier: out of stock, and a debit note or "
                             "a refund"),
    "post_journal": N_("Post and reverse journal entries; edit the chart of accounts"),
    "lock_period": N_("Lock and unlock months of the books"),
    "view_reports": N_("See reports and the dashboard"),
    "review_offline": N_("Look at sales tills made offline and mark them seen"),
    "fapiao": N_("Issue 发票: export requests, record their numbers, mark them sent"),
    "manage_permissions": N_("Change permissions and limits"),
}

_TILL = {"price_override", "price_below_cost", "discount", "refund", "refund_to_cash",
         "no_sale", "cancel_sale", "close_stale_shift", "add_product", "unlock_user", "void"}
_STOCK = {"receive", "transfer", "count", "ship_orders"}
DEFAULT_MATRIX: dict[str, set[str]] = {
    "cashier": {"cancel_sale", "void", "top_up_card"},  # a refund takes a supervisor (issue 14.7)
    "supervisor": _TILL | _STOCK | {"receive_without_order", "receive_exceptions",
                                    "approve_count", "purchase",
                                    "view_reports", "credit_limit", "receive_payment",
                                    "sell_orders", "import_orders", "export_customer_data",
                                    "manage_promotions", "manage_prices",
                                    "manage_catalog", "review_offline", "fapiao",
                                    "return_to_supplier", "top_up_card", "cash_out_card"},
    "warehouse": set(_STOCK),
    "accountant": {"purchase", "bill", "pay_suppliers", "post_journal", "lock_period",
                   "view_reports", "receive_payment", "fapiao", "return_to_supplier"},
    "owner": set(PERMISSIONS),
}
# The permissions of the version that first saved matrices (without a "known" list).
_FIRST_PERMISSIONS = _TILL | {"manage_permissions"}
# The largest discount (percent of a line's price) a role may give without approval.
DEFAULT_DISCOUNT_LIMITS: dict[str, int] = {"cashier": 10, "supervisor": 50, "warehouse": 0,
                                           "accountant": 0, "owner": 100}
SETTING_KEY = "permissions"


@dataclass(frozen=True)
class Policy:
    matrix: dict[str, frozenset[str]]
    discount_limits: dict[str, Decimal]

    def allows(self, role: str, permission: str) -> bool:
        # The owner can always change permissions: nobody can lock the shop out of itself.
        if role == "owner" and permission == "manage_permissions":
            return True
        return permission in self.matrix.get(role, frozenset())

    def discount_limit(self, role: str) -> Decimal:
        return self.discount_limits.get(role, Decimal(0))


def policy() -> Policy:
    matrix = {r: set(p) for r, p in DEFAULT_MATRIX.items()}
    limits = {r: Decimal(v) for r, v in DEFAULT_DISCOUNT_LIMITS.items()}
    stored = settings.read(SETTING_KEY)
    if stored is not None:
        # A permission added by a later version than the one that saved the matrix keeps its
        # default for every role: the owner never decided about it.
        known = set(stored.get("known", _FIRST_PERMISSIONS))
        for role, perms in stored.get("matrix", {}).items():
            newer = {p for p in matrix.get(role, set()) if p not in known}
            matrix[role] = {p for p in perms if p in PERMISSIONS} | newer
        for role, pct in stored.get("discount_limits", {}).items():
            limits[role] = Decimal(str(pct))
    return Policy({r: frozenset(p) for r, p in matrix.items()}, limits)


def allowed(user: SessionUser, permission: str) -> bool:
    return policy().allows(user.role, permission)


def check(user: SessionUser, permission: str, *, terminal: str = "", reference: str = "") -> None:
    """Raise (and record) PermissionDenied unless the user's role allows it."""
    if not allowed(user, permission):
        raise denied(user, permission, terminal=terminal, reference=reference)


@unit_of_work
def check_apart(user: SessionUser, permission: str, *, reference: str = "") -> None:
    """check() in a transaction of its own, for a caller that is not in one yet (an import
    checks before it reads the file): a refusal is still recorded in the audit chain."""
    check(user, permission, reference=reference)


def refusal(user: SessionUser, permission: str) -> PermissionDenied:
    """The words of a refusal a supervisor can lift (recorded by the caller)."""
    return PermissionDenied(_("{user} may not: {what}. A supervisor can approve it.").format(
        user=user.display_name, what=_(PERMISSIONS[permission])), permission=permission)


def denied(user: SessionUser, permission: str, *, terminal: str = "",
           reference: str = "") -> PermissionDenied:
    """The refusal, to raise; it records itself in the audit chain after the rollback."""
    err = refusal(user, permission)
    err.after_rollback = audit.record_apart(
        "permission_denied", {"permission": permission, "role": user.role},
        user_id=user.id, terminal=terminal, reference=reference)
    return err


def _save(p: Policy) -> None:
    settings.write(SETTING_KEY, {"known": sorted(PERMISSIONS),
                                 "matrix": {r: sorted(v) for r, v in p.matrix.items()},
                                 "discount_limits": {r: str(v) for r, v in p.discount_limits.items()}})


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError(_("role: unknown role '{value}' (use one of: {roles})").format(
            value=role, roles=", ".join(ROLES)), field="role", value=role)


@unit_of_work
def set_permission(actor: SessionUser, role: str, permission: str, allow: bool) -> Policy:
    if not allowed(actor, "manage_permissions"):
        raise denied(actor, "manage_permissions")
    _check_role(role)
    if permission not in PERMISSIONS:
        raise ValidationError(_("permission: unknown permission '{value}' (use one of: "
                                "{names})").format(value=permission,
                                                   names=", ".join(PERMISSIONS)),
                              field="permission", value=permission)
    p = policy()
    perms = set(p.matrix.get(role, frozenset()))
    (perms.add if allow else perms.discard)(permission)
    new = Policy({**p.matrix, role: frozenset(perms)}, p.discount_limits)
    _save(new)
    audit.record("permission_change", {"role": role, "permission": permission, "allow": allow},
                 user_id=actor.id)
    return new


@unit_of_work
def set_discount_limit(actor: SessionUser, role: str, percent: Decimal) -> Policy:
    if not allowed(actor, "manage_permissions"):
        raise denied(actor, "manage_permissions")
    _check_role(role)
    if not Decimal(0) <= percent <= Decimal(100):
        raise ValidationError(_("discount limit: '{value}' must be 0 to 100").format(
            value=percent), field="discount_limit", value=percent)
    p = policy()
    new = Policy(p.matrix, {**p.discount_limits, role: percent})
    _save(new)
    audit.record("permission_change", {"role": role, "discount_limit": str(percent)},
                 user_id=actor.id)
    return new
