"""The payments domain's pages: the seller's earnings (``seller``) and staff payouts (``staff``).

The customer's payment step and the Stripe webhook are order pages (``orders/views/payment.py``):
payments knows nothing of orders."""
from marketplace.payments.views import seller, staff

blueprints = [seller.bp, staff.bp]
