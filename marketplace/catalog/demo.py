"""Demo categories and products for the six demo storefronts, with placeholder photos drawn locally."""
from __future__ import annotations

import functools
import io
import zlib

from PIL import Image, ImageDraw
from sqlalchemy import select

from marketplace.catalog import images
from marketplace.catalog.models import Business, Category, Product, ProductPhoto, ProductStatus, Variant
from marketplace.extensions import db

CATEGORIES = [
    ("batik-kain", "Batik & Kain", "Batik & Fabric"),
    ("pakaian", "Pakaian & Jahitan", "Clothing & Tailoring"),
    ("makanan-minuman", "Makanan & Minuman", "Food & Drink"),
    ("kerajinan", "Kerajinan Tangan", "Handicrafts"),
    ("sablon-cetak", "Sablon & Cetak", "Screen Printing"),
]

SIZES = ["S", "M", "L", "XL"]

# business slug -> products: (title, category, price, weight g, stock, featured, description, variants)
PRODUCTS: dict[str, list[tuple]] = {
    "batik-gajah-oling-sari": [
        ("Kain Batik Tulis Gajah Oling", "batik-kain", 450_000, 400, 4, True,
         "Kain batik tulis 2 x 1,15 m, pewarna alam, motif **Gajah Oling** khas Banyuwangi.", None),
        ("Kemeja Batik Cap Pria", "batik-kain", 185_000, 300, 0, True,
         "Kemeja batik cap lengan pendek, katun primisima, nyaman untuk kerja dan kondangan.",
         [("S", 3), ("M", 5), ("L", 4), ("XL", 2)]),
        ("Selendang Batik Kawung", "batik-kain", 120_000, 150, 7, False,
         "Selendang batik motif kawung, 180 x 50 cm.", None),
        ("Masker Kain Batik (isi 3)", "batik-kain", 35_000, 80, 25, False,
         "Tiga masker kain tiga lapis dari sisa kain batik.", None),
        ("Tas Jinjing Batik", "batik-kain", 95_000, 250, 6, False,
         "Tas jinjing kanvas dengan aplikasi batik Gajah Oling.", None),
    ],
    "kopi-ijen-bayu": [
        ("Kopi Arabika Ijen 250 g", "makanan-minuman", 75_000, 270, 30, True,
         "Biji kopi arabika dari lereng Ijen, sangrai medium. Catatan rasa: cokelat, jeruk, gula aren.",
         [("Biji utuh", 15), ("Bubuk", 15)]),
        ("Kopi Robusta Banyuwangi 500 g", "makanan-minuman", 80_000, 520, 20, False,
         "Robusta sangrai gelap, pas untuk kopi tubruk.", None),
        ("Drip Bag Arabika (isi 10)", "makanan-minuman", 55_000, 150, 40, False,
         "Sepuluh kantong kopi seduh praktis untuk di kantor atau perjalanan.", None),
        ("Green Bean Arabika 1 kg", "makanan-minuman", 140_000, 1_020, 8, False,
         "Biji kopi mentah untuk yang suka menyangrai sendiri.", None),
    ],
    "camilan-bu-rina": [
        ("Keripik Pisang Manis 250 g", "makanan-minuman", 18_000, 260, 50, True,
         "Keripik pisang kepok, tipis dan renyah, tanpa pengawet.", None),
        ("Rengginang Terasi", "makanan-minuman", 22_000, 300, 35, False,
         "Rengginang ketan rasa terasi, siap goreng.", None),
        ("Kue Kering Nastar (toples)", "makanan-minuman", 85_000, 600, 12, False,
         "Nastar selai nanas buatan sendiri, toples 500 g.", None),
        ("Paket Camilan Oleh-oleh", "makanan-minuman", 65_000, 900, 10, True,
         "Keripik pisang, rengginang dan kacang bawang dalam satu kotak.", None),
    ],
    "anyaman-bambu-dedi": [
        ("Keranjang Anyaman Bambu", "kerajinan", 60_000, 500, 9, True,
         "Keranjang serbaguna dari bambu apus, diameter 30 cm.",
         [("Kecil", 4), ("Besar", 5)]),
        ("Tudung Saji Bambu", "kerajinan", 45_000, 400, 6, False,
         "Tudung saji anyaman, diameter 45 cm.", None),
        ("Lampu Gantung Bambu", "kerajinan", 150_000, 700, 3, False,
         "Kap lampu gantung anyaman bambu, tanpa kabel.", None),
        ("Tempat Tisu Bambu", "kerajinan", 30_000, 200, 15, False,
         "Kotak tisu anyaman halus.", None),
    ],
    "jahit-rapi-wati": [
        ("Kebaya Kutubaru", "pakaian", 275_000, 350, 0, True,
         "Kebaya kutubaru brokat, dijahit sesuai ukuran standar.",
         [("S", 2), ("M", 3), ("L", 2), ("XL", 1)]),
        ("Seragam Kerja (per stel)", "pakaian", 160_000, 450, 0, False,
         "Kemeja dan celana seragam, bahan drill. Pesanan grup bisa lewat WhatsApp.",
         [("S", 5), ("M", 8), ("L", 8), ("XL", 4)]),
        ("Jasa Vermak Celana", "pakaian", 25_000, 100, 20, False,
         "Potong dan rapikan panjang celana. Kirim celana, kami kirim kembali.", None),
        ("Daster Katun Rayon", "pakaian", 70_000, 250, 0, False,
         "Daster adem motif bunga.", [("M", 6), ("L", 6), ("XL", 4)]),
    ],
    "sablon-agus-kreatif": [
        ("Kaos Sablon Custom", "sablon-cetak", 85_000, 220, 0, True,
         "Kaos katun combed 30s, sablon plastisol satu warna. Kirim desain lewat WhatsApp.",
         [("S", 10), ("M", 20), ("L", 20), ("XL", 10)]),
        ("Tote Bag Sablon", "sablon-cetak", 40_000, 150, 30, False,
         "Tas kanvas sablon satu sisi.", None),
        ("Kaos Komunitas (min. 12)", "sablon-cetak", 75_000, 220, 100, False,
         "Harga per kaos untuk pesanan 12 atau lebih.", None),
        ("Stiker Vinyl (isi 50)", "sablon-cetak", 50_000, 50, 25, False,
         "Stiker vinyl tahan air, potong sesuai bentuk.", None),
    ],
}

