// Benchmark: verifying one HitPay webhook (form body + `hmac` field) in Node.
//
//   node bench/hitpay.mjs            full run (~35 s on 2 cores)
//   node bench/hitpay.mjs --quick    short rounds, for smoke-testing (numbers are noisy)
//   node bench/hitpay.mjs --json     results as JSON on stdout (for the README)
//
// Every alternative verifies the same documented sample body and returns the same
// result as payhook: `{ paymentId, …, status, fields }` (checked once at start, along
// with the rejection of tampered bodies), so the comparison includes the work of
// turning the body into an object, not just the HMAC.
//
// Method: one warm-up per alternative (also used to size the rounds), then ROUNDS
// timed rounds of about ROUND_MS each, interleaved (round 1 of every alternative, then
// round 2, …) so that a slow moment of the machine hits all of them alike. A round
// times a loop of N calls with process.hrtime.bigint(); the reported figure is the
// median of the rounds' ops/s. Async alternatives are awaited one call at a time.
// Ratios and differences are taken within each round (paired: measured seconds apart)
// and the median of those is reported, which keeps a noisy machine from skewing them.
// `iqr` is the interquartile range of the rounds, ± half of it as % of the median.

import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import { verifyHitpayWebhook, HitpayVerifier } from 'payhook';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { expectedWebhook, parseHitpayForm } from '../tests/node/lib/hitpay-reference.mjs';

// The wasm-bindgen glue that payhook's JS wrapper calls. Resolved from the same file
// as `payhook`, so this is the same, already initialised, module instance. Only used
// in the breakdown, to time the wasm call without payhook's JS wrapper around it.
const raw = await import(new URL('./gen/payhook_core.js', import.meta.resolve('payhook')).href);

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (arg !== '--json' && arg !== '--quick') {
    console.error(`unknown option ${arg}; use --json and/or --quick`);
    process.exit(2);
  }
}
const AS_JSON = args.has('--json');
const QUICK = args.has('--quick');
const ROUNDS = QUICK ? 3 : 10;
const ROUND_MS = QUICK ? 40 : 250; // main table
const PROBE_ROUND_MS = QUICK ? 20 : 80; // breakdown probes
const WARMUP_MS = QUICK ? 30 : 100;

// ---------------------------------------------------------------- inputs

// The sample from HitPay's documentation.
const BODY =
  'payment_id=92965a2d-ece3-4ace-1245-494050c9a3c1&payment_request_id=92965a20-dae5-4d89-a452-5fdfa382dbe1' +
  '&reference_number=ABC123&phone=&amount=599.00&currency=SGD&status=completed' +
  '&hmac=d8530333b566266dad17531d6a26619a6ef05a53a2351eb1aff764fa7d019a39';
const SALT = 'salt_for_tests_only';
const BODY_BYTES = new TextEncoder().encode(BODY); // what a server gets from `await req.arrayBuffer()`
const TAMPERED = [
  BODY.replace('amount=599.00', 'amount=999.00'), // a field changed
  BODY.replace('hmac=d', 'hmac=e'), // the signature changed
  BODY.replace(/&hmac=.*$/, ''), // no signature
];

// ---------------------------------------------------------------- hand-written verifiers

// Shared by (c)–(e): what a careful user writes without payhook (the form parser and
// the result's shape are tests/node/lib/hitpay-reference.mjs).
const utf8 = new TextEncoder();

// The signed message, keys sorted by their UTF-8 bytes as HitPay does (Buffer.compare
// on Buffer.from(key), each key encoded once, not once per comparison).
function messageUtf8Order(fields) {
  const keys = Object.keys(fields).map((k) => [Buffer.from(k), k]);
  keys.sort((a, b) => Buffer.compare(a[0], b[0]));
  let msg = '';
  for (const [, k] of keys) msg += k + fields[k];
  return msg;
}

// The same with the plain `.sort()` most users write (UTF-16 order: differs from
// HitPay's for keys mixing characters above U+FFFF with U+E000–U+FFFF; same here).
function messagePlainSort(fields) {
  let msg = '';
  for (const k of Object.keys(fields).sort()) msg += k + fields[k];
  return msg;
}

