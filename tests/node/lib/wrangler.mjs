// Runs the project's pinned wrangler fully offline (no metrics, no banner, no
// fetches, config and logs in the git-ignored .wrangler-home, never prompting), and
// runs what it bundles in workerd through the miniflare API. Shared by the Worker
// tests and bench/workerd.mjs.
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const WRANGLER = path.join(ROOT, 'node_modules/.bin/wrangler');
const WRANGLER_HOME = path.join(ROOT, '.wrangler-home');

/** The environment that keeps wrangler offline and quiet (for a spawned `wrangler dev` too). */
export async function wranglerEnv() {
  await mkdir(path.join(WRANGLER_HOME, 'logs'), { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    XDG_CONFIG_HOME: WRANGLER_HOME,
    WRANGLER_LOG_PATH: path.join(WRANGLER_HOME, 'logs'),
    NO_COLOR: '1',
    CI: 'true', // never prompt
  };
}

/** Runs `wrangler ...args` in `cwd`; resolves to its stdout + stderr, rejects with both in the message. */
export async function wrangler(args, cwd) {
  const env = await wranglerEnv();
  return new Promise((resolve, reject) => {
    execFile(WRANGLER, args, { cwd, env, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
        reject(err);
      } else {
        resolve(stdout + stderr);
      }
    });
  });
}

/**
 * Bundles the Worker that the wrangler.toml at `config` describes, exactly as
 * `wrangler deploy` would upload it (`--dry-run`), into `outdir` (emptied first; give
 * it absolute: wrangler resolves a relative --outdir against the folder of
 * wrangler.toml). Resolves to wrangler's output. With `removeScratch`, also removes
 * the scratch folder wrangler leaves next to wrangler.toml (`.wrangler`, git-ignored).
 */
export async function bundleWorker(config, outdir, { removeScratch = false } = {}) {
  const dir = path.dirname(config);
  await rm(outdir, { recursive: true, force: true });
  const log = await wrangler(['deploy', '--dry-run', '--outdir', outdir, '--config', config], dir);
  if (removeScratch) await rm(path.join(dir, '.wrangler'), { recursive: true, force: true });
  return log;
}

/**
 * A Miniflare that runs the bundle in `outdir` (its index.js and the .wasm beside
 * it, as wrangler emits them) in workerd: offline (`cf: false`), on 127.0.0.1 only.
 * `options` adds to it (compatibilityDate, bindings, D1, queues, …).
 */
export function miniflare(outdir, options) {
  return new Miniflare(miniflareOptions(outdir, options));
}

/** The options miniflare() starts with, for a test that restarts it with another setting. */
export function miniflareOptions(outdir, options) {
  return {
    modules: true,
    modulesRoot: outdir,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    scriptPath: path.join(outdir, 'index.js'),
    cf: false,
    host: '127.0.0.1',
    ...options,
  };
}
