/* Draws every network on the page from its JSON block (pyvis node/edge data, vis-network options).
   Physics runs until the layout has stabilised, then stops so the drawing stays still. */
(function () {
  "use strict";

  function pageOf(node) {
    return node.url || "/network?focus=" + encodeURIComponent(node.id);
  }

  function draw(container) {
    var block = document.getElementById(container.getAttribute("data-network"));
    if (!block) { return; }
    var data = JSON.parse(block.textContent);
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
    var settle = function () {
      network.setOptions({ physics: false });
      container.setAttribute("data-stable", "true");
    };
    network.once("stabilizationIterationsDone", settle);
    network.once("stabilized", settle);
    // keep the whole network in view when the canvas changes size, until the user zooms or drags
    var touched = false;
    network.on("zoom", function () { touched = true; });
    network.on("dragEnd", function () { touched = true; });
    network.on("resize", function () { if (!touched) { network.fit({ animation: false }); } });
    network.on("click", function (params) {
      if (!params.nodes || !params.nodes.length) { return; }
      var node = nodes.get(params.nodes[0]);
      if (node) { window.location.assign(pageOf(node)); }
    });
    network.on("hoverNode", function () { container.classList.add("net-pointer"); });
    network.on("blurNode", function () { container.classList.remove("net-pointer"); });
    container.addEventListener("keydown", function (ev) {
      if (ev.key === "+" || ev.key === "=") { network.moveTo({ scale: network.getScale() * 1.2 }); }
      if (ev.key === "-") { network.moveTo({ scale: network.getScale() / 1.2 }); }
      if (ev.key === "0") { network.fit(); }
    });
    window.cskgNetworks = window.cskgNetworks || {};
    window.cskgNetworks[container.id] = network;
  }

  function suggest(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2 || /^https?:/.test(q)) { return; }
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.results || []).forEach(function (item) {
              var opt = document.createElement("option");
              var wantsIri = input.hasAttribute("data-iri");
              opt.value = wantsIri ? item.iri : item.label;
              opt.textContent = wantsIri ? item.label + " (" + item.type_label + ")" : item.type_label;
              list.appendChild(opt);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 150);
    });
  }

  document.querySelectorAll(".net-canvas[data-network]").forEach(draw);
  document.querySelectorAll("input[data-suggest][list]").forEach(suggest);
})();
