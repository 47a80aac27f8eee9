// The demo in www/ in real Chromium (playwright-core, the system's chromium binary):
//   - www/hapi.html with the HAPI Elements stand-in (www/hapi-elements-standin.js):
//     both loading orders end with the right URL on
//     window.hapi.wallet.state.paymentIntentSuccessCallbackUrl, and a reserved key
//     typed into the form shows RESERVED_QUERY_KEY next to it and sets nothing;
//   - www/index.html, the HitPay checker: a valid vector verifies, and a body
//     signed over locale-sorted keys gets the KEYS_LOCALE_SORTED diagnosis with the
//     canonical string;
//   - both pages built once with Vite 7 (import map removed, 'payhook' and
//     'payhook/hapi' resolved through node_modules with the `browser`/`default`
//     conditions) and run from the build alone.
// hapi.html imports 'payhook/hapi' and must fetch only the HAPI-only wasm.
// Pages are served from 127.0.0.1; any console error, page error, failed request,
// HTTP error status or request off 127.0.0.1 fails the test. Screenshots go to
// tests/artifacts/demo-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { buildHapiCallbackUrl, parseHapiCallback } from 'payhook';
import { serveStatic, closeServer, launchChromium, inCheckedPage } from './lib/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WWW = path.join(ROOT, 'www');
const PKG = path.join(ROOT, 'pkg');
const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
const VITE_OUT = path.join(ARTIFACTS, 'demo-vite-dist');

let browser;
let site; // www/ at /, pkg/ at /pkg/: what the import map expects
const servers = [];

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  site = await serveStatic({ '/': WWW, '/pkg/': PKG });
  servers.push(site.server);
}, { timeout: 40_000 });

after(async () => {
  await browser?.close().catch(() => {});
  for (const server of servers) await closeServer(server);
});

// Runs `fn(page, session)` in a fresh context that records every problem (console
// warnings included), and fails the test if there was one. The page gets a probe,
// registered before any page script, that records what happens around 'hapi:load:script'.
async function withPage(url, fn, { viewport = { width: 1100, height: 760 }, colorScheme = 'light' } = {}) {
  const session = { requests: [] };
  await inCheckedPage(browser, async (page) => {
    await page.addInitScript(() => {
      window.__probe = [];
      window.addEventListener('hapi:load:script', () => {
        window.__probe.push({
          event: 'hapi:load:script',
          url: window.hapi?.wallet?.state?.paymentIntentSuccessCallbackUrl ?? null,
        });
      });
      window.addEventListener('hapi-standin:state', (e) => {
        window.__probe.push({ event: 'state', key: e.detail.key, duringLoadEvent: e.detail.duringLoadEvent });
      });
    });
    page.on('request', (req) => session.requests.push(`${req.method()} ${req.url()}`));
    await page.goto(url, { waitUntil: 'load' });
    await page.locator('body:not([data-state="loading"])').waitFor();
    await fn(page, session);
  }, { context: { viewport, colorScheme }, timeout: 10_000, consoleTypes: ['error', 'warning'], what: url });
}

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
const stateUrl = (page) => page.evaluate(() => window.hapi?.wallet?.state?.paymentIntentSuccessCallbackUrl);
const steps = (page) => page.$$eval('#log li', (items) => items.map((li) => li.dataset.step));
const paramRow = (page, i) => page.locator('#params .param').nth(i);

// The form as the tests fill it, and what payhook must make of it.
const BASE = 'https://ats.example/webhooks/hapi';
const PARAMS = { orderId: 'o-1', note: 'a b&c/ä' };
const EXPECTED_URL = 'https://ats.example/webhooks/hapi?orderId=o-1&note=a+b%26c%2F%C3%A4';

