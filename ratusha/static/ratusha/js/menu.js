/* Progressive enhancement: on narrow screens the main menu folds behind a "Menu" button.
   Without JavaScript the whole menu is simply shown. */
(function () {
  "use strict";
  var nav = document.querySelector(".main-nav[data-toggle-label]");
  var list = nav && nav.querySelector(".main-nav__list");
  if (!list) {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "main-nav__toggle";
  button.textContent = nav.getAttribute("data-toggle-label");
  button.setAttribute("aria-controls", list.id);
  button.setAttribute("aria-expanded", "false");
  button.addEventListener("click", function () {
    var expanded = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!expanded));
  });
  list.parentNode.insertBefore(button, list);
  nav.classList.add("main-nav--collapsible");
})();
