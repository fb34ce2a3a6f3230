/* The static site's map page and embed (central_asia_atlas/site.py builds them).
 *
 * Everything a reader reads was rendered in Python, by the app's own functions: the map's
 * colours, tooltips and legend for every stretch of days, each panel's pieces for every
 * stretch, each fact with the first day it is known (see central_asia_atlas/siteviews.py).
 * This script only picks: the stretch that holds the reader's "as of" day, the facts known by
 * then, the colouring asked for; and it keeps the view in the URL with the app's parameters
 * (indicator, country, route, event, as_of, routes). It fetches nothing but the site's own
 * files, each by the relative address the page gives.
 */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("site-config").textContent);
  var KINDS = ["country", "route", "event"];
  var DAY = /^\d{4}-\d{2}-\d{2}$/;
  var MS = 86400000;
  var map = window[cfg.map.map];
  var countries = window[cfg.map.countries];
  var routes = window[cfg.map.routes];
  var events = window[cfg.map.events];
  var clickable = [countries, window[cfg.map.routeHits], window[cfg.map.eventMarks]];
  var $ = function (id) { return document.getElementById(id); };
  var panel = $("site-panel");
  var more = $("site-more");
  var intro = panel.innerHTML;
  var slider = $("site-day");
  var todayLabel = $("site-day-label") ? $("site-day-label").textContent : "";
  var fetched = {};
  var labels = null;
  var page = 8;

  function get(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
      fetched[url].catch(function () { delete fetched[url]; });
    }
    return fetched[url];
  }

  // --- the view and the URL (the app's parameters: selection.from_query_params) ---------
  function isDay(s) {
    if (!DAY.test(s)) return false;
    var d = new Date(s + "T00:00:00Z");
    return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }

  function last(q, name) {
    var all = q.getAll(name);
    return all.length ? all[all.length - 1].trim() : "";
  }

  function fromUrl() {
    var q = new URLSearchParams(location.search);
    var v = {indicator: cfg["default"], selection: null, routes: true, asOf: null, limit: page};
    KINDS.forEach(function (kind) {
      var raw = last(q, kind);
      if (!raw || v.selection) return;
      var id = kind === "country" ? raw.toUpperCase() : raw;
      if (cfg.panels[kind + ":" + id]) v.selection = {kind: kind, id: id};
    });
    var ind = last(q, "indicator");
    if (ind && cfg.states[ind]) v.indicator = ind;
    if (["0", "false", "off", "no"].indexOf(last(q, "routes").toLowerCase()) >= 0) v.routes = false;
    var day = last(q, "as_of");
    if (isDay(day)) v.asOf = day;
    if (q.has("signals") && $("site-signals")) $("site-signals").hidden = false;
    return v;
  }

  function query(v) {  // selection.to_query_params: the same names, in the same order
    var p = new URLSearchParams();
    if (v.selection) p.set(v.selection.kind, v.selection.id);
    p.set("indicator", v.indicator);
    p.set("routes", v.routes ? "1" : "0");
    if (v.asOf) p.set("as_of", v.asOf);
    return p.toString();
  }

  var state = fromUrl();

  function writeUrl() {
    var want = "?" + query(state);
    if (location.search !== want) history.replaceState(null, "", want + location.hash);
    var open = $("site-open");
    if (open) open.href = new URL(cfg.pages.map + want, location.href).href;
    share();
  }

  // --- days ------------------------------------------------------------------------------
  var lo = Date.parse(cfg.days.lo + "T00:00:00Z");
  var span = Math.round((Date.parse(cfg.days.hi + "T00:00:00Z") - lo) / MS);

  function dayAt(i) { return new Date(lo + i * MS).toISOString().slice(0, 10); }
  function indexOf(day) { return Math.round((Date.parse(day + "T00:00:00Z") - lo) / MS); }

  function label(day) {
    if (day === null) return todayLabel;
    var i = indexOf(day);
    return labels && i >= 0 && i < labels.length ? labels[i] : day;
  }

  function needLabels() {
    if (labels || state.asOf === null) return Promise.resolve();
    return get(cfg.days.labels).then(function (l) { labels = l; });
  }

  function fillDays(root) {
    var words = label(state.asOf);
    root.querySelectorAll("[data-site-day]").forEach(function (s) { s.textContent = words; });
  }

  function pick(slot, day) {
    if (day === null) return slot.t;
    for (var i = 0; i < slot.v.length; i++) {
      var v = slot.v[i];
      if (v[0] <= day && (!v[1] || day < v[1])) return v[2];
    }
    return slot.t;
  }

  // --- the map ---------------------------------------------------------------------------
  var drawn = {indicator: cfg["default"], asOf: null};  // what the page was built showing

  function colour() {
    var want = {indicator: state.indicator, asOf: state.asOf};
    if (drawn.indicator === want.indicator && drawn.asOf === want.asOf) return Promise.resolve();
    return get(cfg.states[want.indicator]).then(function (states) {
      if (state.indicator !== want.indicator || state.asOf !== want.asOf) return;
      var shown = pick(states, want.asOf);
      countries.options.style = function (f) {
        var c = shown.countries[f.properties.id];
        return c ? c.style : {};
      };
      countries.eachLayer(function (l) {
        var c = shown.countries[l.feature.properties.id];
        if (c) l.feature.properties.tip = c.tip;
        countries.resetStyle(l);
      });
      $("site-legend-indicator").innerHTML = shown.legend;
      drawn = want;
      mark();
    });
  }

  function mark() {
    var legends = $("site-legend-indicator");
    legends.setAttribute("data-site-view", drawn.indicator + "@" + (drawn.asOf || ""));
    var note = document.querySelector("[data-site-asof]");
    if (note) {
      note.hidden = state.asOf === null;
      fillDays(note);
    }
  }

  function showRoutes() {
    [routes, events].forEach(function (g) {
      if (state.routes && !map.hasLayer(g)) map.addLayer(g);
      if (!state.routes && map.hasLayer(g)) map.removeLayer(g);
    });
    $("site-legend-routes").hidden = !state.routes;
    highlight();
  }

  function highlight() {
    var s = state.selection;
    if (window.atlasSelect) window.atlasSelect(s ? s.kind : null, s ? s.id : null);
  }

  // --- the panel -------------------------------------------------------------------------
  function resolve(root, base) {
    root.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href.charAt(0) === "#") return;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(href)) a.href = new URL(href, base).href;
      if (cfg.embed) { a.target = "_blank"; a.rel = "noopener"; }
    });
  }

  function showPanel() {
    var s = state.selection;
    if (!s) {
      panel.innerHTML = intro;
      panel.removeAttribute("data-site-shown");
      more.hidden = true;
      return Promise.resolve();
    }
    var key = s.kind + ":" + s.id;
    var url = new URL(cfg.panels[key], location.href).href;
    var want = key + "@" + (state.asOf || "") + "#" + state.limit;
    var kept = {};  // a stretch's variant kept in a file of its own: its address -> HTML
    return Promise.all([get(url), needLabels()]).then(function (got) {
      var files = got[0].map(function (part) {
        var v = typeof part === "string" || part.f ? null : pick(part, state.asOf);
        if (!v || typeof v === "string") return null;
        var src = new URL(v.src, url).href;
        return get(src).then(function (html) { kept[v.src] = html; });
      });
      return Promise.all(files).then(function () { return got[0]; });
    }).then(function (parts) {
      var s2 = state.selection;
      if (!s2 || s2.kind + ":" + s2.id + "@" + (state.asOf || "") + "#" + state.limit !== want) return;
      var html = [];
      var left = 0;
      parts.forEach(function (part) {
        if (typeof part === "string") {
          html.push(part);
        } else if (part.f) {
          var known = part.f.filter(function (f) { return state.asOf === null || f[0] <= state.asOf; });
          page = part.page;
          html.push(known.length ? known.slice(0, state.limit).map(function (f) { return f[1]; }).join("") : part.none);
          left = Math.max(0, known.length - state.limit);
        } else {
          var v = pick(part, state.asOf);
          html.push(typeof v === "string" ? v : kept[v.src]);
        }
      });
      panel.innerHTML = html.join("");
      resolve(panel, url);
      fillDays(panel);
      more.hidden = left === 0;
      panel.setAttribute("data-site-shown", key + "@" + (state.asOf || ""));
    }, function () {
      panel.innerHTML = intro;
      panel.setAttribute("data-site-shown", "failed");
    });
  }

  function select(sel, clicked) {
    state.selection = sel;
    state.limit = page;
    highlight();
    controls();
    writeUrl();
    return showPanel().then(function () { if (clicked && sel) reveal(); });
  }

  function reveal() {  // a click on the map: bring its panel into view if it is out of sight
    if (cfg.embed) {
      var side = panel.parentElement;
      side.scrollTop = panel.offsetTop - side.offsetTop;
    } else if (panel.getBoundingClientRect().top >= window.innerHeight - 1) {
      panel.scrollIntoView({block: "start"});
    }
  }

  // --- controls --------------------------------------------------------------------------
  function controls() {
    var s = state.selection;
    if ($("site-country")) $("site-country").value = s && s.kind === "country" ? s.id : "";
    if ($("site-line")) $("site-line").value = s && s.kind !== "country" ? s.kind + ":" + s.id : "";
    if ($("site-clear")) $("site-clear").disabled = !s;
    if ($("site-indicator")) $("site-indicator").value = state.indicator;
    if ($("site-routes")) $("site-routes").checked = state.routes;
    if (slider) {
      var i = state.asOf === null ? span : Math.min(Math.max(indexOf(state.asOf), 0), span);
      slider.value = String(i);
      $("site-today").disabled = state.asOf === null;
      $("site-day-label").textContent = label(state.asOf);
    }
  }

  function changed() {
    controls();
    writeUrl();
    return needLabels().then(function () {
      controls();
      return Promise.all([colour(), showPanel()]);
    }).then(mark);
  }

  function share() {
    var link = $("site-share-link");
    if (!link) return;
    link.value = location.href;
    var tpl = $("site-embed-template").content.firstElementChild.cloneNode(true);
    tpl.setAttribute("src", new URL(cfg.pages.embed + "?" + query(state), location.href).href);
    $("site-share-embed").value = tpl.outerHTML;
    $("site-share-csv").href = cfg.csv[state.indicator];
  }

  function on(id, type, fn) { if ($(id)) $(id).addEventListener(type, fn); }

  on("site-indicator", "change", function (e) { state.indicator = e.target.value; changed(); });
  on("site-routes", "change", function (e) { state.routes = e.target.checked; showRoutes(); writeUrl(); });
  on("site-day", "input", function () {
    var i = Number(slider.value);
    state.asOf = i >= span ? null : dayAt(i);
    changed();
  });
  on("site-today", "click", function () { state.asOf = null; changed(); });
  on("site-clear", "click", function () { select(null); });
  on("site-country", "change", function (e) {
    select(e.target.value ? {kind: "country", id: e.target.value} : null);
  });
  on("site-line", "change", function (e) {
    var v = e.target.value, at = v.indexOf(":");
    select(at > 0 ? {kind: v.slice(0, at), id: v.slice(at + 1)} : null);
  });
  more.addEventListener("click", function () { state.limit += page; showPanel(); });
  panel.addEventListener("click", function (e) {  // a tie's link to a fact further down
    var a = e.target.closest && e.target.closest("a[href^='#fact-']");
    if (!a) return;
    e.preventDefault();
    var id = a.getAttribute("href").slice(1);
    var go = function () {
      var el = document.getElementById(id);
      if (el) el.scrollIntoView({block: "start"});
    };
    if (document.getElementById(id) || more.hidden) { go(); return; }
    state.limit = Infinity;
    showPanel().then(go);
  });

  // --- the map's features: click, hover (fetch the panel early), keyboard ---------------
  function props(layer) { return layer && layer.feature && layer.feature.properties; }

  function feature(e) {
    var p = props(e.layer);
    if (p && KINDS.indexOf(p.kind) >= 0) select({kind: p.kind, id: p.id}, true);
  }

  function early(e) {
    var p = props(e.layer);
    var url = p && cfg.panels[p.kind + ":" + p.id];
    if (url) get(new URL(url, location.href).href).catch(function () {});
  }

  clickable.forEach(function (group) {
    if (!group) return;
    group.on("click", feature);
    group.on("mouseover", early);
    group.eachLayer(function (l) {
      var p = props(l), el = l.getElement && l.getElement();
      if (!p || !el) return;
      var ids = (p.ids || p.id).split(",");
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", ids.map(function (i) {
        return cfg.names[p.kind + ":" + i] || i;
      }).join("; "));
      el.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          select({kind: p.kind, id: p.id}, true);
        }
      });
    });
  });

  // --- start -----------------------------------------------------------------------------
  showRoutes();
  controls();
  writeUrl();
  window.atlasSite = {  // for the tests and the benchmark
    state: state,
    map: map,
    days: cfg.days,
    select: select,
    ready: changed().then(function () {
      document.body.setAttribute("data-site-ready", "1");
    })
  };
})();
