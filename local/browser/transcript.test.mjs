// The widget's "send the transcript to my email" button, made by a real browser exactly as
// twilio-webchat-react-app's Transcript.tsx makes it, against ./run-local, which captures every email.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { launchChromium, servePage, startLocalStack } from './local-stack.mjs';
import { widgetSessionPage } from './widget-session.mjs';

const START = { timeout: 60_000 };
const CALLS = { timeout: 20_000 };
const STOP = { timeout: 25_000 };

let stack;
let browser;
let page;
let bait;
let baitCalls = 0;

before(async () => {
  const html = { value: '' };
  page = await servePage(() => html.value);
  stack = await startLocalStack({ allowedOrigins: [page.origin] });
  html.value = widgetSessionPage(stack.apiUrl);
  // Stands for any URL a page could put in mediaInfo: the backend must never fetch it.
  bait = createServer((request, response) => {
    baitCalls += 1;
    response.end();
  });
  await new Promise((ok) => bait.listen(0, '127.0.0.1', ok));
  browser = await launchChromium();
}, START);

after(async () => {
  await browser?.close();
  await new Promise((ok) => (bait ? bait.close(ok) : ok()));
  if (stack) {
    await stack.stop();
  }
  await page?.close();
}, STOP);

async function capturedMail() {
  const response = await fetch(stack.apiUrl + '/_local/mail.json');
  assert.equal(response.status, 200);
  return (await response.json()).messages;
}

function widgetRequest(recipientAddress) {
  return {
    recipientAddress,
    subject: 'Transcript of your chat with Sam',
    text: '<div><h1>Chat Transcript</h1><p>Hello Ada,<br><img src=x onerror="steal()">PAGE-MADE HTML</p></div>',
    mediaInfo: [{ url: `http://127.0.0.1:${bait.address().port}/secret.png`, filename: 'a.png', type: 'image/png' }],
    uniqueFilenames: ['a.png'],
  };
}

test('the unmodified widget\'s transcript call gets 200 and the chat\'s own transcript reaches the chat\'s address', CALLS, async () => {
  const tab = await browser.newPage();
  try {
    await tab.goto(page.origin + '/');
    const logFrom = stack.apiLog.length;
    const session = await tab.evaluate(() =>
      fetchAndStoreNewSession({ formData: { friendlyName: 'Ada', email: 'ada@example.com', query: 'Where is my order?' } }));
    assert.match(session.conversationSid, /^CH[0-9a-f]{32}$/);

    const answer = await tab.evaluate((body) => emailTranscript(body), widgetRequest('ada@example.com'));

    assert.equal(typeof answer.message, 'string', 'a 2xx with JSON, or the widget\'s button would spin forever');
    await stack.waitForApiLine(/^OPTIONS \/email 204 /, 5_000, logFrom);
    await stack.waitForApiLine(/^POST \/email 200 /, 5_000, logFrom);
    const mail = (await capturedMail()).filter((m) => m.to.includes('ada@example.com'));
    assert.equal(mail.length, 1, JSON.stringify(mail));
    assert.equal(mail[0].subject, 'Transcript of your chat', 'built on the server, not the page\'s subject');
    assert.match(mail[0].html, /Where is my order\?/);
    assert.doesNotMatch(mail[0].html, /PAGE-MADE|steal\(\)/, 'the page\'s HTML is not what is sent');
    assert.deepEqual(mail[0].attachments, []);
    assert.equal(baitCalls, 0, 'the URL in mediaInfo was never fetched');
  } finally {
    await tab.close();
  }
});

test('the same call for an address that started no chat gets the same answer and no email', CALLS, async () => {
  const tab = await browser.newPage();
  try {
    await tab.goto(page.origin + '/');
    const before = (await capturedMail()).length;
    const known = await tab.evaluate((body) => emailTranscript(body), widgetRequest('ada@example.com')).catch((e) => String(e));

    const answer = await tab.evaluate((body) => emailTranscript(body), widgetRequest('mallory@example.com'));

    assert.match(String(known), /Request to backend failed/, 'Ada\'s second ask within the hour is refused (429)');
    assert.equal(typeof answer.message, 'string');
    assert.equal((await capturedMail()).length, before, 'no email');
    assert.equal(baitCalls, 0);
  } finally {
    await tab.close();
  }
});
