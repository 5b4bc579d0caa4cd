// ./run-local's metrics page (/_local/metrics) in a real browser: the widget's calls are made from pages on an
// allowed and on another origin, the functions measure them (the Embedded Metric Format block of each access line),
// and the page, polling /_local/metrics.json, shows them: the summary's totals, the failure's reason, the charts.
// Needs the functions' EMF emission (issue 12): without _aws blocks there is nothing to count.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, servePage, startLocalStack } from './local-stack.mjs';
import { widgetSessionPage } from './widget-session.mjs';

const START = { timeout: 60_000 };
const CALLS = { timeout: 60_000 };
const STOP = { timeout: 25_000 };
const SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), 'target', 'metrics.png');

let stack;
let browser;
let allowedPage;
let otherPage;

before(async () => {
  const page = { html: '' };
  allowedPage = await servePage(() => page.html);
  otherPage = await servePage(() => page.html);
  stack = await startLocalStack({ allowedOrigins: [allowedPage.origin] });
  page.html = widgetSessionPage(stack.apiUrl);
  browser = await launchChromium();
}, START);

after(async () => {
  await browser?.close();
  if (stack) {
    await stack.stop();
  }
  await allowedPage?.close();
  await otherPage?.close();
}, STOP);

async function metricsJson() {
  const response = await fetch(stack.apiUrl + '/_local/metrics.json');
  assert.equal(response.status, 200);
  return response.json();
}

/** The values of the bars of one series in one chart. */
function bars(page, selector) {
  return page.$$eval(selector, (rects) => rects.map((rect) => Number(rect.getAttribute('data-value'))));
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

test('the metrics page shows the chats started, the refused call\'s reason and the charts, drawn from the EMF lines', CALLS, async () => {
  // Two chats started and a token renewed by the widget's own calls, on the allowed origin.
  const widget = await browser.newPage();
  try {
    await widget.goto(allowedPage.origin + '/');
    await widget.evaluate(() => fetchAndStoreNewSession({ formData: { friendlyName: 'Ada', query: 'Hi' } }));
    await widget.evaluate(() => fetchAndStoreNewSession({ formData: { friendlyName: 'Grace', query: 'Hello' } }));
    await widget.evaluate(() => getUpdatedToken());
  } finally {
    await widget.close();
  }

  // A page on another origin: a simple request (text/plain, no preflight) reaches the function, which refuses the
  // origin; the browser withholds the answer from the page.
  const other = await browser.newPage();
  try {
    await other.goto(otherPage.origin + '/');
    const logFrom = stack.apiLog.length;
    const outcome = await other.evaluate((url) => fetch(url + '/initWebchat', {
      method: 'POST', body: JSON.stringify({ formData: { friendlyName: 'Mallory', query: 'Hi' } }),
    }).then(() => 'the page read an answer', (e) => e.name), stack.apiUrl);
    assert.equal(outcome, 'TypeError');
    await stack.waitForApiLine(/^POST \/initWebchat 403 /, 5_000, logFrom);
    // Nor can that page read the metrics: the local pages send no CORS header.
    const read = await other.evaluate((url) => fetch(url + '/_local/metrics.json').then(() => 'read', (e) => e.name), stack.apiUrl);
    assert.equal(read, 'TypeError');
  } finally {
    await other.close();
  }

  const json = await metricsJson();
  assert.equal(json.lines.requestLinesWithoutEmf, 0, `every access line carries an _aws block: ${JSON.stringify(json.lines)}`);
  assert.equal(json.totals.chatsStarted, 2);

  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  try {
    await page.goto(stack.apiUrl + '/_local/metrics');
    // The script has run (it marks each update) and shows the totals.
    await page.waitForSelector('body[data-updated]', { timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('#summary [data-key="totals.chatsStarted"]')?.textContent
      === 'chats started: 2', null, { timeout: 10_000 });
    const summary = await page.$$eval('#summary li', (items) => Object.fromEntries(items.map((li) => [li.dataset.key, li.textContent])));
    assert.equal(summary['totals.chatsNotStarted'], 'chats not started: 1');
    assert.equal(summary['totals.failures'], 'failures: 1');
    assert.equal(summary['lines.malformed'], 'malformed: 0');
    assert.match(summary['totals.requests'], /^requests: \d+$/);

    // The refused call's reason, in the table and as a bar.
    await page.waitForFunction(() => [...document.querySelectorAll('#failure-table tbody tr')]
      .some((row) => row.textContent.includes('initWebchat') && row.textContent.includes('origin_not_allowed')), null, { timeout: 10_000 });
    assert.deepEqual(await bars(page, '#failures svg rect.bar'), [1]);

    // The charts hold the data: chats per minute, latency per route, Twilio's calls.
    assert.equal(sum(await bars(page, '#chats svg rect.bar.started')), 2, 'two chats started');
    assert.equal(sum(await bars(page, '#chats svg rect.bar.failed')), 1, 'one not started');
    const latency = await page.$$eval('#latency svg rect.bar', (rects) => rects.map((r) => r.getAttribute('data-series')));
    assert.ok(latency.filter((s) => s === 'p95').length >= 2, `p95 bars for initWebchat and refreshToken: ${latency}`);
    assert.ok((await bars(page, '#latency svg rect.bar')).every((value) => value > 0));
    assert.ok(sum(await bars(page, '#twilio svg rect.bar.calls')) >= 2, 'each chat called Twilio');
    const routes = await page.$$eval('#route-table tbody tr td:first-child', (cells) => cells.map((c) => c.textContent));
    assert.ok(routes.includes('initWebchat') && routes.includes('refreshToken'), routes.join(', '));
    assert.equal(await page.getAttribute('#chats svg', 'data-total'), '3');

    assert.deepEqual(problems, [], 'no script error, no CSP violation');

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`metrics page screenshot: ${SCREENSHOT}`);
  } finally {
    await page.close();
  }
});
