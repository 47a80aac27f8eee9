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

/** One finding of {@link diagnoseHitpayWebhook}. */
export interface HitpayDiagnosisHint {
  code:
    | 'HMAC_FIELD_INCLUDED'
    | 'VALUES_NOT_URL_DECODED'
    | 'KEYS_LOCALE_SORTED'
    | 'KEYS_UTF16_SORTED'
    | 'KEYS_NOT_SORTED'
    | 'RAW_BODY_SIGNED'
    | 'SALT_WHITESPACE'
    | 'SHA1_INSTEAD_OF_SHA256'
    | 'SHA512_INSTEAD_OF_SHA256'
    | 'JSON_BODY'
    | 'SALT_OR_BODY_CHANGED';
  message: string;
  /** True when recomputing the HMAC that way matched the received `hmac`. */
  confirmed: boolean;
}

export interface HitpayDiagnosis {
  /** The body verifies as it is. */
  valid: boolean;
  /** What `verifyHitpayWebhook` throws for this body, or null. */
  error: { code: PayhookErrorCode; message: string; field?: string } | null;
  /** The exact message HitPay signs, or null when the body cannot be decoded. */
  canonical: string | null;
  /** Decoded fields except `hmac`, or null when the body cannot be decoded. */
  fields: Record<string, string> | null;
  hints: HitpayDiagnosisHint[];
}

/**
 * Explains why a HitPay form webhook does not verify. Throws only for arguments
 * of the wrong type; never returns the salt or the expected signature.
 */
export declare function diagnoseHitpayWebhook(body: Body, salt: string): HitpayDiagnosis;

// ------------------------------------------------------------------ HAPI Elements

/** Custom query parameters, appended in order. */
export type QueryParams = Record<string, string>;

/**
 * The value for `window.hapi.wallet.state.paymentIntentSuccessCallbackUrl`: the
 * WHATWG serialisation of `base` with `params` appended. Refuses the keys HAPI
 * appends (`draftCampaignId`, `amount`, `walletId`) in any disguise.
 */
export declare function buildHapiCallbackUrl(base: string, params?: QueryParams): string;

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

/** Parses the URL of an incoming HAPI callback (absolute, or a path starting with `/`). */
export declare function parseHapiCallback(url: string): HapiCallback;

/**
 * Builds the callback URL and sets it on `window.hapi.wallet.state` now, or when
 * HAPI fires `hapi:load:script`. Resolves to the URL set; rejects with a
 * {@link PayhookError} for an invalid URL. It cannot be cancelled: if HAPI never
 * loads, the promise stays pending; earlier pending calls apply first, so the
 * last call wins.
 */
export declare function setHapiSuccessCallbackUrl(base: string, params?: QueryParams): Promise<string>;

// ------------------------------------------------------------------ Signed callback URLs

export interface SignCallbackUrlOptions {
  /** Unix seconds after which the URL is refused (`EXPIRED`). */
  expiresAt?: number;
  /** Keys left out of the signature (the ones the provider appends). */
  ignoreKeys?: string[];
}

export interface VerifyCallbackUrlOptions {
  /** Keys the provider appends: left out of the message wherever they appear. */
  ignoreKeys?: string[];
  /** Unix seconds; defaults to the clock. */
  now?: number;
}

/** Appends `exp` (with `expiresAt`) and `sig` (43 base64url characters) to a callback URL. */
export declare function signCallbackUrl(url: string, secret: string, options?: SignCallbackUrlOptions): string;

/** Checks a URL made by {@link signCallbackUrl}; returns the signed parameters without `sig` and `exp`. */
export declare function verifyCallbackUrl(
  url: string,
  secret: string,
  options?: VerifyCallbackUrlOptions,
): Record<string, string>;

// ------------------------------------------------------------------ Smart Router (ProcessOut)

export interface SmartRouterWebhook {
  eventId: string;
  eventType?: string;
}

/** Parses a Smart Router webhook body (`event_id`, optional `event_type`). Body limit: 64 KiB. */
export declare function parseSmartRouterWebhook(body: Body): SmartRouterWebhook;

/**
 * Checks an `Authorization` header value against the configured credentials in
 * constant time. Missing or malformed headers are `false`; an empty configured
 * username or password throws `INVALID_SECRET`.
 */
export declare function checkBasicAuth(
  authorization: string | null | undefined,
  username: string,
  password: string,
): boolean;

/** `https://user:pass@host/…` with both parts percent-encoded. */
export declare function buildBasicAuthWebhookUrl(url: string, username: string, password: string): string;

/** A ready GET request: pass it to `fetch(url, { method, headers })`. */
export interface GetRequest {
  method: 'GET';
  url: string;
  headers: Record<string, string>;
}

export interface SmartRouterApiOptions {
  projectId: string;
  privateKey: string;
  /** Defaults to `https://api.processout.com`; `http:` only for loopback hosts. */
  apiBase?: string;
}

/** The `GET /events/{id}` request that fetches the event a webhook names. */
export declare function buildSmartRouterEventRequest(eventId: string, options: SmartRouterApiOptions): GetRequest;

// ------------------------------------------------------------------ PayEx / Swedbank Pay

/** A validated PayEx callback. `…Url` fields are relative API paths, safe to GET with your token. */
export interface PayexCallback {
  paymentOrderId?: string;
  paymentId?: string;
  transactionId?: string;
  instrument?: string;
  paymentNumber?: number;
  transactionNumber?: number;
  paymentOrderNumber?: number;
  orderReference?: string;
  paymentUrl?: string;
  transactionUrl?: string;
  paymentOrderUrl?: string;
}

/** Parses a PayEx / Swedbank Pay callback body (flat, nested or payment order form). Body limit: 64 KiB. */
export declare function parsePayexCallback(body: Body): PayexCallback;

export interface PayexApiOptions {
  /** The merchant's API token, sent as a bearer token. */
  token: string;
  /** Defaults to `https://api.payex.com` (test: `https://api.externalintegration.payex.com`). */
  apiBase?: string;
}

/** The GET request for a resource path from a callback (`paymentUrl`, `transactionUrl`, `paymentOrderUrl`). */
export declare function buildPayexRequest(path: string, options: PayexApiOptions): GetRequest;
