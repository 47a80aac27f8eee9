// Runs the project's pinned wrangler fully offline (no metrics, no banner, no
// fetches, config and logs in the git-ignored .wrangler-home, never prompting).
// Shared by the Worker tests and bench/workerd.mjs.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
