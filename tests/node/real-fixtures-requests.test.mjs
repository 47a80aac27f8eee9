// The Fetch API request functions (verifyHitpayRequest, verifyHitpayEventRequest,
// parsePayexRequest, parseSmartRouterRequest) on the real-world fixtures of
// tests/fixtures/real/: each gives what the function it is named after gives for the
// same bytes (the `after_issue_13` entries of the manifests, where present), from a
// Node Request. Until the functions landed this file waited in tests/node/pending/;
// the other issue 13 fixtures are asserted by real-fixtures-hitpay13.test.mjs and
// real-fixtures-api13.test.mjs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
// payhook's results have no prototype (issue 14): expected values are made alike.
import { prototypeFree } from './lib/strict.mjs';
import * as payhook from 'payhook';
import {
  loadRealFixtures,
  assertExpected,
  realText,
  realBytes,
  exported,
} from './lib/real-fixtures.mjs';

const { hitpay, payex, smartRouter } = loadRealFixtures();

const fn = exported;

const final = (entry) => entry.after_issue_13 ?? entry.now;

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
      assert.deepEqual(result, prototypeFree({
        eventType: 'completed', eventObject: 'payment_request', payload: JSON.parse(realText(`hitpay/${event.file}`)),
      }));
    });
  }
});

describe('PayEx / Swedbank Pay: paymentorder, /psp/paymentorders/payments/ and numbers as strings', () => {
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
