"""The Textual app for the till and the stockroom, and the `zhanggui` command line."""
