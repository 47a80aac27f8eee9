// `payhook/hapi` in a Cloudflare Worker, as a user ships it: tests/fixtures/worker-hapi is
// bundled by `wrangler deploy --dry-run` (so 'payhook/hapi' resolves through its
// `workerd` export condition: pkg/hapi-workerd.js, the HAPI-only wasm as a compiled
// module), then the bundle runs in workerd via miniflare. Expected URLs are built
// here with WHATWG URL, independently of the library. Offline, 127.0.0.1 only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { ROOT, wrangler } from './lib/wrangler.mjs';

const FIXTURE = path.join(ROOT, 'tests/fixtures/worker-hapi');
const OUTDIR = path.join(ROOT, 'tests/artifacts/worker-hapi-dist'); // absolute: see worker.test.mjs
const BASE = 'https://ats.example/webhooks/hapi';

let mf;
let bundle;
let wasmFile;
let buildLog;

async function get(pathAndQuery) {
  const res = await mf.dispatchFetch(`http://127.0.0.1${pathAndQuery}`);
  return { status: res.status, json: await res.json() };
}

before(async () => {
  await rm(OUTDIR, { recursive: true, force: true });
  buildLog = await wrangler(
    ['deploy', '--dry-run', '--outdir', OUTDIR, '--config', path.join(FIXTURE, 'wrangler.toml')],
    FIXTURE,
  );
  await rm(path.join(FIXTURE, '.wrangler'), { recursive: true, force: true });
  bundle = await readFile(path.join(OUTDIR, 'index.js'), 'utf8');
  wasmFile = (await readdir(OUTDIR)).find((f) => f.endsWith('.wasm'));
  mf = new Miniflare({
    modules: true,
    modulesRoot: OUTDIR,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    scriptPath: path.join(OUTDIR, 'index.js'),
    compatibilityDate: '2026-04-20', // as tests/fixtures/worker-hapi/wrangler.toml
    cf: false,
    host: '127.0.0.1',
  });
  await mf.ready;
}, { timeout: 150_000 });

after(async () => {
  await mf?.dispose();
});

test('wrangler bundled hapi-workerd.js with the HAPI-only wasm as a compiled module', async () => {
  assert.match(buildLog, /Total Upload/);
  const wasmFiles = (await readdir(OUTDIR)).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasmFiles.length, 1, wasmFiles.join(', '));
  // Byte for byte the HAPI-only wasm, not the full one.
  const emitted = await readFile(path.join(OUTDIR, wasmFile));
  assert.ok(emitted.equals(await readFile(path.join(ROOT, 'pkg/gen/payhook_hapi_bg.wasm'))), 'not pkg/gen/payhook_hapi_bg.wasm');
  assert.ok(bundle.includes(`from "./${wasmFile}"`), 'bundle does not import the emitted .wasm module');
  assert.ok(!bundle.includes('node:fs'), 'bundle imports node:fs');
  assert.ok(!/\bawait init\(/.test(bundle), 'bundle contains the browser entry (top-level await init)');
  const map = JSON.parse(await readFile(path.join(OUTDIR, 'index.js.map'), 'utf8'));
  const sources = map.sources.map((s) => s.replaceAll('\\', '/'));
  assert.ok(sources.some((s) => s.endsWith('pkg/hapi-workerd.js')), sources.join(', '));
  assert.ok(!sources.some((s) => /pkg\/(hapi|hapi-node|core|node|browser|workerd)\.js$/.test(s)), sources.join(', '));
  assert.ok(!sources.some((s) => s.endsWith('payhook_core.js')), sources.join(', '));
});

test('buildHapiCallbackUrl in workerd: the base with the parameters appended', async () => {
  const params = { orderId: 'o-1', note: 'a b&c=ä' };
  const { status, json } = await get(`/build?${new URLSearchParams({ base: BASE, ...params })}`);
  assert.equal(status, 200, JSON.stringify(json));
  const expected = new URL(BASE);
  for (const [k, v] of Object.entries(params)) expected.searchParams.append(k, v);
  assert.equal(json.url, expected.href);
});

test('parseHapiCallback in workerd: both kinds of HAPI callback', async () => {
  const direct = await get('/callback?orderId=o-1&draftCampaignId=c-9&amount=12.50&walletId=w-3');
  assert.equal(direct.status, 200, JSON.stringify(direct.json));
  assert.equal(direct.json.kind, 'directChargeCampaignOrder');
  assert.equal(direct.json.amount, '12.50');
  assert.equal(direct.json.walletId, 'w-3');
  assert.equal(direct.json.draftCampaignId, 'c-9');
  assert.equal(direct.json.params.orderId, 'o-1');
  const topUp = await get('/callback?orderId=o-2&amount=5&walletId=w-4');
  assert.equal(topUp.status, 200, JSON.stringify(topUp.json));
  assert.equal(topUp.json.kind, 'walletTopUp');
  assert.equal(topUp.json.draftCampaignId, undefined);
});

test('errors in workerd are the entry\'s PayhookError, with their codes', async () => {
  const reserved = await get(`/build?${new URLSearchParams({ base: BASE, Amount: '1' })}`);
  assert.equal(reserved.status, 400);
  assert.deepEqual(
    { code: reserved.json.code, field: reserved.json.field, instance: reserved.json.instance },
    { code: 'RESERVED_QUERY_KEY', field: 'Amount', instance: true },
  );
  const insecure = await get(`/build?${new URLSearchParams({ base: 'http://ats.example/cb' })}`);
  assert.equal(insecure.json.code, 'INSECURE_URL');
  assert.equal(insecure.json.instance, true);
  const missing = await get('/callback?orderId=o-1&walletId=w-3');
  assert.equal(missing.status, 400);
  assert.equal(missing.json.code, 'MISSING_FIELD');
  // The instance keeps working after errors.
  assert.equal((await get(`/build?${new URLSearchParams({ base: BASE })}`)).json.url, BASE);
});
