// Benchmark: verifying the HitPay documentation sample inside a Cloudflare Worker
// (workerd, via miniflare), payhook against the WebCrypto code a Worker author writes.
//
//   node bench/workerd.mjs            full run
//   node bench/workerd.mjs --quick    short rounds, for smoke-testing (numbers are noisy)
//
// bench/workerd/ is bundled by `wrangler deploy --dry-run` (offline, as in
// tests/node/worker.test.mjs) into tests/artifacts/bench-workerd, so 'payhook' resolves
// through the package's `workerd` export condition, then run in miniflare. Each request
// GET /bench?alt=X&n=N verifies the sample N times in a loop inside the Worker.
//
// Timing: deployed workerd freezes performance.now()/Date.now() while a request runs
// without I/O (a Spectre mitigation), so the Worker's own timing may be 0; under
// miniflare it has been seen to advance (coarse, ~1 ms steps?). It is shown as a
// second column when it advances. The main figure times whole requests from Node (process.hrtime.bigint() around
// dispatchFetch + reading the body): each round sends M requests of N verifications
// per alternative, interleaved with M empty requests (n=0) as the baseline; an
// alternative's ns/op = (sum of its M request times − M × median baseline) / (M × N).
// N is sized per alternative so a request takes about REQ_MS. Reported: the median
// over ROUNDS rounds; ratios are paired within rounds, then the median is taken.
//
// Start-up (rough): STARTUPS fresh miniflare instances; for each, the time of the first
// request minus the time of a second identical request (1 verification). workerd may
// evaluate the module (and so instantiate the wasm) while starting, before the first
// request; that part is in "ready", which also includes starting the workerd process.
import assert from 'node:assert/strict';
import { bundleWorker, miniflare } from '../tests/node/lib/wrangler.mjs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (arg !== '--quick') {
    console.error(`unknown option ${arg}; use --quick`);
    process.exit(2);
  }
}
const QUICK = args.has('--quick');
const ROUNDS = QUICK ? 3 : 10;
const M = QUICK ? 3 : 5; // requests per alternative per round
const REQ_MS = QUICK ? 10 : 40; // target duration of one request
const STARTUPS = QUICK ? 2 : 5;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = path.join(ROOT, 'bench/workerd');
const OUTDIR = path.join(ROOT, 'tests/artifacts/bench-workerd'); // absolute: see worker.test.mjs
const COMPATIBILITY_DATE = '2026-04-20'; // same as bench/workerd/wrangler.toml

const ALTERNATIVES = [
  { id: 'a', name: 'payhook verifyHitpayWebhook(string, salt)' },
  { id: 'b', name: 'payhook HitpayVerifier.verify(string)' },
  { id: 'c', name: 'WebCrypto subtle.verify, importKey per request' },
  { id: 'c2', label: "c'", name: 'WebCrypto importKey + verify per webhook' },
];
const BASE = 'c';

// ---------------------------------------------------------------- bundle


await bundleWorker(path.join(WORKER, 'wrangler.toml'), OUTDIR, { removeScratch: true });
assert.ok((await readdir(OUTDIR)).some((f) => f.endsWith('.wasm')), 'wrangler emitted no .wasm module');

const newMiniflare = () => miniflare(OUTDIR, { compatibilityDate: COMPATIBILITY_DATE });

// One timed request: ns from before dispatchFetch to the parsed JSON body.
async function request(mf, pathAndQuery) {
  const t0 = process.hrtime.bigint();
  const res = await mf.dispatchFetch(`http://127.0.0.1${pathAndQuery}`);
  const data = await res.json();
  const ns = Number(process.hrtime.bigint() - t0);
  if (res.status !== 200) throw new Error(`${pathAndQuery}: ${res.status} ${JSON.stringify(data)}`);
  return { ns, data };
}
const bench = (mf, alt, n) => request(mf, `/bench?alt=${alt}&n=${n}`);

