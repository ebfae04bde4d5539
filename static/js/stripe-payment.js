// The payment step: Stripe.js collects the card (PCI), confirms the PaymentIntent, then sends the
// customer to our return page, which checks the payment with Stripe (the webhook may be slower).
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form || typeof window.Stripe !== "function") { return; }
  var stripe = window.Stripe(form.dataset.publishableKey);
  var card = stripe.elements().create("card", { hidePostalCode: true });
  var button = document.getElementById("pay-button");
  var errors = document.getElementById("card-errors");
  card.mount("#card-element");
  button.disabled = false;
  card.on("change", function (event) { errors.textContent = event.error ? event.error.message : ""; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    stripe.confirmCardPayment(form.dataset.clientSecret, { payment_method: { card: card } })
      .then(function (result) {
        if (result.error) {
          errors.textContent = result.error.message;
          button.disabled = false;
          return;
        }
        window.location.assign(form.dataset.returnUrl);
      });
  });
}());
