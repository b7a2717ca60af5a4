"use strict";
(function () {
  var template = document.getElementById("rv-template");
  var kind = document.getElementById("rv-kind");
  var flagged = document.getElementById("rv-flagged");
  var count = document.getElementById("rv-count");
  var items = Array.prototype.slice.call(document.querySelectorAll("article.rq"));

  function apply() {
    var shown = 0;
    items.forEach(function (item) {
      var show = (!template.value || item.dataset.template === template.value) &&
        (!kind.value || item.dataset.kind === kind.value) && (!flagged.checked || item.dataset.flagged === "1");
      item.hidden = !show;
      shown += show ? 1 : 0;
    });
    count.textContent = "Showing " + shown + " of " + items.length;
  }

  [template, kind, flagged].forEach(function (control) { control.addEventListener("change", apply); });
  document.getElementById("rv-filters").addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();
