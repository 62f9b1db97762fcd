/* Charts of the statistics page, drawn from the figures the page embeds (json_script).
 * viewflow navigates with Turbo: a page's scripts run once, so charts are (re)drawn on every
 * turbo:load and destroyed before Turbo caches the page (a cached canvas would come back blank
 * or twice drawn). */
(function () {
  if (window.ltTrackingCharts) { window.ltTrackingCharts.draw(); return; }
  var charts = [];
  var colours = ["#2e7d32", "#f9a825", "#1565c0", "#c62828", "#6a1b9a", "#757575"];

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function draw() {
    destroy();
    var figures = data("lt-chart-data");
    if (!figures || typeof Chart === "undefined") { return; }
    var status = document.getElementById("lt-chart-status");
    if (status) {
      charts.push(new Chart(status, {
        type: "doughnut",
        data: {labels: figures.status.labels,
               datasets: [{data: figures.status.values, backgroundColor: colours}]},
        options: {animation: false, plugins: {legend: {position: "right"}}}
      }));
    }
    var months = document.getElementById("lt-chart-months");
    if (months) {
      charts.push(new Chart(months, {
        type: "bar",
        data: {labels: figures.months.labels, datasets: [
          {label: figures.months.names[0], data: figures.months.on_time, backgroundColor: colours[0]},
          {label: figures.months.names[1], data: figures.months.missed, backgroundColor: colours[3]},
          {label: figures.months.names[2], data: figures.months.open, backgroundColor: colours[2]}
        ]},
        options: {animation: false, scales: {x: {stacked: true}, y: {stacked: true, ticks: {precision: 0}}}}
      }));
    }
    var units = document.getElementById("lt-chart-units");
    if (units) {
      charts.push(new Chart(units, {
        type: "bar",
        data: {labels: figures.units.labels, datasets: [
          {label: figures.units.names[0], data: figures.units.on_time, backgroundColor: colours[0]},
          {label: figures.units.names[1], data: figures.units.missed, backgroundColor: colours[3]}
        ]},
        options: {animation: false, indexAxis: "y", scales: {x: {ticks: {precision: 0}}}}
      }));
    }
  }

  function destroy() {
    while (charts.length) { charts.pop().destroy(); }
  }

  window.ltTrackingCharts = {draw: draw};
  document.addEventListener("turbo:load", draw);
  document.addEventListener("turbo:before-cache", destroy);
  if (document.readyState !== "loading") { draw(); }
  else { document.addEventListener("DOMContentLoaded", draw); }
})();