async function fillHapiForm(page, order, base = BASE, params = PARAMS) {
  await page.fill('#base', base);
  const entries = Object.entries(params);
  while ((await page.locator('#params .param').count()) < entries.length) await page.click('#add-param');
  while ((await page.locator('#params .param').count()) > entries.length) {
    await paramRow(page, entries.length).locator('button.remove').click();
  }
  for (const [i, [key, value]] of entries.entries()) {
    await paramRow(page, i).locator('.param-key').fill(key);
    await paramRow(page, i).locator('.param-value').fill(value);
  }
  await page.check(`input[name="order"][value="${order}"]`);
}

async function loadHapi(page) {
  assert.equal(await page.textContent('#load'), 'Load HAPI (stand-in) now');
  await page.click('#load');
  await page.locator('body[data-hapi="loaded"]').waitFor();
  await page.locator('#load:not([disabled])').waitFor();
}

test('the expected URL is what payhook builds in Node', () => {
  assert.equal(buildHapiCallbackUrl(BASE, PARAMS), EXPECTED_URL);
});

test('HAPI stand-in: the page and the script say that it is a stand-in', async () => {
  const source = await readFile(path.join(WWW, 'hapi-elements-standin.js'), 'utf8');
  assert.match(source.slice(0, 400), /STAND-IN for the HAPI Elements script/);
  assert.match(source.slice(0, 400), /NOT HAPI Elements/);
  await withPage(`${site.origin}/hapi.html`, async (page) => {
    assert.match(await page.textContent('#result h2'), /stand-in/i);
    assert.ok(await page.isVisible('#result .standin-tag'));
    assert.match(await page.textContent('#load'), /\(stand-in\)/);
    // Nothing of HAPI is there before the button is pressed.
    assert.equal(await page.evaluate(() => typeof window.hapi), 'undefined');
    assert.equal(await page.evaluate(() => typeof window.hapiInjector), 'undefined');
    // The nav links the two pages.
    assert.equal(await page.getAttribute('nav.tabs a[aria-current="page"]', 'href'), './hapi.html');
    await page.click('nav.tabs a[href="./"]');
    await page.locator('#verify:not([disabled])').waitFor();
    assert.equal(await page.getAttribute('nav.tabs a[aria-current="page"]', 'href'), './');
  });
});

test('HAPI stand-in: inject() needs a clientToken, fires hapi:load:script before it resolves, once', async () => {
  await withPage(`${site.origin}/hapi.html`, async (page) => {
    const got = await page.evaluate(async (src) => {
      await new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = src;
        s.onload = resolve;
        s.onerror = reject;
        document.head.append(s);
      });
      const out = { order: [] };
      out.noToken = await window.hapiInjector.inject().then(() => 'resolved', (e) => e.message);
      window.hapiInjector.setConfig('clientToken', 't');
      out.token = window.hapiInjector.getConfig('clientToken');
      window.addEventListener('hapi:load:script', () => out.order.push(`event, hapi ${typeof window.hapi}`));
      const p = window.hapiInjector.inject();
      out.same = p === window.hapiInjector.inject();
      out.hapiBefore = typeof window.hapi;
      await p.then(() => out.order.push('resolved'));
      out.state = window.hapi.wallet.state.paymentIntentSuccessCallbackUrl;
      return out;
    }, `${site.origin}/hapi-elements-standin.js`);
    assert.match(got.noToken, /clientToken/);
    assert.equal(got.token, 't');
    assert.equal(got.same, true);
    assert.equal(got.hapiBefore, 'undefined');
    assert.deepEqual(got.order, ['event, hapi object', 'resolved']);
    assert.equal(got.state, null);
  });
});

