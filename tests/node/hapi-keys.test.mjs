// HAPI's reserved keys as a PHP server reads them (issue 14, item 1). The expectations
// are PHP's own: tests/fixtures/real/hapi/generated-php-reads.json records, for each
// candidate key, the names that PHP's $_GET held for `?<key>=1` on PHP's built-in
// server (generate.php). Every key that PHP reads as draftCampaignId, amount or
// walletId must be refused by buildHapiCallbackUrl, in `params` and in the base URL,
// and by parseHapiCallback; a key with a control character is INVALID_FIELD. Both
// entries are checked: `payhook` and `payhook/hapi` (the small wasm).
import { describe, it } from 'node:test';
import assert from './lib/strict.mjs';
import { readFileSync } from 'node:fs';
import * as full from 'payhook';
import * as small from 'payhook/hapi';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/real/hapi/generated-php-reads.json', import.meta.url), 'utf8'));
const RESERVED = ['draftCampaignId', 'amount', 'walletId'];
const BASE = 'https://ats.example/webhooks/hapi';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const codeOf = (fn) => {
  try {
    fn();
    return 'accepted';
  } catch (e) {
    assert.ok(e instanceof full.PayhookError, `${e}`);
    return e.code;
  }
};
// payhook compares without case; PHP's names are case-sensitive.
const readsReserved = (c) => c.reads.some((r) => RESERVED.some((k) => k.toLowerCase() === r.toLowerCase()));

describe('query keys that PHP reads as a reserved HAPI key', () => {
  it('the fixture is PHP\'s and covers the disguises of the issue', () => {
    assert.match(fixture.php, /^\d+\.\d+/);
    const keys = new Set(fixture.cases.filter((c) => c.reserved !== null).map((c) => c.key));
    for (const k of [' amount', '  walletId', ' draftCampaignId', 'amount\0', 'draftCampaignId\0[]', ' amount[]']) {
      assert.ok(keys.has(k), JSON.stringify(k));
    }
    assert.ok(keys.size >= 81, `${keys.size}`);
  });

  for (const [name, api] of [['payhook', full], ['payhook/hapi', small]]) {
    it(`${name}: every one is refused in params, in the base URL and in a received callback`, () => {
      let refused = 0;
      for (const c of fixture.cases) {
        const control = CONTROL.test(c.key);
        const built = codeOf(() => api.buildHapiCallbackUrl(BASE, { [c.key]: '1' }));
        const inBase = codeOf(() => api.buildHapiCallbackUrl(`${BASE}?${c.query}`));
        if (control) {
          assert.equal(built, 'INVALID_FIELD', JSON.stringify(c.key));
          assert.equal(inBase, 'INVALID_FIELD', JSON.stringify(c.key));
        }
        if (!readsReserved(c)) continue;
        refused += 1;
        const want = control ? 'INVALID_FIELD' : 'RESERVED_QUERY_KEY';
        assert.equal(built, want, `${JSON.stringify(c.key)} (PHP reads ${JSON.stringify(c.reads)})`);
        assert.equal(inBase, want, `${c.query} (PHP reads ${JSON.stringify(c.reads)})`);
        if (!RESERVED.some((k) => k.toLowerCase() === c.key.toLowerCase())) {
          const parsed = codeOf(() => api.parseHapiCallback(`/cb?${c.query}&amount=1&walletId=w`));
          assert.ok(['RESERVED_QUERY_KEY', 'INVALID_FIELD', 'DUPLICATE_FIELD'].includes(parsed), `${c.query}: ${parsed}`);
        }
      }
      assert.ok(refused >= 81);
    });
  }

  it('the attack of the issue: a top-up URL with " draftCampaignId" is never built, signed or parsed as a top-up', () => {
    const e = codeOf(() => full.buildHapiCallbackUrl(BASE, { ' draftCampaignId': 'VICTIM' }));
    assert.equal(e, 'RESERVED_QUERY_KEY');
    // Written by hand (not by payhook), signed, then called by HAPI for a top-up.
    const url = full.signCallbackUrl(`${BASE}?%20draftCampaignId=VICTIM`, 'cb-secret', {});
    const called = `${url}&amount=1500.00&walletId=w1`;
    const path = called.slice(called.indexOf('/webhooks'));
    // The signature holds (the key is signed), but the callback is refused, not a top-up.
    assert.ok(full.verifyCallbackUrl(path, 'cb-secret', { ignoreKeys: RESERVED }));
    assert.equal(codeOf(() => full.parseHapiCallback(path)), 'RESERVED_QUERY_KEY');
    // PHP reads that key as draftCampaignId (the fixture says so).
    const php = fixture.cases.find((c) => c.key === ' draftCampaignId');
    assert.deepEqual(php.reads, ['draftCampaignId']);
  });

  it('the error names the key, and its message has no control character', () => {
    try {
      full.buildHapiCallbackUrl(BASE, { 'amount\0x': '1' });
      assert.fail('accepted');
    } catch (e) {
      assert.equal(e.code, 'INVALID_FIELD');
      assert.equal(e.field, 'amount\0x');
      assert.doesNotMatch(e.message, CONTROL);
    }
    try {
      full.buildHapiCallbackUrl(`${BASE}?x=1;amount=2`);
      assert.fail('accepted');
    } catch (e) {
      assert.equal(e.code, 'RESERVED_QUERY_KEY');
      assert.equal(e.field, 'amount');
    }
  });

  it('keys that PHP, Rails and Node read as other names stay allowed', () => {
    for (const key of ['amounts', 'x[amount]', 'x.amount', 'order id', 'amount_', 'job[]']) {
      assert.equal(typeof full.buildHapiCallbackUrl(BASE, { [key]: '1' }), 'string', key);
      const c = fixture.cases.find((x) => x.key === key);
      if (c) assert.equal(c.reserved, null);
    }
  });
});
