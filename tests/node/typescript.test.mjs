// TypeScript users of every module setting: tsc (the project's pinned typescript)
// compiles tests/types/cjs/index.ts (a CommonJS project) and tests/types/esm/index.ts
// (an ES module project) under `node16`, `nodenext` and `bundler` resolution, with
// `strict`, against the package's declarations as its `exports` resolve them. A CommonJS
// project must get the CommonJS declarations (.d.cts): with the ES ones, tsc refuses the
// import (TS1479).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

function tsc(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, ...args], { cwd: ROOT, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, out: stdout + stderr });
    });
  });
}

const CJS = { entries: ['pkg/gen/cjs/index.d.cts', 'pkg/gen/cjs/hapi.d.cts'], only: /^pkg\/gen\/cjs\/[\w.-]+\.d\.cts$/ };
const ESM = { entries: ['pkg/index.d.ts', 'pkg/hapi.d.ts'], only: /^pkg\/(?!gen\/cjs\/)[\w./-]+\.d\.ts$/ };
const CASES = [
  // [project, module, moduleResolution, the declarations it must use]
  ['cjs', 'node16', 'node16', CJS],
  ['cjs', 'nodenext', 'nodenext', CJS],
  ['esm', 'node16', 'node16', ESM],
  ['esm', 'nodenext', 'nodenext', ESM],
  ['esm', 'esnext', 'bundler', ESM],
];

for (const [project, module, resolution, declarations] of CASES) {
  test(`tsc: ${project === 'cjs' ? 'a CommonJS' : 'an ES module'} project, module ${module}, moduleResolution ${resolution}`, async () => {
    // A tsconfig (in a scratch folder) rather than flags: only a tsconfig can say
    // `types: []`, which keeps the @types packages of the workspace's tools out.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'payhook-tsc-'));
    const config = path.join(dir, 'tsconfig.json');
    await writeFile(config, JSON.stringify({
      compilerOptions: {
        noEmit: true, strict: true, target: 'es2022', lib: ['es2022'], types: [],
        module, moduleResolution: resolution,
      },
      files: [path.join(ROOT, `tests/types/${project}/index.ts`)],
    }));
    const { code, out } = await tsc(['-p', config, '--listFiles']).finally(() => rm(dir, { recursive: true, force: true }));
    const errors = out.split('\n').filter((l) => /error TS\d+/.test(l));
    assert.equal(code, 0, errors.join('\n') || out);
    const files = out.split('\n').map((l) => path.relative(ROOT, l.trim()).replaceAll('\\', '/'));
    // Through node_modules/payhook, a symlink to pkg/: tsc lists the real paths.
    const fromPkg = files.filter((f) => f.startsWith('pkg/'));
    for (const entry of declarations.entries) assert.ok(fromPkg.includes(entry), `${entry} not used: ${fromPkg.join(', ')}`);
    for (const f of fromPkg) assert.match(f, declarations.only);
  });
}
