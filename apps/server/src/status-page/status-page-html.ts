/**
 * The status page (`GET /`): plain HTML, no build step. Its data comes from `GET /v1/status`, polled by
 * {@link STATUS_PAGE_SCRIPT} (`GET /status-page.js`).
 */
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Granary status</title>
<style>
  :root { color-scheme: light; --ok: #1a7f37; --risk: #b35900; --bad: #cf222e; --muted: #57606a; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  header { display: flex; align-items: center; gap: 16px; padding: 14px 24px; background: #fff; border-bottom: 1px solid #d0d7de; }
  header h1 { font-size: 18px; margin: 0; }
  header .meta { color: var(--muted); margin-left: auto; }
  main { padding: 16px 24px; display: grid; gap: 16px; max-width: 1200px; }
  section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 16px; }
  section h2 { font-size: 15px; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
  th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; }
  td.num { font-variant-numeric: tabular-nums; }
  .badge { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 700; color: #fff; letter-spacing: .03em; }
  .badge-OK, .badge-closed { background: var(--ok); }
  .badge-AT_RISK, .badge-half_open { background: var(--risk); }
  .badge-BREACHED, .badge-open, .badge-isolated, .badge-FAILED { background: var(--bad); }
  .badge-none { background: var(--muted); }
  .over { color: var(--bad); font-weight: 700; }
  .reasons { color: var(--muted); font-size: 12px; margin: 2px 0 0; padding-left: 16px; }
  .muted { color: var(--muted); }
  #error { display: none; background: #ffebe9; border-color: #ff8182; }
  #auth { display: none; }
  #auth input { width: 320px; }
</style>
</head>
<body>
<header>
  <h1>Granary status</h1>
  <span>freshness: <span id="overall" class="badge badge-none">…</span></span>
  <span class="meta" id="updated">loading…</span>
</header>
<main>
  <section id="error"></section>
  <section id="auth">
    <h2>Admin API key</h2>
    <p class="muted">The status data needs an API key with the admin scope. It is kept in this tab only.</p>
    <form id="auth-form"><input id="auth-key" type="password" autocomplete="off" placeholder="API key"> <button>Use key</button></form>
  </section>
  <section>
    <h2>Freshness per view</h2>
    <table id="views">
      <thead><tr><th>view</th><th>verdict</th><th>served age p50</th><th>served age p99</th><th>SLO threshold</th><th>heartbeat age</th><th>max age</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section>
    <h2>Fallbacks</h2>
    <p id="fallback-share"></p>
    <p id="by-status" class="muted"></p>
    <table id="fallbacks"><thead><tr><th>view</th><th>source</th><th>reason</th><th>values</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Circuits</h2>
    <div id="circuits"></div>
  </section>
  <section>
    <h2>Hot keys</h2>
    <table id="hot-keys"><thead><tr><th>view</th><th>key</th><th>requests (est.)</th><th>share</th><th>near cache</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Last audit</h2>
    <div id="audit"></div>
  </section>
</main>
<script src="/status-page.js"></script>
</body>
</html>
`;
