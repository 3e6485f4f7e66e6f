// Progressive enhancement only: the filters apply as soon as a choice changes (the Show button still works).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("analytics-filters");
    if (!form) { return; }
    form.addEventListener("change", function (event) {
      if (event.target && event.target.tagName === "SELECT") { form.submit(); }
    });
  });
})();
