"""The orders domain's pages, by who uses them: ``public`` (cart, checkout, the customer's orders),
``payment`` (the payment step and the Stripe webhook), ``seller`` (incoming orders, fulfilment,
delivery rates) and ``staff`` (offline payments to confirm)."""
from marketplace.orders.views import payment, public, seller, staff

blueprints = [public.bp, seller.bp, payment.bp, staff.bp]
