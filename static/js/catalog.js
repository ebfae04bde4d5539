// Progressive enhancement only: the filter form works without this by pressing "Show".
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.filters");
  if (!form) return;
  ["sort", "kategori", "kota"].forEach(function (name) {
    var field = form.elements[name];
    if (field) field.addEventListener("change", function () { form.submit(); });
  });
});
