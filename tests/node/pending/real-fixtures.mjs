// What payhook must do with the real-world fixtures once issue 13 lands (the `after_issue_13`
// entries of tests/fixtures/real/*/manifest.json, and the new functions of the contract's
// "Added on 2026-12-01" on the same fixtures). Not run by `make test` (its glob is
// tests/node/*.test.mjs); to enable it once issue 13 is in:
//
//   git mv tests/node/pending/real-fixtures.mjs tests/node/real-fixtures-pending.test.mjs
//   (and change the import of ./lib/real-fixtures.mjs below to ./lib/…)
//
// Until then it fails (run it with `node --test tests/node/pending/real-fixtures.mjs`): every
// test below names the behaviour it waits for. Functions are looked up on the namespace so
// that a missing one fails its own tests, not the whole file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as payhook from 'payhook';
import {
  loadRealFixtures,
  outcome,
  assertExpected,
  normalisedPairs,
  signatureVariants,
  realText,
  realBytes,
} from '../lib/real-fixtures.mjs';

const { hitpay, payex, smartRouter } = loadRealFixtures();

/** The function `name` of payhook; fails the test when issue 13 has not added it yet. */
function fn(name) {
  assert.equal(typeof payhook[name], 'function', `payhook.${name} is not exported yet (issue 13)`);
  return payhook[name];
}

const final = (entry) => entry.after_issue_13 ?? entry.now;

// The null-field and Hitpay-Signature tests that were here now run in
// tests/node/real-fixtures-hitpay13.test.mjs; the Fetch API ones wait for their functions.
describe('HitPay form webhooks through a Fetch API Request', () => {
  it('verifyHitpayRequest gives the same result from a Fetch API Request', async () => {
    const verifyHitpayRequest = fn('verifyHitpayRequest');
    for (const [name, entry] of Object.entries(hitpay.manifest.webhooks)) {
      const { body } = hitpay.webhooks.get(name);
      const request = new Request('https://shop.example/webhooks/hitpay', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body,
      });
      let result;
      try {
        result = { value: await verifyHitpayRequest(request, hitpay.salt) };
      } catch (error) {
        if (!(error instanceof payhook.PayhookError)) throw error;
        result = { error };
      }
      assertExpected(result, final(entry), name);
    }
  });
});

describe('HitPay event webhooks: the event headers', () => {
  for (const event of hitpay.events) {
    it(`${event.file}: verifyHitpayEventRequest returns the event type, object and payload`, async () => {
      const verifyHitpayEventRequest = fn('verifyHitpayEventRequest');
      const headers = { ...hitpay.manifest.events.headers, 'Hitpay-Signature': event.signature, 'content-type': 'application/json' };
      const request = new Request('https://shop.example/webhooks/hitpay-events', { method: 'POST', headers, body: event.body });
      const result = await verifyHitpayEventRequest(request, hitpay.salt);
      assert.deepEqual({ ...result, payload: { ...result.payload } }, {
        eventType: 'completed', eventObject: 'payment_request', payload: JSON.parse(realText(`hitpay/${event.file}`)),
      });
    });
  }
});

describe('HitPay create-payment-request: the parameters HitPay\'s WooCommerce plugin sends', () => {
  for (const [variant, entry] of Object.entries(hitpay.manifest.payment_requests)) {
    if (!entry.after_issue_13) continue;
    it(`${variant}: ${entry.what}`, () => {
      const captured = hitpay.requests.get(variant).captured[0];
      const req = payhook.buildHitpayPaymentRequest(entry.params, { apiKey: captured.headers['X-BUSINESS-API-KEY'], sandbox: true });
      assert.equal(req.url, `https://api.sandbox.hit-pay.com${captured.uri}`);
      assert.deepEqual(normalisedPairs(req.body), normalisedPairs(captured.body));
    });
  }

  it('an http: webhook (a shop without TLS) is INSECURE_URL, as everywhere else', () => {
    const { params } = hitpay.manifest.payment_requests['php-sdk'];
    const result = outcome(() => payhook.buildHitpayPaymentRequest(
      { ...params, webhook: params.webhook.replace('https:', 'http:') }, { apiKey: 'k', sandbox: true }));
    assertExpected(result, { error: { code: 'INSECURE_URL', field: 'webhook' } }, 'http webhook');
  });
});

