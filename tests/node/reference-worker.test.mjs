// The reference Worker (worker/) as it ships: worker/public is assembled, the
// Worker is bundled by `wrangler deploy --dry-run` (payhook through its `workerd`
// entry), the D1 migrations are applied by `wrangler d1 migrations apply --local`,
// and the bundle runs in workerd through the miniflare API with D1, the queue
// (producer and consumer) and the static assets as wrangler.toml declares them.
// Webhooks are signed here with node:crypto, independently of payhook. The
// provider APIs are a stand-in server on 127.0.0.1 started by this file.
// Offline: wrangler gets no account, no metrics and no config outside the repo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';
import * as payhook from 'payhook';
import { bundleWorker, miniflareOptions, wrangler } from './lib/wrangler.mjs';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './lib/assert.mjs';

const execFileP = promisify(execFile);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = path.join(ROOT, 'worker');
const CONFIG = path.join(WORKER, 'wrangler.toml');
// Absolute on purpose: wrangler resolves relative paths against wrangler.toml's folder.
const OUTDIR = path.join(ROOT, 'tests/artifacts/reference-worker-dist');
const STATE = path.join(ROOT, 'tests/artifacts/reference-worker-state');

const SECRETS = {
  HITPAY_SALT: 'test-hitpay-salt-7f3a',
  CALLBACK_SECRET: 'test-callback-secret-91c2',
  SMART_ROUTER_WEBHOOK_USER: 'sr-hook-user',
  SMART_ROUTER_WEBHOOK_PASSWORD: 'sr-hook-pass-55e1',
  SMART_ROUTER_PROJECT_ID: 'proj_test_0b7d',
  SMART_ROUTER_PRIVATE_KEY: 'key_test_private_c4d9',
  PAYEX_TOKEN: 'payex-token-test-e8a0',
  ADMIN_TOKEN: 'admin-token-test-2d6f',
};
const ORIGIN = 'http://127.0.0.1:8787';

let mf;
let mfOptions; // what mf was started with (a test restarts it with another setting)
let db;
let buildLog = '';
let runtimeLog = '';
let api; // the stand-in provider API
const apiRequests = []; // { method, url, authorization, accept }
const apiFailures = new Map(); // path -> how many more times to answer 500
const apiResources = new Map(); // PayEx path -> the JSON the stand-in answers (else 404)

// ------------------------------------------------------------------ helpers


async function request(pathAndQuery, init = {}) {
  const res = await mf.dispatchFetch(new URL(pathAndQuery, ORIGIN), init);
  const text = await res.text();
  let body = text;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body };
}

const post = (pathAndQuery, body, contentType, headers = {}) =>
  request(pathAndQuery, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });

async function rows(provider, key) {
  const { results } = await db
    .prepare('SELECT * FROM events WHERE provider = ?1 AND (?2 IS NULL OR dedupe_key = ?2) ORDER BY id')
    .bind(provider, key ?? null)
    .all();
  return results;
}

const totalRows = async () => (await db.prepare('SELECT COUNT(*) AS n FROM events').first()).n;

function assertRefused(res, status, code) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.ok, false);
  assert.equal(res.body.code, code, JSON.stringify(res.body));
}

function assertStored(res, duplicate) {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body, { ok: true, duplicate });
}

/** A request body streamed in chunks, so that it has no Content-Length. */
function streamed(totalBytes, chunkBytes = 16 * 1024) {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const n = Math.min(chunkBytes, totalBytes - sent);
      controller.enqueue(new Uint8Array(n).fill(0x61));
      sent += n;
    },
  });
}

// HitPay form webhooks: every field but hmac, sorted by the UTF-8 bytes of the
// key, key + value concatenated, HMAC-SHA256 hex with the salt.
function hitpayForm(fields, salt = SECRETS.HITPAY_SALT) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const hmac = createHmac('sha256', salt).update(keys.map((k) => k + fields[k]).join('')).digest('hex');
  const params = new URLSearchParams(fields);
  params.append('hmac', hmac);
  return params.toString();
}

const hitpayEventSignature = (body, salt = SECRETS.HITPAY_SALT) => createHmac('sha256', salt).update(body).digest('hex');

// Signed callback URLs: HMAC-SHA256 (base64url) of path + '?' + the query pairs
// except sig and the ignored keys, re-serialised as URLSearchParams does.
function signUrl(url, { exp, secret = SECRETS.CALLBACK_SECRET, ignore = [] } = {}) {
  const u = new URL(url, ORIGIN);
  if (exp !== undefined) u.searchParams.append('exp', String(exp));
  const pairs = [...u.searchParams].filter(([k]) => k !== 'sig' && !ignore.includes(k));
  const message = `${u.pathname}?${new URLSearchParams(pairs)}`;
  u.searchParams.append('sig', createHmac('sha256', secret).update(message).digest('base64url'));
  return u.pathname + u.search;
}

const basic = (user, pass) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const SR_AUTH = basic(SECRETS.SMART_ROUTER_WEBHOOK_USER, SECRETS.SMART_ROUTER_WEBHOOK_PASSWORD);
const ADMIN = { authorization: `Bearer ${SECRETS.ADMIN_TOKEN}` };
const now = () => Math.floor(Date.now() / 1000);
let serial = 0;
const unique = (prefix) => `${prefix}${process.pid}_${Date.now()}_${++serial}`;
const guid = () => {
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

// ------------------------------------------------------------------ setup

function startApi() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    apiRequests.push({ method: req.method, path: url.pathname, authorization: req.headers.authorization, accept: req.headers.accept });
    const failures = apiFailures.get(url.pathname) ?? 0;
    if (failures > 0) {
      apiFailures.set(url.pathname, failures - 1);
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"stand-in failure"}');
      return;
    }
    const event = /^\/events\/([\w-]+)$/.exec(url.pathname);
    const answer = event
      ? { success: true, event: { id: event[1], name: 'transaction.captured', data: { transaction: { amount: '25.00' } } } }
      : apiResources.get(url.pathname) ?? null;
    res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(answer ?? { error: 'not found' }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  await rm(STATE, { recursive: true, force: true });
  await execFileP(process.execPath, [path.join(WORKER, 'scripts/assemble-public.mjs')], { cwd: WORKER, timeout: 120_000 });
  buildLog = await bundleWorker(CONFIG, OUTDIR);
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', STATE, '--config', CONFIG], WORKER);

  api = await startApi();
  const apiBase = `http://127.0.0.1:${api.address().port}`;

  // Bindings, D1, queues and assets exactly as wrangler.toml declares them (read
  // by wrangler itself), with test secrets and the stand-in API; only the queue's
  // delays are shortened.
  const { unstable_getMiniflareWorkerOptions: workerOptions } = await import('wrangler');
  const { workerOptions: config } = workerOptions(CONFIG);
  const queueConsumers = Object.fromEntries(
    Object.entries(config.queueConsumers).map(([name, c]) => [name, { ...c, maxBatchTimeout: 0, retryDelay: 0 }]),
  );
  mfOptions = miniflareOptions(OUTDIR, {
    compatibilityDate: config.compatibilityDate,
    bindings: { ...config.bindings, ...SECRETS, SMART_ROUTER_API_BASE: apiBase, PAYEX_API_BASE: apiBase },
    d1Databases: config.d1Databases,
    d1Persist: path.join(STATE, 'v3/d1'),
    queueProducers: config.queueProducers,
    queueConsumers,
    assets: config.assets,
    ratelimits: config.ratelimits,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on('data', (chunk) => { runtimeLog += chunk; });
      stderr.on('data', (chunk) => { runtimeLog += chunk; });
    },
  });
  mf = new Miniflare(mfOptions);
  await mf.ready;
  db = await mf.getD1Database('DB');
}, { timeout: 180_000 });

