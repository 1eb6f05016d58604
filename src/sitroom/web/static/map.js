// Progressive enhancement of the server-rendered map (sitroom.web.geo.render_map): choosing a place —
// a click, or Enter / Space on a focused one — writes its description (the circle's <title>) into the
// element whose id the map names in data-details, and marks the circle as chosen. Text only: place
// names come from source documents, so nothing here is ever parsed as HTML.
(function () {
  "use strict";

  function choose(circle) {
    var svg = circle.ownerSVGElement;
    var id = svg ? svg.getAttribute("data-details") : null;
    var target = id ? document.getElementById(id) : null;
    if (!target) {
      return;
    }
    var title = circle.querySelector("title");
    target.textContent = title ? title.textContent : circle.getAttribute("data-name") || "";
    svg.querySelectorAll("circle.place[aria-current]").forEach(function (other) {
      other.removeAttribute("aria-current");
    });
    circle.setAttribute("aria-current", "true");
  }

  function placeOf(event) {
    var el = event.target;
    return el && el.closest ? el.closest("svg.sitroom-map circle.place") : null;
  }

  document.addEventListener("click", function (event) {
    var circle = placeOf(event);
    if (circle) {
      choose(circle);
    }
  });

  document.addEventListener("keydown", function (event) {
    var circle = placeOf(event);
    if (circle && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      choose(circle);
    }
  });
})();
