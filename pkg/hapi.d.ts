/**
 * `payhook/hapi`: only the HAPI Elements callback URL functions, over a wasm
 * about a quarter the size of the full one. The same declarations as `payhook`;
 * {@link PayhookError} is the same class as `payhook`'s.
 */
export type { HapiCallback, PayhookErrorCode, QueryParams } from './index.js';
export { PayhookError, buildHapiCallbackUrl, parseHapiCallback, setHapiSuccessCallbackUrl } from './index.js';
