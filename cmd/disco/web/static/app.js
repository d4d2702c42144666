// disco serve's page: plain JavaScript, SVG and canvas, no library and no
// network beyond this server.
"use strict";

const $ = (id) => document.getElementById(id);
const FEATURE_COLOURS = ["#8d6e63", "#e91e63", "#ff9800", "#607d8b", "#9c27b0", "#3f51b5", "#009688", "#cddc39"];
const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324", "#469990", "#800000", "#808000", "#000075"];
const state = { info: null, seeds: [], build: null, map: null, mapPromise: null, flowOn: null, buildCtl: null, timer: 0 };
// The last knob change's time from input to redrawn table and figures, in
// milliseconds (window.discoRedraws holds them all, for the browser test).
window.discoRedraws = [];
// Each redraw's parts: from the change to the parsed answer (debounce,
// request, build, transfer), then drawing; server is the build's own time.
window.discoTimings = [];

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}
const svgEl = (tag, attrs) => {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
};
const fmt = (v, d = 2) => (v === undefined || v === null ? "" : Number(v).toFixed(d));

async function api(url, opts) {
  const r = await fetch(url, opts);
  const type = r.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) { const e = new Error(body.error || body || r.statusText); e.body = body; e.status = r.status; throw e; }
  return { status: r.status, body };
}

// ---- pages ----
function showPage() {
  const name = (location.hash || "#build").slice(1);
  for (const p of document.querySelectorAll(".page")) p.hidden = p.id !== "page-" + name;
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.page === name);
  if (name === "map") drawMapPage();
  if (name === "eval") loadEval();
}
window.addEventListener("hashchange", showPage);

// ---- build page ----

function buildQuery() {
  const q = new URLSearchParams();
  if ($("bridge").checked && state.seeds.length === 2) {
    q.set("from", state.seeds[0].id);
    q.set("to", state.seeds[1].id);
  } else for (const s of state.seeds) q.append("seed", s.id);
  for (const k of state.info.knobs) q.set(k.name, $("knob-" + k.name).value);
  q.set("source", $("source").value);
  if ($("genre").value) q.set("genre", $("genre").value);
  q.set("centre", $("centre").value);
  q.set("length", $("length").value);
  q.set("beam", $("beam").value);
  return q;
}

function setupBuild() {
  const info = state.info;
  const knobs = $("knobs");
  for (const k of info.knobs) {
    const v = info.defaults[k.name];
    const step = k.max > 50 ? 0.25 : 0.1;
    const max = Math.min(k.max, k.name === "spicyness" ? k.max : 10);
    const out = el("span", { id: "knob-" + k.name + "-value" }, String(v));
    const input = el("input", { id: "knob-" + k.name, type: "range", min: "0", max: String(max), step: String(step), value: String(v), title: k.help, "aria-label": k.name });
    input.addEventListener("input", () => { out.textContent = input.value; scheduleBuild(performance.now()); });
    knobs.append(el("div", { class: "knob" }, el("div", { class: "head" }, el("span", {}, k.name), out), input));
  }
  for (const s of info.sources) $("source").append(el("option", { value: s }, s));
  for (const g of info.genres) $("genre").append(el("option", { value: g }, g));
  $("length").max = info.max_length;
  for (const id of ["bridge", "source", "genre", "centre", "length", "beam"]) $(id).addEventListener("change", () => scheduleBuild(performance.now()));
  suggestBox($("seed-input"), $("suggestions"), (song) => {
    if (state.seeds.length >= 3 || state.seeds.some((s) => s.id === song.id)) return;
    state.seeds.push(song);
    $("seed-input").value = "";
    drawSeeds();
    scheduleBuild(performance.now());
  });
  setupDrag($("path3d"), () => drawPath3D());
  drawSeeds();
  scheduleBuild(performance.now());
}

function drawSeeds() {
  const box = $("seeds");
  box.replaceChildren(...state.seeds.map((s, i) => el("span", { class: "chip" }, s.label,
    el("button", { title: "remove", "aria-label": "remove " + s.label, onclick: () => { state.seeds.splice(i, 1); drawSeeds(); scheduleBuild(performance.now()); } }, "×"))));
}

