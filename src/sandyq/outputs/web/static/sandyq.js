/* sandyq dashboard: tables, tabs, SVG line charts and choropleth maps. No libraries, no network but this site. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var body = document.body;
  var ROOT = body.getAttribute("data-root") || "./";
  var LANG = body.getAttribute("data-lang") || "en";
  var LOCALE = { kk: "kk-KZ", ru: "ru-RU", en: "en-GB" }[LANG] || "en-GB";
  var COLORS = ["#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#4d4d4d"];
  var BLUES = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs || {}) { if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]); }
    if (parent) parent.appendChild(node);
    return node;
  }
  function txt(name, attrs, text, parent) { var n = el(name, attrs, parent); n.textContent = text; return n; }
  function fmt(v, decimals) {
    if (v === null || v === undefined || isNaN(v)) return "–";
    var d = decimals;
    if (d === null || d === undefined) { var a = Math.abs(v); d = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3; }
    return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: d }).format(v);
  }
  function wrap(text, width, charW) {
    var words = String(text || "").split(/\s+/), lines = [], line = "", max = Math.max(20, Math.floor(width / charW));
    words.forEach(function (w) {
      if (line && (line + " " + w).length > max) { lines.push(line); line = w; } else { line = line ? line + " " + w : w; }
    });
    if (line) lines.push(line);
    return lines;
  }
  function fmtDate(iso) {
    if (!iso) return "";
    var d = new Date(String(iso).slice(0, 10) + "T00:00:00Z");
    return isNaN(d) ? String(iso) : new Intl.DateTimeFormat(LOCALE, { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" }).format(d);
  }
  function niceTicks(lo, hi, n) {
    if (hi === lo) { hi = lo + 1; }
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
    var err = (hi - lo) / n / step;
    step *= err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1;
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
    return out;
  }
  function download(name, blob) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = name;
    document.body.appendChild(a); a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function csvCell(v) {
    var s = v === null || v === undefined ? "" : String(v);
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  /* ---- tables on a phone: each row a block, each cell labelled with its column (CSS does the layout) ---- */
  document.querySelectorAll("table.data:not(.coverage)").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (h) { return h.textContent.trim(); });
    if (heads.length < 2) return;
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (cell, i) { if (heads[i] && i > 0) cell.setAttribute("data-label", heads[i]); });
    });
    table.classList.add("stack");
  });

  /* ---- tabs ------------------------------------------------------------------------------------ */
  document.querySelectorAll("[role=tablist]").forEach(function (list) {
    var tabs = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
    function select(tab) {
      tabs.forEach(function (t) {
        var on = t === tab;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
      });
      list.dispatchEvent(new CustomEvent("tabchange", { detail: tab.id }));
    }
    tabs.forEach(function (t, i) {
      t.addEventListener("click", function () { select(t); });
      t.addEventListener("keydown", function (e) {
        var j = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? tabs.length - 1 : null;
        if (j === null) return;
        e.preventDefault(); var next = tabs[(j + tabs.length) % tabs.length]; select(next); next.focus();
      });
    });
  });

  /* ---- sortable and filterable tables ------------------------------------------------------------ */
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th button[data-sort]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var th = btn.closest("th"), idx = Array.prototype.indexOf.call(th.parentNode.children, th);
        var asc = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var numeric = btn.getAttribute("data-sort") === "num", tb = table.tBodies[0];
        var rows = Array.prototype.slice.call(tb.rows);
        rows.sort(function (a, b) {
          var x = a.cells[idx].getAttribute("data-v") || a.cells[idx].textContent;
          var y = b.cells[idx].getAttribute("data-v") || b.cells[idx].textContent;
          if (numeric) { x = x === "" ? Infinity : parseFloat(x); y = y === "" ? Infinity : parseFloat(y); return asc ? x - y : y - x; }
          return asc ? x.localeCompare(y, LOCALE) : y.localeCompare(x, LOCALE);
        });
        rows.forEach(function (r) { tb.appendChild(r); });
      });
    });
  });
  document.querySelectorAll("form[data-filter-table]").forEach(function (form) {
    var table = document.getElementById(form.getAttribute("data-filter-table"));
    var out = form.querySelector("[data-count]");
    /* a long table is paged (no silent cap): the pager says which rows of how many are shown */
    var size = parseInt(table.getAttribute("data-page-size") || "0", 10), pageNo = 0;
    var pager = document.querySelector('[data-pager="' + table.id + '"]');
    function paginate() {
      if (!size || !pager) return;
      var matched = Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return !r.hasAttribute("data-filtered"); });
      var pages = Math.max(1, Math.ceil(matched.length / size));
      pageNo = Math.min(Math.max(0, pageNo), pages - 1);
      matched.forEach(function (r, i) { r.hidden = Math.floor(i / size) !== pageNo; });
      var lo = matched.length ? pageNo * size + 1 : 0, hi = Math.min(matched.length, (pageNo + 1) * size);
      pager.querySelector("[data-range]").textContent = lo + "–" + hi + " / " + matched.length;
      pager.querySelector("[data-prev]").disabled = pageNo === 0;
      pager.querySelector("[data-next]").disabled = pageNo >= pages - 1;
    }
    if (pager) {
      pager.querySelector("[data-prev]").addEventListener("click", function () { pageNo--; paginate(); });
      pager.querySelector("[data-next]").addEventListener("click", function () { pageNo++; paginate(); });
      table.querySelectorAll("th button[data-sort]").forEach(function (b) { b.addEventListener("click", function () { pageNo = 0; paginate(); }); });
    }
    function apply() {
      pageNo = 0;
      var n = 0, rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i], show = true;
        form.querySelectorAll("[data-col]").forEach(function (c) {
          var v = c.value.trim().toLowerCase(); if (!v) return;
          var col = c.getAttribute("data-col");
          if (col === "text") { show = show && row.textContent.toLowerCase().indexOf(v) >= 0; }
          else if (c.hasAttribute("data-contains")) { show = show && (row.getAttribute("data-" + col) || "").split(",").indexOf(v) >= 0; }
          else { show = show && (row.getAttribute("data-" + col) || "").toLowerCase() === v; }
        });
        row.hidden = !show; if (show) { n++; row.removeAttribute("data-filtered"); } else row.setAttribute("data-filtered", "");
      }
      if (out) out.textContent = n + " / " + rows.length;
      paginate();
    }
    form.addEventListener("input", apply); form.addEventListener("change", apply); apply();
  });

  /* ---- line chart -------------------------------------------------------------------------------- */
  /* A chart people can publish: title (in downloads), y-axis unit above the axis, source and vintage under it. */
  function lineChart(box, spec) {
    var W = spec.width || Math.max(300, Math.round(box.clientWidth || 800));
    var small = W < 520, fs = small ? 11 : 12, charW = fs * 0.56;
    var titleLines = spec.title ? wrap(spec.title, W - 20, charW * 1.35) : [];
    var top = titleLines.length ? titleLines.length * 20 + 8 : 0;
    var H = Math.round(Math.max(230, Math.min(420, W * 0.55))) + top;
    var m = { l: small ? 46 : 64, r: small ? 10 : 24, t: top + (spec.unit ? 30 : 16), b: 34 };
    var extraLines = spec.extraLegend ? wrap(spec.extraLegend, W - m.l - 10, charW) : [];
    var legendRows = Math.ceil(spec.series.length / (small ? 1 : 3)) + extraLines.length;
    var creditLines = spec.credit ? wrap(spec.credit, W - 20, charW) : [];
    var total = H + legendRows * 18 + 8 + (creditLines.length ? creditLines.length * 15 + 8 : 0);
    var svg = el("svg", { xmlns: NS, viewBox: "0 0 " + W + " " + total, width: W, height: total, role: "img",
      "aria-label": spec.label || "", "font-family": "system-ui, sans-serif", "font-size": small ? 11 : 12 });
    txt("title", {}, spec.label || "", svg);
    el("rect", { x: 0, y: 0, width: W, height: total, fill: "#fff" }, svg);
    titleLines.forEach(function (l, i) { txt("text", { x: 10, y: 22 + i * 20, fill: "#1b1f24", "font-size": fs + 5, "font-weight": 700, "class": "chart-title" }, l, svg); });
    if (spec.unit) txt("text", { x: 10, y: top + 16, fill: "#444c56", "font-weight": 600, "class": "chart-unit" }, spec.unit, svg);
    creditLines.forEach(function (l, i) { txt("text", { x: 10, y: total - 8 - (creditLines.length - 1 - i) * 15, fill: "#57606a", "class": "chart-credit" }, l, svg); });
    var xs = [], ys = [];
    spec.series.forEach(function (s) { s.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
    (spec.bands || []).forEach(function (b) {
      b.points.forEach(function (p) {
        xs.push(p.x); ys.push(p.value);
        if (p.lo95 !== null && p.lo95 !== undefined) ys.push(p.lo95, p.hi95);
      });
    });
    (spec.refs || []).forEach(function (r) { xs.push(r.x); ys.push(r.y); });
    (spec.paths || []).forEach(function (p) { p.points.forEach(function (q) { xs.push(q.x); ys.push(q.value); }); });
    if (!xs.length) { txt("text", { x: W / 2, y: H / 2, "text-anchor": "middle", fill: "#57606a" }, spec.empty || "", svg); box.replaceChildren(svg); return svg; }
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    if (x0 === x1) { x0 -= 1; x1 += 1; } else { var xpad = Math.max(0.4, (x1 - x0) * 0.03); x0 -= xpad; x1 += xpad; }
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    if (spec.zero !== false && y0 > 0 && y0 < (y1 - y0)) y0 = 0;
    var pad = (y1 - y0) * 0.06 || 1; y1 += pad; if (y0 !== 0) y0 -= pad;
    if (spec.invert) { var tmp = y0; y0 = y1; y1 = tmp; }
    function X(v) { return m.l + (v - x0) / (x1 - x0) * (W - m.l - m.r); }
    function Y(v) { return m.t + (1 - (v - y0) / (y1 - y0)) * (H - m.t - m.b); }
    var grid = el("g", { "aria-hidden": "true" }, svg);
    niceTicks(Math.min(y0, y1), Math.max(y0, y1), 5).forEach(function (t) {
      el("line", { x1: m.l, x2: W - m.r, y1: Y(t), y2: Y(t), stroke: "#eaeef2" }, grid);
      txt("text", { x: m.l - 6, y: Y(t) + 4, "text-anchor": "end", fill: "#444c56" }, fmt(t), grid);
    });
    var xt = niceTicks(x0, x1, small ? 4 : 8).filter(function (t) { return Math.abs(t - Math.round(t)) < 1e-9; });
    xt.forEach(function (t) { txt("text", { x: X(t), y: H - m.b + 18, "text-anchor": "middle", fill: "#444c56" }, String(t), grid); });
    el("line", { x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b, stroke: "#afb8c1" }, grid);
    (spec.bands || []).forEach(function (b) {
      [["lo95", "hi95", 0.13], ["lo80", "hi80", 0.25]].forEach(function (k) {
        var pts = b.points.filter(function (p) { return p[k[0]] !== null && p[k[0]] !== undefined; });
        if (pts.length < 1) return;
        var d = pts.map(function (p, i) { return (i ? "L" : "M") + X(p.x) + " " + Y(p[k[1]]); }).join("") +
          pts.slice().reverse().map(function (p) { return "L" + X(p.x) + " " + Y(p[k[0]]); }).join("") + "Z";
        el("path", { d: d, fill: b.color, "fill-opacity": k[2], stroke: "none" }, svg);
      });
      var line = b.start ? [{ x: b.start[0], value: b.start[1] }].concat(b.points) : b.points;
      el("path", { d: line.map(function (p, i) { return (i ? "L" : "M") + X(p.x) + " " + Y(p.value); }).join(""),
        fill: "none", stroke: b.color, "stroke-width": 2, "stroke-dasharray": "5 4" }, svg);
    });
    (spec.paths || []).forEach(function (p) {
      el("path", { d: p.points.map(function (q, i) { return (i ? "L" : "M") + X(q.x) + " " + Y(q.value); }).join(""),
        fill: "none", stroke: "#1a7f37", "stroke-width": 1.6, "stroke-dasharray": "2 3", "class": "required-path" }, svg);
    });
    (spec.refs || []).forEach(function (r) {
      if (r.line) el("line", { x1: m.l, x2: W - m.r, y1: Y(r.y), y2: Y(r.y), stroke: "#1a7f37", "stroke-width": 1.2, "stroke-dasharray": "6 4" }, svg);
      el("circle", { cx: X(r.x), cy: Y(r.y), r: 5, fill: "#fff", stroke: "#1a7f37", "stroke-width": 2 }, svg);
      txt("text", { x: Math.min(X(r.x), W - m.r - 4), y: Y(r.y) - 9, "text-anchor": X(r.x) > W - 80 ? "end" : "middle", fill: "#1a7f37", "font-weight": 600 }, r.label, svg);
    });
    spec.series.forEach(function (s) {
      if (!s.points.length) return;
      el("path", { d: s.points.map(function (p, i) { return (i ? "L" : "M") + X(p[0]) + " " + Y(p[1]); }).join(""),
        fill: "none", stroke: s.color, "stroke-width": s.bold ? 3 : 2.2, "stroke-linejoin": "round" }, svg);
      var few = s.points.length <= 2;  /* a lone value or two: big markers, each labelled, so it reads as data */
      s.points.forEach(function (p) {
        el("circle", { cx: X(p[0]), cy: Y(p[1]), r: few ? 6 : small ? 2.5 : 3.2, fill: s.color, stroke: "#fff", "stroke-width": few ? 2 : 1, "class": few ? "lone" : null }, svg);
        if (few) txt("text", { x: X(p[0]) > W - 90 ? X(p[0]) - 10 : X(p[0]) + 10, y: Y(p[1]) + 4, "text-anchor": X(p[0]) > W - 90 ? "end" : "start", fill: s.color, "font-weight": 700, "class": "point-label" }, fmt(p[1], spec.decimals) + (spec.suffix || ""), svg);
      });
    });
    var ly = H + 6, lx = m.l, perRow = small ? 1 : 3, colW = (W - m.l - m.r) / perRow;
    spec.series.forEach(function (s, i) {
      var gx = lx + (i % perRow) * colW, gy = ly + Math.floor(i / perRow) * 18;
      el("rect", { x: gx, y: gy + 3, width: 14, height: 4, fill: s.color }, svg);
      txt("text", { x: gx + 20, y: gy + 10, fill: "#1b1f24" }, s.name, svg);
    });
    extraLines.forEach(function (l, i) { txt("text", { x: lx, y: ly + (Math.ceil(spec.series.length / perRow) + i) * 18 + 10, fill: "#57606a" }, l, svg); });
    if (!box.parentNode) { box.replaceChildren(svg); return svg; }  /* drawn for a download: no read-out */
    /* hover and keyboard read-out */
    var allX = Array.from(new Set(xs)).sort(function (a, b) { return a - b; });
    var cursor = el("g", { "aria-hidden": "true", visibility: "hidden" }, svg);
    var vline = el("line", { y1: m.t, y2: H - m.b, stroke: "#8c959f" }, cursor);
    var tipBg = el("rect", { fill: "#fff", stroke: "#8c959f", rx: 4 }, cursor);
    var tipText = el("text", { fill: "#1b1f24" }, cursor);
    var live = box.parentNode.querySelector(".sr-live");
    if (!live) { live = document.createElement("p"); live.className = "sr sr-live"; live.setAttribute("aria-live", "polite"); box.parentNode.appendChild(live); }
    function show(ix) {
      var xv = allX[ix]; if (xv === undefined) return;
      var lines = [spec.xLabel ? spec.xLabel(xv) : String(xv)];
      spec.series.forEach(function (s) { s.points.forEach(function (p) { if (p[0] === xv) lines.push(s.name + ": " + fmt(p[1], spec.decimals) + (spec.suffix || "")); }); });
      (spec.paths || []).forEach(function (p) { p.points.forEach(function (q) { if (q.x === xv) lines.push(p.name + ": " + fmt(q.value, spec.decimals)); }); });
      (spec.bands || []).forEach(function (b) { b.points.forEach(function (p) { if (p.x === xv) lines.push(b.name + ": " + fmt(p.value, spec.decimals) + (p.lo95 !== null ? " [" + fmt(p.lo95, spec.decimals) + "–" + fmt(p.hi95, spec.decimals) + "]" : "")); }); });
      tipText.replaceChildren();
      lines.forEach(function (l, i) { txt("tspan", { x: 0, dy: i ? 15 : 0, "font-weight": i ? 400 : 700 }, l, tipText); });
      var bb = { w: Math.max.apply(null, lines.map(function (l) { return l.length; })) * 6.6 + 12, h: lines.length * 15 + 8 };
      var px = X(xv), tx = px + 10 + bb.w > W ? px - 10 - bb.w : px + 10;
      vline.setAttribute("x1", px); vline.setAttribute("x2", px);
      tipBg.setAttribute("x", tx); tipBg.setAttribute("y", m.t); tipBg.setAttribute("width", bb.w); tipBg.setAttribute("height", bb.h);
      tipText.setAttribute("transform", "translate(" + (tx + 6) + "," + (m.t + 16) + ")");
      tipText.querySelectorAll("tspan").forEach(function (t) { t.setAttribute("x", 0); });
      cursor.setAttribute("visibility", "visible");
      live.textContent = lines.join("; ");
      box.setAttribute("data-cursor", ix);
    }
    svg.addEventListener("mousemove", function (e) {
      var r = svg.getBoundingClientRect(), px = (e.clientX - r.left) * W / r.width, best = 0;
      allX.forEach(function (v, i) { if (Math.abs(X(v) - px) < Math.abs(X(allX[best]) - px)) best = i; });
      show(best);
    });
    svg.addEventListener("mouseleave", function () { cursor.setAttribute("visibility", "hidden"); });
    box.tabIndex = 0;
    box.onkeydown = function (e) {
      var cur = parseInt(box.getAttribute("data-cursor") || String(allX.length), 10);
      if (e.key === "ArrowLeft") { e.preventDefault(); show(Math.max(0, cur - 1)); }
      else if (e.key === "ArrowRight") { e.preventDefault(); show(Math.min(allX.length - 1, isNaN(cur) || cur >= allX.length ? allX.length - 1 : cur + 1)); }
      else if (e.key === "Escape") { cursor.setAttribute("visibility", "hidden"); }
    };
    box.replaceChildren(svg);
    return svg;
  }

  /* ---- choropleth map ----------------------------------------------------------------------------- */
  var geoCache = {};
  function loadGeo(name) {
    if (!geoCache[name]) {
      geoCache[name] = fetch(ROOT + "data/geo/" + name + ".json").then(function (r) {
        if (!r.ok) throw new Error(r.status); return r.json();
      });
    }
    return geoCache[name];
  }
  function quantileBins(values) {
    var v = values.slice().sort(function (a, b) { return a - b; });
    if (!v.length) return null;
    var edges = [];
    for (var i = 0; i <= BLUES.length; i++) { edges.push(v[Math.min(v.length - 1, Math.round(i * (v.length - 1) / BLUES.length))]); }
    if (edges[0] === edges[BLUES.length]) edges[BLUES.length] = edges[0] + 1;
    return edges;
  }
  function colour(edges, v) {
    if (v === null || v === undefined || !edges) return null;
    for (var i = 1; i < edges.length; i++) if (v <= edges[i]) return BLUES[i - 1];
    return BLUES[BLUES.length - 1];
  }
  function drawMap(box, geo, opts) {
    var vb = geo.viewBox.split(" ").map(Number), W = vb[2], H = vb[3];
    var creditLines = opts.credit ? wrap(opts.credit, W - 40, 9) : [], legendH = 46 + creditLines.length * 20;
    var svg = el("svg", { xmlns: NS, viewBox: "0 0 " + W + " " + (H + legendH), role: "img", "aria-label": opts.label,
      "font-family": "system-ui, sans-serif", "font-size": 16 });
    txt("title", {}, opts.label, svg);
    el("rect", { x: 0, y: 0, width: W, height: H + legendH, fill: "#fff" }, svg);
    var g = el("g", {}, svg);
    geo.features.forEach(function (f) {
      var v = f.code ? opts.values[f.code] : undefined, c = colour(opts.edges, v);
      var name = (f.code && opts.names[f.code] && opts.names[f.code].name) || f.name;
      var p = el("path", { d: f.d, fill: c || "#e5e8eb", stroke: f.code && f.code === opts.selected ? "#d1242f" : "#fff",
        "stroke-width": f.code && f.code === opts.selected ? 3 : (opts.kz ? 1.2 : 0.5), "data-code": f.code || "" }, g);
      txt("title", {}, name + ": " + (v === undefined || v === null ? opts.t["no data for this year"] : fmt(v, opts.decimals)), p);
      if (opts.kz && f.code) {
        p.setAttribute("tabindex", "0"); p.setAttribute("role", "button");
        p.setAttribute("aria-label", name + ": " + (v === undefined || v === null ? opts.t["no data for this year"] : fmt(v, opts.decimals)));
        p.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); opts.onPick && opts.onPick(f.code); } });
      }
      if (f.code) { p.style.cursor = "pointer"; p.addEventListener("click", function () { opts.onPick && opts.onPick(f.code); }); }
    });
    if (opts.edges) {
      var sw = Math.min(110, (W - 40) / BLUES.length);
      BLUES.forEach(function (c, i) {
        el("rect", { x: 20 + i * sw, y: H + 8, width: sw - 2, height: 12, fill: c }, svg);
        txt("text", { x: 20 + i * sw, y: H + 38, fill: "#30363d" }, fmt(opts.edges[i], opts.decimals), svg);
      });
      txt("text", { x: 20 + BLUES.length * sw, y: H + 38, fill: "#30363d", "text-anchor": "end" }, fmt(opts.edges[BLUES.length], opts.decimals), svg);
    }
    creditLines.forEach(function (l, i) { txt("text", { x: 20, y: H + 62 + i * 20, fill: "#57606a", "class": "chart-credit" }, l, svg); });
    box.replaceChildren(svg);
    return svg;
  }

  /* ---- exports ------------------------------------------------------------------------------------ */
  function svgText(svg) { return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg); }
  function exportPng(svg, name) {
    var vb = svg.getAttribute("viewBox").split(" ").map(Number), scale = 2;
    var img = new Image();
    var url = URL.createObjectURL(new Blob([svgText(svg)], { type: "image/svg+xml" }));
    img.onload = function () {
      var c = document.createElement("canvas"); c.width = vb[2] * scale; c.height = vb[3] * scale;
      var ctx = c.getContext("2d"); ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, c.width, c.height);
      ctx.drawImage(img, 0, 0, c.width, c.height); URL.revokeObjectURL(url);
      c.toBlob(function (b) { download(name, b); }, "image/png");
    };
    img.src = url;
  }

  /* ---- search: one box in the header over data/search.json (indicators, targets, regions, terms in kk/ru/en) ---- */
  var searchIndex = null;
  function hel(name, attrs, parent) {
    var node = document.createElement(name);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function loadIndex() {
    if (!searchIndex) searchIndex = fetch(ROOT + "data/search.json").then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
    return searchIndex;
  }
  /* the same folding as _search.fold: lower case, Kazakh letters to Russian ones, no diacritics, spaces squeezed */
  function fold(text, table) {
    var low = String(text).toLowerCase(), out = "";
    for (var i = 0; i < low.length; i++) out += table[low[i]] || low[i];
    return out.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").split(/\s+/).filter(Boolean).join(" ");
  }
  var KIND_ORDER = ["indicator", "target", "region", "term"];
  function findItems(index, query, limit) {
    var q = fold(query, index.fold), words = q.split(" ").filter(Boolean);
    if (!words.length) return [];
    var scored = [];
    index.items.forEach(function (it, n) {
      var hay = it.h;
      for (var i = 0; i < words.length; i++) if (hay.indexOf(words[i]) < 0) return;
      var name = fold(it.n[LANG] || "", index.fold), s = 1;
      if (fold(it.id, index.fold) === q) s += 100;
      if (name.indexOf(q) === 0) s += 50; else if (name.indexOf(q) >= 0) s += 20;
      words.forEach(function (w) { if ((" " + hay).indexOf(" " + w) >= 0) s += 5; });
      scored.push([s + 10 - KIND_ORDER.indexOf(it.k) * 2, n, it]);
    });
    scored.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return scored.slice(0, limit).map(function (x) { return x[2]; });
  }
  function resultLink(it, kinds) {
    var a = hel("a", { href: ROOT + LANG + "/" + it.u });
    a.textContent = it.n[LANG] || it.id;
    var small = hel("span", { "class": "muted small" }, null);
    small.textContent = " " + (kinds[it.k] || it.k) + " · " + it.id;
    return [a, small];
  }
  var searchForm = document.querySelector("form.search-box");
  if (searchForm) (function () {
    var input = searchForm.querySelector("input[name=q]"), list = document.getElementById("search-list");
    var kinds = JSON.parse(searchForm.getAttribute("data-kinds") || "{}"), active = -1, timer = null;
    function close() { list.hidden = true; list.innerHTML = ""; active = -1; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
    function mark() {
      Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      if (active >= 0) input.setAttribute("aria-activedescendant", list.children[active].id);
    }
    function update() {
      var q = input.value;
      if (!q.trim()) { close(); return; }
      loadIndex().then(function (index) {
        if (input.value !== q) return;
        var found = findItems(index, q, 8);
        list.innerHTML = ""; active = -1;
        if (!found.length) { var none = hel("li", { "class": "muted", role: "option", "aria-disabled": "true" }, list); none.textContent = kinds.none || "—"; }
        found.forEach(function (it, i) {
          var li = hel("li", { role: "option", id: "search-opt-" + i }, list);
          resultLink(it, kinds).forEach(function (n) { li.appendChild(n); });
        });
        list.hidden = false; input.setAttribute("aria-expanded", "true");
      }).catch(function () { close(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 80); });
    input.addEventListener("focus", function () { loadIndex().catch(function () {}); });
    input.addEventListener("keydown", function (e) {
      var n = list.querySelectorAll("li[id]").length;
      if (e.key === "ArrowDown" && n) { e.preventDefault(); active = (active + 1) % n; mark(); }
      else if (e.key === "ArrowUp" && n) { e.preventDefault(); active = (active - 1 + n) % n; mark(); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); location.href = list.children[active].querySelector("a").href; }
    });
    document.addEventListener("click", function (e) { if (!searchForm.contains(e.target)) close(); });
    /* the search page of the static site: no server answered the query, so the browser does */
    var results = document.getElementById("search-results"), q = new URLSearchParams(location.search).get("q");
    if (results && q && !results.getAttribute("data-query")) {
      document.getElementById("search-page-q").value = q; input.value = q;
      loadIndex().then(function (index) {
        var found = findItems(index, q, 50);
        hel("p", { role: "status" }, results).textContent = (kinds.results || "") + ": " + found.length;
        var ol = hel("ol", { "class": "results" }, results);
        found.forEach(function (it) { var li = hel("li", {}, ol); resultLink(it, kinds).forEach(function (n) { li.appendChild(n); }); });
      });
    }
  })();

  /* the static site writes an indicator's observations once (data/indicator/ID.json), not in each language's page:
     the chart's series are the rows of the source the page charts for each breakdown and place (P.sources),
     x as decimal years and values rounded as the server rounds them */
  function withSeries(P, then) {
    if (P.series || !P.seriesFrom) { then(); return; }
    fetch(ROOT + P.seriesFrom).then(function (r) { return r.json(); }).then(function (J) {
      var c = {}, out = {};
      J.columns.forEach(function (name, k) { c[name] = k; });
      J.rows.forEach(function (r) {
        var dims = r[c.dims], geo = r[c.geo];
        if (P.sources[dims + "|" + geo] !== r[c.source]) return;
        var p = String(r[c.period]), rest = p.slice(5), x = +p.slice(0, 4);
        if (rest.charAt(0) === "Q") x += (+rest.slice(1) - 1) / 4; else if (rest.length === 2) x += (+rest - 1) / 12;
        var v = r[c.value];
        if (v !== null) v = P.decimals === null || P.decimals === undefined ? +v.toPrecision(6) : +v.toFixed(P.decimals);
        ((out[dims] = out[dims] || {})[geo] = out[dims][geo] || []).push([Math.round(x * 1e4) / 1e4, v, p, r[c.status] || ""]);
      });
      Object.keys(out).forEach(function (d) { Object.keys(out[d]).forEach(function (g) { out[d][g].sort(function (a, b) { return a[0] - b[0]; }); }); });
      P.series = out;
      then();
    });
  }

  /* the embed page reads its chart data from the indicator page (the same origin), so they are written once */
  if (body.getAttribute("data-page") === "embed") {
    var from = document.getElementById("chart");
    if (from && from.getAttribute("data-from")) fetch(from.getAttribute("data-from")).then(function (r) { return r.text(); }).then(function (text) {
      var el2 = new DOMParser().parseFromString(text, "text/html").getElementById("payload");
      if (el2) { var EP = JSON.parse(el2.textContent); withSeries(EP, function () { embedPage(EP, EP.t); }); }
    });
    return;
  }
  var payloadEl = document.getElementById("payload");
  var P = payloadEl ? JSON.parse(payloadEl.textContent) : null;
  window.sandyq = { lineChart: lineChart, drawMap: drawMap, payload: P };
  if (!P) return;
  var T = P.t;
  if (body.getAttribute("data-page") === "indicator") withSeries(P, function () { indicatorPage(P, T); });
  if (body.getAttribute("data-page") === "regions") regionsPage(P, T);

  /* ---- indicator page ------------------------------------------------------------------------------ */
  function indicatorPage(P, T) {
    var state = { geos: P.defaultGeos.slice(), dims: P.headlineDims, relative: false,
      projection: !!(document.getElementById("show-projection") || {}).checked, year: P.mapYear };
    var chartBox = document.getElementById("chart"), caption = document.getElementById("chart-caption");
    var picked = document.querySelector("[data-picked]"), chartSvg = null;
    function names(codes) { return codes.map(function (c) { return (P.geos[c] || {}).name || c; }).join(", "); }
    function seriesFor(geo) { return ((P.series[state.dims] || {})[geo]) || []; }
    function credit() {
      var ids = [], vintage = "";
      state.geos.forEach(function (g) {
        var key = state.dims + "|" + g, src = P.sources[key], v = (P.vintages || {})[key];
        if (src && ids.indexOf(src) < 0) ids.push(src);
        if (v && v > vintage) vintage = v;
      });
      if (!ids.length) return "";
      return T["Source"] + ": " + ids.map(function (i) { return (P.sourceNames || {})[i] || i; }).join("; ") +
        (vintage ? " · " + T["Vintage"] + ": " + fmtDate(vintage) : "") + " · sandyq";
    }
    var lastSpec = null;
    function renderChart() {
      var series = state.geos.map(function (g, i) {
        var pts = seriesFor(g).map(function (p) { return [p[0], p[1], p[2]]; });
        if (state.relative && pts.length) { var base = pts[0][1]; pts = base ? pts.map(function (p) { return [p[0], (p[1] / base - 1) * 100, p[2]]; }) : []; }
        return { name: (P.geos[g] || {}).name || g, color: COLORS[i % COLORS.length], points: pts, bold: i === 0 };
      });
      var refs = [], bands = [], paths = [], extra = "";
      if (!state.relative) {
        P.targets.forEach(function (t) {
          if (state.geos.indexOf(t.geo) < 0 || state.dims !== "") return;
          t.milestones.forEach(function (mm) { refs.push({ x: mm.year, y: mm.value, label: T["Milestone"] + " " + fmt(mm.value, P.decimals) }); });
          refs.push({ x: t.year, y: t.value, line: true, label: T["Target"] + " " + fmt(t.value, P.decimals) });
          if (t.required && t.required.length > 1) paths.push({ name: T["Required path"], points: t.required });
        });
        if (paths.length) extra = "··· " + T["Required path"];
        var pr = P.projection;
        if (state.projection && pr && pr.available && state.dims === "" && state.geos.indexOf(pr.geo) >= 0) {
          var last = seriesFor(pr.geo).slice(-1)[0];
          bands.push({ name: T["Projection"], color: COLORS[state.geos.indexOf(pr.geo) % COLORS.length], points: pr.points, start: last ? [last[0], last[1]] : null });
          extra = (extra ? extra + " · " : "") + "- - " + T["Projection"] + " · " + T["80 % interval"] + " / " + T["95 % interval"];
        }
      }
      var first = series.length && series[0].points.length ? series[0].points[0][2] : "";
      var label = T["Chart of"] + " " + P.name + " (" + (state.relative ? T["% change since"] + " " + first : P.unitName) + "): " + names(state.geos);
      lastSpec = { series: series, refs: refs, bands: bands, paths: paths, label: label, decimals: state.relative ? 1 : P.decimals,
        suffix: state.relative ? " %" : "", zero: !state.relative, invert: P.unit === "RANK", extraLegend: extra, empty: T["No data"],
        unit: state.relative ? T["% change since"] + " " + first : P.unitName, credit: credit() };
      chartSvg = lineChart(chartBox, lastSpec);
      caption.textContent = label + ". " + series.map(function (s) {
        return s.points.length ? s.name + ": " + fmt(s.points[s.points.length - 1][1], P.decimals) + " (" + s.points[s.points.length - 1][2] + ")" : s.name + ": " + T["No data"];
      }).join("; ");
      picked.textContent = names(state.geos);
    }
    function renderTable() {
      var periods = {}, rows = [];
      state.geos.forEach(function (g) { seriesFor(g).forEach(function (p) { periods[p[2]] = p[0]; }); });
      var keys = Object.keys(periods).sort(function (a, b) { return periods[a] - periods[b]; });
      var html = '<table class="data"><caption class="sr">' + T["Values shown"] + '</caption><thead><tr><th scope="col">' + T["Period"] + "</th>" +
        state.geos.map(function (g) { return '<th scope="col" class="num">' + esc((P.geos[g] || {}).name || g) + "</th>"; }).join("") + "</tr></thead><tbody>";
      keys.forEach(function (k) {
        html += '<tr><th scope="row">' + esc(k) + "</th>" + state.geos.map(function (g) {
          var p = seriesFor(g).filter(function (q) { return q[2] === k; })[0];
          return '<td class="num">' + (p ? fmt(p[1], P.decimals) : "") + "</td>";
        }).join("") + "</tr>";
      });
      P.targets.forEach(function (t) {
        if (state.geos.indexOf(t.geo) < 0) return;
        html += '<tr class="target-row"><th scope="row">' + T["Target"] + " " + t.year + "</th>" + state.geos.map(function (g) {
          return '<td class="num">' + (g === t.geo ? fmt(t.value, P.decimals) : "") + "</td>"; }).join("") + "</tr>";
      });
      document.getElementById("table").innerHTML = html + "</tbody></table>";
    }
    function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; }); }
    var mapBox = document.getElementById("map"), slider = document.getElementById("year");
    function renderMap() {
      if (!mapBox || !P.mapKind) return;
      var year = state.year, values = {};
      var totals = P.series[state.dims] || {};
      Object.keys(totals).forEach(function (g) {
        totals[g].forEach(function (p) {
          if ((P.mapKind === "kz" ? P.geos[g].kind === "region" : P.geos[g].kind === "country") && Math.floor(p[0]) === year) values[g] = p[1];
        });
      });
      var set = P.mapKind === "kz" ? P.kzSets[String(year)] : P.worldSet;
      document.getElementById("year-out").textContent = year;
      var cap = document.getElementById("map-caption");
      if (!set) { mapBox.textContent = T["No data"]; return; }
      loadGeo(set).then(function (geo) {
        var label = T["Map of"] + " " + P.name + ", " + year + " (" + P.unitName + ")";
        var vals = Object.keys(values).map(function (k) { return values[k]; });
        drawMap(mapBox, geo, { values: values, edges: quantileBins(vals), names: P.geos, decimals: P.decimals, label: label, t: T, kz: P.mapKind === "kz", credit: credit(),
          selected: state.geos[0], onPick: function (code) { if (P.geos[code] && state.geos.indexOf(code) < 0) { setGeos(state.geos.concat([code])); } } });
        cap.textContent = label + ". " + T["Boundaries of"] + " " + set + ". " + Object.keys(values).length + " " + T["Values shown"].toLowerCase() + ".";
      }).catch(function () { mapBox.textContent = T["No data"]; });
    }
    function setGeos(list) {
      state.geos = list.length ? list : P.defaultGeos.slice();
      document.querySelectorAll('input[name="geo"]').forEach(function (c) { c.checked = state.geos.indexOf(c.value) >= 0; });
      updatePeers(); renderAll();
    }
    function renderAll() { renderChart(); renderTable(); renderMap(); }
    document.querySelectorAll('input[name="geo"]').forEach(function (c) {
      c.addEventListener("change", function () {
        var list = state.geos.filter(function (g) { return g !== c.value; });
        if (c.checked) list.push(c.value);
        setGeos(list);
      });
    });
    var search = document.getElementById("geo-search");
    if (search) search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      document.querySelectorAll(".picker-list label").forEach(function (l) { l.hidden = q && l.getAttribute("data-name").indexOf(q) < 0; });
    });
    var peersBtn = document.getElementById("add-peers");
    function updatePeers() { if (peersBtn) peersBtn.hidden = !(P.peers[state.geos[0]] || []).length; }
    if (peersBtn) peersBtn.addEventListener("click", function () {
      var extra = (P.peers[state.geos[0]] || []).filter(function (g) { return state.geos.indexOf(g) < 0; });
      setGeos(state.geos.concat(extra));
      peersBtn.textContent = T["Peers added"];
    });
    var group = document.getElementById("peer-group"), groupNote = document.getElementById("peer-note");
    if (group) group.addEventListener("change", function () {
      var g = (P.groups || []).filter(function (x) { return x.id === group.value; })[0];
      if (!g) { groupNote.hidden = true; setGeos(state.geos.slice(0, 1)); return; }
      setGeos(state.geos.slice(0, 1).concat(g.median ? [groupMedian(g)] : g.geos));
      groupNote.textContent = g.name + (g.median ? " (" + T["median of"] + " " + g.geos.length + ")" : "") + ": " + g.source; groupNote.hidden = false;
    });
    /* a big group is one line: the median of its members in each period where at least half of them report */
    function groupMedian(g) {
      var code = "median:" + g.id;
      Object.keys(P.series).forEach(function (dims) {
        var byPeriod = {};
        g.geos.forEach(function (c) { (P.series[dims][c] || []).forEach(function (p) { (byPeriod[p[2]] = byPeriod[p[2]] || { x: p[0], v: [] }).v.push(p[1]); }); });
        var pts = Object.keys(byPeriod).filter(function (k) { return byPeriod[k].v.length * 2 >= g.geos.length; }).map(function (k) {
          var v = byPeriod[k].v.slice().sort(function (a, b) { return a - b; }), n = v.length;
          return [byPeriod[k].x, n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, k, ""];
        }).sort(function (a, b) { return a[0] - b[0]; });
        if (pts.length) P.series[dims][code] = pts;
      });
      P.geos[code] = { name: g.name + " — " + T["median of"] + " " + g.geos.length, kind: "aggregate" };
      P.sources[state.dims + "|" + code] = P.sources[state.dims + "|" + g.geos[0]];
      return code;
    }
    var dims = document.getElementById("dims");
    if (dims) dims.addEventListener("change", function () { state.dims = dims.value; renderAll(); });
    document.getElementById("relative").addEventListener("change", function (e) { state.relative = e.target.checked; renderChart(); });
    var pj = document.getElementById("show-projection");
    if (pj) pj.addEventListener("change", function (e) { state.projection = e.target.checked; renderChart(); });
    if (slider) slider.addEventListener("input", function () { state.year = parseInt(slider.value, 10); renderMap(); });
    var tablist = document.querySelector("[role=tablist]");
    if (tablist) tablist.addEventListener("tabchange", function (e) { if (e.detail === "tab-chart") renderChart(); if (e.detail === "tab-map") renderMap(); });
    document.getElementById("dl-visible").addEventListener("click", function () {
      var lines = ["indicator,geo,geo_name,period,dims,value,unit,source"];
      state.geos.forEach(function (g) {
        seriesFor(g).forEach(function (p) {
          lines.push([P.id, g, (P.geos[g] || {}).name || g, p[2], state.dims, p[1], P.unit, P.sources[state.dims + "|" + g] || ""].map(csvCell).join(","));
        });
      });
      lines.push(""); lines.push(csvCell("# " + P.citation));
      download(P.id + "-shown.csv", new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" }));
    });
    /* downloads are drawn afresh at a fixed width, with the title, so they stand alone once published */
    function published() { return lineChart(document.createElement("div"), Object.assign({}, lastSpec, { width: 900, title: P.name + " — " + names(state.geos) })); }
    document.getElementById("dl-svg").addEventListener("click", function () { download(P.id + ".svg", new Blob([svgText(published())], { type: "image/svg+xml" })); });
    document.getElementById("dl-png").addEventListener("click", function () { exportPng(published(), P.id + ".png"); });
    var resizeTimer; window.addEventListener("resize", function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(renderChart, 150); });
    /* ---- the view lives in the URL (?geo=KAZ,KGZ&dims=…&tab=map&year=2015&rel=1&proj=0), so a link reopens it ---- */
    var tabName = "chart", ready = false;
    function syncUrl() {
      if (!ready) return;
      var q = new URLSearchParams();
      if (state.geos.join(",") !== P.defaultGeos.join(",")) q.set("geo", state.geos.join(","));
      if (state.dims !== P.headlineDims) q.set("dims", state.dims);
      if (tabName !== "chart") q.set("tab", tabName);
      if (state.year !== P.mapYear && state.year !== null) q.set("year", String(state.year));
      if (state.relative) q.set("rel", "1");
      if (pj && state.projection !== pj.defaultChecked) q.set("proj", state.projection ? "1" : "0");
      if (group && group.value) q.set("group", group.value);
      var search = q.toString() ? "?" + q.toString().replace(/%2C/g, ",").replace(/%3A/g, ":").replace(/%7C/g, "|") : "";
      history.replaceState(null, "", location.pathname + search + location.hash);
      updateEmbed(search);
      document.querySelectorAll(".langs a").forEach(function (a) { a.href = a.href.split("?")[0].split("#")[0] + search; });
    }
    /* the embed code: an iframe of /<lang>/embed/indicator/<id>/ with the same view state */
    var embedCode = document.getElementById("embed-code");
    function updateEmbed(search) {
      if (!embedCode) return;
      var src = new URL(ROOT + LANG + "/embed/indicator/" + P.id + "/" + search.replace(/[?&]tab=[^&]*/, "").replace(/^&/, "?"), location.href).href;
      embedCode.value = '<iframe src="' + src + '" title="' + esc(P.name) + '" width="100%" height="620" loading="lazy" style="border:0"></iframe>';
    }
    if (embedCode) embedCode.addEventListener("focus", function () { embedCode.select(); });
    var origChart = renderChart, origMap = renderMap;
    renderChart = function () { origChart(); syncUrl(); };
    renderMap = function () { origMap(); syncUrl(); };
    if (tablist) tablist.addEventListener("tabchange", function (e) { tabName = String(e.detail).replace(/^tab-/, ""); syncUrl(); });
    function restore() {
      var q = new URLSearchParams(location.search);
      if (q.has("dims") && P.series[q.get("dims")]) { state.dims = q.get("dims"); if (dims) dims.value = state.dims; }
      if (q.get("rel") === "1") { state.relative = true; document.getElementById("relative").checked = true; }
      if (pj && q.has("proj")) { state.projection = q.get("proj") === "1"; pj.checked = state.projection; }
      if (q.has("year") && slider) {
        var y = parseInt(q.get("year"), 10);
        if (P.years.indexOf(y) >= 0) { state.year = y; slider.value = String(y); }
      }
      if (q.has("group") && group) {
        var g = (P.groups || []).filter(function (x) { return x.id === q.get("group"); })[0];
        if (g) { group.value = g.id; groupNote.textContent = g.name + (g.median ? " (" + T["median of"] + " " + g.geos.length + ")" : "") + ": " + g.source; groupNote.hidden = false; }
      }
      if (q.has("geo")) {
        var list = q.get("geo").split(",").map(function (c) {
          if (c.indexOf("median:") === 0) { var gg = (P.groups || []).filter(function (x) { return "median:" + x.id === c; })[0]; return gg ? groupMedian(gg) : null; }
          return P.geos[c] ? c : null;
        }).filter(function (c, i, a) { return c && a.indexOf(c) === i; });
        if (list.length) state.geos = list;
        document.querySelectorAll('input[name="geo"]').forEach(function (c) { c.checked = state.geos.indexOf(c.value) >= 0; });
      }
      var tab = q.get("tab") && document.getElementById("tab-" + q.get("tab"));
      ready = true;
      if (tab) tab.click();
    }
    restore();
    updatePeers(); renderChart(); if (location.search) renderTable(); syncUrl();
  }

  /* ---- embed page: the chart alone, in the view the URL names (geo, dims, rel, proj) ---------------------- */
  function embedPage(P, T) {
    var q = new URLSearchParams(location.search), dims = q.has("dims") && P.series[q.get("dims")] ? q.get("dims") : P.headlineDims;
    var geos = (q.get("geo") || "").split(",").filter(function (g, i, a) { return P.geos[g] && a.indexOf(g) === i; });
    if (!geos.length) geos = P.defaultGeos.slice();
    var rel = q.get("rel") === "1", pr = P.projection;
    var proj = q.has("proj") ? q.get("proj") === "1" : !!(P.targets.length && pr && pr.available);
    var ids = [];
    var series = geos.map(function (g, i) {
      var src = P.sources[dims + "|" + g];
      if (src && ids.indexOf(src) < 0) ids.push(src);
      var pts = (((P.series[dims] || {})[g]) || []).map(function (p) { return [p[0], p[1], p[2]]; });
      if (rel && pts.length) { var base = pts[0][1]; pts = base ? pts.map(function (p) { return [p[0], (p[1] / base - 1) * 100, p[2]]; }) : []; }
      return { name: (P.geos[g] || {}).name || g, color: COLORS[i % COLORS.length], points: pts, bold: i === 0 };
    });
    var refs = [], bands = [];
    if (!rel && dims === "") {
      P.targets.forEach(function (t) { if (geos.indexOf(t.geo) >= 0) refs.push({ x: t.year, y: t.value, line: true, label: T["Target"] + " " + fmt(t.value, P.decimals) }); });
      if (proj && pr && pr.available && geos.indexOf(pr.geo) >= 0) {
        var last = (((P.series[dims] || {})[pr.geo]) || []).slice(-1)[0];
        bands.push({ name: T["Projection"], color: COLORS[geos.indexOf(pr.geo) % COLORS.length], points: pr.points, start: last ? [last[0], last[1]] : null });
      }
    }
    var first = series.length && series[0].points.length ? series[0].points[0][2] : "";
    var unit = rel ? T["% change since"] + " " + first : P.unitName;
    /* the page says source and vintage under the chart; a view with other geographies may add sources */
    var names = ids.map(function (i) { return (P.sourceNames || {})[i] || i; }), srcBox = document.getElementById("embed-source");
    if (srcBox && names.length > 1) srcBox.textContent = names.join("; ");
    document.getElementById("embed-unit").textContent = unit;
    var full = document.getElementById("embed-full");
    if (full) full.href = full.href.split("?")[0] + location.search;
    function draw() {
      lineChart(document.getElementById("chart"), { series: series, refs: refs, bands: bands, label: T["Chart of"] + " " + P.name + " (" + unit + ")",
        decimals: rel ? 1 : P.decimals, suffix: rel ? " %" : "", zero: !rel, invert: P.unit === "RANK", empty: T["No data"], unit: unit });
    }
    draw();
    var timer; window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(draw, 150); });
  }

  /* ---- regions page -------------------------------------------------------------------------------- */
  function regionsPage(P, T) {
    var credit = P.sourceNames && P.sourceNames.length ? T["Source"] + ": " + P.sourceNames.join("; ") + (P.vintage ? " · " + T["Vintage"] + ": " + fmtDate(P.vintage) : "") + " · sandyq" : "";
    var state = { year: P.years[P.years.length - 1], region: "" };
    var slider = document.getElementById("year"), select = document.getElementById("region");
    function renderMap() {
      var set = P.kzSets[String(state.year)], values = P.values[String(state.year)] || {};
      document.getElementById("year-out").textContent = state.year;
      document.getElementById("rank-year").textContent = state.year;
      loadGeo(set).then(function (geo) {
        var label = T["Map of"] + " " + P.name + ", " + state.year + " (" + P.unitName + ")";
        var vals = Object.keys(values).map(function (k) { return values[k]; });
        drawMap(document.getElementById("map"), geo, { values: values, edges: quantileBins(vals), names: P.geos, decimals: P.decimals, label: label, t: T, kz: true, credit: credit,
          selected: state.region, onPick: pick });
        document.getElementById("map-caption").textContent = label + ". " + T["Boundaries of"] + " " + set + ".";
      });
      var rows = P.ranking[String(state.year)] || [];
      var html = '<table class="data" id="rank-table"><caption class="sr">' + T["Rank"] + '</caption><thead><tr><th scope="col" class="num">' + T["Rank"] + '</th><th scope="col">' + T["Region"] +
        '</th><th scope="col" class="num">' + T["Value"] + '</th><th scope="col" class="num">' + T["Change"] + "</th></tr></thead><tbody>";
      rows.forEach(function (r) {
        html += '<tr data-geo="' + r.geo + '"' + (r.geo === state.region ? ' class="sel"' : "") + '><td class="num">' + r.rank + "</td><td>" + ((P.geos[r.geo] || {}).name || r.geo) +
          '</td><td class="num">' + fmt(r.value, P.decimals) + '</td><td class="num">' + (r.change === null ? "" : (r.change > 0 ? "+" : "") + r.change) + "</td></tr>";
      });
      document.getElementById("ranking").innerHTML = html + "</tbody></table>";
    }
    function renderRegion() {
      var box = document.getElementById("region-chart"), cap = document.getElementById("region-caption");
      if (!state.region) return;
      var pts = [];
      P.years.forEach(function (y) { var v = (P.values[String(y)] || {})[state.region]; if (v !== undefined) pts.push([y, v, String(y)]); });
      var series = [{ name: (P.geos[state.region] || {}).name, color: COLORS[1], points: pts, bold: true },
        { name: P.geos.KAZ.name, color: COLORS[0], points: P.national.map(function (p) { return [p[0], p[1], String(p[0])]; }) }];
      var label = T["Chart of"] + " " + P.name + ": " + series[0].name + " / " + series[1].name;
      lineChart(box, { series: series, label: label, decimals: P.decimals, unit: P.unitName, credit: credit });
      cap.textContent = label + ". " + series.map(function (s) { return s.points.length ? s.name + ": " + fmt(s.points[s.points.length - 1][1], P.decimals) + " (" + s.points[s.points.length - 1][0] + ")" : s.name + ": " + T["No data"]; }).join("; ");
    }
    function pick(code) { state.region = code; select.value = code; renderMap(); renderRegion(); }
    slider.addEventListener("input", function () { state.year = parseInt(slider.value, 10); renderMap(); });
    select.addEventListener("change", function () { pick(select.value); });
    var asked = new URLSearchParams(location.search).get("region");
    if (asked && P.geos[asked]) { state.region = asked; select.value = asked; setTimeout(renderRegion, 0); }
    var d = P.dispersion || [];
    lineChart(document.getElementById("disp-chart"), {
      series: [{ name: T["Coefficient of variation"], color: COLORS[0], points: d.filter(function (r) { return r.cv !== null; }).map(function (r) { return [r.year, r.cv, String(r.year)]; }) },
        { name: T["Gini index"], color: COLORS[1], points: d.filter(function (r) { return r.gini !== null; }).map(function (r) { return [r.year, r.gini, String(r.year)]; }) }],
      label: T["Coefficient of variation"] + ", " + T["Gini index"] + ": " + P.name, decimals: 3, unit: T["Coefficient of variation"] + ", " + T["Gini index"], credit: credit });
    renderMap();
  }
})();
