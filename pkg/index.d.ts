/**
 * payhook: verify payment webhooks and build callback URLs for HitPay, HAPI
 * Elements, Smart Router (ProcessOut) and PayEx / Swedbank Pay.
 *
 * Every function is synchronous unless noted. Every failure throws a
 * {@link PayhookError}.
 */

/** The stable error codes. */
export type PayhookErrorCode =
  | 'MALFORMED_BODY'
  | 'PAYLOAD_TOO_LARGE'
  | 'MISSING_FIELD'
  | 'DUPLICATE_FIELD'
  | 'INVALID_FIELD'
  | 'MISSING_SIGNATURE'
  | 'MALFORMED_SIGNATURE'
  | 'SIGNATURE_MISMATCH'
  | 'EXPIRED'
  | 'INVALID_SECRET'
  | 'INVALID_URL'
  | 'INSECURE_URL'
  | 'RESERVED_QUERY_KEY'
  | 'INVALID_AMOUNT'
  | 'INVALID_CURRENCY';

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

/** A verified HitPay form webhook. Values are strings exactly as decoded. */
export interface HitpayWebhook {
  paymentId?: string;
  paymentRequestId?: string;
  referenceNumber?: string;
  phone?: string;
  amount?: string;
  currency?: string;
  status?: string;
  /** Every decoded field except `hmac`. */
  fields: Record<string, string>;
}

/**
 * Verifies a form-encoded HitPay webhook (`hmac` field, HMAC-SHA256 of the
 * sorted `key + value` pairs keyed with the salt). Body limit: 64 KiB.
 */
export declare function verifyHitpayWebhook(body: Body, salt: string): HitpayWebhook;

/**
 * A webhook verifier keyed once with the salt, for hot paths:
 * `verifier.verify(body)` returns what `verifyHitpayWebhook(body, salt)` returns.
 */
export declare class HitpayVerifier {
  constructor(salt: string);
  verify(body: Body): HitpayWebhook;
}

/** Lowercase hex `hmac` of string fields by the webhook rule (`hmac` left out). For tests and simulators. */
export declare function signHitpayWebhook(fields: Record<string, string>, salt: string): string;

/** A JSON value as returned by `JSON.parse`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Verifies a HitPay event webhook: HMAC-SHA256 of the raw body bytes, 64 hex
 * digits in the `Hitpay-Signature` header. Returns the parsed JSON object.
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

/** A ready HTTP request: pass it to `fetch(url, { method, headers, body })`. */
export interface HttpRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Validates the parameters and builds the payment-request API call. */
export declare function buildHitpayPaymentRequest(
  params: HitpayPaymentRequestParams,
  options: HitpayRequestOptions,
): HttpRequest;

/** The query HitPay appends to `redirect_url`. */
export interface HitpayRedirect {
  reference: string;
  status: string;
}

/** Reads `reference` and `status` from the URL HitPay redirected to (absolute, or a path). */
export declare function parseHitpayRedirect(url: string): HitpayRedirect;