test('HAPI demo: "set after inject()" ends with the URL on window.hapi.wallet.state', async () => {
  await withPage(`${site.origin}/hapi.html`, async (page, session) => {
    await fillHapiForm(page, 'after-inject');
    assert.equal(await page.textContent('#preview'), EXPECTED_URL);
    assert.equal(await page.textContent('#snippet'), [
      "window.hapiInjector.setConfig('clientToken', clientToken);",
      'await window.hapiInjector.inject();',
      'window.hapi.wallet.state.paymentIntentSuccessCallbackUrl =',
      '  buildHapiCallbackUrl(',
      "    'https://ats.example/webhooks/hapi',",
      "    { orderId: 'o-1', note: 'a b&c/ä' },",
      '  );',
    ].join('\n'));
    assert.equal(await page.getAttribute('body', 'data-url-set'), 'false');

    await loadHapi(page);
    await page.locator('body[data-url-set="true"]').waitFor();
    assert.equal(await stateUrl(page), EXPECTED_URL);
    assert.equal(await page.textContent('#state-url'), EXPECTED_URL);
    assert.match(await page.textContent('#hapi-badge'), /Callback URL set/);
    // Set when inject() had resolved, after the event.
    assert.deepEqual(await steps(page), ['injector', 'inject-called', 'load-event', 'inject-resolved', 'state-set']);
    assert.deepEqual(await page.evaluate(() => window.__probe), [
      { event: 'hapi:load:script', url: null },
      { event: 'state', key: 'paymentIntentSuccessCallbackUrl', duringLoadEvent: false },
    ]);
    // What the server gets after a payment, read back by parseHapiCallback.
    const called = `${EXPECTED_URL}&amount=25.00&walletId=wal_standin_1`;
    assert.equal(await page.textContent('#callback-url'), `POST ${called}`);
    // Shown as JSON: compare the data (payhook's result has no prototype).
    assert.deepEqual(JSON.parse(await page.textContent('#callback-parsed')), JSON.parse(JSON.stringify(parseHapiCallback(called))));
    // The page loaded only its own files: the stand-in, and no other request.
    assert.ok(session.requests.some((r) => r.endsWith('/hapi-elements-standin.js')), session.requests.join('\n'));
    assert.deepEqual(session.requests.filter((r) => !r.startsWith('GET ')), []);
    // 'payhook/hapi': the HAPI-only wasm (inlined in a JS module), not the full one.
    const gen = session.requests.map((r) => new URL(r.slice(4)).pathname).filter((p) => p.startsWith('/pkg/gen/'));
    assert.ok(gen.includes('/pkg/gen/payhook_hapi_wasm.js'), gen.join(', '));
    assert.deepEqual(gen.filter((p) => /payhook_core|\.wasm$/.test(p)), []);
    await page.click('#callback-box summary');
    await shot(page, 'demo-hapi-after-inject.png');
  });
});

test('HAPI demo: "set on hapi:load:script" sets the URL before HAPI loads, then again once loaded', async () => {
  await withPage(`${site.origin}/hapi.html`, async (page) => {
    await fillHapiForm(page, 'on-load-event');
    assert.match(await page.textContent('#snippet'),
      /\nawait setHapiSuccessCallbackUrl\(\n  'https:\/\/ats\.example\/webhooks\/hapi',\n  \{ orderId: 'o-1', note: 'a b&c\/ä' \},\n\);$/);
    await loadHapi(page);
    await page.locator('body[data-url-set="true"]').waitFor();
    await page.locator('#log li[data-step="helper-resolved"]').waitFor();
    assert.equal(await stateUrl(page), EXPECTED_URL);
    assert.equal(await page.textContent('#state-url'), EXPECTED_URL);
    // The helper was called while window.hapi was undefined; the URL was set
    // inside the hapi:load:script dispatch (by the helper's listener).
    assert.deepEqual(await steps(page), ['helper-called', 'script-added', 'load-event', 'state-set', 'helper-resolved']);
    assert.match(await page.textContent('#log li[data-step="helper-called"]'), /window\.hapi is undefined/);
    assert.deepEqual(await page.evaluate(() => window.__probe), [
      { event: 'hapi:load:script', url: null },
      { event: 'state', key: 'paymentIntentSuccessCallbackUrl', duringLoadEvent: true },
    ]);
    // The stand-in was added as a plain <script> tag that loads itself.
    assert.equal(await page.locator('script[data-hapi-autoload]').count(), 1);
    await shot(page, 'demo-hapi-on-load-event.png');

    // HAPI is there now: the helper sets the new URL at once.
    await paramRow(page, 0).locator('.param-value').fill('o-2');
    assert.equal(await page.textContent('#load'), 'Set the URL again');
    await page.click('#load');
    await page.locator('#log li[data-step="helper-resolved"]').waitFor();
    assert.equal(await stateUrl(page), EXPECTED_URL.replace('o-1', 'o-2'));
    assert.deepEqual(await steps(page), ['helper-called', 'state-set', 'helper-resolved']);
    assert.match(await page.textContent('#log li[data-step="state-set"]'), /after HAPI had loaded/);

    // Unloaded, the other order works in the same page.
    await page.click('#unload');
    await page.locator('body[data-hapi="absent"]').waitFor();
    assert.equal(await page.evaluate(() => typeof window.hapi), 'undefined');
    await page.check('input[name="order"][value="after-inject"]');
    await loadHapi(page);
    await page.locator('body[data-url-set="true"]').waitFor();
    assert.equal(await stateUrl(page), EXPECTED_URL.replace('o-1', 'o-2'));
  });
});

