/*
 * charts.js: draws the indicator charts with Observable Plot (served as /static/plot.umd.min.js,
 * which needs the global d3 from /static/d3.min.js). Progressive enhancement only: every chart
 * is a decoration of the table beside it, which holds the same figures; without JavaScript the
 * <figure> stays hidden and the table remains.
 *
 * A chart is a <figure data-grafiek="trend|verdeling" data-bron="ID" hidden> whose data is the
 * view JSON (mx_view_to_json) in <script type="application/json" id="ID"> — no inline script,
 * the Content-Security-Policy forbids it. Drawn:
 *   trend:     value line with points, 95% interval band, target line, benchmark band
 *              (p25-p75) with its median, hidden periods as gaps with a "." (never 0), and
 *              context events from an optional "gebeurtenissen" array;
 *   verdeling: horizontal bars for the period in data-periode, with interval whiskers, the
 *              total and target as rules, hidden groups as ". niet getoond".
 * Plot's own <style> element is removed (CSP style-src 'self'); static/dashboard.css has its
 * rules. Charts redraw when their width changes, so they work from 320 px up.
 */
(function () {
  "use strict";

  var Plot = window.Plot;
  if (!Plot || !window.d3 || !window.JSON || !document.querySelectorAll) {
    return;
  }

  var lang = (document.documentElement.getAttribute("lang") || "nl").slice(0, 2);
  var locale = lang === "en" ? "en-GB" : "nl-NL";

  // Colours (contrast against white: navy 11:1, target 6.7:1, median 7.6:1, event 8.5:1).
  var C = {
    line: "#163c6b",
    band: "#9fb9db",
    bench: "#d3dae3",
    median: "#4b5563",
    target: "#8a4b00",
    event: "#5a3d8a",
    bar: "#2f5d95",
    whisker: "#1b2430",
    muted: "#4b5563",
  };

  function num(x, decimals) {
    return x.toLocaleString(locale, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
  }

  // How values of this indicator are written: the same units as the table.
  function unitOf(view) {
    var ind = view.indicator || {};
    var u = ind.eenheid_waarde || ind.weergave || "";
    if (!u) {
      var agg = ind.aggregatie || "";
      u = agg === "aandeel" ? "procent" : agg === "per_1000" ? "per_1000" : agg === "aantal" ? "aantal" : "cijfer";
    }
    return u;
  }

  function formatter(unit) {
    switch (unit) {
      case "procent":
        return function (v) {
          return num(v, 1) + "%";
        };
      case "dagen":
        return function (v) {
          return num(v, 0) + (lang === "en" ? " days" : " dagen");
        };
      case "aantal":
        return function (v) {
          return num(v, 0);
        };
      default:
        return function (v) {
          return num(v, 1);
        };
    }
  }

  function axisFormatter(unit) {
    if (unit === "procent") {
      return function (v) {
        return num(v, 0) + "%";
      };
    }
    return function (v) {
      return num(v, Math.abs(v) < 10 && v !== Math.round(v) ? 1 : 0);
    };
  }

  function isNum(x) {
    return typeof x === "number" && isFinite(x);
  }

  function periodCode(p) {
    return typeof p === "string" ? p : p && (p.code || p.periode || "");
  }

  function periodLabel(code, short) {
    var m = /^(\d{4})-Q([1-4])$/.exec(code);
    if (m) {
      return (lang === "en" ? "Q" : "K") + m[2] + (short ? " '" + m[1].slice(2) : " " + m[1]);
    }
    m = /^(\d{4})-H([12])$/.exec(code);
    if (m) {
      return "H" + m[2] + (short ? " '" + m[1].slice(2) : " " + m[1]);
    }
    m = /^(\d{4})-(\d{2})$/.exec(code);
    if (m) {
      return new Date(Date.UTC(+m[1], +m[2] - 1, 1)).toLocaleDateString(locale, {
        month: "short",
        year: short ? "2-digit" : "numeric",
        timeZone: "UTC",
      });
    }
    return code;
  }

  // The period (in the view's kind) that contains an ISO date "2024-05-01".
  function periodOfDate(iso, sample) {
    var m = /^(\d{4})-(\d{2})/.exec(iso || "");
    if (!m) {
      return null;
    }
    var y = m[1];
    var mo = +m[2];
    if (/^\d{4}-Q\d$/.test(sample)) {
      return y + "-Q" + Math.ceil(mo / 3);
    }
    if (/^\d{4}-H\d$/.test(sample)) {
      return y + "-H" + (mo <= 6 ? 1 : 2);
    }
    if (/^\d{4}-\d{2}$/.test(sample)) {
      return y + "-" + m[2];
    }
    return y;
  }

  function isTotal(cell) {
    var k = cell.sleutel;
    if (!k || !k.length) {
      return true;
    }
    for (var i = 0; i < k.length; i++) {
      if (k[i] !== null && k[i] !== undefined) {
        return false;
      }
    }
    return true;
  }

  function hidden(cell) {
    return !!cell.verborgen || !isNum(cell.waarde);
  }

  // Counts follow the size of a gemeente or provider: their benchmark compares nothing (the
  // page leaves it out too). Shares, means, medians and rates do compare.
  function benchMeaningful(view) {
    return ((view.indicator || {}).aggregatie || "") !== "aantal";
  }

  function bench(cell, key) {
    return cell.benchmark && isNum(cell.benchmark[key]) ? cell.benchmark[key] : null;
  }

  // Removes Plot's <style> element (an inline style the CSP refuses) and marks the SVG as a
  // decoration: the table next to it carries the figures for everyone.
  function finish(svg) {
    var styles = svg.querySelectorAll("style");
    for (var i = 0; i < styles.length; i++) {
      styles[i].parentNode.removeChild(styles[i]);
    }
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.removeAttribute("aria-label");
    svg.removeAttribute("aria-description");
    return svg;
  }

  function tickSubset(codes, width, each) {
    var max = Math.max(2, Math.floor(width / each));
    if (codes.length <= max) {
      return codes;
    }
    var step = Math.ceil(codes.length / max);
    var out = [];
    for (var i = codes.length - 1; i >= 0; i -= step) {
      out.unshift(codes[i]);
    }
    return out;
  }

  function drawTrend(fig, view, width) {
    var small = fig.classList.contains("duiding-chart--klein");
    var unit = unitOf(view);
    var fmt = formatter(unit);
    var codes = (view.perioden || []).map(periodCode).filter(Boolean);
    var byCode = {};
    (view.cellen || []).forEach(function (c) {
      if (isTotal(c)) {
        byCode[c.periode] = c;
      }
    });
    // A period that ends after the data date is still filling up: drawn dashed and hollow.
    var peil = view.peildatum || "";
    var open = {};
    (view.perioden || []).forEach(function (p) {
      if (peil && p && p.einde && p.einde > peil) {
        open[periodCode(p)] = true;
      }
    });
    var withBench = benchMeaningful(view);
    var rows = codes.map(function (code) {
      var c = byCode[code] || {};
      var shown = !hidden(c);
      return {
        code: code,
        open: !!open[code],
        waarde: shown ? c.waarde : null,
        lo: shown && isNum(c.ondergrens) ? c.ondergrens : null,
        hi: shown && isNum(c.bovengrens) ? c.bovengrens : null,
        doel: isNum(c.streefwaarde) ? c.streefwaarde : null,
        p25: withBench ? bench(c, "p25") : null,
        mediaan: withBench ? bench(c, "mediaan") : null,
        p75: withBench ? bench(c, "p75") : null,
        verborgen: !shown && !!byCode[code],
      };
    });
    var has = function (k) {
      return rows.some(function (r) {
        return r[k] !== null;
      });
    };
    // Every value hidden: a chart would only show an empty axis; the table says why.
    if (!has("waarde")) {
      return null;
    }
    var events = [];
    (view.gebeurtenissen || []).forEach(function (ev) {
      var code = ev.periode || periodOfDate(ev.datum, codes[0] || "");
      if (code && codes.indexOf(code) >= 0) {
        events.push({ code: code, label: ev.label || ev.naam || ev.titel || fig.getAttribute("data-label-gebeurtenis") || "" });
      }
    });

    var marks = [];
    if (has("p25") && has("p75")) {
      marks.push(Plot.areaY(rows, { x: "code", y1: "p25", y2: "p75", fill: C.bench, fillOpacity: 0.8 }));
    }
    if (has("mediaan")) {
      marks.push(Plot.line(rows, { x: "code", y: "mediaan", stroke: C.median, strokeWidth: 1.5, strokeDasharray: "6,4" }));
    }
    if (has("lo") && has("hi")) {
      marks.push(Plot.areaY(rows, { x: "code", y1: "lo", y2: "hi", fill: C.band, fillOpacity: 0.55 }));
    }
    if (has("doel")) {
      marks.push(Plot.line(rows, { x: "code", y: "doel", stroke: C.target, strokeWidth: 2, strokeDasharray: "2,3" }));
    }
    events.forEach(function (ev) {
      marks.push(Plot.ruleX([ev.code], { stroke: C.event, strokeWidth: 1.5, strokeDasharray: "1,3" }));
    });
    if (events.length && !small) {
      marks.push(
        Plot.text(events, { x: "code", text: "label", frameAnchor: "top", dy: 4, fill: C.event, fontSize: 11, textAnchor: "start", dx: 3 })
      );
    }
    // A line through shown values only: a hidden period is a gap, never a 0.
    var only = function (keep) {
      return rows.map(function (r, i) {
        return keep(r, i) ? r : { code: r.code, waarde: null };
      });
    };
    marks.push(Plot.line(only(function (r) { return !r.open; }), { x: "code", y: "waarde", stroke: C.line, strokeWidth: 2.5 }));
    marks.push(
      Plot.line(only(function (r, i) { return r.open || (rows[i + 1] && rows[i + 1].open); }), {
        x: "code",
        y: "waarde",
        stroke: C.line,
        strokeWidth: 2.5,
        strokeDasharray: "4,4",
      })
    );
    marks.push(Plot.dot(only(function (r) { return !r.open; }), { x: "code", y: "waarde", fill: C.line, r: small ? 3 : 3.5 }));
    marks.push(Plot.dot(only(function (r) { return r.open; }), { x: "code", y: "waarde", fill: "#ffffff", stroke: C.line, strokeWidth: 2, r: small ? 3 : 3.5 }));
    var hiddenRows = rows.filter(function (r) {
      return r.verborgen;
    });
    if (hiddenRows.length) {
      marks.push(Plot.text(hiddenRows, { x: "code", text: function () { return "."; }, frameAnchor: "bottom", dy: -10, fontSize: 24, fontWeight: 700, fill: C.muted }));
    }

    var values = [];
    rows.forEach(function (r) {
      ["waarde", "lo", "hi", "doel", "p25", "p75", "mediaan"].forEach(function (k) {
        if (r[k] !== null) {
          values.push(r[k]);
        }
      });
    });
    if (!values.length) {
      return null;
    }
    var lo = Math.min.apply(null, values);
    var hi = Math.max.apply(null, values);
    var zero = unit === "aantal" || unit === "per_1000" || lo >= 0 && lo < (hi - lo);
    var domain = [zero ? Math.min(0, lo) : lo, hi === lo ? hi + 1 : hi];
    if (unit === "procent") {
      domain = [Math.max(0, domain[0]), Math.min(100, domain[1])];
    }
    return Plot.plot({
      width: width,
      height: small ? 150 : 280,
      marginLeft: small ? 44 : 56,
      marginRight: 16,
      marginTop: events.length && !small ? 22 : 12,
      marginBottom: 32,
      className: "duiding-plot",
      x: {
        type: "point",
        domain: codes,
        padding: 0.3,
        label: null,
        ticks: tickSubset(codes, width - 60, small ? 56 : 64),
        tickFormat: function (c) {
          return periodLabel(c, true);
        },
      },
      y: {
        domain: domain,
        nice: true,
        grid: true,
        label: null,
        ticks: small ? 3 : 5,
        tickFormat: axisFormatter(unit),
      },
      marks: marks,
    });
  }

  function drawBars(fig, view, width) {
    var period = fig.getAttribute("data-periode");
    var unit = unitOf(view);
    var fmt = formatter(unit);
    var total = null;
    var rows = [];
    var withBench = benchMeaningful(view);
    (view.cellen || []).forEach(function (c) {
      if (c.periode !== period) {
        return;
      }
      if (isTotal(c)) {
        total = c;
        return;
      }
      // Margins of a two-way breakdown (one key null) are totals of a line, not a group.
      var keys = c.sleutel || [];
      if (keys.some(function (k) { return k === null || k === undefined; })) {
        return;
      }
      var labels = c.labels && c.labels.length ? c.labels : keys;
      var shown = !hidden(c);
      rows.push({
        label: labels.map(function (l) { return l === "" ? "?" : l; }).join(" · "),
        waarde: shown ? c.waarde : null,
        lo: shown && isNum(c.ondergrens) ? c.ondergrens : null,
        hi: shown && isNum(c.bovengrens) ? c.bovengrens : null,
        // The same group elsewhere (other providers or gemeenten), as the table shows it.
        p25: withBench ? bench(c, "p25") : null,
        mediaan: withBench ? bench(c, "mediaan") : null,
        p75: withBench ? bench(c, "p75") : null,
        verborgen: !shown,
      });
    });
    if (!rows.length) {
      return null;
    }
    // Labels must stay readable on a phone: cut long names, the table has them in full.
    var maxChars = Math.max(10, Math.floor((width * 0.42) / 7.5));
    var seen = {};
    rows.forEach(function (r) {
      var l = r.label.length > maxChars ? r.label.slice(0, maxChars - 1) + "…" : r.label;
      while (seen[l]) {
        l += " ";
      }
      seen[l] = true;
      r.kort = l;
    });
    var longest = rows.reduce(function (m, r) { return Math.max(m, r.kort.length); }, 0);
    var shown = rows.filter(function (r) { return !r.verborgen; });
    var withCi = shown.filter(function (r) { return r.lo !== null && r.hi !== null; });
    var hiddenRows = rows.filter(function (r) { return r.verborgen; });
    var withBand = rows.filter(function (r) { return r.p25 !== null && r.p75 !== null; });
    var withMedian = rows.filter(function (r) { return r.mediaan !== null; });
    var maxX = 0;
    shown.forEach(function (r) {
      maxX = Math.max(maxX, r.hi !== null ? r.hi : r.waarde, r.waarde);
    });
    withBand.forEach(function (r) {
      maxX = Math.max(maxX, r.p75);
    });
    var totalValue = total && !hidden(total) ? total.waarde : null;
    var target = total && isNum(total.streefwaarde) ? total.streefwaarde : null;
    [totalValue, target].forEach(function (v) {
      if (v !== null) {
        maxX = Math.max(maxX, v);
      }
    });
    if (maxX <= 0) {
      maxX = 1;
    }
    var domainMax = unit === "procent" ? Math.min(100, maxX * 1.2) : maxX * 1.25;
    if (unit === "procent" && domainMax < maxX) {
      domainMax = maxX;
    }

    var marks = [
      // Behind each bar, the middle half of the same group elsewhere, with its median.
      Plot.barX(withBand, { y: "kort", x1: "p25", x2: "p75", fill: C.bench, fillOpacity: 0.9 }),
      Plot.barX(shown, { y: "kort", x: "waarde", fill: C.bar, insetTop: 6, insetBottom: 6 }),
      // The median over the bar: its ends stick out above and below.
      Plot.tickX(withMedian, { y: "kort", x: "mediaan", stroke: C.median, strokeWidth: 2, strokeDasharray: "3,2" }),
      Plot.ruleY(withCi, { y: "kort", x1: "lo", x2: "hi", stroke: C.whisker, strokeWidth: 2 }),
      Plot.tickX(withCi, { y: "kort", x: "lo", stroke: C.whisker, strokeWidth: 2, insetTop: 8, insetBottom: 8 }),
      Plot.tickX(withCi, { y: "kort", x: "hi", stroke: C.whisker, strokeWidth: 2, insetTop: 8, insetBottom: 8 }),
      Plot.text(shown, {
        y: "kort",
        x: function (r) { return r.hi !== null ? Math.max(r.hi, r.waarde) : r.waarde; },
        text: function (r) { return fmt(r.waarde); },
        textAnchor: "start",
        dx: 5,
        fill: C.whisker,
        fontSize: 12,
      }),
    ];
    if (hiddenRows.length) {
      var note = ". " + (fig.getAttribute("data-label-verborgen") || "");
      marks.push(Plot.text(hiddenRows, { y: "kort", x: 0, text: function () { return note; }, textAnchor: "start", dx: 4, fill: C.muted, fontSize: 12 }));
    }
    if (totalValue !== null) {
      marks.push(Plot.ruleX([totalValue], { stroke: C.whisker, strokeWidth: 1.5, strokeDasharray: "5,4" }));
    }
    if (target !== null) {
      marks.push(Plot.ruleX([target], { stroke: C.target, strokeWidth: 2, strokeDasharray: "2,3" }));
    }
    marks.push(Plot.ruleX([0], { stroke: C.muted }));
    return Plot.plot({
      width: width,
      height: rows.length * 30 + 44,
      marginLeft: Math.min(Math.round(width * 0.45), 12 + longest * 7.5),
      marginRight: 56,
      marginTop: 8,
      marginBottom: 30,
      className: "duiding-plot",
      x: { domain: [0, domainMax], grid: true, label: null, ticks: Math.max(2, Math.floor(width / 110)), tickFormat: axisFormatter(unit) },
      y: { domain: rows.map(function (r) { return r.kort; }), label: null, tickSize: 0 },
      marks: marks,
    });
  }

  function readView(fig) {
    var src = document.getElementById(fig.getAttribute("data-bron") || "");
    if (!src) {
      return null;
    }
    try {
      return JSON.parse(src.textContent);
    } catch (e) {
      return null;
    }
  }

  function draw(fig, view) {
    var box = fig.querySelector(".duiding-chart__plot");
    if (!box) {
      return;
    }
    fig.hidden = false; // measure the real width
    var width = Math.max(260, Math.floor(box.clientWidth || fig.clientWidth || 320));
    var svg = null;
    try {
      svg = fig.getAttribute("data-grafiek") === "verdeling" ? drawBars(fig, view, width) : drawTrend(fig, view, width);
    } catch (e) {
      svg = null; // a chart that cannot be drawn leaves the table on its own
    }
    while (box.firstChild) {
      box.removeChild(box.firstChild);
    }
    if (!svg) {
      fig.hidden = true;
      return;
    }
    box.appendChild(finish(svg));
    fig.setAttribute("data-breedte", String(width));
  }

  function init() {
    var figs = document.querySelectorAll("figure[data-grafiek]");
    var views = {};
    var drawn = [];
    for (var i = 0; i < figs.length; i++) {
      var id = figs[i].getAttribute("data-bron") || "";
      if (!(id in views)) {
        views[id] = readView(figs[i]);
      }
      if (views[id]) {
        draw(figs[i], views[id]);
        drawn.push(figs[i]);
      }
    }
    // Tells tests (and anyone curious) that every chart has been handled.
    document.documentElement.setAttribute("data-grafieken", "klaar");
    if (!window.ResizeObserver || !drawn.length) {
      return;
    }
    var pending = null;
    var ro = new window.ResizeObserver(function () {
      if (pending) {
        return;
      }
      pending = window.requestAnimationFrame(function () {
        pending = null;
        drawn.forEach(function (fig) {
          var box = fig.querySelector(".duiding-chart__plot");
          var now = Math.floor(box ? box.clientWidth : 0);
          var was = +(fig.getAttribute("data-breedte") || 0);
          if (now && Math.abs(now - was) > 8) {
            draw(fig, views[fig.getAttribute("data-bron") || ""]);
          }
        });
      });
    });
    drawn.forEach(function (fig) {
      ro.observe(fig);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
