// The report viewer: a fact in the side list scrolls the text to its passage and flashes it;
// a highlighted passage in the text marks its facts in the list.
(function () {
  "use strict";
  var text = document.getElementById("report-text");
  var facts = document.getElementById("facts");
  if (!text) { return; }

  function marks(anchor) {
    return text.querySelectorAll('mark[data-ev~="' + anchor + '"]');
  }

  function flash(elements) {
    elements.forEach(function (el) {
      el.classList.remove("flash");
      void el.offsetWidth; // restart the animation
      el.classList.add("flash");
    });
  }

  function show(anchor, focus) {
    var found = marks(anchor);
    if (!found.length) { return; }
    text.querySelectorAll("mark.current").forEach(function (m) { m.classList.remove("current"); });
    found.forEach(function (m) { m.classList.add("current"); });
    found[0].scrollIntoView({ block: "center", behavior: "smooth" });
    if (focus) { found[0].focus({ preventScroll: true }); }
    flash(Array.prototype.slice.call(found));
    if (facts) {
      facts.querySelectorAll(".fact.is-current").forEach(function (f) { f.classList.remove("is-current"); });
      var item = facts.querySelector('.fact[data-ev="' + anchor + '"]');
      if (item) { item.classList.add("is-current"); }
    }
  }

  if (facts) {
    facts.addEventListener("click", function (ev) {
      var link = ev.target.closest("a.fact__jump");
      if (!link) { return; }
      ev.preventDefault();
      var anchor = link.getAttribute("data-ev");
      history.replaceState(null, "", "#" + anchor);
      show(anchor, true);
    });
  }

  text.addEventListener("click", function (ev) {
    var mark = ev.target.closest("mark.ev");
    if (!mark || !facts) { return; }
    var anchors = mark.getAttribute("data-ev").split(" ");
    facts.querySelectorAll(".fact.is-current").forEach(function (f) { f.classList.remove("is-current"); });
    var first = null;
    anchors.forEach(function (a) {
      var item = facts.querySelector('.fact[data-ev="' + a + '"]');
      if (item) { item.classList.add("is-current"); first = first || item; }
    });
    if (first) { first.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
  });

  if (window.location.hash.indexOf("#ev-") === 0) {
    show(window.location.hash.slice(1), false);
  }
})();