// (c) node:crypto. The HMAC is compared as bytes: digest() (raw) against the decoded
// hex signature, with timingSafeEqual (same as a hex digest decoded, one step less).
function verifyNodeCrypto(body, salt, message = messageUtf8Order) {
  const { fields, sig } = parseHitpayForm(body);
  const mac = createHmac('sha256', salt).update(message(fields)).digest();
  if (!timingSafeEqual(mac, Buffer.from(sig, 'hex'))) throw new Error('signature mismatch');
  return expectedWebhook(fields);
}

// (d) @noble/hashes v2 (bytes only: the salt and message are UTF-8 encoded here).
function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
function verifyNoble(body, salt) {
  const { fields, sig } = parseHitpayForm(body);
  const mac = hmac(sha256, utf8.encode(salt), utf8.encode(messageUtf8Order(fields)));
  if (!equalBytes(mac, hexToBytes(sig))) throw new Error('signature mismatch');
  return expectedWebhook(fields);
}

// (e) WebCrypto. subtle.verify compares in constant time itself.
const subtle = globalThis.crypto.subtle;
const importSalt = (salt) => subtle.importKey('raw', utf8.encode(salt), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
async function verifyWebCrypto(body, key) {
  const { fields, sig } = parseHitpayForm(body);
  const ok = await subtle.verify('HMAC', key, Buffer.from(sig, 'hex'), utf8.encode(messageUtf8Order(fields)));
  if (!ok) throw new Error('signature mismatch');
  return expectedWebhook(fields);
}
const CACHED_KEY = await importSalt(SALT);

// ---------------------------------------------------------------- alternatives

// Each alternative is `verify(input)`, timed on `input` (the sample body as a string,
// or as bytes for (f) and (f2)).
const verifier = new HitpayVerifier(SALT);
const ALTERNATIVES = [
  { id: 'a', name: 'payhook verifyHitpayWebhook(string, salt)', verify: (b) => verifyHitpayWebhook(b, SALT) },
  { id: 'b', name: 'payhook HitpayVerifier.verify(string)', verify: (b) => verifier.verify(b) },
  { id: 'f', name: 'payhook verifyHitpayWebhook(Uint8Array, salt)', verify: (b) => verifyHitpayWebhook(b, SALT), bytes: true },
  { id: 'f2', name: 'payhook HitpayVerifier.verify(Uint8Array)', verify: (b) => verifier.verify(b), bytes: true },
  { id: 'c', name: 'node:crypto createHmac, UTF-8 key order', verify: (b) => verifyNodeCrypto(b, SALT) },
  { id: "c'", name: 'node:crypto createHmac, plain .sort()', verify: (b) => verifyNodeCrypto(b, SALT, messagePlainSort) },
  { id: 'd', name: '@noble/hashes hmac(sha256)', verify: (b) => verifyNoble(b, SALT) },
  { id: 'e', name: 'WebCrypto subtle.verify, key cached (async)', verify: (b) => verifyWebCrypto(b, CACHED_KEY), async: true },
  { id: "e'", name: 'WebCrypto importKey + verify per call (async)', verify: async (b) => verifyWebCrypto(b, await importSalt(SALT)), async: true },
];
for (const alt of ALTERNATIVES) {
  const input = alt.bytes ? BODY_BYTES : BODY;
  alt.fn = () => alt.verify(input);
}

// Every alternative accepts the valid body with the same result, and rejects each tampered one.
const expected = verifyHitpayWebhook(BODY, SALT);
assert.equal(expected.amount, '599.00');
for (const alt of ALTERNATIVES) {
  const as = (body) => (alt.bytes ? utf8.encode(body) : body);
  // The same data (payhook's objects have no prototype, the alternatives' have one).
  const data = (r) => JSON.parse(JSON.stringify(r));
  assert.deepStrictEqual(data(await alt.verify(as(BODY))), data(expected), `${alt.id} returns a different result`);
  for (const bad of TAMPERED) {
    await assert.rejects(async () => alt.verify(as(bad)), `${alt.id} accepted a tampered body: ${bad}`);
  }
}

// ---------------------------------------------------------------- timing

let sink; // every result is stored here so that no call can be optimised away

function loopSync(fn, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink = fn();
  return Number(process.hrtime.bigint() - t0);
}
async function loopAsync(fn, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink = await fn();
  return Number(process.hrtime.bigint() - t0);
}
const loop = (c, n) => (c.async ? loopAsync(c.fn, n) : loopSync(c.fn, n));

// Warm-up: runs batches of doubling size for at least `ms`; the last batch's speed
// sizes the rounds.
async function warmUp(c, ms) {
  let n = 16;
  for (let spent = 0; ; n *= 2) {
    const ns = await loop(c, n);
    spent += ns;
    if (spent >= ms * 1e6) return n / ns; // ops per ns
  }
}

// Quantile with linear interpolation; q = 0.5 is the median.
const quantile = (xs, q) => {
  const s = [...xs].sort((p, r) => p - r);
  const i = (s.length - 1) * q;
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
};
const median = (xs) => quantile(xs, 0.5);

// Warm-up all, then ROUNDS interleaved rounds; sets opsPerSec, nsPerOp, iqrPct, rounds on each case.
async function measure(cases, roundMs, label) {
  const sizes = new Map();
  for (const c of cases) {
    const perNs = await warmUp(c, WARMUP_MS);
    sizes.set(c, Math.max(1, Math.round(perNs * roundMs * 1e6)));
  }
  const samples = new Map(cases.map((c) => [c, []]));
  const progress = process.stderr.isTTY ? (text) => process.stderr.write(text) : () => {};
  for (let r = 0; r < ROUNDS; r++) {
    progress(`\r${label}: round ${r + 1}/${ROUNDS}`);
    for (const c of cases) {
      const n = sizes.get(c);
      samples.get(c).push((n / (await loop(c, n))) * 1e9);
    }
  }
  progress('\r\x1b[K');
  for (const c of cases) {
    const xs = samples.get(c);
    c.opsPerSec = median(xs);
    c.nsPerOp = 1e9 / c.opsPerSec;
    c.iqrPct = (50 * (quantile(xs, 0.75) - quantile(xs, 0.25))) / c.opsPerSec;
    c.rounds = xs; // ops/s of each round, in order
  }
}

// Paired comparisons: the median over rounds of f(round r of x, round r of y).
const pairedRatio = (x, y) => median(x.rounds.map((ops, r) => ops / y.rounds[r]));
const pairedNsDiff = (x, y) => median(x.rounds.map((ops, r) => 1e9 / ops - 1e9 / y.rounds[r]));

const started = process.hrtime.bigint();
await measure(ALTERNATIVES, ROUND_MS, 'alternatives');
const byId = Object.fromEntries(ALTERNATIVES.map((c) => [c.id, c]));
const ratio = (id, base) => pairedRatio(byId[id], byId[base]);

// ---------------------------------------------------------------- breakdown probes

// What payhook's time is made of. Each probe is timed like the alternatives, with
// (a) and (b) measured again in the same interleaved rounds; the breakdown printed
// below is built from paired differences of these measurements.
const encoded = raw.hitpay_verify_webhook(BODY_BYTES, SALT); // the "<len>:<item>…" string the core returns
const keyedSalt = raw.hitpay_salt(SALT); // the keyed salt a HitpayVerifier holds
const encodedBytes = utf8.encode(encoded);
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const MESSAGE = messageUtf8Order(parseHitpayForm(BODY).fields); // the signed message, for the HMAC probes
const BIG = 16 * 1024; // bytes, a multiple of the 64-byte SHA-256 block
const bigBytes = new Uint8Array(BIG).fill(0x61);
const emptyBytes = new Uint8Array(0);
const WRONG_SIG = '0'.repeat(64);
const catching = (f) => () => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};
const PROBES = [
  { id: 'a', name: '(a) again: verifyHitpayWebhook(string, salt)', fn: ALTERNATIVES[0].fn },
  { id: 'b', name: '(b) again: HitpayVerifier.verify(string)', fn: ALTERNATIVES[1].fn },
  { id: 'rawKeyed', name: 'wasm call only, as (b) makes it: keyed salt, body as bytes -> encoded result', fn: () => keyedSalt.verify(BODY_BYTES) },
  { id: 'rawBytes', name: 'wasm call only, salt keyed in the call: hitpay_verify_webhook(bytes, salt)', fn: () => raw.hitpay_verify_webhook(BODY_BYTES, SALT) },
  { id: 'tiny', name: 'tiny wasm call, string in/out: hitpay_parse_redirect("/?reference=a&status=b")', fn: () => raw.hitpay_parse_redirect('/?reference=a&status=b') },
  // Not a measure of the crossing: mostly creating the PayhookError (stack trace) and throwing it.
  { id: 'error', name: "a failure: verifyHitpayWebhook('', salt) throws MISSING_SIGNATURE", fn: catching(() => verifyHitpayWebhook('', SALT)) },
  { id: 'decode', name: `TextDecoder.decode of the ${encodedBytes.length}-byte encoded result`, fn: () => decoder.decode(encodedBytes) },
  { id: 'nodeMac', name: `node:crypto HMAC of the ${utf8.encode(MESSAGE).length}-byte signed message (createHmac…digest)`, fn: () => createHmac('sha256', SALT).update(MESSAGE).digest() },
  { id: 'nodeMac0', name: 'node:crypto HMAC of 0 bytes (Buffer)', fn: () => createHmac('sha256', SALT).update(emptyBytes).digest() },
  { id: 'nodeMacBig', name: `node:crypto HMAC of ${BIG} bytes (Buffer)`, fn: () => createHmac('sha256', SALT).update(bigBytes).digest() },
  // hitpay_verify_event with a wrong signature: keys the salt, HMACs the body,
  // returns the SIGNATURE_MISMATCH error string before any JSON parsing. The difference
  // between the two sizes is the wasm SHA-256 cost of BIG bytes (plus a 16 KiB memcpy).
  { id: 'wasmMac0', name: 'wasm HMAC of 0 bytes (hitpay_verify_event, wrong signature)', fn: () => raw.hitpay_verify_event(emptyBytes, WRONG_SIG, SALT) },
  { id: 'wasmMacBig', name: `wasm HMAC of ${BIG} bytes (same)`, fn: () => raw.hitpay_verify_event(bigBytes, WRONG_SIG, SALT) },
];
assert.equal(catching(() => verifyHitpayWebhook('', SALT))().code, 'MISSING_SIGNATURE');
assert.match(raw.hitpay_verify_event(bigBytes, WRONG_SIG, SALT), /^!.*SIGNATURE_MISMATCH/);
assert.match(raw.hitpay_verify_event(emptyBytes, WRONG_SIG, SALT), /^!.*SIGNATURE_MISMATCH/);
assert.equal(decoder.decode(encodedBytes), encoded);

