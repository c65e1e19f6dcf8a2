// The queue page: one queue in serving order, kept fresh by the change stream. No framework, no build step.
"use strict";

const QUEUE_TYPES = ["PROCESSOR", "INTERNAL", "RESIM"];
const TOKEN_KEY = "queueview.token"; // the tab's session storage only: gone when the tab closes
const $ = (id) => document.getElementById(id);

const state = {
  token: sessionStorage.getItem(TOKEN_KEY) || "",
  project: "", queueType: "PROCESSOR", filters: {}, limit: 20, offset: 0, total: 0,
  selected: new Set(), stream: null, lastEventId: null, lastChangeAt: null, refreshTimer: null, loadedAt: null,
  view: null, connected: false, refreshedAt: 0,
  explained: new Set(), // entries whose "why here" line is open
  statsAt: 0, statsOf: "", // when the chart was drawn, and for which queue
  watch: null, // {project, queueType, id, notified, removal}: the one job the tab watches
};
const TITLE = document.title;
const SVG = "http://www.w3.org/2000/svg";

// ---- the API ----

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  toString() {
    return `${this.message} (${this.code || "HTTP"} ${this.status})`;
  }
}

async function api(method, path, body) {
  const headers = { "X-Auth-Token": state.token };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (notJson) { /* reported below */ }
  if (!response.ok) {
    throw new ApiError(response.status, json && json.error_code, (json && json.error_msg) || text || response.statusText);
  }
  return json;
}

const base = () => `/v1.0/${encodeURIComponent(state.project)}/data/queuing-jobs`;

function listPath(queueType, limit, offset, filters) {
  const params = new URLSearchParams({ queue_type: queueType, limit, offset });
  for (const [name, value] of Object.entries(filters)) if (value !== "") params.set(name, value);
  return `${base()}?${params}`;
}

// ---- showing the queue ----

function showError(error) {
  const box = $("error");
  if (!error) { box.hidden = true; box.textContent = ""; return; }
  box.textContent = error instanceof ApiError ? error.toString() : `Could not reach the service: ${error.message}`;
  box.hidden = false;
}

async function load() {
  try {
    const page = await api("GET", listPath(state.queueType, state.limit, state.offset, state.filters));
    const entries = page.payload.list;
    state.total = page.payload.page_info.total;
    state.view = page.meta_info.view || null;
    // unfiltered, the row is the position and the list carries the estimates; filtered, each entry is asked
    const filtered = Object.values(state.filters).some((value) => value !== "");
    const where = filtered ? await Promise.all(entries.map((entry) => whereItStands(entry)))
      : entries.map((entry, i) => ({ ...entry, position: state.offset + i + 1 }));
    render(entries, where);
    showPace(where.find((entry) => entry.dispatch_rate_per_minute !== undefined));
    await Promise.all([loadTotals(), loadStats(), checkWatch(), ...[...state.explained].map(explain)]);
    state.loadedAt = Date.now();
    showError(null);
    showFreshness();
  } catch (error) {
    showError(error);
  }
}

/** The entry's position and estimated wait, as the position call answers them: with filters set, an entry's place
 *  in the page is not its position in the queue. */
async function whereItStands(entry) {
  try {
    const answer = await api("GET", `${base()}/${entry.id}?queue_type=${state.queueType}`);
    return answer.payload;
  } catch (gone) { // dispatched meanwhile: the next refresh drops it
    return {};
  }
}

function showPace(estimated) {
  $("pace").textContent = estimated
    ? `dispatching ${estimated.dispatch_rate_per_minute}/min over the last ${Math.round(estimated.estimate_window_seconds / 60)} min`
    : "no estimate yet: too few dispatches lately";
}

async function loadTotals() {
  const totals = await Promise.all(QUEUE_TYPES.map((type) =>
    api("GET", listPath(type, 1, 0, {})).then((page) => page.payload.page_info.total, () => "–")));
  $("totals").replaceChildren(...QUEUE_TYPES.map((type, i) => {
    const box = element("button", { className: "total" + (type === state.queueType ? " current" : ""), type: "button" });
    box.append(`${type} `, element("b", { textContent: totals[i] }));
    box.addEventListener("click", () => { $("queue_type").value = type; show(); });
    return box;
  }));
}

