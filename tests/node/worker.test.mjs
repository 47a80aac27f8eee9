// The package in a Cloudflare Worker, as a user ships it: tests/fixtures/worker is
// bundled by `wrangler deploy --dry-run` (so 'payhook' resolves through the
// package's `workerd` export condition), then the bundle runs in workerd via the
// miniflare API and is sent real HTTP requests. Offline: wrangler gets no account,
// no metrics and no config outside the repo; miniflare listens on 127.0.0.1 only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { bundleWorker, miniflare } from './lib/wrangler.mjs';
import { createHmac } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(ROOT, 'tests/fixtures/worker');
// Absolute on purpose: wrangler resolves a relative --outdir against the folder of
// wrangler.toml, not the working directory.
const OUTDIR = path.join(ROOT, 'tests/artifacts/worker-dist');
const SALT = 'salt_for_tests_only';
const COMPATIBILITY_DATE = '2026-04-20'; // same as tests/fixtures/worker/wrangler.toml

// The shared HitPay vectors: the repo's copy when there is one, else the shared folder.
async function loadVectors() {
  for (const file of [path.join(ROOT, 'tests/vectors/hitpay.json'), '/work/shared/vectors/hitpay.json']) {
    try {
      return JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
    }
  }
  return null;
}
const vectors = await loadVectors();

let mf;
let bundle; // text of the bundled entry module
let wasmFile; // name of the .wasm module wrangler emitted next to it
let buildLog;


// HitPay's rule, written independently of the library: every field but hmac,
// sorted by the UTF-8 bytes of the key, key + value concatenated, HMAC-SHA256 hex.
function hitpaySign(fields, salt) {
  const keys = Object.keys(fields)
    .filter((k) => k !== 'hmac')
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  const message = keys.map((k) => k + fields[k]).join('');
  return createHmac('sha256', Buffer.from(salt, 'utf8')).update(message, 'utf8').digest('hex');
}

function formBody(fields, hmac) {
  const params = new URLSearchParams(fields);
  params.append('hmac', hmac);
  return params.toString();
}

const FIELDS = {
  payment_id: '9a1b2c3d-0000-4000-8000-000000000001',
  payment_request_id: '9a1b2c3d-0000-4000-8000-000000000002',
  reference_number: 'ORDER 42/ä&x',
  phone: '+6591234567',
  amount: '2500.00',
  currency: 'SGD',
  status: 'completed',
};

async function post(body, headers = { 'content-type': 'application/x-www-form-urlencoded' }) {
  const res = await mf.dispatchFetch('http://127.0.0.1/webhooks/hitpay', { method: 'POST', body, headers });
  const text = await res.text();
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, `not JSON: ${res.status} ${text}`);
  return { status: res.status, json: JSON.parse(text) };
}

before(async () => {
  buildLog = await bundleWorker(path.join(FIXTURE, 'wrangler.toml'), OUTDIR, { removeScratch: true });

  bundle = await readFile(path.join(OUTDIR, 'index.js'), 'utf8');
  wasmFile = (await readdir(OUTDIR)).find((f) => f.endsWith('.wasm'));

  mf = miniflare(OUTDIR, { compatibilityDate: COMPATIBILITY_DATE, bindings: { HITPAY_SALT: SALT } });
  await mf.ready;
}, { timeout: 150_000 });

after(async () => {
  await mf?.dispose();
});

