// Refreshes the monitoring page's figures every 30 seconds while the tab is visible.
// The server renders the same page for a reload without JavaScript; this script only
// fetches that page again and swaps in its figures, so both always agree.
(function () {
  "use strict";

  var INTERVAL_MS = 30000;
  var figures = document.getElementById("monitor-figures");
  var updated = document.getElementById("monitor-updated");
  if (!figures || !updated || !window.fetch || !window.DOMParser) {
    return;
  }

  var hint = document.getElementById("monitor-refresh-hint");
  if (hint && hint.dataset.jsText) {
    hint.textContent = hint.dataset.jsText;
  }

  var timer = null;
  var inFlight = null;

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, INTERVAL_MS);
  }

  function stop() {
    window.clearTimeout(timer);
    timer = null;
    if (inFlight) {
      inFlight.abort();
      inFlight = null;
    }
  }

  function showError() {
    updated.textContent = updated.dataset.errorText || "";
  }

  function refresh() {
    stop();
    var controller = window.AbortController ? new AbortController() : null;
    inFlight = controller;
    window
      .fetch(window.location.href, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "text/html" },
        signal: controller ? controller.signal : undefined,
      })
      .then(function (response) {
        var failure;
        if (response.redirected) {
          // Sent to sign in (the session ended) or to MFA set-up: retrying cannot help.
          failure = new Error("redirected");
          failure.final = true;
          throw failure;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var newFigures = page.getElementById("monitor-figures");
        var newUpdated = page.getElementById("monitor-updated");
        if (!newFigures || !newUpdated) {
          throw new Error("unexpected page");
        }
        // Only touch the tables when a figure changed, so reading them is not disturbed.
        if (newFigures.innerHTML !== figures.innerHTML) {
          figures.replaceChildren.apply(figures, Array.prototype.slice.call(newFigures.childNodes));
        }
        updated.textContent = newUpdated.textContent.trim();
        inFlight = null;
        if (!document.hidden) {
          schedule();
        }
      })
      .catch(function (error) {
        inFlight = null;
        if (error && error.name === "AbortError") {
          return;
        }
        showError();
        if (!error.final && !document.hidden) {
          schedule();
        }
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      stop();
    } else {
      refresh(); // back in view: catch up at once, then every 30 seconds again
    }
  });

  if (!document.hidden) {
    schedule();
  }
})();
