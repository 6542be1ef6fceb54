"""Online channels: Taobao/Tmall and Shopify order files, and plug-in connectors."""
