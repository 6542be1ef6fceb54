"""Finding a channel's connector by name: the built-in file importers, or a plug-in's
(entry-point group `zhanggui.channels`)."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from store.channels.base import Connector
from store.core.errors import NotFound
from store.core.i18n import _


def connector(name: str, **options: Any) -> Connector:
    """A channel's connector by name: built in (taobao, shopify) or a plug-in's."""
    # Here, not at the top: every `zhanggui` command builds its parser, which imports this
    # module; only an import of orders needs the connectors themselves.
    from store.channels import shopify, taobao

    builtin: dict[str, Any] = {"taobao": taobao.TaobaoFiles, "tmall": taobao.TaobaoFiles,
                               "shopify": shopify.ShopifyFile}
    make = builtin.get(name)
    if make is None:
        for ep in entry_points(group="zhanggui.channels"):
            if ep.name == name:
                make = ep.load()
                break
    if make is None:
        raise NotFound(_("No channel '{name}' (built in: {names})").format(
            name=name, names=", ".join(sorted(builtin))))
    return make(**options) if name != "tmall" else make(channel="tmall", **options)