test('HAPI demo: a reserved key shows RESERVED_QUERY_KEY next to it and sets nothing, in both orders', async () => {
  for (const order of ['after-inject', 'on-load-event']) {
    await withPage(`${site.origin}/hapi.html`, async (page) => {
      await fillHapiForm(page, order, BASE, { orderId: 'o-1' });
      await page.click('#add-param');
      const row = paramRow(page, 1);
      await row.locator('.param-key').pressSequentially('Amount');
      await row.locator('.param-value').fill('1');
      const error = row.locator('.field-error');
      await error.waitFor();
      assert.equal(await error.locator('.err-code').textContent(), 'RESERVED_QUERY_KEY');
      assert.match(await error.textContent(), /reserved/);
      assert.equal(await row.locator('.param-key').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.isVisible('#base-error'), false);
      assert.equal(await paramRow(page, 0).locator('.field-error').isVisible(), false);
      assert.match(await page.textContent('#preview'), /nothing would be set/);

      // HAPI loads all the same; the URL stays unset.
      await loadHapi(page);
      if (order === 'on-load-event') await page.locator('#log li[data-step="load-event"]').waitFor();
      assert.equal(await stateUrl(page), null);
      assert.equal(await page.getAttribute('body', 'data-url-set'), 'false');
      assert.equal(await page.textContent('#state-url'), 'null (not set)');
      assert.match(await page.textContent('#hapi-badge'), /no callback URL/);
      const expected = order === 'after-inject'
        ? ['injector', 'inject-called', 'load-event', 'inject-resolved', 'build-threw']
        : ['helper-called', 'helper-rejected', 'script-added', 'load-event'];
      assert.deepEqual(await steps(page), expected);
      assert.match(await page.textContent('#log'), /RESERVED_QUERY_KEY/);
      assert.deepEqual(await page.evaluate(() => window.__probe), [{ event: 'hapi:load:script', url: null }]);
      if (order === 'on-load-event') await shot(page, 'demo-hapi-reserved-key.png');

      // Renamed, the error goes away and the URL can be set.
      await row.locator('.param-key').fill('amountDue');
      assert.equal(await error.isVisible(), false);
      assert.equal(await page.textContent('#preview'), 'https://ats.example/webhooks/hapi?orderId=o-1&amountDue=1');
    });
  }
});