describe('HitPay payment-request answers and the status request', () => {
  for (const [file, entry] of Object.entries(hitpay.manifest.responses)) {
    if (!entry.after_issue_13) continue;
    it(`${file}: ${entry.what}`, () => {
      const parse = fn('parseHitpayPaymentRequestResponse');
      assertExpected(outcome(() => parse(realBytes(`hitpay/${file}`))), entry.after_issue_13, file);
    });
  }

  it('agrees with what HitPay\'s PHP SDK reads from the documented create answer', () => {
    const parse = fn('parseHitpayPaymentRequestResponse');
    const read = hitpay.requests.get('php-sdk').sdk_read;
    const result = parse(realBytes('hitpay/create-response.json'));
    assert.deepEqual(
      [result.id, result.url, result.status, result.amount, result.currency, result.referenceNumber],
      [read.id, read.url, read.status, read.amount, read.currency, read.reference_number]);
  });

  it('refuses a checkout url that is not https on a HitPay host', () => {
    const parse = fn('parseHitpayPaymentRequestResponse');
    const doc = JSON.parse(realText('hitpay/create-response.json'));
    // http: on HitPay's host: INVALID_FIELD or INSECURE_URL (the contract names neither);
    // a foreign host: INVALID_FIELD.
    for (const [url, codes] of [
      ['http://securecheckout.sandbox.hit-pay.com/payment-request/x', ['INVALID_FIELD', 'INSECURE_URL']],
      ['https://securecheckout.hit-pay.com.evil.example/x', ['INVALID_FIELD']],
    ]) {
      const { error } = outcome(() => parse(JSON.stringify({ ...doc, url })));
      assert.ok(error && codes.includes(error.code), `${url}: ${error?.code}`);
      assert.equal(error.field, 'url');
    }
  });

  it('builds the status request the PHP SDK\'s getPaymentStatus sends, without its leftover body', () => {
    const build = fn('buildHitpayPaymentRequestStatusRequest');
    const { id, after_issue_13: want } = hitpay.manifest.status_request;
    const captured = hitpay.requests.get('php-sdk').captured.find((r) => r.method === 'GET');
    const req = build(id, { apiKey: captured.headers['X-BUSINESS-API-KEY'], sandbox: true });
    assert.equal(req.method, want.method);
    assert.equal(req.url, want.url);
    assert.equal(new URL(req.url).pathname, captured.uri);
    assert.equal(req.headers['X-BUSINESS-API-KEY'], captured.headers['X-BUSINESS-API-KEY']);
    assert.equal(req.body, undefined);
  });
});

describe('PayEx / Swedbank Pay: paymentorder, /psp/paymentorders/payments/ and numbers as strings', () => {
  for (const [file, entry] of Object.entries(payex.manifest.callbacks)) {
    if (!entry.after_issue_13) continue;
    it(`${file}`, () => {
      const result = outcome(() => payhook.parsePayexCallback(realBytes(`payex/${file}`)));
      assert.ok(!result.error, result.error?.message);
      assert.deepEqual({ ...result.value }, entry.after_issue_13.ok);
    });
  }

  it('parsePayexRequest gives parsePayexCallback\'s result for every real callback', async () => {
    const parsePayexRequest = fn('parsePayexRequest');
    for (const [file, entry] of Object.entries(payex.manifest.callbacks)) {
      const request = new Request('https://shop.example/webhooks/payex', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: realBytes(`payex/${file}`),
      });
      let result;
      try {
        result = { value: await parsePayexRequest(request) };
      } catch (error) {
        if (!(error instanceof payhook.PayhookError)) throw error;
        result = { error };
      }
      const want = final(entry);
      if (want.ok) assert.deepEqual({ ...result.value }, want.ok, file);
      else assertExpected(result, want, file);
    }
  });
});

describe('Smart Router (ProcessOut) webhooks configured with request method GET', () => {
  for (const [url, entry] of Object.entries(smartRouter.manifest.get_webhooks)) {
    it(url, () => {
      const parse = fn('parseSmartRouterWebhookUrl');
      const result = outcome(() => parse(url));
      assertExpected(result, entry.after_issue_13, url);
      if (result.value && entry.after_issue_13.absent) {
        for (const key of entry.after_issue_13.absent) assert.equal(result.value[key], undefined);
      }
    });
  }

  it('parseSmartRouterRequest authenticates curl\'s header, then reads the POST body or the GET query', async () => {
    const parseSmartRouterRequest = fn('parseSmartRouterRequest');
    const { requests } = smartRouter;
    const post = requests.captured.find((r) => r.method === 'POST');
    const credentials = { username: requests.webhook_username, password: requests.webhook_password };
    const want = { eventId: 'ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C', eventType: 'transaction.failed' };
    const headers = { authorization: post.headers.Authorization, 'content-type': 'application/json' };
    const fromPost = await parseSmartRouterRequest(
      new Request('https://shop.example/webhooks/smart-router', { method: 'POST', headers, body: post.body }), credentials);
    assert.deepEqual({ ...fromPost }, want);
    const [getUrl] = Object.keys(smartRouter.manifest.get_webhooks);
    const fromGet = await parseSmartRouterRequest(new Request(getUrl, { headers }), credentials);
    assert.deepEqual({ ...fromGet }, want);
    await assert.rejects(
      parseSmartRouterRequest(new Request(getUrl, { headers }), { ...credentials, password: `${credentials.password}x` }),
      (err) => err instanceof payhook.PayhookError && err.code === 'UNAUTHORIZED');
  });
});
