/**
 * The page script's flags table: one row per flag (key, type, enabled switch, variations,
 * rollout, targeting), a filter, and the edits, each sent as the whole definition to
 * `PUT /admin/flags/:key`. Part of the script `pageScript()` assembles.
 */
export const PAGE_SCRIPT_FLAGS = String.raw`
/** The type the server declares for a flag (PROTOCOL.md §3.8; src/evaluation/flag-type.ts). */
function flagType(flag) {
  var v = flag.variations, d = flag.defaultVariation;
  if (!d || !v || !Object.prototype.hasOwnProperty.call(v, d)) return "boolean";
  var value = v[d];
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  return value !== null && typeof value === "object" && !Array.isArray(value) ? "json" : "boolean";
}

function conditionText(c) {
  return c.attribute + " " + c.operator + " " + (typeof c.value === "string" ? c.value : show(c.value));
}

function segmentsOf(flag) {
  var found = [];
  (flag.rules || []).forEach(function (rule) {
    rule.conditions.forEach(function (c) {
      if (c.attribute !== "segment") return;
      [].concat(c.value).forEach(function (id) { if (typeof id === "string" && found.indexOf(id) < 0) found.push(id); });
    });
  });
  return found;
}

function ruleText(rule) {
  var when = rule.conditions.length ? rule.conditions.map(conditionText).join(" and ") : "everyone";
  return (rule.enabled ? "" : "(off) ") + rule.id + ": " + when + " → " + (rule.rolloutPercentage || 0) + "%" + (rule.variation ? " " + rule.variation : "");
}

/** What the filter searches in a flag. */
function searchText(flag) {
  return [flag.key, flag.description || "", flagType(flag), show(flag.variations || {}), (flag.targetUsers || []).join(" "),
    (flag.rules || []).map(ruleText).join(" "), segmentsOf(flag).join(" ")].join(" ").toLowerCase();
}

/** Sends a changed copy of a flag's definition. */
function putFlag(flag, change) {
  var next = JSON.parse(JSON.stringify(flag));
  change(next);
  return api("PUT", "/admin/flags/" + encodeURIComponent(flag.key), next).then(function (reply) {
    toast(reply.changed.length ? "Saved " + flag.key + ": clients are told now." : "No change to " + flag.key + ".");
    return loadFlags(true);
  }, function (error) { failed(error); return loadFlags(true); }).catch(failed);
}

/** Fetches every flag and redraws the table (at once when forced, else as renderFlags decides). */
function loadFlags(force) {
  return api("GET", "/admin/flags").then(function (file) {
    state.flags = file.flags;
    state.segments = file.segments || {};
    renderFlags(force);
  });
}

function valueEditor(flag, name, cell) {
  var value = flag.variations[name];
  var kind = typeof value === "string" ? "string" : typeof value === "number" ? "number" : "json";
  var input = kind === "json" ? el("textarea", { rows: 3, value: JSON.stringify(value, null, 2), spellcheck: false })
    : el("input", { type: kind === "number" ? "number" : "text", step: "any", value: String(value), spellcheck: false });
  input.classList.add("value-input");
  var error = el("p", { class: "error" });
  function save(event) {
    event.preventDefault();
    var next;
    if (kind === "string") next = input.value;
    else if (kind === "number") {
      next = Number(input.value);
      if (input.value.trim() === "" || !isFinite(next)) { error.textContent = "Enter a number."; return; }
    } else {
      try { next = JSON.parse(input.value); } catch (e) { error.textContent = "Not valid JSON: " + e.message; return; }
    }
    // Sent: the reload after the save may redraw this editor away.
    form.classList.add("closing");
    putFlag(flag, function (f) { f.variations[name] = next; });
  }
  var form = el("form", { class: "editor", onsubmit: save }, input,
    el("span", { class: "row" }, el("button", { type: "submit", class: "primary small", text: "Save" }),
      el("button", { type: "button", class: "small", text: "Cancel", onclick: closeEditors })), error);
  replaceChildren(cell, el("span", { class: "name", text: name }), form);
  input.focus();
}

function servesCell(flag) {
  var td = el("td", { class: "serves" });
  if (!flag.variations || !Object.keys(flag.variations).length) {
    append(td, el("span", { class: "muted", text: "true / false" }));
    return td;
  }
  Object.keys(flag.variations).forEach(function (name) {
    var line = el("div", { class: "variation" + (name === flag.defaultVariation ? " default" : ""), data: { variation: name } });
    append(line, [el("span", { class: "name", text: name, title: name + (name === flag.defaultVariation ? " (default variation)" : "") }),
      el("code", { text: show(flag.variations[name]), title: show(flag.variations[name]) }),
      el("button", { type: "button", class: "small edit", text: "edit", title: "Edit the value of " + name, onclick: function () { valueEditor(flag, name, line); } })]);
    append(td, line);
  });
  return td;
}

function rolloutCell(flag) {
  var percent = flag.rolloutPercentage || 0;
  var input = el("input", { type: "number", min: 0, max: 100, step: 1, value: String(percent), class: "rollout-input", title: "Everyone else (no target or rule): the share of users who get the flag" });
  input.setAttribute("aria-label", "rollout % of " + flag.key);
  input.addEventListener("change", function () {
    var next = Number(input.value);
    if (input.value.trim() === "" || !Number.isInteger(next) || next < 0 || next > 100) {
      toast("A rollout is a whole number from 0 to 100.", true);
      input.value = String(percent);
      return;
    }
    putFlag(flag, function (f) { f.rolloutPercentage = next; });
  });
  var bar = el("span");
  bar.style.width = percent + "%";
  return el("td", null, el("div", { class: "rollout" }, input, "%"), el("div", { class: "bar" }, bar));
}

function targetingCell(flag) {
  var td = el("td", { class: "targeting" });
  var users = flag.targetUsers || [];
  if (users.length) append(td, el("div", { title: users.join(", ") }, users.length + " targeted: ", users.slice(0, 3).join(", ") + (users.length > 3 ? ", …" : "")));
  (flag.rules || []).forEach(function (rule) { append(td, el("div", { class: rule.enabled ? "" : "muted", text: ruleText(rule) })); });
  var segments = segmentsOf(flag);
  if (segments.length) append(td, el("div", null, segments.map(function (id) {
    var known = Object.prototype.hasOwnProperty.call(state.segments, id);
    return el("span", { class: "chip segment", text: id, title: known ? state.segments[id].conditions.map(conditionText).join(" and ") || "everyone" : "no such segment" });
  })));
  if (!td.childNodes.length) append(td, el("span", { class: "muted", text: "—" }));
  return td;
}

function flagRow(flag) {
  var type = flagType(flag);
  var toggle = el("input", { type: "checkbox", class: "switch", checked: flag.enabled, title: flag.enabled ? "On: click to turn off" : "Off: click to turn on" });
  toggle.setAttribute("role", "switch");
  toggle.setAttribute("aria-label", "enabled " + flag.key);
  toggle.addEventListener("change", function () { putFlag(flag, function (f) { f.enabled = toggle.checked; }); });
  return el("tr", { data: { key: flag.key } },
    el("td", null, el("span", { class: "key", text: flag.key }), el("span", { class: "type " + type, text: type }),
      flag.description ? el("div", { class: "desc", text: flag.description }) : null),
    el("td", null, toggle), servesCell(flag), rolloutCell(flag), targetingCell(flag));
}

/**
 * Whether a value editor is open in the table and not yet saved. A redraw would throw away what
 * is typed in it and its error: the reload after another save, or the live view's after a
 * change elsewhere, can land while the reader edits (focus is then on its Save button as often
 * as in its field).
 */
function editorOpen() {
  return $("flags").querySelector("form.editor:not(.closing)") !== null;
}

/** Closes every value editor (Cancel, or a new filter), dropping what was typed. */
function closeEditors() {
  $("flags").querySelectorAll("form.editor").forEach(function (form) { form.classList.add("closing"); });
  renderFlags(true);
}

/**
 * Redraws the table, unless the reader is editing in it (then once they leave it). Forced (the
 * reload after a save), it redraws under the focus too, but never over an open value editor.
 */
function renderFlags(force) {
  var body = $("flags");
  var active = document.activeElement;
  if (editorOpen() || (!force && body.contains(active) && active.tagName !== "BUTTON" && active.type !== "checkbox")) {
    state.renderPending = true;
    return;
  }
  state.renderPending = false;
  var filter = $("filter").value.trim().toLowerCase();
  var shown = state.flags.filter(function (flag) { return !filter || searchText(flag).indexOf(filter) >= 0; });
  replaceChildren(body, shown.map(flagRow));
  $("flag-count").textContent = filter ? shown.length + " of " + state.flags.length : String(state.flags.length);
  $("flags-empty").hidden = shown.length > 0 || state.flags.length === 0;
}
`;
