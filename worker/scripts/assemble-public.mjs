// Assembles the Worker's static assets (wrangler.toml [assets] directory):
//   worker/public/          the demo, www/ (without its dev-only files)
//   worker/public/pkg/      the browser build of payhook, so that the demo's import
//                           maps ({ "payhook": "/pkg/browser.js" }, and
//                           { "payhook/hapi": "/pkg/hapi.js" } in hapi.html) resolve
// Usage: node worker/scripts/assemble-public.mjs [outdir]   (default worker/public)
import { cp, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.resolve(process.argv[2] ?? path.join(ROOT, 'worker/public'));
const WWW = path.join(ROOT, 'www');
const PKG = path.join(ROOT, 'pkg');
// Files of www/ that are tools for development, not pages.
const NOT_ASSETS = new Set(['node_modules', 'dist', 'package.json', 'package-lock.json', 'serve.mjs',
  'vite.config.js', 'vite.config.mjs']);

async function exists(file) {
  return stat(file).then(() => true, () => false);
}

if (!(await exists(path.join(PKG, 'gen/payhook_core_bg.wasm')))) {
  console.error('pkg/gen is missing: run `make build` first');
  process.exit(1);
}

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });

for (const name of (await exists(WWW)) ? await readdir(WWW) : []) {
  if (name.startsWith('.') || NOT_ASSETS.has(name)) continue;
  await cp(path.join(WWW, name), path.join(OUT, name), { recursive: true });
}

// The browser's share of what the package publishes (its "files"): the ES modules, not
// the .wasm files, which the browser entries load inlined in JS (gen/*_wasm.js), nor the
// Node and Worker entries, gen/cjs/ (the CommonJS build), the declarations, README,
// licences and changelog.
const { files } = JSON.parse(await readFile(path.join(PKG, 'package.json'), 'utf8'));
const serverOnly = new Set(['node.js', 'workerd.js', 'hapi-node.js', 'hapi-workerd.js']);
for (const file of files.filter((f) => f.endsWith('.js') && !serverOnly.has(f))) {
  await mkdir(path.dirname(path.join(OUT, 'pkg', file)), { recursive: true });
  await cp(path.join(PKG, file), path.join(OUT, 'pkg', file));
}

const count = async (dir) => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
console.log(`assembled ${path.relative(ROOT, OUT) || OUT}: ${await count(OUT)} files (www/ and /pkg/)`);