test('HAPI demo: base URL errors appear next to the base field with their code', async () => {
  await withPage(`${site.origin}/hapi.html`, async (page) => {
    const cases = [
      ['http://ats.example/webhooks/hapi', 'INSECURE_URL'],
      ['https://ats.example/webhooks/hapi#top', 'INVALID_URL'],
      ['https://ats.example/webhooks/hapi?walletId=1', 'RESERVED_QUERY_KEY'],
      ['ats.example/webhooks/hapi', 'INVALID_URL'],
    ];
    for (const [base, code] of cases) {
      await page.fill('#base', base);
      assert.equal(await page.textContent('#base-error .err-code'), code, base);
      assert.equal(await page.getAttribute('#base', 'aria-invalid'), 'true');
    }
    await shot(page, 'demo-hapi-base-error.png');
    // A parameter that repeats a key of the base is the parameter's error.
    await page.fill('#base', 'https://ats.example/webhooks/hapi?orderId=o-0');
    assert.equal(await page.isVisible('#base-error'), false);
    assert.equal(await paramRow(page, 0).locator('.field-error .err-code').textContent(), 'DUPLICATE_FIELD');
    // http: is fine on loopback.
    await page.fill('#base', 'http://127.0.0.1:8787/webhooks/hapi');
    assert.equal(await page.textContent('#preview'), 'http://127.0.0.1:8787/webhooks/hapi?orderId=o-1&tenant=acme');
  });
});

// ------------------------------------------------------------------ the HitPay checker

const vectors = JSON.parse(await readFile(path.join(ROOT, 'tests/vectors/hitpay.json'), 'utf8'));

// A webhook signed the wrong way: keys sorted with localeCompare, which puts `B`
// after `amount` where UTF-8 byte order puts it first.
const LOCALE_SALT = 'salt_for_tests_only';
const LOCALE_FIELDS = { payment_id: 'pay_locale_1', amount: '25.00', B: 'x', currency: 'SGD', status: 'completed' };
const byBytes = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const localeKeys = Object.keys(LOCALE_FIELDS).sort((a, b) => a.localeCompare(b));
const byteKeys = Object.keys(LOCALE_FIELDS).sort(byBytes);
const LOCALE_HMAC = createHmac('sha256', LOCALE_SALT)
  .update(localeKeys.map((k) => k + LOCALE_FIELDS[k]).join(''))
  .digest('hex');
const LOCALE_BODY = `${new URLSearchParams(LOCALE_FIELDS)}&hmac=${LOCALE_HMAC}`;
const CANONICAL = byteKeys.map((k) => k + LOCALE_FIELDS[k]).join('');

async function verifyInPage(page, body, salt) {
  await page.fill('#body', body);
  await page.fill('#salt', salt);
  await page.click('#verify');
  await page.locator('body:is([data-state="ok"], [data-state="error"])').waitFor();
}

async function checkChecker(page, session, prefix) {
  await page.locator('#verify:not([disabled])').waitFor();
  const requestsBefore = session.requests.length;

  // A valid vector (the third-party one, not the prefilled sample).
  const vector = vectors.webhooks[0];
  await verifyInPage(page, `${new URLSearchParams(vector.fields)}&hmac=${vector.hmac}`, vector.salt);
  assert.equal(await page.getAttribute('body', 'data-state'), 'ok');
  assert.match(await page.textContent('#badge'), /Signature valid/);
  const rows = await page.$$eval('#fields tbody tr', (trs) => trs.map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]));
  assert.deepEqual(Object.fromEntries(rows), vector.fields);
  assert.equal(await page.isVisible('#diagnosis'), false);
  await shot(page, `${prefix}-checker-valid.png`);

  // Signed over locale-sorted keys: the confirmed cause, loud, and the canonical string.
  await verifyInPage(page, LOCALE_BODY, LOCALE_SALT);
  assert.equal(await page.getAttribute('body', 'data-state'), 'error');
  assert.equal(await page.textContent('#badge'), 'SIGNATURE_MISMATCH');
  assert.equal(await page.isVisible('#fields'), false);
  assert.ok(await page.isVisible('#diagnosis'));
  const causes = page.locator('#causes .cause');
  assert.equal(await causes.count(), 1);
  assert.equal(await causes.locator('.cause-head code').textContent(), 'KEYS_LOCALE_SORTED');
  assert.match(await causes.textContent(), /Found the cause/);
  assert.match(await causes.textContent(), /locale order/);
  assert.match(await causes.textContent(), /UTF-8 bytes/);
  assert.equal(await page.textContent('#canonical'), CANONICAL);
  // Keys and values told apart in the canonical string.
  assert.deepEqual(await page.$$eval('#canonical .k', (ks) => ks.map((k) => k.textContent)), byteKeys);
  assert.match(await page.textContent('#canonical-meta'), new RegExp(`5 fields .* ${Buffer.byteLength(CANONICAL)} bytes`));
  await shot(page, `${prefix}-checker-locale-sorted.png`);

  // The wrong salt: nothing confirmed, the hint to check salt and body.
  await verifyInPage(page, LOCALE_BODY.replace(/hmac=.*/, `hmac=${createHmac('sha256', LOCALE_SALT).update(CANONICAL).digest('hex')}`), 'another salt');
  assert.equal(await page.textContent('#badge'), 'SIGNATURE_MISMATCH');
  assert.equal(await causes.count(), 0);
  assert.match(await page.textContent('#check-list'), /SALT_OR_BODY_CHANGED/);
  assert.equal(await page.textContent('#canonical'), CANONICAL);

  // A salt pasted with a space after it: confirmed.
  await verifyInPage(page, LOCALE_BODY.replace(/hmac=.*/, `hmac=${createHmac('sha256', LOCALE_SALT).update(CANONICAL).digest('hex')}`), `${LOCALE_SALT} `);
  assert.equal(await causes.locator('.cause-head code').textContent(), 'SALT_WHITESPACE');

  // A body that is not a form: the error alone, no diagnosis to show.
  await verifyInPage(page, 'payment_id=%zz&hmac=00', 'salt');
  assert.equal(await page.textContent('#badge'), 'MALFORMED_BODY');
  assert.equal(await page.isVisible('#diagnosis'), false);

  // Everything ran in the page: no request since it loaded.
  assert.deepEqual(session.requests.slice(requestsBefore), []);
}

