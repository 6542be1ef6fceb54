"""Versioned schema migrations, applied in order by `zhanggui db upgrade`; each is a frozen copy."""
