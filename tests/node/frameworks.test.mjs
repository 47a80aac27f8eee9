// The framework guides run: each example app of examples/ (Hono in Node and in
// workerd, Express 5, Fastify) with its real framework, on 127.0.0.1, sent real
// HTTP requests: a HitPay webhook signed by node:crypto (from the contract's
// rule), the same tampered, a body over the limit streamed with no
// Content-Length (answered 413 long before the upload would end), and a HitPay
// event. Hono's app also takes Smart Router webhooks (basic auth, UNAUTHORIZED).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { readdir } from 'node:fs/promises';
import { ROOT, bundleWorker, miniflare } from './lib/wrangler.mjs';
import { LIMITS } from 'payhook';

const SALT = 'salt_for_tests_only'; // examples/hono/wrangler.toml's test value too
const SR_USER = 'sr-user';
const SR_PASSWORD = 'sr-password';

function hitpaySign(fields, salt) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return createHmac('sha256', salt).update(keys.map((k) => k + fields[k]).join('')).digest('hex');
}
const FIELDS = {
  payment_id: '9a1b2c3d-0000-4000-8000-000000000001', reference_number: 'ORDER 42/ä&x',
  amount: '2500.00', currency: 'SGD', status: 'completed',
};
const FORM = `${new URLSearchParams(FIELDS)}&hmac=${hitpaySign(FIELDS, SALT)}`;
const EVENT = JSON.stringify({ id: 'pr_1', status: 'completed' });
const EVENT_SIG = createHmac('sha256', SALT).update(EVENT).digest('hex');

/** One HTTP request to 127.0.0.1:port; resolves to { status, json }. */
function send(port, pathname, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, json: JSON.parse(text) });
        } catch {
          reject(new Error(`not JSON (${res.statusCode}): ${text.slice(0, 200)}`));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Streams 1 KiB chunks with no Content-Length (chunked) until the server answers
 * or closes the connection, or `max` bytes are sent, over a raw socket. Resolves
 * to { status, json, sent }, status null when the connection closed with no
 * answer read.
 */
function streamUntilAnswered(port, pathname, max, headers = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let sent = 0;
    let received = Buffer.alloc(0);
    let done = false;
    const finish = () => {
      if (done) return false;
      const text = received.toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      if (head < 0) return false;
      const status = Number(text.slice(9, 12));
      const lines = text.slice(0, head).toLowerCase().split('\r\n');
      let body = received.subarray(head + 4);
      if (lines.includes('transfer-encoding: chunked')) {
        const parts = [];
        let rest = body;
        for (;;) {
          const eol = rest.indexOf('\r\n');
          if (eol < 0) return false;
          const n = parseInt(rest.subarray(0, eol).toString(), 16);
          if (n === 0) break;
          if (rest.length < eol + 2 + n + 2) return false;
          parts.push(rest.subarray(eol + 2, eol + 2 + n));
          rest = rest.subarray(eol + 2 + n + 2);
        }
        body = Buffer.concat(parts);
      } else {
        const length = lines.find((l) => l.startsWith('content-length:'));
        if (!length || body.length < Number(length.slice(15))) return false;
      }
      done = true;
      socket.destroy();
      try {
        resolve({ status, json: JSON.parse(body.toString('utf8')), sent });
      } catch {
        reject(new Error(`not JSON (${status}): ${body.toString('utf8').slice(0, 200)}`));
      }
      return true;
    };
    socket.on('data', (d) => {
      received = Buffer.concat([received, d]);
      finish();
    });
    socket.on('error', () => {}); // a reset after the answer; without one, 'close' says so
    // Closed with no answer read: a server that stops an upload may reset the
    // connection, and a reset can discard an answer the client had not read yet.
    socket.on('close', () => {
      if (!finish() && !done) {
        done = true;
        resolve({ status: null, json: null, sent });
      }
    });
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`POST ${pathname} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ntransfer-encoding: chunked\r\n${extra}\r\n`);
    const chunk = Buffer.concat([Buffer.from('400\r\n'), Buffer.alloc(1024, 'a'), Buffer.from('\r\n')]);
    // 16 KiB per turn of the event loop, so that an early answer is read as soon
    // as it arrives, before a reset can discard it.
    const pump = () => {
      for (let i = 0; i < 16 && !done && !socket.destroyed && sent < max; i += 1) {
        sent += 1024;
        socket.write(chunk);
      }
      if (done || socket.destroyed) return;
      if (sent >= max) socket.write('0\r\n\r\n');
      else if (socket.writableNeedDrain) socket.once('drain', () => setImmediate(pump));
      else setImmediate(pump);
    };
    pump();
  });
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * The checks every example passes, against its server on `port()`. `drains`: the
 * framework reads an oversized upload to its end (discarding it) before it
 * answers, as Express's body-parser does.
 */
