// `make load`: a mixed stream of webhooks sent to the reference Worker under
// `wrangler dev` at a fixed concurrency, then the proof that nothing was lost.
//
//   node worker/scripts/load.mjs [--webhooks 2000] [--concurrency 50] [--url http://127.0.0.1:8787]
//                                [--seed 1] [--json file] [--timeout 600]
//
// Without --url it starts `wrangler dev` as `make dev` does (the same
// wrangler.toml and flags; its own port, inspector port, fresh local state under
// target/load/ and settings: the development values of .dev.vars.example with
// the provider APIs pointed at its stand-in). With --url it loads a running
// `make dev`, with the settings of worker/.dev.vars, and serves the stand-in
// where PAYEX_API_BASE and SMART_ROUTER_API_BASE point (127.0.0.1:8788).
//
// The stream: every provider (HitPay form and event webhooks, HAPI callbacks,
// Smart Router, PayEx callbacks), each valid delivery once, some of them again
// (duplicates, shuffled in so that copies race their original), tampered ones
// (a changed field, a wrong key or password, another order's URL) and oversized
// ones (a body over the limit with Content-Length, the same streamed without
// one, a URL over 8 KiB). Signatures are made here with node:crypto, not with
// payhook. The provider APIs the follow-ups GET (Smart Router events, PayEx
// transactions) are a stand-in on 127.0.0.1.
//
// The proof, from GET /events (paged with ?before=): every valid event stored
// exactly once, under the key the Worker's README gives; each event's
// deliveries answered `duplicate: false` once and `true` for every copy; the
// follow-ups done (each Smart Router event fetched, each PayEx callback's event
// made from the API's answer); every refused request answered with its status
// and code, and nothing stored for it. Prints throughput and latency. Bounded:
// --webhooks requests, then at most --timeout seconds in all. Exit status 0
// when every check holds.
import { execFile, spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORKER = path.join(ROOT, 'worker');
const CONFIG = path.join(WORKER, 'wrangler.toml');
const WRANGLER = path.join(ROOT, 'node_modules/.bin/wrangler');
const WORK = path.join(ROOT, 'target/load');

export const PROVIDERS = ['hitpay', 'hitpay-event', 'hapi', 'smart-router', 'payex'];
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const KIB = 1024;

// ------------------------------------------------------------------ signing (node:crypto, independent of payhook)

function hitpayForm(fields, salt) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const hmac = createHmac('sha256', salt).update(keys.map((k) => k + fields[k]).join('')).digest('hex');
  const params = new URLSearchParams(fields);
  params.append('hmac', hmac);
  return params.toString();
}

/** A signed callback URL as the Worker issues it: HMAC-SHA256 (base64url) of path + '?' + the query without sig. */
function signUrl(pathname, params, secret, exp) {
  const query = new URLSearchParams({ ...params, exp: String(exp) });
  const sig = createHmac('sha256', secret).update(`${pathname}?${query}`).digest('base64url');
  query.append('sig', sig);
  return `${pathname}?${query}`;
}