test('wrangler bundled the workerd entry (compiled .wasm module, no Node file access)', async () => {
  assert.match(buildLog, /Total Upload/);
  assert.ok(wasmFile, `no .wasm emitted in ${OUTDIR}`);
  const wasm = await readFile(path.join(OUTDIR, wasmFile));
  assert.deepEqual([...wasm.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], 'emitted file is not WebAssembly');
  // The wasm is imported as a separate module (CompiledWasm), not inlined or fetched.
  assert.ok(bundle.includes(`from "./${wasmFile}"`), 'bundle does not import the emitted .wasm module');
  assert.ok(!bundle.includes('readFileSync'), 'bundle contains readFileSync: the node entry was picked');
  assert.ok(!bundle.includes('node:fs'), 'bundle imports node:fs');
  assert.ok(!/\bawait init\(/.test(bundle), 'bundle contains the browser entry (top-level await init)');
  // The source map says which of the package's entries went in.
  const map = JSON.parse(await readFile(path.join(OUTDIR, 'index.js.map'), 'utf8'));
  const sources = map.sources.map((s) => s.replaceAll('\\', '/'));
  assert.ok(sources.some((s) => s.endsWith('pkg/workerd.js')), `workerd.js not in bundle: ${sources.join(', ')}`);
  assert.ok(!sources.some((s) => s.endsWith('pkg/node.js') || s.endsWith('pkg/browser.js')), sources.join(', '));
});

test('a webhook signed with node:crypto verifies in the Worker: 200 + fields', async () => {
  const body = formBody(FIELDS, hitpaySign(FIELDS, SALT));
  const { status, json } = await post(body);
  assert.equal(status, 200, JSON.stringify(json));
  assert.equal(json.ok, true);
  assert.deepEqual(json.fields, FIELDS);
  assert.equal(json.status, 'completed');
});

test('the HitPay documentation sample verifies in the Worker', { skip: !vectors && 'no vectors file' }, async () => {
  const sample = vectors.webhooks.find((w) => w.body && w.salt === SALT && /documentation/.test(w.name));
  const { status, json } = await post(sample.body);
  assert.equal(status, 200, JSON.stringify(json));
  assert.deepEqual(json.fields, sample.fields);
});

test('every HitPay vector with a body gives its fields or its code through the Worker', { skip: !vectors && 'no vectors file' }, async () => {
  // The Worker's salt is its HITPAY_SALT binding: the vectors signed with that salt.
  const bodyOf = (c) => (c.body_hex !== undefined ? Buffer.from(c.body_hex, 'hex') : c.body);
  const good = vectors.webhooks.filter((w) => w.body !== undefined && w.salt === SALT);
  const bad = (vectors.invalid ?? []).filter((c) => c.salt === SALT);
  assert.ok(good.length >= 1);
  for (const w of good) {
    const { status, json } = await post(bodyOf(w));
    assert.equal(status, 200, `${w.name}: ${JSON.stringify(json)}`);
    assert.deepEqual(json.fields, w.fields, w.name);
  }
  for (const c of bad) {
    const { status, json } = await post(bodyOf(c));
    const expected = /SIGNATURE/.test(c.code) ? 401 : c.code === 'PAYLOAD_TOO_LARGE' ? 413 : 400;
    assert.equal(json.code, c.code, c.name);
    assert.equal(status, expected, c.name);
  }
});

test('a wrong hmac is refused: 401 SIGNATURE_MISMATCH', async () => {
  const hmac = hitpaySign(FIELDS, SALT);
  const wrong = (hmac[0] === '0' ? '1' : '0') + hmac.slice(1);
  const { status, json } = await post(formBody(FIELDS, wrong));
  assert.equal(status, 401, JSON.stringify(json));
  assert.equal(json.code, 'SIGNATURE_MISMATCH');
  assert.equal(json.ok, false);
  // A signature made with another salt is refused the same way.
  const other = await post(formBody(FIELDS, hitpaySign(FIELDS, 'another salt')));
  assert.equal(other.status, 401);
  assert.equal(other.json.code, 'SIGNATURE_MISMATCH');
});

test('a changed field after signing is refused: 401 SIGNATURE_MISMATCH', async () => {
  const hmac = hitpaySign(FIELDS, SALT);
  const { status, json } = await post(formBody({ ...FIELDS, amount: '2500.01' }, hmac));
  assert.equal(status, 401);
  assert.equal(json.code, 'SIGNATURE_MISMATCH');
});

test('a malformed body is refused: 400 MALFORMED_BODY', async () => {
  const hmac = hitpaySign(FIELDS, SALT);
  const { status, json } = await post(`payment_id=%zz&amount=1.00&hmac=${hmac}`);
  assert.equal(status, 400, JSON.stringify(json));
  assert.equal(json.code, 'MALFORMED_BODY');
  // Not UTF-8 once decoded.
  const bad = await post(`payment_id=%ff%fe&hmac=${hmac}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.json.code, 'MALFORMED_BODY');
});

test('other refusals keep their codes: missing hmac 401, duplicate field 400', async () => {
  const missing = await post(new URLSearchParams(FIELDS).toString());
  assert.equal(missing.status, 401);
  assert.equal(missing.json.code, 'MISSING_SIGNATURE');
  const dup = await post(`amount=1.00&amount=2.00&hmac=${hitpaySign(FIELDS, SALT)}`);
  assert.equal(dup.status, 400);
  assert.equal(dup.json.code, 'DUPLICATE_FIELD');
});

test('the Worker stays usable after errors (many requests in a row)', async () => {
  const good = formBody(FIELDS, hitpaySign(FIELDS, SALT));
  for (let i = 0; i < 50; i++) {
    const body = i % 2 ? good : `x=%zz&hmac=${'0'.repeat(64)}`;
    const { status } = await post(body);
    assert.equal(status, i % 2 ? 200 : 400, `request ${i}`);
  }
});

test('non-POST requests get 405', async () => {
  const res = await mf.dispatchFetch('http://127.0.0.1/webhooks/hitpay');
  assert.equal(res.status, 405);
  assert.equal((await res.json()).code, 'METHOD_NOT_ALLOWED');
});
