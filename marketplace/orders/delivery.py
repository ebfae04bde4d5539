"""Delivery: each seller's flat rates by zone, and the zone of a buyer's address."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from marketplace.catalog.models import Business
from marketplace.core.regions import JAVA_PROVINCES
from marketplace.extensions import db
from marketplace.orders.cart import CartSummary
from marketplace.orders.errors import DeliveryUnavailable, NegativeRate
from marketplace.orders.models import DeliverySettings, DeliveryZone


def delivery_settings(business_id: int) -> DeliverySettings:
    """The seller's settings, or the defaults (unsaved) when they never set any."""
    found = db.session.execute(
        select(DeliverySettings).where(DeliverySettings.business_id == business_id)
    ).scalar_one_or_none()
    if found is not None:
        return found
    return DeliverySettings(business_id=business_id, same_city_idr=10_000, same_province_idr=20_000,
                            java_idr=30_000, outside_java_idr=60_000, delivery_enabled=True, pickup_enabled=False)


def delivery_settings_saved(business_id: int) -> bool:
    """Whether the seller has saved their delivery rates (the defaults are only a suggestion)."""
    return db.session.execute(
        select(DeliverySettings.id).where(DeliverySettings.business_id == business_id)
    ).first() is not None


def save_delivery_settings(business_id: int, *, same_city_idr: int, same_province_idr: int,
                           java_idr: int, outside_java_idr: int, delivery_enabled: bool,
                           pickup_enabled: bool) -> DeliverySettings:
    if min(same_city_idr, same_province_idr, java_idr, outside_java_idr) < 0:
        raise NegativeRate()
    if not delivery_enabled and not pickup_enabled:
        raise DeliveryUnavailable("")  # neither delivery nor pickup offered
    settings = delivery_settings(business_id)
    if settings.id is None:
        db.session.add(settings)
    settings.same_city_idr, settings.same_province_idr = same_city_idr, same_province_idr
    settings.java_idr, settings.outside_java_idr = java_idr, outside_java_idr
    settings.delivery_enabled, settings.pickup_enabled = delivery_enabled, pickup_enabled
    db.session.commit()
    return settings


def _norm_city(name: str) -> str:
    name = " ".join(name.lower().split())
    for prefix in ("kota ", "kabupaten ", "kab. ", "kab "):
        name = name.removeprefix(prefix)
    return name


def delivery_zone(seller_city: str, seller_province: str, buyer_city: str, buyer_province: str) -> str:
    """Flat-rate zones from the storefront's city and province (a storefront cannot open without one)
    to the buyer's: the zone named on every page is the one whose rate is charged."""
    same_city = _norm_city(seller_city) == _norm_city(buyer_city)
    if seller_province == buyer_province:
        return DeliveryZone.SAME_CITY.value if same_city else DeliveryZone.SAME_PROVINCE.value
    if seller_province in JAVA_PROVINCES and buyer_province in JAVA_PROVINCES:
        return DeliveryZone.JAVA.value
    return DeliveryZone.OUTSIDE_JAVA.value


def delivery_rate(settings: DeliverySettings, zone: str) -> int:
    return {
        DeliveryZone.PICKUP.value: 0,
        DeliveryZone.SAME_CITY.value: settings.same_city_idr,
        DeliveryZone.SAME_PROVINCE.value: settings.same_province_idr,
        DeliveryZone.JAVA.value: settings.java_idr,
        DeliveryZone.OUTSIDE_JAVA.value: settings.outside_java_idr,
    }[zone]


@dataclass(frozen=True)
class DeliveryQuote:
    business: Business
    zone: str
    delivery_idr: int
    items_idr: int
    pickup_enabled: bool
    delivery_enabled: bool

    @property
    def total_idr(self) -> int:
        return self.items_idr + self.delivery_idr


def quote(summary: CartSummary, city: str, province: str, choices: dict[int, str]) -> list[DeliveryQuote]:
    """Per seller: the zone and rate for the buyer's address and choice ("delivery" or "pickup")."""
    quotes = []
    for group in summary.groups:
        settings = delivery_settings(group.business.id)
        choice = choices.get(group.business.id, "delivery")
        if choice == "pickup" and settings.pickup_enabled:
            zone = DeliveryZone.PICKUP.value
        elif choice == "delivery" and settings.delivery_enabled and group.business.province:
            zone = delivery_zone(group.business.city, group.business.province, city, province)
        else:
            raise DeliveryUnavailable(group.business.name)
        quotes.append(DeliveryQuote(group.business, zone, delivery_rate(settings, zone), group.items_idr,
                                    settings.pickup_enabled, settings.delivery_enabled))
    return quotes
