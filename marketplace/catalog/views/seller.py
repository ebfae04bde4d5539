"""Seller tools: the graduate's storefront, products, variants and photos."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from marketplace.catalog import browse as catalog
from marketplace.catalog import forms, images, products, storefronts
from marketplace.catalog.errors import CatalogError, ProvinceRequired, SlugTaken
from marketplace.catalog.models import LOW_STOCK_THRESHOLD, BusinessStatus
from marketplace.catalog.views.public import render_product
from marketplace.core.errors import show_error
from marketplace.core.ids import parse_id
from marketplace.core.nav import register_home, register_nav
from marketplace.core.policy import Role, allow, signed_in_user
from marketplace.core.setup_steps import register_step, steps_for

bp = Blueprint("seller", __name__, url_prefix="/seller")
register_nav(_l("My shop"), "seller.dashboard", {Role.GRADUATE}, 30)
register_home(Role.GRADUATE, "seller.dashboard")


def _is_open(user_id: int) -> bool:
    business = storefronts.business_of(user_id)
    return business is not None and business.status == BusinessStatus.OPEN.value


# A new seller's path ("My shop" checklist); orders adds the delivery rates (position 20).
def _has_storefront(user_id: int) -> bool:
    business = storefronts.business_of(user_id)
    return business is not None and business.province is not None  # delivery costs start from the province


register_step("storefront", _l("Create your storefront with its province"), "seller.storefront", 10, _has_storefront)
register_step("first_product", _l("Add your first product"), "seller.new_product", 30, products.has_listed_product)
register_step("open", _l("Open your shop"), "seller.storefront", 40, _is_open)


def _business_or_none():
    return storefronts.business_of(current_user.id)


def _business():
    business = _business_or_none()
    if business is None:
        abort(404)
    return business


def _product(product_id: int):
    """The signed-in seller's product (another seller's id answers 404 through ``NotFound``)."""
    return products.owned_product(signed_in_user(), product_id)


def _upload(field) -> bytes | None:
    storage = field.data
    if storage is None or not getattr(storage, "filename", None):
        return None
    return storage.read(images.MAX_UPLOAD_BYTES + 1)


@bp.get("/")
@allow(Role.GRADUATE)
def dashboard():
    business = _business_or_none()
    steps = steps_for(current_user.id)
    if business is None:
        return render_template("catalog/seller/welcome.html", steps=steps)
    return render_template("catalog/seller/dashboard.html", business=business,
                           products=products.seller_products(business.id), steps=steps,
                           quick_form=forms.QuickEditForm(), archive_form=forms.BulkArchiveForm(),
                           confirm_form=forms.ConfirmForm(), low_stock=LOW_STOCK_THRESHOLD)


@bp.route("/storefront", methods=["GET", "POST"])
@allow(Role.GRADUATE)
def storefront():
    business = _business_or_none()
    form = forms.StorefrontForm(obj=business)
    if business and business.status == "suspended":
        form.status.choices = [SelectChoice("suspended", _("Suspended by staff"))] + list(form.status.choices)
    if form.validate_on_submit():
        data = storefronts.BusinessData(
            name=form.name.data, slug=form.slug.data or "", description=form.description.data or "",
            city=form.city.data, province=form.province.data or "", whatsapp=form.whatsapp.data or "",
            story=form.story.data or "", story_opt_in=form.story_opt_in.data, status=form.status.data)
        try:
            storefronts.save_business(current_user.id, data, logo=_upload(form.logo), banner=_upload(form.banner))
        except CatalogError as exc:  # ImageRejected, PhotoStorageDown (503) and the rules below
            show_error(exc, {SlugTaken: form.slug, ProvinceRequired: form.province}.get(type(exc)))
            return render_template("catalog/seller/storefront_form.html", form=form, business=business), exc.status
        flash(_("Your shop is saved."), "success")
        return redirect(url_for("seller.dashboard"))
    status = 400 if form.errors else 200
    return render_template("catalog/seller/storefront_form.html", form=form, business=business), status


@bp.get("/preview")
@allow(Role.GRADUATE)
def preview():
    business = _business()
    page = catalog.Page(items=[catalog.ProductCard.of(p) for p in products.seller_products(business.id)
                                if p.status != "archived"])
    return render_template("catalog/storefront.html", business=business, page=page, prev_url=None,
                           next_url=None, story=storefronts.public_story(business), preview=True)


def _product_form(product=None) -> forms.ProductForm:
    form = forms.ProductForm(obj=product)
    form.set_categories(catalog.categories(), str(get_locale()))
    if request.method == "GET" and product is not None:
        form.category_id.data = product.category_id or 0
        if len(product.variants) == 1:
            form.stock.data = product.variants[0].stock
    return form


def _product_data(form) -> products.ProductData:
    return products.ProductData(
        title=form.title.data, description=form.description.data or "", price_idr=form.price_idr.data,
        weight_grams=form.weight_grams.data or 0, category_id=form.category_id.data or None,
        status=form.status.data, stock=form.stock.data)


@bp.route("/products/new", methods=["GET", "POST"])
@allow(Role.GRADUATE)
def new_product():
    business = _business_or_none()
    if business is None:
        return redirect(url_for("seller.storefront"))
    form = _product_form()
    if form.validate_on_submit():
        product = products.create_product(business, _product_data(form))
        flash(_("Product saved. Add photos and variants below."), "success")
        return redirect(url_for("seller.edit_product", product_id=product.id))
    return render_template("catalog/seller/product_form.html", form=form, product=None), 400 if form.errors else 200


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
@allow(Role.GRADUATE)
def edit_product(product_id: int):
    product = _product(product_id)
    form = _product_form(product)
    if form.validate_on_submit():
        products.update_product(product, _product_data(form))
        flash(_("Product saved."), "success")
        return redirect(url_for("seller.edit_product", product_id=product.id))
    return render_template("catalog/seller/product_form.html", form=form, product=product,
                           photo_form=forms.PhotoUploadForm(), confirm_form=forms.ConfirmForm(),
                           variant_form=_new_variant_form(product),
                           max_photos=products.MAX_PHOTOS), 400 if form.errors else 200


@bp.get("/products/<int:product_id>/preview")
@allow(Role.GRADUATE)
def preview_product(product_id: int):
    return render_product(_product(product_id), preview=True)


@bp.post("/products/<int:product_id>/quick")
@allow(Role.GRADUATE)
def quick_edit(product_id: int):
    product = _product(product_id)
    form = forms.QuickEditForm()
    if not form.validate_on_submit():
        flash(_("Enter a price between 0 and 100,000,000 and a stock between 0 and 100,000."), "error")
        business = product.business
        return render_template("catalog/seller/dashboard.html", business=business, steps=steps_for(current_user.id),
                               products=products.seller_products(business.id), quick_form=form,
                               archive_form=forms.BulkArchiveForm(), confirm_form=forms.ConfirmForm(),
                               low_stock=LOW_STOCK_THRESHOLD), 400
    products.quick_edit(product, form.price_idr.data, form.stock.data)
    flash(_("%(title)s updated.", title=product.title), "success")
    return redirect(url_for("seller.dashboard"))


@bp.post("/products/<int:product_id>/duplicate")
@allow(Role.GRADUATE)
def duplicate_product(product_id: int):
    product = _product(product_id)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    copy = products.duplicate_product(product)
    flash(_("A draft copy was made. Check it and set it to active when ready."), "success")
    return redirect(url_for("seller.edit_product", product_id=copy.id))


@bp.post("/products/archive")
@allow(Role.GRADUATE)
def archive_products():
    business = _business()
    if not forms.BulkArchiveForm().validate_on_submit():
        abort(400)
    ids = [i for i in map(parse_id, request.form.getlist("product_id")) if i is not None]
    count = products.archive_products(business.id, ids)
    flash(_("%(n)d products archived.", n=count), "success")
    return redirect(url_for("seller.dashboard"))


# Variants ---------------------------------------------------------------------------------------


def _new_variant_form(product) -> forms.VariantForm:
    """The "add a variant" form; for the first variant, its stock starts as the product's own."""
    return forms.VariantForm(formdata=None, stock=products.default_variant_stock(product))


