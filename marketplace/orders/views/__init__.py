"""The orders domain's pages, by who uses them: ``public`` (cart, checkout, the customer's orders),
``payment`` (the payment step and the Stripe webhook), ``seller`` (incoming orders, fulfilment,
delivery rates), ``earnings`` (the seller's balance), ``staff`` (offline payments to confirm),
``payouts`` (staff pay sellers) and ``problems`` (staff decide customers' problem reports). The money
pages live here, not in payments: they name storefronts and people, which payments (core alone) never
reads."""
from marketplace.orders.views import earnings, payment, payouts, problems, public, seller, staff

blueprints = [public.bp, seller.bp, payment.bp, staff.bp, earnings.bp, payouts.bp, problems.bp]
