/**
 * The page script's start: takes the admin token from the link (`#token=…`, never sent to
 * the server as part of a URL) or the session, asks for it when missing or refused, then wires
 * the forms and starts the live view. Part of the script `pageScript()` assembles.
 */
export const PAGE_SCRIPT_MAIN = String.raw`
function start() {
  state.stopped = false;
  $("login").hidden = true;
  setConnection("connecting…", "");
  loadFlags().then(function () {
    $("app").hidden = false;
    state.flagsVersion = -1;
    state.activity = null;
    state.generation += 1;
    poll(state.generation);
    if (!$("try-results").childNodes.length) tryUser();
  }, function (error) {
    if (error instanceof Unauthorized) return;
    setConnection("server unreachable", "down");
    setTimeout(start, 2000);
  });
}

document.addEventListener("DOMContentLoaded", function () {
  var match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (match) {
    setToken(decodeURIComponent(match[1]));
    // Out of the address bar and the history: the token stays in this tab's session only.
    history.replaceState(null, "", location.pathname + location.search);
  }
  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    setToken($("token").value.trim());
    $("token").value = "";
    start();
  });
  $("filter").addEventListener("input", closeEditors);
  $("flags").addEventListener("focusout", function () { setTimeout(function () { if (state.renderPending) renderFlags(); }, 0); });
  $("try-form").addEventListener("submit", tryUser);
  wireFaults();
  if (token()) start();
  else showLogin("");
});
`;
