// Start-up cost of payhook in Node: in RUNS fresh child processes, the time from just
// before `await import('payhook')` to the end of the first successful
// verifyHitpayWebhook (the documentation sample), and separately the import alone
// (which reads and instantiates the wasm module). Medians are printed.
//
//   node bench/startup.mjs            10 runs
//   node bench/startup.mjs --quick    3 runs
//
// Timed inside each child with performance.now(); node's own start-up (before the
// script runs) is not included. The child imports 'payhook' from the repo root, so
// it resolves through the package's `node` export condition like a user's code.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (arg !== '--quick') {
    console.error(`unknown option ${arg}; use --quick`);
    process.exit(2);
  }
}
const RUNS = args.has('--quick') ? 3 : 10;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CHILD = `
const BODY =
  'payment_id=92965a2d-ece3-4ace-1245-494050c9a3c1&payment_request_id=92965a20-dae5-4d89-a452-5fdfa382dbe1' +
  '&reference_number=ABC123&phone=&amount=599.00&currency=SGD&status=completed' +
  '&hmac=d8530333b566266dad17531d6a26619a6ef05a53a2351eb1aff764fa7d019a39';
const SALT = 'salt_for_tests_only';
const t0 = performance.now();
const { verifyHitpayWebhook } = await import('payhook');
const t1 = performance.now();
const result = verifyHitpayWebhook(BODY, SALT);
const t2 = performance.now();
if (result.amount !== '599.00') throw new Error('unexpected result ' + JSON.stringify(result));
const t3 = performance.now();
verifyHitpayWebhook(BODY, SALT);
const t4 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t0, firstVerifyMs: t2 - t1, secondVerifyMs: t4 - t3 }));
`;

function child() {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', CHILD], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
        reject(err);
      } else resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2;
};

const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await child()); // one at a time, so they don't compete
const col = (k) => runs.map((r) => r[k]);
const ms = (x) => `${x.toFixed(2)} ms`;
const range = (k) => `(min ${ms(Math.min(...col(k)))}, max ${ms(Math.max(...col(k)))})`;

console.log(`payhook start-up in Node ${process.version}, median of ${RUNS} fresh processes:`);
console.log(`  import('payhook') → first verifyHitpayWebhook done  ${ms(median(col('firstMs'))).padStart(9)}  ${range('firstMs')}`);
console.log(`    of which await import('payhook')                 ${ms(median(col('importMs'))).padStart(9)}  ${range('importMs')}`);
console.log(`    of which the first verifyHitpayWebhook           ${ms(median(col('firstVerifyMs'))).padStart(9)}  ${range('firstVerifyMs')}`);
console.log(`  (a second verifyHitpayWebhook in the same process  ${ms(median(col('secondVerifyMs'))).padStart(9)})`);
