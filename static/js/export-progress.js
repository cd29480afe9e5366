// Keeps the list of record-level exports up to date while a file is being prepared.
// Only the list is swapped (never the request form, so nothing typed is lost) and only
// while the server marks it pending; without JavaScript the "Check its progress" link
// reloads the same page, which the server renders identically.
(function () {
  "use strict";

  var INTERVAL_MS = 5000;
  var list = document.getElementById("export-files");
  if (!list || !window.fetch || !window.DOMParser) {
    return;
  }

  function showHint() {
    var hint = list.querySelector(".js-only-hint");
    if (hint) {
      hint.hidden = false;
    }
  }

  function refresh() {
    if (list.dataset.pending !== "true" || document.hidden) {
      return;
    }
    window.fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new window.DOMParser().parseFromString(html, "text/html").getElementById("export-files");
        if (!fresh) {
          return;
        }
        list.innerHTML = fresh.innerHTML;
        list.dataset.pending = fresh.dataset.pending || "false";
        showHint();
        if (list.dataset.pending === "true") {
          window.setTimeout(refresh, INTERVAL_MS);
        }
      })
      .catch(function () {
        window.setTimeout(refresh, INTERVAL_MS * 2);
      });
  }

  showHint();
  if (list.dataset.pending === "true") {
    window.setTimeout(refresh, INTERVAL_MS);
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && list.dataset.pending === "true") {
      refresh();
    }
  });
})();
