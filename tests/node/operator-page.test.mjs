// The operator's view, www/operator.html, served by the reference Worker's static
// assets (at /operator: the assets' html_handling redirects /operator.html there;
// /events.html would have gone to the API's /events) from workerd through
// miniflare (lib/reference-worker.mjs), driven in real Chromium. Events of every provider are stored through the
// Worker's own webhook routes (signed here with node:crypto); the provider APIs
// of the follow-ups are a stand-in on 127.0.0.1. Checked: the admin token is
// asked for, kept in sessionStorage and sent only as `Authorization: Bearer`,
// never in a URL; the table shows what GET /events has (provider, key, status,
// received time, follow-up state, fetchError); the provider filter; the
// auto-refresh picks up new events and a follow-up that succeeds after failing;
// a wrong token is refused and forgotten; stored text is shown as text.
// Screenshot: tests/artifacts/operator-page.png (and docs/events.png with
// UPDATE_DOCS_SCREENSHOT=1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { launchChromium, inCheckedPage } from './lib/chromium.mjs';
import { startReferenceWorker } from './lib/reference-worker.mjs';
import { ROOT } from './lib/wrangler.mjs';
import { waitFor } from './lib/assert.mjs';

const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
const SETTINGS = {
  HITPAY_SALT: 'operator-page-hitpay-salt-41d0',
  CALLBACK_SECRET: 'operator-page-callback-secret-77ab',
  SMART_ROUTER_WEBHOOK_USER: 'sr-user',
  SMART_ROUTER_WEBHOOK_PASSWORD: 'sr-pass-c0de',
  SMART_ROUTER_PROJECT_ID: 'proj_events_page',
  SMART_ROUTER_PRIVATE_KEY: 'key_events_page_91f2',
  PAYEX_TOKEN: 'payex-token-operator-page',
  ADMIN_TOKEN: 'operator-page-admin-token-5e3c',
};
const TOKEN = SETTINGS.ADMIN_TOKEN;

let worker;
let browser;
let api;
const failing = new Set(); // stand-in API paths that answer 500
const resources = new Map(); // PayEx path -> JSON

// ------------------------------------------------------------------ stored through the Worker

async function call(pathAndQuery, init = {}) {
  const res = await fetch(new URL(pathAndQuery, worker.origin), init);
  const body = await res.json();
  return { status: res.status, body };
}

async function stored(pathAndQuery, body, headers) {
  const res = await call(pathAndQuery, { method: 'POST', body, headers });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.duplicate, false);
}

function hitpayForm(fields) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const hmac = createHmac('sha256', SETTINGS.HITPAY_SALT).update(keys.map((k) => k + fields[k]).join('')).digest('hex');
  return `${new URLSearchParams(fields)}&hmac=${hmac}`;
}

let serial = 0;
const unique = (prefix) => `${prefix}${process.pid}_${++serial}`;

// HitPay-shaped (the Worker verifies form webhooks in strict mode): UUID ids.
async function hitpay(paymentId = randomUUID(), status = 'completed') {
  const body = hitpayForm({ payment_id: paymentId, payment_request_id: randomUUID(), amount: '25.00', currency: 'SGD', status, reference_number: 'ORDER-1' });
  await stored('/webhooks/hitpay', body, { 'content-type': 'application/x-www-form-urlencoded' });
  return `${paymentId}:${status}`;
}

async function hitpayEvent(id) {
  const body = JSON.stringify({ id, status: 'succeeded', amount: 12.5, currency: 'sgd' });
  const key = `${id}:${createHash('sha256').update(body).digest('hex')}`;
  await stored('/webhooks/hitpay/events', body, {
    'content-type': 'application/json',
    'hitpay-signature': createHmac('sha256', SETTINGS.HITPAY_SALT).update(body).digest('hex'),
    'hitpay-event-type': 'created',
    'hitpay-event-object': 'charge',
  });
  return key;
}

async function hapi(orderId) {
  const issued = await call(`/hapi/callback-url?orderId=${orderId}`);
  const url = new URL(issued.body.url);
  await stored(`${url.pathname}${url.search}&amount=25.00&walletId=w-1`, '', { 'content-type': 'application/json' });
}

const SR_AUTH = `Basic ${Buffer.from(`${SETTINGS.SMART_ROUTER_WEBHOOK_USER}:${SETTINGS.SMART_ROUTER_WEBHOOK_PASSWORD}`).toString('base64')}`;
async function smartRouter(eventId) {
  const body = JSON.stringify({ event_id: eventId, event_type: 'transaction.captured' });
  await stored('/webhooks/smart-router', body, { 'content-type': 'application/json', authorization: SR_AUTH });
}

