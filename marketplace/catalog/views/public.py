"""Public catalog pages: home, categories, storefronts, products, search, sitemap and media files."""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from marketplace.catalog import browse as catalog
from marketplace.catalog import images, storefronts
from marketplace.catalog.models import LOW_STOCK_THRESHOLD
from marketplace.catalog.pagecache import PAGES
from marketplace.core.forms import parse_rupiah
from marketplace.core.policy import PUBLIC, allow
from marketplace.core.text import plain_text, render_markdown, shorten
from marketplace.storage import StorageError, get_storage, valid_key

bp = Blueprint("catalog", __name__)


# Template helpers -----------------------------------------------------------------------------


@bp.app_template_global()
def media_url(key: str | None, width: int | None = None) -> str | None:
    if not key:
        return None
    return url_for("catalog.media", key=images.thumb_key(key, width) if width else key)


@bp.app_template_global()
def card_links(cards: list[catalog.ProductCard], preview: bool = False, width: int = 320):
    """Each card with its link and photo URL, in one call per grid: ``url_for`` twice per card (and every
    call from a template) was a large part of rendering a list. ``url_for`` gives the prefixes once; the
    slugs and keys are quoted as Werkzeug quotes a path segment."""
    product_prefix = url_for("catalog.product", business_slug="b", product_slug="p").removesuffix("b/p")
    media_prefix = url_for("catalog.media", key="k").removesuffix("k")
    for card in cards:
        href = (url_for("seller.preview_product", product_id=card.id) if preview
                else product_prefix + _quote_path(card.business_slug) + "/" + _quote_path(card.slug))
        photo = media_prefix + _quote_path(images.thumb_key(card.photo_key, width)) if card.photo_key else None
        yield card, href, photo


def _quote_path(value: str) -> str:
    return quote(value, safe="!$&'()*+,/:;=@")  # werkzeug.routing.BaseConverter.to_url


@bp.app_template_global()
def absolute_url(path: str) -> str:
    return current_app.config["PUBLIC_URL"] + path


@bp.app_template_filter("markdown")
def markdown_filter(source: str | None):
    return render_markdown(source)


@bp.app_template_global()
def category_name(category) -> str:
    return category.name(str(get_locale())) if category else ""


def per_page() -> int:
    return int(current_app.config.get("CATALOG_PAGE_SIZE", 24))


def _page_arg() -> int:
    return _int_arg("page", 1) or 1


def _int_arg(name: str, default: int | None = None) -> int | None:
    raw = (request.args.get(name) or "").strip().replace(".", "")
    if not raw.isdigit() or len(raw) > 12:
        return default
    return int(raw)


def _rupiah_arg(name: str) -> int | None:
    """A price filter typed like every rupiah field ("18.500", "Rp 18.500"); nonsense means no filter."""
    try:
        return parse_rupiah((request.args.get(name) or "")[:40])
    except ValueError:
        return None


def _page_urls(page: catalog.Page, endpoint: str, **values) -> tuple[str | None, str | None]:
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    prev_url = url_for(endpoint, **values, **args, page=page.page - 1) if page.has_prev else None
    next_url = url_for(endpoint, **values, **args, page=page.page + 1) if page.has_next else None
    return prev_url, next_url


# Pages ----------------------------------------------------------------------------------------


@bp.get("/")
@allow(PUBLIC)
def home():
    def render(**extra):
        featured = catalog.browse(catalog.Browse(featured=True, per_page=8))
        newest = catalog.browse(catalog.Browse(per_page=12))
        return render_template("catalog/home.html", featured=featured.items, products=newest.items,
                               categories=catalog.categories(), **extra)

    return PAGES.render(render)


@bp.get("/tentang")
@allow(PUBLIC)
def about():
    """A small static page; the benchmark also uses it as its no-database ceiling."""
    return render_template("catalog/about.html")


@bp.get("/kategori/<slug>")
@allow(PUBLIC)
def category(slug: str):
    def render(**extra):
        all_categories = catalog.categories()
        found = next((c for c in all_categories if c.slug == slug), None)
        if found is None:
            abort(404)
        page = catalog.browse(catalog.Browse(category_id=found.id, page=_page_arg(), per_page=per_page()))
        prev_url, next_url = _page_urls(page, "catalog.category", slug=slug)
        return render_template("catalog/category.html", category=found, page=page, prev_url=prev_url,
                               next_url=next_url, categories=all_categories, **extra)

    return PAGES.render(render)


@bp.get("/toko/<slug>")
@allow(PUBLIC)
def storefront(slug: str):
    def render(**extra):
        business = catalog.public_business(slug)
        if business is None:
            abort(404)
        page = catalog.browse(catalog.Browse(business_id=business.id, page=_page_arg(), per_page=per_page()))
        prev_url, next_url = _page_urls(page, "catalog.storefront", slug=slug)
        return render_template("catalog/storefront.html", business=business, page=page, prev_url=prev_url,
                               next_url=next_url, story=storefronts.public_story(business), preview=False, **extra)

    return PAGES.render(render)


