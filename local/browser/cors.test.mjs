// The widget's first two calls, made by a real browser from a page on an allowed origin and from one that is
// not: CORS as API Gateway answers it (./run-local plays the HTTP API), seen from where it matters.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { jwtClaims, launchChromium, servePage, startLocalStack, twilioGet } from './local-stack.mjs';
import { widgetSessionPage } from './widget-session.mjs';

// Bounded: two JVMs and a browser start in under a minute even on a slow machine; the calls take seconds.
const START = { timeout: 60_000 };
const CALLS = { timeout: 20_000 };
const STOP = { timeout: 25_000 };

let stack;
let browser;
let allowedPage;
let otherPage;

before(async () => {
  // Two origins; only the first is in ALLOWED_ORIGINS. The page's HTML needs the API's URL, which is known only
  // once the API runs, so the pages serve whatever `html` holds when they are asked.
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
    const stopped = await stack.stop();
    assert.equal(stopped.api.signal ?? null, null, `./run-local ended by ${stopped.api.signal}, not by its own exit after Ctrl-C`);
  }
  await allowedPage?.close();
  await otherPage?.close();
}, STOP);

async function conversationCount() {
  const page = await twilioGet(stack.emulator, '/conversations/v1/Conversations?PageSize=1000');
  return page.conversations.length;
}

test('a page on an allowed origin starts a chat and renews its token as the widget does', CALLS, async () => {
  const page = await browser.newPage();
  try {
    await page.goto(allowedPage.origin + '/');
    const logFrom = stack.apiLog.length;

    const session = await page.evaluate(() =>
      fetchAndStoreNewSession({ formData: { friendlyName: 'Ada', email: 'ada@example.com', query: 'Hi' } }));

    // The browser asked first (the JSON Content-Type makes it a non-simple request), API Gateway's CORS
    // answered, and only then was the POST sent.
    const preflight = await stack.waitForApiLine(/^OPTIONS \/initWebchat 204 .*\(CORS preflight\)$/, 5_000, logFrom);
    const post = await stack.waitForApiLine(/^POST \/initWebchat 200 /, 5_000, logFrom);
    assert.ok(stack.apiLog.indexOf(preflight, logFrom) < stack.apiLog.indexOf(post, logFrom), 'preflight before the POST');

    // The page could read the answer, and stored it where the widget keeps it.
    assert.match(session.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(session.conversationSid, /^CH[0-9a-f]{32}$/);
    assert.equal(typeof session.expiration, 'number');
    assert.ok(session.expiration > Date.now());
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('TWILIO_WEBCHAT_WIDGET')));
    assert.deepEqual(stored, session);
    const claims = jwtClaims(session.token);
    assert.equal(claims.iss, stack.emulator.apiKey, 'signed with the configured API key');
    assert.equal(claims.sub, stack.emulator.accountSid);
    assert.ok(claims.grants.identity, 'the token names the visitor');

    const renewed = await page.evaluate(() => getUpdatedToken());

    await stack.waitForApiLine(/^OPTIONS \/refreshToken 204 /, 5_000, logFrom);
    await stack.waitForApiLine(/^POST \/refreshToken 200 /, 5_000, logFrom);
    assert.equal(jwtClaims(renewed.token).grants.identity, claims.grants.identity, 'same visitor after renewal');
    assert.equal(renewed.conversationSid, session.conversationSid, 'the widget keeps the conversation it had');
    assert.ok(renewed.expiration >= session.expiration);
    assert.deepEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('TWILIO_WEBCHAT_WIDGET'))), renewed);

    const conversation = await twilioGet(stack.emulator, `/conversations/v1/Conversations/${session.conversationSid}`);
    assert.equal(conversation.state, 'active');
  } finally {
    await page.close();
  }
});

test('a page on another origin is refused by the browser, and no chat is created', CALLS, async () => {
  const page = await browser.newPage();
  const console = [];
  page.on('console', (message) => console.push(message.text()));
  try {
    await page.goto(otherPage.origin + '/');
    const before = await conversationCount();
    const logFrom = stack.apiLog.length;

    const outcome = await page.evaluate(async () => {
      try {
        await fetchAndStoreNewSession({ formData: { friendlyName: 'Mallory', query: 'Hi' } });
        return 'the page read an answer';
      } catch (e) {
        return `${e.name}: ${e.message}`;
      }
    });

    assert.equal(outcome, 'TypeError: Failed to fetch', 'the browser withholds the call from the page');
    assert.ok(console.some((line) => /blocked by CORS policy/.test(line)), `the browser says why: ${console.join('\n')}`);
    await stack.waitForApiLine(/^OPTIONS \/initWebchat 204 .*\(CORS preflight\)$/, 5_000, logFrom);
    await new Promise((ok) => setTimeout(ok, 300)); // a POST, had the browser sent one, would be logged by now
    assert.deepEqual(stack.apiLog.slice(logFrom).filter((line) => /^POST /.test(line)), [], 'no POST reached the API');
    assert.equal(await conversationCount(), before, 'the emulator has no new conversation');
    assert.equal(await page.evaluate(() => localStorage.getItem('TWILIO_WEBCHAT_WIDGET')), null);
  } finally {
    await page.close();
  }
});
