// The packed package in a user's project, built by every common bundler with zero
// configuration (no config file; only the flags a user types), then run: in Chromium
// (tests/node/lib/chromium.mjs) or in Node. The project is tests/fixtures/bundlers
// copied to a temporary folder outside the repository, with `npm pack` of pkg/
// unpacked as node_modules/payhook, exactly as `npm install payhook-<v>.tgz` lays
// it out. The app (src/check.js) imports 'payhook' and 'payhook/hapi', verifies a
// HitPay webhook signed here with node:crypto, a tampered copy, and builds a HAPI
// callback URL; every build must give the same result and fetch no .wasm file (the
// wasm is inlined in pkg/gen/*_wasm.js). Formats that cannot hold the top-level await
// of the browser entries (iife) must fail the build with a message that says what to do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createServer as createViteServer } from 'vite';
import { serveStatic, closeServer, launchChromium, inCheckedPage } from './lib/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(ROOT, 'tests/fixtures/bundlers');
const BIN = path.join(ROOT, 'node_modules/.bin');

// A HitPay form webhook, signed as HitPay signs it: HMAC-SHA256 (hex) over the fields
// except `hmac`, sorted by key, each key followed by its value.
const SALT = 'bundler-test-salt';
const FIELDS = { payment_id: 'pay_bundler_1', amount: '25.00', currency: 'SGD', status: 'completed', reference_number: 'ORDER-1' };
const HMAC = createHmac('sha256', SALT)
  .update(Object.keys(FIELDS).sort().map((k) => k + FIELDS[k]).join(''))
  .digest('hex');
const INPUT = { body: new URLSearchParams({ ...FIELDS, hmac: HMAC }).toString(), salt: SALT };

const HAPI_EXPECTED = {
  url: `https://ats.example/webhooks/hapi?${new URLSearchParams({ orderId: 'o-1' })}`,
  reserved: { name: 'PayhookError', code: 'RESERVED_QUERY_KEY', field: 'amount', isPayhookError: true },
};
const EXPECTED = {
  hitpay: { paymentId: 'pay_bundler_1', amount: '25.00', currency: 'SGD', status: 'completed' },
  tampered: { name: 'PayhookError', code: 'SIGNATURE_MISMATCH', isPayhookError: true },
  hapi: HAPI_EXPECTED,
  sameErrorClass: true,
};

let tmp; // the temporary folder: the tarball, the template project, one project per test
let template;
let browser;
const servers = [];
const closers = [];

