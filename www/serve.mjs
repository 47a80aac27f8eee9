// The browser demo's server (`make dev`): serves www/ at / and the built npm
// package pkg/ at /pkg/ on 127.0.0.1 only. PORT sets the port (default 8787;
// 0 picks a free one). No dependencies beyond Node itself.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = path.dirname(fileURLToPath(import.meta.url));
const PKG = path.resolve(WWW, '../pkg');
const HOST = '127.0.0.1';
const PORT = process.env.PORT === undefined || process.env.PORT === '' ? 8787 : Number(process.env.PORT);

if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  console.error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
if (!existsSync(path.join(PKG, 'gen/payhook_core_bg.wasm'))) {
  console.warn('warning: pkg/gen/payhook_core_bg.wasm is missing: run `make build` first (`make dev` does).');
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

// Longest prefix first. Only these two folders are reachable.
const MOUNTS = [
  ['/pkg/', PKG],
  ['/', WWW],
];

async function resolveFile(pathname) {
  const mount = MOUNTS.find(([prefix]) => pathname.startsWith(prefix));
  if (!mount || pathname.includes('\0')) return null;
  const [prefix, dir] = mount;
  let file = path.resolve(dir, '.' + path.posix.sep + pathname.slice(prefix.length));
  if (file !== dir && !file.startsWith(dir + path.sep)) return null;
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = path.join(file, 'index.html');
  } else if (!info) {
    return null;
  }
  // The server's own source is not part of the site.
  if (file === fileURLToPath(import.meta.url)) return null;
  return file;
}

const server = createServer(async (req, res) => {
  const started = Date.now();
  let status = 500;
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      status = 405;
      res.writeHead(status, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, `http://${HOST}`).pathname);
    } catch {
      status = 400;
      res.writeHead(status).end();
      return;
    }
    const file = await resolveFile(pathname);
    if (!file) {
      status = 404;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const data = await readFile(file);
    status = 200;
    res.writeHead(status, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': data.length,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : data);
  } catch (err) {
    status = 500;
    if (!res.headersSent) res.writeHead(status).end();
    console.error(err);
  } finally {
    if (process.env.QUIET !== '1') {
      console.log(`${req.method} ${req.url} ${status} ${Date.now() - started}ms`);
    }
  }
});

server.on('error', (err) => {
  console.error(err.code === 'EADDRINUSE' ? `port ${PORT} is in use: set PORT to another one` : err);
  process.exit(1);
});

server.listen(PORT, HOST, () => {
  console.log(`payhook demo: http://${HOST}:${server.address().port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
