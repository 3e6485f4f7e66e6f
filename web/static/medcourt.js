// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Move keyboard and screen-reader focus to the list of problems after a refused submission.
  document.addEventListener("DOMContentLoaded", function () {
    var problems = document.getElementById("form-problems");
    if (problems) { problems.focus(); }
    var form = document.getElementById("ruling-form");
    if (form) { liveRuleCheck(form); }
  });

  // The ruling form: ask the server which rules would refuse the draft while the judge types.
  function liveRuleCheck(form) {
    var url = form.getAttribute("data-check-url");
    var target = document.getElementById("rule-check");
    var timer = null;
    function check() {
      var data = new FormData(form);
      fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (result) {
          if (!result || !target) { return; }
          var messages = result.blocking.concat(result.general || []);
          Object.keys(result.errors || {}).forEach(function (name) { messages = messages.concat(result.errors[name]); });
          target.textContent = "";
          var box = document.createElement(messages.length ? "div" : "p");
          box.className = messages.length ? "alert alert-error" : "alert alert-success";
          if (messages.length) {
            var list = document.createElement("ul");
            list.id = "blocking";
            messages.forEach(function (text) { var item = document.createElement("li"); item.textContent = text; list.appendChild(item); });
            box.appendChild(list);
          } else {
            box.id = "no-blocking";
            box.textContent = target.getAttribute("data-ok") || "\u2713";
          }
          target.appendChild(box);
        })
        .catch(function () { /* the Check button still works */ });
    }
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
  }
})();
