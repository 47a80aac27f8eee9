// Runs one JavaScript block of the README (tests/node/readme.test.mjs writes it to a
// file): `node readme-run.mjs <mode> <file>`.
//
// - `run`: the block is a program; importing it runs it.
// - `handler`: the block is a module that exports a Fetch handler (a Worker's
//   `default.fetch`, or a Next.js route's `POST`); it is sent the README's sample
//   HitPay webhook, which must be answered 2xx, then the same body tampered, which
//   must not be.
//
// No block reaches the internet: `fetch` to any host but 127.0.0.1 is answered
// here: HitPay's payment-request API with its documented answer
// (tests/fixtures/real/hitpay/create-response.json, for the create call and the
// status request alike), anything else with `{}` (what the README's follow-up
// calls to a provider's API get).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const HITPAY_ANSWER = readFileSync(new URL('../../fixtures/real/hitpay/create-response.json', import.meta.url));

const [mode, file] = process.argv.slice(2);
const SAMPLE_SALT = process.env.README_SAMPLE_SALT;
const SAMPLE_BODY = process.env.README_SAMPLE_BODY;

const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (url.hostname === '127.0.0.1') return realFetch(input, init);
  const hitpay = /^api(\.sandbox)?\.hit-pay\.com$/.test(url.hostname) && url.pathname.startsWith('/v1/payment-requests');
  console.log(`(readme-run: ${init?.method ?? 'GET'} ${url.origin}${url.pathname} answered locally)`);
  return hitpay ? new Response(HITPAY_ANSWER, { headers: { 'content-type': 'application/json' } }) : Response.json({});
};

// A handler's secret: the Worker's env, or process.env (a Next.js route).
if (mode === 'handler') process.env.HITPAY_SALT = SAMPLE_SALT;
const mod = await import(pathToFileURL(file).href);

if (mode === 'handler') {
  const handle = typeof mod.default?.fetch === 'function'
    ? (request) => mod.default.fetch(request, { HITPAY_SALT: SAMPLE_SALT }, { waitUntil() {} })
    : mod.POST;
  if (typeof handle !== 'function') throw new Error('the block exports no handler (default.fetch or POST)');
  const post = (body) => new Request('http://127.0.0.1/webhooks/hitpay', {
    method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const ok = await handle(post(SAMPLE_BODY));
  const okText = await ok.text();
  if (ok.status < 200 || ok.status > 299) throw new Error(`the sample webhook was answered ${ok.status}: ${okText}`);
  const tampered = await handle(post(SAMPLE_BODY.replace('amount=25.00', 'amount=25.01')));
  const tamperedText = await tampered.text();
  if (tampered.status < 400) throw new Error(`the tampered webhook was answered ${tampered.status}: ${tamperedText}`);
  console.log(`sample: ${ok.status} ${okText}; tampered: ${tampered.status} ${tamperedText}`);
} else if (mode !== 'run') {
  throw new Error(`unknown mode ${mode}`);
}
