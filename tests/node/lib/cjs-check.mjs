// Shared by cjs.test.mjs and pack.test.mjs: runs tests/fixtures/cjs/check.cjs (a
// CommonJS user of 'payhook' and 'payhook/hapi') and checks what it saw.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';

export const SALT = 'cjs-test-salt';
export const FIELDS = { payment_id: 'pay_cjs_1', amount: '25.00', currency: 'SGD', status: 'completed', reference_number: 'ORDER 1/ä' };

/** A HitPay form webhook for FIELDS, signed with node:crypto (keys sorted by UTF-8 bytes). */
export function signedBody(fields = FIELDS, salt = SALT) {
  const keys = Object.keys(fields).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const hmac = createHmac('sha256', salt).update(keys.map((k) => k + fields[k]).join('')).digest('hex');
  const params = new URLSearchParams(fields);
  params.append('hmac', hmac);
  return params.toString();
}

/** Runs check.cjs (at `script`) with node `flags`; returns its JSON. */
export function runCheck(script, flags, cwd) {
  const out = execFileSync(process.execPath, [...flags, script, signedBody(), SALT], { cwd, encoding: 'utf8' });
  return JSON.parse(out);
}

/** The assertions shared with pack.test.mjs: what a CommonJS user relies on. */
/** `pkgDir`: the real path of the installed package, where require() must resolve. */
export function assertCjsWorks(r, { requireEsm, pkgDir }) {
  assert.equal(r.requireEsm, requireEsm, 'the process does not have the require(esm) support expected');
  assert.equal(r.resolved.payhook, path.join(pkgDir, 'gen/cjs/node.cjs'));
  assert.equal(r.resolved.hapi, path.join(pkgDir, 'gen/cjs/hapi-node.cjs'));
  assert.ok(r.exports.payhook.includes('verifyHitpayWebhook') && r.exports.payhook.includes('PayhookError'));
  assert.deepEqual(r.exports.hapi, ['PayhookError', 'buildHapiCallbackUrl', 'parseHapiCallback', 'setHapiSuccessCallbackUrl']);
  assert.equal(r.oneClass, true, "require('payhook').PayhookError !== require('payhook/hapi').PayhookError");
  const expected = {
    paymentId: FIELDS.payment_id, referenceNumber: FIELDS.reference_number, amount: FIELDS.amount,
    currency: FIELDS.currency, status: FIELDS.status, fields: FIELDS,
  };
  assert.deepEqual(r.hook, expected);
  assert.deepEqual(r.verifierHook, expected);
  // (As JSON: a field that is undefined is absent.)
  const error = (code, field) => ({ code, ...(field === undefined ? {} : { field }), name: 'PayhookError', cjsClass: true, hapiClass: true });
  assert.deepEqual(r.tampered, error('SIGNATURE_MISMATCH', undefined));
  assert.deepEqual(r.wrongType, error('MALFORMED_BODY', r.wrongType.field));
  assert.deepEqual(r.hapiReserved, error('RESERVED_QUERY_KEY', 'amount'));
  assert.equal(r.hapiUrl, 'https://ats.example/cb?orderId=o-1');
  assert.equal(r.fullUrl, r.hapiUrl);
}
