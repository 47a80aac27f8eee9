// The package in real Chromium (playwright-core, the system's chromium binary),
// loaded two ways: (a) native ES modules with an import map
// ('payhook' -> /pkg/browser.js), and (b) an app bundled by Vite 7, where 'payhook'
// resolves through node_modules with the `browser` condition. Pages are served by a
// small static server on 127.0.0.1; any console error, page error, failed request
// or HTTP error status fails the test. Screenshots go to tests/artifacts/.
// Also `payhook/hapi` (import map 'payhook/hapi' -> /pkg/hapi.js): HAPI browser setup
// code that loads only the HAPI-only wasm. The wasm is inlined in a JS module
// (pkg/gen/*_wasm.js), so no page fetches a .wasm file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { spawn } from 'node:child_process';
import { readFile, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { serveStatic as serveFiles, closeServer, launchChromium, inCheckedPage } from './lib/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(ROOT, 'tests/fixtures/browser');
const PKG = path.join(ROOT, 'pkg');
const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
const VITE_OUT = path.join(ARTIFACTS, 'browser-vite-dist');

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

// Also source maps and images with their content types, and HEAD requests.
const serveStatic = (mounts) =>
  serveFiles(mounts, { types: { '.map': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' }, head: true });

const vectors = await loadVectors();
let browser;
const servers = [];
let demo; // the www/serve.mjs child process

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, { timeout: 40_000 });

after(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    demo.kill('SIGTERM');
    let timer;
    await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(resolve, 3000); })]);
    clearTimeout(timer);
    if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
  }
  await browser?.close().catch(() => {});
  await Promise.all(servers.map(closeServer));
});

