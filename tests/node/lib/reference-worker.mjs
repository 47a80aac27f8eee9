// The reference Worker (worker/) as reference-worker.test.mjs runs it, for the
// tests that need it over HTTP (a browser page): worker/public assembled, the
// bundle of `wrangler deploy --dry-run` (bundleWorker), the D1 migrations applied
// by wrangler, and workerd through miniflare() with the bindings wrangler.toml
// declares (read by wrangler itself), listening on 127.0.0.1 (a free port).
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, bundleWorker, miniflare, wrangler } from './wrangler.mjs';

const WORKER = path.join(ROOT, 'worker');
const CONFIG = path.join(WORKER, 'wrangler.toml');

/**
 * Starts the Worker. `name` names its folders under tests/artifacts; `settings`
 * are its secrets and vars; `queue` overrides the consumer's options (miniflare's
 * names: maxBatchTimeout, retryDelay…). Returns { mf, origin, db, log(), dispose() }.
 */
export async function startReferenceWorker({ name, settings, queue = {} }) {
  const outdir = path.join(ROOT, `tests/artifacts/${name}-dist`);
  const state = path.join(ROOT, `tests/artifacts/${name}-state`);
  await rm(state, { recursive: true, force: true });
  await promisify(execFile)(process.execPath, [path.join(WORKER, 'scripts/assemble-public.mjs')], { cwd: WORKER, timeout: 120_000 });
  await bundleWorker(CONFIG, outdir);
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state, '--config', CONFIG], WORKER);

  const { unstable_getMiniflareWorkerOptions: workerOptions } = await import('wrangler');
  const { workerOptions: config } = workerOptions(CONFIG);
  const queueConsumers = Object.fromEntries(
    Object.entries(config.queueConsumers).map(([queueName, c]) => [queueName, { ...c, ...queue }]),
  );
  let log = '';
  const mf = miniflare(outdir, {
    compatibilityDate: config.compatibilityDate,
    bindings: { ...config.bindings, ...settings },
    d1Databases: config.d1Databases,
    d1Persist: path.join(state, 'v3/d1'),
    queueProducers: config.queueProducers,
    queueConsumers,
    assets: config.assets,
    ratelimits: config.ratelimits,
    port: 0,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on('data', (chunk) => { log += chunk; });
      stderr.on('data', (chunk) => { log += chunk; });
    },
  });
  const url = await mf.ready;
  return {
    mf,
    origin: url.origin,
    db: await mf.getD1Database('DB'),
    log: () => log,
    dispose: () => mf.dispose(),
  };
}
