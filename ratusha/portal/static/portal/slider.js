/* The home page's slider of top news (WAI-ARIA Authoring Practices' carousel pattern).
   Without JavaScript every slide is shown as a list. With it: one slide at a time, buttons
   "previous", "next" and start/pause; the slides never turn by themselves until the visitor
   starts them, and stop as soon as focus enters a slide.
   Arrow keys on the buttons turn the slides too. */
(function () {
  "use strict";

  function setUp(slider) {
    var list = slider.querySelector(".slider__slides");
    var items = list ? Array.prototype.slice.call(list.children) : [];
    if (items.length < 2) {
      return;
    }
    var current = 0;
    var timer = null;
    var interval = parseInt(slider.getAttribute("data-interval"), 10) || 6000;

    function button(className, label) {
      var element = document.createElement("button");
      element.type = "button";
      element.className = "slider__button " + className;
      element.textContent = label;
      element.setAttribute("aria-controls", list.id);
      return element;
    }

    var controls = document.createElement("div");
    controls.className = "slider__controls";
    var rotation = button("slider__rotation", slider.getAttribute("data-label-start"));
    var previous = button("slider__previous", slider.getAttribute("data-label-previous"));
    var next = button("slider__next", slider.getAttribute("data-label-next"));
    controls.appendChild(rotation);
    controls.appendChild(previous);
    controls.appendChild(next);
    list.parentNode.insertBefore(controls, list);

    function show(index, announce) {
      current = (index + items.length) % items.length;
      items.forEach(function (item, position) {
        item.hidden = position !== current;
      });
      list.setAttribute("aria-live", announce ? "polite" : "off");
    }

    function stop() {
      if (timer !== null) {
        window.clearInterval(timer);
        timer = null;
      }
      rotation.textContent = slider.getAttribute("data-label-start");
      list.setAttribute("aria-live", "polite");
    }

    function start() {
      rotation.textContent = slider.getAttribute("data-label-stop");
      list.setAttribute("aria-live", "off");
      timer = window.setInterval(function () {
        show(current + 1, false);
      }, interval);
    }

    rotation.addEventListener("click", function () {
      if (timer === null) {
        start();
      } else {
        stop();
      }
    });
    previous.addEventListener("click", function () {
      stop();
      show(current - 1, true);
    });
    next.addEventListener("click", function () {
      stop();
      show(current + 1, true);
    });
    controls.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        event.preventDefault();
        stop();
        show(current + (event.key === "ArrowRight" ? 1 : -1), true);
      }
    });
    list.addEventListener("focusin", stop);

    slider.classList.add("slider--enhanced");
    show(0, true);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-slider]"), setUp);
})();
