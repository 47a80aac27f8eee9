// A polluted Object.prototype in the application changes nothing (issue 14,
// ../shared/api.md "Consistency fixes"): options and params are read through own
// properties, and every returned object is prototype-free, so a field that was not
// received reads undefined. Expected signatures come from node:crypto.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as payhook from 'payhook';
import * as hapi from 'payhook/hapi';

const POLLUTION = {
  apiBase: 'https://evil.example',
  sandbox: true,
  now: 0,
  ignoreKeys: ['role'],
  expiresAt: 1,
  // Field names of results and params: inherited, they would pass for received.
  status: 'completed',
  referenceNumber: 'INHERITED',
  draftCampaignId: 'VICTIM',
  transactionUrl: 'https://evil.example/tx',
  eventType: 'inherited.event',
  orderId: 'o-inherited',
  hmac: 'inherited',
  body: 'inherited body',
  data: { inherited: true },
};
for (const [k, v] of Object.entries(POLLUTION)) Object.defineProperty(Object.prototype, k, { value: v, configurable: true, writable: true });
after(() => {
  for (const k of Object.keys(POLLUTION)) delete Object.prototype[k];
});

const GUID = '5adc265f-f87f-4313-577e-08d3dca1a26c';

describe('options with a polluted Object.prototype', () => {
  it('apiBase: the PayEx token and the Smart Router key go to the provider, not to the inherited host', () => {
    assert.equal(payhook.buildPayexRequest(`/psp/creditcard/payments/${GUID}`, { token: 't' }).url, `https://api.payex.com/psp/creditcard/payments/${GUID}`);
    assert.equal(new URL(payhook.buildSmartRouterEventRequest('ev_1', { projectId: 'p', privateKey: 'k' }).url).host, 'api.processout.com');
  });

  it('sandbox: a live HitPay key stays on the live host', () => {
    assert.equal(new URL(payhook.buildHitpayPaymentRequest({ amount: '1.00', currency: 'SGD' }, { apiKey: 'k' }).url).host, 'api.hit-pay.com');
  });

  it('now and expiresAt: an expired URL is refused; a URL signed without expiry has none', () => {
    const url = payhook.signCallbackUrl('https://ats.example/cb?o=1', 's', { expiresAt: 10 });
    assert.throws(() => payhook.verifyCallbackUrl(url, 's'), { code: 'EXPIRED' });
    assert.throws(() => payhook.verifyCallbackUrl(url, 's', {}), { code: 'EXPIRED' });
    assert.equal(new URL(payhook.signCallbackUrl('https://ats.example/cb?o=1', 's')).searchParams.has('exp'), false);
  });

  it('ignoreKeys: an appended key is not let through by an inherited list', () => {
    const url = payhook.signCallbackUrl('https://ats.example/cb?o=1', 's');
    assert.throws(() => payhook.verifyCallbackUrl(`${url}&role=admin`, 's'), { code: 'SIGNATURE_MISMATCH' });
  });
});

const SALT = 'pollution-salt';
const hex = (key, message) => createHmac('sha256', key).update(message).digest('hex');
const webhook = (fields) => {
  const canonical = Object.keys(fields).sort().map((k) => k + fields[k]).join('');
  return `${new URLSearchParams(fields)}&hmac=${hex(SALT, canonical)}`;
};
// Every object in a result, at any depth, has no prototype (arrays keep theirs).
function assertPrototypeFree(value, path = 'result') {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertPrototypeFree(v, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    assert.equal(Object.getPrototypeOf(value), null, `${path} has a prototype`);
    for (const [k, v] of Object.entries(value)) assertPrototypeFree(v, `${path}.${k}`);
  }
}