const quantile = (xs, q) => {
  const s = [...xs].sort((p, r) => p - r);
  const i = (s.length - 1) * q;
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
};
const median = (xs) => quantile(xs, 0.5);

// ---------------------------------------------------------------- start-up

const startups = [];
for (let i = 0; i < STARTUPS; i++) {
  const t0 = process.hrtime.bigint();
  const fresh = newMiniflare();
  await fresh.ready;
  const readyNs = Number(process.hrtime.bigint() - t0);
  const first = await bench(fresh, 'a', 1);
  const second = await bench(fresh, 'a', 1);
  assert.equal(first.data.amount, '599.00');
  startups.push({ readyNs, firstNs: first.ns, secondNs: second.ns });
  await fresh.dispose();
}

// ---------------------------------------------------------------- benchmark

const mf = newMiniflare();
await mf.ready;
try {
  const { data: checked } = await request(mf, '/check');
  assert.ok(checked.ok, `the Worker's alternatives disagree: ${checked.problems.join('; ')}`);
  assert.equal(checked.expected.amount, '599.00');

  // Warm-up and sizing: doubling N until a request takes REQ_MS (beyond the empty request).
  for (let i = 0; i < 20; i++) await bench(mf, 'none', 0);
  const baseline0 = median(await Promise.all([0, 1, 2, 3, 4].map(async () => (await bench(mf, 'none', 0)).ns)));
  let frozen = true; // whether the Worker's own clock stood still in every timed loop
  for (const alt of ALTERNATIVES) {
    let n = 8;
    for (;;) {
      const { ns, data } = await bench(mf, alt.id, n);
      assert.equal(data.amount, '599.00');
      if (data.workerMs !== 0 || data.workerDateMs !== 0) frozen = false;
      if (ns - baseline0 >= REQ_MS * 1e6) {
        alt.n = Math.max(1, Math.round((n * REQ_MS * 1e6) / (ns - baseline0)));
        break;
      }
      n *= 2;
    }
    alt.rounds = [];
    alt.workerMs = [];
    alt.workerRounds = []; // ops/s from the Worker's own clock, per round
  }

  const baselines = [];
  const progress = process.stderr.isTTY ? (text) => process.stderr.write(text) : () => {};
  const started = process.hrtime.bigint();
  for (let r = 0; r < ROUNDS; r++) {
    progress(`\rworkerd: round ${r + 1}/${ROUNDS}`);
    const empty = [];
    for (let i = 0; i < M; i++) empty.push((await bench(mf, 'none', 0)).ns);
    const base = median(empty);
    baselines.push(base);
    for (const alt of ALTERNATIVES) {
      let total = 0;
      let workerTotalMs = 0;
      for (let i = 0; i < M; i++) {
        const { ns, data } = await bench(mf, alt.id, alt.n);
        total += ns;
        workerTotalMs += data.workerMs;
        alt.workerMs.push(data.workerMs);
        if (data.workerMs !== 0 || data.workerDateMs !== 0) frozen = false;
      }
      const nsPerOp = (total - M * base) / (M * alt.n);
      alt.rounds.push(1e9 / nsPerOp);
      alt.workerRounds.push(workerTotalMs > 0 ? (M * alt.n * 1e3) / workerTotalMs : NaN);
    }
  }
  progress('\r\x1b[K');
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;

  for (const alt of ALTERNATIVES) {
    alt.opsPerSec = median(alt.rounds);
    alt.nsPerOp = 1e9 / alt.opsPerSec;
    alt.iqrPct = (50 * (quantile(alt.rounds, 0.75) - quantile(alt.rounds, 0.25))) / alt.opsPerSec;
    alt.workerOpsPerSec = median(alt.workerRounds);
  }
  // Smallest non-zero step seen in the Worker's clock readings (a hint of its resolution).
  const workerRes = () => {
    const xs = ALTERNATIVES.flatMap((a) => a.workerMs).filter((x) => x > 0);
    const frac = xs.some((x) => !Number.isInteger(x));
    return frac ? 'sub-ms' : '1 ms';
  };
  const byId = Object.fromEntries(ALTERNATIVES.map((a) => [a.id, a]));
  const ratio = (x, y) => median(byId[x].rounds.map((ops, r) => ops / byId[y].rounds[r]));

  // ---------------------------------------------------------------- report

  const f0 = (x) => Math.round(x).toLocaleString('en-US');
  const f2 = (x) => x.toFixed(2);
  const ms = (ns) => (ns / 1e6).toFixed(2);
  const mfVersion = (await import('miniflare/package.json', { with: { type: 'json' } }).catch(() => null))?.default?.version;
  console.log(`HitPay webhook verification inside workerd (miniflare${mfVersion ? ` ${mfVersion}` : ''}), Node ${process.version}, ` +
    `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}${QUICK ? '  [--quick: noisy]' : ''}`);
  console.log(`Median of ${ROUNDS} interleaved rounds; per round and alternative ${M} requests of N verifications, ` +
    `timed from Node, minus the empty-request baseline (median ${ms(median(baselines))} ms/request).`);
  console.log(`Worker's own performance.now()/Date.now() around the loop: ` +
    (frozen ? 'always 0 (frozen without I/O), so not used.' : `advanced under miniflare (median ${median(ALTERNATIVES.flatMap((a) => a.workerMs)).toFixed(3)} ms/request);` +
      ` shown as "in-Worker ops/s" (no request overhead; clock resolution ${workerRes()}).`));
  console.log('');
  const W = 56;
  console.log(`${'alternative'.padEnd(W)}${'N/req'.padStart(8)}${'ops/s'.padStart(11)}${'iqr'.padStart(6)}${'ns/op'.padStart(9)}${`vs (${BASE})`.padStart(9)}${frozen ? '' : 'in-Worker ops/s'.padStart(17)}`);
  for (const a of ALTERNATIVES) {
    console.log(`${`(${a.label ?? a.id})`.padEnd(5)} ${a.name.padEnd(W - 6)}${f0(a.n).padStart(8)}${f0(a.opsPerSec).padStart(11)}` +
      `${`±${Math.round(a.iqrPct)}%`.padStart(6)}${f0(a.nsPerOp).padStart(9)}${`${f2(ratio(a.id, BASE))}x`.padStart(9)}` +
      `${frozen ? '' : (Number.isNaN(a.workerOpsPerSec) ? 'n/a' : f0(a.workerOpsPerSec)).padStart(17)}`);
  }
  console.log(`\n(c) is what a Worker author writes by hand: URLSearchParams, keys sorted by UTF-8 bytes, crypto.subtle.importKey` +
    ` once per request, await crypto.subtle.verify('HMAC', …) per webhook; (c') imports the key per webhook.` +
    ` (b) builds one HitpayVerifier per request.`);
  console.log(`vs WebCrypto (c): verifyHitpayWebhook ${f2(ratio('a', 'c'))}x, HitpayVerifier ${f2(ratio('b', 'c'))}x;` +
    ` vs (c'): ${f2(ratio('a', 'c2'))}x, ${f2(ratio('b', 'c2'))}x`);

  const s = (k) => median(startups.map((x) => x[k]));
  console.log(`\nStart-up (rough, median of ${STARTUPS} fresh miniflare instances): new Miniflare → ready ${ms(s('readyNs'))} ms` +
    ` (workerd process + loading the bundle); first request ${ms(s('firstNs'))} ms, second ${ms(s('secondNs'))} ms,` +
    ` first − second ${ms(median(startups.map((x) => x.firstNs - x.secondNs)))} ms.`);
  console.log(`  The first-request excess covers lazy work on first use; workerd may already have evaluated the module` +
    ` (wasm instantiation by initSync) before "ready", in which case that cost is inside "ready" and not separable here.`);
  console.log(`\nMeasured in ${elapsedS.toFixed(1)} s (plus bundling and start-up).`);
} finally {
  await mf.dispose();
}