test('HitPay checker: a valid vector verifies; locale-sorted keys get a KEYS_LOCALE_SORTED diagnosis', async () => {
  assert.notDeepEqual(localeKeys, byteKeys, 'the test body must sort differently by locale and by bytes');
  await withPage(`${site.origin}/`, (page, session) => checkChecker(page, session, 'demo'));
});

test('HitPay checker and HAPI page, dark and narrow (screenshots)', async () => {
  const options = { viewport: { width: 420, height: 800 }, colorScheme: 'dark' };
  await withPage(`${site.origin}/`, async (page) => {
    await page.locator('#verify:not([disabled])').waitFor();
    await verifyInPage(page, LOCALE_BODY, LOCALE_SALT);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 420, 'the page is wider than the screen');
    await shot(page, 'demo-dark-narrow-checker.png');
  }, options);
  await withPage(`${site.origin}/hapi.html`, async (page) => {
    await fillHapiForm(page, 'on-load-event');
    await page.click('#add-param');
    await paramRow(page, 2).locator('.param-key').fill('walletId');
    await loadHapi(page);
    await page.locator('#log li[data-step="load-event"]').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 420, 'the page is wider than the screen');
    await shot(page, 'demo-dark-narrow-hapi.png');
  }, options);
});

// ------------------------------------------------------------------ Vite 7

