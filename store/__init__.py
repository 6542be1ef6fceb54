"""The business core of Zhanggui: models, migrations, services and reports; no UI, no hardware."""
