// Suggestions while typing (progressive: the forms work without this script). Each search box
// with data-suggest gets a <datalist> filled from /api/v1/search/suggest.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input, index) {
    var list = document.createElement("datalist");
    var timer = null;
    var last = "";
    list.id = "search-suggestions-" + index;
    input.after(list);
    input.setAttribute("list", list.id);
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value;
        if (q.trim().length < 2 || q === last) { return; }
        last = q;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.suggestions.map(function (text) {
              var option = document.createElement("option");
              option.value = text;
              return option;
            }));
          })
          .catch(function () { /* suggestions are a convenience: the search still works */ });
      }, 200);
    });
  });
})();
