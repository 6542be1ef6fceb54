"""The demo's web shop (`zhanggui demo --simulate`): the demo connected to local simulators
of Taobao's open platform and 快递100, its jobs run often enough to watch orders arrive."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from store.channels import links
from store.jobs import schedule
from store.models import Product
from store.security import auth
from store.security.auth import SessionUser


@dataclass(frozen=True)
class Listed:
    sku: str
    name: str
    price: Decimal


def owner() -> SessionUser:
    """The demo's owner (its PIN is printed on the login screen's hint)."""
    return auth.authenticate("owner", "8888")


def listed(count: int = 24) -> list[Listed]:
    """Some of the demo's stocked goods, as its web shop lists them."""
    rows = (Product.select(Product.sku, Product.name, Product.price)
            .where(Product.active & Product.stock_tracked & ~Product.sold_by_weight)
            .order_by(Product.id).limit(count))
    return [Listed(p.sku, p.name, p.price) for p in rows]


def connect(actor: SessionUser, *, top_url: str, top_keys: dict[str, str], courier_url: str,
            courier_keys: dict[str, str]) -> None:
    """Taobao and 快递100 connected to the simulators (again: their ports change each run);
    orders synced every minute and parcels followed every two; the nightly backup off (the
    owner turns it on in the Jobs screen)."""
    for view in links.links():
        if view.name in ("taobao", "kuaidi100"):
            links.remove_link(actor, view.name)
    links.add_link(actor, "taobao", url=top_url, secrets=top_keys)
    links.add_link(actor, "kuaidi100", url=courier_url, secrets=courier_keys)
    schedule.change(actor, "channels", every=1)
    schedule.change(actor, "tracking", every=2)
    schedule.change(actor, "backup", enabled=False)
