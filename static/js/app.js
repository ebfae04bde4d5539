// Progressive enhancement only. A submitted form shows that it is working, and a second tap on a slow
// connection does not send it again (the server also refuses duplicates, e.g. checkout's idempotency key).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented) return;  // a form handled by its own script (the card payment)
  if (form.dataset.submitting) { event.preventDefault(); return; }
  form.dataset.submitting = "1";
  var button = event.submitter || form.querySelector("[type=submit]");
  if (button) button.setAttribute("aria-busy", "true");
});

// Coming back with the browser's Back button restores the page as it was: make its forms usable again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitting]").forEach(function (form) {
    delete form.dataset.submitting;
    form.querySelectorAll("[aria-busy]").forEach(function (b) { b.removeAttribute("aria-busy"); });
  });
});
