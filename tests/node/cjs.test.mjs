// CommonJS: `require('payhook')` and `require('payhook/hapi')` (the `require` export
// conditions: pkg/gen/cjs/*.cjs, built by scripts/cjs.mjs) in a Node process without
// require(esm) (`--no-experimental-require-module`, as Node 20 before 20.19) and in
// plain Node. tests/fixtures/cjs/check.cjs does what a CommonJS user does; its results
// are checked against node:crypto and against the ES entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esm from 'payhook';
import * as esmHapi from 'payhook/hapi';
import { SALT, assertCjsWorks, runCheck, signedBody } from './lib/cjs-check.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHECK = path.join(ROOT, 'tests/fixtures/cjs/check.cjs');

for (const [label, flags, requireEsm] of [
  ['without require(esm) (--no-experimental-require-module)', ['--no-experimental-require-module'], 'ERR_REQUIRE_ESM'],
  ['in plain node', [], true],
]) {
  test(`require('payhook') and require('payhook/hapi') ${label}`, () => {
    const r = runCheck(CHECK, flags, ROOT);
    assertCjsWorks(r, { requireEsm, pkgDir: path.join(ROOT, 'pkg') });
    // The same API and the same answers as the ES entries.
    assert.deepEqual(r.exports.payhook, Object.keys(esm).sort());
    assert.deepEqual(r.exports.hapi, Object.keys(esmHapi).sort());
    // The child's result crossed as JSON: compare the data (both have no prototype).
    assert.deepEqual(r.hook, JSON.parse(JSON.stringify(esm.verifyHitpayWebhook(signedBody(), SALT))));
    assert.equal(r.hookPrototypeFree, true);
  });
}

test('the CommonJS build is only CommonJS: no import.meta, import or export statements left', async () => {
  const dir = path.join(ROOT, 'pkg/gen/cjs');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cjs'));
  assert.ok(files.includes('node.cjs') && files.includes('hapi-node.cjs') && files.includes('common.cjs'), files.join(', '));
  for (const f of files) {
    const code = await readFile(path.join(dir, f), 'utf8');
    assert.ok(!/\bimport\.meta\b/.test(code), `${f}: import.meta`);
    assert.ok(!/^\s*(import|export)\s[\s\S]*?from\s/m.test(code), `${f}: an ES import/export statement`);
    for (const [, spec] of code.matchAll(/require\("([^"]+)"\)/g)) {
      assert.ok(spec.startsWith('node:') || /^\.\/[\w.-]+\.cjs$/.test(spec), `${f} requires ${spec}`);
    }
  }
});
