// Loading and checking the fixtures of tests/fixtures/real/ (see its README.md), shared by
// tests/node/real-fixtures.test.mjs (what payhook does today) and
// the real-fixtures-*.test.mjs files (what issue 13 added).
import assert from './strict.mjs';
import { readFileSync } from 'node:fs';
import * as payhook from 'payhook';
import { PayhookError } from 'payhook';

const ROOT = new URL('../../fixtures/real/', import.meta.url);

/** The text of a file under tests/fixtures/real/, exactly as stored (UTF-8). */
export function realText(path) {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

/** The bytes of a file under tests/fixtures/real/. */
export function realBytes(path) {
  return new Uint8Array(readFileSync(new URL(path, ROOT)));
}

export function realJson(path) {
  return JSON.parse(realText(path));
}

/** Every manifest and generated file, by provider. */
export function loadRealFixtures() {
  const hitpaySignatures = realJson('hitpay/generated-signatures.json');
  const hitpayRequests = realJson('hitpay/generated-requests.json');
  return {
    hitpay: {
      manifest: realJson('hitpay/manifest.json'),
      salt: hitpaySignatures.salt,
      webhooks: new Map(hitpaySignatures.webhooks.map((w) => [w.name, w])),
      events: hitpaySignatures.events,
      requests: new Map(hitpayRequests.map((r) => [r.variant, r])),
    },
    payex: {
      manifest: realJson('payex/manifest.json'),
      sdkReads: realJson('payex/generated-sdk-reads.json').reads,
    },
    smartRouter: {
      manifest: realJson('smart-router/manifest.json'),
      requests: realJson('smart-router/generated-requests.json'),
    },
  };
}

/** Runs `fn`: `{ value }` when it returns, `{ error }` when it throws a PayhookError. */
export function outcome(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    if (!(error instanceof PayhookError)) throw error;
    return { error };
  }
}

/**
 * Checks an outcome against a manifest expectation: `{ ok: subset, absent?: [keys] }` (each
 * key of `subset` deep-equal in the result; each absent key neither in the result nor in
 * its `fields`) or `{ error: { code, field? } }`.
 */
export function assertExpected(result, expected, label) {
  if (expected.error) {
    assert.ok(result.error, `${label}: expected ${expected.error.code}, got ${JSON.stringify(result.value)}`);
    assert.equal(result.error.code, expected.error.code, `${label}: ${result.error.message}`);
    if ('field' in expected.error) assert.equal(result.error.field, expected.error.field, label);
    assert.ok(result.error.message.length > 10, label);
    return;
  }
  assert.ok(!result.error, `${label}: expected a result, got ${result.error?.code}: ${result.error?.message}`);
  const value = result.value;
  for (const [key, want] of Object.entries(expected.ok)) {
    assert.deepEqual(value[key], want, `${label}: ${key}`);
  }
  for (const key of expected.absent ?? []) {
    assert.ok(!Object.hasOwn(value, key), `${label}: ${key} must be absent`);
    if (value.fields) assert.ok(!Object.hasOwn(value.fields, key), `${label}: fields.${key} must be absent`);
  }
}

/**
 * The pairs of a form body, decoded as PHP and Laravel read them, with a list index
 * (`payment_methods[0]`) written as `payment_methods[]`, sorted: two bodies that a form
 * server reads alike give the same list.
 */
export function normalisedPairs(body) {
  return [...new URLSearchParams(body)]
    .map(([key, value]) => [key.replace(/\[\d+\]$/, '[]'), value])
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
}

/** The four forms of a Hitpay-Signature header the fixtures try. */
export function signatureVariants(signature) {
  return {
    exact: signature,
    uppercase: signature.toUpperCase(),
    surrounding_whitespace: `  ${signature} `,
    sha256_prefix: `sha256=${signature}`,
  };
}

/** payhook's function `name`, looked up so that a missing one fails only its own tests. */
export function exported(name) {
  assert.equal(typeof payhook[name], 'function', `payhook.${name} is not exported`);
  return payhook[name];
}