// Loads `url` in a fresh context, waits for the app to settle, checks it and runs
// the HitPay vectors in the page. Returns what the page did.
async function checkPage(url, screenshotName) {
  const requests = [];
  await inCheckedPage(browser, async (page, problems) => {
    page.on('response', (res) => {
      requests.push({ url: res.url(), status: res.status(), type: res.headers()['content-type'] });
    });

    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.state !== 'loading');
    const state = await page.evaluate(() => document.body.dataset.state);
    const statusText = await page.textContent('#status');
    assert.equal(state, 'verified', `page did not verify the sample: ${statusText}\n${problems.join('\n')}`);
    assert.match(statusText, /Verified: completed 599\.00 SGD/);
    assert.equal(await page.locator('#fields tr').count(), 7);

    // Vectors go in and results come back as JSON strings: Playwright's own
    // serialiser drops an own `__proto__` key (both ways), which the vectors use on
    // purpose; JSON.parse keeps it as an ordinary key.
    const inPage = JSON.parse(await page.evaluate((vectorsJson) => {
      const v = JSON.parse(vectorsJson);
      const { verifyHitpayWebhook, signHitpayWebhook, verifyHitpayEvent, PayhookError } = window.payhook;
      const bytes = (c) => (c.body_hex !== undefined
        ? Uint8Array.from(c.body_hex.match(/../g) ?? [], (h) => parseInt(h, 16))
        : c.body);
      const caught = (fn) => {
        try {
          fn();
          return null;
        } catch (e) {
          return { instance: e instanceof PayhookError, name: e.name, code: e.code, field: e.field, message: e.message };
        }
      };
      const webhooks = (v?.webhooks ?? []).map((w) => {
        const body = w.body ?? `${new URLSearchParams(w.fields)}&hmac=${w.hmac}`;
        const bad = body.replace(/(^|&)hmac=([0-9a-fA-F])/, (_, sep, c) => `${sep}hmac=${c === '0' ? '1' : '0'}`);
        return {
          fields: verifyHitpayWebhook(body, w.salt).fields,
          bytesFields: verifyHitpayWebhook(new TextEncoder().encode(body), w.salt).fields,
          signed: signHitpayWebhook(w.fields, w.salt),
          wrong: caught(() => verifyHitpayWebhook(bad, w.salt)),
        };
      });
      const events = (v?.events ?? []).map((e) => verifyHitpayEvent(e.body, e.signature, e.salt));
      const invalid = (v?.invalid ?? []).map((c) => caught(() => verifyHitpayWebhook(bytes(c), c.salt)));
      const invalidEvents = (v?.invalid_events ?? []).map((c) =>
        caught(() => verifyHitpayEvent(bytes(c), c.signature, c.salt)));
      return JSON.stringify({
        webhooks,
        events,
        invalid,
        invalidEvents,
        malformed: caught(() => verifyHitpayWebhook('a=%zz&hmac=' + '0'.repeat(64), 'salt')),
        emptySalt: caught(() => verifyHitpayWebhook('a=1&hmac=' + '0'.repeat(64), '')),
        wrongType: caught(() => verifyHitpayWebhook(42, 'salt')),
        afterErrors: verifyHitpayWebhook('a=1&hmac=' + signHitpayWebhook({ a: '1' }, 'salt'), 'salt').fields,
      });
    }, JSON.stringify(vectors)));

    if (vectors) {
      assert.equal(inPage.webhooks.length, vectors.webhooks.length);
      for (const [i, w] of vectors.webhooks.entries()) {
        const got = inPage.webhooks[i];
        assert.deepEqual(got.fields, w.fields, w.name);
        assert.deepEqual(got.bytesFields, w.fields, `${w.name} (Uint8Array body)`);
        assert.equal(got.signed, w.hmac, `${w.name} (signHitpayWebhook)`);
        assert.equal(got.wrong?.code, 'SIGNATURE_MISMATCH', `${w.name} (wrong hmac)`);
        assert.equal(got.wrong.instance, true);
        assert.equal(got.wrong.name, 'PayhookError');
      }
      for (const [i, e] of vectors.events.entries()) {
        assert.deepEqual(inPage.events[i], e.object ?? JSON.parse(e.body), e.name);
      }
      for (const [i, c] of (vectors.invalid ?? []).entries()) {
        const got = inPage.invalid[i];
        assert.equal(got?.code, c.code, `invalid: ${c.name}`);
        assert.equal(got.instance, true, `invalid: ${c.name} (instanceof PayhookError)`);
        if (c.field !== undefined) assert.equal(got.field, c.field, `invalid: ${c.name} (field)`);
      }
      for (const [i, c] of (vectors.invalid_events ?? []).entries()) {
        assert.equal(inPage.invalidEvents[i]?.code, c.code, `invalid event: ${c.name}`);
      }
    }
    assert.equal(inPage.malformed?.code, 'MALFORMED_BODY');
    assert.equal(inPage.emptySalt?.code, 'INVALID_SECRET');
    assert.equal(inPage.wrongType?.code, 'MALFORMED_BODY');
    assert.equal(inPage.wrongType.instance, true);
    assert.deepEqual(inPage.afterErrors, { a: '1' });

    await page.screenshot({ path: path.join(ARTIFACTS, screenshotName) });
  }, { context: { viewport: { width: 900, height: 560 } }, what: url });
  return { requests };
}

function wasmResponses(requests) {
  return requests.filter((r) => new URL(r.url).pathname.endsWith('.wasm'));
}

test('import map: /pkg/browser.js verifies HitPay vectors in Chromium', { timeout: 60_000 }, async () => {
  const { server, origin } = await serveStatic({ '/': FIXTURE, '/pkg/': PKG });
  servers.push(server);
  const { requests } = await checkPage(`${origin}/importmap.html`, 'browser-importmap.png');
  const paths = requests.map((r) => new URL(r.url).pathname);
  assert.ok(paths.includes('/pkg/browser.js'), paths.join(', '));
  // The wasm comes inlined in a JS module, not as a .wasm file.
  assert.ok(paths.includes('/pkg/gen/payhook_core_wasm.js'), paths.join(', '));
  assert.deepEqual(wasmResponses(requests), []);
});

