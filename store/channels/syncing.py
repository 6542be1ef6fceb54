"""One entry for every connected channel, whatever API it speaks: a sync and a check."""

from __future__ import annotations

from typing import Any

from store.channels import shopify_api, taobao_api
from store.channels.base import SyncReport
from store.security.auth import SessionUser


def sync(actor: SessionUser, link: Any, **options: Any) -> SyncReport:
    module: Any = shopify_api if link.kind == "shopify" else taobao_api
    report: SyncReport = module.sync(actor, link, **options)
    return report


def check(link: Any) -> str:
    """One call that proves the credentials: what the channel answered, in a few words."""
    if link.kind == "shopify":
        data = shopify_api.client_for(link, retries=0).query("query { shop { name } }", {})
        return str((data.get("shop") or {}).get("name", ""))
    return str(taobao_api.check(link))
