// The reference Worker under `wrangler dev`, started as `make dev` starts it
// (same flags; its own port, inspector port, local state and env file), and
// sent what a bad client sends. When the Worker answers a request whose body the
// client is still sending, wrangler 4.86's dev proxy breaks (toolchain.md); seen
// here with a chunked upload of 300 KB refused early: the client gets its 413 (or
// a reset), the next request hangs for about 8 s and the next upload gets 503.
// The Worker drains a refused body, within a bound, before it answers, so each
// bad request must get its own answer and the normal requests sent after it
// must be answered at once. Offline, on 127.0.0.1 only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, WRANGLER, wrangler, wranglerEnv } from './lib/wrangler.mjs';

const WORKER = path.join(ROOT, 'worker');
const CONFIG = path.join(WORKER, 'wrangler.toml');
const STATE = path.join(ROOT, 'tests/artifacts/worker-dev-state');
const ENV_FILE = path.join(ROOT, 'tests/artifacts/worker-dev.env');
const SALT = 'dev-test-hitpay-salt-3e1b';
const ADMIN_TOKEN = 'dev-test-admin-token-8c2a';
const FORM = 'application/x-www-form-urlencoded';

let dev; // the wrangler dev process (leader of its own process group)
let origin;
let devLog = '';
let exited = null;

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function hitpayForm(fields) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const hmac = createHmac('sha256', SALT).update(keys.map((k) => k + fields[k]).join('')).digest('hex');
  const params = new URLSearchParams(fields);
  params.append('hmac', hmac);
  return params.toString();
}

/**
 * One request on its own connection, as curl sends it: `body` a Buffer (sent
 * with Content-Length) or a byte count (sent as 16 KiB chunks with
 * Transfer-Encoding: chunked, written as fast as the connection takes them).
 * Resolves to { status, body }, or { error } when the connection fails; each
 * request has `timeoutMs` to be answered.
 */
function send(pathAndQuery, { method = 'GET', headers = {}, body, timeoutMs = 5_000 } = {}) {
  return new Promise((resolve) => {
    const url = new URL(pathAndQuery, origin);
    const chunked = typeof body === 'number';
    const req = http.request(url, {
      method, agent: false, timeout: timeoutMs,
      headers: chunked ? { ...headers, 'transfer-encoding': 'chunked' } : headers,
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer'), { code: 'TIMEOUT' })));
    req.on('error', (err) => resolve({ error: err.code ?? err.message }));
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, body: text.startsWith('{') ? JSON.parse(text) : text }));
      res.on('error', (err) => resolve({ error: err.code ?? err.message }));
    });
    if (!chunked) return req.end(body);
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < body) {
        const n = Math.min(chunk.length, body - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) return req.once('drain', pump);
      }
      req.end();
    };
    req.on('error', () => { sent = body; });
    pump();
  });
}

/** The normal requests that must still work after a bad one: a signed webhook stored, then listed. */
async function assertServerAlive(after) {
  assert.equal(exited, null, `wrangler dev exited (${exited}) after ${after}:\n${devLog}`);
  // A HitPay payment webhook as HitPay sends it (the Worker verifies in strict mode).
  const id = randomUUID();
  const body = hitpayForm({ payment_id: id, payment_request_id: randomUUID(), amount: '1.00', currency: 'SGD', status: 'completed' });
  // Answered at once: a broken proxy leaves these hanging for seconds.
  const timeoutMs = 4_000;
  const stored = await send('/webhooks/hitpay', { method: 'POST', body: Buffer.from(body), headers: { 'content-type': FORM }, timeoutMs });
  assert.deepEqual(stored, { status: 200, body: { ok: true, duplicate: false } }, `after ${after}`);
  const listed = await send('/events?provider=hitpay&limit=1', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, timeoutMs });
  assert.equal(listed.status, 200, `after ${after}: ${JSON.stringify(listed)}`);
  assert.equal(listed.body.events[0].key, `${id}:completed`);
}

