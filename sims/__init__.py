"""Local servers that speak outside services' published protocols — Taobao's open platform
router, Shopify's Admin GraphQL endpoint, 快递100's query API — written from their documents,
not from our clients. The tests run the clients against them; `zhanggui demo --simulate`
runs them so an owner can watch online orders arrive. They import nothing of the shop."""
