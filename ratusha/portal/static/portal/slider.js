/* The home page's slider of top news: the WAI-ARIA Authoring Practices' auto-rotating carousel.

   Without JavaScript every slide is shown, as a list. With it: one slide at a time and three
   buttons before the slides, reached by Tab: pause/start, previous, next. The arrow keys on the
   buttons turn the slides too.

   The slides turn by themselves (every data-interval ms) only
   - if the visitor has not asked for less motion (prefers-reduced-motion: reduce): then they
     never start by themselves;
   - while neither the pointer nor the keyboard focus is in the slider: a keyboard or screen
     reader user who reaches it finds it still, and it waits while someone reads it;
   - until the visitor pauses them or turns a slide: then they stay put until "start".
   While they turn, the change is not announced (aria-live="off"); a slide the visitor turns is
   announced (aria-live="polite"). */
(function () {
  "use strict";

  function setUp(slider) {
    var list = slider.querySelector(".slider__slides");
    var items = list ? Array.prototype.slice.call(list.children) : [];
    if (items.length < 2) {
      return;
    }
    var interval = parseInt(slider.getAttribute("data-interval"), 10) || 6000;
    var reducedMotion =
      window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var current = 0;
    var timer = null;
    var stopped = reducedMotion || !slider.hasAttribute("data-autoplay");
    var hovered = false;
    var focused = false;

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
    var rotation = button("slider__rotation", "");
    var previous = button("slider__previous", slider.getAttribute("data-label-previous"));
    var next = button("slider__next", slider.getAttribute("data-label-next"));
    controls.appendChild(rotation);
    controls.appendChild(previous);
    controls.appendChild(next);
    list.parentNode.insertBefore(controls, list);

    function show(index) {
      current = (index + items.length) % items.length;
      items.forEach(function (item, position) {
        item.hidden = position !== current;
      });
    }

    // Turn by itself only when nobody asked it to stop and nobody is using it.
    function update() {
      var rotating = !stopped && !hovered && !focused;
      rotation.textContent = slider.getAttribute(stopped ? "data-label-start" : "data-label-stop");
      list.setAttribute("aria-live", rotating ? "off" : "polite");
      if (rotating && timer === null) {
        timer = window.setInterval(function () {
          show(current + 1);
        }, interval);
      } else if (!rotating && timer !== null) {
        window.clearInterval(timer);
        timer = null;
      }
    }

    function turn(step) {
      stopped = true;
      update();
      show(current + step);
    }

    rotation.addEventListener("click", function () {
      stopped = !stopped;
      update();
    });
    previous.addEventListener("click", function () {
      turn(-1);
    });
    next.addEventListener("click", function () {
      turn(1);
    });
    controls.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        event.preventDefault();
        turn(event.key === "ArrowRight" ? 1 : -1);
      }
    });
    slider.addEventListener("focusin", function () {
      focused = true;
      update();
    });
    slider.addEventListener("focusout", function (event) {
      if (!slider.contains(event.relatedTarget)) {
        focused = false;
        update();
      }
    });
    slider.addEventListener("mouseenter", function () {
      hovered = true;
      update();
    });
    slider.addEventListener("mouseleave", function () {
      hovered = false;
      update();
    });

    slider.classList.add("slider--enhanced");
    show(0);
    update();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-slider]"), setUp);
})();