test('Vite 7 build of both pages (no import map) runs in Chromium from the build alone', { timeout: 120_000 }, async () => {
  await rm(VITE_OUT, { recursive: true, force: true });
  const result = await build({
    configFile: false,
    root: WWW,
    base: './',
    logLevel: 'warn',
    publicDir: false,
    cacheDir: path.join(ARTIFACTS, '.vite-cache-demo'),
    envDir: false,
    plugins: [{
      // The import map is for native ES modules: in a bundle, 'payhook' is resolved
      // through node_modules (the `browser` condition), so drop it.
      name: 'drop-import-map',
      transformIndexHtml: {
        order: 'pre',
        handler: (html) => html.replace(/\s*<script type="importmap">[^<]*<\/script>/, ''),
      },
    }],
    build: {
      outDir: VITE_OUT,
      emptyOutDir: true,
      // The stand-in is a classic script added with <script src>: keep it a file
      // (Vite would inline a file this small as a data: URL, which a CSP may refuse).
      assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined),
      rollupOptions: { input: { index: path.join(WWW, 'index.html'), hapi: path.join(WWW, 'hapi.html') } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const files = outputs.map((o) => o.fileName);
  for (const page of ['index.html', 'hapi.html']) {
    assert.ok(files.includes(page), files.join(', '));
    const html = outputs.find((o) => o.fileName === page).source;
    assert.ok(!html.includes('importmap'), `${page} still has an import map`);
  }
  // The wasm is inlined in the JS (pkg/gen/*_wasm.js): no .wasm asset.
  assert.deepEqual(files.filter((f) => f.endsWith('.wasm')), [], files.join(', '));
  assert.ok(files.some((f) => /^assets\/hapi-elements-standin-[\w-]+\.js$/.test(f)), `no stand-in asset: ${files.join(', ')}`);
  assert.ok(files.some((f) => f.endsWith('.css')), `no stylesheet: ${files.join(', ')}`);
  const js = outputs.filter((o) => o.type === 'chunk').map((o) => o.code).join('\n');
  assert.ok(!/from\s*["']payhook(\/hapi)?["']|import\(\s*["']payhook(\/hapi)?["']\s*\)/.test(js), "a bare 'payhook' import was left");
  assert.ok(!js.includes('readFileSync'), 'the node entry was bundled');
  assert.ok(
    outputs.some((o) => o.type === 'chunk' && Object.keys(o.modules).some((m) => m.endsWith('pkg/browser.js'))),
    'pkg/browser.js is not in the bundle',
  );
  // hapi.html imports 'payhook/hapi' (the `default` condition: pkg/hapi.js), with its own wasm.
  assert.ok(
    outputs.some((o) => o.type === 'chunk' && Object.keys(o.modules).some((m) => m.endsWith('pkg/hapi.js'))),
    'pkg/hapi.js is not in the bundle',
  );
  // The chunks that hold each inlined wasm (the HAPI page must load only the HAPI one's).
  const chunkWith = (name) => outputs
    .filter((o) => o.type === 'chunk' && Object.keys(o.modules).some((m) => m.endsWith(`pkg/gen/${name}`)))
    .map((o) => o.fileName);
  const [hapiWasm, coreWasm] = [chunkWith('payhook_hapi_wasm.js'), chunkWith('payhook_core_wasm.js')];
  assert.equal(hapiWasm.length, 1, `HAPI wasm in ${hapiWasm.join(', ')}`);
  assert.equal(coreWasm.length, 1, `full wasm in ${coreWasm.join(', ')}`);
  assert.notEqual(hapiWasm[0], coreWasm[0]);

  // Served alone: no /pkg/, no www/.
  const dist = await serveStatic({ '/': VITE_OUT });
  servers.push(dist.server);
  await withPage(`${dist.origin}/index.html`, (page, session) => checkChecker(page, session, 'demo-vite'));
  for (const order of ['after-inject', 'on-load-event']) {
    await withPage(`${dist.origin}/hapi.html`, async (page, session) => {
      await fillHapiForm(page, order);
      await loadHapi(page);
      await page.locator('body[data-url-set="true"]').waitFor();
      assert.equal(await stateUrl(page), EXPECTED_URL);
      assert.equal(await page.textContent('#state-url'), EXPECTED_URL);
      assert.ok(session.requests.some((r) => /\/assets\/hapi-elements-standin-[\w-]+\.js$/.test(r)), session.requests.join('\n'));
      const paths = session.requests.map((r) => new URL(r.slice(4)).pathname);
      assert.ok(paths.includes(`/${hapiWasm[0]}`), paths.join('\n'));
      assert.ok(!paths.includes(`/${coreWasm[0]}`), paths.join('\n'));
      assert.deepEqual(paths.filter((p) => p.endsWith('.wasm')), []);
      if (order === 'on-load-event') await shot(page, 'demo-vite-hapi.png');
    });
  }
});