after(async () => {
  try {
    await mf?.dispose();
  } finally {
    await new Promise((resolve) => (api ? api.close(resolve) : resolve()));
    // What the Worker logged, for a look after a failure.
    await writeFile(path.join(ROOT, 'tests/artifacts/reference-worker.log'), runtimeLog).catch(() => {});
  }
});

// ------------------------------------------------------------------ bundle

test('the dry run bundles the workerd entry with the .wasm as a compiled module', async (t) => {
  const size = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(buildLog);
  assert.ok(size, buildLog);
  t.diagnostic(`upload size: ${size[1]} raw, ${size[2]} gzip`);
  const files = await readdir(OUTDIR);
  const wasm = files.find((f) => f.endsWith('.wasm'));
  assert.ok(wasm, files.join(', '));
  const bundle = await readFile(path.join(OUTDIR, 'index.js'), 'utf8');
  assert.ok(bundle.includes(`from"./${wasm}"`) || bundle.includes(`from "./${wasm}"`), 'the bundle imports the .wasm module');
  const map = JSON.parse(await readFile(path.join(OUTDIR, 'index.js.map'), 'utf8'));
  assert.ok(map.sources.some((s) => s.endsWith('pkg/workerd.js')), map.sources.join(', '));
  assert.ok(!map.sources.some((s) => /pkg\/(node|browser)\.js$/.test(s)));
  assert.match(buildLog, /env\.DB .*D1 Database/);
  assert.match(buildLog, /env\.FOLLOWUPS .*Queue/);
});

// ------------------------------------------------------------------ HitPay form webhooks

// A HitPay payment webhook as HitPay sends it (the Worker verifies in strict mode).
const hitpayFields = (paymentId) => ({
  payment_id: paymentId,
  payment_request_id: '9d3c1e5a-1b2c-4d3e-8f40-5a6b7c8d9e0f',
  reference_number: 'ORDER 42/ä&x',
  amount: '2500.00',
  currency: 'SGD',
  status: 'completed',
});
const FORM = 'application/x-www-form-urlencoded';

test('HitPay webhook: stored once, a repeated delivery is a duplicate', async () => {
  const id = randomUUID();
  const body = hitpayForm(hitpayFields(id));
  assertStored(await post('/webhooks/hitpay', body, FORM), false);
  assertStored(await post('/webhooks/hitpay', body, `${FORM}; charset=UTF-8`), true);
  const stored = await rows('hitpay', `${id}:completed`);
  assert.equal(stored.length, 1);
  assert.equal(stored[0].kind, 'completed');
  const payload = JSON.parse(stored[0].payload);
  assert.equal(payload.amount, '2500.00');
  assert.deepEqual(payload.fields, hitpayFields(id));
});

