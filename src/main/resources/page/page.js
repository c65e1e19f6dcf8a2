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
};

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
    await loadTotals();
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
      ["est. wait", wait(where[i])], ["move", moves],
    ];
    for (const [label, content] of cells) {
      const cell = element("td", { className: label.replace(/[^a-z]/g, "") });
      cell.dataset.label = label;
      Array.isArray(content) ? cell.append(...content) : cell.append(content);
      row.append(cell);
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
setInterval(showFreshness, 1000);
