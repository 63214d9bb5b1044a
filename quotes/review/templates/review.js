// quotes review: link each quote to its speaker mention and verb; show the record on hover/click.
(function () {
  "use strict";
  var panel = document.getElementById("details");
  if (!panel) { return; }
  var dl = panel.querySelector("dl");
  var empty = panel.querySelector(".empty");
  var pinned = null;
  var lit = [];

  function byKey(key) {
    return key ? Array.prototype.slice.call(document.querySelectorAll('[data-key="' + key + '"]')) : [];
  }
  function quoteKeysOf(el) {
    if (el.classList.contains("m-quote")) { return [el.getAttribute("data-key")]; }
    return (el.getAttribute("data-quotes") || "").split(" ").filter(Boolean);
  }
  function linked(keys) {
    var out = [];
    keys.forEach(function (k) {
      var q = document.getElementById(k);
      out = out.concat(byKey(k));
      if (q) {
        ["data-speaker-ref", "data-verb-ref"].forEach(function (a) { out = out.concat(byKey(q.getAttribute(a))); });
      }
    });
    return out;
  }
  function light(els, cls) {
    lit.forEach(function (e) { e.classList.remove("lit"); });
    lit = els;
    lit.forEach(function (e) { e.classList.add(cls || "lit"); });
  }
  function show(key) {
    var q = document.getElementById(key);
    if (!q) { return; }
    var rows = [
      ["speaker", q.getAttribute("data-speaker") || "(unattributed)"],
      ["mention", q.getAttribute("data-mention") || "-"],
      ["verb", q.getAttribute("data-verb") || "-"],
      ["kind", q.getAttribute("data-kind")],
      ["rule", q.getAttribute("data-rule") || "-"],
      ["confidence", q.getAttribute("data-confidence")],
      ["utterance", q.getAttribute("data-label")],
      ["record", q.getAttribute("data-record")]
    ];
    while (dl.firstChild) { dl.removeChild(dl.firstChild); }
    rows.forEach(function (r) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = r[0]; dd.textContent = r[1];
      dl.appendChild(dt); dl.appendChild(dd);
    });
    dl.hidden = false; empty.hidden = true;
  }
  function markOf(target) {
    return target.closest ? target.closest(".m-quote, .m-speaker, .m-verb, [data-key]") : null;
  }
  document.addEventListener("mouseover", function (ev) {
    if (pinned) { return; }
    var el = markOf(ev.target);
    if (!el) { light([]); return; }
    var keys = el.tagName === "A" ? [el.getAttribute("data-key")] : quoteKeysOf(el);
    light(linked(keys));
    if (keys.length) { show(keys[0]); }
  });
  document.addEventListener("click", function (ev) {
    var el = markOf(ev.target);
    if (!el || el.tagName === "A") { return; }
    var keys = quoteKeysOf(el);
    if (pinned && pinned === keys[0]) { pinned = null; light([]); return; }
    pinned = keys[0] || null;
    light(linked(keys));
    if (pinned) { show(pinned); }
  });
  document.addEventListener("focusin", function (ev) {
    var el = ev.target;
    if (el.classList && el.classList.contains("m-quote")) { light(linked([el.id])); show(el.id); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { pinned = null; light([]); }
  });
}());