def _variant_data(form) -> products.VariantData:
    return products.VariantData(size=form.size.data or "", colour=form.colour.data or "",
                                stock=form.stock.data, price_idr=form.price_idr.data)


@bp.post("/products/<int:product_id>/variants")
@allow(Role.GRADUATE)
def add_variant(product_id: int):
    product = _product(product_id)
    form = forms.VariantForm()
    replaced_stock = products.default_variant_stock(product)

    def say_what_became_of_the_stock() -> None:
        if replaced_stock is not None and replaced_stock != form.stock.data:
            flash(_("The stock typed on the product (%(old)d) is now the stock of %(label)s (%(new)d). "
                    "Add the other sizes or colours with their own stock.", old=replaced_stock,
                    label=product.variants[0].label, new=form.stock.data), "info")

    return _variant_action(product, form, lambda: products.add_variant(product, _variant_data(form)),
                           then=say_what_became_of_the_stock)


@bp.post("/products/<int:product_id>/variants/<int:variant_id>")
@allow(Role.GRADUATE)
def update_variant(product_id: int, variant_id: int):
    product = _product(product_id)
    if not any(v.id == variant_id for v in product.variants):
        abort(404)
    form = forms.VariantForm()
    return _variant_action(product, form, lambda: products.update_variant(product, variant_id, _variant_data(form)))


