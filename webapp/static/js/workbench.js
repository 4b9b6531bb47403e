/* The query workbench: YASGUI against our /sparql, the query library as examples, and three
   result views of our own registered as YASR plugins: a network (CONSTRUCT results, or the IRIs
   in each row) drawn with vis-network, and a timeline and a bar chart drawn as SVG. */
(function () {
  "use strict";

  var cfg = JSON.parse(document.getElementById("workbench-config").textContent);
  var endpoint = new URL(cfg.endpoint, window.location.href).href;
  var labelsUrl = new URL(cfg.labels_url, window.location.href).href;
  var SVG = "http://www.w3.org/2000/svg";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var viewSelect = document.getElementById("view");
  var exampleSelect = document.getElementById("example");
  var exampleDescription = document.getElementById("example-description");
  var examplePage = document.getElementById("example-page");
  var examples = {};
  cfg.examples.forEach(function (ex) { examples[ex.name] = ex; });
  var PLUGIN_OF_VIEW = { graph: "cskgNetwork", timeline: "cskgTimeline", bar: "cskgBar", table: "table" };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function icon(letter) {
    var span = el("span", { "class": "cskg-plugin-icon", "aria-hidden": "true" }, letter);
    return span;
  }

  var labelCache = {};
  function fetchLabels(iris) {
    var wanted = iris.filter(function (i) { return !(i in labelCache); });
    if (!wanted.length) { return Promise.resolve(labelCache); }
    return fetch(labelsUrl, {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ iris: wanted.slice(0, 2000) })
    }).then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (found) { Object.assign(labelCache, found); return labelCache; })
      .catch(function () { return labelCache; });
  }

  function bindings(yasr) {
    return (yasr.results && yasr.results.getBindings && yasr.results.getBindings()) || [];
  }

  function variables(yasr) {
    return (yasr.results && yasr.results.getVariables && yasr.results.getVariables()) || [];
  }

  // Draws wait for labels; a draw overtaken by another (the user switched views) must not append.
  function startDraw(yasr) {
    var token = {};
    yasr.cskgDrawToken = token;
    return function () { return yasr.cskgDrawToken === token; };
  }

  function message(yasr, text) {
    yasr.resultsEl.appendChild(el("p", { "class": "wb-note" }, text));
  }

  /* ---------------------------------------------------------------- network */
  function triplesOf(yasr) {
    var out = [];
    var statements = yasr.results && yasr.results.getStatements && yasr.results.getStatements();
    if (statements && statements.length) {
      statements.forEach(function (st) {
        if (st.object.termType === "NamedNode" && st.subject.termType === "NamedNode") {
          out.push([st.subject.value, st.predicate.value, st.object.value]);
        }
      });
      return out;
    }
    var vars = variables(yasr);
    bindings(yasr).forEach(function (row) {
      var iris = vars.filter(function (v) { return row[v] && row[v].type === "uri"; })
        .map(function (v) { return [v, row[v].value]; });
      for (var i = 0; i + 1 < iris.length; i++) { out.push([iris[i][1], "?" + iris[i + 1][0], iris[i + 1][1]]); }
      if (iris.length === 1) { out.push([iris[0][1], null, null]); }
    });
    return out;
  }

  function localName(iri) {
    if (iri.charAt(0) === "?") { return iri.slice(1); }
    var m = /[#\/]([^#\/]+)[#\/]?$/.exec(iri);
    return (m ? m[1] : iri).replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[-_]/g, " ").toLowerCase();
  }

  function NetworkPlugin(yasr) { this.yasr = yasr; this.priority = 4; this.label = "Network"; }
  NetworkPlugin.prototype.canHandleResults = function () { return triplesOf(this.yasr).length > 0; };
  NetworkPlugin.prototype.getIcon = function () { return icon("⬡"); };
  NetworkPlugin.prototype.draw = function () {
    var yasr = this.yasr;
    var current = startDraw(yasr);
    var triples = triplesOf(yasr).slice(0, 1500);
    var iris = {};
    triples.forEach(function (t) { iris[t[0]] = 1; if (t[2]) { iris[t[2]] = 1; } });
    var cap = 300;
    var list = Object.keys(iris);
    var more = list.length - cap;
    list = list.slice(0, cap);
    return fetchLabels(list).then(function (labels) {
      if (!current()) { return; }
      if (more > 0) { message(yasr, more + " more not shown: add a LIMIT or filter the query."); }
      var container = el("div", { "class": "cskg-net", id: "workbench-network", tabindex: "0", role: "img",
        "aria-label": "The results drawn as a network" });
      yasr.resultsEl.appendChild(container);
      var keep = {};
      var nodes = list.map(function (iri) {
        keep[iri] = 1;
        var info = labels[iri] || {};
        var label = info.label || localName(iri);
        return { id: iri, label: label.length > 42 ? label.slice(0, 41) + "…" : label,
          title: (info.type_label || "Resource") + ": " + label, color: info.color || "#adb5bd",
          shape: info.shape || "dot", url: info.url || null,
          font: (info.shape === "box" || info.shape === "ellipse") ? { color: "#ffffff" } : undefined };
      });
      var seen = {};
      var edges = [];
      triples.forEach(function (t) {
        if (!t[2] || !keep[t[0]] || !keep[t[2]] || t[0] === t[2]) { return; }
        var key = t[0] + " " + t[2];
        var name = (labels[t[1]] && labels[t[1]].label && labels[t[1]].type === null && t[1].charAt(0) !== "?")
          ? labels[t[1]].label.toLowerCase() : localName(t[1]);
        if (seen[key]) { if (seen[key].label.indexOf(name) < 0) { seen[key].label += "; " + name; } return; }
        seen[key] = { from: t[0], to: t[2], label: name, title: name, arrows: "to" };
        edges.push(seen[key]);
      });
      var options = {
        physics: { solver: "forceAtlas2Based", stabilization: { iterations: 300, fit: true }, minVelocity: 1.5 },
        nodes: { font: { size: 13 } },
        edges: { color: { color: "#9aa5b1" }, font: { size: 10, strokeWidth: 3, color: "#52606d" }, smooth: { type: "continuous" } },
        interaction: { hover: true }
      };
      var data = { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) };
      var network = new vis.Network(container, data, options);
      network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); });
      network.on("resize", function () { network.fit({ animation: false }); });
      network.on("click", function (p) {
        if (!p.nodes || !p.nodes.length) { return; }
        var node = data.nodes.get(p.nodes[0]);
        window.location.assign(node.url || "/network?focus=" + encodeURIComponent(node.id));
      });
      window.cskgNetworks = window.cskgNetworks || {};
      window.cskgNetworks["workbench-network"] = network;
    });
  };

  /* ---------------------------------------------------------------- charts */
  var DATE_TYPES = [XSD + "date", XSD + "dateTime", XSD + "gYear", XSD + "gYearMonth"];

  function isNumber(cell) { return cell && cell.type !== "uri" && cell.value !== "" && !isNaN(Number(cell.value)); }
  function isDate(cell) {
    return cell && cell.type !== "uri" && (DATE_TYPES.indexOf(cell.datatype) >= 0 || /^\d{4}-\d{2}/.test(cell.value));
  }
  function columnWhere(yasr, test, except) {
    var rows = bindings(yasr);
    return variables(yasr).filter(function (v) {
      if (except && except.indexOf(v) >= 0) { return false; }
      var present = rows.filter(function (r) { return r[v]; });
      return present.length > 0 && present.every(function (r) { return test(r[v]); });
    })[0];
  }
  function yearOf(value) {
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value || "");
    return m ? Number(m[1]) + ((Number(m[2] || 1) - 1) / 12) + ((Number(m[3] || 1) - 1) / 365) : null;
  }
  function cellText(cell, labels) {
    if (!cell) { return ""; }
    if (cell.type === "uri") { return (labels[cell.value] && labels[cell.value].label) || localName(cell.value); }
    return cell.value;
  }
  function uriValues(yasr) {
    var out = {};
    bindings(yasr).forEach(function (r) { Object.keys(r).forEach(function (v) { if (r[v].type === "uri") { out[r[v].value] = 1; } }); });
    return Object.keys(out);
  }

  // 1, 2 or 5 times a power of ten, at least raw (at least 1 for whole numbers), as webapp/library.py
  function niceStep(raw, whole) {
    if (raw <= 0 || (whole && raw <= 1)) { return 1; }
    var magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    return [1, 2, 5, 10].map(function (m) { return m * magnitude; }).filter(function (v) { return v >= raw; })[0];
  }

  function BarPlugin(yasr) { this.yasr = yasr; this.priority = 2; this.label = "Bar chart"; }
  BarPlugin.prototype.canHandleResults = function () {
    var value = columnWhere(this.yasr, isNumber);
    return !!value && !!columnWhere(this.yasr, function (c) { return !isNumber(c); }, [value]);
  };
  BarPlugin.prototype.getIcon = function () { return icon("▮"); };
  BarPlugin.prototype.draw = function () {
    var yasr = this.yasr;
    var valueVar = columnWhere(yasr, isNumber);
    var labelVar = columnWhere(yasr, function (c) { return !isNumber(c); }, [valueVar]);
    var rows = bindings(yasr).slice(0, 60);
    var current = startDraw(yasr);
    return fetchLabels(uriValues(yasr)).then(function (labels) {
      if (!current()) { return; }
      var width = 860, x0 = 260, barH = 20, gap = 6, head = 24, plot = width - x0 - 70;
      var values = rows.map(function (r) { return Number(r[valueVar] ? r[valueVar].value : 0); });
      var step = niceStep(Math.max.apply(null, values.concat([0])) / 4,
        values.every(function (v) { return v === Math.round(v); }));
      var steps = Math.max(1, Math.ceil(Math.max.apply(null, values.concat([0])) / step));
      var max = step * steps;
      var height = head + rows.length * (barH + gap) + 10;
      var chart = svg("svg", { "class": "chart", id: "workbench-chart", viewBox: "0 0 " + width + " " + height, role: "img" });
      chart.appendChild(svg("title", {}, valueVar + " by " + labelVar));
      Array.from({ length: steps + 1 }, function (_, k) { return k; }).forEach(function (k) {
        var x = x0 + plot * k / steps;
        chart.appendChild(svg("line", { "class": "grid", x1: x, x2: x, y1: 18, y2: height - 6 }));
        chart.appendChild(svg("text", { "class": "tick-label", x: x, y: 12, "text-anchor": "middle" }, (step * k).toLocaleString("en-GB", { maximumFractionDigits: 2 })));
      });
      rows.forEach(function (r, i) {
        var v = Number(r[valueVar] ? r[valueVar].value : 0);
        var y = head + i * (barH + gap);
        var label = cellText(r[labelVar], labels);
        var g = svg("g", {});
        g.appendChild(svg("title", {}, label + ": " + v));
        g.appendChild(svg("text", { x: x0 - 8, y: y + barH * 0.7, "text-anchor": "end" }, label.length > 38 ? label.slice(0, 37) + "…" : label));
        var w = Math.max(1, plot * v / max);
        g.appendChild(svg("rect", { "class": "bar", x: x0, y: y, width: w, height: barH, rx: 2 }));
        g.appendChild(svg("text", { x: x0 + w + 6, y: y + barH * 0.7 }, v.toLocaleString("en-GB")));
        chart.appendChild(g);
      });
      yasr.resultsEl.appendChild(chart);
    });
  };

  function TimelinePlugin(yasr) { this.yasr = yasr; this.priority = 3; this.label = "Timeline"; }
  TimelinePlugin.prototype.canHandleResults = function () { return !!columnWhere(this.yasr, isDate); };
  TimelinePlugin.prototype.getIcon = function () { return icon("⋯"); };
  TimelinePlugin.prototype.draw = function () {
    var yasr = this.yasr;
    var dateVar = columnWhere(yasr, isDate);
    var laneVar = columnWhere(yasr, function (c) { return c.type === "uri"; }, [dateVar]) ||
      variables(yasr).filter(function (v) { return v !== dateVar; })[0];
    var rows = bindings(yasr).filter(function (r) { return r[dateVar] && yearOf(r[dateVar].value) !== null; });
    var current = startDraw(yasr);
    return fetchLabels(uriValues(yasr)).then(function (labels) {
      if (!current()) { return; }
      var lanes = [];
      var laneIndex = {};
      rows.slice().sort(function (a, b) { return yearOf(a[dateVar].value) - yearOf(b[dateVar].value); }).forEach(function (r) {
        var key = r[laneVar] ? r[laneVar].value : "";
        if (!(key in laneIndex) && lanes.length < 40) { laneIndex[key] = lanes.length; lanes.push(r[laneVar]); }
      });
      var years = rows.map(function (r) { return yearOf(r[dateVar].value); });
      var lo = Math.floor(Math.min.apply(null, years)), hi = Math.floor(Math.max.apply(null, years)) + 1;
      var width = 860, x0 = 260, x1 = width - 30, height = 40 + lanes.length * 24;
      var xpos = function (y) { return x0 + (x1 - x0) * (y - lo) / (hi - lo); };
      var chart = svg("svg", { "class": "chart", id: "workbench-chart", viewBox: "0 0 " + width + " " + height, role: "img" });
      chart.appendChild(svg("title", {}, "Timeline by " + dateVar));
      var step = Math.max(1, Math.floor((hi - lo) / 10));
      for (var y = lo; y <= hi; y += step) {
        chart.appendChild(svg("line", { "class": "grid", x1: xpos(y), x2: xpos(y), y1: 18, y2: height - 6 }));
        chart.appendChild(svg("text", { "class": "tick-label", x: xpos(y), y: 12, "text-anchor": "middle" }, String(y)));
      }
      lanes.forEach(function (cell, i) {
        var ly = 30 + i * 24;
        var label = cellText(cell, labels);
        chart.appendChild(svg("line", { "class": "axis", x1: x0, x2: x1, y1: ly, y2: ly }));
        chart.appendChild(svg("text", { x: x0 - 8, y: ly + 4, "text-anchor": "end" }, label.length > 36 ? label.slice(0, 35) + "…" : label));
      });
      rows.forEach(function (r) {
        var key = r[laneVar] ? r[laneVar].value : "";
        if (!(key in laneIndex)) { return; }
        var dot = svg("circle", { "class": "dot", cx: xpos(yearOf(r[dateVar].value)), cy: 30 + laneIndex[key] * 24, r: 6 });
        dot.appendChild(svg("title", {}, r[dateVar].value + ": " + variables(yasr).map(function (v) { return cellText(r[v], labels); }).filter(Boolean).join(" · ")));
        chart.appendChild(dot);
      });
      yasr.resultsEl.appendChild(chart);
    });
  };

  /* ---------------------------------------------------------------- table
     YASR's own table sizes its columns by inserting a <style> element, which the app's
     Content-Security-Policy (style-src 'self') refuses; this one needs no inline style. */
  var MAX_TABLE_ROWS = 1000;
  function TablePlugin(yasr) { this.yasr = yasr; this.priority = 10; this.label = "Table"; }
  TablePlugin.prototype.canHandleResults = function () { return variables(this.yasr).length > 0; };
  TablePlugin.prototype.getIcon = function () { return icon("☷"); };
  TablePlugin.prototype.draw = function () {
    var yasr = this.yasr;
    var vars = variables(yasr);
    var rows = bindings(yasr);
    var current = startDraw(yasr);
    return fetchLabels(uriValues(yasr).slice(0, 2000)).then(function (labels) {
      if (!current()) { return; }
      var table = el("table", { "class": "results", id: "workbench-table" });
      table.appendChild(el("caption", {}, rows.length + " row" + (rows.length === 1 ? "" : "s") +
        (rows.length > MAX_TABLE_ROWS ? ", the first " + MAX_TABLE_ROWS + " shown" : "")));
      var head = el("tr");
      vars.forEach(function (v) { head.appendChild(el("th", { scope: "col" }, v)); });
      table.appendChild(el("thead")).appendChild(head);
      var body = el("tbody");
      rows.slice(0, MAX_TABLE_ROWS).forEach(function (r) {
        var tr = el("tr");
        vars.forEach(function (v) {
          var td = el("td");
          var cell = r[v];
          if (cell && cell.type === "uri") {
            var info = labels[cell.value] || {};
            var a = el("a", { href: info.url || cell.value, title: cell.value }, info.label || localName(cell.value));
            td.appendChild(a);
          } else if (cell) {
            td.textContent = cell.value;
            if (cell["xml:lang"]) { td.setAttribute("lang", cell["xml:lang"]); }
          }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
      yasr.resultsEl.appendChild(table);
    });
  };

  Yasgui.Yasr.registerPlugin("table", TablePlugin);
  Yasgui.Yasr.registerPlugin("cskgNetwork", NetworkPlugin);
  Yasgui.Yasr.registerPlugin("cskgTimeline", TimelinePlugin);
  Yasgui.Yasr.registerPlugin("cskgBar", BarPlugin);

  /* ---------------------------------------------------------------- YASGUI */
  var params = new URLSearchParams(window.location.search);
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "cskg-workbench",
    populateFromUrl: false,
    yasqe: { value: cfg.default_query, autocompleters: ["variables"], resizeable: true, editorHeight: "320px" },
    yasr: { prefixes: cfg.prefixes, pluginOrder: ["table", "response", "cskgNetwork", "cskgTimeline", "cskgBar"], defaultPlugin: "table" }
  });
  window.cskgYasgui = yasgui;

  function tab() { return yasgui.getTab(); }

  function showView(name) {
    var t = tab();
    var plugin = PLUGIN_OF_VIEW[name] || "table";
    var yasr = t.getYasr();
    if (yasr && yasr.results && yasr.plugins[plugin] && yasr.plugins[plugin].canHandleResults()) {
      yasr.selectPlugin(plugin);
    }
  }

  function shareUrl() {
    var u = new URL(window.location.href);
    u.search = "";
    u.searchParams.set("query", tab().getQuery());
    if (viewSelect.value !== "table") { u.searchParams.set("view", viewSelect.value); }
    if (exampleSelect.value) { u.searchParams.set("example", exampleSelect.value); }
    return u;
  }

  function useExample(name, run) {
    var ex = examples[name];
    exampleDescription.textContent = ex ? ex.description : "";
    examplePage.href = ex ? ex.page : examplePage.href;
    if (!ex) { return; }
    viewSelect.value = ex.view || "table";
    var t = tab();
    t.setQuery(ex.query);
    t.getYasqe().setValue(ex.query);
    if (run) { t.query(); }
  }

  // One tab for the page: examples and shared links replace its query (the user's last query
  // is kept by YASGUI between visits when the address carries none).
  tab().setEndpoint(endpoint);
  if (params.get("query")) {
    tab().setQuery(params.get("query"));
    tab().getYasqe().setValue(params.get("query"));
    if (params.get("view")) { viewSelect.value = params.get("view"); }
    if (params.get("example") && examples[params.get("example")]) {
      exampleSelect.value = params.get("example");
      exampleDescription.textContent = examples[params.get("example")].description;
    }
  } else if (cfg.selected) {
    exampleSelect.value = cfg.selected;
    useExample(cfg.selected, false);
  }

  exampleSelect.addEventListener("change", function () { useExample(exampleSelect.value, true); });
  viewSelect.addEventListener("change", function () {
    showView(viewSelect.value);
    window.history.replaceState(null, "", shareUrl());
  });
  yasgui.on("queryResponse", function () {
    window.history.replaceState(null, "", shareUrl());
    setTimeout(function () { showView(viewSelect.value); }, 0);
  });
})();
