// Draws every chart on the page: an element with data-chart="<id>" gets the Vega-Lite spec kept
// in <script type="application/json" id="<id>"> (Django's json_script). Charts that arrive later
// in an htmx swap are drawn on htmx:load. The options keep to our Content-Security-Policy:
// expressions run in vega-interpreter (no eval), vega-embed injects no <style>, the tooltip's CSS
// is in analytics.css.
(function () {
  "use strict";

  var OPTIONS = {
    ast: true,
    expr: window.vegaExpressionInterpreter,
    renderer: "svg",
    actions: false,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source) {
      return;
    }
    element.dataset.state = "drawing";
    window
      .vegaEmbed(element, JSON.parse(source.textContent), OPTIONS)
      .then(function () {
        element.dataset.state = "drawn";
      })
      .catch(function (error) {
        element.dataset.state = "failed";
        element.textContent = "This chart could not be drawn (" + error.message + "). The table below has its numbers.";
      });
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var found = Array.prototype.slice.call(scope.querySelectorAll("[data-chart]:not([data-state])"));
    if (scope.matches && scope.matches("[data-chart]:not([data-state])")) {
      found.push(scope);
    }
    found.forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    drawAll(event.target);
  });
})();
