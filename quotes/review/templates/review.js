// quotes review: link each quote to its speaker mention and verb, show the record on hover/click,
// and let a fact-checker give each record a verdict (kept in localStorage, exported as JSONL).
// Everything the page shows from records or the reviewer goes through textContent: no HTML is built
// from data.
(function () {
  "use strict";
  var body = document.body;
  var review = body.getAttribute("data-review") || "";
  var article = body.getAttribute("data-article");
  var STORE = "quotes-review:" + review;
  var panel = document.getElementById("details");
  var dl = panel ? panel.querySelector("dl") : null;
  var empty = panel ? panel.querySelector(".empty") : null;
  var pinned = null;
  var lit = [];
  var current = null; // the selected record row
  var undo = [];

  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function byKey(key) { return key ? all('[data-key="' + key + '"]').filter(function (e) { return e.tagName !== "TR"; }) : []; }

  // --- linking quotes, speakers and verbs --------------------------------------------------------
  function quoteKeysOf(el) {
    if (el.classList.contains("m-quote")) { return [el.getAttribute("data-key")]; }
    return (el.getAttribute("data-quotes") || "").split(" ").filter(Boolean);
  }
  function linked(keys) {
    var out = [];
    keys.forEach(function (k) {
      var q = document.getElementById(k);
      out = out.concat(byKey(k).filter(function (e) { return e.tagName !== "A"; }));
      if (q) {
        ["data-speaker-ref", "data-verb-ref"].forEach(function (a) { out = out.concat(byKey(q.getAttribute(a))); });
      }
    });
    return out;
  }
  function light(els) {
    lit.forEach(function (e) { e.classList.remove("lit"); });
    lit = els;
    lit.forEach(function (e) { e.classList.add("lit"); });
  }
  function show(key) {
    var q = document.getElementById(key) || document.getElementById("r-" + key);
    if (!q || !dl) { return; }
    var row = document.getElementById("r-" + key);
    var get = function (a) { return (q.getAttribute(a) || (row && row.getAttribute(a)) || ""); };
    var rows = [
      ["speaker", get("data-speaker") || "(unattributed)"],
      ["mention", q.getAttribute("data-mention") || "-"],
      ["verb", q.getAttribute("data-verb") || "-"],
      ["cue family", get("data-cue-family") || "-"],
      ["kind", get("data-kind")],
      ["rule", get("data-rule") || "-"],
      ["confidence", get("data-confidence") || "-"],
      ["utterance", q.getAttribute("data-label") || "-"],
      ["record", get("data-record")]
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
    return target.closest ? target.closest(".m-quote, .m-speaker, .m-verb, a[data-key]") : null;
  }

  // --- verdicts: kept in localStorage under the review id -----------------------------------------
  function load() {
    var s = null;
    try { s = JSON.parse(window.localStorage.getItem(STORE) || "null"); } catch (e) { s = null; }
    if (!s || typeof s !== "object") { s = {}; }
    if (!s.verdicts || typeof s.verdicts !== "object") { s.verdicts = {}; }
    if (!Array.isArray(s.missed)) { s.missed = []; }
    return s;
  }
  function save(s) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify({version: 1, review: review, verdicts: s.verdicts, missed: s.missed}));
    } catch (e) {
      var stored = document.getElementById("stored");
      if (stored) { stored.textContent = "verdicts could not be kept in this browser (" + e.name + "): export them now"; }
    }
  }
  var rows = all("tr.record");
  var labels = {};
  all(".vchoice").forEach(function (b) { labels[b.getAttribute("data-verdict")] = b.textContent.replace(/^\s*\d\s*/, "").trim(); });
  var order = all(".vchoice").map(function (b) { return b.getAttribute("data-verdict"); });
  var TAGS = {"right": " ✓", "wrong-speaker": " ✗ speaker", "wrong-cue": " ✗ cue", "wrong-span": " ✗ span",
              "not-attribution": " ✗ not attr."};

  function identity(row) { return row.getAttribute("data-identity"); }
  function recordOf(row) {
    var n = function (a) { var v = row.getAttribute(a); return v === "" || v === null ? null : Number(v); };
    var index = n("data-record");
    return {article: article, start: n("data-start"), end: n("data-end"), kind: row.getAttribute("data-kind"),
            index: isNaN(index) ? null : index, text: row.getAttribute("data-text")};
  }
  function change(mutate, action) {
    var s = load();
    mutate(s);
    save(s);
    if (action) { undo.push(action); }
    render();
  }
  function setEntry(row, patch, dropIfEmpty) {
    var id = identity(row);
    change(function (s) {
      var prev = s.verdicts[id];
      var entry = Object.assign(recordOf(row), prev || {}, patch);
      if (dropIfEmpty && !entry.verdict && !entry.corrected_speaker && !entry.note) { delete s.verdicts[id]; }
      else { s.verdicts[id] = entry; }
    }, {type: "verdict", id: id, prev: load().verdicts[id]});
  }
  function setVerdict(row, verdict) { if (row) { setEntry(row, {verdict: verdict}); } }

  function selectionSpan() {
    var root = document.getElementById("text");
    var sel = window.getSelection();
    if (!root || !sel || sel.rangeCount === 0 || sel.isCollapsed) { return null; }
    var range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) { return null; }
    var pre = document.createRange();
    pre.selectNodeContents(root);
    pre.setEnd(range.startContainer, range.startOffset);
    var inner = range.toString();
    var trimmed = inner.trim();
    if (!trimmed) { return null; }
    var before = pre.toString() + inner.slice(0, inner.length - inner.replace(/^\s+/, "").length);
    var start = Array.from(before).length; // offsets in code points, as the records have them
    return {text: trimmed, start: start, end: start + Array.from(trimmed).length};
  }
  function useSelection() {
    var span = selectionSpan();
    if (!current || !span) { flash("select the speaker's words in the article text first"); return; }
    var entry = load().verdicts[identity(current)] || {};
    var patch = {corrected_speaker: span};
    if (!entry.verdict || entry.verdict === "right") { patch.verdict = "wrong-speaker"; }
    setEntry(current, patch);
    window.getSelection().removeAllRanges();
  }
  function markMissed() {
    var span = selectionSpan();
    if (!span) { flash("select the missed attribution's words in the article text first"); return; }
    var item = {article: article, start: span.start, end: span.end, kind: null, index: null, text: span.text,
                verdict: "missed", corrected_speaker: null, note: null};
    change(function (s) {
      if (!s.missed.some(function (m) { return m.article === item.article && m.start === item.start && m.end === item.end; })) {
        s.missed.push(item);
      }
    }, {type: "missed", prev: load().missed});
    window.getSelection().removeAllRanges();
  }
  function removeMissed(item) {
    change(function (s) {
      s.missed = s.missed.filter(function (m) { return !(m.article === item.article && m.start === item.start && m.end === item.end); });
    }, {type: "missed", prev: load().missed});
  }
  function doUndo() {
    var action = undo.pop();
    if (!action) { flash("nothing to undo"); return; }
    change(function (s) {
      if (action.type === "verdict") {
        if (action.prev === undefined) { delete s.verdicts[action.id]; } else { s.verdicts[action.id] = action.prev; }
      } else {
        s.missed = action.prev;
      }
    });
  }
  function flash(message) {
    var stored = document.getElementById("stored");
    if (stored) { stored.textContent = message; stored.classList.add("flash"); }
    window.setTimeout(function () { if (stored) { stored.classList.remove("flash"); render(); } }, 2500);
  }

  // --- exporting ----------------------------------------------------------------------------------
  function exportLines() {
    var s = load();
    var items = Object.keys(s.verdicts).map(function (k) { return s.verdicts[k]; }).concat(s.missed);
    items.sort(function (a, b) {
      return a.article < b.article ? -1 : a.article > b.article ? 1 : (a.start - b.start) || (a.end - b.end) ||
        String(a.kind).localeCompare(String(b.kind));
    });
    return items.map(function (v) {
      return JSON.stringify({review: review, article: v.article, start: v.start, end: v.end, kind: v.kind,
                             index: v.index === undefined ? null : v.index, text: v.text === undefined ? null : v.text,
                             verdict: v.verdict || null, corrected_speaker: v.corrected_speaker || null,
                             note: v.note || null});
    }).join("\n") + (items.length ? "\n" : "");
  }
  function download() {
    var blob = new Blob([exportLines()], {type: "application/x-ndjson"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "verdicts-" + review + ".jsonl";
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  window.quotesReview = {exportText: exportLines, state: load, review: review};

  // --- filters and moving through records ---------------------------------------------------------
  function val(id) { var el = document.getElementById(id); return el ? el.value : ""; }
  function visible() { return rows.filter(function (r) { return !r.hidden; }); }
  function applyFilters() {
    var s = load();
    var speaker = val("f-speaker"), kind = val("f-kind"), rule = val("f-rule"), family = val("f-family");
    var minConf = parseFloat(val("f-confidence")) || 0;
    var search = val("f-search").toLowerCase();
    var unjudgedBox = document.getElementById("f-unjudged");
    var unjudged = unjudgedBox && unjudgedBox.checked;
    var shown = 0;
    rows.forEach(function (row) {
      var conf = parseFloat(row.getAttribute("data-confidence"));
      var who = row.getAttribute("data-speaker") || "(unattributed)";
      var entry = s.verdicts[identity(row)];
      var ok = (!speaker || who === speaker) && (!kind || row.getAttribute("data-kind") === kind) &&
        (!rule || row.getAttribute("data-rule") === rule) && (!family || row.getAttribute("data-cue-family") === family) &&
        (!minConf || (!isNaN(conf) && conf >= minConf)) &&
        (!search || (row.textContent + " " + who).toLowerCase().indexOf(search) >= 0) &&
        (!unjudged || !(entry && entry.verdict));
      row.hidden = !ok;
      if (ok) { shown += 1; }
      byKey(row.getAttribute("data-key")).forEach(function (m) { m.classList.toggle("dim", !ok); });
    });
    var none = document.getElementById("no-match");
    if (none) { none.hidden = shown > 0 || rows.length === 0; }
  }
  function select(row, scroll) {
    if (current) { current.classList.remove("current"); }
    all(".m-quote.current").forEach(function (m) { m.classList.remove("current"); });
    current = row;
    if (!row) { render(); return; }
    row.classList.add("current");
    var key = row.getAttribute("data-key");
    var marks = all('.m-quote[data-key="' + key + '"]');
    marks.forEach(function (m) { m.classList.add("current"); });
    pinned = marks.length ? key : null;
    light(linked([key]));
    show(key);
    if (scroll) { (marks[0] || row).scrollIntoView({block: "center"}); }
    render();
  }
  function move(step) {
    var list = visible();
    if (!list.length) { return; }
    var i = list.indexOf(current);
    i = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
    select(list[i], true);
  }

  // --- drawing the verdicts -----------------------------------------------------------------------
  function render() {
    var s = load();
    var judged = 0;
    rows.forEach(function (row) {
      var entry = s.verdicts[identity(row)];
      var v = entry && entry.verdict;
      if (v) { judged += 1; }
      order.forEach(function (o) { row.classList.toggle("v-" + o, v === o); });
      row.querySelector(".verdict-label").textContent = v ? (labels[v] || v) : "";
      all(".vbtn", row).forEach(function (b) { b.classList.toggle("on", b.getAttribute("data-verdict") === v); });
      byKey(row.getAttribute("data-key")).forEach(function (m) {
        if (!m.classList.contains("m-quote")) { return; }
        order.forEach(function (o) { m.classList.toggle("v-" + o, v === o); });
        if (v) { m.setAttribute("data-verdict-tag", TAGS[v] || ""); } else { m.removeAttribute("data-verdict-tag"); }
      });
    });
    var progress = document.getElementById("progress");
    if (progress) { progress.textContent = judged + " of " + rows.length + " judged"; }
    var form = document.getElementById("verdict-form");
    if (form) {
      form.hidden = !current;
      document.getElementById("verdict-empty").hidden = !!current;
      if (current) {
        var entry = s.verdicts[identity(current)] || {};
        all(".vchoice", form).forEach(function (b) { b.classList.toggle("on", b.getAttribute("data-verdict") === entry.verdict); });
        var c = entry.corrected_speaker;
        document.getElementById("corrected").textContent = c ? c.text + " (" + c.start + "-" + c.end + ")" : "-";
        var note = document.getElementById("note");
        if (document.activeElement !== note) { note.value = entry.note || ""; }
      }
    }
    var list = document.getElementById("missed-list");
    if (list) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      s.missed.filter(function (m) { return m.article === article; }).forEach(function (m) {
        var li = document.createElement("li"), text = document.createElement("span"), del = document.createElement("button");
        text.textContent = "“" + m.text + "” (" + m.start + "-" + m.end + ") ";
        del.type = "button"; del.textContent = "remove"; del.className = "remove-missed";
        del.addEventListener("click", function () { removeMissed(m); });
        li.appendChild(text); li.appendChild(del);
        list.appendChild(li);
      });
    }
    all("td.judged[data-article]").forEach(function (td) {
      var a = td.getAttribute("data-article");
      td.textContent = String(Object.keys(s.verdicts).filter(function (k) { return s.verdicts[k].article === a && s.verdicts[k].verdict; }).length);
    });
    var stored = document.getElementById("stored");
    if (stored && !stored.classList.contains("flash")) {
      var n = Object.keys(s.verdicts).length;
      stored.textContent = n + " verdict" + (n === 1 ? "" : "s") + " and " + s.missed.length + " missed attribution" +
        (s.missed.length === 1 ? "" : "s") + " of this review kept in this browser";
    }
    applyFilters();
  }

  // --- events -------------------------------------------------------------------------------------
  function rowOf(key) { return key ? document.getElementById("r-" + key) : null; }
  document.addEventListener("mouseover", function (ev) {
    if (pinned || current) { return; }
    var el = markOf(ev.target);
    if (!el) { light([]); return; }
    var keys = el.tagName === "A" ? [el.getAttribute("data-key")] : quoteKeysOf(el);
    light(linked(keys));
    if (keys.length) { show(keys[0]); }
  });
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest ? ev.target.closest("button") : null;
    if (button) {
      var v = button.getAttribute("data-verdict");
      if (button.classList.contains("vbtn")) { select(button.closest("tr"), false); setVerdict(current, v); return; }
      if (button.classList.contains("vchoice")) { setVerdict(current, v); return; }
      if (button.id === "use-selection") { useSelection(); return; }
      if (button.id === "clear-corrected" && current) { setEntry(current, {corrected_speaker: null}, true); return; }
      if (button.id === "mark-missed") { markMissed(); return; }
      if (button.id === "export") { download(); return; }
      return;
    }
    var el = markOf(ev.target);
    if (!el || el.tagName === "A") {
      var tr = ev.target.closest ? ev.target.closest("tr.record") : null;
      if (tr && !el) { select(tr, false); }
      return;
    }
    var keys = quoteKeysOf(el);
    if (window.getSelection && !window.getSelection().isCollapsed) { return; } // selecting words, not picking
    if (current && current === rowOf(keys[0])) { select(null); pinned = null; light([]); return; }
    select(rowOf(keys[0]), false);
  });
  document.addEventListener("focusin", function (ev) {
    var el = ev.target;
    if (el.classList && el.classList.contains("m-quote") && !current) { light(linked([el.id])); show(el.id); }
  });
  all("#filters select, #filters input").forEach(function (el) {
    el.addEventListener("input", applyFilters);
    el.addEventListener("change", applyFilters);
  });
  var note = document.getElementById("note");
  if (note) {
    note.addEventListener("change", function () { if (current) { setEntry(current, {note: note.value.trim() || null}, true); } });
  }
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
    if (ev.key === "Escape") {
      if (typing) { t.blur(); return; }
      select(null); pinned = null; light([]); return;
    }
    if (typing) { return; }
    if ((ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === "z" || ev.key === "Z")) { ev.preventDefault(); doUndo(); return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var digit = "12345".indexOf(ev.key);
    if (digit >= 0 && order[digit]) { ev.preventDefault(); setVerdict(current, order[digit]); return; }
    switch (ev.key) {
      case "j": ev.preventDefault(); move(1); break;
      case "k": ev.preventDefault(); move(-1); break;
      case "u": ev.preventDefault(); doUndo(); break;
      case "s": ev.preventDefault(); useSelection(); break;
      case "m": ev.preventDefault(); markMissed(); break;
      case "n": if (note && current) { ev.preventDefault(); note.focus(); } break;
      case "/": var f = document.getElementById("f-search"); if (f) { ev.preventDefault(); f.focus(); } break;
      default: break;
    }
  });
  window.addEventListener("storage", function (ev) { if (ev.key === STORE) { render(); } });
  render();
}());
