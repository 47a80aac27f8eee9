// `make load` (worker/scripts/load.mjs): its checks, fed answers and rows that
// hide a loss, a double store, a stored refusal or a wrong answer, must say so;
// then a small run (200 webhooks, concurrency 50) against wrangler dev started
// as `make dev` starts it must pass them all. `make load` runs 2,000.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROVIDERS, check, mix, parseDevVars, plan } from '../../worker/scripts/load.mjs';
import { ROOT } from './lib/wrangler.mjs';

const SETTINGS = parseDevVars(await readFile(path.join(ROOT, 'worker/.dev.vars.example'), 'utf8'));

/** The answers and rows of a run where everything went right. */
const NOW = Date.now();
async function perfectRun(total = 200) {
  const built = await plan({ total, seed: 7, run: 'Ltest', settings: SETTINGS, now: NOW });
  const seen = new Set();
  const results = built.requests.map((request) => {
    if (request.refuse) return { request, status: request.refuse[0], body: { ok: false, code: request.refuse[1] }, ms: 1 };
    const id = `${request.event.provider} ${request.event.key}`;
    const duplicate = seen.has(id);
    seen.add(id);
    return { request, status: 200, body: { ok: true, duplicate }, ms: 2 };
  });
  const rows = built.expected.map((e, i) => ({ id: i + 1, provider: e.provider, key: e.key, payload: {}, fetched: e.followUp ? '{}' : null, fetchError: null }));
  return { built, results, rows };
}

test('the mix: every provider in every category, at least 2,000 by default', async () => {
  assert.deepEqual(mix(2000), { originals: 1420, duplicates: 300, tampered: 160, oversized: 120 });
  assert.throws(() => mix(10), /at least 20/);
  const { built } = await perfectRun(2000);
  assert.equal(built.requests.length, 2000);
  for (const category of ['valid', 'duplicate', 'tampered', 'oversized']) {
    const providers = new Set(built.requests.filter((r) => r.category === category).map((r) => r.provider));
    assert.deepEqual([...providers].sort(), [...PROVIDERS].sort(), category);
  }
  const kinds = new Set(built.requests.filter((r) => r.category === 'oversized').map((r) => r.oversized));
  assert.deepEqual([...kinds].sort(), ['body', 'chunked body', 'url']);
  // Same seed, same stream.
  const again = await plan({ total: 2000, seed: 7, run: 'Ltest', settings: SETTINGS, now: NOW });
  assert.deepEqual(again.requests.map((r) => r.path), built.requests.map((r) => r.path));
});

test('the checks pass a perfect run and catch every kind of loss or excess', async () => {
  const { built, results, rows } = await perfectRun();
  const run = (r = results, s = rows) => check({ requests: built.requests, results: r, rows: s, expected: built.expected });
  assert.deepEqual(run().failures, []);

  // A lost event.
  const lost = run(results, rows.slice(1));
  assert.equal(lost.figures.lost, 1);
  assert.match(lost.failures.join('\n'), /not stored \(lost\)/);
  // A follow-up never done.
  const sr = rows.findIndex((r) => r.provider === 'smart-router');
  const unfetched = run(results, rows.map((r, i) => (i === sr ? { ...r, fetched: null, fetchError: 'HTTP 500' } : r)));
  assert.match(unfetched.failures.join('\n'), /follow-up not fetched \(HTTP 500\)/);
  // Stored twice.
  assert.match(run(results, [...rows, { ...rows[0], id: 999 }]).failures.join('\n'), /stored twice/);
  // A refused request stored.
  const refused = built.requests.find((r) => r.category === 'tampered' && r.path === '/webhooks/hitpay');
  const stored = run(results, [...rows, { id: 1000, provider: 'hitpay', key: `${refused.marker}:completed`, payload: {} }]);
  assert.equal(stored.figures.extra, 1);
  assert.match(stored.failures.join('\n'), /a refused request/);
  // Two deliveries both answered as the first.
  const copy = results.findIndex((r) => r.body?.duplicate === true);
  const twice = results.map((r, i) => (i === copy ? { ...r, body: { ok: true, duplicate: false } } : r));
  assert.match(run(twice).failures.join('\n'), /2 deliveries answered duplicate:false/);
  // An event whose only delivery was sent again after wrangler dev's proxy answered
  // 503 (the lost attempt stored it): duplicate:true is then right; otherwise not.
  const only = results.findIndex((r) => r.request.category === 'valid'
    && results.filter((o) => o.request.event?.key === r.request.event.key).length === 1);
  const asDuplicate = (attempts) => results.map((r, i) => (i === only ? { ...r, attempts, body: { ok: true, duplicate: true } } : r));
  assert.deepEqual(run(asDuplicate(2)).failures, []);
  assert.match(run(asDuplicate(1)).failures.join('\n'), /0 deliveries answered duplicate:false/);
  // A refusal answered with the wrong status, a request never answered.
  const over = results.findIndex((r) => r.request.category === 'oversized');
  const wrong = results.map((r, i) => (i === over ? { ...r, status: 200, body: { ok: true, duplicate: false } } : r));
  assert.match(run(wrong).failures.join('\n'), /not 413 PAYLOAD_TOO_LARGE/);
  const dropped = results.map((r, i) => (i === 0 ? { request: r.request, error: 'ECONNRESET', ms: 1 } : r));
  assert.match(run(dropped).failures.join('\n'), /no answer \(ECONNRESET\)/);
});

test('a small load against wrangler dev: 200 webhooks at concurrency 50, nothing lost', { timeout: 300_000 }, async (t) => {
  const out = path.join(ROOT, 'tests/artifacts/load-small.json');
  await mkdir(path.dirname(out), { recursive: true });
  const { code, stdout, stderr } = await new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'worker/scripts/load.mjs'), '--webhooks', '200', '--concurrency', '50', '--json', out, '--timeout', '240'],
      { cwd: ROOT, timeout: 290_000 }, (err, so, se) => resolve({ code: err ? err.code : 0, stdout: so, stderr: se }));
  });
  assert.equal(code, 0, `${stdout}\n${stderr}`);
  const summary = JSON.parse(await readFile(out, 'utf8'));
  t.diagnostic(stdout.trim());
  assert.equal(summary.ok, true);
  assert.equal(summary.requests, 200);
  assert.equal(summary.concurrency, 50);
  assert.deepEqual(summary.failures, []);
  assert.equal(summary.lost, 0);
  assert.equal(summary.extra, 0);
  assert.equal(summary.storedRows, summary.expectedRows);
  assert.ok(summary.followUps > 0 && summary.followUpGets >= summary.followUps);
  for (const c of ['valid', 'duplicate', 'tampered', 'oversized']) assert.ok(summary.byCategory[c].requests > 0, c);
  assert.ok(summary.p50 > 0 && summary.p99 >= summary.p50);
  assert.match(stdout, /requests\/s; latency p50 [\d.]+ ms, p99 [\d.]+ ms/);
  assert.match(stdout, /nothing lost, nothing stored twice, nothing stored for a refused request: OK/);
});