test('Vite 7 build: the `browser` condition bundles and verifies in Chromium', { timeout: 120_000 }, async () => {
  await rm(VITE_OUT, { recursive: true, force: true });
  const result = await build({
    configFile: false,
    root: FIXTURE,
    base: './',
    logLevel: 'warn',
    publicDir: false,
    cacheDir: path.join(ARTIFACTS, '.vite-cache'),
    envDir: false,
    build: {
      outDir: VITE_OUT,
      emptyOutDir: true,
      rollupOptions: { input: path.join(FIXTURE, 'index.html') },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const files = outputs.map((o) => o.fileName);
  assert.ok(files.includes('index.html'), files.join(', '));
  // The wasm is inlined in the JS: no .wasm asset to emit, or to lose.
  assert.deepEqual(files.filter((f) => f.endsWith('.wasm')), [], files.join(', '));
  const js = outputs.filter((o) => o.type === 'chunk').map((o) => o.code).join('\n');
  assert.ok(!js.includes('readFileSync'), 'the node entry was bundled');
  assert.ok(!/from\s*["']payhook["']/.test(js), "the bare 'payhook' import was left unresolved");
  assert.ok(
    outputs.some((o) => o.type === 'chunk' && Object.keys(o.modules).some((m) => m.endsWith('pkg/browser.js'))),
    'pkg/browser.js is not in the bundle',
  );

  // The built app is served alone: no /pkg/ mount, so nothing can come from there.
  const { server, origin } = await serveStatic({ '/': VITE_OUT });
  servers.push(server);
  const { requests } = await checkPage(`${origin}/index.html`, 'browser-vite.png');
  assert.deepEqual(wasmResponses(requests), []);
});

test("import map: 'payhook/hapi' sets the HAPI callback URL, loading only the HAPI wasm", { timeout: 60_000 }, async () => {
  const { server, origin } = await serveStatic({ '/': FIXTURE, '/pkg/': PKG });
  servers.push(server);
  const responses = [];
  let result;
  await inCheckedPage(browser, async (page) => {
    page.on('response', (res) => {
      responses.push({ path: new URL(res.url()).pathname, type: res.headers()['content-type'] });
    });
    await page.goto(`${origin}/hapi.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.state !== 'loading');
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'done', await page.textContent('#status'));
    result = await page.evaluate(() => window.result);
    assert.equal(await page.evaluate(() => window.hapi.wallet.state.paymentIntentSuccessCallbackUrl), result.built);
    await page.screenshot({ path: path.join(ARTIFACTS, 'browser-hapi-importmap.png') });
  }, { context: { viewport: { width: 900, height: 400 } }, what: `${origin}/hapi.html` });

  // Expected values from the page's own URL and URLSearchParams, not from payhook.
  const expected = `https://ats.example/webhooks/hapi?${new URLSearchParams({ orderId: 'o-1', note: 'a b&c/ä' })}`;
  assert.equal(result.built, expected);
  assert.equal(result.before, 'undefined');
  assert.equal(result.resolved, expected);
  assert.equal(result.state, expected);
  assert.deepEqual(result.parsed, {
    kind: 'walletTopUp', amount: '25.00', walletId: 'wal_1', params: { orderId: 'o-1', note: 'a b&c/ä' },
  });
  assert.equal(result.reserved?.code, 'RESERVED_QUERY_KEY');
  assert.equal(result.reserved.field, 'Amount');
  assert.equal(result.reserved.instance, true);
  assert.equal(result.reserved.name, 'PayhookError');
  assert.deepEqual(result.rejected, { instance: true, code: 'INSECURE_URL' });

  // Only the HAPI build came from /pkg/: its inlined wasm, never the full one, and no .wasm file.
  const fromPkg = responses.map((r) => r.path).filter((p) => p.startsWith('/pkg/')).sort();
  assert.deepEqual(fromPkg, [
    '/pkg/common.js', '/pkg/gen/api-hapi.js', '/pkg/gen/constants.js', '/pkg/gen/payhook_hapi.js',
    '/pkg/gen/payhook_hapi_wasm.js', '/pkg/hapi-api.js', '/pkg/hapi-exports.js', '/pkg/hapi.js', '/pkg/inline-wasm.js',
  ]);
  assert.deepEqual(responses.filter((r) => r.path.endsWith('.wasm')), []);
});

// Starts www/serve.mjs on a free port and returns the URL it prints.
function startDemo() {
  demo = spawn(process.execPath, [path.join(ROOT, 'www/serve.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', QUIET: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`www/serve.mjs printed no URL:\n${output}`)), 10_000);
    const onData = (chunk) => {
      output += chunk;
      const m = output.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    demo.stdout.setEncoding('utf8').on('data', onData);
    demo.stderr.setEncoding('utf8').on('data', onData);
    demo.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`www/serve.mjs exited with ${code}:\n${output}`));
    });
  });
}

function rawGet(origin, rawPath) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    httpGet({ hostname, port, path: rawPath, timeout: 5000, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'] }));
    }).on('error', reject);
  });
}

