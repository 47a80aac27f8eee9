// `make pack`: packs pkg/ into <outdir>/payhook-<version>.tgz with `npm pack`, after
// checking what the tarball must be: one version (Cargo.toml's, which pkg/package.json
// and CHANGELOG.md must give too), the licence texts and changelog copied into pkg/ and
// identical to the repository's, and the built files present.
// Usage: node scripts/pack.mjs <outdir>; prints the tarball's path last.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PKG = path.join(ROOT, 'pkg');

/** The `version` of Cargo.toml's [package] table. */
export function cargoVersion(root = ROOT) {
  const toml = readFileSync(path.join(root, 'Cargo.toml'), 'utf8');
  const table = toml.split(/^\[/m).find((t) => t.startsWith('package]'));
  const m = table?.match(/^version\s*=\s*"([^"]+)"/m);
  if (!m) throw new Error('Cargo.toml: no version in [package]');
  return m[1];
}

function fail(message) {
  console.error(`make pack: ${message}`);
  process.exit(1);
}

function main(outdir) {
  const version = cargoVersion();
  const pkg = JSON.parse(readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  if (pkg.version !== version) fail(`pkg/package.json has version ${pkg.version}, Cargo.toml ${version}: make them equal`);
  const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
  if (!new RegExp(`^## ${version.replaceAll('.', '\\.')}\\b`, 'm').test(changelog)) fail(`CHANGELOG.md has no "## ${version}" section`);
  for (const doc of ['LICENSE-MIT', 'LICENSE-APACHE', 'CHANGELOG.md']) {
    const copy = path.join(PKG, doc);
    if (!existsSync(copy) || !readFileSync(copy).equals(readFileSync(path.join(ROOT, doc)))) {
      fail(`pkg/${doc} is missing or differs from ${doc}: run make build`);
    }
  }
  for (const file of pkg.files) {
    if (!existsSync(path.join(PKG, file))) fail(`pkg/${file} (listed in "files") is missing: run make build`);
  }
  mkdirSync(outdir, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', path.resolve(outdir)], {
    cwd: PKG,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [info] = JSON.parse(out);
  const tarball = path.join(path.resolve(outdir), info.filename);
  if (info.filename !== `payhook-${version}.tgz`) fail(`npm packed ${info.filename}`);
  console.log(`${info.entryCount} files, ${info.size} bytes packed, ${info.unpackedSize} unpacked`);
  console.log(tarball);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2] ?? path.join(ROOT, 'target/pack'));
}
