// Hover details only: the figures, their tables and links all work without this script.
(function () {
  "use strict";
  var tip = null;
  function show(event) {
    var shape = event.target.closest("[data-country], rect, circle, polygon");
    var titled = shape && shape.querySelector("title");
    if (!titled) { hide(); return; }
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "insights-tip";
      tip.setAttribute("aria-hidden", "true");  // the same words are in the shape's <title>
      document.body.appendChild(tip);
    }
    tip.textContent = titled.textContent;  // text only: never parsed as HTML
    tip.style.left = (event.pageX + 12) + "px";
    tip.style.top = (event.pageY + 12) + "px";
  }
  function hide() {
    if (tip) { tip.remove(); tip = null; }
  }
  Array.prototype.forEach.call(document.querySelectorAll("svg.map"), function (map) {
    map.addEventListener("mousemove", show);
    map.addEventListener("mouseleave", hide);
  });
}());
