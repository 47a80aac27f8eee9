// The release tarball as a new user gets it: scripts/pack.mjs (what `make pack` runs)
// packs pkg/ into payhook-<version>.tgz; the tarball must hold the package README, both
// licence texts, the changelog and the built package, and nothing else; a fresh project
// installs it with npm, offline (the package has no dependencies), and uses it from
// ES modules and from CommonJS (with and without require(esm)).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cargoVersion } from '../../scripts/pack.mjs';
import { FIELDS, SALT, assertCjsWorks, runCheck, signedBody } from './lib/cjs-check.mjs';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PKG = path.join(ROOT, 'pkg');
const pkgJson = JSON.parse(await readFile(path.join(PKG, 'package.json'), 'utf8'));

let tmp; // scratch folder: the tarball, npm's cache and the user's project
let tarball;
let entries; // paths in the tarball, without the leading "package/"
let project;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'payhook-pack-'));
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'scripts/pack.mjs'), path.join(tmp, 'dist')], { cwd: ROOT });
  tarball = stdout.trim().split('\n').at(-1);
  const list = await run('tar', ['-tzf', tarball]);
  entries = list.stdout.trim().split('\n').map((e) => e.replace(/^package\//, ''));

  // A fresh project, npm's cache in the scratch folder, --offline: nothing may be fetched.
  project = path.join(tmp, 'app');
  await cp(path.join(ROOT, 'tests/fixtures/cjs'), project, { recursive: true });
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'payhook-user', private: true }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', path.join(tmp, 'npm-cache'), tarball], { cwd: project });
}, { timeout: 120_000 });

after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('one version: Cargo.toml, pkg/package.json, CHANGELOG.md and the tarball name', async () => {
  assert.equal(pkgJson.version, cargoVersion(), 'pkg/package.json and Cargo.toml give different versions');
  const changelog = await readFile(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
  assert.match(changelog, new RegExp(`^## ${cargoVersion().replaceAll('.', '\\.')}\\b`, 'm'));
  assert.equal(path.basename(tarball), `payhook-${cargoVersion()}.tgz`);
  // The install instructions name this tarball.
  for (const readme of ['README.md', 'pkg/README.md']) {
    const text = await readFile(path.join(ROOT, readme), 'utf8');
    assert.ok(text.includes(`npm install ./payhook-${cargoVersion()}.tgz`), `${readme} does not name payhook-${cargoVersion()}.tgz`);
  }
});

test('the tarball: README, both licences, changelog, the built package, and no stray files', async () => {
  for (const doc of ['README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'CHANGELOG.md', 'package.json']) {
    assert.ok(entries.includes(doc), `${doc} is not in the tarball`);
  }
  // Exactly the files "files" names (folders expanded) and package.json.
  const expected = ['package.json'];
  for (const f of pkgJson.files) {
    if (f.endsWith('/')) {
      expected.push(...(await readdir(path.join(PKG, f))).filter((n) => !n.startsWith('.')).map((n) => f + n));
    } else {
      expected.push(f);
    }
  }
  assert.deepEqual([...entries].sort(), expected.sort());
  // Nothing a user should not get, whatever "files" says.
  for (const e of entries) {
    assert.ok(/^(README\.md|CHANGELOG\.md|LICENSE-(MIT|APACHE)|package\.json|[\w-]+\.(js|d\.ts)|gen\/[\w-]+\.(js|d\.ts|wasm)|gen\/cjs\/[\w-]+\.(cjs|d\.cts))$/.test(e), `stray file: ${e}`);
  }
  // Every target of "exports" is in it.
  const targets = JSON.stringify(pkgJson.exports).match(/"\.\/[^"]+"/g).map((t) => t.slice(3, -1)).filter((t) => t !== 'hapi');
  for (const t of targets) assert.ok(entries.includes(t), `exports target ${t} is not in the tarball`);
  // The licence texts are the repository's, the README is the package's own.
  const installed = path.join(project, 'node_modules/payhook');
  for (const doc of ['LICENSE-MIT', 'LICENSE-APACHE', 'CHANGELOG.md']) {
    assert.ok((await readFile(path.join(installed, doc))).equals(await readFile(path.join(ROOT, doc))), doc);
  }
  assert.match(await readFile(path.join(ROOT, 'LICENSE-APACHE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
  assert.match(await readFile(path.join(ROOT, 'LICENSE-MIT'), 'utf8'), /^MIT License/);
  const readme = await readFile(path.join(installed, 'README.md'), 'utf8');
  assert.match(readme, /^# payhook/);
  assert.match(readme, /## Install/);
  assert.ok(readme.includes(pkgJson.homepage.replace(/#readme$/, '')), 'the README does not link to the full README');
  for (const key of ['repository', 'homepage', 'bugs']) assert.ok(pkgJson[key], `package.json has no ${key}`);
  assert.equal(pkgJson.license, 'MIT OR Apache-2.0');
});

test('installed from the tarball: a real copy in node_modules, used from ES modules', async () => {
  const installed = await realpath(path.join(project, 'node_modules/payhook'));
  assert.ok(installed.startsWith(await realpath(project)), `node_modules/payhook is not a copy: ${installed}`);
  const script = `
    import { verifyHitpayWebhook, PayhookError } from 'payhook';
    import * as hapi from 'payhook/hapi';
    const [body, salt] = process.argv.slice(2);
    let tampered;
    try { verifyHitpayWebhook(body.replace('amount=25.00', 'amount=2500'), salt); } catch (e) {
      tampered = { code: e.code, sameClass: e instanceof PayhookError && e instanceof hapi.PayhookError };
    }
    console.log(JSON.stringify({
      resolved: [import.meta.resolve('payhook'), import.meta.resolve('payhook/hapi')],
      hook: verifyHitpayWebhook(body, salt),
      tampered,
      url: hapi.buildHapiCallbackUrl('https://ats.example/cb', { orderId: 'o-1' }),
    }));`;
  await writeFile(path.join(project, 'esm.mjs'), script);
  const { stdout } = await run(process.execPath, ['esm.mjs', signedBody(), SALT], { cwd: project });
  const r = JSON.parse(stdout);
  assert.deepEqual(r.resolved.map((u) => path.relative(installed, fileURLToPath(u))), ['node.js', 'hapi-node.js']);
  assert.deepEqual(r.hook.fields, FIELDS);
  assert.deepEqual(r.tampered, { code: 'SIGNATURE_MISMATCH', sameClass: true });
  assert.equal(r.url, 'https://ats.example/cb?orderId=o-1');
});

test('installed from the tarball: used from CommonJS, without and with require(esm)', async () => {
  const installed = await realpath(path.join(project, 'node_modules/payhook'));
  const check = path.join(project, 'check.cjs');
  assertCjsWorks(runCheck(check, ['--no-experimental-require-module'], project), { requireEsm: 'ERR_REQUIRE_ESM', pkgDir: installed });
  assertCjsWorks(runCheck(check, [], project), { requireEsm: true, pkgDir: installed });
});
