"""The catalog's blueprints, one module per area: ``public`` (browsing, storefronts, products: ``catalog``),
``seller`` (a graduate's own storefront and products: ``seller``) and ``staff`` (moderation: ``moderation``)."""
from marketplace.catalog.views import public, seller, staff

blueprints = [public.bp, seller.bp, staff.bp]