// suggestBox wires a search input to /api/suggest: suggestions as the
// user types (debounced, stale requests aborted), arrows and Enter to pick.
function suggestBox(input, list, pick) {
  let ctl = null, timer = 0, items = [], sel = -1;
  const close = () => { list.hidden = true; sel = -1; };
  const render = () => {
    list.replaceChildren(...items.map((s, i) => el("li", { class: i === sel ? "sel" : "", role: "option", onmousedown: (e) => { e.preventDefault(); close(); pick(s); } },
      s.label, el("span", { class: "genre" }, s.genre || ""))));
    list.hidden = items.length === 0;
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (ctl) ctl.abort();
      ctl = new AbortController();
      const q = input.value.trim();
      if (!q) { items = []; render(); return; }
      try {
        const { body } = await api("/api/suggest?n=8&q=" + encodeURIComponent(q), { signal: ctl.signal });
        items = body; sel = -1; render();
      } catch (e) { if (e.name !== "AbortError") { items = []; render(); } }
    }, 60);
  });
  input.addEventListener("keydown", (e) => {
    if (list.hidden) return;
    if (e.key === "ArrowDown") { sel = Math.min(items.length - 1, sel + 1); render(); e.preventDefault(); }
    if (e.key === "ArrowUp") { sel = Math.max(0, sel - 1); render(); e.preventDefault(); }
    if (e.key === "Enter" && items.length) { const s = items[Math.max(0, sel)]; close(); pick(s); e.preventDefault(); }
    if (e.key === "Escape") close();
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}

// scheduleBuild asks for a build of the controls' values: at once when no
// build is running; otherwise shortly after the last change (a dragged
// slider fires an input event a frame), aborting the running request, so
// that only the latest knobs are built and drawn.
function scheduleBuild(t0) {
  clearTimeout(state.timer);
  if (!state.buildCtl) { runBuild(t0); return; }
  state.timer = setTimeout(() => runBuild(t0), 25);
}

async function runBuild(t0) {
  if (state.buildCtl) state.buildCtl.abort();
  const ctl = new AbortController();
  state.buildCtl = ctl;
  const q = buildQuery();
  for (const f of ["m3u8", "xspf", "csv", "json"]) { const d = new URLSearchParams(q); d.set("format", f); $("dl-" + f).href = "/api/build?" + d; }
  $("build-status").textContent = "building…";
  const url = "/api/build?" + q;
  const tq = performance.now();
  let res;
  try {
    res = (await api(url, { signal: ctl.signal })).body;
  } catch (e) {
    if (e.name === "AbortError") return;
    if (state.buildCtl === ctl) state.buildCtl = null;
    showBuildError(e);
    return;
  }
  if (state.buildCtl !== ctl) return;
  state.buildCtl = null;
  const t1 = performance.now();
  $("build-error").hidden = true;
  const prev = state.build;
  state.build = res;
  drawTable(prev, res);
  drawFlow(res);
  drawPath3D();
  const t2 = performance.now();
  const ms = t2 - t0;
  window.discoRedraws.push(ms);
  const rt = performance.getEntriesByName(new URL(url, location.href).href).pop();
  window.discoTimings.push({ total: ms, wait: tq - t0, fetch: t1 - t0, network: rt ? rt.responseEnd - rt.startTime : -1, draw: t2 - t1, server: res.ms });
  performance.clearResourceTimings();
  const notes = (res.notes || []).join("; ");
  $("build-status").textContent = `${res.playlist.length} songs; built in ${fmt(res.ms, 1)} ms, drawn ${fmt(ms, 0)} ms after the change` + (notes ? " — " + notes : "");
  document.body.dataset.builds = String(window.discoRedraws.length);
}

function showBuildError(e) {
  const box = $("build-error");
  box.replaceChildren(e.message.split("\n")[0].replace(/; closest:$|; say which:$/, ""));
  if (e.body && e.body.closest) {
    box.append(el("br"), "Did you mean: ");
    for (const s of e.body.closest) box.append(el("button", { onclick: () => { state.seeds = state.seeds.filter((x) => x.id !== e.body.query && x.label !== e.body.query); state.seeds.push(s); drawSeeds(); scheduleBuild(performance.now()); } }, s.label));
  }
  box.hidden = false;
  $("build-status").textContent = "";
}

// drawTable redraws the rows that changed only.
function drawTable(prev, res) {
  const tbody = $("result").tBodies[0];
  const rows = res.playlist;
  while (tbody.rows.length > rows.length) tbody.deleteRow(-1);
  rows.forEach((e, i) => {
    const key = e.id + "|" + (e.terms ? e.terms.score : "seed");
    let tr = tbody.rows[i];
    if (tr && tr.dataset.key === key) return;
    const cells = [e.position, e.artist + " - " + e.title, e.genre || "", e.camelot, fmt(e.bpm, 0), e.move || "",
      e.terms ? fmt(e.terms.distance) : "", e.terms ? fmt(e.terms.key_sim) : "", e.terms ? fmt(e.terms.tempo_sim) : "",
      e.terms ? fmt(e.terms.prior) : "", e.terms ? fmt(e.terms.penalty, 1) : "", e.terms ? fmt(e.terms.score) : "seed", (e.sources || []).join(", ")];
    const n = el("tr", { class: (e.seed ? "seed " : "") + (prev ? "changed" : "") }, ...cells.map((c, j) => { const td = el("td", {}, String(c)); if (j === 1) td.title = e.id; return td; }));
    n.dataset.key = key;
    if (tr) tbody.replaceChild(n, tr); else tbody.append(n);
  });
}

// drawFlow draws scaled features along positions: a line per feature, the
// prediction each pick answered as a ring.
function drawFlow(res) {
  const names = state.map ? state.map.feature_names : ["acousticness", "danceability", "energy", "instrumentalness", "liveness", "loudness", "speechiness", "valence"];
  if (!state.flowOn) state.flowOn = names.map((n) => ["danceability", "energy", "valence", "acousticness"].includes(n));
  const svg = $("flow");
  const W = 640, H = 260, L = 36, R = 10, T = 10, B = 26;
  const rows = res.playlist;
  const n = rows.length;
  let lo = -2, hi = 2;
  for (const e of rows) for (let j = 0; j < names.length; j++) if (state.flowOn[j]) {
    lo = Math.min(lo, e.scaled[j], e.predicted ? e.predicted[j] : lo); hi = Math.max(hi, e.scaled[j], e.predicted ? e.predicted[j] : hi);
  }
  const x = (i) => L + (n <= 1 ? 0 : (i * (W - L - R)) / (n - 1));
  const y = (v) => T + ((hi - v) * (H - T - B)) / (hi - lo);
  const kids = [];
  for (let g = Math.ceil(lo); g <= Math.floor(hi); g++) {
    kids.push(svgEl("line", { x1: L, x2: W - R, y1: y(g), y2: y(g), stroke: g === 0 ? "#bbb" : "#eee" }));
    const t = svgEl("text", { x: L - 6, y: y(g) + 4, "text-anchor": "end", "font-size": 10, fill: "#888" }); t.textContent = g; kids.push(t);
  }
  for (let i = 0; i < n; i++) {
    const t = svgEl("text", { x: x(i), y: H - 8, "text-anchor": "middle", "font-size": 10, fill: rows[i].seed ? "#c2185b" : "#888" }); t.textContent = i + 1; kids.push(t);
  }
  names.forEach((name, j) => {
    if (!state.flowOn[j]) return;
    const c = FEATURE_COLOURS[j];
    kids.push(svgEl("polyline", { points: rows.map((e, i) => x(i) + "," + y(e.scaled[j])).join(" "), fill: "none", stroke: c, "stroke-width": 2 }));
    rows.forEach((e, i) => {
      kids.push(svgEl("circle", { cx: x(i), cy: y(e.scaled[j]), r: 2.5, fill: c }));
      if (e.predicted) kids.push(svgEl("circle", { cx: x(i), cy: y(e.predicted[j]), r: 4.5, fill: "none", stroke: c, "stroke-width": 1.2 }));
    });
  });
  svg.replaceChildren(...kids);
  const legend = $("flow-legend");
  if (!legend.childElementCount) {
    names.forEach((name, j) => {
      const s = el("span", { class: state.flowOn[j] ? "" : "off" }, el("i", { style: "background:" + FEATURE_COLOURS[j] }), name);
      s.addEventListener("click", () => { state.flowOn[j] = !state.flowOn[j]; s.classList.toggle("off"); if (state.build) drawFlow(state.build); });
      legend.append(s);
    });
  }
}

// ---- a 3D scatter on a canvas: orthographic, turned by dragging ----
const views = new Map();
function view(canvas) {
  if (!views.has(canvas)) views.set(canvas, { yaw: 0.6, pitch: 0.35, zoom: 1 });
  return views.get(canvas);
}
function setupDrag(canvas, redraw) {
  let last = null;
  canvas.addEventListener("pointerdown", (e) => { last = [e.clientX, e.clientY, e.clientX, e.clientY]; canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener("pointermove", (e) => {
    if (!last) return;
    const v = view(canvas);
    v.yaw += (e.clientX - last[0]) * 0.01; v.pitch = Math.max(-1.5, Math.min(1.5, v.pitch + (e.clientY - last[1]) * 0.01));
    last[0] = e.clientX; last[1] = e.clientY;
    redraw();
  });
  canvas.addEventListener("pointerup", (e) => { const moved = last && Math.hypot(e.clientX - last[2], e.clientY - last[3]) > 3; last = null; canvas.dataset.dragged = moved ? "1" : ""; });
  canvas.addEventListener("wheel", (e) => { e.preventDefault(); const v = view(canvas); v.zoom = Math.max(0.3, Math.min(8, v.zoom * (e.deltaY < 0 ? 1.1 : 0.9))); redraw(); }, { passive: false });
}
// projector returns a function from (x, y, z) to canvas pixels.
function projector(canvas, scale, dims) {
  const v = view(canvas);
  const cy = Math.cos(v.yaw), sy = Math.sin(v.yaw), cp = Math.cos(v.pitch), sp = Math.sin(v.pitch);
  const s = scale * v.zoom, ox = canvas.width / 2, oy = canvas.height / 2;
  if (dims === 2) return (x, y) => [ox + s * x, oy - s * y, 0];
  return (x, y, z) => {
    const x1 = cy * x + sy * z, z1 = -sy * x + cy * z;
    const y1 = cp * y - sp * z1, z2 = sp * y + cp * z1;
    return [ox + s * x1, oy - s * y1, z2];
  };
}
// mapScale fits the 98th percentile of the catalog's distances from the
// centre (and the playlist's path, when given) into the canvas.
function mapScale(canvas, m, path) {
  if (!m.radius) {
    const d = [];
    for (let i = 0; i < m.ids.length; i += 7) d.push(Math.hypot(m.xyz[3 * i], m.xyz[3 * i + 1], m.xyz[3 * i + 2]));
    d.sort((a, b) => a - b);
    m.radius = d[Math.floor(0.98 * (d.length - 1))] || 1;
  }
  let r = m.radius;
  if (path) for (const c of path) r = Math.max(r, 0.9 * Math.hypot(c[0], c[1], c[2]));
  return (0.47 * Math.min(canvas.width, canvas.height)) / r;
}
// loadMap returns the map of a space (the features by default), fetched
// once; state.map is the features' map, which the Build page draws on.
const maps = {};
// A map still computed (t-SNE) answers 202: loadMap then resolves to that
// answer, with computing set, and asks again next time.
function loadMap(space = "features") {
  if (!maps[space]) maps[space] = api("/api/map?space=" + space).then(({ status, body }) => {
    if (status === 202) { delete maps[space]; return { computing: true, ...body }; }
    body.at = new Map(body.ids.map((id, i) => [id, i]));
    if (space === "features") state.map = body;
    return body;
  }, (e) => { delete maps[space]; throw e; });
  return maps[space];
}

// drawBackground paints the catalog's points into an offscreen canvas,
// reused until the view turns, so a new playlist redraws its path only.
function drawPath3D() {
  const canvas = $("path3d");
  const ctx = canvas.getContext("2d");
  const m = state.map;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!m) { loadMap().then(drawPath3D); return; }
  const scale = mapScale(canvas, m); // the catalog's, so that the background is drawn once per view
  const P = projector(canvas, scale, 3);
  const v = view(canvas);
  const key = [v.yaw, v.pitch, v.zoom, scale].join();
  if (!state.bg || state.bgKey !== key) {
    state.bg = state.bg || document.createElement("canvas");
    state.bg.width = canvas.width; state.bg.height = canvas.height;
    const b = state.bg.getContext("2d");
    b.clearRect(0, 0, canvas.width, canvas.height);
    b.fillStyle = "rgba(120,120,130,0.22)";
    for (let i = 0; i < m.ids.length; i++) { const p = P(m.xyz[3 * i], m.xyz[3 * i + 1], m.xyz[3 * i + 2]); b.fillRect(p[0], p[1], 1.5, 1.5); }
    axes(b, P, 0.9 * m.radius, m.explained);
    state.bgKey = key;
  }
  ctx.drawImage(state.bg, 0, 0);
  if (state.build) drawPath(ctx, state.build.path.map((c) => P(c[0], c[1], c[2])), state.build.playlist);
}
function axes(ctx, P, len, explained) {
  const o = P(0, 0, 0);
  ["PC1", "PC2", "PC3"].forEach((name, k) => {
    const a = [0, 0, 0]; a[k] = len;
    const p = P(a[0], a[1], a[2]);
    ctx.strokeStyle = "#999"; ctx.lineWidth = 1; ctx.beginPath(); ctx.moveTo(o[0], o[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
    ctx.fillStyle = "#666"; ctx.font = "11px system-ui"; ctx.fillText(`${name} ${Math.round(100 * explained[k])}%`, p[0] + 3, p[1]);
  });
}
// drawPath draws a playlist through its points (null: a song the map
// lacks, which breaks the line).
function drawPath(ctx, pts, playlist) {
  ctx.strokeStyle = "#c2185b"; ctx.lineWidth = 2; ctx.beginPath();
  let on = false;
  pts.forEach((p) => { if (!p) { on = false; return; } if (on) ctx.lineTo(p[0], p[1]); else ctx.moveTo(p[0], p[1]); on = true; });
  ctx.stroke();
  pts.forEach((p, i) => {
    if (!p) return;
    const seed = playlist[i].seed;
    ctx.fillStyle = seed ? "#c2185b" : "#fff"; ctx.strokeStyle = "#c2185b";
    ctx.beginPath(); ctx.arc(p[0], p[1], seed ? 5 : 4, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    ctx.fillStyle = "#333"; ctx.font = "10px system-ui"; ctx.fillText(String(i + 1), p[0] + 6, p[1] - 5);
  });
}

// ---- map page ----
const mapState = { colour: "genre", dims: 3, space: "features", m: null, picked: -1, neighbours: [], setup: false };
function colourOf(m, i) {
  const by = mapState.colour;
  if (by === "genre") return m.genre[i] < 0 ? "#bbb" : PALETTE[m.genre[i] % PALETTE.length];
  if (by === "artist") return m.artist[i] < 0 ? "#bbb" : `hsl(${(m.artist[i] * 137.508) % 360},65%,48%)`;
  const j = m.feature_names.indexOf(by);
  const v = m.features[8 * i + j];
  const t = j === m.feature_names.indexOf("loudness") ? Math.max(0, Math.min(1, (v + 30) / 30)) : Math.max(0, Math.min(1, v));
  return `hsl(${260 - 260 * t},70%,48%)`;
}
async function drawMapPage() {
  $("map-status").textContent = "loading the map…";
  let m;
  try { m = await loadMap(mapState.space); } catch (e) { $("map-status").textContent = e.message; return; }
  if (m.computing) {
    $("map-status").textContent = `Computing: ${m.message} (${Math.round(m.seconds)} s so far).`;
    clearTimeout(mapState.timer);
    mapState.timer = setTimeout(() => { if (!$("page-map").hidden) drawMapPage(); }, 2000);
    return;
  }
  if (mapState.m !== m) { mapState.m = m; mapState.picked = -1; mapState.neighbours = []; $("neighbours").replaceChildren(); $("nn-title").textContent = ""; }
  const canvas = $("map");
  if (!mapState.setup) {
    mapState.setup = true;
    for (const f of m.feature_names) $("map-colour").append(el("option", { value: f }, f));
    $("map-colour").addEventListener("change", () => { mapState.colour = $("map-colour").value; drawMapPage(); });
    $("map-dims").addEventListener("change", () => { mapState.dims = Number($("map-dims").value); drawMapPage(); });
    $("map-space").addEventListener("change", () => { mapState.space = $("map-space").value; drawMapPage(); });
    setupDrag(canvas, () => drawMap());
    canvas.addEventListener("click", (e) => {
      if (canvas.dataset.dragged) return;
      const r = canvas.getBoundingClientRect();
      const px = ((e.clientX - r.left) * canvas.width) / r.width, py = ((e.clientY - r.top) * canvas.height) / r.height;
      const m = mapState.m;
      const P = projector(canvas, mapScale(canvas, m), dims(m));
      let best = -1, bd = 100;
      for (let i = 0; i < m.ids.length; i++) { const p = P(m.xyz[3 * i], m.xyz[3 * i + 1], m.xyz[3 * i + 2]); const d = (p[0] - px) ** 2 + (p[1] - py) ** 2; if (d < bd) { bd = d; best = i; } }
      if (best >= 0) pickSong(m.ids[best]);
    });
    suggestBox($("map-search"), $("map-suggestions"), (s) => pickSong(s.id));
  }
  drawMapLegend(m);
  drawMap();
}
function drawMapLegend(m) {
  const box = $("map-legend");
  if (mapState.colour === "genre") box.replaceChildren(...m.genres.map((g, i) => el("span", {}, el("i", { style: "background:" + PALETTE[i % PALETTE.length] }), g)));
  else if (mapState.colour === "artist") box.replaceChildren(el("span", { class: "muted" }, `${m.artists.length} artists, a hue each`));
  else box.replaceChildren(el("span", {}, el("i", { style: "background:hsl(260,70%,48%)" }), "low"), el("span", {}, el("i", { style: "background:hsl(0,70%,48%)" }), "high"));
}
// dims is the map's view: t-SNE's map is flat.
function dims(m) { return m.space === "tsne" ? 2 : mapState.dims; }

function drawMap() {
  const m = mapState.m;
  const canvas = $("map");
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const P = projector(canvas, mapScale(canvas, m), dims(m));
  const order = [];
  for (let i = 0; i < m.ids.length; i++) { const p = P(m.xyz[3 * i], m.xyz[3 * i + 1], m.xyz[3 * i + 2]); order.push([p[2], p[0], p[1], i]); }
  if (dims(m) === 3) order.sort((a, b) => a[0] - b[0]);
  ctx.globalAlpha = 0.55;
  const r = m.ids.length < 5000 ? 2 : 1.2; // a small map's points larger
  for (const [, x, y, i] of order) { ctx.fillStyle = colourOf(m, i); ctx.fillRect(x - r, y - r, 2 * r, 2 * r); }
  ctx.globalAlpha = 1;
  $("map-dims").disabled = m.space === "tsne";
  if (dims(m) === 3) axes(ctx, P, 0.95 * m.radius, m.explained);
  else if (m.explained) { ctx.fillStyle = "#666"; ctx.font = "12px system-ui"; ctx.fillText(`PC1 ${Math.round(100 * m.explained[0])}% →`, canvas.width - 110, canvas.height - 10); ctx.fillText(`↑ PC2 ${Math.round(100 * m.explained[1])}%`, 8, 16); }
  if (state.build) drawPath(ctx, state.build.playlist.map((e) => { const i = m.at.get(e.id); return i === undefined ? null : P(m.xyz[3 * i], m.xyz[3 * i + 1], m.xyz[3 * i + 2]); }), state.build.playlist);
  for (const nb of mapState.neighbours) { const p = P(m.xyz[3 * nb.index], m.xyz[3 * nb.index + 1], m.xyz[3 * nb.index + 2]); ctx.strokeStyle = "#222"; ctx.lineWidth = 1.5; ctx.beginPath(); ctx.arc(p[0], p[1], 5, 0, 2 * Math.PI); ctx.stroke(); }
  if (mapState.picked >= 0) {
    const i = mapState.picked, p = P(m.xyz[3 * i], m.xyz[3 * i + 1], m.xyz[3 * i + 2]);
    ctx.fillStyle = "#000"; ctx.beginPath(); ctx.arc(p[0], p[1], 6, 0, 2 * Math.PI); ctx.fill();
    ctx.font = "bold 12px system-ui"; ctx.fillText(m.labels[i], p[0] + 9, p[1] - 8);
  }
  $("map-status").textContent = m.space === "tsne"
    ? `${m.ids.length} songs (evenly spaced through the catalog) on a 2-D t-SNE map of the scaled features (perplexity 30); the playlist's songs outside the sample are left out of its path`
    : `${m.ids.length} songs on the first ${dims(m)} principal components of ${m.space === "song2vec" ? "the song2vec vectors" : "the scaled features"} (${m.explained.slice(0, dims(m)).map((e) => Math.round(100 * e) + "%").join(" + ")} of the variance)`;
}
async function pickSong(id) {
  const m = mapState.m;
  if (!m.at.has(id)) { $("map-status").textContent = "that song has no point in this space"; return; }
  try {
    const { body } = await api(`/api/neighbours?n=10&space=${m.space}&id=` + encodeURIComponent(id));
    mapState.picked = m.at.get(id);
    mapState.neighbours = body.neighbours;
    $("nn-title").textContent = "Nearest to " + body.song.label;
    $("neighbours").replaceChildren(...body.neighbours.map((nb) => el("li", { onclick: () => pickSong(nb.id) }, `${nb.label} `, el("span", { class: "muted" }, `${nb.genre || ""} · ${fmt(nb.distance)}`))));
    drawMap();
  } catch (e) { $("map-status").textContent = e.message; }
}

// ---- sort page ----
function setupSort() {
  const drop = $("drop");
  $("max-upload").textContent = Math.round(state.info.max_upload / (1 << 20)) + " MB";
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); if (e.dataTransfer.files[0]) sortFile(e.dataTransfer.files[0]); });
  $("sort-file").addEventListener("change", () => { if ($("sort-file").files[0]) sortFile($("sort-file").files[0]); });
}
async function sortFile(file) {
  $("sort-error").hidden = true;
  $("sort-status").textContent = `sorting ${file.name}…`;
  // The knobs are the Build page's, as disco sort takes build's knob flags.
  const q = new URLSearchParams({ name: file.name, effort: $("effort").value, drop_unknown: "1" });
  for (const k of state.info.knobs) q.set(k.name, $("knob-" + k.name).value);
  try {
    const { body } = await api("/api/sort?" + q, { method: "POST", body: file });
    drawSort(body);
    $("sort-status").textContent = `${body.playlist.length} songs sorted in ${fmt(body.ms, 0)} ms` + (body.notes ? " — " + body.notes.join("; ") : "");
  } catch (e) {
    $("sort-error").textContent = e.message; $("sort-error").hidden = false; $("sort-status").textContent = "";
  }
}
function drawSort(res) {
  const s = $("sort-summary");
  const box = (title, v, sub) => el("div", {}, el("span", { class: "muted" }, title), el("b", {}, v), el("span", { class: "muted" }, sub));
  s.className = "summary";
  s.replaceChildren(box("cost", fmt(res.cost, 1), `yours ${fmt(res.given_cost, 1)}`), box("nearest-neighbour", fmt(res.greedy_cost, 1), "greedy order"), box("shuffled", fmt(res.shuffled_cost, 1), "mean of shuffles"),
    box("key-compatible", `${res.sorted_mix.key_compatible}/${res.sorted_mix.moves}`, `yours ${res.given_mix.key_compatible}`), box("tempo-compatible", `${res.sorted_mix.tempo_compatible}/${res.sorted_mix.moves}`, `yours ${res.given_mix.tempo_compatible}`),
    box("rules broken", String(res.violations.length), ""));
  const pick = ["energy", "valence", "danceability"];
  const names = ["acousticness", "danceability", "energy", "instrumentalness", "liveness", "loudness", "speechiness", "valence"];
  lineChart($("sort-before"), res.given.map((g) => g.scaled), names, pick);
  lineChart($("sort-after"), res.playlist.map((e) => e.scaled), names, pick);
  mixBars($("sort-mix"), res.given_mix, res.sorted_mix);
  const tbody = $("sort-result").tBodies[0];
  tbody.replaceChildren(...res.playlist.map((e, i) => {
    const t = i > 0 && e.terms; // the first song has no move into it
    return el("tr", {}, ...[e.position, e.artist + " - " + e.title, e.camelot, fmt(e.bpm, 0), e.move || "",
      t ? fmt(t.distance) : "", t ? fmt(t.key_sim) : "", t ? fmt(t.tempo_sim) : "", t ? fmt(t.penalty, 1) : ""].map((c) => el("td", {}, String(c))));
  }));
  const v = res.violations;
  $("sort-violations").replaceChildren(...v.slice(0, 8).map((x) => el("li", {}, `breaks: song ${x.position + 1}: ${x.detail}`)),
    ...(v.length > 8 ? [el("li", {}, `… and ${v.length - 8} more`)] : []));
}
function lineChart(svg, rows, names, pick) {
  const W = 640, H = 220, L = 30, R = 100, T = 10, B = 20, n = rows.length;
  const x = (i) => L + (n <= 1 ? 0 : (i * (W - L - R)) / (n - 1));
  const js = pick.map((name) => names.indexOf(name));
  let lo = -1, hi = 1;
  for (const z of rows) for (const j of js) { lo = Math.min(lo, z[j]); hi = Math.max(hi, z[j]); }
  const y = (v) => T + ((hi - v) * (H - T - B)) / (hi - lo);
  const kids = [];
  for (let g = Math.ceil(lo); g <= Math.floor(hi); g++) {
    kids.push(svgEl("line", { x1: L, x2: W - R, y1: y(g), y2: y(g), stroke: g === 0 ? "#bbb" : "#eee" }));
    const t = svgEl("text", { x: L - 6, y: y(g) + 4, "text-anchor": "end", "font-size": 10, fill: "#888" }); t.textContent = g; kids.push(t);
  }
  for (let i = 0; i < n; i += Math.max(1, Math.ceil(n / 20))) {
    const t = svgEl("text", { x: x(i), y: H - 4, "text-anchor": "middle", "font-size": 10, fill: "#888" }); t.textContent = i + 1; kids.push(t);
  }
  pick.forEach((name, k) => {
    const j = names.indexOf(name), c = FEATURE_COLOURS[j];
    kids.push(svgEl("polyline", { points: rows.map((z, i) => x(i) + "," + y(z[j])).join(" "), fill: "none", stroke: c, "stroke-width": 2 }));
    const t = svgEl("text", { x: W - R + 8, y: T + 14 + 16 * k, fill: c, "font-size": 12 }); t.textContent = name; kids.push(t);
  });
  svg.replaceChildren(...kids);
}
function mixBars(svg, a, b) {
  const rows = [["key-compatible", "key_compatible"], ["tempo-compatible", "tempo_compatible"], ["artists spaced", "artist_spaced"]];
  const kids = [];
  rows.forEach(([label, k], r) => {
    const y0 = 12 + 44 * r, w = 420;
    const t = svgEl("text", { x: 0, y: y0 + 14, "font-size": 12 }); t.textContent = label; kids.push(t);
    [[a, "#bbb", "yours"], [b, "#c2185b", "sorted"]].forEach(([m, c, who], s) => {
      const frac = m.moves ? m[k] / m.moves : 0;
      kids.push(svgEl("rect", { x: 130, y: y0 + 18 * s, width: Math.max(1, w * frac), height: 14, fill: c }));
      const v = svgEl("text", { x: 136 + w * frac, y: y0 + 11 + 18 * s, "font-size": 11 }); v.textContent = `${who} ${m[k]}/${m.moves}`; kids.push(v);
    });
  });
  svg.replaceChildren(...kids);
}

// ---- eval page ----
let evalTimer = 0, sweepTimer = 0;
// errorText is the message of an error answer: its JSON error, or its text.
function errorText(text, status) {
  try { return JSON.parse(text).error || text; } catch { return text || `error ${status}`; }
}
async function loadEval() {
  clearTimeout(evalTimer);
  try {
    const r = await fetch("/api/eval?format=table");
    if (r.status === 202) {
      const s = await r.json();
      $("eval-status").textContent = `Computing disco eval on the embedded data (${Math.round(s.seconds)} s so far): ${s.message}.`;
      evalTimer = setTimeout(loadEval, 3000);
      return;
    }
    const text = await r.text();
    if (!r.ok) { $("eval-status").textContent = errorText(text, r.status); loadSweep(); return; }
    $("eval-status").textContent = "disco eval on the embedded data (the same code and figures as the command; JSON at /api/eval):";
    $("eval-table").textContent = text;
    loadSweep();
  } catch (e) { $("eval-status").textContent = e.message; }
}
async function loadSweep() {
  clearTimeout(sweepTimer);
  try {
    const r = await fetch("/api/sweep");
    if (r.status === 404) { $("sweep").hidden = true; return; }
    $("sweep").hidden = false;
    if (r.status === 202) {
      const s = await r.json();
      $("sweep-grid").textContent = "computing";
      $("sweep-status").textContent = `Computing a small disco sweep on the embedded data (${Math.round(s.seconds)} s so far): ${s.message}.`;
      sweepTimer = setTimeout(loadSweep, 2000);
      return;
    }
    const text = await r.text();
    if (!r.ok) { $("sweep-status").textContent = errorText(text, r.status); return; }
    const s = JSON.parse(text);
    $("sweep-grid").textContent = `disco sweep --grid "${s.grid}" (${s.settings} settings)`;
    $("sweep-status").textContent = "The other knobs at disco eval's defaults; the same grid on every start. The setting disco sweep recommends, and its plots (rows at /api/sweep, each plot at /api/sweep/{name}):";
    $("sweep-recommended").hidden = false;
    // The flags on a line of their own, so that none breaks at its dashes.
    $("sweep-recommended").textContent = s.recommended.replace(/\): --/, "):\n  --");
    $("sweep-plots").replaceChildren(...s.plots.map(name => {
      const f = el("figure"), img = el("img");
      img.src = "/api/sweep/" + encodeURIComponent(name);
      img.alt = name;
      const c = el("figcaption"); c.textContent = name;
      f.append(c, img);
      return f;
    }));
  } catch (e) { $("sweep-status").textContent = e.message; }
}

// ---- start ----
(async function start() {
  const { body } = await api("/api/info");
  state.info = body;
  $("info").textContent = `${body.tracks} songs, ${body.playlists} playlists · ${body.catalog}`;
  setupBuild();
  setupSort();
  showPage();
})();