function hitpayChecks(port, { drains = false } = {}) {
  it('a signed HitPay webhook: 200 with its payment id and status', async () => {
    const res = await send(port(), '/webhooks/hitpay', { body: FORM, headers: form });
    assert.deepEqual(res, { status: 200, json: { ok: true, paymentId: FIELDS.payment_id, status: 'completed' } });
  });

  it('a tampered one: 401 SIGNATURE_MISMATCH', async () => {
    const res = await send(port(), '/webhooks/hitpay', { body: FORM.replace('2500.00', '2500.01'), headers: form });
    assert.deepEqual(res, { status: 401, json: { ok: false, code: 'SIGNATURE_MISMATCH' } });
  });

  it('one without hmac: 401 MISSING_SIGNATURE', async () => {
    const res = await send(port(), '/webhooks/hitpay', { body: 'amount=1', headers: form });
    assert.deepEqual(res, { status: 401, json: { ok: false, code: 'MISSING_SIGNATURE' } });
  });

  it('a body just over 64 KiB, chunked (no Content-Length): 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await streamUntilAnswered(port(), '/webhooks/hitpay', LIMITS.FORM_BODY + 1024, form);
    assert.equal(res.status, 413);
    assert.deepEqual(res.json, { ok: false, code: 'PAYLOAD_TOO_LARGE' });
  });

  if (!drains) {
    it('an endless chunked upload: stopped (413, or the connection closed) long before 8 MiB are sent', async () => {
      const res = await streamUntilAnswered(port(), '/webhooks/hitpay', 8 * 1024 * 1024, form);
      assert.ok(res.status === 413 || res.status === null, `answered ${res.status}`);
      assert.ok(res.sent < 4 * 1024 * 1024, `sent ${res.sent} bytes before the server stopped it`);
    });
  }

  it('a Content-Length over 64 KiB: 413', async () => {
    const res = await send(port(), '/webhooks/hitpay', { body: 'a'.repeat(LIMITS.FORM_BODY + 1), headers: form });
    assert.equal(res.status, 413);
    assert.equal(res.json.code, 'PAYLOAD_TOO_LARGE');
  });

  it('a HitPay event: 200, then 401 with the signature of another body', async () => {
    const headers = { 'content-type': 'application/json', 'hitpay-signature': EVENT_SIG, 'hitpay-event-type': 'completed' };
    assert.deepEqual(await send(port(), '/webhooks/hitpay-events', { body: EVENT, headers }),
      { status: 200, json: { ok: true, eventType: 'completed', id: 'pr_1' } });
    const res = await send(port(), '/webhooks/hitpay-events', { body: EVENT.replace('pr_1', 'pr_2'), headers });
    assert.deepEqual(res, { status: 401, json: { ok: false, code: 'SIGNATURE_MISMATCH' } });
  });
}