async function payex(reference, number) {
  const issued = await call(`/payex/callback-url?orderReference=${reference}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const url = new URL(issued.body.url);
  const payment = `/psp/creditcard/payments/${randomUUID()}`;
  const transaction = `${payment}/captures/${randomUUID()}`;
  resources.set(transaction, { payment, capture: { id: transaction, transaction: { id: `${payment}/transactions/${randomUUID()}`, number, type: 'Capture', state: 'Completed', amount: 150000 } } });
  const body = JSON.stringify({ orderReference: reference, payment: { id: payment, number: number - 1 }, transaction: { id: transaction, number } });
  await stored(`${url.pathname}${url.search}`, body, { 'content-type': 'application/json' });
}

/** What GET /events answers (Node, with the token): the reference the page is checked against. */
async function listed(query = '') {
  const res = await call(`/events?limit=50${query}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200);
  return res.body.events;
}

// ------------------------------------------------------------------ setup

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  api = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    if (failing.has(pathname)) return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"stand-in failure"}');
    const event = /^\/events\/([\w-]+)$/.exec(pathname);
    const answer = event ? { success: true, event: { id: event[1], name: 'transaction.captured' } } : resources.get(pathname);
    res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(answer ?? { error: 'not found' }));
  });
  await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve));
  const apiBase = `http://127.0.0.1:${api.address().port}`;
  worker = await startReferenceWorker({
    name: 'operator-page',
    settings: { ...SETTINGS, SMART_ROUTER_API_BASE: apiBase, PAYEX_API_BASE: apiBase },
    // Retried after 2 s (30 s in wrangler.toml; 10 retries either way), so that a
    // failing follow-up shows as retrying, then fetched, within the test.
    queue: { maxBatchTimeout: 0, retryDelay: 2 },
  });
  browser = await launchChromium();

  // Events of every provider, stored through the Worker; one Smart Router follow-up keeps failing.
  await hitpay(randomUUID(), 'pending');
  await hitpay();
  await hitpayEvent(unique('ch_'));
  await hapi(unique('o-'));
  await payex(unique('PO-'), 4_100_000 + serial);
  await smartRouter(unique('ev_ok_'));
  const failingEvent = unique('ev_fail_');
  failing.add(`/events/${failingEvent}`);
  await smartRouter(failingEvent);
  await waitFor(async () => {
    const events = await listed();
    return events.some((e) => e.provider === 'payex')
      && events.some((e) => e.key === failingEvent && e.fetchError === 'HTTP 500')
      && events.filter((e) => e.provider === 'smart-router' && e.fetched !== null).length === 1;
  }, 'the follow-ups (one fetched, one failing)');
}, { timeout: 180_000 });

after(async () => {
  await browser?.close().catch(() => {});
  await worker?.dispose();
  await new Promise((resolve) => (api ? api.close(resolve) : resolve()));
});

// ------------------------------------------------------------------ the page

/** docs/events.png: the screenshot in 64 colours (pngquant, when installed), else as taken. */
async function updateDocsScreenshot(file) {
  const out = path.join(ROOT, 'docs/events.png');
  await mkdir(path.dirname(out), { recursive: true });
  const args = ['--force', '--strip', '--quality', '60-90', '64', '--output', out, file];
  const quantised = await promisify(execFile)('pngquant', args).then(() => true, () => false);
  if (!quantised) await copyFile(file, out);
}

/** Opens operator.html in a fresh context; `requests` collects every request with its headers. */
async function withEventsPage(fn, { viewport = { width: 1280, height: 800 }, colorScheme = 'light', allow = [] } = {}) {
  const requests = [];
  await inCheckedPage(browser, async (page, problems) => {
    page.on('request', (req) => requests.push({ url: req.url(), headers: req.headers() }));
    await page.goto(`${worker.origin}/operator.html`, { waitUntil: 'load' });
    await page.locator('body:not([data-state="loading"])').waitFor();
    await fn(page, requests);
    // Expected refusals (a wrong token) are not problems.
    const unexpected = problems.filter((p) => !allow.some((re) => re.test(p)));
    problems.splice(0, problems.length, ...unexpected);
  }, { context: { viewport, colorScheme }, timeout: 15_000, what: 'operator.html' });
  return requests;
}

async function signIn(page, token = TOKEN) {
  await page.fill('#token', token);
  await page.click('#show');
}

const loads = (page) => page.evaluate(() => Number(document.body.dataset.loads ?? 0));
const nextLoad = async (page, after) => page.waitForFunction((n) => Number(document.body.dataset.loads ?? 0) > n, after);