const sha256 = (...parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

// ------------------------------------------------------------------ the plan

/** A small deterministic PRNG (mulberry32), so that a seed gives the same stream. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const guid = (random) => {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
};

/**
 * How `total` requests split: about 71% valid first deliveries, 15% duplicate
 * copies, 8% tampered, 6% oversized, each spread over every provider.
 */
export function mix(total) {
  if (!Number.isSafeInteger(total) || total < 4 * PROVIDERS.length) {
    throw new Error(`--webhooks must be at least ${4 * PROVIDERS.length}`);
  }
  const tampered = Math.max(PROVIDERS.length, Math.round(total * 0.08));
  const oversized = Math.max(PROVIDERS.length, Math.round(total * 0.06));
  const duplicates = Math.max(PROVIDERS.length, Math.round(total * 0.15));
  return { originals: total - tampered - oversized - duplicates, duplicates, tampered, oversized };
}

/**
 * Builds every request of the run. `settings`: the Worker's secrets. `issue(params)`:
 * asks the Worker for a HAPI callback URL (a few are issued by the Worker, the rest
 * signed here the same way, since issuance is rate-limited to 60 a minute).
 * Returns { requests, expected, resources }: `expected` the rows the Worker
 * must hold afterwards, `resources` what the stand-in API answers.
 */
export async function plan({ total, seed, run, settings, issue, issueCount = 20, now = Date.now() }) {
  // The run's tag is part of the seed: a second run against the same database
  // (LOAD_URL) gets other ids (HitPay's are random UUIDs, not tagged).
  const random = prng(seed ^ [...run].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
  const counts = mix(total);
  const resources = new Map(); // PayEx path -> JSON the stand-in answers
  const expected = []; // { provider, key, followUp? }
  const originals = [];
  const refused = [];
  const exp = Math.floor(now / 1000) + 3600;
  let transactionNumber = 1_000_000 + Math.floor(random() * 1e9);
  let issued = 0;

  const hapiUrl = async (params) => {
    if (issue && issued < issueCount) {
      const url = await issue(params);
      if (url) {
        issued += 1;
        return url;
      }
    }
    return signUrl('/webhooks/hapi', params, settings.CALLBACK_SECRET, exp);
  };
  const payexUrl = (reference) => signUrl(`/webhooks/payex/${encodeURIComponent(reference)}`, {}, settings.CALLBACK_SECRET, exp);
  const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const srAuth = basic(settings.SMART_ROUTER_WEBHOOK_USER, settings.SMART_ROUTER_WEBHOOK_PASSWORD);
  const eventHeaders = (body, salt = settings.HITPAY_SALT) => ({
    'content-type': JSON_TYPE,
    'hitpay-signature': createHmac('sha256', salt).update(body).digest('hex'),
    'hitpay-event-type': 'created',
    'hitpay-event-object': 'charge',
  });
  const payexCallback = (reference) => {
    const payment = `/psp/creditcard/payments/${guid(random)}`;
    const transaction = `${payment}/captures/${guid(random)}`;
    const number = transactionNumber++;
    const resource = {
      payment,
      capture: { id: transaction, transaction: { id: `${payment}/transactions/${guid(random)}`, number, type: 'Capture', state: 'Completed', amount: 150000 } },
    };
    const body = JSON.stringify({ orderReference: reference, payment: { id: payment, number: number - 1 }, transaction: { id: transaction, number } });
    return { transaction, number, resource, body };
  };

  // One valid first delivery of provider `p`, number i.
  async function original(p, i) {
    const id = `${run}-${p}-${i}`;
    if (p === 'hitpay') {
      // HitPay-shaped, as the Worker's strict mode requires (UUID ids); the run's
      // tag in the reference number.
      const status = i % 3 === 0 ? 'pending' : 'completed';
      const paymentId = guid(random);
      const body = hitpayForm({ payment_id: paymentId, payment_request_id: guid(random), reference_number: `${id} ä`, amount: `${(i % 500) + 1}.00`, currency: 'SGD', status }, settings.HITPAY_SALT);
      return { method: 'POST', path: '/webhooks/hitpay', headers: { 'content-type': FORM }, body, event: { provider: 'hitpay', key: `${paymentId}:${status}` } };
    }
    if (p === 'hitpay-event') {
      const body = JSON.stringify({ id, status: 'succeeded', amount: (i % 90) + 0.5, currency: 'sgd' });
      return { method: 'POST', path: '/webhooks/hitpay/events', headers: eventHeaders(body), body, event: { provider: 'hitpay-event', key: `${id}:${sha256(body)}` } };
    }
    if (p === 'hapi') {
      const url = await hapiUrl({ orderId: `${run}-o-${i}`, cbid: id });
      const cbid = new URLSearchParams(url.slice(url.indexOf('?'))).get('cbid');
      const claims = i % 4 === 0 ? `&draftCampaignId=draft-${i}` : '';
      return { method: 'POST', path: `${url}${claims}&amount=${(i % 300) + 10}.00&walletId=w-${i}`, headers: { 'content-type': JSON_TYPE }, body: '', event: { provider: 'hapi', key: cbid } };
    }
    if (p === 'smart-router') {
      const body = JSON.stringify({ event_id: id, event_type: 'transaction.captured' });
      return { method: 'POST', path: '/webhooks/smart-router', headers: { 'content-type': JSON_TYPE, authorization: srAuth }, body, event: { provider: 'smart-router', key: id, followUp: 'fetched', fetchPath: `/events/${id}` } };
    }
    const { transaction, number, resource, body } = payexCallback(id);
    resources.set(transaction, resource);
    const key = sha256(`${Buffer.byteLength(id)}:${id}`, body);
    return {
      method: 'POST', path: payexUrl(id), headers: { 'content-type': JSON_TYPE }, body,
      event: { provider: 'payex-callback', key, followUp: 'fetched', fetchPath: transaction, confirms: { provider: 'payex', key: `transaction:${number}:order:${id}`, confirmed: true } },
    };
  }

  // A tampered delivery: a signed one with something changed, or wrong credentials.
  async function tampered(p, i) {
    const id = `${run}-${p}-x${i}`;
    if (p === 'hitpay') {
      const paymentId = guid(random);
      const body = hitpayForm({ payment_id: paymentId, payment_request_id: guid(random), reference_number: id, amount: '10.00', currency: 'SGD', status: 'completed' }, settings.HITPAY_SALT).replace('amount=10.00', 'amount=1000.00');
      return { method: 'POST', path: '/webhooks/hitpay', headers: { 'content-type': FORM }, body, refuse: [401, 'SIGNATURE_MISMATCH'], marker: paymentId };
    }
    if (p === 'hitpay-event') {
      const body = JSON.stringify({ id, status: 'succeeded', amount: 1 });
      return { method: 'POST', path: '/webhooks/hitpay/events', headers: eventHeaders(body, `${settings.HITPAY_SALT}-not`), body, refuse: [401, 'SIGNATURE_MISMATCH'], marker: id };
    }
    if (p === 'hapi') {
      const url = signUrl('/webhooks/hapi', { orderId: `${run}-o-x${i}`, cbid: id }, settings.CALLBACK_SECRET, exp).replace('orderId=', 'orderId=9');
      return { method: 'POST', path: `${url}&amount=1.00&walletId=w-x`, headers: { 'content-type': JSON_TYPE }, body: '', refuse: [401, 'SIGNATURE_MISMATCH'], marker: id };
    }
    if (p === 'smart-router') {
      const body = JSON.stringify({ event_id: id, event_type: 'transaction.captured' });
      const auth = basic(settings.SMART_ROUTER_WEBHOOK_USER, `${settings.SMART_ROUTER_WEBHOOK_PASSWORD}x`);
      return { method: 'POST', path: '/webhooks/smart-router', headers: { 'content-type': JSON_TYPE, authorization: auth }, body, refuse: [401, 'UNAUTHORIZED'], marker: id };
    }
    // Another order's signed URL, this order's path.
    const { body } = payexCallback(id);
    const other = payexUrl(`${id}-other`);
    return { method: 'POST', path: other.replace(`${id}-other`, id), headers: { 'content-type': JSON_TYPE }, body, refuse: [401, 'SIGNATURE_MISMATCH'], marker: id };
  }

  // An oversized one: kind 0 a body over the limit with Content-Length, 1 the
  // same streamed in chunks without one, 2 a URL over 8 KiB. HAPI reads no body:
  // always a long URL (signed, so that only its length is wrong).
  async function oversized(p, i) {
    const id = `${run}-${p}-o${i}`;
    const kind = p === 'hapi' ? 2 : i % 3;
    const pad = (n) => 'a'.repeat(n);
    const longQuery = `?pad=${pad(8 * KIB)}`;
    const refuse = [413, 'PAYLOAD_TOO_LARGE'];
    if (p === 'hapi') {
      const url = signUrl('/webhooks/hapi', { orderId: `${run}-o-o${i}`, cbid: id, pad: pad(8 * KIB) }, settings.CALLBACK_SECRET, exp);
      return { method: 'POST', path: `${url}&amount=1.00&walletId=w-o`, headers: { 'content-type': JSON_TYPE }, body: '', refuse, marker: id, oversized: 'url' };
    }
    let request;
    if (p === 'hitpay') {
      const body = hitpayForm({ payment_id: guid(random), payment_request_id: guid(random), reference_number: `${id} ${pad(64 * KIB)}`, amount: '1.00', currency: 'SGD', status: 'completed' }, settings.HITPAY_SALT);
      request = { path: '/webhooks/hitpay', headers: { 'content-type': FORM }, body };
    } else if (p === 'hitpay-event') {
      const body = JSON.stringify({ id, status: 'succeeded', pad: pad(1024 * KIB) });
      request = { path: '/webhooks/hitpay/events', headers: eventHeaders(body), body };
    } else if (p === 'smart-router') {
      const body = JSON.stringify({ event_id: id, pad: pad(64 * KIB) });
      request = { path: '/webhooks/smart-router', headers: { 'content-type': JSON_TYPE, authorization: srAuth }, body };
    } else {
      const body = JSON.stringify({ orderReference: id, transaction: { id: '/psp/x', number: 1 }, pad: pad(64 * KIB) });
      request = { path: payexUrl(id), headers: { 'content-type': JSON_TYPE }, body };
    }
    if (kind === 2) {
      const sep = request.path.includes('?') ? '&' : '?';
      return { ...request, method: 'POST', path: request.path + sep + longQuery.slice(1), body: request.body.slice(0, 200), refuse, marker: id, oversized: 'url' };
    }
    return { ...request, method: 'POST', chunked: kind === 1, refuse, marker: id, oversized: kind === 1 ? 'chunked body' : 'body' };
  }

  for (let i = 0; i < counts.originals; i++) {
    const provider = PROVIDERS[i % PROVIDERS.length];
    const request = { ...(await original(provider, i)), provider, category: 'valid' };
    originals.push(request);
    expected.push(request.event);
    if (request.event.confirms) expected.push(request.event.confirms);
  }
  for (let i = 0; i < counts.tampered; i++) {
    const provider = PROVIDERS[i % PROVIDERS.length];
    refused.push({ ...(await tampered(provider, i)), provider, category: 'tampered' });
  }
  for (let i = 0; i < counts.oversized; i++) {
    const provider = PROVIDERS[i % PROVIDERS.length];
    refused.push({ ...(await oversized(provider, i)), provider, category: 'oversized' });
  }
  // Copies of randomly chosen originals, some of them several times.
  const copies = [];
  for (let i = 0; i < counts.duplicates; i++) {
    const of = originals[Math.floor(random() * originals.length)];
    copies.push({ ...of, category: 'duplicate' });
  }
  const requests = [...originals, ...copies, ...refused];
  // Shuffled (Fisher-Yates): copies race their originals at the same concurrency.
  for (let i = requests.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [requests[i], requests[j]] = [requests[j], requests[i]];
  }
  return { requests, expected, resources, counts, issued };
}

// ------------------------------------------------------------------ the checks

const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);

/**
 * The proof. `results`: per request { request, status, body, ms, error? };
 * `rows`: this run's stored rows ({ provider, key, fetched, fetchError, payload });
 * `expected`: the rows that must be there. Returns { ok, failures[], figures }.
 */
export function check({ requests, results, rows, expected }) {
  const failures = [];
  const fail = (what) => {
    failures.push(what);
  };
  // Answers.
  const firsts = new Map(); // "provider key" of an event -> deliveries answered duplicate:false
  // Events with a delivery sent again after a proxy 503: the lost attempt may
  // have been stored, so its retry may rightly answer duplicate:true.
  const resent = new Set(results.filter((r) => r.attempts > 1 && r.request.event).map((r) => `${r.request.event.provider} ${r.request.event.key}`));
  for (const { request, status, body, error } of results) {
    const label = `${request.category} ${request.method} ${request.path.slice(0, 60)}`;
    if (error) {
      fail(`${label}: no answer (${error})`);
      continue;
    }
    if (request.refuse) {
      const [wantStatus, wantCode] = request.refuse;
      if (status !== wantStatus || body?.code !== wantCode) fail(`${label}: answered ${status} ${body?.code ?? JSON.stringify(body)}, not ${wantStatus} ${wantCode}`);
      continue;
    }
    if (status !== 200 || body?.ok !== true || typeof body.duplicate !== 'boolean') {
      fail(`${label}: answered ${status} ${JSON.stringify(body)}`);
      continue;
    }
    const id = `${request.event.provider} ${request.event.key}`;
    if (!body.duplicate) firsts.set(id, (firsts.get(id) ?? 0) + 1);
  }
  for (const event of expected) {
    if (event.confirmed) continue; // made by a follow-up, not delivered
    const id = `${event.provider} ${event.key}`;
    const n = firsts.get(id) ?? 0;
    if (n > 1 || (n === 0 && !resent.has(id))) fail(`${id}: ${n} deliveries answered duplicate:false (want exactly 1)`);
  }
  // Rows: exactly the expected ones, once each, follow-ups done.
  const stored = new Map();
  for (const row of rows) {
    const id = `${row.provider} ${row.key}`;
    if (stored.has(id)) fail(`${id}: stored twice`);
    stored.set(id, row);
  }
  const want = new Set(expected.map((e) => `${e.provider} ${e.key}`));
  let lost = 0;
  let pendingFollowUps = 0;
  for (const event of expected) {
    const row = stored.get(`${event.provider} ${event.key}`);
    if (!row) {
      lost += 1;
      // An event a follow-up makes (PayEx) may still come; any other was stored before its 200.
      if (event.confirmed) pendingFollowUps += 1;
      fail(`${event.provider} ${event.key}: not stored (lost)`);
    } else if (event.followUp === 'fetched' && (row.fetched === null || row.fetched === undefined)) {
      pendingFollowUps += 1;
      fail(`${event.provider} ${event.key}: follow-up not fetched${row.fetchError ? ` (${row.fetchError})` : ''}`);
    }
  }
  let extra = 0;
  for (const id of stored.keys()) {
    if (!want.has(id)) {
      extra += 1;
      fail(`${id}: stored but not a valid event of this run (a refused request stored?)`);
    }
  }
  const markers = requests.filter((r) => r.marker).map((r) => r.marker);
  for (const row of rows) {
    const text = `${row.key} ${JSON.stringify(row.payload)}`;
    const marker = markers.find((m) => text.includes(m));
    if (marker) fail(`${row.provider} ${row.key}: holds ${marker}, a refused request`);
  }

  const ms = results.filter((r) => !r.error).map((r) => r.ms).sort((a, b) => a - b);
  const byCategory = {};
  for (const category of ['valid', 'duplicate', 'tampered', 'oversized']) {
    const mine = results.filter((r) => r.request.category === category && !r.error).map((r) => r.ms).sort((a, b) => a - b);
    byCategory[category] = { requests: results.filter((r) => r.request.category === category).length, p50: percentile(mine, 50), p99: percentile(mine, 99) };
  }
  return {
    ok: failures.length === 0,
    failures,
    figures: {
      requests: results.length,
      answered: ms.length,
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      max: ms.at(-1),
      byCategory,
      resent: results.filter((r) => r.attempts > 1).length,
      expectedRows: expected.length,
      storedRows: rows.length,
      lost,
      extra,
      pendingFollowUps,
    },
  };
}

// ------------------------------------------------------------------ HTTP

/** One request; resolves to { status, body, ms } or { error, ms }. */
function send(agent, origin, request, timeoutMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const done = (value) => resolve({ request, ms: performance.now() - started, ...value });
    const body = Buffer.from(request.body ?? '');
    const headers = { ...request.headers };
    if (request.chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(body.length);
    const req = http.request(new URL(request.path, origin), { method: request.method, agent, headers, timeout: timeoutMs });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err) => done({ error: err.code ?? err.message }));
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', (err) => done({ error: err.code ?? err.message }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: kept as text for the failure message
        }
        done({ status: res.statusCode, body: parsed });
      });
    });
    if (!request.chunked) return req.end(body);
    // 16 KiB chunks, as fast as the connection takes them.
    let at = 0;
    let stopped = false;
    req.on('error', () => { stopped = true; });
    const pump = () => {
      while (!stopped && at < body.length) {
        const chunk = body.subarray(at, at + 16 * KIB);
        at += chunk.length;
        if (!req.write(chunk)) return req.once('drain', pump);
      }
      if (!stopped) req.end();
    };
    pump();
  });
}