/** Runs `bin` (node, npm, or one of node_modules/.bin) in `cwd`; resolves to { code, stdout, stderr }. */
function run(bin, args, cwd) {
  const file = bin === 'node' ? process.execPath : bin === 'npm' ? 'npm' : path.join(BIN, bin);
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, timeout: 90_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

async function mustRun(bin, args, cwd) {
  const r = await run(bin, args, cwd);
  assert.equal(r.code, 0, `${bin} ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** A fresh copy of the template project (the app with payhook installed), named `name`. */
async function project(name) {
  const dir = path.join(tmp, name);
  await cp(template, dir, { recursive: true });
  return dir;
}

async function filesIn(dir) {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)));
}

/** Fails if a build output holds a .wasm file: the wasm must be in the JS, nowhere else. */
async function assertNoWasmFile(dir) {
  const files = await filesIn(dir);
  assert.deepEqual(files.filter((f) => f.endsWith('.wasm')), [], files.join(', '));
}

/** A page that loads `script` (relative to `dir`) as an ES module. */
async function writePage(dir, script) {
  await writeFile(path.join(dir, 'page.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">' +
    `<script type="module" src="./${script}"></script><body data-state="loading"></body>\n`);
  return '/page.html';
}

/**
 * Opens `origin + pagePath` in Chromium with the input in the fragment, waits for the
 * app and returns its result. Fails on any console error, page error, failed request,
 * HTTP error or request off 127.0.0.1 (inCheckedPage), and on any .wasm request.
 */
async function runInChromium(origin, pagePath) {
  const url = `${origin}${pagePath}#${encodeURIComponent(JSON.stringify(INPUT))}`;
  const requests = [];
  const result = await inCheckedPage(browser, async (page, problems) => {
    page.on('request', (req) => requests.push(new URL(req.url()).pathname));
    await page.goto(url, { waitUntil: 'load' });
    // Until the app is done, or something went wrong (a module that failed to load never runs the app).
    for (const started = Date.now(); ;) {
      const state = await page.evaluate(() => document.body?.dataset.state);
      if ((state && state !== 'loading') || problems.length) break;
      assert.ok(Date.now() - started < 20_000, 'the app did not finish in 20 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return page.evaluate(() => JSON.parse(JSON.stringify(window.result ?? null)));
  }, { what: url, timeout: 30_000 });
  assert.deepEqual(requests.filter((p) => p.endsWith('.wasm')), [], 'a .wasm file was requested');
  return { result, requests };
}

/** Serves `dir` at / on 127.0.0.1 and runs `pagePath` in Chromium; asserts the app's result. */
async function checkInChromium(dir, pagePath, expected = EXPECTED) {
  const { server, origin } = await serveStatic({ '/': dir });
  servers.push(server);
  const { result, requests } = await runInChromium(origin, pagePath);
  assert.deepEqual(result, expected);
  return requests;
}

/** Moves `dir` to a new folder outside the project (no node_modules on the way up). */
async function moveAway(dir, name) {
  const dest = path.join(tmp, 'moved', name);
  await mkdir(path.dirname(dest), { recursive: true });
  await rename(dir, dest);
  return dest;
}

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'payhook-bundlers-'));
  // The package as it would be published: `npm pack` of pkg/.
  const packed = await run('npm', ['pack', path.join(ROOT, 'pkg'), '--pack-destination', tmp, '--json', '--silent'], ROOT);
  assert.equal(packed.code, 0, `npm pack failed:\n${packed.stderr}`);
  const tarball = path.join(tmp, JSON.parse(packed.stdout)[0].filename);
  template = path.join(tmp, 'template');
  await cp(FIXTURE, template, { recursive: true });
  const installed = path.join(template, 'node_modules/payhook');
  await mkdir(installed, { recursive: true });
  const untar = await new Promise((resolve) => {
    execFile('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], (err, _out, stderr) => resolve({ err, stderr }));
  });
  assert.equal(untar.err, null, `tar: ${untar.stderr}`);
  browser = await launchChromium();
}, { timeout: 60_000 });

after(async () => {
  for (const close of closers) await close().catch(() => {});
  await browser?.close().catch(() => {});
  await Promise.all(servers.map(closeServer));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('the test project has no bundler configuration, and payhook installed from the packed tarball', async () => {
  const files = await readdir(template);
  assert.deepEqual(files.filter((f) => /config|^\.[\w-]*rc/i.test(f)), [], files.join(', '));
  const installed = await filesIn(path.join(template, 'node_modules/payhook'));
  assert.ok(installed.includes('gen/payhook_core_wasm.js'), installed.join(', '));
  assert.ok(installed.includes('gen/payhook_hapi_wasm.js'), installed.join(', '));
});

test('esbuild, browser, --format=esm: runs in Chromium', { timeout: 60_000 }, async () => {
  const dir = await project('esbuild-esm');
  await mustRun('esbuild', ['src/index.js', '--bundle', '--format=esm', '--outdir=dist'], dir);
  await assertNoWasmFile(path.join(dir, 'dist'));
  await checkInChromium(path.join(dir, 'dist'), await writePage(path.join(dir, 'dist'), 'index.js'));
});

test('esbuild, browser, default (iife) format: the build fails and says to use --format=esm', { timeout: 60_000 }, async () => {
  const dir = await project('esbuild-iife');
  const r = await run('esbuild', ['src/index.js', '--bundle', '--outdir=dist'], dir);
  assert.notEqual(r.code, 0, `the iife build succeeded:\n${r.stderr}`);
  assert.match(r.stderr, /Top-level await is currently not supported with the "iife" output format/);
  assert.match(r.stderr, /node_modules\/payhook\/browser\.js/);
  assert.match(r.stderr, /needs ES module output: esbuild --format=esm/);
});

for (const [format, file] of [['esm', 'app.mjs'], ['cjs', 'app.cjs']]) {
  test(`esbuild, Node, --format=${format}: runs after the output folder is moved`, { timeout: 60_000 }, async () => {
    const dir = await project(`esbuild-node-${format}`);
    await mustRun('esbuild', ['src/node.js', '--bundle', '--platform=node', `--format=${format}`, `--outfile=dist/${file}`], dir);
    await assertNoWasmFile(path.join(dir, 'dist'));
    const moved = await moveAway(path.join(dir, 'dist'), `node-${format}`);
    // The project, payhook included, is gone too: only the bundle is left.
    await rm(dir, { recursive: true, force: true });
    const r = await mustRun('node', [file, JSON.stringify(INPUT)], moved);
    assert.deepEqual(JSON.parse(r.stdout), EXPECTED);
  });
}

test('Rollup + @rollup/plugin-node-resolve: runs in Chromium; -f iife fails and says which formats work', { timeout: 90_000 }, async () => {
  const dir = await project('rollup');
  await mustRun('rollup', ['src/index.js', '-p', 'node-resolve', '-d', 'dist'], dir);
  await assertNoWasmFile(path.join(dir, 'dist'));
  await checkInChromium(path.join(dir, 'dist'), await writePage(path.join(dir, 'dist'), 'index.js'));

  const iife = await run('rollup', ['src/index.js', '-p', 'node-resolve', '-f', 'iife', '-o', 'iife/index.js'], dir);
  assert.notEqual(iife.code, 0, 'the iife build succeeded');
  assert.match(iife.stderr, /Module format "iife" does not support top-level await\. Use the "es" or "system" output formats/);
});

test('webpack 5 (webpack-cli, no config: src/index.js to dist/main.js): runs in Chromium', { timeout: 120_000 }, async () => {
  const dir = await project('webpack');
  const r = await mustRun('webpack', [], dir);
  assert.doesNotMatch(r.stdout + r.stderr, /ERROR/);
  await assertNoWasmFile(path.join(dir, 'dist'));
  await checkInChromium(path.join(dir, 'dist'), await writePage(path.join(dir, 'dist'), 'main.js'));
});

test('Vite 7 build (no config): runs in Chromium', { timeout: 90_000 }, async () => {
  const dir = await project('vite-build');
  await mustRun('vite', ['build', '--logLevel', 'warn'], dir);
  await assertNoWasmFile(path.join(dir, 'dist'));
  await checkInChromium(path.join(dir, 'dist'), '/index.html');
});

test('Vite 7 dev server (no config, dependencies pre-bundled): runs in Chromium', { timeout: 90_000 }, async () => {
  const dir = await project('vite-dev');
  const server = await createViteServer({
    root: dir,
    logLevel: 'silent',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: { host: '127.0.0.1' } },
  });
  closers.push(() => server.close());
  await server.listen();
  const origin = `http://127.0.0.1:${server.httpServer.address().port}`;
  const { result, requests } = await runInChromium(origin, '/');
  assert.deepEqual(result, EXPECTED);
  // payhook came from Vite's dependency pre-bundling, the case that lost the wasm URL.
  assert.ok(requests.some((p) => p.includes('/node_modules/.vite/deps/payhook')), requests.join('\n'));
  await server.close();
});

test('native ES modules with an import map (no bundler): runs in Chromium', { timeout: 60_000 }, async () => {
  const dir = await project('importmap');
  const requests = await checkInChromium(dir, '/importmap.html');
  assert.ok(requests.includes('/node_modules/payhook/gen/payhook_core_wasm.js'), requests.join('\n'));
  assert.ok(requests.includes('/node_modules/payhook/gen/payhook_hapi_wasm.js'), requests.join('\n'));
});

test("'payhook/hapi' alone: a small bundle (esbuild --minify) with only the HAPI wasm, runs in Chromium", { timeout: 60_000 }, async (t) => {
  const dir = await project('hapi');
  await mustRun('esbuild', ['src/hapi.js', '--bundle', '--format=esm', '--minify', '--outdir=dist'], dir);
  const bundle = await readFile(path.join(dir, 'dist/hapi.js'));
  const gzip = gzipSync(bundle, { level: 9 }).length;
  t.diagnostic(`payhook/hapi app bundle: ${bundle.length} bytes raw, ${gzip} bytes gzip -9`);
  // The HAPI-only wasm is ~12 KB gzip inlined, the JS ~4 KB; the full wasm alone is ~44 KB.
  assert.ok(gzip < 20_000, `the payhook/hapi bundle is ${gzip} bytes gzip`);
  const hapiWasm = (await readFile(path.join(dir, 'node_modules/payhook/gen/payhook_hapi_wasm.js'), 'utf8')).match(/'([^']+)'/)[1];
  assert.ok(bundle.includes(hapiWasm), 'the HAPI wasm is not inlined in the bundle');
  await checkInChromium(path.join(dir, 'dist'), await writePage(path.join(dir, 'dist'), 'hapi.js'), { hapi: HAPI_EXPECTED });
});