describe('results with a polluted Object.prototype report only what was received', () => {
  const BODY = webhook({ payment_id: 'p1', amount: '1.00' });

  it('verifyHitpayWebhook and HitpayVerifier: hook.status, hook.referenceNumber, hook.fields.orderId', () => {
    for (const hook of [payhook.verifyHitpayWebhook(BODY, SALT), new payhook.HitpayVerifier(SALT).verify(BODY)]) {
      assert.equal(hook.paymentId, 'p1');
      assert.equal(hook.status, undefined);
      assert.equal(hook.referenceNumber, undefined);
      assert.equal(hook.fields.orderId, undefined);
      assert.equal(hook.fields.hmac, undefined);
      assert.equal('status' in hook, false);
      assertPrototypeFree(hook);
    }
  });

  it('parseHapiCallback: a top-up has no draftCampaignId, and params.orderId is what was sent', () => {
    for (const api of [payhook, hapi]) {
      const cb = api.parseHapiCallback('/cb?job=1&amount=5.00&walletId=w');
      assert.equal(cb.kind, 'walletTopUp');
      assert.equal(cb.draftCampaignId, undefined);
      assert.equal(cb.params.orderId, undefined);
      assert.equal(cb.params.job, '1');
      assertPrototypeFree(cb);
    }
    const signed = payhook.verifyCallbackUrl(payhook.signCallbackUrl('https://ats.example/cb?job=1', 's'), 's');
    assert.equal(signed.orderId, undefined);
    assertPrototypeFree(signed);
  });

  it('parsePayexCallback: no transactionUrl when none was sent', () => {
    const body = JSON.stringify({ payment: `/psp/creditcard/payments/${GUID}`, paymentNumber: 1 });
    const cb = payhook.parsePayexCallback(body);
    assert.equal(cb.paymentUrl, `/psp/creditcard/payments/${GUID}`);
    assert.equal(cb.transactionUrl, undefined);
    assertPrototypeFree(cb);
  });

  it('verifyHitpayEvent: the parsed payload, at every depth', () => {
    const body = '{"id":"e1","payment":{"amount":"1.00"},"list":[{"a":1}]}';
    const event = payhook.verifyHitpayEvent(body, hex(SALT, body), SALT);
    assert.equal(event.status, undefined);
    assert.equal(event.data, undefined);
    assert.equal(event.payment.status, undefined);
    assert.equal(event.list[0].status, undefined);
    assertPrototypeFree(event);
  });

  it('parseSmartRouterWebhook, requests, diagnosis and the HitPay redirect', () => {
    const sr = payhook.parseSmartRouterWebhook('{"event_id":"ev_1"}');
    assert.equal(sr.eventType, undefined);
    assertPrototypeFree(sr);
    const get = payhook.buildPayexRequest(`/psp/creditcard/payments/${GUID}`, { token: 't' });
    assert.equal(get.body, undefined);
    assert.equal(get.headers.orderId, undefined);
    assertPrototypeFree(get);
    const post = payhook.buildHitpayPaymentRequest({ amount: '1.00', currency: 'SGD' }, { apiKey: 'k' });
    assert.equal(new URLSearchParams(post.body).has('reference_number'), false);
    assertPrototypeFree(post);
    const d = payhook.diagnoseHitpayWebhook(BODY.replace('1.00', '2.00'), SALT);
    assert.equal(d.fields.orderId, undefined);
    assert.equal(d.error.status, undefined);
    assertPrototypeFree(d);
    assertPrototypeFree(payhook.diagnoseHitpayWebhook('x'.repeat(70_000), SALT));
    const r = payhook.parseHitpayRedirect('https://shop.example/done?reference=r1&status=completed');
    assertPrototypeFree(r);
  });

  it('the Fetch API functions: verifyHitpayEventRequest and parseHapiRequest', async () => {
    const body = '{"id":"e1"}';
    const request = new Request('https://shop.example/hook', { method: 'POST', body, headers: { 'hitpay-signature': hex(SALT, body) } });
    const event = await payhook.verifyHitpayEventRequest(request, SALT);
    assert.equal(event.payload.status, undefined);
    assertPrototypeFree(event);
    const url = `${payhook.signCallbackUrl('https://ats.example/cb?job=1', 's')}&amount=5.00&walletId=w`;
    const cb = await payhook.parseHapiRequest(new Request(url, { method: 'POST' }), 's');
    assert.equal(cb.draftCampaignId, undefined);
    assert.equal(cb.signed.orderId, undefined);
    assertPrototypeFree(cb);
  });

  it('an enumerable pollution is not listed by for...in over a result', () => {
    Object.prototype.injected = 'x'; // eslint-disable-line no-extend-native
    try {
      const hook = payhook.verifyHitpayWebhook(BODY, SALT);
      const seen = [];
      for (const k in hook.fields) seen.push(k); // eslint-disable-line guard-for-in
      assert.deepEqual(seen, ['payment_id', 'amount']);
    } finally {
      delete Object.prototype.injected;
    }
  });
});

describe('params objects with a polluted Object.prototype', () => {
  it('only own fields are sent or signed', () => {
    assert.equal(payhook.buildHapiCallbackUrl('https://ats.example/cb', { job: '1' }), 'https://ats.example/cb?job=1');
    assert.equal(payhook.signHitpayWebhook({ a: '1' }, SALT), hex(SALT, 'a1'));
    const hook = payhook.verifyHitpayWebhook(webhook({ a: '1' }), SALT);
    assert.deepEqual(Object.keys(hook.fields), ['a']);
  });
});