function smartRouterChecks(port) {
  const sr = JSON.stringify({ event_id: 'ev_1', event_type: 'transaction.captured' });
  const auth = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  it('a Smart Router webhook with the basic auth of its URL: 200 with the event id', async () => {
    const res = await send(port(), '/webhooks/smart-router', { body: sr, headers: { 'content-type': 'application/json', authorization: auth(SR_USER, SR_PASSWORD) } });
    assert.deepEqual(res, { status: 200, json: { ok: true, eventId: 'ev_1' } });
  });
  it('a wrong password: 401 UNAUTHORIZED', async () => {
    const res = await send(port(), '/webhooks/smart-router', { body: sr, headers: { 'content-type': 'application/json', authorization: auth(SR_USER, 'x') } });
    assert.deepEqual(res, { status: 401, json: { ok: false, code: 'UNAUTHORIZED' } });
  });
}

describe('Express 5 (examples/express, express.raw on the webhook routes)', () => {
  let server;
  before(async () => {
    const { start } = await import('../../examples/express/server.js');
    server = start(0, SALT);
    await new Promise((resolve) => server.once('listening', resolve));
  });
  after(() => new Promise((resolve) => server.close(resolve)));
  hitpayChecks(() => server.address().port, { drains: true });

  it('with express.urlencoded() instead, payhook says to pass the raw body with express.raw()', async () => {
    const express = (await import('express')).default;
    const { verifyHitpayWebhook, PayhookError } = await import('payhook');
    const app = express();
    app.post('/webhooks/hitpay', express.urlencoded({ extended: false }), (req, res) => {
      try {
        verifyHitpayWebhook(req.body, SALT);
        res.json({ ok: true });
      } catch (err) {
        if (!(err instanceof PayhookError)) throw err;
        res.status(400).json({ code: err.code, message: err.message });
      }
    });
    const s = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => s.once('listening', resolve));
    try {
      const res = await send(s.address().port, '/webhooks/hitpay', { body: FORM, headers: form });
      assert.equal(res.status, 400);
      assert.equal(res.json.code, 'MALFORMED_BODY');
      assert.match(res.json.message, /raw body/);
      assert.match(res.json.message, /express\.raw\(/);
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });
});

describe('Fastify (examples/fastify, a raw-body parser in the webhook plugin)', () => {
  let app;
  before(async () => {
    const { start } = await import('../../examples/fastify/server.js');
    app = await start(0, SALT);
  });
  after(() => app.close());
  hitpayChecks(() => app.server.address().port);

  it('a webhook with no Content-Type is read raw too', async () => {
    const res = await send(app.server.address().port, '/webhooks/hitpay', { body: FORM });
    assert.equal(res.status, 200);
  });
});

describe('Hono in Node (examples/hono/node.js, @hono/node-server)', () => {
  let server;
  const saved = {};
  before(async () => {
    for (const [k, v] of Object.entries({ HITPAY_SALT: SALT, SR_USER, SR_PASSWORD })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const { start } = await import('../../examples/hono/node.js');
    server = start(0);
    await new Promise((resolve) => server.once('listening', resolve));
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  });
  hitpayChecks(() => server.address().port);
  smartRouterChecks(() => server.address().port);
});

describe('Hono in workerd (examples/hono/worker.js, bundled by wrangler)', () => {
  const FOLDER = path.join(ROOT, 'examples/hono');
  const OUTDIR = path.join(ROOT, 'tests/artifacts/hono-worker-dist');
  let mf;
  let port;
  before(async () => {
    await bundleWorker(path.join(FOLDER, 'wrangler.toml'), OUTDIR, { removeScratch: true });
    const files = await readdir(OUTDIR);
    assert.equal(files.filter((f) => f.endsWith('.wasm')).length, 1, `wasm modules: ${files}`);
    mf = miniflare(OUTDIR, {
      scriptPath: path.join(OUTDIR, 'worker.js'),
      compatibilityDate: '2026-04-20',
      bindings: { HITPAY_SALT: SALT, SR_USER, SR_PASSWORD },
      port: 0,
    });
    port = Number((await mf.ready).port);
  });
  after(() => mf?.dispose());
  hitpayChecks(() => port);
  smartRouterChecks(() => port);
});