@bp.post("/products/<int:product_id>/variants/<int:variant_id>/delete")
@allow(Role.GRADUATE)
def delete_variant(product_id: int, variant_id: int):
    product = _product(product_id)
    if not any(v.id == variant_id for v in product.variants):
        abort(404)
    form = forms.ConfirmForm()
    return _variant_action(product, form, lambda: products.delete_variant(product, variant_id))


def _variant_action(product, form, action, then=None):
    if not form.validate_on_submit():
        flash(_("Check the variant: stock between 0 and 100,000, price between 0 and 100,000,000."), "error")
        return _back_to(product, 400)
    try:
        action()
    except CatalogError as exc:
        show_error(exc)
        return _back_to(product, exc.status)
    flash(_("Variants saved."), "success")
    if then is not None:
        then()
    return redirect(url_for("seller.edit_product", product_id=product.id) + "#variants")


def _back_to(product, status: int):
    """Re-render the product page with the message instead of redirecting, so the status says 400 (or 503)."""
    form = _product_form(product)
    return render_template("catalog/seller/product_form.html", form=form, product=product,
                           photo_form=forms.PhotoUploadForm(), confirm_form=forms.ConfirmForm(),
                           variant_form=_new_variant_form(product),
                           max_photos=products.MAX_PHOTOS), status


# Photos ---------------------------------------------------------------------------------------


@bp.post("/products/<int:product_id>/photos")
@allow(Role.GRADUATE)
def upload_photos(product_id: int):
    product = _product(product_id)
    form = forms.PhotoUploadForm()
    if not form.validate_on_submit():
        abort(400)
    uploads = [f.read(images.MAX_UPLOAD_BYTES + 1) for f in (form.photos.data or [])
               if getattr(f, "filename", None)]
    try:
        products.add_photos(product, uploads)
    except CatalogError as exc:  # ImageRejected, PhotoStorageDown (503)
        show_error(exc)
        return _back_to(product, exc.status)
    flash(_("Photos added."), "success")
    return redirect(url_for("seller.edit_product", product_id=product.id) + "#photos")


@bp.post("/products/<int:product_id>/photos/<int:photo_id>/delete")
@allow(Role.GRADUATE)
def remove_photo(product_id: int, photo_id: int):
    product = _product(product_id)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    products.remove_photo(product, photo_id)
    flash(_("Photo removed."), "success")
    return redirect(url_for("seller.edit_product", product_id=product.id) + "#photos")


@bp.post("/products/<int:product_id>/photos/<int:photo_id>/move")
@allow(Role.GRADUATE)
def move_photo(product_id: int, photo_id: int):
    product = _product(product_id)
    form = forms.MovePhotoForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    products.move_photo(product, photo_id, form.direction.data)
    return redirect(url_for("seller.edit_product", product_id=product.id) + "#photos")