before(async () => {
  await rm(STATE, { recursive: true, force: true });
  await mkdir(path.dirname(ENV_FILE), { recursive: true });
  // The settings of .dev.vars.example with other values; --env-file keeps a
  // developer's worker/.dev.vars out of the test.
  await writeFile(ENV_FILE, [
    `HITPAY_SALT=${SALT}`, 'CALLBACK_SECRET=dev-test-callback-secret', `ADMIN_TOKEN=${ADMIN_TOKEN}`,
    'SMART_ROUTER_WEBHOOK_USER=u', 'SMART_ROUTER_WEBHOOK_PASSWORD=p', 'HITPAY_ALLOWED_IPS=',
    'SMART_ROUTER_API_BASE=http://127.0.0.1:9', 'PAYEX_API_BASE=http://127.0.0.1:9', '',
  ].join('\n'));
  await promisify(execFile)(process.execPath, [path.join(WORKER, 'scripts/assemble-public.mjs')], { cwd: WORKER, timeout: 120_000 });
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', STATE, '--config', CONFIG], WORKER);

  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // The flags of `make dev`, plus what lets it run beside another copy.
  dev = spawn(WRANGLER, [
    'dev', '--config', CONFIG, '--ip', '127.0.0.1', '--port', String(port), '--show-interactive-dev-session=false',
    '--inspector-port', String(await freePort()), '--persist-to', STATE, '--env-file', ENV_FILE,
  ], { cwd: WORKER, env: await wranglerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  dev.stdout.on('data', (chunk) => { devLog += chunk; });
  dev.stderr.on('data', (chunk) => { devLog += chunk; });
  dev.on('exit', (code, signal) => { exited = signal ?? code; });

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== null) assert.fail(`wrangler dev exited (${exited}):\n${devLog}`);
    if ((await send('/events', { timeoutMs: 2_000 })).status === 401) break;
    if (Date.now() > deadline) assert.fail(`wrangler dev did not start:\n${devLog}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, { timeout: 180_000 });

after(async () => {
  if (dev && exited === null) {
    const gone = new Promise((resolve) => dev.once('exit', resolve));
    process.kill(-dev.pid, 'SIGTERM');
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (exited === null) process.kill(-dev.pid, 'SIGKILL');
  }
  await writeFile(path.join(ROOT, 'tests/artifacts/worker-dev.log'), devLog).catch(() => {});
});

test('wrangler dev serves the Worker', async () => {
  await assertServerAlive('start-up');
});

const bad = [
  ['a chunked form body of 64 KiB + 1 to /webhooks/hitpay', '/webhooks/hitpay', { 'content-type': FORM }, 64 * 1024 + 1, 413, 'PAYLOAD_TOO_LARGE'],
  ['a chunked form body of 300 KB to /webhooks/hitpay', '/webhooks/hitpay', { 'content-type': FORM }, 300_000, 413, 'PAYLOAD_TOO_LARGE'],
  ['a chunked form body of 1 MiB to /webhooks/hitpay', '/webhooks/hitpay', { 'content-type': FORM }, 1024 * 1024, 413, 'PAYLOAD_TOO_LARGE'],
  ['a chunked JSON body of 1.5 MiB to /webhooks/hitpay/events', '/webhooks/hitpay/events',
    { 'content-type': 'application/json', 'hitpay-signature': '0'.repeat(64) }, 1536 * 1024, 413, 'PAYLOAD_TOO_LARGE'],
  ['a chunked JSON body of 1 MiB to /webhooks/smart-router', '/webhooks/smart-router',
    { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('u:p').toString('base64')}` }, 1024 * 1024, 413, 'PAYLOAD_TOO_LARGE'],
  // Refused before the body is read at all.
  ['a chunked body of 1 MiB to /webhooks/smart-router without credentials', '/webhooks/smart-router',
    { 'content-type': 'application/json' }, 1024 * 1024, 401, 'UNAUTHORIZED'],
  ['a chunked body of 1 MiB with the wrong media type', '/webhooks/hitpay', { 'content-type': 'text/plain' }, 1024 * 1024, 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ['a chunked body of 1 MiB to an unknown API route', '/webhooks/nope', { 'content-type': FORM }, 1024 * 1024, 404, 'NOT_FOUND'],
];

for (const [what, route, headers, size, status, code] of bad) {
  test(`${what}: ${status} ${code}, and the dev server lives on`, async () => {
    const res = await send(route, { method: 'POST', body: size, headers });
    assert.equal(res.status, status, JSON.stringify(res));
    assert.equal(res.body.code, code);
    await assertServerAlive(what);
  });
}

test('a 1 MiB body with Content-Length to /webhooks/hitpay: 413, and the dev server lives on', async () => {
  const res = await send('/webhooks/hitpay', { method: 'POST', body: Buffer.alloc(1024 * 1024, 0x61), headers: { 'content-type': FORM } });
  assert.equal(res.status, 413, JSON.stringify(res));
  assert.equal(res.body.code, 'PAYLOAD_TOO_LARGE');
  await assertServerAlive('a 1 MiB body with Content-Length');
});
