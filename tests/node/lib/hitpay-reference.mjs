// HitPay's webhook as a careful user handles it without payhook, written from the
// contract (/work/shared/api.md), never from payhook's code: the form parser, the
// result's shape, the hex decoding. Shared by the tests and the benchmarks
// (bench/hitpay.mjs, and bench/workerd/index.js inside workerd), so it uses no Node
// API.

/** A well-formed `hmac`: 64 hex digits, either case. */
export const HEX64 = /^[0-9a-fA-F]{64}$/;

/** The contract's mirrors: field name -> camelCase property of the result. */
export const MIRRORS = [
  ['payment_id', 'paymentId'],
  ['payment_request_id', 'paymentRequestId'],
  ['reference_number', 'referenceNumber'],
  ['phone', 'phone'],
  ['amount', 'amount'],
  ['currency', 'currency'],
  ['status', 'status'],
];

/**
 * A form body split into `{ fields, sig }`: URLSearchParams decoding (`+`, %XX);
 * duplicate keys refused (payhook refuses them too: which copy was signed would be
 * ambiguous), and so is `__proto__`; `hmac` required and well-formed. Unlike
 * payhook, URLSearchParams turns invalid UTF-8 into U+FFFD instead of refusing it.
 */
export function parseHitpayForm(body) {
  const fields = {};
  let sig;
  for (const [k, v] of new URLSearchParams(body)) {
    if (k === 'hmac') {
      if (sig !== undefined) throw new Error('duplicate hmac');
      sig = v;
    } else {
      if (k === '__proto__' || Object.hasOwn(fields, k)) throw new Error(`duplicate or reserved field ${k}`);
      fields[k] = v;
    }
  }
  if (sig === undefined) throw new Error('missing hmac');
  // Checked here: Buffer.from(…, 'hex') would silently stop at a bad digit.
  if (!HEX64.test(sig)) throw new Error('malformed hmac');
  return { fields, sig };
}

/** What verifyHitpayWebhook returns for these fields: the camelCase mirrors, then `fields`. */
export function expectedWebhook(fields) {
  const out = {};
  for (const [wire, prop] of MIRRORS) if (Object.hasOwn(fields, wire)) out[prop] = fields[wire];
  out.fields = fields;
  return out;
}
