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
  BuildSmartRouterEventRequestOptions, BuildPayexRequestOptions, PayexCallback, SmartRouterWebhook,
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
  parsePayexCallback, buildPayexRequest, parseHitpayPaymentRequestResponse, parseSmartRouterWebhookUrl,
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

declare global {
  // `Symbol.dispose` for projects whose `lib` predates it (ES2022); the same
  // declaration as TypeScript's own lib.esnext.disposable and @types/node.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/**
 * A webhook verifier keyed once with the salt, for hot paths:
 * `verifier.verify(body)` returns what `verifyHitpayWebhook(body, salt, options)` returns.
 */
export declare class HitpayVerifier {
  constructor(salt: string, options?: HitpayVerifyOptions);
  /** Verifies a body; after `free()` it throws a `PayhookError` (`INVALID_FIELD`, `field: 'verifier'`). */
  verify(body: Body): HitpayWebhook;
  /** Releases the keyed salt's wasm memory now. Calling it again does nothing. */
  free(): void;
  /** `using verifier = new HitpayVerifier(salt)`: `free()` at the end of the block. */
  [Symbol.dispose](): void;
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
  /** `YYYY-MM-DD HH:MM:SS`. Not with `expiresAfter`. */
  expiryDate?: string;
  generateQr?: boolean;
  /**
   * A whole number from 1 to 999999, one space and `min`, `mins`, `minute`,
   * `minutes`, `hour`, `hours`, `day` or `days`: `"5 minutes"`, `"6 mins"`. Not with
   * `expiryDate`.
   */
  expiresAfter?: string;
  /** Include the admin fee in the total. */
  addAdminFee?: boolean;
  /** E-mail the buyer a receipt once paid. */
  sendEmail?: boolean;
  /** Text the buyer once paid. */
  sendSms?: boolean;
  /** The terminal to charge on: 1 to 255 of `A-Z a-z 0-9 _ -`; required with `wifi_card_reader`. */
  wifiTerminalId?: string;
  /** An active staff member's id, a UUID. */
  staffId?: string;
  /** An active location's id, a UUID (sent as `location_id`). */
  locationId?: string;
  /** Where the request comes from, 1 to 64 of `a-z 0-9 _` (HitPay's WooCommerce plugin sends `api_woocomm`). */
  channel?: string;
  /** The buyer's address (`address[line1]`, … on the wire). */
  address?: HitpayAddress;
}

/** The address of {@link HitpayPaymentRequestParams}: each part at most 255 characters. */
export interface HitpayAddress {
  /** Required, not empty. */
  line1: string;
  line2?: string;
  city?: string;
  state?: string;
  /** Sent as `address[postal_code]`. */
  postalCode?: string;
  /** Two letters (ISO 3166-1 alpha-2, such as `SG`), sent as given. */
  country?: string;
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
 * The `GET /v1/payment-requests/{id}` request that fetches a payment request's
 * current state; read its answer with {@link parseHitpayPaymentRequestResponse}.
 * `id` must be a UUID (`INVALID_FIELD`).
 */
export declare function buildHitpayPaymentRequestStatusRequest(
  id: string,
  options: HitpayRequestOptions,
): GetRequest;

/** What {@link parseHitpayPaymentRequestResponse} returns in every answer. */
export interface HitpayPaymentRequestFields {
  /** The payment request's id (a UUID): the `paymentRequestId` of its webhooks. */
  id: string;
  /** Such as `pending`, `completed`, `failed`, `expired`, `canceled` (1 to 32 of `a-z _`). */
  status: string;
  /** A decimal string, as sent (`"10.00"`), never a number. */
  amount: string;
  /** Three letters, as sent (HitPay answers in lower case: `sgd`). */
  currency: string;
  /** `reference_number`, when not null. */
  referenceNumber?: string;
}

/**
 * HitPay's answer to the create call (and to the status call). `url`, the checkout
 * page (`https:` on `hit-pay.com` or a name under it), is absent only in an answer of
 * the embedded QR flow, which has `qrCode` (the payload to render) instead.
 */
export type HitpayPaymentRequest = HitpayPaymentRequestFields &
  (
    | { url: string; qrCode?: undefined }
    | { url: string; qrCode: string }
    | { url?: undefined; qrCode: string }
  );

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

// ------------------------------------------------------------------ Fetch API requests

/**
 * What the `…Request` functions read of a Fetch API `Request` (the one that
 * Workers, Node >= 20, Deno, Bun, Hono, Next.js route handlers, SvelteKit and
 * Remix hand a handler): a global `Request` is one.
 */
export interface FetchRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: { get(name: string): string | null };
  readonly bodyUsed: boolean;
  /** A `ReadableStream` of bytes, or null for no body. */
  readonly body: { getReader(): unknown } | null;
}

/** The result of {@link verifyHitpayEventRequest}. */
export interface HitpayEventRequest {
  /** The `Hitpay-Event-Type` header (e.g. `completed`), or null. */
  eventType: string | null;
  /** The `Hitpay-Event-Object` header (e.g. `payment_request`), or null. */
  eventObject: string | null;
  /** The verified JSON body. */
  payload: { [key: string]: JsonValue };
}

/** The basic auth credentials of a Smart Router webhook URL. */
export interface SmartRouterCredentials {
  username: string;
  password: string;
}

/** A HAPI callback whose URL your server signed; `signed` holds the parameters it signed. */
export type HapiRequest = HapiCallback & { signed: Record<string, string> };

/**
 * Verifies a HitPay form webhook from a Fetch API Request: reads the raw body
 * once (refused past 64 KiB as soon as it passes, with or without
 * `Content-Length`) and returns what {@link verifyHitpayWebhook} returns. A body
 * already read is `INVALID_FIELD` (`field: 'request'`).
 */
export declare function verifyHitpayRequest(
  request: FetchRequest,
  salt: string,
  options?: HitpayVerifyOptions,
): Promise<HitpayWebhook>;

/**
 * Verifies a HitPay event webhook from a Fetch API Request: the raw body (1 MiB
 * at most) against the `Hitpay-Signature` header. Also returns the
 * `Hitpay-Event-Type` and `Hitpay-Event-Object` headers.
 */
export declare function verifyHitpayEventRequest(request: FetchRequest, salt: string): Promise<HitpayEventRequest>;

/**
 * Authenticates a Smart Router (ProcessOut) webhook by its `Authorization`
 * header (wrong or missing credentials: `UNAUTHORIZED`, before the body is
 * read), then parses the JSON body (64 KiB at most) as
 * {@link parseSmartRouterWebhook} does, or, for a GET (or HEAD) request, the
 * query as {@link parseSmartRouterWebhookUrl} does.
 */
export declare function parseSmartRouterRequest(
  request: FetchRequest,
  credentials: SmartRouterCredentials,
): Promise<SmartRouterWebhook>;

/** Parses a PayEx / Swedbank Pay callback from a Fetch API Request (JSON body, 64 KiB at most). */
export declare function parsePayexRequest(request: FetchRequest): Promise<PayexCallback>;

/**
 * Verifies the signed URL of a HAPI Elements callback (HAPI's `draftCampaignId`,
 * `amount` and `walletId` are not signed: treat them as claims) and parses it.
 * The body is not read.
 */
export declare function parseHapiRequest(
  request: FetchRequest,
  secret: string,
  options?: { now?: number },
): Promise<HapiRequest>;