/** The table as the operator reads it. */
const tableRows = (page) => page.$$eval('#events tbody tr', (trs) => trs.map((tr) => {
  const cells = [...tr.children].map((td) => td.textContent.trim());
  return {
    id: Number(tr.dataset.id), provider: cells[1], key: cells[2], status: cells[3], received: cells[4],
    followUp: tr.dataset.followUp, followUpText: cells[5], fetchError: cells[6],
  };
}));

test('the admin token: asked for, kept in sessionStorage, sent only as Authorization: Bearer, never in a URL', async () => {
  const requests = await withEventsPage(async (page, requests) => {
    assert.equal(await page.getAttribute('body', 'data-auth'), 'none');
    assert.equal(await page.isVisible('#events-card'), false);
    assert.equal(await page.getAttribute('#token', 'type'), 'password');
    assert.equal(await page.getAttribute('#token', 'name'), null, 'a named input would put the token in a URL on a plain submit');
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    for (const directive of ["script-src 'self'", "connect-src 'self'", "form-action 'none'", "default-src 'none'"]) {
      assert.ok(csp.includes(directive), `${directive} in ${csp}`);
    }
    await signIn(page);
    await page.locator('#events tbody tr').first().waitFor();
    assert.equal(await page.getAttribute('body', 'data-auth'), 'set');
    assert.equal(await page.inputValue('#token'), '', 'the token stays in the input');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('payhook.adminToken')), TOKEN);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.equal(await page.evaluate(() => document.cookie), '');
    assert.ok(!page.url().includes(TOKEN));
    // Reloaded in the same tab: no new prompt.
    await page.reload({ waitUntil: 'load' });
    await page.locator('#events tbody tr').first().waitFor();
    assert.equal(await page.isVisible('#token'), false);
    // Another tab of the same browser session does not get it (sessionStorage is per tab).
    const other = await page.context().newPage();
    await other.goto(`${worker.origin}/operator.html`, { waitUntil: 'load' });
    assert.equal(await other.getAttribute('body', 'data-auth'), 'none');
    assert.equal(await other.isVisible('#token'), true);
    await other.close();
    // Forget: gone from the tab, the events hidden.
    await page.click('#forget');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('payhook.adminToken')), null);
    assert.equal(await page.isVisible('#events-card'), false);
    assert.equal(await page.isVisible('#token'), true);
    assert.ok(requests.length > 0);
  });
  const api = requests.filter((r) => new URL(r.url).pathname === '/events');
  assert.ok(api.length >= 2, JSON.stringify(api.map((r) => r.url)));
  for (const r of api) assert.equal(r.headers.authorization, `Bearer ${TOKEN}`, r.url);
  for (const r of requests) {
    assert.ok(!r.url.includes(TOKEN), `the token is in a URL: ${r.url}`);
    if (new URL(r.url).pathname !== '/events') assert.equal(r.headers.authorization, undefined, `the token went to ${r.url}`);
  }
});

