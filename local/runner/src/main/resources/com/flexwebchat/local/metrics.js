// ./run-local's metrics page (/_local/metrics): reads /_local/metrics.json every 2 s and draws it as inline SVG.
// Plain JavaScript, no library, nothing from another origin (the page's CSP allows script and fetches from this
// origin only). Every value from the JSON reaches the page as text (textContent, setAttribute), never as markup.
'use strict';

(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const POLL_MS = 2000;
  // Label, then where its number is in the JSON: the same list as MetricsPages.SUMMARY, which renders it first.
  const SUMMARY = [
    ['requests', 'totals.requests'],
    ['chats started', 'totals.chatsStarted'],
    ['chats not started', 'totals.chatsNotStarted'],
    ['chat start failures (5xx)', 'totals.chatStartFailures'],
    ['failures', 'totals.failures'],
    ['Twilio calls', 'totals.twilioCalls'],
    ['Twilio errors', 'totals.twilioErrors'],
    ['store calls', 'totals.storeCalls'],
    ['limited', 'totals.limited'],
    ['blocked', 'totals.blocked'],
    ['CAPTCHA failures', 'totals.captchaFailures'],
    ['cold starts', 'totals.coldStarts'],
    ['EMF lines', 'lines.emf'],
    ['malformed', 'lines.malformed'],
  ];
  const ABUSE = [
    ['limited (rate limits)', 'limited'],
    ['blocked (block list)', 'blocked'],
    ['CAPTCHA failures', 'captchaFailures'],
    ['tokens refused', 'tokensRefused'],
    ['webhooks refused', 'webhooksRefused'],
    ['messages rejected', 'messagesRejected'],
    ['messages masked', 'messagesMasked'],
  ];

  const byId = (id) => document.getElementById(id);

  function at(object, path) {
    return path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), object);
  }

  function element(name, text, className) {
    const node = document.createElement(name);
    if (text !== undefined) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function svg(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** A round number at or above `value`, for an axis's top. */
  function niceMax(value) {
    if (!(value > 0)) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (value <= step * power) return step * power;
    }
    return 10 * power;
  }

  function ms(value) {
    return value == null ? '–' : `${value} ms`;
  }

  function hhmm(iso) {
    const date = new Date(iso);
    return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  }

  /**
   * Grouped columns, one group per label: `series` is [{name, className, values}]. The svg carries data-total (the
   * sum of every value); each non-zero value is a rect.bar with data-series and data-value.
   */
  function columns(container, labels, series) {
    const width = 720;
    const height = 190;
    const left = 36;
    const bottom = 22;
    const top = 8;
    const plotHeight = height - top - bottom;
    const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
    const total = series.reduce((sum, s) => sum + s.values.reduce((a, b) => a + b, 0), 0);
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'data-total': total });
    chart.appendChild(svg('title', {}, series.map((s) => `${s.name}: ${s.values.reduce((a, b) => a + b, 0)}`).join(', ')));
    for (const tick of [0, 0.5, 1]) {
      const y = top + plotHeight * (1 - tick);
      chart.appendChild(svg('line', { x1: left, x2: width, y1: y, y2: y, class: tick === 0 ? 'axis' : 'grid' }));
      chart.appendChild(svg('text', { x: left - 4, y: y + 4, 'text-anchor': 'end' }, Math.round(max * tick * 10) / 10));
    }
    const groupWidth = (width - left) / Math.max(1, labels.length);
    const barWidth = Math.max(2, (groupWidth * 0.8) / series.length);
    const every = Math.ceil(labels.length / 10);
    labels.forEach((label, i) => {
      const x0 = left + i * groupWidth + groupWidth * 0.1;
      series.forEach((s, j) => {
        const value = s.values[i] || 0;
        if (value <= 0) return;
        const h = Math.max(1, (value / max) * plotHeight);
        const bar = svg('rect', {
          x: x0 + j * barWidth, y: top + plotHeight - h, width: Math.max(1, barWidth - 1), height: h,
          class: `bar ${s.className}`, 'data-series': s.name, 'data-value': value,
        });
        bar.appendChild(svg('title', {}, `${label} ${s.name}: ${value}`));
        chart.appendChild(bar);
      });
      if (i % every === 0) {
        chart.appendChild(svg('text', { x: left + i * groupWidth + groupWidth / 2, y: height - 6, 'text-anchor': 'middle' }, label));
      }
    });
    clear(container);
    container.appendChild(chart);
  }

  /**
   * Horizontal bars, one row per item: `rows` is [{label, values}], `series` [{name, className}] naming each value.
   * Same data attributes as columns().
   */
  function rowsChart(container, rows, series, unit) {
    clear(container);
    const width = 720;
    const left = 230;
    const right = 70;
    const barHeight = 12;
    const rowHeight = series.length * barHeight + 10;
    const height = Math.max(30, rows.length * rowHeight + 8);
    const values = rows.flatMap((r) => r.values.filter((v) => v != null));
    const max = niceMax(Math.max(0, ...values));
    const total = values.reduce((a, b) => a + b, 0);
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'data-total': total });
    if (rows.length === 0) {
      chart.appendChild(svg('text', { x: 4, y: 20, class: 'empty' }, 'None yet.'));
    }
    rows.forEach((row, i) => {
      const y0 = 4 + i * rowHeight;
      chart.appendChild(svg('text', { x: left - 8, y: y0 + (series.length * barHeight) / 2 + 4, 'text-anchor': 'end' }, row.label));
      series.forEach((s, j) => {
        const value = row.values[j];
        if (value == null) return;
        const w = Math.max(1, (value / max) * (width - left - right));
        const bar = svg('rect', {
          x: left, y: y0 + j * barHeight, width: w, height: barHeight - 2,
          class: `bar ${s.className}`, 'data-series': s.name, 'data-value': value,
        });
        bar.appendChild(svg('title', {}, `${row.label} ${s.name}: ${value}${unit}`));
        chart.appendChild(bar);
        chart.appendChild(svg('text', { x: left + w + 4, y: y0 + j * barHeight + barHeight - 3 }, `${value}${unit}`));
      });
    });
    chart.appendChild(svg('line', { x1: left, x2: left, y1: 0, y2: height, class: 'axis' }));
    container.appendChild(chart);
  }

  function tableRows(tbody, rows) {
    clear(tbody);
    for (const cells of rows) {
      const tr = document.createElement('tr');
      for (const cell of cells) tr.appendChild(element('td', cell, typeof cell === 'number' ? 'number' : undefined));
      tbody.appendChild(tr);
    }
  }

  function render(data) {
    const summary = byId('summary');
    clear(summary);
    for (const [label, path] of SUMMARY) {
      const item = element('li', `${label}: `);
      item.dataset.key = path;
      item.appendChild(element('b', at(data, path) ?? 0));
      summary.appendChild(item);
    }

    const warning = byId('warning');
    const notes = [];
    if (data.lines.requestLinesWithoutEmf > 0) {
      notes.push(`${data.lines.requestLinesWithoutEmf} "Request completed" lines carried no _aws block: those requests are not counted here.`);
    }
    if (data.lastMalformed) {
      notes.push(`Last malformed EMF block (${data.lastMalformed.at}): ${data.lastMalformed.reason}.`);
    }
    warning.textContent = notes.join(' ');
    warning.hidden = notes.length === 0;

    const minutes = data.window.minutes;
    const labels = minutes.map((m) => hhmm(m.minute));
    columns(byId('chats'), labels, [
      { name: 'started', className: 'started', values: minutes.map((m) => m.chatsStarted) },
      { name: 'not started', className: 'failed', values: minutes.map((m) => m.chatsNotStarted) },
    ]);

    rowsChart(byId('failures'), data.failures.map((f) => ({ label: `${f.route} ${f.outcome}`, values: [f.count] })),
      [{ name: 'count', className: 'failure' }], '');
    tableRows(byId('failure-table').tBodies[0], data.failures.map((f) => [f.route, f.outcome, f.count]));

    const routes = data.window.routes.filter((r) => r.latency.samples > 0);
    rowsChart(byId('latency'), routes.map((r) => ({ label: r.route, values: [r.latency.p50, r.latency.p95, r.latency.p99] })),
      [{ name: 'p50', className: 'p50' }, { name: 'p95', className: 'p95' }, { name: 'p99', className: 'p99' }], ' ms');
    tableRows(byId('route-table').tBodies[0], data.window.routes.map((r) => [r.route, r.requests, r.failures,
      ms(r.latency.p50), ms(r.latency.p95), ms(r.latency.p99), ms(r.latency.max), r.twilioCalls, r.storeCalls]));

    columns(byId('twilio'), labels, [
      { name: 'calls', className: 'calls', values: minutes.map((m) => m.twilioCalls) },
      { name: 'errors', className: 'errors', values: minutes.map((m) => m.twilioErrors) },
    ]);
    const twilio = data.window.twilio;
    byId('twilio-latency').textContent = `Over the window: ${twilio.calls} calls, ${twilio.errors} errors, `
      + `${twilio.throttled} throttled (429); latency p50 ${ms(twilio.latency.p50)}, p95 ${ms(twilio.latency.p95)}, `
      + `p99 ${ms(twilio.latency.p99)}, max ${ms(twilio.latency.max)}. Store: ${data.window.store.calls} calls, `
      + `${data.window.store.errors} errors, p95 ${ms(data.window.store.latency.p95)}.`;

    columns(byId('abuse'), labels, [
      { name: 'limited', className: 'limited', values: minutes.map((m) => m.limited) },
      { name: 'blocked', className: 'blocked', values: minutes.map((m) => m.blocked) },
      { name: 'CAPTCHA failures', className: 'captcha', values: minutes.map((m) => m.captchaFailures) },
    ]);
    const abuse = byId('abuse-totals');
    clear(abuse);
    for (const [label, key] of ABUSE) abuse.appendChild(element('li', `${label}: ${data.totals[key] ?? 0}`));

    byId('retention').textContent = `Window: ${data.retention.kept} EMF lines kept (the last ${data.retention.maxLines} `
      + `or ${data.retention.minutes} minutes); since ${data.startedAt}: ${data.lines.seen} log lines seen, `
      + `${data.lines.emf} with EMF, ${data.lines.malformed} malformed. Namespaces: ${data.namespaces.join(', ') || 'none yet'}.`;
  }

  async function poll() {
    const status = byId('status');
    try {
      const response = await fetch('/_local/metrics.json', { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      render(await response.json());
      status.textContent = `updated ${new Date().toLocaleTimeString()}`;
      document.body.dataset.updated = String(Date.now());
    } catch (e) {
      status.textContent = `cannot read /_local/metrics.json (${e.message}); trying again`;
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  poll();
})();
