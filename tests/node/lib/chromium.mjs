// The Chromium harness shared by the browser tests: a static file server on
// 127.0.0.1 with the right content types (application/wasm included), the system's
// chromium launched through playwright-core with no network beyond 127.0.0.1, and a
// page run in a fresh context that fails the test on any console error, page error,
// failed request or HTTP error status.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * A static file server on 127.0.0.1 (random port). `mounts` maps URL prefixes
 * (ending in '/') to folders; the longest matching prefix wins. `types` adds content
 * types by extension; `head` also answers HEAD (else only GET; other methods get 405).
 */
export async function serveStatic(mounts, { types = {}, head = false } = {}) {
  const table = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  const contentTypes = { ...TYPES, ...types };
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && !(head && req.method === 'HEAD')) {
        res.writeHead(405).end();
        return;
      }
      const pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
      const mount = table.find(([prefix]) => pathname.startsWith(prefix));
      if (!mount || pathname.includes('\0')) {
        res.writeHead(404).end();
        return;
      }
      const [prefix, dir] = mount;
      let file = path.resolve(dir, '.' + path.posix.sep + pathname.slice(prefix.length));
      if (file !== dir && !file.startsWith(dir + path.sep)) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = path.join(file, 'index.html');
      const data = await readFile(file);
      res.writeHead(200, {
        'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
        'content-length': data.length,
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : data);
    } catch (err) {
      res.writeHead(err.code === 'ENOENT' || err.code === 'EISDIR' ? 404 : 500).end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

export async function closeServer(server) {
  if (!server?.listening) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** The system's chromium, with every host name but 127.0.0.1 unresolvable. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
    timeout: 30_000,
  });
}

/**
 * Runs `fn(page, problems)` in a fresh context of `browser` (`context`: its options), then waits
 * for the network to go idle so that late events arrive, and fails if anything went
 * wrong on the page: a console message of one of `consoleTypes`, a page error, a
 * failed request, an HTTP error status and, unless `localOnly` is false, a request
 * off 127.0.0.1. `what` names the page in the failure message. Returns what `fn` did.
 */
export async function inCheckedPage(browser, fn, {
  context: contextOptions,
  timeout = 15_000,
  consoleTypes = ['error'],
  localOnly = true,
  what = 'the page',
} = {}) {
  const context = await browser.newContext(contextOptions);
  const problems = [];
  let result;
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('console', (msg) => {
      if (consoleTypes.includes(msg.type())) {
        problems.push(`console.${msg.type()}: ${msg.text()} (${msg.location().url})`);
      }
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
    if (localOnly) {
      page.on('request', (req) => {
        const u = new URL(req.url());
        if (u.protocol !== 'data:' && u.hostname !== '127.0.0.1') problems.push(`request off 127.0.0.1: ${req.url()}`);
      });
    }
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    result = await fn(page, problems);
    await page.waitForLoadState('networkidle');
  } finally {
    await context.close().catch(() => {});
  }
  assert.deepEqual(problems, [], `problems on ${what}:\n${problems.join('\n')}`);
  return result;
}
