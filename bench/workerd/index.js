// Benchmark Worker for bench/workerd.mjs: verifies the HitPay documentation sample N
// times in a loop inside the Worker, with one alternative per request.
//
//   GET /bench?alt=a&n=1000   -> { alt, n, workerMs, result }
//   GET /check                -> every alternative accepts the sample with the same
//                                result and rejects the tampered bodies
//
// alt: none (empty loop, the baseline), a (verifyHitpayWebhook), b (HitpayVerifier),
// c (hand-written WebCrypto, key imported once per request), c2 (importKey per webhook).
// workerMs is performance.now() around the loop. Deployed workerd only advances its
// clocks on I/O, so it may be 0; under miniflare it advances (1 ms steps). bench/workerd.mjs
// times whole requests from Node and shows workerMs only as a second opinion.
import { verifyHitpayWebhook, HitpayVerifier } from 'payhook';
import { expectedWebhook, parseHitpayForm } from '../../tests/node/lib/hitpay-reference.mjs';

const BODY =
  'payment_id=92965a2d-ece3-4ace-1245-494050c9a3c1&payment_request_id=92965a20-dae5-4d89-a452-5fdfa382dbe1' +
  '&reference_number=ABC123&phone=&amount=599.00&currency=SGD&status=completed' +
  '&hmac=d8530333b566266dad17531d6a26619a6ef05a53a2351eb1aff764fa7d019a39';
const SALT = 'salt_for_tests_only';
const TAMPERED = [
  BODY.replace('amount=599.00', 'amount=999.00'),
  BODY.replace('hmac=d', 'hmac=e'),
  BODY.replace(/&hmac=.*$/, ''),
];

// ---------------------------------------------------------------- hand-written WebCrypto

// The form parser and the result's shape: tests/node/lib/hitpay-reference.mjs (shared
// with bench/hitpay.mjs and the tests; wrangler bundles it in).
const utf8 = new TextEncoder();

function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// Keys sorted by their UTF-8 bytes, as HitPay signs (each key encoded once).
function message(fields) {
  const keys = Object.keys(fields).map((k) => [utf8.encode(k), k]);
  keys.sort((x, y) => compareBytes(x[0], y[0]));
  let msg = '';
  for (const [, k] of keys) msg += k + fields[k];
  return msg;
}

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

const importSalt = (salt) =>
  crypto.subtle.importKey('raw', utf8.encode(salt), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);

async function verifyWebCrypto(body, key) {
  const { fields, sig } = parseHitpayForm(body);
  const ok = await crypto.subtle.verify('HMAC', key, hexToBytes(sig), utf8.encode(message(fields)));
  if (!ok) throw new Error('signature mismatch');
  return expectedWebhook(fields);
}

// ---------------------------------------------------------------- loops

// Each returns the last result, so that no call can be optimised away.
const LOOPS = {
  none: async (n) => {
    let last = null;
    for (let i = 0; i < n; i++) last = i;
    return last;
  },
  a: async (n) => {
    let last = null;
    for (let i = 0; i < n; i++) last = verifyHitpayWebhook(BODY, SALT);
    return last;
  },
  b: async (n) => {
    const verifier = new HitpayVerifier(SALT); // once per request, like importKey in (c)
    let last = null;
    for (let i = 0; i < n; i++) last = verifier.verify(BODY);
    return last;
  },
  c: async (n) => {
    const key = await importSalt(SALT); // once per request
    let last = null;
    for (let i = 0; i < n; i++) last = await verifyWebCrypto(BODY, key);
    return last;
  },
  c2: async (n) => {
    let last = null;
    for (let i = 0; i < n; i++) last = await verifyWebCrypto(BODY, await importSalt(SALT));
    return last;
  },
};

const json = (data, status = 200) =>
  new Response(JSON.stringify(data), { status, headers: { 'content-type': 'application/json' } });

async function check() {
  const expected = JSON.stringify(verifyHitpayWebhook(BODY, SALT));
  const problems = [];
  for (const alt of ['a', 'b', 'c', 'c2']) {
    const got = JSON.stringify(await LOOPS[alt](1));
    if (got !== expected) problems.push(`${alt} returned ${got}`);
  }
  const verifier = new HitpayVerifier(SALT);
  const key = await importSalt(SALT);
  const rejecters = {
    a: (b) => verifyHitpayWebhook(b, SALT),
    b: (b) => verifier.verify(b),
    c: (b) => verifyWebCrypto(b, key),
  };
  for (const [alt, verify] of Object.entries(rejecters)) {
    for (const bad of TAMPERED) {
      let accepted = false;
      try {
        await verify(bad);
        accepted = true;
      } catch {}
      if (accepted) problems.push(`${alt} accepted ${bad}`);
    }
  }
  return { ok: problems.length === 0, problems, expected: JSON.parse(expected) };
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    try {
      if (url.pathname === '/check') return json(await check());
      if (url.pathname === '/bench') {
        const alt = url.searchParams.get('alt') ?? 'none';
        const n = Number(url.searchParams.get('n') ?? '0');
        const loop = LOOPS[alt];
        if (!loop || !Number.isInteger(n) || n < 0) return json({ error: 'bad alt or n' }, 400);
        const t0 = performance.now();
        const d0 = Date.now();
        const result = await loop(n);
        const workerMs = performance.now() - t0;
        const workerDateMs = Date.now() - d0;
        return json({ alt, n, workerMs, workerDateMs, amount: result?.amount ?? null });
      }
      return json({ error: 'not found' }, 404);
    } catch (err) {
      return json({ error: String(err?.stack ?? err) }, 500);
    }
  },
};
