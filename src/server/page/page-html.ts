/**
 * The page's HTML: structure only. Every value shown is filled in by the script with
 * `textContent`; the document has no inline script or style (the Content-Security-Policy of
 * `servePage` forbids them).
 */
export const PAGE_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>rollgate · local server</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%23111827'/%3E%3Crect x='7' y='13' width='18' height='6' rx='3' fill='%2334d399'/%3E%3Ccircle cx='21' cy='16' r='5' fill='%23fff'/%3E%3C/svg%3E">
<link rel="stylesheet" href="/page.css">
<script src="/page.js" defer></script>
</head>
<body>
<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true"></span><strong>rollgate</strong><span class="dim">local server</span></div>
  <p id="storage" class="storage"></p>
  <span id="conn" class="pill">connecting…</span>
</header>

<section id="login" class="login" hidden>
  <form id="login-form" class="card">
    <h2>Admin token</h2>
    <p>This page reads and changes flags through the server's admin API, which needs its admin token. <code>rollgate-server</code> prints it when it starts, with a link that carries it.</p>
    <label>Token <input id="token" type="password" autocomplete="off" spellcheck="false" required></label>
    <button type="submit" class="primary">Open</button>
    <p id="login-error" class="error" role="alert"></p>
  </form>
</section>

<main id="app" hidden>
  <div class="col">
    <section class="card" id="flags-card">
      <div class="card-head">
        <h2>Flags <span id="flag-count" class="count"></span></h2>
        <input id="filter" type="search" placeholder="Filter: key, value, rule, segment…" aria-label="Filter flags">
      </div>
      <table class="flags">
        <thead><tr><th>Flag</th><th>On</th><th>Serves</th><th>Rollout</th><th>Targeting</th></tr></thead>
        <tbody id="flags"></tbody>
      </table>
      <p id="flags-empty" class="empty" hidden>No flag matches the filter.</p>
    </section>

  </div>

  <div class="col side">
    <section class="card" id="faults-card">
      <div class="card-head"><h2>Faults</h2><span id="faults-active" class="chips"></span></div>
      <div class="fault-grid">
        <div class="fault">
          <span>Fail flag requests with
            <select id="fail-status" aria-label="status"><option>503</option><option>500</option><option>429</option></select></span>
          <span class="row"><input id="fail-count" type="number" min="1" value="5" aria-label="requests"><button type="button" id="fail-count-btn">fail next</button><button type="button" id="fail-all">until cleared</button></span>
        </div>
        <div class="fault">
          <span>Delay flag responses</span>
          <span class="row"><input id="delay-ms" type="number" min="0" step="100" value="1500" aria-label="milliseconds"> ms <button type="button" id="delay">delay</button></span>
        </div>
        <div class="fault">
          <span>Streams</span>
          <span class="row"><button type="button" id="drop-streams">drop</button><button type="button" id="stall-streams">stall</button></span>
        </div>
        <button type="button" id="clear-faults" class="clear">Clear faults</button>
      </div>
    </section>

    <section class="card" id="live-card">
      <div class="card-head"><h2>Stream clients <span id="stream-count" class="count"></span></h2></div>
      <ul id="streams" class="streams"></ul>
      <div class="card-head"><h2>Recent requests</h2><span id="unauth" class="hint"></span></div>
      <div class="requests-wrap">
        <table class="requests">
          <thead><tr><th>Time</th><th>Method</th><th>Path</th><th>User</th><th>Status</th></tr></thead>
          <tbody id="requests"></tbody>
        </table>
      </div>
    </section>
    <section class="card" id="try-card">
      <div class="card-head"><h2>Try a user</h2><span class="hint">the server's own evaluation</span></div>
      <form id="try-form" class="try-form">
        <label>id <input id="try-id" value="user-123" spellcheck="false"></label>
        <label>email <input id="try-email" type="email" placeholder="optional" spellcheck="false"></label>
        <label class="wide">attributes (JSON) <textarea id="try-attributes" rows="2" spellcheck="false">{"plan": "pro", "country": "DE"}</textarea></label>
        <button type="submit" class="primary">Evaluate</button>
      </form>
      <p id="try-error" class="error" role="alert"></p>
      <table class="results" id="try-table" hidden>
        <thead><tr><th>Flag</th><th>Value</th><th>Reason</th></tr></thead>
        <tbody id="try-results"></tbody>
      </table>
    </section>
  </div>
</main>
<div id="toast" class="toast" role="status" hidden></div>
</body>
</html>
`;
