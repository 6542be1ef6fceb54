"""One entry for every connected channel, whatever API it speaks: a sync and a check."""

from __future__ import annotations

from typing import Any

from store.channels import shopify_api, taobao_api, top, tracking
from store.channels.base import SyncReport
from store.core.errors import ValidationError
from store.core.i18n import _
from store.security.auth import SessionUser


def sync(actor: SessionUser, link: Any, **options: Any) -> SyncReport:
    if tracking.is_courier(link.kind):
        raise ValidationError(_("{name} is a courier's API: it follows parcels (`zhanggui jobs "
                                "run tracking`), it has no orders to sync").format(
                                    name=link.name), field="name", value=link.name)
    module: Any = shopify_api if link.kind == "shopify" else taobao_api
    report: SyncReport = module.sync(actor, link, **options)
    return report


def check(link: Any) -> str:
    """One call that proves the credentials: what the channel answered, in a few words."""
    if tracking.is_courier(link.kind):
        return tracking.check(link)
    if link.kind == "shopify":
        data = shopify_api.client_for(link, retries=0).query("query { shop { name } }", {})
        return str((data.get("shop") or {}).get("name", ""))
    return str(taobao_api.check(link))


def default_url(kind: str, shop: str = "") -> str:
    """Where a kind's API is when the merchant gives no address ("" when it has no default)."""
    if kind == "shopify":
        return (f"https://{shop.strip()}/admin/api/{shopify_api.VERSION}/graphql.json"
                if shop.strip() else "")
    if kind in ("taobao", "tmall"):
        return top.DEFAULT_URL
    return tracking.DEFAULT_URL if kind == "kuaidi100" else ""


def credentials(kind: str, ident: str, secret: str, session: str = "") -> dict[str, str]:
    """The back office's three fields as the credentials a built-in kind needs: an id (app
    key, 快递100 customer), a secret (app secret, access token, key), a session (Taobao)."""
    if kind == "shopify":
        return {"token": secret}
    if kind == "kuaidi100":
        return {"customer": ident, "key": secret}
    return {"app_key": ident, "app_secret": secret, "session": session}
