// The Fetch API functions inside workerd, with workerd's own Request:
// tests/fixtures/fetch-worker is bundled by wrangler (so 'payhook' resolves
// through its workerd condition) and run by miniflare on 127.0.0.1; bodies are
// sent whole and streamed without Content-Length (chunked), and an endless
// chunked upload is stopped soon after the limit. Signatures from node:crypto.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { readdir } from 'node:fs/promises';
import { ROOT, bundleWorker, miniflare } from './lib/wrangler.mjs';

const FIXTURE = path.join(ROOT, 'tests/fixtures/fetch-worker');
const OUTDIR = path.join(ROOT, 'tests/artifacts/fetch-worker-dist');
const SALT = 'salt_for_tests_only';
const SECRET = 'callback-secret-for-tests';
const SR_USER = 'sr-user';
const SR_PASSWORD = 'p@ss:word/ä';

function hitpaySign(fields) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return createHmac('sha256', SALT).update(keys.map((k) => k + fields[k]).join('')).digest('hex');
}
const FIELDS = { payment_id: 'p-1', reference_number: 'ORDER ä', amount: '25.00', currency: 'SGD', status: 'completed' };
const FORM = `${new URLSearchParams(FIELDS)}&hmac=${hitpaySign(FIELDS)}`;
const EVENT = JSON.stringify({ id: 'pr_1', status: 'completed' });
const GUID = '5adc265f-f87f-4313-577e-08d3dca1a26c';
const PAYEX = JSON.stringify({ payment: `/psp/creditcard/payments/${GUID}`, paymentNumber: 1234 });
const basic = (u, p) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

let mf;
let port;

before(async () => {
  await bundleWorker(path.join(FIXTURE, 'wrangler.toml'), OUTDIR, { removeScratch: true });
  assert.equal((await readdir(OUTDIR)).filter((f) => f.endsWith('.wasm')).length, 1);
  mf = miniflare(OUTDIR, {
    compatibilityDate: '2026-04-20',
    bindings: { SALT, SECRET, CALLBACK_SECRET: SECRET, SR_USER, SR_PASSWORD },
    port: 0,
  });
  port = Number((await mf.ready).port);
});
after(() => mf?.dispose());

async function call(pathname, init = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { method: 'POST', ...init });
  return { status: res.status, json: await res.json() };
}

/** A body streamed in `n`-byte chunks: Node's fetch sends it chunked, with no Content-Length. */
function chunked(text, n) {
  const bytes = Buffer.from(text);
  let at = 0;
  return {
    body: new ReadableStream({
      pull(c) {
        if (at >= bytes.length) c.close();
        else c.enqueue(new Uint8Array(bytes.subarray(at, (at += n))));
      },
    }),
    duplex: 'half',
  };
}

/**
 * Streams 1 KiB chunks (chunked) until workerd answers or closes, or 8 MiB are
 * sent, over a raw socket; resolves to { status, sent } (status null: closed
 * with no answer read, as a reset can discard it).
 */
function endless(pathname, headers = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let sent = 0;
    let received = '';
    let done = false;
    const end = (status) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ status, sent });
    };
    socket.on('data', (d) => {
      received += d.toString('latin1');
      if (received.includes('\r\n\r\n')) end(Number(received.slice(9, 12)));
    });
    socket.on('error', () => {});
    socket.on('close', () => end(null));
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`POST ${pathname} HTTP/1.1\r\nhost: 127.0.0.1\r\ntransfer-encoding: chunked\r\n${extra}\r\n`);
    const chunk = Buffer.concat([Buffer.from('400\r\n'), Buffer.alloc(1024, 'a'), Buffer.from('\r\n')]);
    const pump = () => {
      for (let i = 0; i < 16 && !done && sent < 8 * 1024 * 1024; i += 1) {
        sent += 1024;
        socket.write(chunk);
      }
      if (done) return;
      if (sent >= 8 * 1024 * 1024) socket.write('0\r\n\r\n');
      else if (socket.writableNeedDrain) socket.once('drain', () => setImmediate(pump));
      else setImmediate(pump);
    };
    pump();
  });
}

