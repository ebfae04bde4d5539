// The payment step: Stripe.js collects the card (PCI), confirms the PaymentIntent, then sends the
// customer to our return page, which checks the payment with Stripe (the webhook may be slower).
// A refusal keeps the customer here with our own message (Stripe's wording is English and differs
// from bank to bank); the order stays payable, so another try or another card is one click away.
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form || typeof window.Stripe !== "function") { return; }
  var stripe = window.Stripe(form.dataset.publishableKey, { locale: document.documentElement.lang || "id" });
  var card = stripe.elements().create("card", { hidePostalCode: true });
  var button = document.getElementById("pay-button");
  var errors = document.getElementById("card-errors");
  card.mount("#card-element");
  button.disabled = false;
  card.on("change", function (event) {  // (localstripe's stand-in calls it with no event)
    errors.textContent = event && event.error ? event.error.message : "";
  });

  function refusal(error) {
    if (error && error.type === "validation_error") { return error.message; }  // e.g. an incomplete number
    if (!error || error.type === "card_error" || error.code === "payment_intent_authentication_failure") {
      return form.dataset.declinedMessage;
    }
    return form.dataset.failedMessage;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    errors.textContent = "";
    stripe.confirmCardPayment(form.dataset.clientSecret, { payment_method: { card: card } })
      .then(function (result) {
        var intent = result.paymentIntent;
        if (result.error || !intent || intent.status === "requires_payment_method") {
          errors.textContent = refusal(result.error);
          button.disabled = false;
          return;
        }
        window.location.assign(form.dataset.returnUrl);
      });
  });
}());
