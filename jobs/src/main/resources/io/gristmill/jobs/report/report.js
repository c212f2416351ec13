// Draws the report's charts with Chart.js (inlined above) from the specs in #report-charts.
// No network, no animation (the page is complete once it has loaded).
(function () {
  "use strict";
  var specs = JSON.parse(document.getElementById("report-charts").textContent);
  var palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"];
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;
  var drawn = 0;
  specs.forEach(function (spec) {
    var canvas = document.querySelector('canvas[data-chart="' + spec.id + '"]');
    if (!canvas) {
      throw new Error("report: no canvas for chart " + spec.id);
    }
    var datasets = spec.datasets.map(function (d, i) {
      return { label: d.label, data: d.data, backgroundColor: palette[i % palette.length] };
    });
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: { x: { beginAtZero: true }, y: { beginAtZero: true } }
      }
    });
    drawn++;
  });
  document.body.setAttribute("data-charts-drawn", String(drawn));
})();
