// Conveniences only: the page works fully without this script.
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form) { return; }
  var FOCUS_KEY = "csfinder-focus";
  // Keep the URL short: empty fields are not sent.
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.querySelectorAll("input, select"), function (field) {
      if (field.name && field.value === "" && field.type !== "checkbox") { field.disabled = true; }
    });
  });
  // Back/forward restores the page from cache with fields disabled: enable them again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.querySelectorAll("input, select"), function (field) {
      field.disabled = false;
    });
  });
  // Tell people filters apply at once (WCAG 3.2.2: a change of context on input is announced).
  var hint = document.getElementById("auto-apply");
  if (hint) { hint.hidden = false; }
  // After an automatic submit, put focus back on the control that was changed, so keyboard
  // users do not start again from the top of the page.
  try {
    var saved = JSON.parse(window.sessionStorage.getItem(FOCUS_KEY) || "null");
    window.sessionStorage.removeItem(FOCUS_KEY);
    if (saved) {
      Array.prototype.some.call(form.elements, function (element) {
        if (element.name === saved.name && (saved.value === null || element.value === saved.value)) {
          element.focus();
          return true;
        }
        return false;
      });
    }
  } catch (ignored) { /* storage may be unavailable */ }
  // A select changed with the arrow keys fires "change" at every step: only a pointer choice
  // submits at once; keyboard users press the Sort button.
  var keyed = false;
  form.addEventListener("keydown", function (event) { keyed = event.target.matches("select"); });
  form.addEventListener("pointerdown", function () { keyed = false; });
  // Apply a filter or sort as soon as it changes.
  form.addEventListener("change", function (event) {
    var target = event.target;
    var checkbox = target.matches("input[type=checkbox]");
    if (!checkbox && !(target.matches("select") && !keyed)) { return; }
    try {
      window.sessionStorage.setItem(FOCUS_KEY, JSON.stringify(
        { name: target.name, value: checkbox ? target.value : null }));
    } catch (ignored) { /* storage may be unavailable */ }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  });
  // Title suggestions for the search box.
  var box = document.getElementById("q");
  var list = document.getElementById("suggestions");
  var timer = null;
  if (!box || !list) { return; }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    var typed = box.value;
    if (typed.trim().length < 2) { return; }
    timer = setTimeout(function () {
      var endpoint = box.getAttribute("data-suggest") || "/suggest";
      fetch(endpoint + "?q=" + encodeURIComponent(typed), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (items) {
          while (list.firstChild) { list.removeChild(list.firstChild); }
          items.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.title;  // textContent/value: never parsed as HTML
            list.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are optional */ });
    }, 150);
  });
}());
