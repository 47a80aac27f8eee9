// The documented pattern for PayEx callbacks: a callback URL unique to each
// payment, with the order reference in its path, signed with signCallbackUrl and
// checked with verifyCallbackUrl when the callback arrives. Expected signatures
// are computed here with node:crypto from the documented message.
import { describe, it } from 'node:test';
import assert from './lib/strict.mjs';
import { createHmac } from 'node:crypto';
import { signCallbackUrl, verifyCallbackUrl, parsePayexCallback, PayhookError } from 'payhook';

const SECRET = 'payex-callback-secret';
const EXP = 2_000_000_000;
const sig = (message) => createHmac('sha256', SECRET).update(message).digest('base64url');

function issue(orderRef) {
  return signCallbackUrl(`https://shop.example/webhooks/payex/${encodeURIComponent(orderRef)}`, SECRET, { expiresAt: EXP });
}

function code(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof PayhookError, `expected a PayhookError, got ${e}`);
    return e.code;
  }
  assert.fail('expected an error');
}

describe('per-payment PayEx callback URLs', () => {
  it('signs the order reference in the path, as the documented message says', () => {
    const url = issue('PO-638423890947905216');
    const path = '/webhooks/payex/PO-638423890947905216';
    assert.equal(url, `https://shop.example${path}?exp=${EXP}&sig=${sig(`${path}?exp=${EXP}`)}`);
  });

  it('accepts the URL it issued, until it expires', () => {
    const url = issue('order 7/ä');
    assert.deepEqual(verifyCallbackUrl(url, SECRET, { now: EXP }), {});
    assert.equal(code(() => verifyCallbackUrl(url, SECRET, { now: EXP + 1 })), 'EXPIRED');
  });

  it("refuses another payment's reference put into an issued URL", () => {
    const mine = new URL(issue('PO-1'));
    const forged = `https://shop.example/webhooks/payex/PO-2${mine.search}`;
    assert.equal(code(() => verifyCallbackUrl(forged, SECRET, { now: 0 })), 'SIGNATURE_MISMATCH');
  });

  it('refuses a URL it did not sign, and one signed with another secret', () => {
    assert.equal(code(() => verifyCallbackUrl('https://shop.example/webhooks/payex/PO-1', SECRET)), 'MISSING_SIGNATURE');
    const other = signCallbackUrl('https://shop.example/webhooks/payex/PO-1', 'another-secret');
    assert.equal(code(() => verifyCallbackUrl(other, SECRET)), 'SIGNATURE_MISMATCH');
  });

  it('checks the callback body against the reference in the URL', () => {
    const url = new URL(issue('PO-638423890947905216'));
    verifyCallbackUrl(url.href, SECRET, { now: 0 });
    const body = JSON.stringify({
      orderReference: 'PO-638423890947905216',
      paymentOrder: { id: '/psp/paymentorders/a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba', instrument: 'CreditCard', number: 40129161258 },
    });
    const cb = parsePayexCallback(body);
    assert.equal(decodeURIComponent(url.pathname.split('/').pop()), cb.orderReference);
    assert.equal(cb.paymentOrderNumber, 40129161258);
  });
});
