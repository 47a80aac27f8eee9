// Benchmark: diagnoseHitpayWebhook against verifyHitpayWebhook on the same hostile
// 64 KiB bodies (issue 14: a diagnosis must cost at most 5 verifications).
//
//   node bench/diagnose.mjs [path to a payhook entry, default 'payhook']
//
// Each body has a wrong `hmac`, so both calls do all their work (the verification
// throws SIGNATURE_MISMATCH; the diagnosis tries its hypotheses). The bodies are
// made to defeat every shortcut: thousands of fields, upper-case and unsorted keys,
// percent-escapes, keys that sort differently in UTF-16, one huge value. Method:
// ROUNDS interleaved rounds of about ROUND_MS each per call; the figure is the median
// of the per-round ratios (diagnosis time / verification time).
import { pathToFileURL } from 'node:url';

const entry = process.argv[2] ? pathToFileURL(process.argv[2]).href : 'payhook';
const { verifyHitpayWebhook, diagnoseHitpayWebhook } = await import(entry);

const SALT = 'bench-salt';
const LIMIT = 64 * 1024;
const ROUNDS = 7;
const ROUND_MS = 300;

function fill(make) {
  const parts = [];
  let len = 0;
  for (let i = 0; ; i += 1) {
    const p = make(i);
    if (len + p.length + 1 > LIMIT - 80) break;
    parts.push(p);
    len += p.length + 1;
  }
  return `${parts.join('&')}&hmac=${'ab'.repeat(32)}`;
}
const BODIES = {
  'one 64 KiB value': `a=${'x'.repeat(LIMIT - 100)}&hmac=${'ab'.repeat(32)}`,
  'three big fields, unsorted, upper case, escaped': `Z%5A=${'%41'.repeat(7000)}&b=${'y'.repeat(21000)}&A=${'x'.repeat(21000)}&hmac=${'ab'.repeat(32)}`,
  '9,000 short fields': fill((i) => `k${i}=v`),
  '8,000 upper-case unsorted fields': fill((i) => `${(99999 - i).toString(36).toUpperCase()}x=v`),
  '6,000 escaped upper-case fields': fill((i) => `K%41${(99999 - i).toString(36)}=%41`),
  '3,000 keys that sort apart in UTF-16': fill((i) => `${i % 2 ? '%F0%9F%98%80' : '%EF%BD%A1'}${i}=v`),
  '250 keys of 250 bytes sharing a prefix': fill((i) => `${'p'.repeat(240)}${String(99999 - i).toUpperCase()}=v`),
};

function timeRound(fn) {
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    fn();
    n += 1;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return elapsed / n;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const verify = (b) => () => {
  try {
    verifyHitpayWebhook(b, SALT);
  } catch (e) {
    if (e.code !== 'SIGNATURE_MISMATCH') throw e;
  }
};
console.log(`${'body'.padEnd(44)} ${'verify'.padStart(9)} ${'diagnose'.padStart(9)}  ratio`);
let worst = 0;
for (const [name, body] of Object.entries(BODIES)) {
  const v = verify(body);
  const d = () => diagnoseHitpayWebhook(body, SALT);
  v();
  d();
  const ratios = [];
  const vs = [];
  const ds = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    const tv = timeRound(v);
    const td = timeRound(d);
    vs.push(tv);
    ds.push(td);
    ratios.push(td / tv);
  }
  const ratio = median(ratios);
  worst = Math.max(worst, ratio);
  console.log(`${name.padEnd(44)} ${median(vs).toFixed(2).padStart(6)} ms ${median(ds).toFixed(2).padStart(6)} ms  ${ratio.toFixed(1)}x`);
}
console.log(`worst ratio: ${worst.toFixed(1)}x`);
