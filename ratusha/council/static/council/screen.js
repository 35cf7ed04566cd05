/* The projector page: arrow keys, Page Up/Down, Home/End move between agenda items by
   following the page's own links (which work without this script); F toggles full screen. */
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