/** wrangler dev's own 503 (ProxyWorker), never the Worker's (which answers JSON). */
export const isProxyRestart = (result) => result.status === 503 && typeof result.body === 'string' && result.body.includes('restarted mid-request');

async function getJson(origin, pathAndQuery, headers = {}) {
  const res = await fetch(new URL(pathAndQuery, origin), { headers, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** Every row with an id above `after`, newest first, through GET /events?before= (200 a page). */
async function allEvents(origin, token, after) {
  const rows = [];
  let before = null;
  for (;;) {
    const query = new URLSearchParams({ limit: '200' });
    if (before !== null) query.set('before', String(before));
    const { status, body } = await getJson(origin, `/events?${query}`, { authorization: `Bearer ${token}` });
    if (status !== 200) throw new Error(`GET /events answered ${status}: ${JSON.stringify(body)}`);
    const page = body.events.filter((e) => e.id > after);
    rows.push(...page);
    if (page.length < body.events.length || body.events.length < 200) return rows;
    before = body.events.at(-1).id;
  }
}

// ------------------------------------------------------------------ the stand-in provider API

function startApi(resources, port) {
  const hits = new Map(); // path -> GETs
  const served = new Set(); // paths answered 200
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    hits.set(pathname, (hits.get(pathname) ?? 0) + 1);
    const event = /^\/events\/([\w.-]+)$/.exec(pathname);
    const answer = event
      ? { success: true, event: { id: event[1], name: 'transaction.captured', data: { transaction: { amount: '25.00' } } } }
      : resources.get(pathname) ?? null;
    if (answer) served.add(pathname);
    res.writeHead(answer ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(answer ?? { error: 'not found' }));
  });
  // Node closes an idle connection after 5 s, which workerd may be reusing at that
  // moment (a "network error" and a 30 s retry): idle connections are kept longer.
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, hits, served, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

// ------------------------------------------------------------------ wrangler dev

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function wranglerEnv() {
  const home = path.join(ROOT, '.wrangler-home');
  await mkdir(path.join(home, 'logs'), { recursive: true });
  return {
    PATH: process.env.PATH, HOME: process.env.HOME, WRANGLER_SEND_METRICS: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false',
    WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false', XDG_CONFIG_HOME: home,
    WRANGLER_LOG_PATH: path.join(home, 'logs'), NO_COLOR: '1', CI: 'true',
  };
}

/** KEY="value" lines of a .dev.vars file. */
export function parseDevVars(text) {
  const vars = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(.*?))\s*$/.exec(line);
    if (m) vars[m[1]] = m[2] ?? m[3] ?? m[4];
  }
  return vars;
}

