/**
 * The page script's base: DOM building (text only), the admin token, calls to the admin API and
 * the messages shown to the reader. Part of the one script `pageScript()` assembles; it runs in
 * the browser, so it is plain JavaScript in a string (no `${` or backtick inside).
 */
export const PAGE_SCRIPT_CORE = String.raw`
var TOKEN_KEY = "rollgate-admin-token";
var state = { flags: [], segments: {}, flagsVersion: -1, activity: null, stopped: false, generation: 0, renderPending: false };

function $(id) { return document.getElementById(id); }

/** An element with properties and children; a string child becomes a text node, never markup. */
function el(tag, props) {
  var node = document.createElement(tag);
  if (props) {
    for (var name in props) {
      if (name === "class") node.className = props[name];
      else if (name === "text") node.textContent = props[name];
      else if (name === "data") for (var k in props.data) node.dataset[k] = props.data[k];
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), props[name]);
      else node[name] = props[name];
    }
  }
  for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
  return node;
}

function append(node, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
  else node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
}

function replaceChildren(node) {
  node.textContent = "";
  for (var i = 1; i < arguments.length; i++) append(node, arguments[i]);
}

/** A JSON value as one line of text. */
function show(value) { return JSON.stringify(value); }

function token() { try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; } }
function setToken(value) { try { if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* private mode */ } }

var toastTimer = 0;
function toast(message, bad) {
  var node = $("toast");
  node.textContent = message;
  node.className = bad ? "toast bad" : "toast";
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(function () { node.hidden = true; }, bad ? 6000 : 2500);
}

function Unauthorized() { this.message = "The admin token was refused."; }

/** One admin API call; resolves to the parsed JSON body, rejects with the server's message. */
function api(method, path, body) {
  var init = { method: method, headers: { Authorization: "Bearer " + token() }, cache: "no-store" };
  if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
  return fetch(path, init).then(function (response) {
    if (response.status === 401) { showLogin("That token was refused: check the admin token rollgate-server printed."); throw new Unauthorized(); }
    return response.text().then(function (text) {
      var json = null;
      try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
      if (!response.ok) {
        var detail = json && json.issues && json.issues.length ? json.issues.map(function (i) { return (i.path ? i.path + ": " : "") + (i.message || i); }).join("; ") : "";
        throw new Error((json && json.message ? json.message : "HTTP " + response.status) + (detail && json.message.indexOf(detail) < 0 ? " (" + detail + ")" : ""));
      }
      return json;
    });
  });
}

/** Reports a failed change; an Unauthorized one already shows the token form. */
function failed(error) {
  if (!(error instanceof Unauthorized)) toast(error.message || String(error), true);
}

function showLogin(message) {
  state.stopped = true;
  setToken("");
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message || "";
  setConnection("token needed", "");
  $("token").focus();
}

function setConnection(text, kind) {
  var pill = $("conn");
  pill.textContent = text;
  pill.className = "pill " + kind;
}
`;