test('the table shows what GET /events has: provider, key, status, received time, follow-up state, fetchError', async () => {
  await withEventsPage(async (page) => {
    await signIn(page);
    await page.locator('#events tbody tr').first().waitFor();
    const events = await listed();
    const rows = await tableRows(page);
    assert.deepEqual(rows.map((r) => r.id), events.map((e) => e.id));
    for (const [i, e] of events.entries()) {
      const r = rows[i];
      assert.equal(r.provider, e.provider);
      assert.equal(r.key, e.key);
      // The stored ISO time, as UTC date and time to the second.
      assert.equal(r.received, e.receivedAt.slice(0, 19).replace('T', ' '));
      assert.equal(r.fetchError, e.fetchError ?? '—');
    }
    const byProvider = (p) => rows.filter((r) => r.provider === p);
    assert.deepEqual(byProvider('hitpay').map((r) => r.status).sort(), ['completed', 'pending']);
    assert.deepEqual(byProvider('hitpay-event').map((r) => r.status), ['created · succeeded']);
    assert.deepEqual(byProvider('hapi').map((r) => r.status), ['walletTopUp']);
    assert.deepEqual(byProvider('payex').map((r) => r.status), ['Capture · Completed']);
    assert.deepEqual(byProvider('payex').map((r) => r.followUp), ['fetched']);
    assert.deepEqual(byProvider('payex-callback').map((r) => r.followUp), ['fetched']);
    for (const p of ['hitpay', 'hitpay-event', 'hapi']) assert.ok(byProvider(p).every((r) => r.followUp === 'none'), p);
    const sr = byProvider('smart-router');
    assert.deepEqual(sr.map((r) => r.followUp).sort(), ['fetched', 'retrying']);
    const retrying = sr.find((r) => r.followUp === 'retrying');
    assert.equal(retrying.fetchError, 'HTTP 500');
    assert.equal(retrying.followUpText, 'retrying');
    assert.match(sr.find((r) => r.followUp === 'fetched').followUpText, /^fetched \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // The page as the README shows it (light, 1280 wide), a failing follow-up included.
    await page.waitForTimeout(300);
    const file = path.join(ARTIFACTS, 'operator-page.png');
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') await updateDocsScreenshot(file);
    // The payload and the fetched answer, on demand.
    const payexRow = page.locator('#events tbody tr[data-provider="payex"]');
    await payexRow.locator('summary').click();
    const json = JSON.parse(await payexRow.locator('pre').textContent());
    assert.equal(json.fetched.capture.transaction.state, 'Completed');
  });
});

test('the provider filter asks GET /events?provider= and shows only that provider', async () => {
  const requests = await withEventsPage(async (page) => {
    await signIn(page);
    await page.locator('#events tbody tr').first().waitFor();
    const before = await loads(page);
    await page.selectOption('#provider', 'smart-router');
    await nextLoad(page, before);
    const rows = await tableRows(page);
    assert.deepEqual(rows.map((r) => r.id), (await listed('&provider=smart-router')).map((e) => e.id));
    assert.ok(rows.length === 2 && rows.every((r) => r.provider === 'smart-router'));
    assert.match(await page.textContent('#status'), /2 newest events from smart-router/);
    const again = await loads(page);
    await page.selectOption('#provider', '');
    await nextLoad(page, again);
    assert.equal((await tableRows(page)).length, (await listed()).length);
  });
  const queries = requests.filter((r) => new URL(r.url).pathname === '/events').map((r) => new URL(r.url).searchParams.get('provider'));
  assert.ok(queries.includes('smart-router'), JSON.stringify(queries));
});

test('auto-refresh: a new event and a follow-up that succeeds after failing appear without a click; off stops polling', { timeout: 60_000 }, async () => {
  await withEventsPage(async (page, requests) => {
    await signIn(page);
    await page.locator('#events tbody tr').first().waitFor();
    await page.selectOption('#every', '2');
    const newKey = await hitpay();
    const row = page.locator(`#events tbody tr[data-provider="hitpay"]`, { hasText: newKey });
    await row.waitFor({ timeout: 8_000 });
    assert.match(await row.getAttribute('class'), /\bnew\b/, 'a row that arrived since the last refresh is marked');
    // A follow-up that fails: shown retrying with its error; the stand-in recovers,
    // the queue's next attempt stores it, and the page shows it fetched.
    const eventId = unique('ev_late_');
    failing.add(`/events/${eventId}`);
    await smartRouter(eventId);
    const late = page.locator('#events tbody tr[data-provider="smart-router"]', { hasText: eventId });
    await page.locator(`#events tbody tr[data-follow-up="retrying"]`, { hasText: eventId }).waitFor({ timeout: 10_000 });
    assert.equal(await late.locator('td:nth-child(7)').textContent(), 'HTTP 500');
    failing.delete(`/events/${eventId}`);
    await page.locator(`#events tbody tr[data-follow-up="fetched"]`, { hasText: eventId }).waitFor({ timeout: 20_000 });
    assert.equal(await late.locator('td:nth-child(7)').textContent(), '—');
    // Off: no more requests.
    await page.selectOption('#every', '0');
    await page.waitForTimeout(300);
    const count = requests.length;
    await page.waitForTimeout(3_000);
    assert.equal(requests.length, count, 'auto-refresh off still polls');
    assert.doesNotMatch(await page.textContent('#status'), /refreshing/);
  });
});

test('a wrong token is refused (401), forgotten and asked for again', async () => {
  await withEventsPage(async (page) => {
    await signIn(page, 'not-the-token');
    await page.locator('#token-error:not([hidden])').waitFor();
    assert.match(await page.textContent('#token-error'), /UNAUTHORIZED.*401/);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('payhook.adminToken')), null);
    assert.equal(await page.isVisible('#events-card'), false);
    assert.equal(await page.getAttribute('#token', 'aria-invalid'), 'true');
    // Then the right one.
    await signIn(page);
    await page.locator('#events tbody tr').first().waitFor();
    assert.equal(await page.isVisible('#token-error'), false);
  }, { allow: [/HTTP 401: .*\/events\?/, /status of 401/] });
});

test('stored text is shown as text, never as markup', async () => {
  const hostile = '<img src=x onerror="window.__pwned=1">';
  const key = await hitpayEvent(hostile);
  await withEventsPage(async (page) => {
    await signIn(page);
    const row = page.locator('#events tbody tr').first();
    await row.waitFor();
    assert.equal(await row.locator('td.key').textContent(), key);
    assert.equal(await page.locator('#events img').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  });
});
