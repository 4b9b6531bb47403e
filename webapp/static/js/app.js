// As-you-type suggestions for every search box marked .js-suggest: fetches /search.json and
// shows a keyboard-navigable listbox (ARIA combobox pattern). Without JS the form still works.
(function () {
  "use strict";
  var TYPE_NAMES = { quote: "Quote" };

  function hrefFor(r) {
    var url = r.href || ("/resource?iri=" + encodeURIComponent(r.iri));
    return r.anchor ? url + "#" + r.anchor : url;
  }

  function setup(input, n) {
    var list = document.createElement("ul");
    var listId = "suggest-" + n;
    list.id = listId;
    list.className = "suggest";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.parentNode.classList.add("suggest-host");
    input.parentNode.appendChild(list);
    var timer = null, active = -1, items = [], seq = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(i) {
      var opts = list.querySelectorAll("[role=option]");
      opts.forEach(function (o, k) { o.setAttribute("aria-selected", k === i ? "true" : "false"); });
      active = i;
      if (i >= 0 && opts[i]) {
        input.setAttribute("aria-activedescendant", opts[i].id);
        opts[i].scrollIntoView({ block: "nearest" });
      }
    }

    function render(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        var a = document.createElement("a");
        a.href = hrefFor(r);
        a.tabIndex = -1;
        var badge = document.createElement("span");
        badge.className = "badge badge--" + r.type;
        badge.textContent = TYPE_NAMES[r.type] || r.type_name;
        var text = document.createElement("span");
        text.className = "suggest__text";
        text.textContent = r.type === "quote" ? (r.before + r.match + r.after) : r.label;
        a.appendChild(badge);
        a.appendChild(text);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var mine = ++seq;
      fetch("/search.json?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (resp) { return resp.ok ? resp.json() : { results: [] }; })
        .then(function (data) { if (mine === seq) { render(data.results || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) { return; }
      if (ev.key === "ArrowDown") { ev.preventDefault(); highlight(Math.min(items.length - 1, active + 1)); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); highlight(Math.max(-1, active - 1)); }
      else if (ev.key === "Escape") { close(); }
      else if (ev.key === "Enter" && active >= 0) {
        ev.preventDefault();
        window.location.href = hrefFor(items[active]);
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }

  document.querySelectorAll("input.js-suggest").forEach(setup);

  // type filters apply at once (the Search button still works without JS)
  document.querySelectorAll(".filters input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () { box.form.submit(); });
  });
})();