test('HitPay webhook: refusals store nothing (401, 400, 413, 415, 405)', async () => {
  const id = randomUUID();
  const fields = hitpayFields(id);
  const before = await totalRows();
  const wrongSalt = await post('/webhooks/hitpay', hitpayForm(fields, 'another salt'), FORM);
  assertRefused(wrongSalt, 401, 'SIGNATURE_MISMATCH');
  const changed = hitpayForm(fields).replace('2500.00', '2500.01');
  assertRefused(await post('/webhooks/hitpay', changed, FORM), 401, 'SIGNATURE_MISMATCH');
  assertRefused(await post('/webhooks/hitpay', new URLSearchParams(fields).toString(), FORM), 401, 'MISSING_SIGNATURE');
  assertRefused(await post('/webhooks/hitpay', `payment_id=%zz&hmac=${'0'.repeat(64)}`, FORM), 400, 'MALFORMED_BODY');
  // Strict mode: a signed body that is not a well-formed HitPay payment webhook.
  const { payment_id: _omitted, ...noPaymentIdFields } = fields;
  const missing = await post('/webhooks/hitpay', hitpayForm(noPaymentIdFields), FORM);
  assertRefused(missing, 400, 'INVALID_FIELD');
  assert.equal(missing.body.field, 'payment_id');
  // The genuine message re-split: `currency` and its value folded into the
  // amount (keys sort as amount, currency, …), so the same hmac verifies; strict
  // mode refuses it.
  const genuine = hitpayForm(fields);
  const hmac = new URLSearchParams(genuine).get('hmac');
  const { currency: _currency, ...rest } = fields;
  const resplit = new URLSearchParams({ ...rest, amount: `${fields.amount}currency${fields.currency}` });
  const resplitBody = `${resplit}&hmac=${hmac}`;
  assert.equal(payhook.verifyHitpayWebhook(resplitBody, SECRETS.HITPAY_SALT).amount, '2500.00currencySGD');
  const refused = await post('/webhooks/hitpay', resplitBody, FORM);
  assertRefused(refused, 400, 'INVALID_FIELD');
  assert.equal(refused.body.field, 'amount');
  const big = `${hitpayForm(fields)}&pad=${'a'.repeat(64 * 1024)}`;
  assertRefused(await post('/webhooks/hitpay', big, FORM), 413, 'PAYLOAD_TOO_LARGE');
  // Without Content-Length: refused while streaming, once past the limit. The
  // stream ends with the byte over the limit: through miniflare's (and wrangler
  // dev's) proxy, a client still sending when the Worker answers sees a reset
  // connection (wrangler dev: 503) instead of the 413 that workerd itself sends.
  const chunked = await request('/webhooks/hitpay', {
    method: 'POST', body: streamed(64 * 1024 + 1), duplex: 'half', headers: { 'content-type': FORM },
  });
  assertRefused(chunked, 413, 'PAYLOAD_TOO_LARGE');
  assertRefused(await post('/webhooks/hitpay', hitpayForm(fields), 'application/json'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  assertRefused(await post('/webhooks/hitpay', hitpayForm(fields), 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  const get = await request('/webhooks/hitpay');
  assertRefused(get, 405, 'METHOD_NOT_ALLOWED');
  assert.equal(get.headers.get('allow'), 'POST');
  assert.equal(await totalRows(), before);
});

test('HitPay webhook: a body of exactly 64 KiB is read (the limit is inclusive)', async () => {
  const id = randomUUID();
  const base = hitpayForm({ ...hitpayFields(id), reference_number: '' });
  const pad = 'p'.repeat(64 * 1024 - base.length);
  const body = hitpayForm({ ...hitpayFields(id), reference_number: pad });
  assert.equal(body.length, 64 * 1024);
  assertStored(await post('/webhooks/hitpay', body, FORM), false);
  const chunked = await request('/webhooks/hitpay', {
    method: 'POST', body: new Blob([body]).stream(), duplex: 'half', headers: { 'content-type': FORM },
  });
  assertStored(chunked, true);
});

test('HitPay webhook: 100 concurrent deliveries of one webhook, all 200, exactly one row', async () => {
  const id = randomUUID();
  const body = hitpayForm(hitpayFields(id));
  const answers = await Promise.all(Array.from({ length: 100 }, () => post('/webhooks/hitpay', body, FORM)));
  for (const res of answers) assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(answers.filter((res) => res.body.duplicate === false).length, 1);
  assert.equal(answers.filter((res) => res.body.duplicate === true).length, 99);
  assert.equal((await rows('hitpay', `${id}:completed`)).length, 1);
});

test('HitPay webhook: each signed status of a payment is stored (pending, then completed), each once', async () => {
  const id = randomUUID();
  const pending = hitpayForm({ ...hitpayFields(id), status: 'pending' });
  const completed = hitpayForm(hitpayFields(id));
  assertStored(await post('/webhooks/hitpay', pending, FORM), false);
  assertStored(await post('/webhooks/hitpay', completed, FORM), false);
  assertStored(await post('/webhooks/hitpay', pending, FORM), true);
  assertStored(await post('/webhooks/hitpay', completed, FORM), true);
  const stored = (await rows('hitpay')).filter((r) => r.dedupe_key.startsWith(`${id}:`));
  assert.deepEqual(stored.map((r) => [r.dedupe_key, r.kind]), [[`${id}:pending`, 'pending'], [`${id}:completed`, 'completed']]);
  assert.deepEqual(stored.map((r) => JSON.parse(r.payload).status), ['pending', 'completed']);
});

test('HitPay webhooks: HITPAY_ALLOWED_IPS lets only the listed CF-Connecting-IP addresses through (403 otherwise)', async (t) => {
  // Off in wrangler.toml (empty): any address, or none, is let through.
  assertStored(await post('/webhooks/hitpay', hitpayForm(hitpayFields(randomUUID())), FORM, { 'cf-connecting-ip': '198.51.100.9' }), false);
  await mf.setOptions({ ...mfOptions, bindings: { ...mfOptions.bindings, HITPAY_ALLOWED_IPS: ' 192.0.2.10, 2001:DB8::7 ,' } });
  db = await mf.getD1Database('DB');
  t.after(async () => {
    await mf.setOptions(mfOptions);
    db = await mf.getD1Database('DB');
  });
  const before = await totalRows();
  const form = hitpayForm(hitpayFields(randomUUID()));
  const eventBody = JSON.stringify({ id: unique('charge_'), status: 'succeeded' });
  const eventHeaders = (ip) => ({ 'hitpay-signature': hitpayEventSignature(eventBody), 'cf-connecting-ip': ip });
  for (const ip of ['192.0.2.11', '192.0.2.1', '10.0.0.1', '2001:db8::8', '']) {
    assertRefused(await post('/webhooks/hitpay', form, FORM, { 'cf-connecting-ip': ip }), 403, 'FORBIDDEN');
    assertRefused(await post('/webhooks/hitpay/events', eventBody, 'application/json', eventHeaders(ip)), 403, 'FORBIDDEN');
  }
  assertRefused(await post('/webhooks/hitpay', form, FORM), 403, 'FORBIDDEN'); // no CF-Connecting-IP at all
  assert.equal(await totalRows(), before);
  assertStored(await post('/webhooks/hitpay', form, FORM, { 'cf-connecting-ip': '192.0.2.10' }), false);
  assertStored(await post('/webhooks/hitpay', form, FORM, { 'cf-connecting-ip': '2001:db8::7' }), true);
  assertStored(await post('/webhooks/hitpay/events', eventBody, 'application/json', eventHeaders('192.0.2.10')), false);
  // Other providers are not concerned.
  const events = await request('/events?limit=1', { headers: { ...ADMIN, 'cf-connecting-ip': '10.0.0.1' } });
  assert.equal(events.status, 200);
});

// ------------------------------------------------------------------ HitPay events

test('HitPay event: stored once per signed body; an update of the same object is a new row', async () => {
  const id = unique('charge_');
  const created = JSON.stringify({ id, status: 'succeeded', amount: 1.11, currency: 'sgd' });
  const headers = (body) => ({ 'hitpay-signature': hitpayEventSignature(body), 'hitpay-event-type': 'created', 'hitpay-event-object': 'charge' });
  assertStored(await post('/webhooks/hitpay/events', created, 'application/json', headers(created)), false);
  assertStored(await post('/webhooks/hitpay/events', created, 'application/json', headers(created)), true);
  const updated = JSON.stringify({ id, status: 'refunded', amount: 1.11, currency: 'sgd' });
  assertStored(await post('/webhooks/hitpay/events', updated, 'application/json', headers(updated)), false);
  const stored = await rows('hitpay-event');
  const mine = stored.filter((r) => r.dedupe_key.startsWith(`${id}:`));
  assert.equal(mine.length, 2);
  assert.deepEqual(JSON.parse(mine[0].payload), { object: 'charge', type: 'created', event: JSON.parse(created) });
});

test('HitPay event: refusals store nothing (401, 400, 413, 415, 405)', async () => {
  const before = await totalRows();
  const body = JSON.stringify({ id: unique('charge_'), status: 'succeeded' });
  const url = '/webhooks/hitpay/events';
  const wrong = hitpayEventSignature(body, 'another salt');
  assertRefused(await post(url, body, 'application/json', { 'hitpay-signature': wrong }), 401, 'SIGNATURE_MISMATCH');
  assertRefused(await post(url, body, 'application/json'), 401, 'MISSING_SIGNATURE');
  assertRefused(await post(url, body, 'application/json', { 'hitpay-signature': 'xyz' }), 401, 'MALFORMED_SIGNATURE');
  const notJson = '{"id": ';
  assertRefused(await post(url, notJson, 'application/json', { 'hitpay-signature': hitpayEventSignature(notJson) }), 400, 'MALFORMED_BODY');
  const big = JSON.stringify({ id: 'x', pad: 'a'.repeat(1024 * 1024) });
  assertRefused(await post(url, big, 'application/json', { 'hitpay-signature': hitpayEventSignature(big) }), 413, 'PAYLOAD_TOO_LARGE');
  const chunked = await request(url, {
    method: 'POST', body: streamed(1024 * 1024 + 1), duplex: 'half',
    headers: { 'content-type': 'application/json', 'hitpay-signature': '0'.repeat(64) },
  });
  assertRefused(chunked, 413, 'PAYLOAD_TOO_LARGE');
  assertRefused(await post(url, body, FORM, { 'hitpay-signature': hitpayEventSignature(body) }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  assertRefused(await request(url, { method: 'PUT', body }), 405, 'METHOD_NOT_ALLOWED');
  assert.equal(await totalRows(), before);
});

// ------------------------------------------------------------------ HAPI

test('HAPI: GET /hapi/callback-url signs a fresh URL; a top-up and a campaign order are stored once', async () => {
  const issued = await request('/hapi/callback-url?orderId=o-1&note=a+b');
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  const url = new URL(issued.body.url);
  assert.equal(url.origin + url.pathname, `${ORIGIN}/webhooks/hapi`);
  assert.deepEqual([...url.searchParams.keys()], ['orderId', 'note', 'cbid', 'exp', 'sig']);
  assert.equal(url.searchParams.get('note'), 'a b');
  assert.equal(Number(url.searchParams.get('exp')), issued.body.expiresAt);
  assert.ok(issued.body.expiresAt > now() + 3500 && issued.body.expiresAt <= now() + 3600);
  // Recomputed here with node:crypto: the Worker signed exactly the path and query.
  const unsigned = new URL(url);
  unsigned.searchParams.delete('sig');
  unsigned.searchParams.delete('exp');
  assert.equal(signUrl(unsigned.href, { exp: issued.body.expiresAt }), url.pathname + url.search);
  const again = await request('/hapi/callback-url?orderId=o-1&note=a+b');
  assert.notEqual(new URL(again.body.url).searchParams.get('cbid'), url.searchParams.get('cbid'));

  const walletId = unique('wallet_');
  const cbid = url.searchParams.get('cbid');
  const topUp = `${url.pathname}${url.search}&amount=25.00&walletId=${walletId}`;
  assertStored(await post(topUp, '', 'application/json'), false);
  assertStored(await post(topUp, '', 'application/json'), true);
  const [row] = await rows('hapi', cbid);
  assert.equal(row.kind, 'walletTopUp');
  const payload = JSON.parse(row.payload);
  assert.deepEqual(payload.claims, { amount: '25.00', walletId, draftCampaignId: null });
  assert.deepEqual(payload.params, { orderId: 'o-1', note: 'a b', cbid });
  // A second top-up of the same wallet comes through another issued URL: a new row.
  const second = new URL((await request('/hapi/callback-url?orderId=o-2')).body.url);
  assertStored(await post(`${second.pathname}${second.search}&amount=10&walletId=${walletId}`, '', 'text/plain'), false);
  assert.equal(JSON.parse((await rows('hapi', second.searchParams.get('cbid')))[0].payload).claims.amount, '10');

  const campaign = unique('draft_');
  const third = new URL((await request('/hapi/callback-url?orderId=o-3')).body.url);
  const order = `${third.pathname}${third.search}&draftCampaignId=${campaign}&amount=99.5&walletId=${walletId}`;
  assertStored(await post(order, '', 'application/json'), false);
  assertStored(await post(order, '', 'application/json'), true);
  const [campaignRow] = await rows('hapi', third.searchParams.get('cbid'));
  assert.equal(campaignRow.kind, 'directChargeCampaignOrder');
  assert.deepEqual(JSON.parse(campaignRow.payload).claims, { amount: '99.5', walletId, draftCampaignId: campaign });
});

test('HAPI: one event per issued URL; a claim posted first through another URL cannot make the genuine callback a duplicate', async () => {
  const campaign = unique('draft_');
  // The attacker asks for a URL of their own (GET /hapi/callback-url is public)
  // and posts the victim's campaign id with a small amount; then 199 more
  // claims through the same URL, campaign orders and top-ups of other wallets.
  const attacker = new URL((await request('/hapi/callback-url?orderId=mine')).body.url);
  const through = (claims) => post(`${attacker.pathname}${attacker.search}&${claims}`, '', 'application/json');
  assertStored(await through(`draftCampaignId=${campaign}&amount=0.01&walletId=w-attacker`), false);
  const claims = Array.from({ length: 199 }, (_, i) => (i % 2
    ? `draftCampaignId=${campaign}-${i}&amount=0.0${i % 9 + 1}&walletId=w-attacker`
    : `amount=${i + 1}.00&walletId=w-${i}`));
  const answers = [];
  for (let i = 0; i < claims.length; i += 20) answers.push(...await Promise.all(claims.slice(i, i + 20).map(through)));
  assert.ok(answers.every((res) => res.status === 200 && res.body.duplicate === true), JSON.stringify(answers.find((res) => !res.body.duplicate)));
  assert.equal((await rows('hapi', attacker.searchParams.get('cbid'))).length, 1);

  // HAPI calls the genuine URL for the same campaign: stored, with its own claims.
  const genuine = new URL((await request('/hapi/callback-url?orderId=real')).body.url);
  assertStored(await post(`${genuine.pathname}${genuine.search}&draftCampaignId=${campaign}&amount=1500.00&walletId=w-1`, '', 'application/json'), false);
  const [row] = await rows('hapi', genuine.searchParams.get('cbid'));
  assert.deepEqual(JSON.parse(row.payload).claims, { amount: '1500.00', walletId: 'w-1', draftCampaignId: campaign });
  const forCampaign = (await rows('hapi')).filter((r) => JSON.parse(r.payload).claims.draftCampaignId === campaign);
  assert.deepEqual(forCampaign.map((r) => JSON.parse(r.payload).claims.amount), ['0.01', '1500.00']);
});

test('HAPI: GET /hapi/callback-url is rate-limited per client IP (60 a minute, 429 past that)', async () => {
  const from = (ip) => ({ headers: { 'cf-connecting-ip': ip } });
  const minute = () => Math.floor(Date.now() / 60_000);
  // The binding counts per calendar minute: a burst that straddles two minutes
  // is tried again from another address.
  let answers;
  let limited;
  for (let attempt = 0; ; attempt++) {
    const ip = `198.51.100.${10 + attempt}`;
    const start = minute();
    answers = await Promise.all(Array.from({ length: 60 }, () => request('/hapi/callback-url?orderId=o', from(ip))));
    limited = await request('/hapi/callback-url?orderId=o', from(ip));
    if (minute() === start || attempt === 3) break;
  }
  assert.deepEqual([...new Set(answers.map((res) => res.status))], [200]);
  assertRefused(limited, 429, 'RATE_LIMITED');
  assert.equal(limited.headers.get('retry-after'), '60');
  assert.equal(limited.headers.get('content-type'), 'application/json; charset=utf-8');
  // Another client is not affected; URLs already issued still work.
  assert.equal((await request('/hapi/callback-url?orderId=o', from('203.0.113.5'))).status, 200);
  const issued = new URL(answers[0].body.url);
  assertStored(await post(`${issued.pathname}${issued.search}&amount=1.00&walletId=w`, '', 'application/json'), false);
});

test('HAPI: refusals store nothing (401 signature/expiry, 400, 413, 405)', async () => {
  const before = await totalRows();
  const issued = new URL((await request('/hapi/callback-url?orderId=o-1')).body.url);
  const claims = '&amount=25.00&walletId=w-1';
  const tampered = `${issued.pathname}${issued.search.replace('orderId=o-1', 'orderId=o-2')}${claims}`;
  assertRefused(await post(tampered, '', 'application/json'), 401, 'SIGNATURE_MISMATCH');
  assertRefused(await post(`/webhooks/hapi?orderId=o-1&cbid=x${claims}`, '', 'application/json'), 401, 'MISSING_SIGNATURE');
  const forged = signUrl('/webhooks/hapi?orderId=o-1&cbid=x', { secret: 'not the secret', exp: now() + 60 });
  assertRefused(await post(`${forged}${claims}`, '', 'application/json'), 401, 'SIGNATURE_MISMATCH');
  const expired = signUrl('/webhooks/hapi?orderId=o-1&cbid=x', { exp: now() - 10 });
  assertRefused(await post(`${expired}${claims}`, '', 'application/json'), 401, 'EXPIRED');
  const missing = await post(`${issued.pathname}${issued.search}&amount=25.00`, '', 'application/json');
  assertRefused(missing, 400, 'MISSING_FIELD');
  assert.equal(missing.body.field, 'walletId');
  assertRefused(await post(`${issued.pathname}${issued.search}&amount=abc&walletId=w`, '', 'application/json'), 400, 'INVALID_FIELD');
  const long = signUrl(`/webhooks/hapi?cbid=x&pad=${'a'.repeat(8 * 1024)}`, { exp: now() + 60 });
  assertRefused(await post(`${long}${claims}`, '', 'application/json'), 413, 'PAYLOAD_TOO_LARGE');
  assertRefused(await request(`${issued.pathname}${issued.search}${claims}`), 405, 'METHOD_NOT_ALLOWED');
  // Signed with the right secret but not issued by /hapi/callback-url (no cbid).
  const noCbid = signUrl('/webhooks/hapi?orderId=o-1', { exp: now() + 60 });
  assertRefused(await post(`${noCbid}${claims}`, '', 'application/json'), 400, 'MISSING_FIELD');
  assert.equal(await totalRows(), before);

  // The URL endpoint refuses what it must not sign.
  assertRefused(await request('/hapi/callback-url?amount=5'), 400, 'RESERVED_QUERY_KEY');
  assertRefused(await request('/hapi/callback-url?WalletID=5'), 400, 'RESERVED_QUERY_KEY');
  assertRefused(await request('/hapi/callback-url?cbid=mine'), 400, 'RESERVED_QUERY_KEY');
  assertRefused(await request('/hapi/callback-url?sig=x'), 400, 'RESERVED_QUERY_KEY');
  assertRefused(await request('/hapi/callback-url?a=1&a=2'), 400, 'DUPLICATE_FIELD');
  assertRefused(await request('/hapi/callback-url', { method: 'POST' }), 405, 'METHOD_NOT_ALLOWED');
});

// ------------------------------------------------------------------ Smart Router

const srRequestsFor = (eventId) => apiRequests.filter((r) => r.path === `/events/${eventId}`);

test('Smart Router: stored once; the queue consumer GETs the event with the project credentials and stores it', async () => {
  const eventId = unique('ev_');
  const body = JSON.stringify({ event_id: eventId, event_type: 'transaction.captured' });
  assertStored(await post('/webhooks/smart-router', body, 'application/json', { authorization: SR_AUTH }), false);
  const [row] = await waitFor(async () => {
    const r = await rows('smart-router', eventId);
    return r[0]?.fetched ? r : null;
  }, 'the Smart Router follow-up');
  assert.equal(row.kind, 'transaction.captured');
  assert.deepEqual(JSON.parse(row.fetched).event.id, eventId);
  const [call] = srRequestsFor(eventId);
  assert.equal(call.method, 'GET');
  assert.equal(call.authorization, basic(SECRETS.SMART_ROUTER_PROJECT_ID, SECRETS.SMART_ROUTER_PRIVATE_KEY));
  assert.equal(call.accept, 'application/json');
  // A repeated delivery: 200, nothing new stored, no second fetch queued.
  assertStored(await post('/webhooks/smart-router', body, 'application/json', { authorization: SR_AUTH }), true);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(srRequestsFor(eventId).length, 1);
  assert.equal((await rows('smart-router', eventId)).length, 1);
});

test('Smart Router: an API error is retried by the queue and nothing is lost', async () => {
  const eventId = unique('ev_');
  apiFailures.set(`/events/${eventId}`, 2);
  const body = JSON.stringify({ event_id: eventId });
  assertStored(await post('/webhooks/smart-router', body, 'application/json', { authorization: SR_AUTH }), false);
  const [row] = await waitFor(async () => {
    const r = await rows('smart-router', eventId);
    return r[0]?.fetched ? r : null;
  }, 'the retried Smart Router follow-up');
  assert.equal(srRequestsFor(eventId).length, 3); // 500, 500, 200
  assert.equal(row.fetch_error, null);
  assert.equal(JSON.parse(row.fetched).event.id, eventId);
});

test('Smart Router: refusals store nothing and fetch nothing (401, 400, 413, 415, 405)', async () => {
  const before = await totalRows();
  const calls = apiRequests.length;
  const body = JSON.stringify({ event_id: unique('ev_') });
  const url = '/webhooks/smart-router';
  assertRefused(await post(url, body, 'application/json'), 401, 'UNAUTHORIZED');
  const wrong = await post(url, body, 'application/json', { authorization: basic(SECRETS.SMART_ROUTER_WEBHOOK_USER, 'wrong') });
  assertRefused(wrong, 401, 'UNAUTHORIZED');
  assert.match(wrong.headers.get('www-authenticate'), /^Basic /);
  assertRefused(await post(url, body, 'application/json', { authorization: 'Basic !!!' }), 401, 'UNAUTHORIZED');
  assertRefused(await post(url, '{"event_id": "a b"}', 'application/json', { authorization: SR_AUTH }), 400, 'INVALID_FIELD');
  assertRefused(await post(url, '[1]', 'application/json', { authorization: SR_AUTH }), 400, 'MALFORMED_BODY');
  assertRefused(await post(url, '{}', 'application/json', { authorization: SR_AUTH }), 400, 'MISSING_FIELD');
  const big = JSON.stringify({ event_id: 'ev_1', pad: 'a'.repeat(64 * 1024) });
  assertRefused(await post(url, big, 'application/json', { authorization: SR_AUTH }), 413, 'PAYLOAD_TOO_LARGE');
  assertRefused(await post(url, body, FORM, { authorization: SR_AUTH }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  assertRefused(await request(url, { headers: { authorization: SR_AUTH } }), 405, 'METHOD_NOT_ALLOWED');
  assert.equal(await totalRows(), before);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(apiRequests.length, calls);
});

// ------------------------------------------------------------------ PayEx

async function payexUrl(orderReference) {
  const res = await request(`/payex/callback-url?orderReference=${encodeURIComponent(orderReference)}`, { headers: ADMIN });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const url = new URL(res.body.url);
  return url.pathname + url.search;
}

/**
 * A capture of a new card payment, as PayEx's API answers a GET of it (the
 * stand-in serves it), and the callback body that names it.
 */
function payexBody(orderReference) {
  const payment = `/psp/creditcard/payments/${guid()}`;
  const transaction = `${payment}/captures/${guid()}`;
  const transactionNumber = 1_000_000 + Math.floor(Math.random() * 1e9);
  apiResources.set(transaction, {
    payment,
    capture: {
      id: transaction,
      transaction: {
        id: `${payment}/transactions/${guid()}`, number: transactionNumber, type: 'Capture', state: 'Completed', amount: 150000,
      },
    },
  });
  return {
    payment,
    transaction,
    transactionNumber,
    body: JSON.stringify({
      orderReference,
      payment: { id: payment, number: transactionNumber - 1 },
      transaction: { id: transaction, number: transactionNumber },
    }),
  };
}

/** The events (`payex`) and recorded callbacks (`payex-callback`) of one order reference. */
async function payexRows(reference) {
  const mine = (r) => JSON.parse(r.payload).orderReference === reference;
  return { events: (await rows('payex')).filter(mine), callbacks: (await rows('payex-callback')).filter(mine) };
}

test('PayEx: GET /payex/callback-url needs the admin token and signs a per-payment URL', async () => {
  assertRefused(await request('/payex/callback-url?orderReference=PO-1'), 401, 'UNAUTHORIZED');
  const wrong = { authorization: 'Bearer not-the-token' };
  assertRefused(await request('/payex/callback-url?orderReference=PO-1', { headers: wrong }), 401, 'UNAUTHORIZED');
  assertRefused(await request('/payex/callback-url', { headers: ADMIN }), 400, 'MISSING_FIELD');
  const url = new URL(await payexUrl('PO 1/ä'), ORIGIN);
  assert.equal(url.pathname, '/webhooks/payex/PO%201%2F%C3%A4');
  assert.deepEqual([...url.searchParams.keys()], ['exp', 'sig']);
  assert.ok(Number(url.searchParams.get('exp')) > now() + 29 * 86400);
});

test('PayEx: the callback is recorded once; the event is keyed by what the follow-up GET (with the token) confirms', async () => {
  const reference = unique('PO-');
  const url = await payexUrl(reference);
  const { transaction, transactionNumber, body } = payexBody(reference);
  assertStored(await post(url, body, 'application/json'), false);
  assertStored(await post(url, body, 'application/json; charset=utf-8'), true);
  const key = `transaction:${transactionNumber}:order:${reference}`;
  const [event] = await waitFor(async () => {
    const r = await rows('payex', key);
    return r[0] ? r : null;
  }, 'the PayEx event');
  assert.equal(event.kind, 'Capture');
  assert.deepEqual(JSON.parse(event.fetched), apiResources.get(transaction));
  const payload = JSON.parse(event.payload);
  assert.equal(payload.orderReference, reference);
  assert.equal(payload.resource, transaction);
  assert.deepEqual(payload.transaction, { ...apiResources.get(transaction).capture.transaction, id: payload.transaction.id });
  // The recorded callback: the body's claims, keyed by the SHA-256 of the order reference and body.
  const { callbacks } = await waitFor(async () => {
    const r = await payexRows(reference);
    return r.callbacks[0]?.fetched ? r : null;
  }, 'the recorded callback');
  assert.equal(callbacks.length, 1);
  const expectedKey = createHash('sha256').update(`${Buffer.byteLength(reference)}:${reference}`).update(body).digest('hex');
  assert.equal(callbacks[0].dedupe_key, expectedKey);
  assert.equal(JSON.parse(callbacks[0].payload).transactionNumber, transactionNumber);
  assert.equal(payload.callback, expectedKey);
  const calls = apiRequests.filter((r) => r.path === transaction);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].method, 'GET');
  assert.equal(calls[0].authorization, `Bearer ${SECRETS.PAYEX_TOKEN}`);

  // A payment order callback (no transaction), on a URL signed here with node:crypto:
  // keyed by the order's number and status as the API reports them.
  const order = `/psp/paymentorders/${guid()}`;
  const number = 40_000_000_000 + Math.floor(Math.random() * 1e9);
  apiResources.set(order, { paymentOrder: { id: order, orderReference: `${reference}-b`, status: 'Paid', number } });
  const signed = signUrl(`/webhooks/payex/${reference}-b`, { exp: now() + 600 });
  const poBody = JSON.stringify({ orderReference: `${reference}-b`, paymentOrder: { id: order, instrument: 'Swish', number } });
  assertStored(await post(signed, poBody, 'application/json'), false);
  await waitFor(async () => (await rows('payex', `paymentOrder:${number}:Paid:order:${reference}-b`))[0], 'the payment order event');
  assert.equal(apiRequests.filter((r) => r.path === order).length, 1);
});

test('PayEx: a forged early body cannot make the genuine callback vanish', async () => {
  const reference = unique('PO-');
  const url = await payexUrl(reference);
  const { payment, transaction, transactionNumber, body } = payexBody(reference);
  // Whoever holds the order's URL posts, ahead of PayEx, bodies that claim the
  // genuine transaction number: one naming a transaction the API does not know,
  // one naming the genuine transaction with another number.
  const bogus = `${payment}/captures/${guid()}`;
  const forgedUnknown = JSON.stringify({ orderReference: reference, payment: { id: payment, number: 1 }, transaction: { id: bogus, number: transactionNumber } });
  const forgedNumber = JSON.stringify({ orderReference: reference, payment: { id: payment, number: 1 }, transaction: { id: transaction, number: 7 } });
  assertStored(await post(url, forgedUnknown, 'application/json'), false);
  assertStored(await post(url, forgedNumber, 'application/json'), false);
  // The genuine callback arrives: recorded, not a duplicate.
  assertStored(await post(url, body, 'application/json'), false);
  const key = `transaction:${transactionNumber}:order:${reference}`;
  await waitFor(async () => {
    const { callbacks } = await payexRows(reference);
    return callbacks.length === 3 && callbacks.every((r) => r.fetched || r.fetch_error) ? callbacks : null;
  }, 'the three follow-ups');
  const { events, callbacks } = await payexRows(reference);
  // One event, under the number the API confirmed, with the API's answer; none under the claimed 7.
  assert.deepEqual(events.map((r) => r.dedupe_key), [key]);
  assert.deepEqual(JSON.parse(events[0].fetched), apiResources.get(transaction));
  // The unknown transaction is a failed follow-up on its own callback row (retried by the queue).
  const unknown = callbacks.find((r) => JSON.parse(r.payload).transactionUrl === bogus);
  assert.equal(unknown.fetched, null);
  assert.equal(unknown.fetch_error, 'HTTP 404');

  // The same genuine transaction named through another order's URL: an event of
  // that order's own, which leaves this order's event as it is.
  const other = unique('PO-');
  const otherBody = JSON.stringify({ payment: { id: payment, number: 1 }, transaction: { id: transaction, number: transactionNumber } });
  assertStored(await post(await payexUrl(other), otherBody, 'application/json'), false);
  await waitFor(async () => (await rows('payex', `transaction:${transactionNumber}:order:${other}`))[0], 'the other order\'s event');
  assert.equal((await rows('payex', key)).length, 1);
});

test('PayEx: an API error is retried by the queue and nothing is lost', async () => {
  const reference = unique('PO-');
  const { transaction, transactionNumber, body } = payexBody(reference);
  apiFailures.set(transaction, 1);
  assertStored(await post(await payexUrl(reference), body, 'application/json'), false);
  const { events, callbacks } = await waitFor(async () => {
    const r = await payexRows(reference);
    return r.callbacks[0]?.fetched ? r : null;
  }, 'the retried PayEx follow-up');
  assert.equal(apiRequests.filter((r) => r.path === transaction).length, 2); // 500, then 200
  assert.deepEqual(events.map((r) => r.dedupe_key), [`transaction:${transactionNumber}:order:${reference}`]);
  assert.equal(JSON.parse(events[0].fetched).capture.transaction.state, 'Completed');
  assert.equal(callbacks[0].fetch_error, null);
});

test('PayEx: refusals store nothing (401, 400, 413, 415, 405)', async () => {
  const before = await totalRows();
  const reference = unique('PO-');
  const url = await payexUrl(reference);
  const { body } = payexBody(reference);
  const otherOrder = url.replace(reference, `${reference}x`);
  assertRefused(await post(otherOrder, body, 'application/json'), 401, 'SIGNATURE_MISMATCH');
  assertRefused(await post(`/webhooks/payex/${reference}`, body, 'application/json'), 401, 'MISSING_SIGNATURE');
  const expired = signUrl(`/webhooks/payex/${reference}`, { exp: now() - 1 });
  assertRefused(await post(expired, body, 'application/json'), 401, 'EXPIRED');
  const foreign = JSON.stringify({ payment: 'https://evil.example/psp/creditcard/payments/x', paymentNumber: 1 });
  assertRefused(await post(url, foreign, 'application/json'), 400, 'INVALID_FIELD');
  assertRefused(await post(url, 'not json', 'application/json'), 400, 'MALFORMED_BODY');
  const mismatch = await post(url, payexBody('another-order').body, 'application/json');
  assertRefused(mismatch, 400, 'INVALID_FIELD');
  assert.equal(mismatch.body.field, 'orderReference');
  const big = JSON.stringify({ pad: 'a'.repeat(64 * 1024) });
  assertRefused(await post(url, big, 'application/json'), 413, 'PAYLOAD_TOO_LARGE');
  assertRefused(await post(url, body, FORM), 415, 'UNSUPPORTED_MEDIA_TYPE');
  assertRefused(await request(url), 405, 'METHOD_NOT_ALLOWED');
  assert.equal(await totalRows(), before);
});

// ------------------------------------------------------------------ admin, assets, logs

test('GET /events requires the admin token and lists newest first', async () => {
  assertRefused(await request('/events'), 401, 'UNAUTHORIZED');
  assertRefused(await request('/events', { headers: { authorization: `Bearer ${SECRETS.ADMIN_TOKEN}x` } }), 401, 'UNAUTHORIZED');
  assertRefused(await request('/events', { headers: { authorization: basic('admin', SECRETS.ADMIN_TOKEN) } }), 401, 'UNAUTHORIZED');
  assertRefused(await request('/events', { method: 'DELETE', headers: ADMIN }), 405, 'METHOD_NOT_ALLOWED');
  const id = randomUUID();
  assertStored(await post('/webhooks/hitpay', hitpayForm(hitpayFields(id)), FORM), false);
  const res = await request('/events?limit=200', { headers: ADMIN });
  assert.equal(res.status, 200);
  const ids = res.body.events.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  assert.equal(res.body.events[0].key, `${id}:completed`);
  assert.equal(res.body.events[0].payload.amount, '2500.00');
  const only = await request('/events?provider=smart-router', { headers: ADMIN });
  assert.ok(only.body.events.length > 0);
  assert.ok(only.body.events.every((e) => e.provider === 'smart-router' && e.fetched !== null));
  assertRefused(await request('/events?limit=0', { headers: ADMIN }), 400, 'INVALID_FIELD');
  // ?before=<id> pages back: the next page starts below the last id of the one before.
  const first = (await request('/events?limit=2', { headers: ADMIN })).body.events;
  const next = (await request(`/events?limit=2&before=${first[1].id}`, { headers: ADMIN })).body.events;
  assert.deepEqual(next.map((e) => e.id), ids.filter((i) => i < first[1].id).slice(0, 2));
  const older = await request(`/events?provider=smart-router&before=${only.body.events[0].id}`, { headers: ADMIN });
  assert.deepEqual(older.body.events.map((e) => e.id), only.body.events.slice(1).map((e) => e.id));
  for (const bad of ['0', '-1', '1.5', 'x', '']) {
    const res = await request(`/events?before=${bad}`, { headers: ADMIN });
    assertRefused(res, 400, 'INVALID_FIELD');
    assert.equal(res.body.field, 'before');
  }
});

test('every route answers 413 to a URL over 8 KiB, before anything else; 8 KiB exactly is served', async () => {
  const LIMIT = 8 * 1024;
  // `base` padded with a `pad` parameter to a full URL of `length` characters.
  const padded = (base, length) => {
    const sep = base.includes('?') ? '&' : '?';
    const url = `${base}${sep}pad=${'a'.repeat(length - ORIGIN.length - base.length - sep.length - 4)}`;
    assert.equal(ORIGIN.length + url.length, length);
    return url;
  };
  const before = await totalRows();
  const routes = [
    ['GET', '/hapi/callback-url?orderId=o'],
    ['POST', '/webhooks/hitpay'],
    ['POST', '/webhooks/hitpay/events'],
    ['POST', '/webhooks/hapi'],
    ['POST', '/webhooks/smart-router'],
    ['GET', '/payex/callback-url?orderReference=PO-1'],
    ['POST', '/webhooks/payex/PO-1'],
    ['GET', '/events'],
    ['POST', '/webhooks/nope'],
  ];
  for (const [method, base] of routes) {
    // With credentials and a valid body where the route takes them: only the URL is wrong.
    const id = randomUUID();
    const init = method === 'GET' ? { headers: ADMIN } : {
      method, body: hitpayForm(hitpayFields(id)), headers: { 'content-type': FORM, authorization: SR_AUTH },
    };
    const res = await request(padded(base, LIMIT + 1), init);
    assertRefused(res, 413, 'PAYLOAD_TOO_LARGE');
    assert.match(res.body.message, /URL/);
  }
  assert.equal(await totalRows(), before);
  // At the limit: served as usual.
  const listed = await request(padded('/events?limit=1', LIMIT), { headers: ADMIN });
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  const id = randomUUID();
  assertStored(await post(padded('/webhooks/hitpay', LIMIT), hitpayForm(hitpayFields(id)), FORM), false);
  const eventId = unique('ev_');
  const srBody = JSON.stringify({ event_id: eventId });
  assertStored(await post(padded('/webhooks/smart-router', LIMIT), srBody, 'application/json', { authorization: SR_AUTH }), false);
});

test('static assets: the browser package (payhook and payhook/hapi) under /pkg/, the demo at /, unknown API routes 404', async () => {
  const js = await request('/pkg/browser.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /javascript/);
  // Both entries' modules, the wasm inlined in JS (gen/*_wasm.js); no .wasm file (the
  // browser does not need one) and not the Node entry.
  for (const file of ['browser.js', 'core.js', 'inline-wasm.js', 'gen/api.js', 'gen/payhook_core.js',
    'gen/payhook_core_wasm.js', 'hapi.js', 'hapi-exports.js', 'hapi-api.js', 'common.js', 'gen/api-hapi.js',
    'gen/constants.js', 'gen/payhook_hapi.js', 'gen/payhook_hapi_wasm.js']) {
    const res = await request(`/pkg/${file}`);
    assert.equal(res.status, 200, file);
    assert.match(res.headers.get('content-type'), /javascript/, file);
  }
  for (const file of ['gen/payhook_core_bg.wasm', 'gen/payhook_hapi_bg.wasm', 'hapi-node.js', 'hapi-workerd.js', 'gen/cjs/node.cjs', 'LICENSE-MIT']) {
    const res = await mf.dispatchFetch(`${ORIGIN}/pkg/${file}`);
    await res.arrayBuffer();
    assert.equal(res.status, 404, file);
  }
  const hasDemo = (await readdir(path.join(ROOT, 'www')).catch(() => [])).includes('index.html');
  const home = await request('/');
  assert.equal(home.status, hasDemo ? 200 : 404);
  if (hasDemo) assert.match(home.headers.get('content-type'), /text\/html/);
  assertRefused(await request('/webhooks/nope', { method: 'POST' }), 404, 'NOT_FOUND');
  assertRefused(await request('/hapi/nope'), 404, 'NOT_FOUND');
  assertRefused(await request('/webhooks/payex/', { method: 'POST', headers: { 'content-type': 'application/json' } }), 401, 'MISSING_SIGNATURE');
});

test('the Worker logged every request and no secret', async () => {
  await waitFor(() => runtimeLog.includes('"status":405'), 'request logs');
  const secrets = [...Object.values(SECRETS), SR_AUTH.slice(6), basic(SECRETS.SMART_ROUTER_PROJECT_ID, SECRETS.SMART_ROUTER_PRIVATE_KEY).slice(6)];
  for (const secret of secrets) assert.ok(!runtimeLog.includes(secret), 'a secret is in the logs');
  assert.ok(!/[?&]sig=/.test(runtimeLog), 'a signed URL is in the logs');
  assert.match(runtimeLog, /"followUp":"smart-router-event".*"retry":true.*"error":"HTTP 500"/);
});

test('HAPI: GET /hapi/callback-url refuses keys that PHP reads as a reserved HAPI key (issue 14)', async () => {
  const from = { headers: { 'cf-connecting-ip': '192.0.2.77' } };
  for (const query of ['%20amount=1', '%20%20walletId=w', '%20draftCampaignId=VICTIM', 'amount%5B%5D=1', 'x=1&amount.x=2']) {
    assertRefused(await request(`/hapi/callback-url?${query}`, from), 400, 'RESERVED_QUERY_KEY');
  }
  assertRefused(await request('/hapi/callback-url?amount%00=1', from), 400, 'INVALID_FIELD');
  assert.equal((await request('/hapi/callback-url?orderId=o-1', from)).status, 200);
});
