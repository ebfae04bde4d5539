"""Demo products for the storefronts (extended by the catalog work)."""


def seed() -> None:
    return None
