// The report page: draws everything from the JSON in #report-data.
//
// Safety: history data only ever reaches the page as text (textContent,
// createTextNode, canvas fillText, SVG text); never as markup, attributes
// that load things, or code.
//
// Scale: ops live in typed arrays; each canvas draws only what is in view and
// at most a mark per pixel and outcome, so a 100,000-op history stays
// responsive. The page tells what it drew through data-* attributes on
// <body> (data-verdict, data-ops, data-bars-in-view, data-highlighted,
// data-culprit, data-violations), which the browser test reads.
(function () {
  'use strict';
  const startedAt = performance.now();
  const D = JSON.parse(document.getElementById('report-data').textContent);
  const parsedAt = performance.now();
  const body = document.body;
  const TYPES = ['invoke', 'ok', 'fail', 'info'];
  const OK = 1, FAIL = 2, INFO = 3;
  const COLOR = { 1: '#3f9f5f', 2: '#d64545', 3: '#e8a33d' };
  const COLOR_LIGHT = { 1: '#cfe9d7', 2: '#f6d0d0', 3: '#f9e3c0' };
  const HL = '#2563eb', CULPRIT = '#9d2fd8';
  const hasTime = !!D.has_time;
  // Events, from columns.
  const EV = D.events, NE = EV.count;
  const evType = EV.type, evProc = EV.process, evF = EV.f, evKey = EV.key, evValue = EV.value;
  const evTime = new Float64Array(NE);
  for (let p = 0, t = 0; p < NE; p++) { t += EV.time_delta[p]; evTime[p] = t; }
  const evIndex = (p) => (EV.index ? EV.index[p] : EV.index_offset + p);
  const evLine = (p) => (EV.line ? EV.line[p] : EV.line_offset + p);
  const evMore = EV.more || {};

  // ---- Ops as columns. ----
  const N = D.ops.length / 2;
  const opInv = new Int32Array(N), opComp = new Int32Array(N);
  const opStart = new Float64Array(N), opEnd = new Float64Array(N);
  const opType = new Uint8Array(N), opProc = new Float64Array(N), opLane = new Int32Array(N);
  const eventOp = new Int32Array(NE).fill(-1);
  let tMin = NE ? evTime[0] : Infinity, tMax = NE ? evTime[NE - 1] : -Infinity;
  if (!isFinite(tMin)) { tMin = 0; tMax = 1; }
  if (tMax <= tMin) tMax = tMin + 1;
  for (let i = 0; i < N; i++) {
    const inv = D.ops[2 * i], comp = D.ops[2 * i + 1];
    opInv[i] = inv; opComp[i] = comp;
    opStart[i] = evTime[inv];
    opEnd[i] = comp >= 0 ? evTime[comp] : tMax;  // never completed: open to the end
    opType[i] = comp >= 0 ? evType[comp] : INFO;
    opProc[i] = evProc[inv];
    eventOp[inv] = i;
    if (comp >= 0) eventOp[comp] = i;
  }
  // Ops by completion time (events are in time order), for throughput.
  let completed = 0;
  for (let i = 0; i < N; i++) if (opComp[i] >= 0) completed++;
  const byComp = new Int32Array(completed), byCompTime = new Float64Array(completed);
  for (let p = 0, k = 0; p < NE; p++) {
    const i = eventOp[p];
    if (i >= 0 && opComp[i] === p) { byComp[k] = i; byCompTime[k++] = opEnd[i]; }
  }

  // ---- Lanes: one per client thread, its successive processes inside it.
  // Our histories say how many threads there were (options.concurrency): a
  // thread goes on as process p + threads after an op ended info, as in
  // Jepsen, so thread = p mod threads. Without it (Jepsen's EDN), a process
  // that appears after another has finished for good (crashed: its op ended
  // info) takes over its lane. ----
  const headerOptions = D.header && typeof D.header === 'object' && D.header.options && typeof D.header.options === 'object' ? D.header.options : {};
  const threads = Number.isInteger(headerOptions.concurrency) && headerOptions.concurrency > 0 ? headerOptions.concurrency : 0;
  const laneOfProc = new Map();
  let lanes = [];  // {thread, procs: [...], ops: []}
  if (threads) {
    const laneOfThread = new Map();
    for (let i = 0; i < N; i++) {
      const p = opProc[i];
      let l = laneOfProc.get(p);
      if (l === undefined) {
        const thread = ((p % threads) + threads) % threads;
        l = laneOfThread.get(thread);
        if (l === undefined) { l = lanes.length; laneOfThread.set(thread, l); lanes.push({ thread, procs: [], ops: [] }); }
        lanes[l].procs.push(p);
        laneOfProc.set(p, l);
      }
      lanes[l].ops.push(i);
    }
  } else {
    const lastOfProc = new Map();
    for (let i = 0; i < N; i++) lastOfProc.set(opProc[i], i);
    for (let i = 0; i < N; i++) {
      const p = opProc[i];
      let l = laneOfProc.get(p);
      if (l === undefined) {
        l = -1;
        for (let k = 0; k < lanes.length; k++) {
          const last = lastOfProc.get(lanes[k].current);
          if (last < i && opComp[last] >= 0 && opEnd[last] <= opStart[i]) { l = k; break; }
        }
        if (l < 0) { l = lanes.length; lanes.push({ thread: p, procs: [], ops: [] }); }
        lanes[l].current = p;
        lanes[l].procs.push(p);
        laneOfProc.set(p, l);
      }
      lanes[l].ops.push(i);
    }
  }
  // Lanes in the order of their threads.
  const order = lanes.map((_, k) => k).sort((a, b) => lanes[a].thread - lanes[b].thread);
  lanes = order.map((k) => lanes[k]);
  const laneOfThread = new Map();
  lanes.forEach((lane, l) => {
    lane.ops = Int32Array.from(lane.ops);
    lane.maxEnd = new Float64Array(lane.ops.length);
    let m = -Infinity;
    lane.ops.forEach((i, k) => { opLane[i] = l; m = Math.max(m, opEnd[i]); lane.maxEnd[k] = m; });
    const procs = (lane.procs.length === 1 ? 'process ' : 'processes ') + lane.procs.join(', ');
    lane.label = threads ? 'client ' + lane.thread + ' (' + procs + ')' : procs;
    laneOfThread.set(lane.thread, l);
  });
  // The lanes a fault hit when it hit client threads (client-pause: its value
  // names them "client-N"); null for faults of the system under test.
  function faultLanes(f) {
    if (f.family !== 'client') return null;
    const v = f.target, whom = v && typeof v === 'object' && !Array.isArray(v) && 'nodes' in v ? v.nodes : v;
    if (!Array.isArray(whom)) return null;
    const out = [];
    for (const name of whom) {
      const m = typeof name === 'string' ? /^client-(\d+)$/.exec(name) : null;
      const l = m ? laneOfThread.get(Number(m[1])) : undefined;
      if (l === undefined) return null;
      out.push(l);
    }
    return out.length ? out : null;
  }
  (D.faults || []).forEach((f) => { f.lanes = faultLanes(f); });

  // ---- Text. ----
  function fmtDur(ns) {
    if (!hasTime) return (Math.round(ns * 10) / 10) + ' lines';
    const a = Math.abs(ns);
    if (a >= 1e9) return (ns / 1e9).toFixed(a >= 1e11 ? 1 : 3) + ' s';
    if (a >= 1e6) return (ns / 1e6).toFixed(a >= 1e8 ? 1 : 2) + ' ms';
    if (a >= 1e3) return (ns / 1e3).toFixed(1) + ' µs';
    return Math.round(ns) + ' ns';
  }
  function fmtTime(t) { return hasTime ? (t === 0 ? '0 s' : fmtDur(t)) : 'line ' + Math.round(t); }
  function json(v) { return v === undefined ? 'null' : JSON.stringify(v); }
  function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }
  function fName(i) { return D.fs[evF[opInv[i]]]; }
  function keyOf(i) { const k = evKey[opInv[i]]; return k < 0 ? undefined : D.keys[k]; }
  // What an op did: a read's completion value, else its invocation's.
  function opValueText(i) {
    const f = fName(i), inv = evValue[opInv[i]];
    const done = opComp[i] >= 0 ? evValue[opComp[i]] : null;
    let s = inv === null || inv === undefined ? '' : json(inv);
    if (opType[i] === OK && done !== null && done !== undefined && json(done) !== s) {
      s += (s ? ' ' : '') + '→ ' + json(done);
    } else if (opType[i] === OK && (f === 'read' || f === 'get') && s === '') {
      s = '→ ' + json(done);
    }
    return s;
  }
  const labelCache = new Map();
  function opLabel(i) {
    let s = labelCache.get(i);
    if (s === undefined) {
      s = clip(fName(i) + ' ' + opValueText(i), 60);
      labelCache.set(i, s);
    }
    return s;
  }
  function opText(i) {
    const k = keyOf(i);
    return 'p' + opProc[i] + ' ' + fName(i) + (k === undefined ? '' : ' [' + json(k) + ']') + ' ' +
      clip(opValueText(i), 120) + ' ' + TYPES[opType[i]];
  }
  function eventJson(p) {
    const o = { type: TYPES[evType[p]], process: evProc[p] < 0 ? 'nemesis' : evProc[p], f: D.fs[evF[p]] };
    if (evKey[p] >= 0) o.key = D.keys[evKey[p]];
    if (evValue[p] !== null && evValue[p] !== undefined) o.value = evValue[p];
    o.time = evTime[p]; o.index = evIndex(p); o.line = evLine(p);
    if (evMore[p]) Object.assign(o, evMore[p]);
    return o;
  }

  // ---- DOM helpers (text only). ----
  function el(tag, attrs, ...kids) {
    const n = document.createElement(tag);
    for (const k in attrs || {}) {
      const v = attrs[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') n.className = v;
      else if (k === 'text') n.textContent = v;
      else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      n.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return n;
  }
  const SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const n = document.createElementNS(SVGNS, tag);
    for (const k in attrs) n.setAttribute(k, attrs[k]);
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function verdictBadge(v, big) {
    return el('span', { class: 'verdict v-' + (['valid', 'invalid', 'unknown'].includes(v) ? v : 'x') + (big ? ' big' : '') }, v);
  }

  // ---- Violations: the checkers' explanations, tied to op ids. ----
  let indexToEvent = null;
  function opFromJson(o) {
    if (!o || typeof o !== 'object') return -1;
    if (typeof o.op === 'number') return o.op < N ? o.op : -1;
    if (o.invoke && typeof o.invoke.index === 'number') return opFromIndex(o.invoke.index);
    return -1;
  }
  function opFromIndex(index) {
    if (!indexToEvent) {
      indexToEvent = new Map();
      for (let p = 0; p < NE; p++) indexToEvent.set(evIndex(p), p);
    }
    const p = indexToEvent.get(index);
    return p === undefined ? -1 : eventOp[p];
  }
  // Each check's violations, read as the report section its checker's
  // registration names (checker/registry.h) from the check's JSON, which
  // the result codec wrote (checker/check_result.h, docs/results-json.md).
  const sections = {
    // Porcupine's view: the op that cannot be linearized after the longest prefix.
    linearization: (check) => {
      const det = check.details || {}, f = det.failure;
      if (!f || typeof f !== 'object') return [];
      const culprit = opFromJson(f.op);
      const tail = (f.prefix_tail || []).map(opFromJson).filter((i) => i >= 0);
      const prefix = (f.prefix_indices || []).map(opFromIndex).filter((i) => i >= 0);
      const concurrent = (f.concurrent || []).map(opFromJson).filter((i) => i >= 0);
      const steps = tail.map((op) => ({ op, reason: '' }));
      if (culprit >= 0) steps.push({ op: culprit, culprit: true, reason: 'cannot be placed after the prefix' });
      return [{
        check, kind: 'linearizability', title: 'no linearization', key: f.key,
        headline: check.summary, steps, culprit,
        highlighted: new Set(steps.map((s) => s.op)), context: new Set(concurrent),
        lin: { model: det.model, state: f.state, prefix, prefixLength: f.prefix_length, concurrent, tail },
        nemesis: [], text: check.explanation, render: renderLinearization,
      }];
    },
    // Elle's view: a cycle (or chain) of ops, a reason for each step.
    cycles: (check) => {
      const det = check.details || {};
      if (!Array.isArray(det.violations)) return [];
      return det.violations.map((v) => {
        const steps = (v.steps || []).map((s) => ({ op: typeof s.op === 'number' ? s.op : -1, reason: s.reason || '', edge: s.edge }))
          .filter((s) => s.op >= 0 && s.op < N);
        const ops = (v.ops || []).map(opFromJson).filter((i) => i >= 0);
        if (!steps.length) ops.forEach((op) => steps.push({ op, reason: '' }));
        return {
          check, kind: v.kind || check.checker, title: v.title || '', key: v.key, headline: v.headline || '',
          steps, culprit: -1, cycle: !!v.cycle,
          highlighted: new Set(steps.map((s) => s.op).concat(ops)), context: new Set(),
          lin: null, nemesis: v.nemesis || [], text: v.text || '', render: renderChain,
          timeline: timelineOf(check, v.key),
        };
      });
    },
  };
  // A checker may give, per key in its reported violations, what to draw of
  // it (details.timelines: a lease's holders, a checkpoint stream's seqs).
  function timelineOf(check, key) {
    const all = check.details && Array.isArray(check.details.timelines) ? check.details.timelines : [];
    return all.find((t) => t && json(t.key) === json(key)) || null;
  }
  const violations = [];
  for (const check of D.checks || []) {
    const section = sections[check.section];
    if (section) violations.push(...section(check));
  }
  let active = violations.length ? 0 : -1;
  let dimOthers = false;  // on once the user asks to see a violation

  // ---- Shared view over time, for the timeline and both plots. ----
  const pad = Math.max((tMax - tMin) * 0.015, hasTime ? 1000 : 0.5);
  const full = { t0: tMin - pad, t1: tMax + pad };
  const view = { t0: full.t0, t1: full.t1 };
  const minSpan = hasTime ? 50 : 2;
  function setView(t0, t1) {
    let span = Math.max(t1 - t0, minSpan);
    span = Math.min(span, (full.t1 - full.t0) * 1.5);
    const mid = Math.min(Math.max((t0 + t1) / 2, full.t0), full.t1);
    view.t0 = mid - span / 2; view.t1 = mid + span / 2;
    scheduleDraw();
  }
  function zoomAt(t, factor) { setView(t - (t - view.t0) * factor, t + (view.t1 - t) * factor); }

  const GUTTER = 156, RIGHT = 14;
  function xOf(t, w) { return GUTTER + (t - view.t0) / (view.t1 - view.t0) * (w - GUTTER - RIGHT); }
  function tOf(x, w) { return view.t0 + (x - GUTTER) / (w - GUTTER - RIGHT) * (view.t1 - view.t0); }

  function ticks(t0, t1, w) {
    const target = Math.max(2, Math.floor((w - GUTTER) / 110));
    const raw = (t1 - t0) / target;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
    const out = [];
    for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) out.push(t);
    return { out, step };
  }
  function tickText(t, step) {
    if (!hasTime) return 'line ' + Math.round(t);
    const unit = step >= 1e8 ? [1e9, 's'] : step >= 1e5 ? [1e6, 'ms'] : step >= 1e2 ? [1e3, 'µs'] : [1, 'ns'];
    const digits = Math.max(0, Math.ceil(-Math.log10(step / unit[0]) + 1e-9));
    return (t / unit[0]).toFixed(Math.min(digits, 6)) + ' ' + unit[1];
  }

  function setupCanvas(canvas, cssHeight) {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(canvas.clientWidth || canvas.parentNode.clientWidth || 1000, 300);
    canvas.style.height = cssHeight + 'px';
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(cssHeight * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(cssHeight * dpr);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, cssHeight);
    return { ctx, w, h: cssHeight };
  }

  let fontCache = '';
  function fontFamily() { return fontCache || (fontCache = getComputedStyle(body).fontFamily); }
  // Each fault's colour comes with it, from the history's fault vocabulary (a kind's `color`,
  // checked when the history was read; checked again here, as it goes into a style).
  function faultColor(f) { return /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(f.color || '') ? f.color : '#d5d8de'; }
  // `laneY`, on the timeline: a fault that hit client threads is drawn on their lanes only.
  function drawFaultBands(ctx, w, y0, y1, alpha, laneY) {
    for (const f of D.faults || []) {
      if (f.end < view.t0 || f.begin > view.t1) continue;
      if (laneY && f.lanes) {
        for (const l of f.lanes) drawFaultBand(ctx, w, f, Math.max(laneY(l), y0), laneY(l) + laneH, alpha);
      } else {
        drawFaultBand(ctx, w, f, y0, y1, alpha);
      }
    }
  }
  function drawFaultBand(ctx, w, f, y0, y1, alpha) {
    const x0 = Math.max(xOf(f.begin, w), GUTTER), x1 = Math.min(xOf(f.end, w), w - RIGHT);
    ctx.globalAlpha = alpha;
    ctx.fillStyle = faultColor(f);
    if (f.instant) {
      ctx.globalAlpha = 0.9;
      ctx.fillRect(x0 - 1, y0, 2, y1 - y0);
    } else {
      ctx.fillRect(x0, y0, Math.max(x1 - x0, 2), y1 - y0);
    }
    ctx.globalAlpha = 1;
  }
  function drawTimeGrid(ctx, w, y0, y1, labels) {
    const { out, step } = ticks(view.t0, view.t1, w);
    ctx.strokeStyle = '#eceef2'; ctx.lineWidth = 1;
    ctx.fillStyle = '#687083'; ctx.font = '11px ' + fontFamily();
    ctx.textAlign = 'center'; ctx.textBaseline = 'alphabetic';
    for (const t of out) {
      const x = Math.round(xOf(t, w)) + 0.5;
      if (x < GUTTER || x > w - RIGHT) continue;
      ctx.beginPath(); ctx.moveTo(x, y0); ctx.lineTo(x, y1); ctx.stroke();
      if (labels === 'top') ctx.fillText(tickText(t, step), x, y0 - 6);
      if (labels === 'bottom') ctx.fillText(tickText(t, step), x, y1 + 14);
    }
  }

  // Dense views are drawn into pixels, then onto the canvas in one call:
  // 100,000 fillRects would take a frame budget many times over.
  const layers = {};
  function pixelLayer(name, w, h) {
    const dpr = window.devicePixelRatio || 1;
    const W = Math.round(w * dpr), H = Math.round(h * dpr);
    const c = layers[name] || (layers[name] = document.createElement('canvas'));
    if (c.width !== W || c.height !== H) { c.width = W; c.height = H; }
    const lctx = c.getContext('2d');
    const img = lctx.createImageData(W, H);
    return { W, H, dpr, px: new Uint32Array(img.data.buffer), img, lctx, canvas: c };
  }
  function flushLayer(ctx, layer, w, h, alpha) {
    layer.lctx.putImageData(layer.img, 0, 0);
    ctx.globalAlpha = alpha;
    ctx.drawImage(layer.canvas, 0, 0, w, h);
    ctx.globalAlpha = 1;
  }
  function fillPx(layer, x0, y0, x1, y1, rgba) {
    x0 = Math.max(0, x0); y0 = Math.max(0, y0); x1 = Math.min(layer.W, x1); y1 = Math.min(layer.H, y1);
    const px = layer.px, W = layer.W;
    if (x1 - x0 > 8) {
      for (let y = y0; y < y1; y++) px.fill(rgba, y * W + x0, y * W + x1);
      return;
    }
    for (let y = y0; y < y1; y++) for (let o = y * W + x0, e = y * W + x1; o < e; o++) px[o] = rgba;
  }
  function rgba32(hex) {  // '#rrggbb' -> opaque ABGR, the byte order of ImageData on little-endian machines
    const n = parseInt(hex.slice(1), 16);
    return (0xff000000 | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff)) >>> 0;
  }
  const PX = { 1: rgba32(COLOR[1]), 2: rgba32(COLOR[2]), 3: rgba32(COLOR[3]) };
  const PX_LIGHT = { 1: rgba32('#b9dcc4'), 2: rgba32('#efb4b4'), 3: rgba32('#f3d3a0') };

  // ---- Timeline. ----
  const tl = document.getElementById('timeline');
  // The nemesis lane: a row per fault in force at once (each period's `row`, lowest free first).
  const NEM_ROWS = Math.max(1, ...(D.faults || []).map((f) => (f.row | 0) + 1));
  const NEM_ROW_H = NEM_ROWS === 1 ? 16 : 14;
  const AXIS = 24, NEM = NEM_ROWS * NEM_ROW_H + 8;
  function nemRowMid(f) { return AXIS + 4 + ((f.row | 0) + 0.5) * NEM_ROW_H; }
  const laneH = lanes.length <= 24 ? 22 : lanes.length <= 60 ? 14 : Math.max(3, Math.floor(720 / lanes.length));
  const tlHeight = AXIS + NEM + lanes.length * laneH + 6;
  let hover = null;     // {kind: 'op', id} | {kind: 'fault', f}
  let selected = -1;
  let flash = -1;
  let barsInView = 0;

  function laneTop(l) { return AXIS + NEM + l * laneH; }
  function visibleOps(lane, t0, t1, fn) {
    const ops = lane.ops, maxEnd = lane.maxEnd;
    let lo = 0, hi = ops.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (maxEnd[m] < t0) lo = m + 1; else hi = m; }
    for (let k = lo; k < ops.length; k++) {
      const i = ops[k];
      if (opStart[i] > t1) break;
      if (opEnd[i] >= t0) fn(i);
    }
  }

  let infoPattern = null;
  function drawTimeline() {
    const { ctx, w, h } = setupCanvas(tl, tlHeight);
    const font = fontFamily();
    const v = active >= 0 ? violations[active] : null;
    // Lane stripes and the nemesis lane.
    ctx.fillStyle = '#fafbfc'; ctx.fillRect(0, AXIS, w, NEM);
    for (let l = 0; l < lanes.length; l++) {
      if (l % 2 === 1) { ctx.fillStyle = '#f7f8fa'; ctx.fillRect(0, laneTop(l), w, laneH); }
    }
    drawFaultBands(ctx, w, AXIS, h - 6, 0.28, laneTop);
    drawTimeGrid(ctx, w, AXIS, h - 6, 'top');
    ctx.strokeStyle = '#d5d9e0'; ctx.beginPath(); ctx.moveTo(GUTTER, AXIS + NEM - 0.5); ctx.lineTo(w, AXIS + NEM - 0.5); ctx.stroke();
    // Nemesis lane: each fault as a bar with its name.
    ctx.textBaseline = 'middle'; ctx.textAlign = 'left'; ctx.font = '11px ' + font;
    for (const f of D.faults || []) {
      if (f.end < view.t0 || f.begin > view.t1) continue;
      const x0 = Math.max(xOf(f.begin, w), GUTTER), x1 = Math.min(xOf(f.end, w), w - RIGHT);
      ctx.fillStyle = faultColor(f);
      const cy = nemRowMid(f), half = NEM_ROW_H / 2 - 1;
      if (f.instant) {
        ctx.beginPath(); const cx = xOf(f.begin, w);
        ctx.moveTo(cx, cy - half); ctx.lineTo(cx + 6, cy); ctx.lineTo(cx, cy + half); ctx.lineTo(cx - 6, cy); ctx.fill();
        ctx.fillStyle = '#4a3a3a'; ctx.fillText(faultLabel(f), cx + 9, cy);
      } else {
        ctx.fillRect(x0, cy - half, Math.max(x1 - x0, 2), 2 * half);
        if (x1 - x0 > 40) {
          ctx.save(); ctx.beginPath(); ctx.rect(x0, cy - half, x1 - x0, 2 * half); ctx.clip();
          ctx.fillStyle = '#4a2525'; ctx.fillText(faultLabel(f), x0 + 5, cy);
          ctx.restore();
        }
      }
    }
    // Ops: at most one mark per pixel column, outcome and lane when zoomed out.
    if (!infoPattern) infoPattern = makeHatch(ctx, COLOR[INFO], '#f6d29c');
    const barH = Math.max(1, laneH - (laneH >= 12 ? 6 : 1));
    const labelOk = laneH >= 14;
    let count = 0;
    const focus = v && dimOthers;
    ctx.font = '11px ' + font; ctx.textBaseline = 'middle';
    // Ops narrower than 2 px are counted per pixel column and outcome, and
    // each column drawn as the mix of outcomes it holds.
    const cols = Math.ceil(w);
    const agg = new Uint32Array(lanes.length * cols * 3);
    let aggregated = 0;
    for (let l = 0; l < lanes.length; l++) {
      const y = laneTop(l) + (laneH - barH) / 2;
      visibleOps(lanes[l], view.t0, view.t1, (i) => {
        count++;
        const x0 = xOf(opStart[i], w), x1 = xOf(opEnd[i], w);
        const t = opType[i];
        if (x1 - x0 < 2) {
          const c = Math.min(cols - 1, Math.max(GUTTER, Math.floor(x0)));
          agg[(l * cols + c) * 3 + t - 1]++;
          aggregated++;
          return;
        }
        const dim = focus && !v.highlighted.has(i) && !v.context.has(i);
        ctx.globalAlpha = dim ? 0.22 : 1;
        ctx.fillStyle = t === INFO ? infoPattern : COLOR[t];
        const bx = Math.max(x0, GUTTER - 2), bw = Math.max(Math.min(x1, w) - bx, 1.5);
        ctx.fillRect(bx, y, bw, barH);
        if (labelOk && bw > 44) {
          ctx.save(); ctx.beginPath(); ctx.rect(bx, y, bw, barH); ctx.clip();
          ctx.fillStyle = t === INFO ? '#4a3000' : '#ffffff';
          ctx.fillText(opLabel(i), bx + 4, y + barH / 2 + 0.5);
          ctx.restore();
        }
      });
    }
    ctx.globalAlpha = 1;
    if (aggregated) {
      const layer = pixelLayer('timeline', w, h), dpr = layer.dpr;
      const hd = Math.max(1, Math.round(barH * dpr));
      for (let l = 0; l < lanes.length; l++) {
        const yd = Math.round((laneTop(l) + (laneH - barH) / 2) * dpr);
        for (let c = GUTTER; c < cols; c++) {
          const k = (l * cols + c) * 3, ok = agg[k], fail = agg[k + 1], info = agg[k + 2];
          const total = ok + fail + info;
          if (!total) continue;
          // From the bottom: ok, fail, info; an outcome present gets a pixel at least.
          let hf = fail ? Math.max(1, Math.round(hd * fail / total)) : 0;
          let hi = info ? Math.max(1, Math.round(hd * info / total)) : 0;
          if (hf + hi > hd) { hf = Math.min(hf, hd - (hi ? 1 : 0)); hi = hd - hf; }
          const ho = hd - hf - hi;
          const x0 = Math.round(c * dpr), x1 = Math.round((c + 1) * dpr);
          fillPx(layer, x0, yd + hd - ho, x1, yd + hd, PX[OK]);
          fillPx(layer, x0, yd + hd - ho - hf, x1, yd + hd - ho, PX[FAIL]);
          fillPx(layer, x0, yd, x1, yd + hi, PX[INFO]);
        }
      }
      flushLayer(ctx, layer, w, h, focus ? 0.22 : 1);
    }
    barsInView = count;
    // Faults again, lightly over the ops, so that dense lanes still show them.
    drawFaultBands(ctx, w, AXIS + NEM, h - 6, 0.16, laneTop);
    // Highlights on top: the violation's ops, its culprit, the selection.
    const mark = (i, color, width, glow) => {
      if (opEnd[i] < view.t0 || opStart[i] > view.t1) return;
      const y = laneTop(opLane[i]) + (laneH - barH) / 2;
      const x0 = Math.max(xOf(opStart[i], w), GUTTER - 2), x1 = Math.min(xOf(opEnd[i], w), w);
      if (glow) { ctx.fillStyle = glow; ctx.fillRect(x0 - 4, y - 3, Math.max(x1 - x0, 2) + 8, barH + 6); }
      ctx.strokeStyle = color; ctx.lineWidth = width;
      ctx.strokeRect(x0 - width / 2, y - width / 2, Math.max(x1 - x0, 2) + width, barH + width);
    };
    if (v) {
      for (const i of v.context) if (!v.highlighted.has(i)) mark(i, '#93a4c8', 1, null);
      for (const i of v.highlighted) if (i !== v.culprit) mark(i, HL, 2, 'rgba(37,99,235,0.16)');
      if (v.culprit >= 0) mark(v.culprit, CULPRIT, 3, 'rgba(157,47,216,0.22)');
    }
    if (selected >= 0) mark(selected, '#111827', 2, null);
    if (flash >= 0) mark(flash, '#111827', 3, 'rgba(17,24,39,0.18)');
    if (hover && hover.kind === 'op') mark(hover.id, '#111827', 1, null);
    // The gutter on top of anything that slid under it.
    ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, GUTTER - 4, h);
    ctx.fillStyle = '#687083'; ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    ctx.font = '600 11px ' + font; ctx.fillText('nemesis', GUTTER - 10, AXIS + NEM / 2);
    ctx.font = '11px ' + font;
    if (laneH >= 10) {
      for (let l = 0; l < lanes.length; l++) ctx.fillText(fitText(ctx, lanes[l].label, GUTTER - 14), GUTTER - 10, laneTop(l) + laneH / 2);
    } else {
      ctx.fillText(lanes.length + ' lanes', GUTTER - 10, AXIS + NEM + 10);
    }
    ctx.textAlign = 'left';
    body.dataset.barsInView = String(count);
    document.getElementById('range').textContent =
      fmtTime(Math.max(view.t0, tMin)) + ' – ' + fmtTime(Math.min(view.t1, tMax)) + ' · ' + count + ' ops in view';
  }
  // `text`, cut to `width` pixels with an ellipsis before its closing bracket.
  function fitText(ctx, text, width) {
    if (ctx.measureText(text).width <= width) return text;
    const close = text.endsWith(')') ? ', …)' : '…';
    let n = text.length - 1;
    while (n > 1 && ctx.measureText(text.slice(0, n) + close).width > width) n--;
    return text.slice(0, n).replace(/,\s*$/, '') + close;
  }
  function makeHatch(ctx, a, b) {
    const c = document.createElement('canvas'); c.width = 6; c.height = 6;
    const g = c.getContext('2d'); g.fillStyle = b; g.fillRect(0, 0, 6, 6);
    g.strokeStyle = a; g.lineWidth = 2.2; g.beginPath();
    g.moveTo(-1, 7); g.lineTo(7, -1); g.moveTo(-1, 1); g.lineTo(1, -1); g.moveTo(5, 7); g.lineTo(7, 5); g.stroke();
    return ctx.createPattern(c, 'repeat');
  }
  // Whom a fault hit: its value's "nodes" when the value records more (as checker/fault_text.h).
  function faultTargetText(value) {
    const whom = value && typeof value === 'object' && !Array.isArray(value) && 'nodes' in value ? value.nodes : value;
    return whom === null || whom === undefined ? '' :
      Array.isArray(whom) && whom.every((x) => typeof x === 'string') ? whom.join(', ') : json(whom);
  }
  function faultName(f) {
    const target = faultTargetText(f.target);
    return clip((f.error ? 'failed ' : '') + f.f + (target ? ' ' + target : ''), 48);
  }
  // The name, and what the fault recorded it did (lost writes, a corrupted offset), on its bar.
  function faultLabel(f) { return f.effect ? clip(faultName(f) + ' · ' + f.effect, 120) : faultName(f); }

  function hitTimeline(mx, my) {
    const w = tl.clientWidth;
    if (mx < GUTTER) {
      const l = Math.floor((my - AXIS - NEM) / laneH);
      return l >= 0 && l < lanes.length ? { kind: 'lane', l } : null;
    }
    const t = tOf(mx, w), tol = (view.t1 - view.t0) / (w - GUTTER) * 4;
    if (my >= AXIS && my < AXIS + NEM) {
      const row = Math.min(NEM_ROWS - 1, Math.max(0, Math.floor((my - AXIS - 4) / NEM_ROW_H)));
      for (const f of D.faults || []) {
        if ((f.row | 0) === row && t >= f.begin - tol && t <= f.end + tol) return { kind: 'fault', f };
      }
      return null;
    }
    const l = Math.floor((my - AXIS - NEM) / laneH);
    if (l < 0 || l >= lanes.length) return null;
    let best = -1, bestD = Infinity;
    visibleOps(lanes[l], t - tol, t + tol, (i) => {
      const d = t < opStart[i] ? opStart[i] - t : t > opEnd[i] ? t - opEnd[i] : 0;
      if (d < bestD || (d === bestD && opEnd[i] - opStart[i] < opEnd[best] - opStart[best])) { best = i; bestD = d; }
    });
    return best >= 0 ? { kind: 'op', id: best } : null;
  }

  // ---- Tooltip and the pinned details. ----
  const tip = document.getElementById('tooltip');
  function opSummaryLine(i) {
    const end = opComp[i] >= 0 ? fmtTime(opEnd[i]) : 'never completed';
    const lat = opComp[i] >= 0 ? ' (' + fmtDur(opEnd[i] - opStart[i]) + ')' : '';
    return fmtTime(opStart[i]) + ' → ' + end + lat;
  }
  function roleOf(i) {
    const v = active >= 0 ? violations[active] : null;
    if (!v) return '';
    if (i === v.culprit) return 'the op that could not be linearized';
    if (v.highlighted.has(i)) return 'in the violation\'s chain';
    if (v.context.has(i)) return 'concurrent with the culprit';
    return '';
  }
  function showTip(hit, cx, cy) {
    tip.replaceChildren();
    if (hit.kind === 'op') {
      const i = hit.id;
      tip.append(el('div', { class: 't-head' }, 'op #' + i + ' · ' + opText(i)));
      tip.append(el('div', null, opSummaryLine(i)));
      const role = roleOf(i);
      if (role) tip.append(el('div', { style: 'color:#c4b5fd' }, role));
      tip.append(el('div', { class: 't-label' }, 'invocation'));
      tip.append(el('pre', null, clip(JSON.stringify(eventJson(opInv[i]), null, 1), 1200)));
      tip.append(el('div', { class: 't-label' }, 'completion'));
      tip.append(el('pre', null, opComp[i] >= 0 ? clip(JSON.stringify(eventJson(opComp[i]), null, 1), 1200) : '(none: read as info, open to the end)'));
    } else if (hit.kind === 'lane') {
      const lane = lanes[hit.l];
      tip.append(el('div', { class: 't-head' }, (threads ? 'client ' + lane.thread : 'lane ' + (hit.l + 1)) + ': ' + lane.procs.length + (lane.procs.length === 1 ? ' process' : ' processes') + ', ' + lane.ops.length + ' ops'));
      tip.append(el('div', null, clip('processes ' + lane.procs.join(', '), 600)));
      if (lane.procs.length > 1) tip.append(el('div', { class: 't-label' }, 'the thread went on as a new process after each op that ended info'));
    } else {
      const f = hit.f;
      tip.append(el('div', { class: 't-head' }, 'fault: ' + faultName(f)));
      if (f.label) tip.append(el('div', { class: 't-label' }, f.label + (f.kind && f.kind !== f.f ? ' (' + f.kind + ')' : '')));
      if (f.error) tip.append(el('div', null, clip('not carried out: ' + f.error, 400)));
      if (f.effect) tip.append(el('div', null, clip('did: ' + f.effect, 600)));
      tip.append(el('div', null, f.instant ? 'at ' + fmtTime(f.begin) :
        fmtTime(f.begin) + ' → ' + (f.end_event === null ? 'not ended (' + fmtTime(f.end) + ')' : fmtTime(f.end) + ' by ' + f.end_f) +
        ' (' + fmtDur(f.end - f.begin) + ')'));
      tip.append(el('pre', null, clip(JSON.stringify(eventJson(f.begin_event), null, 1), 800)));
      if (f.end_event !== null) tip.append(el('pre', null, clip(JSON.stringify(eventJson(f.end_event), null, 1), 800)));
    }
    tip.hidden = false;
    const r = tip.getBoundingClientRect();
    let x = cx + 14, y = cy + 14;
    if (x + r.width > window.innerWidth - 8) x = cx - r.width - 14;
    if (y + r.height > window.innerHeight - 8) y = Math.max(8, cy - r.height - 14);
    tip.style.left = x + 'px'; tip.style.top = y + 'px';
  }
  function hideTip() { tip.hidden = true; }
  function select(i) {
    selected = i;
    const box = document.getElementById('selected');
    box.replaceChildren();
    if (i < 0) { box.hidden = true; scheduleDraw(); return; }
    box.hidden = false;
    box.append(el('div', { class: 'v-head' },
      el('strong', null, 'op #' + i), ' ', el('span', { class: 'mono' }, opText(i)), ' · ', opSummaryLine(i), ' ',
      el('button', { class: 'small', onclick: () => jumpTo(i) }, 'center'), ' ',
      el('button', { class: 'small', onclick: () => select(-1) }, 'close')));
    const role = roleOf(i);
    if (role) box.append(el('div', { class: 'muted' }, role));
    box.append(el('div', { class: 'pair' },
      el('div', null, el('div', { class: 'muted' }, 'invocation'), el('pre', null, JSON.stringify(eventJson(opInv[i]), null, 2))),
      el('div', null, el('div', { class: 'muted' }, 'completion'),
        el('pre', null, opComp[i] >= 0 ? JSON.stringify(eventJson(opComp[i]), null, 2) : '(none: read as info, open to the end)'))));
    scheduleDraw();
  }
  function jumpTo(i) {
    const end = opComp[i] >= 0 ? opEnd[i] : opStart[i] + (tMax - tMin) / 50;
    const span = Math.max((end - opStart[i]) * 8, (tMax - tMin) / 2000, minSpan * 4);
    setView((opStart[i] + end) / 2 - span / 2, (opStart[i] + end) / 2 + span / 2);
    flash = i;
    select(i);
    document.getElementById('timeline-section').scrollIntoView({ block: 'start' });
    setTimeout(() => { if (flash === i) { flash = -1; scheduleDraw(); } }, 1500);
  }
  function setDim(on) {
    dimOthers = on;
    const box = document.getElementById('dim-others');
    if (box) box.checked = on;
  }
  function showViolation(k) {
    setActive(k);
    setDim(true);
    const v = violations[k];
    let a = Infinity, b = -Infinity;
    for (const i of v.highlighted) { a = Math.min(a, opStart[i]); b = Math.max(b, opComp[i] >= 0 ? opEnd[i] : opStart[i]); }
    if (a <= b) { const m = Math.max((b - a) * 0.15, minSpan * 4, (tMax - tMin) / 5000); setView(a - m, b + m); }
    document.getElementById('timeline-section').scrollIntoView({ block: 'start' });
  }
  function setActive(k) {
    active = k;
    document.querySelectorAll('.violation').forEach((n) => n.classList.toggle('active', Number(n.dataset.k) === k));
    const v = k >= 0 ? violations[k] : null;
    body.dataset.highlighted = v ? Array.from(v.highlighted).sort((x, y) => x - y).join(',') : '';
    body.dataset.culprit = v && v.culprit >= 0 ? String(v.culprit) : '';
    body.dataset.activeViolation = String(k);
    scheduleDraw();
  }

  // ---- Navigation shared by the three canvases. ----
  function attachNav(canvas, hit) {
    let drag = null;
    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      const w = canvas.clientWidth, t = tOf(e.offsetX, w);
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey) {
        const d = (e.deltaX || e.deltaY) / (w - GUTTER) * (view.t1 - view.t0);
        setView(view.t0 + d, view.t1 + d);
      } else {
        zoomAt(t, Math.exp(e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015)));
      }
    }, { passive: false });
    canvas.addEventListener('mousedown', (e) => {
      drag = { x: e.clientX, t0: view.t0, t1: view.t1, moved: false };
      canvas.classList.add('dragging');
    });
    window.addEventListener('mousemove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      if (Math.abs(dx) > 3) drag.moved = true;
      if (drag.moved) {
        const d = dx / (canvas.clientWidth - GUTTER - RIGHT) * (drag.t1 - drag.t0);
        setView(drag.t0 - d, drag.t1 - d);
        hideTip();
      }
    });
    window.addEventListener('mouseup', (e) => {
      if (!drag) return;
      const moved = drag.moved;
      drag = null;
      canvas.classList.remove('dragging');
      if (!moved && hit && e.target === canvas) {
        const r = canvas.getBoundingClientRect();
        const h = hit(e.clientX - r.left, e.clientY - r.top);
        select(h && h.kind === 'op' ? h.id : -1);
      }
    });
    canvas.addEventListener('dblclick', (e) => zoomAt(tOf(e.offsetX, canvas.clientWidth), 0.5));
    if (hit) {
      canvas.addEventListener('mousemove', (e) => {
        if (drag && drag.moved) return;
        const h = hit(e.offsetX, e.offsetY);
        const same = (h && hover && h.kind === hover.kind && h.id === hover.id && h.f === hover.f && h.l === hover.l);
        if (h) showTip(h, e.clientX, e.clientY); else hideTip();
        if (!same) { hover = h; scheduleDraw(); }
      });
      canvas.addEventListener('mouseleave', () => { hideTip(); if (hover) { hover = null; scheduleDraw(); } });
    }
  }
  function keyNav(e) {
    const span = view.t1 - view.t0, mid = (view.t0 + view.t1) / 2;
    if (e.key === '+' || e.key === '=') zoomAt(mid, 0.6);
    else if (e.key === '-' || e.key === '_') zoomAt(mid, 1 / 0.6);
    else if (e.key === '0') setView(full.t0, full.t1);
    else if (e.key === 'ArrowLeft') setView(view.t0 - span * 0.2, view.t1 - span * 0.2);
    else if (e.key === 'ArrowRight') setView(view.t0 + span * 0.2, view.t1 + span * 0.2);
    else if (e.key === 'Escape') select(-1);
    else return;
    e.preventDefault();
  }

  // ---- Latency and throughput. ----
  const lat = document.getElementById('latency');
  const thr = document.getElementById('throughput');
  let latLo = Infinity, latHi = 0;
  for (let i = 0; i < N; i++) {
    if (opComp[i] < 0) continue;
    const d = opEnd[i] - opStart[i];
    if (d > 0) { latLo = Math.min(latLo, d); latHi = Math.max(latHi, d); }
  }
  if (!isFinite(latLo)) { latLo = 1; latHi = 10; }
  const logLo = Math.floor(Math.log10(latLo)), logHi = Math.max(Math.ceil(Math.log10(latHi * 1.0001)), logLo + 1);
  function firstStartAtLeast(t) {
    let lo = 0, hi = N;
    while (lo < hi) { const m = (lo + hi) >> 1; if (opStart[m] < t) lo = m + 1; else hi = m; }
    return lo;
  }
  const LAT_H = 230, LAT_TOP = 8, LAT_BOTTOM = 24;
  function latY(i) {
    const plotH = LAT_H - LAT_TOP - LAT_BOTTOM - 22;  // the top 22 px: ops never completed
    if (opComp[i] < 0) return LAT_TOP + 6;
    return LAT_TOP + 22 + plotH - (Math.log10(Math.max(opEnd[i] - opStart[i], latLo)) - logLo) / (logHi - logLo) * plotH;
  }
  // The op whose point is nearest the mouse, within a few pixels.
  function hitLatency(mx, my) {
    const w = lat.clientWidth, tol = (view.t1 - view.t0) / (w - GUTTER) * 5;
    const t = tOf(mx, w);
    let best = -1, bestD = 36;
    for (let i = firstStartAtLeast(t - tol), end = firstStartAtLeast(t + tol); i < end; i++) {
      const dx = xOf(opStart[i], w) - mx, dy = latY(i) - my, d = dx * dx + dy * dy;
      if (d < bestD) { best = i; bestD = d; }
    }
    return best >= 0 ? { kind: 'op', id: best } : null;
  }
  function drawLatency() {
    const H = LAT_H, top = LAT_TOP, bottom = LAT_BOTTOM;
    const { ctx, w, h } = setupCanvas(lat, H);
    const plotH = h - top - bottom - 22;
    const yOf = (d) => top + 22 + plotH - (Math.log10(Math.max(d, latLo)) - logLo) / (logHi - logLo) * plotH;
    drawFaultBands(ctx, w, top, h - bottom, 0.28);
    drawTimeGrid(ctx, w, top, h - bottom, 'bottom');
    ctx.font = '11px ' + fontFamily();
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle'; ctx.fillStyle = '#687083';
    for (let k = logLo; k <= logHi; k++) {
      const y = Math.round(yOf(Math.pow(10, k))) + 0.5;
      ctx.strokeStyle = '#eceef2'; ctx.beginPath(); ctx.moveTo(GUTTER, y); ctx.lineTo(w - RIGHT, y); ctx.stroke();
      ctx.fillText(fmtDecade(k), GUTTER - 8, y);
    }
    ctx.fillText('no reply', GUTTER - 8, top + 6);
    ctx.setLineDash([3, 3]); ctx.strokeStyle = '#d5d9e0';
    ctx.beginPath(); ctx.moveTo(GUTTER, top + 14.5); ctx.lineTo(w - RIGHT, top + 14.5); ctx.stroke();
    ctx.setLineDash([]);
    const v = active >= 0 ? violations[active] : null;
    const begin = firstStartAtLeast(view.t0), end = firstStartAtLeast(view.t1 + 1e-9);
    const r = end - begin > 20000 ? 1.2 : end - begin > 2000 ? 1.6 : 2.4;
    const dim = (i) => v && dimOthers && !v.highlighted.has(i);
    if (end - begin > 3000) {
      // Many points: straight into pixels.
      const layer = pixelLayer('latency', w, h), dpr = layer.dpr, rd = Math.max(1, Math.round(r * dpr));
      for (let i = begin; i < end; i++) {
        const x = Math.round(xOf(opStart[i], w) * dpr);
        const y = Math.round((opComp[i] >= 0 ? yOf(opEnd[i] - opStart[i]) : top + 6) * dpr);
        fillPx(layer, x - rd, y - rd, x + rd, y + rd, dim(i) ? PX_LIGHT[opType[i]] : PX[opType[i]]);
      }
      flushLayer(ctx, layer, w, h, 0.85);
    } else {
      for (let i = begin; i < end; i++) {
        const x = xOf(opStart[i], w);
        const y = opComp[i] >= 0 ? yOf(opEnd[i] - opStart[i]) : top + 6;
        ctx.globalAlpha = dim(i) ? 0.35 : 0.85;
        ctx.fillStyle = COLOR[opType[i]];
        ctx.fillRect(x - r, y - r, 2 * r, 2 * r);
      }
      ctx.globalAlpha = 1;
    }
    if (v) {
      for (const i of v.highlighted) {
        if (opStart[i] < view.t0 || opStart[i] > view.t1) continue;
        const y = opComp[i] >= 0 ? yOf(opEnd[i] - opStart[i]) : top + 6;
        ctx.strokeStyle = i === v.culprit ? CULPRIT : HL; ctx.lineWidth = 2;
        ctx.beginPath(); ctx.arc(xOf(opStart[i], w), y, 5, 0, 2 * Math.PI); ctx.stroke();
      }
    }
    for (const i of [selected, hover && hover.kind === 'op' ? hover.id : -1]) {
      if (i < 0 || opStart[i] < view.t0 || opStart[i] > view.t1) continue;
      ctx.strokeStyle = '#111827'; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.arc(xOf(opStart[i], w), latY(i), 6, 0, 2 * Math.PI); ctx.stroke();
    }
    ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, 8, h);
  }
  function drawThroughput() {
    const H = 170, top = 10, bottom = 24;
    const { ctx, w, h } = setupCanvas(thr, H);
    drawFaultBands(ctx, w, top, h - bottom, 0.28);
    drawTimeGrid(ctx, w, top, h - bottom, 'bottom');
    const buckets = Math.max(10, Math.floor((w - GUTTER - RIGHT) / 6));
    const size = (view.t1 - view.t0) / buckets;
    const counts = [new Float64Array(buckets), new Float64Array(buckets), new Float64Array(buckets)];
    let lo = 0, hi = byComp.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (byCompTime[m] < view.t0) lo = m + 1; else hi = m; }
    for (let k = lo; k < byComp.length && byCompTime[k] <= view.t1; k++) {
      const b = Math.min(buckets - 1, Math.floor((byCompTime[k] - view.t0) / size));
      counts[opType[byComp[k]] - 1][b]++;
    }
    const perSecond = hasTime ? 1e9 / size : 1 / size;
    let max = 0;
    for (let b = 0; b < buckets; b++) max = Math.max(max, (counts[0][b] + counts[1][b] + counts[2][b]) * perSecond);
    if (max <= 0) max = 1;
    const mag = Math.pow(10, Math.floor(Math.log10(max)));
    const step = [1, 2, 5, 10].map((m) => m * mag / 2).find((s) => max / s <= 5) || mag;
    const yMax = Math.ceil(max / step) * step;
    const plotH = h - top - bottom;
    const yOf = (r) => top + plotH - r / yMax * plotH;
    ctx.font = '11px ' + fontFamily();
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle'; ctx.fillStyle = '#687083';
    for (let r = 0; r <= yMax + 1e-9; r += step) {
      const y = Math.round(yOf(r)) + 0.5;
      ctx.strokeStyle = '#eceef2'; ctx.beginPath(); ctx.moveTo(GUTTER, y); ctx.lineTo(w - RIGHT, y); ctx.stroke();
      ctx.fillText(fmtRate(r) + (hasTime ? '/s' : '/line'), GUTTER - 8, y);
    }
    // Stacked: ok at the bottom, then fail, then info.
    const base = new Float64Array(buckets);
    for (let s = 0; s < 3; s++) {
      ctx.beginPath();
      for (let b = 0; b < buckets; b++) {
        const x0 = xOf(view.t0 + b * size, w), x1 = xOf(view.t0 + (b + 1) * size, w);
        const y = yOf((base[b] + counts[s][b]) * perSecond);
        if (b === 0) ctx.moveTo(x0, y); else ctx.lineTo(x0, y);
        ctx.lineTo(x1, y);
      }
      for (let b = buckets - 1; b >= 0; b--) {
        const x0 = xOf(view.t0 + b * size, w), x1 = xOf(view.t0 + (b + 1) * size, w);
        const y = yOf(base[b] * perSecond);
        ctx.lineTo(x1, y); ctx.lineTo(x0, y);
      }
      ctx.closePath();
      ctx.globalAlpha = 0.75; ctx.fillStyle = COLOR[s + 1]; ctx.fill(); ctx.globalAlpha = 1;
      for (let b = 0; b < buckets; b++) base[b] += counts[s][b];
    }
    ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, 8, h);
  }
  function fmtDecade(k) {
    if (!hasTime) return String(Math.pow(10, k));
    const u = k >= 9 ? [9, 's'] : k >= 6 ? [6, 'ms'] : k >= 3 ? [3, 'µs'] : [0, 'ns'];
    return Math.pow(10, k - u[0]) + ' ' + u[1];
  }
  function fmtRate(r) { return r >= 1e4 ? (r / 1e3).toFixed(0) + 'k' : r >= 100 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toPrecision(2); }

  let pending = false;
  const drawMs = { timeline: 0, latency: 0, throughput: 0 };
  function draw() {
    pending = false;
    const t0 = performance.now();
    drawTimeline();
    const t1 = performance.now();
    drawLatency();
    const t2 = performance.now();
    drawThroughput();
    const t3 = performance.now();
    drawMs.timeline = t1 - t0; drawMs.latency = t2 - t1; drawMs.throughput = t3 - t2;
    body.dataset.drawMs = 'timeline ' + Math.round(t1 - t0) + ', latency ' + Math.round(t2 - t1) +
      ', throughput ' + Math.round(t3 - t2);
  }
  function scheduleDraw() {
    if (pending || !rendered) return;
    pending = true;
    requestAnimationFrame(draw);
  }

  // ---- Static sections. ----
  function renderHeader() {
    const h = D.header && typeof D.header === 'object' ? D.header : {};
    const run = D.run || {};
    const bits = [];
    for (const k of ['workload', 'system', 'nemesis']) {
      const val = run[k] !== undefined ? run[k] : h[k];
      if (val !== undefined && val !== null && val !== '') bits.push(k + ' ' + (typeof val === 'string' ? val : json(val)));
    }
    const seed = run.seed !== undefined ? run.seed : h.seed;
    if (seed !== undefined) bits.push('seed ' + json(seed));
    bits.push(N + ' ops');
    const top = document.getElementById('top');
    top.append(verdictBadge(D.verdict, true),
      el('div', { class: 'titles' }, el('h1', null, D.title), el('div', { class: 'sub' }, bits.join(' · '))),
      el('nav', null,
        el('a', { href: '#summary' }, 'Summary'), el('a', { href: '#timeline-section' }, 'Timeline'),
        el('a', { href: '#violations' }, 'Violations (' + violations.length + ')'), el('a', { href: '#perf' }, 'Latency')));
  }
  // Settings as name/value rows; objects one level deep as "options.ttl_ms".
  function kvList(obj, skip) {
    const dl = el('dl', { class: 'kv' });
    let rows = 0;
    const row = (k, v) => {
      if (rows++ < 40) dl.append(el('dt', null, k), el('dd', null, typeof v === 'string' ? v : clip(json(v), 300)));
    };
    for (const k of Object.keys(obj)) {
      if (skip && skip.includes(k)) continue;
      const v = obj[k];
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
        for (const k2 of Object.keys(v)) row(k + '.' + k2, v[k2]);
      } else {
        row(k, v);
      }
    }
    if (rows > 40) dl.append(el('dt', null, '…'), el('dd', null, (rows - 40) + ' more'));
    return dl;
  }
  function renderSummary() {
    const s = document.getElementById('summary');
    const checks = el('div', { class: 'card' }, el('h3', null, 'Verdict per checker'));
    for (const c of D.checks || []) {
      checks.append(el('div', { class: 'check' }, verdictBadge(c.verdict), el('span', { class: 'name' }, c.checker),
        el('span', { class: 'summary' }, c.summary)));
    }
    if (!(D.checks || []).length) checks.append(el('div', { class: 'empty' }, 'No checks were run.'));
    const c = D.counts || { by_f: {} };
    const ops = el('table', null, el('thead', null, el('tr', null, el('th', null, 'f'), el('th', { class: 'num' }, 'ok'),
      el('th', { class: 'num' }, 'fail'), el('th', { class: 'num' }, 'info'), el('th', { class: 'num' }, 'total'))));
    const tb = el('tbody');
    for (const f of Object.keys(c.by_f || {}).sort()) {
      const r = c.by_f[f];
      tb.append(el('tr', null, el('td', { class: 'mono' }, f), el('td', { class: 'num n-ok' }, r.ok), el('td', { class: 'num n-fail' }, r.fail),
        el('td', { class: 'num n-info' }, r.info), el('td', { class: 'num' }, r.ok + r.fail + r.info)));
    }
    tb.append(el('tr', { class: 'total' }, el('td', null, 'all'), el('td', { class: 'num n-ok' }, c.ok), el('td', { class: 'num n-fail' }, c.fail),
      el('td', { class: 'num n-info' }, c.info), el('td', { class: 'num' }, c.ops)));
    ops.append(tb);
    // What decided the verdict (checker/report/run_settings.h), then every setting folded away.
    const runCard = el('div', { class: 'card run-card' }, el('h3', null, 'Run'));
    const settings = (D.settings || []).filter((r) => Array.isArray(r) && r.length === 2);
    if (settings.length) {
      runCard.append(el('table', { class: 'settings' }, el('tbody', null, settings.map(([k, v]) =>
        el('tr', null, el('th', null, k), el('td', { class: 'mono', title: v }, clip(String(v), 80)))))));
    }
    const run = Object.assign({}, D.header && typeof D.header === 'object' ? D.header : {}, D.run || {});
    runCard.append(el('details', { class: 'more' }, el('summary', null, 'all settings'),
      kvList(run, ['format', 'checks', 'counts', 'history', 'faults']),
      el('div', { class: 'muted', style: 'margin-top:6px;font-size:12px;word-break:break-all' }, 'source: ' + D.source)));
    const faults = el('div', { class: 'card' }, el('h3', null, 'Faults injected (' + (D.faults || []).length + ')'));
    if ((D.faults || []).length) {
      const t = el('table', { class: 'fault-table' }, el('colgroup', null, el('col'), el('col', { class: 'c-time' }), el('col', { class: 'c-time' }), el('col', { class: 'c-for' })),
        el('thead', null, el('tr', null, el('th', null, 'fault'), el('th', null, 'from'), el('th', null, 'to'), el('th', { class: 'num' }, 'for'))));
      const b = el('tbody');
      for (const f of D.faults.slice(0, 200)) {
        b.append(el('tr', { class: 'clickable', title: 'show on the timeline', onclick: () => {
          const m = Math.max((f.end - f.begin) * 0.3, (tMax - tMin) / 50);
          setView(f.begin - m, f.end + m);
          document.getElementById('timeline-section').scrollIntoView({ block: 'start' });
        } },
        el('td', { class: 'fault-name', title: faultName(f) }, el('span', { class: 'sw', style: 'display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;background:' + faultColor(f) }), faultName(f)),
        el('td', { class: 'mono' }, fmtTime(f.begin)),
        el('td', { class: 'mono' }, f.instant ? '—' : f.end_event === null ? 'not ended' : fmtTime(f.end)),
        el('td', { class: 'num', title: f.error || '' }, f.error ? 'failed' : f.instant ? 'instant' : fmtDur(f.end - f.begin))));
        // What it did (writes lost, a corrupted offset) on a line of its own under the fault.
        if (f.effect) b.append(el('tr', { class: 'fault-effect' }, el('td', { colspan: 4, title: f.effect }, clip(f.effect, 90))));
      }
      t.append(b);
      faults.append(t);
      if (D.faults.length > 200) faults.append(el('div', { class: 'muted' }, '… and ' + (D.faults.length - 200) + ' more'));
    } else {
      faults.append(el('div', { class: 'empty' }, 'None: no nemesis events in this history.'));
    }
    s.append(el('div', { class: 'section-head' }, el('h2', null, 'Summary')),
      el('div', { class: 'cards' }, checks, el('div', { class: 'card' }, el('h3', null, 'Operations'), ops), runCard, faults));
    if ((D.warnings || []).length) {
      s.append(el('div', { class: 'warnings' }, el('strong', null, 'Warnings while reading: '),
        el('ul', null, D.warnings.slice(0, 20).map((x) => el('li', null, x)))));
    }
  }
  function renderToolbar() {
    const tb = document.getElementById('timeline-toolbar');
    const dim = el('input', { type: 'checkbox', id: 'dim-others', onchange: (e) => { dimOthers = e.target.checked; scheduleDraw(); } });
    tb.append(...[
      el('span', { class: 'range', id: 'range' }),
      el('button', { title: 'zoom out (-)', onclick: () => zoomAt((view.t0 + view.t1) / 2, 1 / 0.6) }, '−'),
      el('button', { title: 'zoom in (+)', onclick: () => zoomAt((view.t0 + view.t1) / 2, 0.6) }, '+'),
      el('button', { title: 'the whole history (0)', onclick: () => setView(full.t0, full.t1) }, 'Fit'),
      violations.length ? el('button', { onclick: () => showViolation(Math.max(active, 0)) }, 'Zoom to violation') : null,
      violations.length ? el('label', null, dim, 'dim other ops') : null].filter((x) => x));
    const legend = () => [
      el('span', null, el('span', { class: 'sw ok' }), 'ok'),
      el('span', null, el('span', { class: 'sw fail' }), 'fail'),
      el('span', null, el('span', { class: 'sw info' }), 'info (indeterminate)'),
      el('span', null, el('span', { class: 'sw fault' }), 'fault in force'),
    ];
    const tl = document.getElementById('timeline-legend');
    tl.append(...legend());
    if (violations.length) {
      tl.append(el('span', null, el('span', { class: 'sw hl' }), 'violation\'s ops'));
      if (violations.some((v) => v.culprit >= 0)) {
        tl.append(el('span', null, el('span', { class: 'sw culprit' }), 'could not be linearized'));
      }
    }
    tl.append(el('span', null, lanes.length + (lanes.length === 1 ? ' client lane' : ' client lanes') + (lanes.some((l) => l.procs.length > 1) ? ' (a thread goes on as a new process after an op ended info)' : '') +
      ((D.faults || []).some((f) => f.lanes) ? '; a fault on client threads is drawn on their lanes' : '')));
    document.getElementById('perf-legend').append(...legend());
  }
  function renderViolations() {
    const s = document.getElementById('violations');
    const total = (D.checks || []).reduce((a, c) => a + (c.details && typeof c.details.count === 'number' ? c.details.count : (c.details && c.details.failure ? 1 : 0)), 0);
    s.append(el('div', { class: 'section-head' }, el('h2', null, 'Violations'),
      el('span', { class: 'muted' }, violations.length ? violations.length + ' explained' + (total > violations.length ? ' of ' + total + ' found' : '') : '')));
    if (!violations.length) {
      const unknown = (D.checks || []).filter((c) => c.verdict === 'unknown');
      s.append(el('p', { class: 'empty' }, unknown.length ? 'None found, but the verdict is unknown: ' + unknown.map((c) => c.summary).join('; ') :
        'None: every check passed.'));
      return;
    }
    let pictures = 0;
    violations.forEach((v, k) => {
      const card = el('div', { class: 'violation', 'data-k': String(k) });
      card.append(el('div', { class: 'v-head' },
        el('span', { class: 'kind' }, v.kind), el('span', { class: 'title' }, v.title),
        v.key !== undefined && v.key !== null ? el('span', { class: 'mono muted' }, 'key ' + json(v.key)) : null,
        el('span', { class: 'muted' }, v.check.checker),
        el('span', { class: 'spacer' }),
        el('button', { onclick: () => showViolation(k) }, 'Show on timeline')));
      if (v.headline) card.append(el('div', { class: 'headline' }, v.headline));
      if (v.nemesis.length) {
        card.append(el('div', { class: 'faults-note' }, 'Faults meanwhile: ' + v.nemesis.slice(0, 8).map((n) =>
          n.f + (faultTargetText(n.value) ? ' ' + clip(faultTargetText(n.value), 40) : '') + ' (' + fmtTime(n.time) + ')').join(', ') +
          (v.nemesis.length > 8 ? ', …' : '')));
      }
      const picture = v.timeline ? drawPicture(v, k) : null;
      if (picture) {
        card.append(el('div', { class: 'muted', style: 'font-size:12.5px' }, 'The checker\'s windows, drawn: ',
          el('a', { href: '#picture-' + k }, 'the picture below'), '; the steps after it.'));
        card.append(picture);
        pictures++;
      }
      card.append(v.render(v));
      if (v.text) card.append(el('details', { class: 'more' }, el('summary', null, 'the checker\'s text'), el('pre', { class: 'explanation' }, v.text)));
      s.append(card);
    });
    body.dataset.pictures = String(pictures);
  }
  // Any lease resource on demand (details.resource_timelines, given for histories small enough):
  // its holders over the timeline's view; `#resource=K` in the address picks the K-th.
  function renderResourcePictures() {
    const all = [];
    for (const c of D.checks || []) {
      if (c.details && Array.isArray(c.details.resource_timelines)) all.push(...c.details.resource_timelines);
    }
    if (!all.length) return;
    const select = el('select', { id: 'resource-select', 'aria-label': 'lease resource' });
    all.forEach((t, i) => select.append(el('option', { value: String(i) }, clip(json(t.key), 60))));
    const picked = /(?:^#|&)resource=(\d+)/.exec(location.hash);
    if (picked && Number(picked[1]) < all.length) select.value = picked[1];
    const holder = el('div', { id: 'resource-picture', class: 'picture' });
    function draw() {
      const t = all[Number(select.value)];
      holder.replaceChildren(leaseSvg({ kind: 'resource', steps: [] }, t, [view.t0, view.t1]));
      body.dataset.resourcePicture = select.value;
    }
    select.addEventListener('change', draw);
    document.getElementById('violations').append(el('div', { class: 'resource-pictures' },
      el('h3', null, 'Any lease resource'),
      el('div', { class: 'muted' }, 'Its holders as the checker computed them, over the timeline\'s view: ', select, ' ',
        el('button', { class: 'small', onclick: draw }, 'draw for the current view')),
      holder));
    draw();
  }
  function jumpButton(i) { return el('button', { class: 'small', title: 'show this op on the timeline', onclick: () => { setActiveFor(i); jumpTo(i); } }, 'jump to'); }
  function setActiveFor(i) {
    if (active >= 0 && violations[active].highlighted.has(i)) return;
    const k = violations.findIndex((v) => v.highlighted.has(i));
    if (k >= 0) setActive(k);
  }
  function renderChain(v) {
    const ol = el('ol', { class: 'chain' });
    v.steps.forEach((s, j) => {
      const li = el('li', { class: s.culprit ? 'culprit' : '' },
        el('div', null, el('span', { class: 'op' }, opText(s.op)), ' ', el('span', { class: 'muted' }, opSummaryLine(s.op)), ' ', jumpButton(s.op)));
      if (s.reason) {
        const next = j + 1 < v.steps.length ? 'step ' + (j + 2) : v.cycle ? 'step 1 (a cycle)' : '';
        li.append(el('div', { class: 'reason' }, s.edge ? el('span', { class: 'edge' }, s.edge) : null,
          (s.edge && next ? '→ ' + next + ': ' : '') + s.reason));
      }
      ol.append(li);
    });
    return ol;
  }

  // ---- Pictures of a lease's holders and of a checkpoint stream, from the
  // windows and seqs the checker computed (details.timelines), in time to
  // scale over the violation's ops, with the faults in force behind. ----
  function drawPicture(v, k) {
    const t = v.timeline;
    const s = Array.isArray(t.holders) ? leaseSvg(v, t) : Array.isArray(t.acked) ? seqSvg(v, t) : null;
    return s ? el('div', { class: 'picture', id: 'picture-' + k }, s) : null;
  }
  // The stretch of time a picture covers: the violation's ops and `extra`
  // [from, to] pairs, padded.
  function pictureRange(v, extra) {
    let a = Infinity, b = -Infinity;
    for (const s of v.steps) { a = Math.min(a, opStart[s.op]); b = Math.max(b, opComp[s.op] >= 0 ? opEnd[s.op] : opStart[s.op]); }
    for (const [x, y] of extra) { a = Math.min(a, x); b = Math.max(b, y); }
    if (!isFinite(a)) { a = tMin; b = tMax; }
    const m = Math.max((b - a) * 0.12, hasTime ? 1e6 : 1);
    return [Math.max(a - m, full.t0), Math.min(b + m, full.t1)];
  }
  function pictureFrame(a, b, W, H, left, top, label) {
    const x = (t) => left + (Math.min(Math.max(t, a), b) - a) / (b - a) * (W - left - 16);
    const s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': label, class: 'picture-svg' });
    // Faults in force behind, then the time axis.
    for (const f of D.faults || []) {
      if (f.end < a || f.begin > b) continue;
      const x0 = x(f.begin), x1 = f.instant ? x0 + 2 : Math.max(x(f.end), x0 + 2);
      const r = svg('rect', { x: x0, y: top - 4, width: x1 - x0, height: H - top - 18, fill: faultColor(f), 'fill-opacity': f.instant ? 0.8 : 0.3, class: 'picture-fault' });
      r.append(svg('title', {}, 'fault: ' + faultName(f) + (f.instant ? ' at ' + fmtTime(f.begin) : ', ' + fmtTime(f.begin) + ' → ' + fmtTime(f.end))));
      s.append(r);
      s.append(svg('text', { x: x0 + 3, y: H - 22, fill: '#8b3a3a' }, clip(faultName(f), Math.max(4, Math.floor((x1 - x0) / 6.6)))));
    }
    const { out, step } = ticks(a, b, W * 0.9);
    for (const tk of out) {
      s.append(svg('line', { x1: x(tk), x2: x(tk), y1: top - 8, y2: H - 18, stroke: '#eceef2' }));
      s.append(svg('text', { x: x(tk), y: H - 5, fill: '#687083', 'text-anchor': 'middle' }, tickText(tk, step)));
    }
    return { s, x };
  }
  const PIC_OUTCOME = { ok: COLOR[OK], fail: COLOR[FAIL], info: COLOR[INFO] };
  // `range`: [from, to] to draw instead of the violation's stretch of time.
  function leaseSvg(v, t, range) {
    const holders = t.holders, overlaps = t.overlaps || [];
    const mine = overlaps.filter((o) => v.kind === 'L1' && v.steps.some((st) => holders[o.a] && holders[o.a].grant === st.op) &&
      v.steps.some((st) => holders[o.b] && holders[o.b].grant === st.op));
    const [a, b] = range || pictureRange(v, mine.map((o) => [o.from, o.to === null ? o.from : o.to]));
    // Rows: the holders of the violation's ops first, then any other whose window falls in range.
    const inSteps = new Set(v.steps.map((st) => st.op));
    const rows = [];
    holders.forEach((h, i) => {
      const windows = h.windows || [];
      const inRange = windows.some((w) => w.start <= b && (w.end === null || w.end >= a)) || (h.invoke <= b && h.complete >= a);
      if (inSteps.has(h.grant) || mine.some((o) => o.a === i || o.b === i)) rows.push({ i, first: true });
      else if (inRange) rows.push({ i, first: false });
    });
    const shown = rows.filter((r) => r.first).concat(rows.filter((r) => !r.first)).slice(0, 12).map((r) => r.i).sort((p, q) => p - q);
    const rowOf = new Map(shown.map((i, r) => [i, r]));
    const W = 860, left = 150, top = 26, rowH = 36, H = top + Math.max(shown.length, 1) * rowH + 40;
    const { s, x } = pictureFrame(a, b, W, H, left, top, 'lease holders of ' + json(t.key));
    s.append(svg('text', { x: 8, y: 14, fill: '#687083' }, 'resource ' + clip(json(t.key), 40) + ': hold windows as the checker computed them, ' + fmtTime(a) + ' … ' + fmtTime(b)));
    const y = (r) => top + r * rowH;
    shown.forEach((i, r) => {
      const h = holders[i];
      s.append(svg('text', { x: 8, y: y(r) + 20, fill: '#1f2430', class: 'holder-label' }, 'token ' + h.token + ' · ' + (h.process < 0 ? 'nemesis' : 'p' + h.process)));
      // The acquire, invocation to completion, as a thin bar; then its windows.
      s.append(svg('rect', { x: x(h.invoke), y: y(r) + 22, width: Math.max(x(h.complete) - x(h.invoke), 1), height: 4, fill: '#9aa3b5' }));
      for (const w of h.windows || []) {
        const x0 = x(w.start), x1 = w.end === null ? x(b) : x(w.end);
        const g = svg('rect', { x: x0, y: y(r) + 6, width: Math.max(x1 - x0, 1), height: 14, rx: 2, fill: '#bcd0f7', stroke: HL, 'stroke-width': 1,
          class: 'lease-window', 'data-token': String(h.token), 'data-start': String(w.start), 'data-end': w.end === null ? '' : String(w.end) });
        g.append(svg('title', {}, 'token ' + h.token + ' held ' + fmtTime(w.start) + ' → ' + (w.end === null ? 'never ends' : fmtTime(w.end)) +
          (w.released ? ' (cut by its release)' : ' (its ttl·(1−drift))')));
        s.append(g);
        if (w.released && w.end !== null) s.append(svg('line', { x1: x1, x2: x1, y1: y(r) + 3, y2: y(r) + 23, stroke: '#1f2430', 'stroke-width': 2 }));
      }
    });
    // The overlap of an L1, spanning both rows.
    for (const o of mine) {
      if (!rowOf.has(o.a) || !rowOf.has(o.b)) continue;
      const r0 = Math.min(rowOf.get(o.a), rowOf.get(o.b)), r1 = Math.max(rowOf.get(o.a), rowOf.get(o.b));
      const x0 = x(o.from), x1 = o.to === null ? x(b) : x(o.to);
      const g = svg('rect', { x: x0, y: y(r0) + 3, width: Math.max(x1 - x0, 2), height: y(r1) - y(r0) + 20, fill: 'rgba(198,47,59,0.18)',
        stroke: '#c62f3b', 'stroke-width': 2, 'stroke-dasharray': '5 3', class: 'lease-overlap',
        'data-from': String(o.from), 'data-to': o.to === null ? '' : String(o.to) });
      g.append(svg('title', {}, 'both held the lease ' + fmtTime(o.from) + ' → ' + (o.to === null ? 'the end' : fmtTime(o.to))));
      s.append(g);
      s.append(svg('text', { x: x0 + 4, y: y(r1) + 34, fill: '#c62f3b', style: 'font-weight:700' },
        'overlap' + (o.to === null ? '' : ' ' + fmtDur(o.to - o.from))));
    }
    // Fenced writes and reads on the row of their token's holder.
    let marks = 0;
    for (const m of t.fenced || []) {
      const i = m.op;
      if (i < 0 || i >= N || opStart[i] > b || (opComp[i] >= 0 ? opEnd[i] : opStart[i]) < a) continue;
      const holder = shown.find((hi) => holders[hi].token === m.token);
      if (holder === undefined) continue;
      const r = rowOf.get(holder), cx = x(opComp[i] >= 0 ? opEnd[i] : opStart[i]), cy = y(r) + 13;
      const color = PIC_OUTCOME[m.outcome] || '#687083';
      const g = svg('g', { class: 'fenced-' + m.f, 'data-op': String(i), 'data-outcome': m.outcome, style: 'cursor:pointer' });
      g.addEventListener('click', () => jumpTo(i));
      g.append(m.f === 'write' ? svg('rect', { x: cx - 5, y: cy - 5, width: 10, height: 10, fill: color, stroke: '#fff' }) :
        svg('circle', { cx, cy, r: 5, fill: color, stroke: '#fff' }));
      if (m.outcome === 'fail') g.append(svg('text', { x: cx + 6, y: cy - 5, fill: color, style: 'font-weight:700' }, '✗'));
      // The violation's own fenced ops (an L3's stale write, its read) ringed in its colour.
      if (inSteps.has(i)) g.append(svg('circle', { cx, cy, r: 9, fill: 'none', stroke: HL, 'stroke-width': 2, class: 'in-violation' }));
      g.append(svg('title', {}, (m.f === 'write' ? 'fenced write, token ' : 'read, saw token ') + m.token + ': ' +
        (m.outcome === 'ok' ? (m.f === 'write' ? 'accepted' : 'ok') : m.outcome === 'fail' ? 'refused' : 'unknown') + ' · ' + opText(i)));
      s.append(g);
      marks++;
    }
    const legend = el('div', { class: 'hint' }, 'rows: holders (token · process); bar: hold window (acquire completion → invoke + ttl·(1−drift), extended by renews; a black tick: cut by a release); grey: the acquire; ■ fenced write, ● read (green accepted, red ✗ refused, amber unknown); blue ring: the violation\'s own ops; dashed red: both held it' +
      (rows.length > shown.length ? '; ' + (rows.length - shown.length) + ' more holders in range not shown' : ''));
    return el('div', { 'data-marks': String(marks) }, s, legend);
  }
  function seqSvg(v, t) {
    const lost = (t.lost || []).filter((l) => v.kind === 'C1' && v.steps.some((st) => st.op === l.read) && v.steps.some((st) => st.op === l.checkpoint));
    const [a, b] = pictureRange(v, []);
    const acked = t.acked || [], reads = (t.reads || []).filter((r) => r.op >= 0 && r.op < N && opStart[r.op] <= b && opEnd[r.op] >= a);
    let lo = Infinity, hi = -Infinity;
    const see = (q) => { if (q !== null && q !== undefined) { lo = Math.min(lo, q); hi = Math.max(hi, q); } };
    acked.forEach(([tt, q], j) => { if (tt <= b && (j + 1 >= acked.length || acked[j + 1][0] >= a)) see(q); });
    reads.forEach((r) => see(r.seq));
    lost.forEach((l) => { see(l.seq); see(l.read_seq); });
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    if (hi === lo) { hi = lo + 1; }
    const W = 860, left = 70, top = 44, plotH = 160, H = top + plotH + 22 + 40;
    const { s, x } = pictureFrame(a, b, W, H, left, top, 'checkpoint stream ' + json(t.key));
    const y = (q) => q === null ? top + plotH + 14 : top + plotH - (q - lo) / (hi - lo) * plotH;
    s.append(svg('text', { x: 8, y: 14, fill: '#687083' }, 'stream ' + clip(json(t.key), 40) + ': acknowledged seq (step line) and reads (points), ' + fmtTime(a) + ' … ' + fmtTime(b)));
    const labels = new Set([lo, hi]);
    for (const q of labels) s.append(svg('text', { x: left - 8, y: y(q) + 4, fill: '#687083', 'text-anchor': 'end' }, 'seq ' + q));
    if (reads.some((r) => r.seq === null) || lost.some((l) => l.read_seq === null)) {
      s.append(svg('text', { x: left - 8, y: y(null) + 4, fill: '#687083', 'text-anchor': 'end' }, 'none'));
    }
    // The step line: the highest seq acknowledged so far.
    const d = [];
    acked.forEach(([tt, q], j) => {
      if (tt > b) return;
      const next = j + 1 < acked.length ? Math.min(acked[j + 1][0], b) : b;
      if (next < a) return;
      d.push((d.length ? 'L' : 'M') + x(tt).toFixed(1) + ' ' + y(q).toFixed(1), 'L' + x(next).toFixed(1) + ' ' + y(q).toFixed(1));
      if (j + 1 < acked.length && acked[j + 1][0] <= b) d.push('L' + x(next).toFixed(1) + ' ' + y(acked[j + 1][1]).toFixed(1));
    });
    if (d.length) s.append(svg('path', { d: d.join(' '), fill: 'none', stroke: COLOR[OK], 'stroke-width': 2, class: 'ckpt-acked' }));
    for (const r of reads) {
      const i = r.op, cx = x(opEnd[i]), cy = y(r.seq);
      const g = svg('g', { class: 'ckpt-read', 'data-op': String(i), style: 'cursor:pointer' });
      g.addEventListener('click', () => jumpTo(i));
      g.append(svg('line', { x1: x(opStart[i]), x2: cx, y1: cy, y2: cy, stroke: '#5b6475', 'stroke-width': 1 }));
      g.append(svg('circle', { cx, cy, r: 4, fill: '#5b6475' }));
      g.append(svg('title', {}, 'read saw ' + (r.seq === null ? 'nothing' : 'seq ' + r.seq) + ' · ' + opSummaryLine(i)));
      s.append(g);
    }
    // The lost acknowledgement and the read that missed it.
    for (const l of lost) {
      const ci = l.checkpoint, ri = l.read;
      const ax = x(opEnd[ci]), ay = y(l.seq), rx = x(opEnd[ri]), ry = y(l.read_seq);
      s.append(svg('line', { x1: ax, y1: ay, x2: rx, y2: ay, stroke: '#c62f3b', 'stroke-dasharray': '4 3' }));
      s.append(svg('line', { x1: rx, y1: ay, x2: rx, y2: ry, stroke: '#c62f3b', 'stroke-width': 2 }));
      const lostMark = svg('circle', { cx: ax, cy: ay, r: 8, fill: 'none', stroke: '#c62f3b', 'stroke-width': 2.5, class: 'ckpt-lost', 'data-op': String(ci), 'data-seq': String(l.seq) });
      lostMark.append(svg('title', {}, 'seq ' + l.seq + ' acknowledged at ' + fmtTime(opEnd[ci]) + ', then lost'));
      s.append(lostMark);
      const missed = svg('circle', { cx: rx, cy: ry, r: 8, fill: 'none', stroke: '#c62f3b', 'stroke-width': 2.5, class: 'ckpt-missed', 'data-op': String(ri), 'data-seq': l.read_seq === null ? '' : String(l.read_seq) });
      missed.append(svg('title', {}, 'this read began after seq ' + l.seq + ' was acknowledged and saw ' + (l.read_seq === null ? 'nothing' : 'seq ' + l.read_seq)));
      s.append(missed);
      // Labels beside their rings, on the side with room.
      const label = (x0, y0, text) => s.append(svg('text', x0 > W - 240 ? { x: x0 - 12, y: y0, fill: '#c62f3b', style: 'font-weight:700', 'text-anchor': 'end' } :
        { x: x0 + 12, y: y0, fill: '#c62f3b', style: 'font-weight:700' }, text));
      label(ax, ay - 8, 'seq ' + l.seq + ' acknowledged');
      label(rx, ry - 12, 'read saw ' + (l.read_seq === null ? 'nothing' : 'seq ' + l.read_seq) + ': lost');
    }
    return el('div', null, s, el('div', { class: 'hint' }, 'green step line: the highest seq acknowledged so far; grey points: reads (invocation → completion, at the seq they saw); red rings: the lost acknowledgement and the read that missed it'));
  }

  // Porcupine's view, for a linearizability failure: the ops around the one
  // that could not be placed, the prefix's order as points joined up, and
  // the model state the prefix leaves.
  function replayRegister(lin) {
    // Register-like models only, and only if the replay agrees with the
    // checker's own final state: otherwise nothing is shown rather than a guess.
    if (!['register', 'cas-register', 'kv'].includes(lin.model)) return null;
    let state = null;
    const after = new Map();
    for (const i of lin.prefix) {
      const f = fName(i), val = evValue[opInv[i]];
      if (f === 'write') state = val === undefined ? null : val;
      else if (f === 'cas' && Array.isArray(val) && val.length === 2) state = val[1];
      after.set(i, state);
    }
    return json(state) === json(lin.state === undefined ? null : lin.state) ? after : null;
  }
  function renderLinearization(v) {
    const lin = v.lin, wrap = el('div');
    const states = replayRegister(lin);
    wrap.append(el('div', { class: 'headline' },
      'Longest linearizable prefix: ', el('strong', null, String(lin.prefixLength !== undefined ? lin.prefixLength : lin.prefix.length)), ' ops, leaving ',
      el('span', { class: 'muted' }, lin.model ? 'the ' + lin.model + ' model in state ' : 'the model in state '),
      el('span', { class: 'state-box' }, clip(json(lin.state), 200)), '. Then ',
      v.culprit >= 0 ? el('span', { class: 'mono' }, opText(v.culprit)) : 'an op', ' cannot be placed: no order of the ops still pending explains it.'));
    const grid = el('div', { class: 'lin' });
    grid.append(linSvg(v));
    const ol = el('ol', { class: 'chain' });
    const first = lin.prefix.length - lin.tail.length;
    if (first > 0) ol.append(el('div', { class: 'muted', style: 'margin:0 0 4px 30px;font-size:12px' }, '… ' + first + ' earlier ops of the prefix'));
    for (const s of v.steps) {
      const li = el('li', { class: s.culprit ? 'culprit' : '' },
        el('div', null, el('span', { class: 'op' }, opText(s.op)), ' ', jumpButton(s.op)));
      if (s.culprit) li.append(el('div', { class: 'reason' }, 'cannot be placed next: the model is in ' + clip(json(lin.state), 120)));
      else if (states && states.has(s.op)) li.append(el('div', { class: 'state' }, 'state after: ' + clip(json(states.get(s.op)), 120)));
      ol.append(li);
    }
    grid.append(el('div', null, el('h3', null, 'Linearization order (end of the prefix)'), ol));
    wrap.append(grid);
    if (lin.concurrent.length) {
      const list = el('ul', { class: 'chain', style: 'counter-reset:none' });
      for (const i of lin.concurrent.slice(0, 30)) {
        list.append(el('li', { style: 'padding-left:0' }, el('span', { class: 'op' }, opText(i)), ' ', el('span', { class: 'muted' }, opSummaryLine(i)), ' ', jumpButton(i)));
      }
      wrap.append(el('details', { class: 'more' }, el('summary', null, lin.concurrent.length + (lin.concurrent.length === 1 ? ' op' : ' ops') + ' concurrent with it'), list));
    }
    return wrap;
  }
  function linSvg(v) {
    const lin = v.lin;
    const c = v.culprit;
    const pick = new Set(lin.tail);
    if (c >= 0) pick.add(c);
    const near = lin.concurrent.slice().sort((a, b) => Math.abs(opStart[a] - opStart[c]) - Math.abs(opStart[b] - opStart[c]));
    for (const i of near) { if (pick.size >= 28) break; pick.add(i); }
    const ids = Array.from(pick);
    if (!ids.length) return el('div');
    // x is the order of events, as in Porcupine, not time to scale: a long
    // op would otherwise squeeze the interesting ones into a few pixels.
    let a = Infinity, b = -Infinity;
    const times = new Set();
    for (const i of ids) {
      a = Math.min(a, opStart[i]); b = Math.max(b, opComp[i] >= 0 ? opEnd[i] : opStart[i]);
      times.add(opStart[i]);
      if (opComp[i] >= 0) times.add(opEnd[i]);
    }
    const ranks = Array.from(times).sort((p, q) => p - q);
    const openEnd = Infinity;
    const procs = Array.from(new Set(ids.map((i) => opProc[i]))).sort((x, y) => x - y);
    const row = 40, left = 56, right = 40, top = 24, W = 760;
    const H = top + procs.length * row + 26;
    const slots = ranks.length + 1;  // the last slot: open to the end
    const x = (t) => {
      if (t === Infinity) return W - right;
      let lo = 0, hi = ranks.length;  // the first rank >= t
      while (lo < hi) { const m = (lo + hi) >> 1; if (ranks[m] < t) lo = m + 1; else hi = m; }
      let pos = lo;  // between two ranks: in proportion
      if (lo > 0 && (lo === ranks.length || ranks[lo] !== t)) {
        pos = lo === ranks.length ? lo - 1 : lo - 1 + (t - ranks[lo - 1]) / (ranks[lo] - ranks[lo - 1]);
      }
      return left + (pos + 0.5) / slots * (W - left - right);
    };
    const s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'ops around the failure' });
    s.append(svg('text', { x: left, y: 14, fill: '#687083' }, fmtTime(a) + ' … ' + fmtTime(b) + ', in order of events (not to scale)'));
    procs.forEach((p, r) => s.append(svg('text', { x: 8, y: top + r * row + 12 + 16, fill: '#687083' }, 'p' + p)));
    // Points of the prefix's order: each as early as the order allows.
    const point = new Map();
    let last = -Infinity;
    for (const i of lin.prefix) { last = Math.max(last, opStart[i]); point.set(i, last); }
    const rank = new Map(lin.prefix.map((i, k) => [i, k + 1]));
    for (const i of ids) {
      const r = procs.indexOf(opProc[i]);
      const y = top + r * row + 12;  // bars from y to y + 22; points on their top edge
      const x0 = x(opStart[i]), x1 = opComp[i] >= 0 ? x(opEnd[i]) : x(openEnd);
      const isC = i === c, inTail = lin.tail.includes(i);
      const g = svg('g', { 'data-op': String(i), class: isC ? 'culprit' : inTail ? 'prefix' : 'concurrent', style: 'cursor:pointer' });
      g.addEventListener('click', () => jumpTo(i));
      g.append(svg('rect', {
        x: x0, y, width: Math.max(x1 - x0, 3), height: 22, rx: 3,
        fill: COLOR_LIGHT[opType[i]], stroke: isC ? CULPRIT : inTail ? HL : COLOR[opType[i]],
        'stroke-width': isC ? 3 : inTail ? 2 : 1, 'stroke-dasharray': opType[i] === INFO ? '4 3' : '',
      }));
      g.append(svg('title', {}, opText(i) + ' · ' + opSummaryLine(i)));
      const label = svg('text', { x: x0 + 4, y: y + 16, fill: '#1f2430' }, clip(opLabel(i), Math.max(3, Math.floor((x1 - x0 - 6) / 6.6))));
      if (x1 - x0 > 24) g.append(label);
      s.append(g);
    }
    const pts = lin.prefix.filter((i) => pick.has(i));
    if (pts.length) {
      const py = (i) => top + procs.indexOf(opProc[i]) * row + 12;
      const path = pts.map((i, k) => (k ? 'L' : 'M') + x(point.get(i)).toFixed(1) + ' ' + py(i));
      s.append(svg('path', { d: path.join(' '), fill: 'none', stroke: HL, 'stroke-width': 1.5, 'stroke-opacity': 0.7 }));
      for (const i of pts) {
        const cx = x(point.get(i)), cy = py(i);
        s.append(svg('circle', { cx, cy, r: 8, fill: '#ffffff', stroke: HL, 'stroke-width': 1.5 }));
        s.append(svg('text', { x: cx, y: cy + 3.5, 'text-anchor': 'middle', fill: HL, style: 'font-size:9px;font-weight:700' }, String(rank.get(i))));
      }
    }
    if (c >= 0) {
      const cy = top + procs.indexOf(opProc[c]) * row + 12 + 16;
      const cx = (opComp[c] >= 0 ? x(opEnd[c]) : x(openEnd)) + 6;
      s.append(svg('text', { x: cx, y: cy, fill: CULPRIT, style: 'font-size:16px;font-weight:700' }, '✗'));
    }
    s.append(svg('text', { x: left, y: H - 8, fill: '#687083' },
      'numbered: the prefix\'s order (points as early as it allows) · ✗: could not be placed · click an op to jump to it'));
    return el('div', null, el('h3', null, 'Around the failure (' + ids.length + ' ops)'), s);
  }
  function renderQuantiles() {
    const byF = new Map();
    for (let i = 0; i < N; i++) {
      if (opComp[i] < 0) continue;
      const f = fName(i);
      if (!byF.has(f)) byF.set(f, { ok: [], fail: [] });
      if (opType[i] === OK) byF.get(f).ok.push(opEnd[i] - opStart[i]);
      else if (opType[i] === FAIL) byF.get(f).fail.push(opEnd[i] - opStart[i]);
    }
    const q = (xs, p) => xs.length ? xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] : NaN;
    const cell = (d) => el('td', { class: 'num' }, isNaN(d) ? '—' : fmtDur(d));
    const t = el('table', null, el('thead', null, el('tr', null, ['f', 'outcome', 'n', 'p50', 'p90', 'p99', 'p99.9', 'max'].map((h, k) => el('th', { class: k > 1 ? 'num' : '' }, h)))));
    const b = el('tbody');
    for (const f of Array.from(byF.keys()).sort()) {
      for (const kind of ['ok', 'fail']) {
        const xs = Float64Array.from(byF.get(f)[kind]).sort();
        if (!xs.length) continue;
        b.append(el('tr', null, el('td', { class: 'mono' }, f), el('td', { class: 'n-' + kind }, kind), el('td', { class: 'num' }, xs.length),
          cell(q(xs, 0.5)), cell(q(xs, 0.9)), cell(q(xs, 0.99)), cell(q(xs, 0.999)), cell(xs[xs.length - 1])));
      }
    }
    t.append(b);
    document.getElementById('quantiles').append(byF.size ? t : el('p', { class: 'empty' }, 'No completed ops.'),
      el('div', { class: 'hint' }, 'Info ops are left out: their latency is unknown (they may still take effect).'));
  }

  // ---- Go. ----
  let rendered = false;
  renderHeader();
  renderSummary();
  renderToolbar();
  renderViolations();
  renderResourcePictures();
  renderQuantiles();
  attachNav(tl, hitTimeline);
  attachNav(lat, hitLatency);
  attachNav(thr, null);
  tl.addEventListener('keydown', keyNav);
  window.addEventListener('resize', () => scheduleDraw());
  body.dataset.verdict = D.verdict;
  body.dataset.ops = String(N);
  body.dataset.lanes = String(lanes.length);
  body.dataset.laneLabels = lanes.map((l) => l.label).join('|');
  body.dataset.faultLanes = (D.faults || []).map((f, k) => f.lanes ? k + ':' + f.lanes.join(',') : '').filter((x) => x).join(' ');
  body.dataset.nemesisRows = String(NEM_ROWS);
  body.dataset.violations = String(violations.length);
  setActive(active);
  const staticAt = performance.now();
  draw();
  const drawnAt = performance.now();
  rendered = true;
  document.getElementById('footer').append(
    'Generated by ' + D.generated_by + ' at ' + D.generated_at + ' · ' + NE + ' events · drawn in ' +
    Math.round(performance.now() - startedAt) + ' ms · self-contained: nothing is loaded from the network.');
  body.dataset.renderMs = String(Math.round(performance.now() - startedAt));
  // Since the page was asked for (performance.now() counts from navigation): reading the file,
  // parsing the HTML and its data, and drawing; what a person waits for.
  body.dataset.firstDrawMs = String(Math.round(performance.now()));
  body.dataset.timings = 'parse ' + Math.round(parsedAt - startedAt) + ' ms, prepare ' +
    Math.round(staticAt - parsedAt) + ' ms, draw ' + Math.round(drawnAt - staticAt) + ' ms';
  // What runs off the page (issue 15: nothing should at 1280 px): the page itself and the summary's cards.
  const overflowing = [document.documentElement].concat(Array.from(document.querySelectorAll('#summary .card, #summary table')))
    .filter((n) => n.scrollWidth > n.clientWidth + 1).length;
  body.dataset.overflowing = String(overflowing);
  body.dataset.rendered = '1';
})();
