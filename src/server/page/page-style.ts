/** The page's stylesheet: system fonts only, nothing fetched from elsewhere. */
export const PAGE_STYLE = String.raw`
:root { --ink: #111827; --dim: #6b7280; --line: #e5e7eb; --bg: #f3f4f8; --card: #fff; --accent: #4f46e5;
  --on: #10b981; --off: #d1d5db; --bad: #dc2626; --warn: #d97706; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
code, .mono { font-family: var(--mono); font-size: 12.5px; }
h2 { font-size: 15px; margin: 0; }
button, input, select, textarea { font: inherit; color: inherit; }
button { border: 1px solid var(--line); background: #fff; border-radius: 7px; padding: 4px 10px; cursor: pointer; }
button:hover { border-color: #a5b4fc; background: #eef2ff; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.primary:hover { background: #4338ca; }
button.small { padding: 1px 7px; font-size: 12px; }
input, select, textarea { border: 1px solid var(--line); border-radius: 7px; padding: 4px 8px; background: #fff; }
input:focus, textarea:focus, select:focus { outline: 2px solid #c7d2fe; border-color: var(--accent); }
textarea { font-family: var(--mono); font-size: 12.5px; resize: vertical; width: 100%; }
.top { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: var(--ink); color: #f9fafb; }
.brand { display: flex; align-items: center; gap: 8px; font-size: 16px; }
.brand .dim { color: #9ca3af; font-size: 13px; }
.logo { width: 26px; height: 16px; border-radius: 8px; background: var(--on); position: relative; }
.logo::after { content: ""; position: absolute; right: 2px; top: 2px; width: 12px; height: 12px; border-radius: 50%; background: #fff; }
.storage { margin: 0 0 0 auto; color: #d1d5db; font-size: 13px; }
.storage.memory::before { content: "● "; color: #fbbf24; }
.storage.file::before { content: "● "; color: var(--on); }
.storage.failed::before { content: "● "; color: #f87171; }
.pill { border-radius: 999px; padding: 2px 10px; font-size: 12px; background: #374151; }
.pill.live { background: #065f46; }
.pill.live::before { content: "● "; color: #34d399; }
.pill.down { background: #7f1d1d; }
main { display: grid; grid-template-columns: minmax(0, 1.6fr) minmax(360px, 1fr); gap: 16px; padding: 16px 20px 40px; max-width: 1500px; margin: 0 auto; }
@media (max-width: 1000px) { main { grid-template-columns: 1fr; } }
.col { display: flex; flex-direction: column; gap: 16px; min-width: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 14px 16px; box-shadow: 0 1px 2px rgb(0 0 0 / 4%); }
.card-head { display: flex; align-items: center; gap: 12px; margin-bottom: 10px; }
.card-head input[type="search"] { margin-left: auto; width: 260px; }
.card-head + .card-head, ul + .card-head { margin-top: 14px; }
.count { color: var(--dim); font-weight: normal; }
.hint { color: var(--dim); font-size: 12px; margin-left: auto; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: .04em; color: var(--dim); font-weight: 600; padding: 6px 8px; border-bottom: 1px solid var(--line); }
td { padding: 8px; border-bottom: 1px solid #f0f1f4; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
.flags td:first-child { min-width: 150px; max-width: 240px; }
.flags .serves { min-width: 150px; }
.flags td.targeting { min-width: 180px; }
#flags-card { overflow-x: auto; }
.key { font-family: var(--mono); font-weight: 600; overflow-wrap: anywhere; }
.desc { color: var(--dim); font-size: 12.5px; margin-top: 2px; }
.type { display: table; font-size: 11px; padding: 0 6px; border-radius: 5px; margin-top: 2px; background: #eef2ff; color: #4338ca; }
.type.string { background: #ecfeff; color: #0e7490; } .type.number { background: #fef3c7; color: #92400e; } .type.json { background: #fce7f3; color: #9d174d; }
.switch { appearance: none; width: 36px; height: 20px; border-radius: 10px; background: var(--off); position: relative; cursor: pointer; border: 0; padding: 0; transition: background .15s; vertical-align: middle; }
.switch::after { content: ""; position: absolute; left: 2px; top: 2px; width: 16px; height: 16px; border-radius: 50%; background: #fff; transition: left .15s; box-shadow: 0 1px 2px rgb(0 0 0 / 25%); }
.switch:checked { background: var(--on); }
.switch:checked::after { left: 18px; }
.variation { display: flex; align-items: baseline; gap: 6px; margin: 1px 0; }
.variation .name { color: var(--dim); font-size: 12px; flex: none; max-width: 80px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.variation code { background: #f3f4f6; padding: 0 5px; border-radius: 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 150px; }
.variation.default .name::after { content: " ★"; color: var(--warn); }
.variation .edit { opacity: .35; }
tr:hover .variation .edit, .variation .edit:focus { opacity: 1; }
.editor { display: flex; flex-direction: column; gap: 4px; margin: 4px 0; }
.editor .row { display: flex; gap: 4px; }
.rollout { display: flex; align-items: center; gap: 4px; }
.rollout input { width: 62px; }
.bar { height: 4px; border-radius: 2px; background: #eef0f3; margin-top: 5px; width: 90px; overflow: hidden; }
.bar span { display: block; height: 100%; background: var(--accent); }
.targeting { font-size: 12.5px; color: #374151; }
.targeting div + div { margin-top: 3px; }
.chip { display: inline-block; font-size: 11.5px; border-radius: 999px; padding: 0 8px; background: #f3f4f6; border: 1px solid var(--line); margin: 1px 2px 1px 0; }
.chip.segment { background: #f5f3ff; border-color: #ddd6fe; color: #5b21b6; }
.chip.fault { background: #fef2f2; border-color: #fecaca; color: var(--bad); font-weight: 600; }
.chip.ok { background: #ecfdf5; border-color: #a7f3d0; color: #047857; }
.muted { color: var(--dim); }
.empty { color: var(--dim); text-align: center; margin: 16px 0 4px; }
.error { color: var(--bad); margin: 6px 0 0; min-height: 0; white-space: pre-wrap; }
.error:empty { display: none; }
.try-form { display: grid; grid-template-columns: 1fr 1fr auto; gap: 8px; align-items: end; }
.requests-wrap { max-height: 330px; overflow: auto; }
.try-form label { display: flex; flex-direction: column; font-size: 12px; color: var(--dim); gap: 2px; min-width: 0; }
.try-form input, .try-form textarea { color: var(--ink); width: 100%; }
.try-form .wide { grid-column: 1 / 3; }
.results { margin-top: 10px; }
.results .value { font-family: var(--mono); font-size: 12.5px; word-break: break-all; }
.reason { font-size: 12px; color: #374151; }
.chips { display: flex; flex-wrap: wrap; gap: 2px; margin-left: auto; }
.fault-grid { display: flex; flex-direction: column; gap: 10px; }
.fault { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
.fault .row { display: flex; gap: 6px; align-items: center; }
.fault input[type="number"] { width: 70px; }
.clear { align-self: flex-start; }
.streams { list-style: none; margin: 0; padding: 0; max-height: 180px; overflow: auto; }
.streams li { display: flex; gap: 8px; align-items: baseline; padding: 4px 0; border-bottom: 1px solid #f0f1f4; font-size: 13px; }
.streams li::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--on); flex: none; }
.streams li.stalled::before { background: var(--warn); }
.streams li.none::before { background: var(--off); }
.requests td { padding: 4px 8px; font-size: 12.5px; }
.requests .path { font-family: var(--mono); word-break: break-all; }
.status { font-family: var(--mono); font-weight: 600; }
.status.s2 { color: #047857; } .status.s3 { color: #2563eb; } .status.s4 { color: var(--warn); } .status.s5 { color: var(--bad); }
.requests tr.fresh td { animation: fresh 1.2s ease-out; }
@keyframes fresh { from { background: #eef2ff; } to { background: transparent; } }
.login { display: flex; justify-content: center; padding: 60px 20px; }
.login form { max-width: 460px; display: flex; flex-direction: column; gap: 10px; }
.login label { display: flex; flex-direction: column; gap: 4px; color: var(--dim); }
.toast { position: fixed; bottom: 16px; left: 50%; transform: translateX(-50%); background: var(--ink); color: #fff; padding: 8px 14px; border-radius: 8px; max-width: 80vw; box-shadow: 0 4px 16px rgb(0 0 0 / 20%); }
.toast.bad { background: var(--bad); }
`;
