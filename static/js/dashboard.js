/* The dashboard's progress chart, drawn from the JSON data island the page carries (id "progress-data"). */
(function () {
  "use strict";

  var island = document.getElementById("progress-data");
  var canvas = document.getElementById("progress-chart");
  if (!island || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(island.textContent);
  var colours = {
    planned: "#adb5bd",
    on_track: "#0d6efd",
    delayed: "#dc3545",
    completed: "#198754",
    cancelled: "#212529"
  };
  var datasets = data.datasets.map(function (set) {
    return {
      label: set.label,
      data: set.data,
      backgroundColor: colours[set.status] || "#6c757d",
      borderWidth: 0
    };
  });
  // Long stream titles are shortened on the axis; the table beside the chart gives them in full. On a narrow
  // screen (a phone) they are set on short lines, so the axis stays narrow and no title is cut at the left edge.
  var lineLength = canvas.parentNode.clientWidth < 576 ? 18 : 42;
  var labels = data.labels.map(function (label) {
    var short = label.length > 42 ? label.slice(0, 40) + "…" : label;
    var lines = [""];
    short.split(" ").forEach(function (word) {
      var last = lines[lines.length - 1];
      if (last && (last + " " + word).length > lineLength) {
        lines.push(word);
      } else {
        lines[lines.length - 1] = last ? last + " " + word : word;
      }
    });
    return lines.length > 1 ? lines : lines[0];
  });
  var lineCount = labels.reduce(function (sum, label) {
    return sum + (Array.isArray(label) ? label.length : 1);
  }, 0);
  // The chart fills its box; the box grows with the number of streams (and of their lines).
  canvas.parentNode.style.height = Math.max(180, 22 * lineCount + 14 * labels.length + 70) + "px";
  new window.Chart(canvas, {
    type: "bar",
    data: { labels: labels, datasets: datasets },
    options: {
      indexAxis: "y",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Activities" } },
        y: { stacked: true }
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            title: function (items) {
              return data.labels[items[0].dataIndex];
            }
          }
        }
      }
    }
  });
})();
