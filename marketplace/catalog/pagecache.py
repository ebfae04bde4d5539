"""The guest cache of the public catalog pages (home, categories, storefronts, products, searches), built on
``core.pagecache``: rendering a 24-card page costs ~3 ms of CPU and two or three queries, a hit one
primary-key query. Any ORM change to a product, variant, photo, storefront or category changes the token
in ``catalog_state`` in the same transaction, so hiding a product or suspending a shop shows on the next
request in every worker; changes made with plain SQL (stock reservations) show after
``CATALOG_CACHE_SECONDS`` (default 60; 0 turns it off) at most.
"""
from __future__ import annotations

from marketplace.catalog.models import Business, CatalogState, Category, Product, ProductPhoto, Variant
from marketplace.core.pagecache import PageCache

PAGES = PageCache(CatalogState, (Product, Variant, ProductPhoto, Business, Category), "CATALOG_CACHE_SECONDS")
