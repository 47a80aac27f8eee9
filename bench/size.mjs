// Sizes, against the targets of the performance issue:
//   - the largest .wasm in pkg/ (all providers): at most 32 KiB gzip;
//   - the reference Worker's upload (`wrangler deploy --dry-run`: bundle + wasm):
//     at most 48 KiB gzip;
// and, for scale, the wasm inlined in JS (pkg/gen/*_wasm.js) and the JS that ships with
// the wasm (pkg/*.js and the glue).
//
//   node bench/size.mjs          (after `make build`; `make bench` runs it)
//
// gzip is `zlib.gzipSync` at level 9, as `gzip -9`; the Worker figure is the one
// wrangler itself prints ("Total Upload: … / gzip: …").
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, wrangler } from '../tests/node/lib/wrangler.mjs';

const KiB = 1024;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const verdict = (n, max) => (n <= max ? 'MET' : `NOT MET (${kb(n - max)} over)`);

async function files(dir, ext) {
  return (await readdir(dir)).filter((f) => f.endsWith(ext)).map((f) => path.join(dir, f));
}

const rows = [];
let largestWasm = { file: '', raw: 0, gzip: 0 };
for (const file of await files(path.join(ROOT, 'pkg/gen'), '.wasm')) {
  const buf = await readFile(file);
  const entry = { file: path.relative(ROOT, file), raw: buf.length, gzip: gz(buf) };
  rows.push(entry);
  if (entry.gzip > largestWasm.gzip) largestWasm = entry;
}
// The wasm inlined in JS (pkg/gen/*_wasm.js, what the browser and Node entries load) has a row each.
for (const file of await files(path.join(ROOT, 'pkg/gen'), '_wasm.js')) {
  const buf = await readFile(file);
  rows.push({ file: `${path.relative(ROOT, file)} (the wasm inlined)`, raw: buf.length, gzip: gz(buf) });
}
const js = [...(await files(path.join(ROOT, 'pkg'), '.js')), ...(await files(path.join(ROOT, 'pkg/gen'), '.js'))]
  .filter((f) => !f.endsWith('_wasm.js'));
const jsBuf = Buffer.concat(await Promise.all(js.map((f) => readFile(f))));
rows.push({ file: `pkg JS (${js.map((f) => path.relative(path.join(ROOT, 'pkg'), f)).join(', ')})`, raw: jsBuf.length, gzip: gz(jsBuf) });

// The reference Worker, bundled exactly as it would be uploaded.
const WORKER = path.join(ROOT, 'worker');
const OUTDIR = path.join(ROOT, 'target/bench-size-worker');
await rm(OUTDIR, { recursive: true, force: true });
const log = await wrangler(['deploy', '--dry-run', '--outdir', OUTDIR], WORKER);
await rm(path.join(WORKER, '.wrangler'), { recursive: true, force: true });
const upload = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(log);
if (!upload) throw new Error(`no "Total Upload" line in wrangler's output:\n${log}`);
const workerRaw = Math.round(Number(upload[1]) * KiB);
const workerGzip = Math.round(Number(upload[2]) * KiB);
rows.push({ file: 'reference Worker upload (wrangler deploy --dry-run)', raw: workerRaw, gzip: workerGzip });

console.log('Sizes (raw / gzip -9)');
for (const r of rows) console.log(`  ${kb(r.raw).padStart(9)}  ${kb(r.gzip).padStart(8)}  ${r.file}`);
console.log(`Target largest .wasm <= 32 KiB gzip: ${verdict(largestWasm.gzip, 32 * KiB)} — ${largestWasm.file} ${largestWasm.gzip} bytes`);
console.log(`Target Worker upload <= 48 KiB gzip: ${verdict(workerGzip, 48 * KiB)} — ${upload[2]} KiB as wrangler reports it`);
