// node:assert/strict for payhook's results, which are objects with no prototype
// (issue 14: a polluted Object.prototype must not add fields to them). Its deep
// comparisons turn every plain object literal of the *expected* value into a
// prototype-free one first, so `assert.deepEqual(hook.fields, { a: '1' })` passes
// only when the result is prototype-free AND has exactly those fields.
import strict from 'node:assert/strict';

const isLiteral = (v) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** `value` with its plain objects (at any depth, in arrays too) made prototype-free. */
export function prototypeFree(value) {
  if (Array.isArray(value)) return value.map(prototypeFree);
  if (!isLiteral(value)) return value;
  const out = Object.create(null);
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { value: prototypeFree(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const assert = (...args) => strict(...args);
Object.assign(assert, strict);
for (const name of ['deepEqual', 'deepStrictEqual', 'notDeepEqual', 'notDeepStrictEqual']) {
  assert[name] = (actual, expected, message) => strict[name](actual, prototypeFree(expected), message);
}
export default assert;