function render(entries, where) {
  const rows = entries.map((entry, i) => {
    const row = element("tr", { dataset: { id: entry.id } });
    const pick = element("input", { type: "checkbox", checked: state.selected.has(entry.id) });
    pick.setAttribute("aria-label", `select entry ${entry.id}`);
    pick.addEventListener("change", () => { pick.checked ? state.selected.add(entry.id) : state.selected.delete(entry.id); selection(); });
    const moves = ["MOVE_TOP", "MOVE_UP", "MOVE_DOWN", "MOVE_TAIL"].map((operation) => {
      const button = element("button", { type: "button", textContent: { MOVE_TOP: "⤒", MOVE_UP: "↑", MOVE_DOWN: "↓", MOVE_TAIL: "⤓" }[operation] });
      button.title = { MOVE_TOP: "move to top", MOVE_UP: "move up", MOVE_DOWN: "move down", MOVE_TAIL: "move to tail" }[operation];
      button.className = operation.toLowerCase().replace("_", "-");
      button.addEventListener("click", () => move(entry.id, operation));
      return button;
    });
    const cells = [
      ["select", pick], ["position", where[i].position ?? ""], ["id", entry.id], ["job", entry.job_id],
      ["priority", entry.priority], ["queued since", queuedSince(entry.rank_stamp)],
      ["what", [entry.job_type, entry.output_type, entry.processor_name, entry.data_id].filter(Boolean).join(" · ")],
      ["cluster", [entry.cluster_type, entry.cluster_id].filter(Boolean).join(" ")],
      ["est. wait", wait(where[i])], ["move", moves], ["watch", watchToggle(entry)],
    ];
    for (const [label, content] of cells) {
      const cell = element("td", { className: label.replace(/[^a-z]/g, "") });
      cell.dataset.label = label;
      Array.isArray(content) ? cell.append(...content) : cell.append(content);
      row.append(cell);
    }
    row.classList.toggle("watched", watching(entry.id));
    const position = row.querySelector("td.position");
    if (where[i].position !== undefined) { // a button: asks the position call what stands ahead
      const why = element("button", { type: "button", className: "why-toggle", textContent: where[i].position });
      why.title = "what is ahead of this entry";
      why.addEventListener("click", () => {
        state.explained.has(entry.id) ? state.explained.delete(entry.id) : state.explained.add(entry.id);
        explain(entry.id);
      });
      position.replaceChildren(why);
    }
    return row;
  });
  $("entries").replaceChildren(...rows);
  const last = Math.min(state.offset + entries.length, state.total);
  $("page-info").textContent = state.total === 0 ? "the queue is empty"
    : `${state.offset + 1}–${last} of ${state.total}`;
  $("prev").disabled = state.offset === 0;
  $("next").disabled = last >= state.total;
  selection();
}

function queuedSince(rankStamp) {
  return new Date(rankStamp).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

function wait(where) {
  const seconds = where.estimated_wait_seconds;
  if (seconds === undefined || seconds === null) return "—";
  if (seconds < 90) return `~${Math.round(seconds)} s`;
  if (seconds < 5400) return `~${Math.round(seconds / 60)} min`;
  return `~${(seconds / 3600).toFixed(1)} h`;
}

function selection() {
  $("selected-count").textContent = `${state.selected.size} selected`;
  $("batch-apply").disabled = state.selected.size === 0 || state.selected.size > 50;
}

function element(tag, properties) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(properties || {})) {
    if (name === "dataset") Object.assign(node.dataset, value); else node[name] = value;
  }
  return node;
}

// ---- why here: what stands ahead of an entry, from the position call ----

