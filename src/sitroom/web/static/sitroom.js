// sitroom: a little progressive enhancement. Every page works without this file.
"use strict";
(function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  // htmx (from npm, in /static/vendor/) sends the CSRF token as a header on every request it makes.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = token;
  });
  // Forms with data-confirm ask before they submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // In the reader, a highlighted span briefly marks the fact it links to.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.hl, .fact-list a") : null;
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    target.classList.add("flash");
    window.setTimeout(function () { target.classList.remove("flash"); }, 1500);
  });
})();
// Forms marked data-autosubmit (the map's time slider) show the day as the slider moves and go there
// when it stops: htmx swaps in the new map when the form carries hx-get (only #map-frame is
// redrawn), else the form is submitted. Moving the range clears the date input, so the slider wins.
document.addEventListener("input", function (event) {
  var form = event.target.form;
  if (!form || !form.hasAttribute("data-autosubmit") || event.target.type !== "range") return;
  var date = form.querySelector('input[type="date"]');
  if (date) date.value = "";
  var days = (form.getAttribute("data-days") || "").split(" ");
  var out = form.querySelector("output");
  if (out && days[event.target.value]) out.textContent = days[event.target.value];
}, true);
document.addEventListener("change", function (event) {
  var form = event.target.form;
  if (!form || !form.hasAttribute("data-autosubmit")) return;
  if (window.htmx && form.hasAttribute("hx-get")) return;  // htmx sends it
  form.submit();
});
