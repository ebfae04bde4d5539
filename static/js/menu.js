// The site menu on a phone: the Menu button (templates/_nav.html) folds the links away. Loaded in <head>
// without defer so that the header is drawn folded from the first paint (no jump on a slow connection);
// it needs no element yet, as it listens on the document. Without this script the button stays hidden
// and every link shows: static/css/app.css folds the menu only under html.has-menu.
document.documentElement.classList.add("has-menu");

(function () {
  function isOpen(button) { return button.getAttribute("aria-expanded") === "true"; }
  function setOpen(button, open) { button.setAttribute("aria-expanded", open ? "true" : "false"); }

  function outside(button, target) {
    return !button.contains(target) && !document.getElementById(button.getAttribute("aria-controls")).contains(target);
  }

  document.addEventListener("click", function (event) {
    var button = document.querySelector(".menu-toggle");
    if (!button) return;
    if (button.contains(event.target)) {
      setOpen(button, !isOpen(button));
    } else if (isOpen(button) && outside(button, event.target)) {
      setOpen(button, false);  // a tap beside the open menu closes it
    }
  });

  // Tabbing on past the last link closes the menu, so that it never covers the focused element.
  document.addEventListener("focusin", function (event) {
    var button = document.querySelector(".menu-toggle");
    if (button && isOpen(button) && outside(button, event.target)) setOpen(button, false);
  });

  document.addEventListener("keydown", function (event) {
    var button = document.querySelector(".menu-toggle");
    if (event.key !== "Escape" || !button || !isOpen(button)) return;
    setOpen(button, false);
    button.focus();
  });
}());