test('www demo (make dev): serve.mjs serves the checker, which verifies the sample and shows errors', { timeout: 60_000 }, async () => {
  const origin = (await startDemo()).replace(/\/$/, '');
  // Content types, and nothing outside www/ and pkg/.
  assert.equal((await rawGet(origin, '/pkg/gen/payhook_core_bg.wasm')).type, 'application/wasm');
  assert.match((await rawGet(origin, '/app.js')).type, /^text\/javascript/);
  assert.equal((await rawGet(origin, '/%2e%2e/package.json')).status, 404);
  assert.equal((await rawGet(origin, '/pkg/%2e%2e/package.json')).status, 404);
  assert.equal((await rawGet(origin, '/serve.mjs')).status, 404);

  await inCheckedPage(browser, async (page) => {
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.locator('#verify:not([disabled])').waitFor();
    assert.match(await page.inputValue('#body'), /^payment_id=92965a2d/);
    assert.equal(await page.inputValue('#salt'), 'salt_for_tests_only');

    // First click verifies the prefilled documentation sample.
    await page.click('#verify');
    await page.locator('body[data-state="ok"]').waitFor();
    assert.match(await page.textContent('#badge'), /Signature valid/);
    const rows = await page.$$eval('#fields tbody tr', (trs) =>
      trs.map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]));
    assert.deepEqual(Object.fromEntries(rows), {
      payment_id: '92965a2d-ece3-4ace-1245-494050c9a3c1',
      payment_request_id: '92965a20-dae5-4d89-a452-5fdfa382dbe1',
      reference_number: 'ABC123',
      phone: 'empty',
      amount: '599.00',
      currency: 'SGD',
      status: 'completed',
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'www-demo.png'), fullPage: true });

    // Another salt: the error code and message appear, the table goes away.
    await page.fill('#salt', 'not the salt');
    await page.keyboard.press('Control+Enter');
    await page.locator('body[data-state="error"]').waitFor();
    assert.equal(await page.textContent('#badge'), 'SIGNATURE_MISMATCH');
    assert.match(await page.textContent('#message'), /signature/i);
    assert.equal(await page.isVisible('#fields'), false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'www-demo-error.png'), fullPage: true });

    // A malformed body, then the sample again.
    await page.fill('#body', 'payment_id=%zz&hmac=00');
    await page.click('#verify');
    assert.equal(await page.textContent('#badge'), 'MALFORMED_BODY');
    await page.click('#sample');
    await page.click('#verify');
    await page.locator('body[data-state="ok"]').waitFor();
  }, { context: { viewport: { width: 1100, height: 720 } }, localOnly: false, what: `${origin}/` });
});
