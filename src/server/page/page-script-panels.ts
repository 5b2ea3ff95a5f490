/**
 * The page script's side panels: "Try a user" (the server's evaluation for a user), the fault
 * buttons, and the live view (stream clients, recent requests, faults in force, where changes
 * are kept), fed by a long poll of `GET /admin/activity`. Part of the script `pageScript()`
 * assembles.
 */
export const PAGE_SCRIPT_PANELS = String.raw`
function reasonText(reason) {
  if (!reason) return "";
  var text = reason.kind;
  if (reason.ruleId) text += " " + reason.ruleId;
  if (reason.kind === "FALLTHROUGH" || reason.kind === "RULE_MATCH") text += reason.inRollout ? " · in rollout" : " · not in rollout";
  if (reason.errorKind) text += " " + reason.errorKind;
  return text;
}

function tryUser(event) {
  if (event) event.preventDefault();
  var error = $("try-error");
  error.textContent = "";
  var user = { id: $("try-id").value };
  if ($("try-email").value) user.email = $("try-email").value;
  var attributes = $("try-attributes").value.trim();
  if (attributes) {
    try { user.attributes = JSON.parse(attributes); } catch (e) { error.textContent = "Attributes are not valid JSON: " + e.message; return; }
    if (user.attributes === null || typeof user.attributes !== "object" || Array.isArray(user.attributes)) { error.textContent = "Attributes must be a JSON object, like {\"plan\": \"pro\"}."; return; }
  }
  api("POST", "/admin/evaluate", user).then(function (result) {
    var keys = Object.keys(result.flags);
    replaceChildren($("try-results"), keys.map(function (key) {
      var flag = result.flags[key];
      return el("tr", { data: { key: key } }, el("td", { class: "key", text: key }),
        el("td", { class: "value", text: show(flag.value) }), el("td", { class: "reason", text: reasonText(flag.reason) }));
    }));
    // Tells a reader (and the browser tests) whose results these are.
    $("try-results").dataset.user = user.id;
    $("try-table").hidden = keys.length === 0;
    if (!keys.length) error.textContent = "There are no flags.";
  }, function (e) { if (!(e instanceof Unauthorized)) error.textContent = e.message; });
}

function fault(body) {
  return api("POST", "/admin/faults", body).then(function () { toast("Fault on: " + faultText(body)); }, failed);
}

function faultText(f) {
  if (f.fault === "failFlags" || f.fault === "refuseStreams") return (f.fault === "failFlags" ? "flags answer " : "streams refused with ") + f.status + (f.remaining === "all" || f.count === "all" ? " until cleared" : " × " + (f.remaining || f.count || 1));
  if (f.fault === "delay") return "flags delayed " + f.ms + " ms" + (f.remaining === "all" || f.count === "all" ? "" : " × " + (f.remaining || f.count || 1));
  if (f.fault === "malformed") return "flags malformed (" + f.kind + ")";
  if (f.fault === "stallStreams") return "streams stalled";
  if (f.fault === "dropStreams") return "streams dropped";
  return f.fault;
}

function wireFaults() {
  function status() { return Number($("fail-status").value); }
  $("fail-count-btn").addEventListener("click", function () {
    var count = Number($("fail-count").value);
    if (!Number.isInteger(count) || count < 1) { toast("The count is a whole number of at least 1.", true); return; }
    fault({ fault: "failFlags", status: status(), count: count });
  });
  $("fail-all").addEventListener("click", function () { fault({ fault: "failFlags", status: status(), count: "all" }); });
  $("delay").addEventListener("click", function () {
    var ms = Number($("delay-ms").value);
    if (!(ms >= 0)) { toast("The delay is a number of milliseconds.", true); return; }
    fault({ fault: "delay", ms: ms, count: "all" });
  });
  $("drop-streams").addEventListener("click", function () { fault({ fault: "dropStreams" }); });
  $("stall-streams").addEventListener("click", function () { fault({ fault: "stallStreams", on: true }); });
  $("clear-faults").addEventListener("click", function () {
    api("DELETE", "/admin/faults").then(function () { toast("Faults cleared."); }, failed);
  });
}

function pad(n) { return n < 10 ? "0" + n : String(n); }
function clock(ageMs) { var d = new Date(Date.now() - ageMs); return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()); }
function duration(ms) { var s = Math.round(ms / 1000); return s < 60 ? s + " s" : s < 3600 ? Math.round(s / 60) + " min" : Math.round(s / 3600) + " h"; }
function shortPath(path) { return path.indexOf("/api/v1/sdk/") === 0 ? path.slice(11) : path; }

function renderStorage(storage) {
  var node = $("storage");
  if (storage.lastError) { node.className = "storage failed"; node.textContent = storage.lastError; }
  else if (storage.writes) { node.className = "storage file"; node.textContent = "Changes are saved to " + storage.file; }
  else { node.className = "storage memory"; node.textContent = "Changes live in memory only" + (storage.file ? " (start with --write to save them to " + storage.file + ")" : ""); }
}

var lastSeq = 0;
function renderActivity(a) {
  renderStorage(a.storage);
  $("stream-count").textContent = String(a.streams.count);
  replaceChildren($("streams"), a.streams.clients.length ? a.streams.clients.map(function (c) {
    return el("li", { class: c.stalled ? "stalled" : "" }, el("span", { class: "mono", text: c.userId || "(anonymous)" }),
      el("span", { class: "muted", text: (c.sdk ? c.sdk + " · " : "") + duration(c.ageMs) + (c.stalled ? " · stalled" : "") }));
  }) : el("li", { class: "none muted", text: "No client is streaming. Start one with enableStreaming: true." }));
  replaceChildren($("requests"), a.requests.slice().reverse().map(function (r) {
    return el("tr", { class: r.seq > lastSeq && lastSeq > 0 ? "fresh" : "" }, el("td", { class: "muted", text: clock(r.ageMs) }), el("td", { text: r.method }),
      el("td", { class: "path", text: shortPath(r.path) }), el("td", { class: "mono", text: r.userId }),
      el("td", { class: "status s" + String(r.status || "").charAt(0), text: r.status === null ? "…" : String(r.status) }));
  }));
  if (a.requests.length) lastSeq = a.requests[a.requests.length - 1].seq;
  $("unauth").textContent = a.unauthenticated ? a.unauthenticated + " without the API key" : "";
  replaceChildren($("faults-active"), a.faults.length ? a.faults.map(function (f) { return el("span", { class: "chip fault", text: faultText(f) }); })
    : el("span", { class: "chip ok", text: "no fault" }));
}

/** The long poll: each answer comes at once after a change, or after 20 s without one. */
function poll(generation) {
  // A loop from before a new start() (after the token was asked again) ends here.
  if (state.stopped || generation !== state.generation) return;
  var again = function () { poll(generation); };
  var since = state.activity ? "?since=" + state.activity.version : "";
  api("GET", "/admin/activity" + since).then(function (a) {
    setConnection("live", "live");
    state.activity = a;
    renderActivity(a);
    var next = a.flagsVersion !== state.flagsVersion ? loadFlags() : Promise.resolve();
    state.flagsVersion = a.flagsVersion;
    // At most a few answers a second, however busy the server is.
    next.then(function () { setTimeout(again, 250); }, function () { setTimeout(again, 1000); });
  }, function (error) {
    if (error instanceof Unauthorized) return;
    setConnection("server unreachable", "down");
    state.activity = null;
    setTimeout(again, 2000);
  });
}
`;
