/**
 * The status page's script (`GET /status-page.js`): plain browser JavaScript, served as is. Polls
 * `GET /v1/status` (every 2 s, or `?interval=<ms>`) and renders it with textContent only (no HTML from data).
 * On 401/403 it asks for an admin API key, kept in sessionStorage.
 */
export const STATUS_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var interval = Math.max(200, Number(params.get('interval')) || 2000);
  var KEY = 'granary-status-key';

  function $(id) { return document.getElementById(id); }
  function el(tag, props, children) {
    var e = document.createElement(tag);
    if (props) for (var k in props) {
      if (k === 'text') e.textContent = props[k];
      else if (k === 'className') e.className = props[k];
      else e.setAttribute(k, props[k]);
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function badge(value) { return el('span', { className: 'badge badge-' + value, text: value }); }
  function ms(v) {
    if (v === null || v === undefined) return '–';
    if (v < 1000) return Math.round(v) + ' ms';
    if (v < 120000) return (v / 1000).toFixed(1) + ' s';
    if (v < 7200000) return (v / 60000).toFixed(1) + ' min';
    return (v / 3600000).toFixed(1) + ' h';
  }
  function pct(v) { return v === null || v === undefined ? '–' : (v * 100).toFixed(1) + ' %'; }
  function cell(text, cls) { return el('td', { text: text, className: cls || '' }); }
  function fill(tbody, rows, empty, cols) {
    tbody.replaceChildren();
    if (rows.length === 0) tbody.appendChild(el('tr', {}, [el('td', { text: empty, colspan: String(cols), className: 'muted' })]));
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  function render(s) {
    var overall = $('overall');
    overall.className = 'badge badge-' + s.verdict;
    overall.textContent = s.verdict;
    document.title = 'Granary status: ' + s.verdict;
    $('updated').textContent = 'updated ' + new Date(s.generatedAt).toLocaleTimeString();

    fill($('views').tBodies[0], s.views.map(function (v) {
      var verdict = el('td', { className: 'verdict' }, [badge(v.verdict)]);
      if (v.reasons.length) verdict.appendChild(el('ul', { className: 'reasons' }, v.reasons.map(function (r) { return el('li', { text: r }); })));
      var hbLimit = v.heartbeat.intervalMs === null ? null : v.maxAgeMs + 2 * v.heartbeat.intervalMs;
      var hb = ms(v.heartbeat.ageMs) + (v.heartbeat.intervalMs === null ? '' : ' (every ' + ms(v.heartbeat.intervalMs) + ')');
      return el('tr', { 'data-view': v.view, 'data-verdict': v.verdict }, [
        cell(v.view),
        verdict,
        cell(ms(v.ageMs.p50), 'num' + (v.ageMs.p50 !== null && v.ageMs.p50 > v.slo.thresholdMs ? ' over' : '')),
        cell(ms(v.ageMs.p99), 'num' + (v.ageMs.p99 !== null && v.ageMs.p99 > v.slo.thresholdMs ? ' over' : '')),
        cell(ms(v.slo.thresholdMs) + ' @ ' + (v.slo.target * 100).toFixed(2).replace(/\.?0+$/, '') + ' %', 'num'),
        cell(hb, 'num' + (hbLimit !== null && v.heartbeat.ageMs !== null && v.heartbeat.ageMs > hbLimit ? ' over' : '')),
        cell(ms(v.maxAgeMs), 'num'),
      ]);
    }), 'no views', 7);

    var sv = s.serving;
    $('fallback-share').textContent = sv.values === 0
      ? 'No values served yet.'
      : pct(sv.fallbackShare) + ' of ' + sv.values + ' served values came from a fallback step (' + sv.fallbacks + ').';
    $('by-status').textContent = sv.byStatus.length === 0 ? '' : 'Served values by status and source: ' + sv.byStatus.map(function (b) {
      return b.status + ' from ' + b.source + ' ' + b.count;
    }).join(', ') + '.';
    fill($('fallbacks').tBodies[0], sv.fallbacksBy.map(function (f) {
      return el('tr', {}, [cell(f.view), cell(f.source), cell(f.reason), cell(String(f.count), 'num')]);
    }), 'no fallbacks', 4);

    var circuits = $('circuits');
    circuits.replaceChildren();
    Object.keys(s.circuits).forEach(function (role) {
      circuits.appendChild(el('span', { 'data-store': role }, [el('span', { text: role + ' store: ' }), badge(s.circuits[role]), el('span', { text: '  ' })]));
    });

    fill($('hot-keys').tBodies[0], s.hotKeys.map(function (h) {
      var key = typeof h.key === 'string' ? h.key : Object.keys(h.key).map(function (k) { return k + '=' + h.key[k]; }).join(', ');
      return el('tr', {}, [cell(h.view), cell(key), cell(String(Math.round(h.count)), 'num'), cell(pct(h.share), 'num'), cell(h.cached ? 'cached' : (h.hot ? 'hot' : '–'))]);
    }), 'no hot keys yet', 5);

    var a = s.audit;
    var audit = $('audit');
    audit.replaceChildren();
    if (!a.configured) audit.appendChild(el('p', { className: 'muted', text: 'no audit yet (set status.auditReportPath to an auditor JSON report)' }));
    else if (!a.available) audit.appendChild(el('p', { className: 'muted', text: 'no audit yet: ' + a.path + ' (' + a.error + ')' }));
    else {
      audit.appendChild(el('p', {}, [badge(a.ok ? 'OK' : 'FAILED'), el('span', { text: '  finished ' + (a.finishedAt || '?') + ', ' + a.views + ' view(s), ' + (a.sampleSize === null ? '?' : a.sampleSize) + ' sampled keys, ' + a.breachCount + ' threshold breach(es)' })]));
      if (a.breaches.length) audit.appendChild(el('ul', {}, a.breaches.map(function (b) {
        return el('li', { text: b.check + ' of ' + b.subject + ': ' + b.value + ' > ' + b.threshold });
      })));
    }
  }

  function showError(text) {
    var e = $('error');
    e.textContent = text;
    e.style.display = text ? 'block' : 'none';
  }

  var timer;
  function poll() {
    clearTimeout(timer);
    var headers = { accept: 'application/json' };
    var key = sessionStorage.getItem(KEY);
    if (key) headers.authorization = 'Bearer ' + key;
    fetch('/v1/status', { headers: headers, cache: 'no-store' })
      .then(function (res) {
        if (res.status === 401 || res.status === 403) {
          $('auth').style.display = 'block';
          return res.json().then(function (b) { throw new Error((b.error && b.error.message) || res.statusText); });
        }
        if (!res.ok) throw new Error('GET /v1/status: HTTP ' + res.status);
        $('auth').style.display = 'none';
        return res.json();
      })
      .then(function (s) { showError(''); render(s); })
      .catch(function (err) { showError('Cannot load the status: ' + err.message); })
      .finally(function () { timer = setTimeout(poll, interval); });
  }

  $('auth-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    sessionStorage.setItem(KEY, $('auth-key').value.trim());
    poll();
  });
  poll();
})();
`;
