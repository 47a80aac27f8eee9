// A polluted Object.prototype in the application changes no option (issue 14,
// ../shared/api.md "Consistency fixes"): options are read through own properties.
// Results reporting inherited fields is not covered yet.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as payhook from 'payhook';

const POLLUTION = {
  apiBase: 'https://evil.example',
  sandbox: true,
  now: 0,
  ignoreKeys: ['role'],
  expiresAt: 1,
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