describe('verifyHitpayRequest in workerd', () => {
  it('a signed webhook, whole', async () => {
    const { status, json } = await call('/hitpay', { body: FORM });
    assert.equal(status, 200);
    assert.equal(json.result.referenceNumber, 'ORDER ä');
    assert.deepEqual(json.result.fields, FIELDS);
  });

  it('the same streamed in 5-byte chunks with no Content-Length', async () => {
    const { status, json } = await call('/hitpay', chunked(FORM, 5));
    assert.equal(status, 200, JSON.stringify(json));
    assert.equal(json.result.amount, '25.00');
  });

  it('tampered: SIGNATURE_MISMATCH', async () => {
    assert.equal((await call('/hitpay', { body: FORM.replace('25.00', '25.01') })).json.code, 'SIGNATURE_MISMATCH');
  });

  it('64 KiB + 1 byte, chunked: PAYLOAD_TOO_LARGE', async () => {
    const { status, json } = await call('/hitpay', chunked('a'.repeat(64 * 1024 + 1), 4096));
    assert.deepEqual({ status, code: json.code }, { status: 400, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('64 KiB exactly, chunked: read, and judged on its content (MISSING_SIGNATURE)', async () => {
    const { json } = await call('/hitpay', chunked(`a=${'b'.repeat(64 * 1024 - 2)}`, 4096));
    assert.equal(json.code, 'MISSING_SIGNATURE');
  });

  it('an endless chunked upload is stopped long before 8 MiB', async () => {
    const res = await endless('/hitpay');
    assert.ok(res.status === 400 || res.status === null, `answered ${res.status}`);
    assert.ok(res.sent < 4 * 1024 * 1024, `sent ${res.sent} bytes`);
  });

  it('a body already read: INVALID_FIELD (request)', async () => {
    const { json } = await call('/hitpay-read-twice', { body: FORM });
    assert.deepEqual({ code: json.code, field: json.field }, { code: 'INVALID_FIELD', field: 'request' });
  });
});

describe('the other functions in workerd', () => {
  it('verifyHitpayEventRequest: the headers and the payload; a wrong signature refused', async () => {
    const signature = createHmac('sha256', SALT).update(EVENT).digest('hex');
    const headers = { 'hitpay-signature': signature, 'hitpay-event-type': 'completed', 'hitpay-event-object': 'payment_request' };
    const { json } = await call('/hitpay-events', { body: EVENT, headers });
    assert.deepEqual(json.result, { eventType: 'completed', eventObject: 'payment_request', payload: JSON.parse(EVENT) });
    const streamed = await call('/hitpay-events', { ...chunked(EVENT, 3), headers });
    assert.deepEqual(streamed.json.result.payload, JSON.parse(EVENT));
    const wrong = await call('/hitpay-events', { body: `${EVENT} `, headers });
    assert.equal(wrong.json.code, 'SIGNATURE_MISMATCH');
  });

  it('parseSmartRouterRequest: basic auth then the body; UNAUTHORIZED otherwise', async () => {
    const body = JSON.stringify({ event_id: 'ev_1', event_type: 'x' });
    const ok = await call('/smart-router', { body, headers: { authorization: basic(SR_USER, SR_PASSWORD) } });
    assert.deepEqual(ok.json.result, { eventId: 'ev_1', eventType: 'x' });
    const no = await call('/smart-router', { body, headers: { authorization: basic(SR_USER, 'nope') } });
    assert.deepEqual({ code: no.json.code, field: no.json.field }, { code: 'UNAUTHORIZED', field: 'Authorization' });
    const get = await call('/smart-router?event_id=ev_2&event_type=y', { method: 'GET', headers: { authorization: basic(SR_USER, SR_PASSWORD) } });
    assert.deepEqual(get.json.result, { eventId: 'ev_2', eventType: 'y' });
  });

  it('parsePayexRequest', async () => {
    const { json } = await call('/payex', chunked(PAYEX, 7));
    assert.equal(json.result.paymentId, GUID);
    assert.equal(json.result.paymentNumber, 1234);
  });

  it('parseHapiRequest: the signed URL with HAPI\'s keys appended', async () => {
    const pathAndQuery = '/hapi?orderId=o-1';
    const sig = createHmac('sha256', SECRET).update(pathAndQuery).digest('base64url');
    const { json } = await call(`${pathAndQuery}&sig=${sig}&amount=10.50&walletId=w-1`, { body: 'unused' });
    assert.deepEqual(json.result.signed, { orderId: 'o-1' });
    assert.equal(json.result.kind, 'walletTopUp');
    assert.equal(json.result.amount, '10.50');
    const forged = await call(`/hapi?orderId=o-2&sig=${sig}&amount=1&walletId=w`);
    assert.equal(forged.json.code, 'SIGNATURE_MISMATCH');
  });
});