@bp.get("/toko/<business_slug>/<product_slug>")
@allow(PUBLIC)
def product(business_slug: str, product_slug: str):
    def render(**extra):
        found = catalog.public_product(business_slug, product_slug)
        if found is None:
            abort(404)
        return render_product(found, preview=False, **extra)

    # The add-to-cart form is cached with the page like the stock shown beside it (at most
    # CATALOG_CACHE_SECONDS old); adding to the cart checks the live stock and says so.
    return PAGES.render(render)


def render_product(product, preview: bool, **extra):
    path = url_for("catalog.product", business_slug=product.business.slug, product_slug=product.slug)
    page_url = absolute_url(path)
    share_text = f"{product.title} - {page_url}"
    description = plain_text(product.description)  # once for the meta tags and the JSON-LD
    return render_template(
        "catalog/product.html", product=product, business=product.business, preview=preview,
        page_url=page_url, summary=shorten(description), json_ld=_product_json_ld(product, page_url, description),
        share_url="https://wa.me/?text=" + quote(share_text, safe=""),
        contact_url=("https://wa.me/" + product.business.whatsapp.lstrip("+")) if product.business.whatsapp else None,
        low_stock=LOW_STOCK_THRESHOLD, **extra)


def _product_json_ld(product, page_url: str, description: str) -> dict:
    prices = [v.unit_price_idr for v in product.variants] or [product.price_idr]
    in_stock = any(v.stock > 0 for v in product.variants) and product.business.accepts_orders
    offer: dict = {"@type": "Offer", "priceCurrency": "IDR", "price": min(prices), "url": page_url,
                   "availability": "https://schema.org/" + ("InStock" if in_stock else "OutOfStock")}
    if min(prices) != max(prices):
        offer = {**offer, "@type": "AggregateOffer", "lowPrice": min(prices), "highPrice": max(prices)}
        del offer["price"]
    return {
        "@context": "https://schema.org", "@type": "Product", "name": product.title,
        "description": shorten(description, 500), "sku": str(product.id),
        "image": [absolute_url(media_url(p.key)) for p in product.photos],
        "brand": {"@type": "Brand", "name": product.business.name},
        "offers": offer,
    }


SORT_LABELS = {"relevance": _l("Relevance"), "newest": _l("Newest"), "price_asc": _l("Price: low to high"),
               "price_desc": _l("Price: high to low")}


@bp.get("/cari")
@allow(PUBLIC)
def search():
    return PAGES.render(_render_search)


def _render_search(**extra):
    query = (request.args.get("q") or "")[:1000]
    all_categories = catalog.categories()
    category_slug = request.args.get("kategori") or ""
    chosen = next((c for c in all_categories if c.slug == category_slug), None)
    sort = request.args.get("sort") or ("relevance" if query.strip() else "newest")
    if sort not in catalog.SORTS:
        sort = "newest"
    city = (request.args.get("kota") or "")[:80]
    page = catalog.browse(catalog.Browse(
        query=query, category_id=chosen.id if chosen else None, city=city,
        min_price=_rupiah_arg("min"), max_price=_rupiah_arg("max"), sort=sort, page=_page_arg(),
        per_page=per_page()))
    prev_url, next_url = _page_urls(page, "catalog.search")
    return render_template("catalog/search.html", query=query, page=page, categories=all_categories,
                           chosen=chosen, cities=catalog.cities(), city=city, sort=sort,
                           sorts=list(SORT_LABELS.items()),
                           min_price=_rupiah_arg("min"), max_price=_rupiah_arg("max"),
                           prev_url=prev_url, next_url=next_url, **extra)


@bp.get("/sitemap.xml")
@allow(PUBLIC)
def sitemap():
    all_categories, businesses, products = catalog.sitemap_entries()
    body = render_template("catalog/sitemap.xml", categories=all_categories, businesses=businesses,
                           products=products)
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
@allow(PUBLIC)
def robots():
    """Where crawlers may go: the catalog yes; carts, checkout, accounts and searches no."""
    return Response(render_template("catalog/robots.txt"), mimetype="text/plain")


@bp.get("/media/<path:key>")
@allow(PUBLIC)
def media(key: str):
    """Stored pictures. Keys are content hashes, so a response may be cached for a year unchanged.
    Keys under ``private/`` (CVs) are never served here: their domain serves them to who may read them."""
    if not valid_key(key) or key.startswith("private/"):
        abort(404)
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    if request.if_none_match and etag in request.if_none_match:
        response = Response(status=304)
    else:
        try:
            data = get_storage().get(key)
        except StorageError:
            abort(503)
        if data is None:
            abort(404)
        response = Response(data, mimetype="image/webp")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.set_etag(etag)
    return response
