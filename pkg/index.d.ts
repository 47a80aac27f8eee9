/**
 * payhook: verify payment webhooks and build callback URLs for HitPay, HAPI
 * Elements, Smart Router (ProcessOut) and PayEx / Swedbank Pay.
 *
 * Every function is synchronous unless noted. Every failure throws a
 * {@link PayhookError}.
 */

export type { PayhookErrorCode } from './gen/constants.js';
export { ERROR_CODES, LIMITS } from './gen/constants.js';
import type { PayhookErrorCode } from './gen/constants.js';
import type {
  GetRequest, HitpayDiagnosis, HitpayRedirect, HitpayWebhook, HttpRequest,
  BuildSmartRouterEventRequestOptions, BuildPayexRequestOptions,
} from './gen/api.js';

// Generated from the bindings crate's schema (bindings/src/exports.rs): the
// result types and the functions whose JavaScript is generated too.
export type {
  GetRequest, HitpayDiagnosis, HitpayDiagnosisError, HitpayDiagnosisHint, HitpayRedirect, HitpayWebhook,
  HttpRequest, PayexCallback, SmartRouterWebhook, SignCallbackUrlOptions, VerifyCallbackUrlOptions,
  BuildSmartRouterEventRequestOptions, BuildPayexRequestOptions,
} from './gen/api.js';
export {
  parseHitpayRedirect, buildHapiCallbackUrl, parseHapiCallback, signCallbackUrl, verifyCallbackUrl,
  parseSmartRouterWebhook, checkBasicAuth, buildBasicAuthWebhookUrl, buildSmartRouterEventRequest,
  parsePayexCallback, buildPayexRequest,
} from './gen/api.js';

/** The options of {@link buildSmartRouterEventRequest}. */
export type SmartRouterApiOptions = BuildSmartRouterEventRequestOptions;
/** The options of {@link buildPayexRequest}. */
export type PayexApiOptions = BuildPayexRequestOptions;

/** Thrown by every function of this package. */
export declare class PayhookError extends Error {
  constructor(code: PayhookErrorCode, message: string, field?: string);
  readonly name: 'PayhookError';
  /** One of the stable codes: switch on this, not on the message. */
  readonly code: PayhookErrorCode;
  /** The key or field the error is about, when there is one. */
  readonly field?: string;
}

/**
 * A request body exactly as received: a string, or its bytes
 * (`Uint8Array`, or an `ArrayBuffer` such as `await request.arrayBuffer()`).
 */
export type Body = string | Uint8Array | ArrayBuffer;

// ------------------------------------------------------------------ HitPay

/** Options of {@link verifyHitpayWebhook} and {@link HitpayVerifier}. */
export interface HitpayVerifyOptions {
  /**
   * Also require the fields of a HitPay payment webhook, well formed:
   * `payment_id`, `payment_request_id` (UUIDs), `amount` (a decimal), `currency`
   * (3 letters) and `status` (`completed`, `failed`, `pending`, `canceled`)
   * present; `phone` without letters; no field but those, `reference_number`
   * and `hmac`. Else `INVALID_FIELD` with `field`. The signed message has no
   * separators, so one genuine body can be re-split into another with the same
   * `hmac`; strict mode refuses those (see the README). Default `false`.
   */
  strict?: boolean;
}

/**
 * Verifies a form-encoded HitPay webhook (`hmac` field, HMAC-SHA256 of the
 * sorted `key + value` pairs keyed with the salt). Body limit: 64 KiB.
 * A field HitPay signed as null (`reference_number`, `phone`) but left out of
 * the body is accepted and stays absent from the result.
 */
export declare function verifyHitpayWebhook(body: Body, salt: string, options?: HitpayVerifyOptions): HitpayWebhook;

/**
 * A webhook verifier keyed once with the salt, for hot paths:
 * `verifier.verify(body)` returns what `verifyHitpayWebhook(body, salt, options)` returns.
 */
export declare class HitpayVerifier {
  constructor(salt: string, options?: HitpayVerifyOptions);
  verify(body: Body): HitpayWebhook;
}

/** Lowercase hex `hmac` of string fields by the webhook rule (`hmac` left out). For tests and simulators. */
export declare function signHitpayWebhook(fields: Record<string, string>, salt: string): string;

/** A JSON value as returned by `JSON.parse`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Verifies a HitPay event webhook: HMAC-SHA256 of the raw body bytes, 64 hex
 * digits in the `Hitpay-Signature` header (white space around it and a
 * `sha256=` prefix are accepted). Returns the parsed JSON object.
 * Body limit: 1 MiB.
 */
export declare function verifyHitpayEvent(
  body: Body,
  signature: string,
  salt: string,
): { [key: string]: JsonValue };

/** Parameters of `POST /v1/payment-requests`. */
export interface HitpayPaymentRequestParams {
  /** Decimal string such as `"2500.00"`, 0.30 to 999999999.99, at most 2 decimals. */
  amount: string;
  /** 3-letter ISO 4217 code, sent as given. */
  currency: string;
  paymentMethods?: string[];
  email?: string;
  name?: string;
  phone?: string;
  purpose?: string;
  referenceNumber?: string;
  /** Absolute https: URL, at most 1028 characters. */
  redirectUrl?: string;
  /** Absolute https: URL, at most 1028 characters. */
  webhook?: string;
  allowRepeatedPayments?: boolean;
  /** `YYYY-MM-DD HH:MM:SS`. */
  expiryDate?: string;
  generateQr?: boolean;
}

export interface HitpayRequestOptions {
  apiKey: string;
  /** Use the sandbox API host. */
  sandbox?: boolean;
}

/** Validates the parameters and builds the payment-request API call. */
export declare function buildHitpayPaymentRequest(
  params: HitpayPaymentRequestParams,
  options: HitpayRequestOptions,
): HttpRequest;

/**
 * Explains why a HitPay form webhook does not verify. Throws only for arguments
 * of the wrong type; never returns the salt or the expected signature.
 */
export declare function diagnoseHitpayWebhook(body: Body, salt: string): HitpayDiagnosis;

// ------------------------------------------------------------------ HAPI Elements

/** Custom query parameters, appended in order. */
export type QueryParams = Record<string, string>;

/** A parsed HAPI callback. */
export type HapiCallback =
  | {
      kind: 'directChargeCampaignOrder';
      /** Digits with an optional decimal part, as sent. */
      amount: string;
      walletId: string;
      draftCampaignId: string;
      params: Record<string, string>;
    }
  | {
      kind: 'walletTopUp';
      amount: string;
      walletId: string;
      draftCampaignId?: undefined;
      params: Record<string, string>;
    };

/**
 * Builds the callback URL and sets it on `window.hapi.wallet.state` now, or when
 * HAPI fires `hapi:load:script`. Resolves to the URL set; rejects with a
 * {@link PayhookError} for an invalid URL. It cannot be cancelled: if HAPI never
 * loads, the promise stays pending; earlier pending calls apply first, so the
 * last call wins.
 */
export declare function setHapiSuccessCallbackUrl(base: string, params?: QueryParams): Promise<string>;