await measure(PROBES, PROBE_ROUND_MS, 'breakdown');
const P = Object.fromEntries(PROBES.map((c) => [c.id, c.nsPerOp]));
const probe = Object.fromEntries(PROBES.map((c) => [c.id, c]));
const diff = (x, y) => pairedNsDiff(probe[x], probe[y]); // ns/op of x minus ns/op of y
const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;

// SHA-256 compression-function calls (64-byte blocks) for the signed message:
// inner hash = ceil((len + 9) / 64) blocks, outer hash = 1 block, and keying the
// salt (HMAC's ipad and opad blocks) adds 2 more when it is done per call.
const msgLen = utf8.encode(MESSAGE).length;
const macBlocks = Math.ceil((msgLen + 9) / 64) + 1;
const wasmPerBlock = diff('wasmMacBig', 'wasmMac0') / (BIG / 64);
const nodePerBlock = diff('nodeMacBig', 'nodeMac0') / (BIG / 64);

const bNs = P.b; // (b) as measured in the breakdown rounds
const breakdown = {
  payhookNsPerOp: bNs,
  jsWrapperNs: diff('b', 'rawKeyed'), // type checks, isWellFormed, size limit, UTF-8 encoding of the string, splitting the encoded result, building the objects
  wasmCallNs: P.rawKeyed, // glue (bytes in, string out) + everything in wasm
  saltKeyingPerCallNs: diff('rawBytes', 'rawKeyed'), // passing the salt and keying the HMAC in every call
  lastSaltCacheNs: diff('a', 'b'), // verifyHitpayWebhook (checks that the salt is the last one) vs HitpayVerifier
  tinyCallNs: P.tiny, // fixed cost of a wasm call that passes a small string each way
  resultDecodeNs: P.decode, // TextDecoder on the encoded result (part of wasmCallNs)
  wasmShaPerBlockNs: wasmPerBlock,
  nodeShaPerBlockNs: nodePerBlock,
  signedMessageBytes: msgLen,
  macBlocksKeyed: macBlocks,
  wasmMacEstimateNs: macBlocks * wasmPerBlock, // HMAC of this message with a keyed salt
  restNs: P.rawKeyed - macBlocks * wasmPerBlock - P.decode, // crossing, malloc/free, form decoding, sort, duplicate check, encoding the result
  wasmKeyingEstimateNs: 2 * wasmPerBlock,
  nodeMacOfMessageNs: P.nodeMac, // node:crypto's whole createHmac…digest for the message
  fastFailureNs: P.error,
};