function ordinal(n) {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return n + (teen ? "th" : { 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th");
}

/** "40th: 12 with a higher priority, 27 with the same priority ahead, 9 of them for the same cluster". */
function whyHere(where) {
  const ahead = where.ahead;
  if (where.position === 1) return "1st: next to be served";
  let line = `${ordinal(where.position)}: ${ahead.higher_priority} with a higher priority, `
    + `${ahead.same_priority} with the same priority ahead`;
  if (ahead.same_cluster !== undefined) line += `, ${ahead.same_cluster} of them for the same cluster`;
  return line;
}

function showWhy(cell, line) {
  cell.querySelector(".why")?.remove();
  if (line) cell.append(element("span", { className: "why", textContent: line }));
}

async function explain(id) {
  const cell = document.querySelector(`#entries tr[data-id='${id}'] td.position`);
  if (!cell) { state.explained.delete(id); return; }
  if (!state.explained.has(id)) { showWhy(cell, null); return; }
  try {
    const where = (await api("GET", `${base()}/${id}?queue_type=${state.queueType}`)).payload;
    showWhy(cell, whyHere(where));
  } catch (gone) {
    showWhy(cell, gone instanceof ApiError && gone.status === 404 ? "no longer queued" : String(gone));
  }
}

// ---- the chart: depth over 24 h and time in queue, from the stats call, drawn as SVG ----

/** Draws the stats again when the queue shown changed or 30 s after the last time: a refresh follows every change. */
async function loadStats() {
  const of = `${state.project}/${state.queueType}`;
  if (state.statsOf === of && Date.now() - state.statsAt < 30000) return;
  state.statsOf = of;
  state.statsAt = Date.now();
  try {
    const stats = (await api("GET", `${base()}/stats?queue_type=${state.queueType}`)).payload;
    drawDepth(stats.depth);
    drawWaits(stats.last_hour, stats.last_24h);
    $("stats").hidden = false;
  } catch (error) { // the chart is an extra: the queue stays shown
    $("stats").hidden = true;
  }
}

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const PLOT = { left: 44, right: 590, top: 12, bottom: 132 };

function drawDepth(depth) {
  const chart = $("depth-chart");
  if (!depth || depth.points.length === 0) {
    chart.replaceChildren(svg("text", { x: 300, y: 80, "text-anchor": "middle", class: "empty" }, "no history yet"));
    return;
  }
  const points = depth.points;
  const max = Math.max(1, ...points);
  const x = (i) => points.length === 1 ? (PLOT.left + PLOT.right) / 2
    : PLOT.left + (PLOT.right - PLOT.left) * i / (points.length - 1);
  const y = (d) => PLOT.bottom - (PLOT.bottom - PLOT.top) * d / max;
  const from = new Date(depth.from);
  const to = new Date(from.getTime() + (points.length - 1) * depth.step_seconds * 1000);
  const time = (at) => at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  chart.replaceChildren(
    svg("line", { class: "grid grid-max", x1: PLOT.left, x2: PLOT.right, y1: y(max), y2: y(max) }),
    svg("line", { class: "grid grid-zero", x1: PLOT.left, x2: PLOT.right, y1: y(0), y2: y(0) }),
    svg("text", { class: "y-max", x: PLOT.left - 6, y: y(max) + 4, "text-anchor": "end" }, String(max)),
    svg("text", { class: "y-zero", x: PLOT.left - 6, y: y(0) + 4, "text-anchor": "end" }, "0"),
    svg("text", { class: "x-from", x: PLOT.left, y: PLOT.bottom + 18 }, time(from)),
    svg("text", { class: "x-to", x: PLOT.right, y: PLOT.bottom + 18, "text-anchor": "end" }, time(to)),
    svg("polyline", { class: "depth", points: points.map((d, i) => `${x(i).toFixed(2)},${y(d).toFixed(2)}`).join(" ") }),
  );
  $("depth-caption").textContent = `Depth, a minute at a time, ${time(from)}–${time(to)} (now ${points[points.length - 1]})`;
}

function seconds(value) {
  if (value < 120) return `${value.toFixed(value < 10 ? 1 : 0)} s`;
  if (value < 7200) return `${(value / 60).toFixed(1)} min`;
  return `${(value / 3600).toFixed(1)} h`;
}

/** Bars of p50, p90 and p99 for the last hour and the last 24 h, one scale for all six. */
function drawWaits(hour, day) {
  const windows = [["1 h", hour], ["24 h", day]];
  const figures = windows.flatMap(([, w]) => w.time_in_queue_seconds ? Object.values(w.time_in_queue_seconds) : []);
  const max = Math.max(...figures, 0);
  const nodes = [];
  let row = 0;
  for (const [name, window] of windows) {
    const label = `${name}: ${window.dispatched} dispatched`;
    nodes.push(svg("text", { class: "window", x: 0, y: 14 + row * 20 }, label));
    row++;
    for (const p of ["p50", "p90", "p99"]) {
      const value = window.time_in_queue_seconds?.[p];
      const y = row * 20;
      nodes.push(svg("text", { class: "p-name", x: 40, y: y + 14, "text-anchor": "end" }, p));
      if (value !== undefined) {
        const width = max > 0 ? (PLOT.right - 50 - 90) * value / max : 0;
        nodes.push(svg("rect", { class: `bar ${p}`, "data-window": name, "data-p": p, x: 50, y: y + 3, width: width.toFixed(2), height: 14 }));
        nodes.push(svg("text", { class: "p-value", "data-window": name, "data-p": p, x: 56 + width, y: y + 14 }, seconds(value)));
      } else {
        nodes.push(svg("text", { class: "p-value", "data-window": name, "data-p": p, x: 56, y: y + 14 }, "no dispatch timed"));
      }
      row++;
    }
  }
  $("waits-chart").setAttribute("viewBox", `0 0 600 ${row * 20 + 4}`);
  $("waits-chart").replaceChildren(...nodes);
}

// ---- watch this job: its position at each refresh, a notice in the tab when it reaches the top N ----

function watching(id) {
  const watch = state.watch;
  return watch !== null && watch.id === id && watch.project === state.project && watch.queueType === state.queueType;
}

function watchToggle(entry) {
  const button = element("button", { type: "button", className: "watch-toggle", textContent: watching(entry.id) ? "★" : "☆" });
  button.title = watching(entry.id) ? "stop watching this job" : "watch this job";
  button.setAttribute("aria-pressed", String(watching(entry.id)));
  button.addEventListener("click", () => {
    state.watch = watching(entry.id) ? null
      : { project: state.project, queueType: state.queueType, id: entry.id, job: entry.job_id, notified: false, removal: null };
    document.title = TITLE;
    notice(null);
    document.querySelectorAll("#entries tr").forEach((row) => {
      const on = watching(Number(row.dataset.id));
      row.classList.toggle("watched", on);
      const toggle = row.querySelector(".watch-toggle");
      toggle.textContent = on ? "★" : "☆";
      toggle.title = on ? "stop watching this job" : "watch this job";
      toggle.setAttribute("aria-pressed", String(on));
    });
    checkWatch();
  });
  return button;
}

const topN = () => Math.max(1, Number($("watch-top").value) || 10);

/** Asks where the watched job stands; tells the tab once when it comes into the top N, and when it left the queue. */
async function checkWatch() {
  const watch = state.watch;
  if (!watch) { $("watch-status").textContent = "Watch a job with its ☆ to be told here when it reaches the top."; return; }
  const name = `job ${watch.job} (entry ${watch.id}, ${watch.queueType})`;
  let where;
  try {
    const path = `/v1.0/${encodeURIComponent(watch.project)}/data/queuing-jobs/${watch.id}?queue_type=${watch.queueType}`;
    where = (await api("GET", path)).payload;
  } catch (error) {
    if (state.watch !== watch) return;
    if (error instanceof ApiError && error.status === 404) {
      const why = watch.removal ? ` (${watch.removal.toLowerCase()})` : "";
      tell(`${name} left the queue${why}`, "left the queue");
      $("watch-status").textContent = `Watched: ${name}, no longer queued${why}.`;
      state.watch = null;
    } else {
      $("watch-status").textContent = `Watching ${name}: ${error}`;
    }
    return;
  }
  if (state.watch !== watch) return;
  $("watch-status").textContent = `Watching ${name}: ${whyHere(where)}.`;
  const n = topN();
  if (where.position <= n && !watch.notified) {
    watch.notified = true;
    tell(`${name} is ${ordinal(where.position)}: in the top ${n}`, `#${where.position}`);
  } else if (where.position > n) {
    watch.notified = false; // moved back: tell again when it comes in again
  }
}

/** The tab's title and the in-page notice; a desktop notification only where the user has allowed them. */
function tell(message, short) {
  document.title = `(${short}) ${TITLE}`;
  notice(message);
  if ("Notification" in window && Notification.permission === "granted") new Notification("queueview", { body: message });
}

function notice(message) {
  const box = $("watch-notice");
  box.hidden = !message;
  box.textContent = message || "";
}

// ---- changing the queue ----

async function move(id, operation) {
  try {
    await api("PUT", `${base()}/${id}`, { queue_type: state.queueType, operation_type: operation });
    await load();
  } catch (error) {
    showError(error);
  }
}

async function batchPriority() {
  try {
    const priority = Number($("batch-priority").value);
    await api("PUT", `${base()}/batch-update`, { queue_type: state.queueType, ids: [...state.selected], priority });
    state.selected.clear();
    await load();
  } catch (error) {
    showError(error);
  }
}

// ---- the change stream: fetch, not EventSource, which cannot send the token header ----

function follow() {
  if (state.stream) state.stream.abort();
  const stream = new AbortController();
  state.stream = stream;
  const headers = { "X-Auth-Token": state.token, Accept: "text/event-stream" };
  if (state.lastEventId) headers["Last-Event-ID"] = state.lastEventId;
  fetch(`${base()}/changes?queue_type=${state.queueType}`, { headers, signal: stream.signal })
    .then(async (response) => {
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        throw new ApiError(response.status, body.error_code, body.error_msg || response.statusText);
      }
      live(true);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          received(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    })
    .catch((error) => {
      if (error instanceof ApiError) {
        showError(error);
        stream.refused = error.status < 500; // a bad token or queue: asking again would not help
      }
    })
    .finally(() => {
      if (state.stream !== stream || stream.signal.aborted || stream.refused) return;
      live(false);
      setTimeout(() => { if (state.stream === stream) follow(); }, 2000); // resumes at the last event seen
    });
}

function received(block) {
  let id = null, name = "message", data = "";
  for (const line of block.split("\n")) {
    if (line.startsWith("id: ")) id = line.slice(4);
    else if (line.startsWith("event: ")) name = line.slice(7);
    else if (line.startsWith("data: ")) data += line.slice(6);
  }
  if (id) state.lastEventId = id;
  if (name === "change") {
    try {
      const change = JSON.parse(data);
      if (change.change === "REMOVE" && watching(change.id)) state.watch.removal = change.reason || null;
    } catch (notJson) { /* the refresh below tells all the same */ }
    state.lastChangeAt = Date.now();
    refreshSoon();
  } else if (name === "reload") { // missed more than the server keeps: start over
    state.lastEventId = null;
    load();
  }
}

/** A change refreshes the page at once; more changes within 150 ms of a refresh make one more refresh after it. */
function refreshSoon() {
  if (state.refreshTimer) return;
  const since = Date.now() - state.refreshedAt;
  state.refreshTimer = setTimeout(async () => {
    state.refreshedAt = Date.now();
    await load();
    state.refreshTimer = null;
  }, Math.max(0, 150 - since));
}

function live(connected) {
  $("live").classList.toggle("off", !connected);
  state.connected = connected;
  showFreshness();
}

function showFreshness() {
  const badge = $("live");
  if (!state.loadedAt) return;
  const at = new Date(state.loadedAt).toLocaleTimeString();
  const lag = state.view && state.view.lag > 0 ? ` · ${state.view.lag} behind` : "";
  const since = state.lastChangeAt && state.loadedAt >= state.lastChangeAt
    ? ` (${state.loadedAt - state.lastChangeAt} ms after the last change)` : "";
  badge.textContent = (state.connected ? "live · " : "reconnecting · ") + `updated ${at}${since}${lag}`;
  badge.classList.toggle("stale", !state.connected);
}

// ---- the forms ----

function show() {
  state.token = $("token").value.trim();
  state.project = $("project").value.trim();
  state.queueType = $("queue_type").value;
  sessionStorage.setItem(TOKEN_KEY, state.token);
  state.offset = 0;
  state.selected.clear();
  state.explained.clear();
  state.lastEventId = null;
  readFilters();
  load().then(follow);
}

function readFilters() {
  const form = new FormData($("filters"));
  state.limit = Number(form.get("limit")) || 20;
  form.delete("limit");
  state.filters = Object.fromEntries(form.entries());
}

$("token").value = state.token;
$("connect").addEventListener("submit", (event) => { event.preventDefault(); show(); });
$("filters").addEventListener("submit", (event) => { event.preventDefault(); readFilters(); state.offset = 0; load(); });
$("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - state.limit); load(); });
$("next").addEventListener("click", () => { state.offset += state.limit; load(); });
$("batch-apply").addEventListener("click", batchPriority);
$("select-all").addEventListener("change", (event) => {
  document.querySelectorAll("#entries tr").forEach((row) => {
    const id = Number(row.dataset.id);
    event.target.checked ? state.selected.add(id) : state.selected.delete(id);
    row.querySelector("td.select input").checked = event.target.checked; // no need to ask the service again
  });
  selection();
});
$("watch-top").addEventListener("change", () => { if (state.watch) { state.watch.notified = false; checkWatch(); } });
setInterval(showFreshness, 1000);
setInterval(() => { if (state.watch) checkWatch(); }, 10000); // a watched job of another queue than the one shown
