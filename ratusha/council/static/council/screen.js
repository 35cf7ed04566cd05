/* The projector page: arrow keys, Page Up/Down, Home/End move between agenda items by
   following the page's own links (which work without this script); F toggles full screen.
   Every few seconds it asks the server what the screen should show (a token of the item and
   its last vote) and reloads when that changed, so a result recorded or published in the
   admin appears in the hall without anyone touching the projector. Without the script, the
   «refresh» link does the same by hand. */
(function () {
  "use strict";

  function linkTarget(id) {
    var link = document.getElementById(id);
    return link ? link.getAttribute("href") : "";
  }

  function go(url) {
    if (url) {
      window.location.assign(url);
    }
  }

  function toggleFullscreen() {
    var root = document.documentElement;
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (root.requestFullscreen) {
      root.requestFullscreen().catch(function () {});
    }
  }

  function poll() {
    var body = document.body;
    var url = body.getAttribute("data-screen-state-url");
    var seconds = parseFloat(body.getAttribute("data-screen-poll-seconds") || "5");
    if (!url || !window.fetch || !(seconds > 0)) {
      return;
    }
    window.setTimeout(function check() {
      window
        .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && data.state && data.state !== body.getAttribute("data-screen-state")) {
            window.location.reload();
            return;
          }
          window.setTimeout(check, seconds * 1000);
        })
        .catch(function () {
          window.setTimeout(check, seconds * 1000); // the network will come back
        });
    }, seconds * 1000);
  }

  poll();

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    var nav = document.querySelector("[data-screen-nav]");
    switch (event.key) {
      case "ArrowLeft":
      case "PageUp":
        go(linkTarget("screen-prev"));
        break;
      case "ArrowRight":
      case "PageDown":
        go(linkTarget("screen-next"));
        break;
      case "Home":
        go(nav && nav.getAttribute("data-first"));
        break;
      case "End":
        go(nav && nav.getAttribute("data-last"));
        break;
      case "f":
      case "F":
        toggleFullscreen();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
})();