PALETTE = [(15, 107, 79), (194, 87, 27), (90, 60, 140), (30, 90, 160), (150, 40, 60), (120, 100, 30)]


def placeholder_photo(title: str, seed: int) -> bytes:
    """A coloured square with the product's initials and a simple shape: no downloads needed."""
    colour = PALETTE[seed % len(PALETTE)]
    img = Image.new("RGB", (800, 800), colour)
    draw = ImageDraw.Draw(img)
    light = tuple(min(255, c + 70) for c in colour)
    if seed % 3 == 0:
        draw.ellipse((160, 160, 640, 640), fill=light)
    elif seed % 3 == 1:
        draw.rectangle((180, 180, 620, 620), fill=light)
    else:
        draw.polygon([(400, 130), (680, 650), (120, 650)], fill=light)
    initials = "".join(word[0] for word in title.split()[:2]).upper()
    draw.text((400, 400), initials, fill=(255, 255, 255), anchor="mm", font_size=220)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


@functools.cache
def demo_photo(title: str) -> images.ProcessedImage:
    """The product's placeholder photo, drawn and encoded once per process: encoding is most of what
    seeding costs, and the tests and the browser lane seed the demo world many times."""
    return images.process_image(placeholder_photo(title, zlib.crc32(title.encode())))


def seed() -> None:
    categories = {}
    for position, (slug, name_id, name_en) in enumerate(CATEGORIES):
        category = db.session.execute(select(Category).where(Category.slug == slug)).scalar_one_or_none()
        if category is None:
            category = Category(slug=slug, name_id=name_id, name_en=name_en, position=position)
            db.session.add(category)
        categories[slug] = category
    db.session.flush()

    for business_slug, products in PRODUCTS.items():
        business = db.session.execute(select(Business).where(Business.slug == business_slug)).scalar_one_or_none()
        if business is None:
            continue
        for title, category_slug, price, weight, stock, featured, description, variants in products:
            slug = title.lower().replace(" ", "-").replace("(", "").replace(")", "").replace("&", "dan")
            slug = "".join(ch for ch in slug if ch.isalnum() or ch == "-")[:120]
            exists = db.session.execute(select(Product.id).where(
                Product.business_id == business.id, Product.slug == slug)).scalar_one_or_none()
            if exists is not None:
                continue
            product = Product(business_id=business.id, slug=slug, title=title, description=description,
                              price_idr=price, weight_grams=weight, category_id=categories[category_slug].id,
                              status=ProductStatus.ACTIVE.value, featured=featured)
            for position, (label, variant_stock) in enumerate(variants or [("", stock)]):
                product.variants.append(Variant(label=label, size=label or None, stock=variant_stock,
                                                position=position))
            processed = demo_photo(title)
            images.store_image(processed)
            product.photos.append(ProductPhoto(key=processed.key, width=processed.width,
                                               height=processed.height, position=0))
            db.session.add(product)
    db.session.flush()