// ---------------------------------------------------------------- output

// The targets of the performance issue: verifyHitpayWebhook >= 1.5x the node:crypto
// verifier and >= 3x pure JS (@noble/hashes); the reusable HitpayVerifier >= 2x node:crypto.
const TARGET = 1.5;
const VERIFIER_TARGET = 2;
const NOBLE_TARGET = 3;
const target = {
  goal: `payhook >= ${TARGET}x node:crypto (c)`,
  verifyHitpayWebhook: ratio('a', 'c'),
  HitpayVerifier: ratio('b', 'c'),
  bestPayhook: Math.max(...['a', 'b', 'f', 'f2'].map((id) => ratio(id, 'c'))),
  verifyHitpayWebhookVsNoble: ratio('a', 'd'),
};
target.met = target.verifyHitpayWebhook >= TARGET;
target.verifierMet = target.HitpayVerifier >= VERIFIER_TARGET;
target.nobleMet = target.verifyHitpayWebhookVsNoble >= NOBLE_TARGET;

if (AS_JSON) {
  console.log(JSON.stringify({
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: os.cpus()[0]?.model,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    method: { rounds: ROUNDS, roundMs: ROUND_MS, probeRoundMs: PROBE_ROUND_MS, statistic: 'median ops/s of interleaved rounds; ratios and differences: median of per-round values', quick: QUICK },
    body: BODY,
    results: ALTERNATIVES.map((c) => ({
      id: c.id,
      name: c.name,
      opsPerSec: Math.round(c.opsPerSec),
      nsPerOp: Math.round(c.nsPerOp),
      vsNodeCrypto: +ratio(c.id, 'c').toFixed(3),
      vsNoble: +ratio(c.id, 'd').toFixed(3),
      iqrPct: +c.iqrPct.toFixed(1),
      rounds: c.rounds.map(Math.round),
    })),
    target,
    probes: PROBES.map((c) => ({ id: c.id, name: c.name, nsPerOp: Math.round(c.nsPerOp), iqrPct: +c.iqrPct.toFixed(1) })),
    breakdown: Object.fromEntries(Object.entries(breakdown).map(([k, v]) => [k, Math.round(v)])),
    elapsedSeconds: +elapsedS.toFixed(1),
  }, null, 2));
} else {
  const f0 = (x) => Math.round(x).toLocaleString('en-US');
  const f2 = (x) => x.toFixed(2);
  console.log(`HitPay webhook verification, documentation sample (${BODY.length}-byte body, 7 fields + hmac)`);
  console.log(`${process.version} ${process.platform}-${process.arch}, ${os.cpus()[0]?.model}, ${os.availableParallelism?.() ?? os.cpus().length} cores;` +
    ` median of ${ROUNDS} interleaved rounds of ~${ROUND_MS} ms${QUICK ? ' (--quick: noisy)' : ''}\n`);
  const W = Math.max(...ALTERNATIVES.map((c) => c.name.length)) + 6;
  const iqr = (c) => `±${Math.round(c.iqrPct)}%`;
  console.log(`${'alternative'.padEnd(W)}${'ops/s'.padStart(11)}${'iqr'.padStart(6)}${'ns/op'.padStart(9)}${'vs (c)'.padStart(9)}${'vs (d)'.padStart(9)}`);
  for (const c of ALTERNATIVES) {
    console.log(`${`(${c.id})`.padEnd(5)} ${c.name.padEnd(W - 6)}${f0(c.opsPerSec).padStart(11)}${iqr(c).padStart(6)}${f0(c.nsPerOp).padStart(9)}` +
      `${`${f2(ratio(c.id, 'c'))}x`.padStart(9)}${`${f2(ratio(c.id, 'd'))}x`.padStart(9)}`);
  }
  console.log(`\n(c) sorts keys by UTF-8 bytes (Buffer.compare), as HitPay signs; (c') uses plain .sort() (UTF-16 order), same result for these keys.`);
  console.log(`Target ${target.goal}: ${target.met ? 'MET' : 'NOT MET'} — verifyHitpayWebhook ${f2(target.verifyHitpayWebhook)}x,` +
    ` HitpayVerifier ${f2(target.HitpayVerifier)}x, best payhook variant ${f2(target.bestPayhook)}x`);
  console.log(`Target HitpayVerifier >= ${VERIFIER_TARGET}x node:crypto (c): ${target.verifierMet ? 'MET' : 'NOT MET'} — ${f2(target.HitpayVerifier)}x` +
    ` (Uint8Array body: ${f2(ratio('f2', 'c'))}x)`);
  console.log(`Target verifyHitpayWebhook >= ${NOBLE_TARGET}x @noble/hashes (d): ${target.nobleMet ? 'MET' : 'NOT MET'} — ${f2(target.verifyHitpayWebhookVsNoble)}x` +
    ` (HitpayVerifier ${f2(ratio('b', 'd'))}x)`);

  console.log(`\nProbes (median of ${ROUNDS} rounds of ~${PROBE_ROUND_MS} ms)`);
  for (const c of PROBES) console.log(`  ${f0(c.nsPerOp).padStart(7)} ns ${iqr(c).padStart(5)}  ${c.name}`);

  const B = breakdown;
  const pct = (x) => `${Math.round((100 * x) / bNs)}%`.padStart(4);
  const line = (ns, text) => console.log(`  ${f0(ns).padStart(7)} ns ${pct(ns)}  ${text}`);
  console.log(`\nWhere HitpayVerifier.verify(string) spends its ${f0(bNs)} ns (paired differences of the probes; as noisy as their iqr):`);
  line(B.jsWrapperNs, 'JS: argument checks, UTF-8 encoding of the body (encodeInto), splitting the result, building the object  [(b) − rawKeyed]');
  line(B.wasmCallNs, 'the wasm call: glue (bytes in, string out) + the core  [rawKeyed]');
  line(B.wasmMacEstimateNs, `  of which HMAC of the ${msgLen}-byte message ≈ ${macBlocks} blocks × ${f0(wasmPerBlock)} ns/block (wasm SHA-256, key state precomputed)`);
  line(B.resultDecodeNs, `  of which TextDecoder on the ${encodedBytes.length}-byte encoded result  [decode]`);
  line(B.restNs, '  rest: crossing, malloc/free, form decoding, sort, duplicate check, encoding the result');
  console.log('  Not in (b):');
  line(B.lastSaltCacheNs, '  verifyHitpayWebhook(string, salt) on top of (b): checking the salt is the last one used  [(a) − (b)]');
  line(B.saltKeyingPerCallNs, `  keying the salt in every call (the unkeyed glue)  [rawBytes − rawKeyed]; SHA-256 alone ≈ ${f0(B.wasmKeyingEstimateNs)} ns (2 blocks)`);
  line(B.tinyCallNs, '  for scale: a small wasm call, string in and out  [tiny]');
  console.log(`  Reference: SHA-256 per 64-byte block: wasm ${f0(wasmPerBlock)} ns, node:crypto (OpenSSL) ${f0(nodePerBlock)} ns;` +
    ` node:crypto's whole HMAC of the message: ${f0(P.nodeMac)} ns.`);
  console.log(`\nMeasured in ${elapsedS.toFixed(1)} s.`);
}