/** `wrangler dev` with the flags of `make dev`, on free ports, with fresh local state. */
async function startWranglerDev(settings) {
  const state = path.join(WORK, 'state');
  const envFile = path.join(WORK, 'load.env');
  await rm(state, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
  await writeFile(envFile, `${Object.entries(settings).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n')}\n`);
  const env = await wranglerEnv();
  // As `make dev`: the static assets first, then the migrations.
  await promisify(execFile)(process.execPath, [path.join(WORKER, 'scripts/assemble-public.mjs')], { cwd: WORKER, timeout: 120_000 });
  await promisify(execFile)(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state, '--config', CONFIG],
    { cwd: WORKER, env, timeout: 120_000 });
  const port = await freePort();
  const dev = spawn(WRANGLER, [
    'dev', '--config', CONFIG, '--ip', '127.0.0.1', '--port', String(port), '--show-interactive-dev-session=false',
    '--inspector-port', String(await freePort()), '--persist-to', state, '--env-file', envFile,
  ], { cwd: WORKER, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let exited = null;
  dev.stdout.on('data', (c) => { log += c; });
  dev.stderr.on('data', (c) => { log += c; });
  dev.on('exit', (code, signal) => { exited = signal ?? code; });
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await writeFile(path.join(WORK, 'wrangler-dev.log'), log).catch(() => {});
    if (exited !== null) return;
    const gone = new Promise((resolve) => dev.once('exit', resolve));
    process.kill(-dev.pid, 'SIGTERM');
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (exited === null) process.kill(-dev.pid, 'SIGKILL');
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== null) throw new Error(`wrangler dev exited (${exited}):\n${log}`);
    const res = await fetch(`${origin}/events`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
    if (res?.status === 401) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not start:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { origin, stop, alive: () => exited === null };
}

// ------------------------------------------------------------------ main

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

export async function main(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      webhooks: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '50' },
      url: { type: 'string' },
      seed: { type: 'string', default: '1' },
      json: { type: 'string' },
      timeout: { type: 'string', default: '600' },
    },
  });
  const total = Number(values.webhooks);
  const concurrency = Number(values.concurrency);
  const timeoutS = Number(values.timeout);
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 500) throw new Error('--concurrency must be 1 to 500');
  if (!(timeoutS > 0)) throw new Error('--timeout must be a number of seconds');
  mix(total); // validates --webhooks
  const started = Date.now();
  const deadline = started + timeoutS * 1000;
  // Bounded in time whatever happens: the whole run stops at --timeout.
  const guard = setTimeout(() => {
    console.error(`make load: stopped after ${timeoutS} s (--timeout)`);
    process.exit(2);
  }, timeoutS * 1000 + 15_000);
  guard.unref();

  const resources = new Map();
  let worker;
  let api;
  let settings;
  try {
    if (values.url) {
      // A running `make dev`: its settings, and the stand-in where its API bases point.
      settings = parseDevVars(await readFile(path.join(WORKER, '.dev.vars'), 'utf8'));
      const base = new URL(settings.PAYEX_API_BASE ?? 'http://127.0.0.1:8788');
      if (base.hostname !== '127.0.0.1' || settings.SMART_ROUTER_API_BASE !== settings.PAYEX_API_BASE) {
        throw new Error('worker/.dev.vars must point PAYEX_API_BASE and SMART_ROUTER_API_BASE at one 127.0.0.1 port (as .dev.vars.example does)');
      }
      api = await startApi(resources, Number(base.port));
      worker = { origin: new URL(values.url).origin, stop: async () => {}, alive: () => true };
    } else {
      settings = parseDevVars(await readFile(path.join(WORKER, '.dev.vars.example'), 'utf8'));
      api = await startApi(resources, 0);
      settings.SMART_ROUTER_API_BASE = api.base;
      settings.PAYEX_API_BASE = api.base;
      worker = await startWranglerDev(settings);
    }
    const { origin } = worker;
    const admin = { authorization: `Bearer ${settings.ADMIN_TOKEN}` };
    const head = await getJson(origin, '/events?limit=1', admin);
    if (head.status !== 200) throw new Error(`GET /events answered ${head.status}: is ADMIN_TOKEN the Worker's?`);
    const after = head.body.events[0]?.id ?? 0;

    const run = `L${Date.now().toString(36)}`;
    const issue = async (params) => {
      const res = await getJson(origin, `/hapi/callback-url?${new URLSearchParams({ orderId: params.orderId })}`);
      if (res.status !== 200) return null; // rate-limited: signed here instead
      const url = new URL(res.body.url);
      return url.pathname + url.search;
    };
    const built = await plan({ total, seed: Number(values.seed), run, settings, issue });
    for (const [k, v] of built.resources) resources.set(k, v);
    // The HAPI keys of issued URLs are the Worker's cbids.
    console.log(`make load: ${built.requests.length} requests to ${origin} (wrangler dev), concurrency ${concurrency}: `
      + `${built.counts.originals} valid, ${built.counts.duplicates} duplicates, ${built.counts.tampered} tampered, ${built.counts.oversized} oversized; `
      + `providers ${PROVIDERS.join(', ')}; ${built.issued} HAPI URLs issued by the Worker, the rest signed here`);

    // The stream: `concurrency` requests in flight, each on a kept-alive connection.
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const results = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < built.requests.length && Date.now() < deadline) {
        const request = built.requests[next++];
        // wrangler dev's proxy answers 503 "Your worker restarted mid-request" to
        // the requests in flight when it loses its connection to workerd (seen
        // here on a busy machine): sent again, up to 3 times, as a provider
        // retries a 5xx. Any other answer counts as it is.
        let result = await send(agent, origin, request, 30_000);
        let attempts = 1;
        while (isProxyRestart(result) && attempts < 4) {
          await new Promise((resolve) => setTimeout(resolve, 250 * attempts));
          result = await send(agent, origin, request, 30_000);
          attempts += 1;
        }
        results.push({ ...result, attempts });
      }
    }));
    const streamS = (performance.now() - t0) / 1000;
    agent.destroy();
    if (results.length < built.requests.length) {
      throw new Error(`stopped by --timeout after ${results.length} of ${built.requests.length} requests`);
    }
    if (!worker.alive()) throw new Error('wrangler dev exited during the stream');
    const latencies = (rs) => rs.filter((r) => !r.error).map((r) => r.ms).sort((a, b) => a - b);
    const all = latencies(results);
    console.log(`  stream: ${results.length} requests in ${fmt(streamS, 2)} s = ${fmt(results.length / streamS)} requests/s; `
      + `latency p50 ${fmt(percentile(all, 50))} ms, p99 ${fmt(percentile(all, 99))} ms, max ${fmt(all.at(-1))} ms`);
    for (const category of ['valid', 'duplicate', 'tampered', 'oversized']) {
      const mine = latencies(results.filter((r) => r.request.category === category));
      console.log(`    ${category.padEnd(9)} ${String(mine.length).padStart(5)} answered, p50 ${fmt(percentile(mine, 50))} ms, p99 ${fmt(percentile(mine, 99))} ms`);
    }
    const resent = results.filter((r) => r.attempts > 1).length;
    if (resent > 0) {
      console.log(`    ${resent} answered 503 by wrangler dev's proxy ("Your worker restarted mid-request") and sent again, as a provider retries a 5xx`);
    }

    // Follow-ups: first (cheaply) until the stand-in has answered every GET the
    // queue consumer must make, then until GET /events shows them all stored
    // (a failed GET is retried by the queue after retry_delay, 30 s).
    const t1 = performance.now();
    const paths = built.expected.filter((e) => e.fetchPath).map((e) => e.fetchPath);
    while (!paths.every((p) => api.served.has(p)) && Date.now() < deadline - 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    let rows = [];
    let verdict;
    let lastError;
    for (;;) {
      try {
        rows = (await allEvents(origin, settings.ADMIN_TOKEN, after)).filter((r) => JSON.stringify([r.key, r.payload]).includes(run));
        verdict = check({ requests: built.requests, results, rows, expected: built.expected });
      } catch (err) {
        lastError = err; // GET /events too slow or failed: asked again
      }
      // Only follow-ups can still change the verdict: the rest was stored before its answer.
      const waiting = verdict ? verdict.figures.pendingFollowUps : 1;
      if ((verdict && (verdict.ok || waiting === 0)) || Date.now() > deadline - 10_000) break;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    if (!verdict) throw lastError;
    const settleS = (performance.now() - t1) / 1000;
    const f = verdict.figures;
    const apiGets = [...api.hits.values()].reduce((a, b) => a + b, 0);
    const followUps = paths.length;
    const summary = {
      ok: verdict.ok,
      origin,
      concurrency,
      ...built.counts,
      requests: f.requests,
      streamSeconds: streamS,
      requestsPerSecond: f.requests / streamS,
      p50: f.p50,
      p99: f.p99,
      max: f.max,
      byCategory: f.byCategory,
      resentAfterProxy503: f.resent,
      expectedRows: f.expectedRows,
      storedRows: f.storedRows,
      lost: f.lost,
      extra: f.extra,
      followUps,
      followUpGets: apiGets,
      settleSeconds: settleS,
      failures: verdict.failures.slice(0, 50),
    };
    console.log(`  follow-ups: ${followUps} (Smart Router events fetched, PayEx events made from the API's answer), `
      + `${apiGets} GETs to the stand-in API${apiGets > followUps ? ' (some retried)' : ''}, all stored ${fmt(settleS, 2)} s after the stream`);
    console.log(`  stored: ${f.storedRows} rows for this run, expected ${f.expectedRows}: ${f.lost} lost, ${f.extra} extra `
      + `(every valid event once, every copy answered duplicate, nothing for the ${built.counts.tampered + built.counts.oversized} refused)`);
    if (verdict.ok) console.log('make load: nothing lost, nothing stored twice, nothing stored for a refused request: OK');
    else {
      console.log(`make load: FAILED, ${verdict.failures.length} problems:`);
      for (const line of verdict.failures.slice(0, 20)) console.log(`  - ${line}`);
    }
    if (values.json) await writeFile(values.json, JSON.stringify(summary, null, 2));
    return verdict.ok ? 0 : 1;
  } finally {
    await worker?.stop();
    await new Promise((resolve) => (api ? api.server.close(resolve) : resolve()));
    clearTimeout(guard);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then((code) => process.exit(code), (err) => {
    console.error(`make load: ${err.stack ?? err}`);
    process.exit(1);
  });
}
