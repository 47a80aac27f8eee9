//! The exports: each a `#[wasm_bindgen]` function that delegates to the core, and
//! its declaration in [`EXPORTS`] (what JavaScript passes and gets back). The
//! xtask checks the two against each other through wasm-bindgen's own TypeScript
//! for the raw exports, and generates the JavaScript and TypeScript from the
//! declarations and the records ([`RECORDS`]), which the `record!` macro declares
//! together with the code that writes them, so the two cannot disagree.
//!
//! Everything but the HAPI callback exports is behind the default `all-exports`
//! feature: without it this crate is the small build behind `payhook/hapi`. The
//! exports carry `//` comments rather than doc comments, which wasm-bindgen would
//! copy into its glue; their documentation is in [`EXPORTS`].
use crate::schema::{Arg, ArgDecl, ExportDecl, FieldDecl, RecordDecl, Ret, Ty, Wrapper};
#[cfg(feature = "all-exports")]
use crate::wire::list;
use crate::wire::{pairs, result, Wire};
use alloc::string::String;
use payhook::limits;
use wasm_bindgen::prelude::*;

/// Declares a record: a unit struct with its [`RecordDecl`] (`DECL`) and the
/// function that writes a value of the source type field by field (`write`).
macro_rules! record {
    (
        $(#[doc = $doc:literal])*
        $name:ident $([$declared:ident])? for |$src:ident : &$ty:ty| {
            $(
                $(#[doc = $fdoc:literal])*
                $field:ident : $kind:ident $(($($karg:tt)*))? $(as $ts:literal)? = $val:expr
            ),* $(,)?
        }
    ) => {
        pub struct $name;
        #[allow(dead_code)]
        impl $name {
            pub const DECL: RecordDecl = RecordDecl {
                name: stringify!($name),
                doc: concat!($($doc, "\n"),*),
                declared: declared!($($declared)?),
                fields: &[$(FieldDecl {
                    name: stringify!($field),
                    ty: ty!($kind $(($($karg)*))?),
                    optional: optional!($kind),
                    null: null!($kind),
                    doc: concat!($($fdoc, "\n"),*),
                    ts: ts!($($ts)?),
                }),*],
            };
            #[allow(unused_variables, clippy::needless_borrow)]
            pub fn write($src: &$ty, w: &mut Wire) {
                $( put!(w, $kind $(($($karg)*))?, $val); )*
            }
        }
    };
}

/// The [`Ty`] of a record field kind.
macro_rules! ty {
    (Str) => {
        Ty::Str
    };
    (OptStr) => {
        Ty::Str
    };
    (NullStr) => {
        Ty::Str
    };
    (Num) => {
        Ty::Num
    };
    (OptNum) => {
        Ty::Num
    };
    (Bool) => {
        Ty::Bool
    };
    (Map) => {
        Ty::Map
    };
    (NullMap) => {
        Ty::Map
    };
    (KeyedMap($t:expr)) => {
        Ty::KeyedMap($t)
    };
    (NullRecord($r:ident)) => {
        Ty::Record(&$r::DECL)
    };
    (List($r:ident)) => {
        Ty::List(&$r::DECL)
    };
    (Mirror($m:literal, $k:literal)) => {
        Ty::Mirror($m, $k)
    };
}

/// `[declared]` after a record's name: its TypeScript type is written by hand
/// in `pkg/index.d.ts` (a union the schema cannot say), not generated.
macro_rules! declared {
    (declared) => {
        true
    };
    () => {
        false
    };
}

/// `as "<type>"` after a field's kind: a narrower TypeScript type than the kind's.
macro_rules! ts {
    ($ts:literal) => {
        Some($ts)
    };
    () => {
        None
    };
}

macro_rules! optional {
    (OptStr) => {
        true
    };
    (OptNum) => {
        true
    };
    (NullStr) => {
        true
    };
    (NullMap) => {
        true
    };
    (NullRecord) => {
        true
    };
    (Mirror) => {
        true
    };
    ($other:ident) => {
        false
    };
}

macro_rules! null {
    (NullStr) => {
        true
    };
    (NullMap) => {
        true
    };
    (NullRecord) => {
        true
    };
    ($other:ident) => {
        false
    };
}

/// Writes one field of a kind.
macro_rules! put {
    ($w:ident, Str, $v:expr) => {
        $w.str($v)
    };
    ($w:ident, OptStr, $v:expr) => {
        $w.opt_str($v)
    };
    ($w:ident, NullStr, $v:expr) => {
        $w.opt_str($v)
    };
    ($w:ident, Num, $v:expr) => {
        $w.num($v)
    };
    ($w:ident, OptNum, $v:expr) => {
        $w.opt_num($v)
    };
    ($w:ident, Bool, $v:expr) => {
        $w.flag($v)
    };
    ($w:ident, Map, $v:expr) => {
        $w.map($v)
    };
    ($w:ident, NullMap, $v:expr) => {
        match $v {
            Some(m) => $w.map(m),
            None => $w.absent(),
        }
    };
    ($w:ident, KeyedMap($t:expr), $v:expr) => {
        $w.keyed_map($t, $v)
    };
    ($w:ident, NullRecord($r:ident), $v:expr) => {
        match $v {
            Some(x) => $r::write(x, $w),
            None => $w.absent(),
        }
    };
    ($w:ident, List($r:ident), $v:expr) => {{
        let items = $v;
        $w.count(items.len());
        for x in items {
            $r::write(x, $w);
        }
    }};
    ($w:ident, Mirror($m:literal, $k:literal), $v:expr) => {};
}

/// HitPay webhook keys that cross as their index (see [`Ty::KeyedMap`]): the
/// fields a HitPay payment webhook has, so that the hot path sends no key text.
pub const HITPAY_KEYS: &[&str] = &[
    "payment_id",
    "payment_request_id",
    "reference_number",
    "phone",
    "amount",
    "currency",
    "status",
];

// ---------------------------------------------------------------- records

record! {
    /// A verified HitPay form webhook. Values are strings exactly as decoded.
    HitpayWebhook for |f: &[payhook::__private::Pair<'_>]| {
        /// `payment_id`, when sent.
        paymentId: Mirror("fields", "payment_id") = (),
        /// `payment_request_id`, when sent.
        paymentRequestId: Mirror("fields", "payment_request_id") = (),
        /// `reference_number`, when sent.
        referenceNumber: Mirror("fields", "reference_number") = (),
        /// `phone`, when sent.
        phone: Mirror("fields", "phone") = (),
        /// `amount`, when sent: a decimal string, never a number.
        amount: Mirror("fields", "amount") = (),
        /// `currency`, when sent.
        currency: Mirror("fields", "currency") = (),
        /// `status`, when sent.
        status: Mirror("fields", "status") = (),
        /// Every decoded field except `hmac`, in the order received.
        fields: KeyedMap(HITPAY_KEYS) = f,
    }
}

record! {
    /// The query HitPay appends to `redirect_url`.
    HitpayRedirect for |r: &payhook::hitpay::HitpayRedirect| {
        /// The payment request's reference.
        reference: Str = &r.reference,
        /// The status HitPay reports to the buyer (not a proof of payment).
        status: Str = &r.status,
    }
}

record! {
    /// A ready HTTP request: pass it to `fetch(url, { method, headers, body })`.
    HttpRequest for |r: &payhook::http::HttpRequest| {
        /// The method.
        method: Str as "'POST'" = r.method,
        /// The absolute URL.
        url: Str = &r.url,
        /// The headers, API key included.
        headers: Map = &r.headers,
        /// The form body.
        body: Str = r.body.as_deref().unwrap_or_default(),
    }
}

record! {
    /// A ready GET request: pass it to `fetch(url, { method, headers })`.
    GetRequest for |r: &payhook::http::HttpRequest| {
        /// `GET`.
        method: Str as "'GET'" = r.method,
        /// The absolute URL.
        url: Str = &r.url,
        /// The headers, credentials included.
        headers: Map = &r.headers,
    }
}

record! {
    /// The error a diagnosed body gets from `verifyHitpayWebhook`.
    HitpayDiagnosisError for |e: &payhook::Error| {
        /// The stable code.
        code: Str as "PayhookErrorCode" = e.code().as_str(),
        /// What to fix.
        message: Str = e.message(),
        /// The field it is about, when there is one.
        field: OptStr = e.field_name(),
    }
}

record! {
    /// One finding of `diagnoseHitpayWebhook`.
    HitpayDiagnosisHint for |h: &payhook::diagnose::Hint| {
        /// The hint's stable code.
        code: Str as "'HMAC_FIELD_INCLUDED' | 'VALUES_NOT_URL_DECODED' | 'KEYS_LOCALE_SORTED' | 'KEYS_UTF16_SORTED' | 'KEYS_NOT_SORTED' | 'RAW_BODY_SIGNED' | 'SALT_WHITESPACE' | 'SHA1_INSTEAD_OF_SHA256' | 'SHA512_INSTEAD_OF_SHA256' | 'JSON_BODY' | 'SALT_OR_BODY_CHANGED' | 'NULL_FIELD_OMITTED'" = h.code,
        /// What it means and what to change.
        message: Str = h.message,
        /// True when recomputing the HMAC that way matched the received `hmac`.
        confirmed: Bool = h.confirmed,
    }
}

record! {
    /// Why a HitPay form webhook does or does not verify.
    HitpayDiagnosis for |d: &payhook::diagnose::Diagnosis| {
        /// The body verifies (as `verifyHitpayWebhook` accepts it).
        valid: Bool = d.valid,
        /// What `verifyHitpayWebhook` throws for this body, or null.
        error: NullRecord(HitpayDiagnosisError) = d.error.as_ref(),
        /// The exact message HitPay signs, or null when the body cannot be decoded.
        canonical: NullStr = d.canonical.as_deref(),
        /// Decoded fields except `hmac`, or null when the body cannot be decoded.
        fields: NullMap = d.fields.as_deref(),
        /// The findings, confirmed ones first.
        hints: List(HitpayDiagnosisHint) = &d.hints,
    }
}

record! {
    /// A parsed HAPI callback.
    HapiCallback [declared] for |c: &payhook::hapi::HapiCallback| {
        /// `directChargeCampaignOrder` when `draftCampaignId` is present, else `walletTopUp`.
        kind: Str = c.kind.as_str(),
        /// Digits with an optional decimal part, as sent (never a number).
        amount: Str = &c.amount,
        /// The wallet HAPI names.
        walletId: Str = &c.wallet_id,
        /// The campaign of a direct-charge order.
        draftCampaignId: OptStr = c.draft_campaign_id.as_deref(),
        /// The custom parameters, decoded, in order.
        params: Map = &c.params,
    }
}

record! {
    /// A Smart Router webhook as received: which event to fetch.
    SmartRouterWebhook for |w: &payhook::smart_router::SmartRouterWebhook| {
        /// `event_id`: 1 to 255 letters, digits, `_` and `-`.
        eventId: Str = &w.event_id,
        /// `event_type`, when sent (a claim until the event is fetched).
        eventType: OptStr = w.event_type.as_deref(),
    }
}

record! {
    /// A validated PayEx callback. `…Url` fields are relative API paths, safe to GET with your token.
    PayexCallback for |c: &payhook::payex::PayexCallback| {
        /// The payment order's guid.
        paymentOrderId: OptStr = c.payment_order_id.as_deref(),
        /// The payment's guid.
        paymentId: OptStr = c.payment_id.as_deref(),
        /// The transaction's guid.
        transactionId: OptStr = c.transaction_id.as_deref(),
        /// The payment instrument (`paymentOrder.instrument`, else the path's).
        instrument: OptStr = c.instrument.as_deref(),
        /// The payment's number.
        paymentNumber: OptNum = c.payment_number,
        /// The transaction's number.
        transactionNumber: OptNum = c.transaction_number,
        /// The payment order's number.
        paymentOrderNumber: OptNum = c.payment_order_number,
        /// `orderReference`, as sent.
        orderReference: OptStr = c.order_reference.as_deref(),
        /// The payment's API path.
        paymentUrl: OptStr = c.payment_url.as_deref(),
        /// The transaction's API path.
        transactionUrl: OptStr = c.transaction_url.as_deref(),
        /// The payment order's API path.
        paymentOrderUrl: OptStr = c.payment_order_url.as_deref(),
    }
}

record! {
    /// The answer of HitPay's create call (or of the status call), validated. Its
    /// TypeScript type is written by hand: `url` is absent only with `qrCode`.
    HitpayPaymentRequest [declared] for |r: &payhook::hitpay::PaymentRequestResponse| {
        /// The payment request's id (a UUID): the `paymentRequestId` of its webhooks.
        id: Str = &r.id,
        /// The checkout URL to send the buyer to: `https:` on a HitPay host.
        url: OptStr = r.url.as_deref(),
        /// Such as `pending`, `completed`, `failed`, `expired`, `canceled`.
        status: Str = &r.status,
        /// A decimal string, as sent.
        amount: Str = &r.amount,
        /// Three letters, as sent (HitPay answers in lower case).
        currency: Str = &r.currency,
        /// `reference_number`, when not null.
        referenceNumber: OptStr = r.reference_number.as_deref(),
        /// The QR payload to render (`qr_code_data`), in the embedded QR flow.
        qrCode: OptStr = r.qr_code.as_deref(),
    }
}

/// Every record, for the generator.
pub static RECORDS: &[&RecordDecl] = &[
    &HitpayWebhook::DECL,
    &HitpayRedirect::DECL,
    &HttpRequest::DECL,
    &GetRequest::DECL,
    &HitpayDiagnosisError::DECL,
    &HitpayDiagnosisHint::DECL,
    &HitpayDiagnosis::DECL,
    &HapiCallback::DECL,
    &SmartRouterWebhook::DECL,
    &PayexCallback::DECL,
    &HitpayPaymentRequest::DECL,
];

// ---------------------------------------------------------------- declarations

const fn arg(name: &'static str, arg: Arg, doc: &'static str) -> ArgDecl {
    ArgDecl {
        name,
        arg,
        option: false,
        doc,
    }
}

const fn opt(name: &'static str, arg: Arg, doc: &'static str) -> ArgDecl {
    ArgDecl {
        name,
        arg,
        option: true,
        doc,
    }
}

const FORM_BODY: Arg = Arg::Body {
    limit: limits::FORM_BODY,
    what: "the webhook body",
};

/// Every export, in the order of the generated JavaScript.
pub static EXPORTS: &[ExportDecl] = &[
    ExportDecl {
        wasm: "hitpay_verify_webhook",
        js: "verifyHitpayWebhook",
        doc: "Verifies a form-encoded HitPay webhook (`hmac` field, HMAC-SHA256 of the sorted `key + value` pairs keyed with the salt). Body limit: 64 KiB.",
        hapi: false,
        args: &[
            arg("body", FORM_BODY, "The raw `application/x-www-form-urlencoded` body, as received."),
            arg("salt", Arg::Secret, "The HitPay salt."),
            opt("strict", Arg::Flag, "Also require the fields of a HitPay payment webhook, well formed (`INVALID_FIELD`)."),
        ],
        options_required: None,
        ret: Ret::Record(&HitpayWebhook::DECL),
        wrapper: Wrapper::Custom,
    },
    ExportDecl {
        wasm: "hitpay_sign_webhook",
        js: "signHitpayWebhook",
        doc: "Lowercase hex `hmac` of string fields by the webhook rule (`hmac` left out). For tests and simulators.",
        hapi: false,
        args: &[
            arg("fields", Arg::Params { url_total: 0 }, "The fields, as a plain object of strings."),
            arg("salt", Arg::Secret, "The HitPay salt."),
        ],
        options_required: None,
        ret: Ret::Str,
        wrapper: Wrapper::Custom,
    },
    ExportDecl {
        wasm: "hitpay_verify_event",
        js: "verifyHitpayEvent",
        doc: "Verifies a HitPay event webhook: HMAC-SHA256 of the raw body bytes, 64 hex digits in the `Hitpay-Signature` header. Body limit: 1 MiB.",
        hapi: false,
        args: &[
            arg("body", Arg::Body { limit: limits::EVENT_BODY, what: "the event body" }, "The raw JSON body."),
            arg("signature", Arg::Text, "The `Hitpay-Signature` header."),
            arg("salt", Arg::Secret, "The HitPay salt."),
        ],
        options_required: None,
        ret: Ret::Unit,
        wrapper: Wrapper::Custom,
    },
    ExportDecl {
        wasm: "hitpay_build_payment_request",
        js: "buildHitpayPaymentRequest",
        doc: "Validates the parameters and builds the payment-request API call.",
        hapi: false,
        args: &[
            arg("params", Arg::Text, "The parameters, as a pairs list with the contract's names."),
            arg("apiKey", Arg::Secret, "The HitPay API key."),
            arg("sandbox", Arg::Flag, "Use the sandbox host."),
        ],
        options_required: None,
        ret: Ret::Record(&HttpRequest::DECL),
        wrapper: Wrapper::Custom,
    },
    ExportDecl {
        wasm: "hitpay_parse_payment_request_response",
        js: "parseHitpayPaymentRequestResponse",
        doc: "Reads the JSON answer of the create call (or of the status call): `id` a UUID, `url` `https:` on a HitPay host (absent only in a QR-flow answer, which has `qrCode`), `status`, `amount` (a decimal string), `currency`. Body limit: 64 KiB.",
        hapi: false,
        args: &[arg("body", Arg::Body { limit: limits::FORM_BODY, what: "the response body" }, "The response body, as received.")],
        options_required: None,
        ret: Ret::Record(&HitpayPaymentRequest::DECL),
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "hitpay_payment_request_status",
        js: "buildHitpayPaymentRequestStatusRequest",
        doc: "The `GET /v1/payment-requests/{id}` request that fetches a payment request's current state.",
        hapi: false,
        args: &[
            arg("id", Arg::Text, "The payment request's id, a UUID."),
            arg("apiKey", Arg::Secret, "The HitPay API key."),
            arg("sandbox", Arg::Flag, "Use the sandbox host."),
        ],
        options_required: None,
        ret: Ret::Record(&GetRequest::DECL),
        wrapper: Wrapper::Custom,
    },
    ExportDecl {
        wasm: "hitpay_parse_redirect",
        js: "parseHitpayRedirect",
        doc: "Reads `reference` and `status` from the URL HitPay redirected to (absolute, or a path).",
        hapi: false,
        args: &[arg("url", Arg::Url, "The URL HitPay redirected the buyer to.")],
        options_required: None,
        ret: Ret::Record(&HitpayRedirect::DECL),
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "hitpay_diagnose",
        js: "diagnoseHitpayWebhook",
        doc: "Explains why a HitPay form webhook does not verify. Throws only for arguments of the wrong type; never returns the salt or the expected signature.",
        hapi: false,
        args: &[
            arg("body", FORM_BODY, "The raw body, as received."),
            arg("salt", Arg::Secret, "The HitPay salt."),
        ],
        options_required: None,
        ret: Ret::Record(&HitpayDiagnosis::DECL),
        wrapper: Wrapper::Custom,
    },
    ExportDecl {
        wasm: "hapi_build_callback_url",
        js: "buildHapiCallbackUrl",
        doc: "The value for `window.hapi.wallet.state.paymentIntentSuccessCallbackUrl`: the WHATWG serialisation of `base` with `params` appended. Refuses the keys HAPI appends (`draftCampaignId`, `amount`, `walletId`) in any disguise a PHP, Rails or Node server would read as one (case, surrounding whitespace, `[…]`, `.`, NUL, one more percent-decoding, after a `;`): `RESERVED_QUERY_KEY`; a key with a control character is `INVALID_FIELD`.",
        hapi: true,
        args: &[
            arg("base", Arg::AbsoluteUrl, "An absolute `https:` URL (`http:` only for loopback hosts), without fragment or userinfo."),
            arg("params", Arg::Params { url_total: limits::URL_OUTPUT }, "Custom query parameters, appended in order."),
        ],
        options_required: None,
        ret: Ret::Str,
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "hapi_parse_callback",
        js: "parseHapiCallback",
        doc: "Parses the URL of an incoming HAPI callback (absolute, or a path starting with `/`). A custom key that a server could read as one of HAPI's (what `buildHapiCallbackUrl` refuses) is `RESERVED_QUERY_KEY`.",
        hapi: true,
        args: &[arg("url", Arg::Url, "The callback request's URL.")],
        options_required: None,
        ret: Ret::Record(&HapiCallback::DECL),
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "callback_sign",
        js: "signCallbackUrl",
        doc: "Appends `exp` (with `expiresAt`) and `sig` (43 base64url characters) to a callback URL.",
        hapi: false,
        args: &[
            arg("url", Arg::AbsoluteUrl, "The callback URL to sign."),
            arg("secret", Arg::Secret, "The server's signing secret."),
            opt("expiresAt", Arg::Seconds, "Unix seconds after which the URL is refused (`EXPIRED`)."),
            opt("ignoreKeys", Arg::Keys, "Keys left out of the signature (the ones the provider appends)."),
        ],
        options_required: None,
        ret: Ret::Str,
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "callback_verify",
        js: "verifyCallbackUrl",
        doc: "Checks a URL made by `signCallbackUrl`; returns the signed parameters without `sig` and `exp`.",
        hapi: false,
        args: &[
            arg("url", Arg::Url, "The URL the request came to."),
            arg("secret", Arg::Secret, "The server's signing secret."),
            opt("ignoreKeys", Arg::Keys, "Keys the provider appends: left out of the message wherever they appear."),
            opt("now", Arg::Now, "Unix seconds; defaults to the clock."),
        ],
        options_required: None,
        ret: Ret::Map,
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "smart_router_parse",
        js: "parseSmartRouterWebhook",
        doc: "Parses a Smart Router webhook body (`event_id`, optional `event_type`). Body limit: 64 KiB.",
        hapi: false,
        args: &[arg("body", FORM_BODY, "The raw JSON body.")],
        options_required: None,
        ret: Ret::Record(&SmartRouterWebhook::DECL),
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "smart_router_parse_url",
        js: "parseSmartRouterWebhookUrl",
        doc: "Parses the URL of a Smart Router webhook configured with request method GET (`event_id`, optional `event_type` in the query), with the rules of `parseSmartRouterWebhook`. URL limit: 8 KiB.",
        hapi: false,
        args: &[arg("url", Arg::Url, "The webhook request's URL (absolute, or a path starting with `/`).")],
        options_required: None,
        ret: Ret::Record(&SmartRouterWebhook::DECL),
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "check_basic_auth",
        js: "checkBasicAuth",
        doc: "Checks an `Authorization` header value against the configured credentials in constant time. Missing or malformed headers are `false`; an empty configured username or password throws `INVALID_SECRET`.",
        hapi: false,
        args: &[
            arg("authorization", Arg::Header, "The `Authorization` header value, or null."),
            arg("username", Arg::Secret, "The configured username."),
            arg("password", Arg::Secret, "The configured password."),
        ],
        options_required: None,
        ret: Ret::Bool,
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "build_basic_auth_webhook_url",
        js: "buildBasicAuthWebhookUrl",
        doc: "`https://user:pass@host/…` with both parts percent-encoded.",
        hapi: false,
        args: &[
            arg("url", Arg::AbsoluteUrl, "The webhook URL, without userinfo."),
            arg("username", Arg::Secret, "The username."),
            arg("password", Arg::Secret, "The password."),
        ],
        options_required: None,
        ret: Ret::Str,
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "smart_router_event_request",
        js: "buildSmartRouterEventRequest",
        doc: "The `GET /events/{id}` request that fetches the event a webhook names.",
        hapi: false,
        args: &[
            arg("eventId", Arg::Text, "The webhook's `eventId`."),
            opt("projectId", Arg::SecretOrEmpty, "The project id."),
            opt("privateKey", Arg::SecretOrEmpty, "The project's private key."),
            opt("apiBase", Arg::OptText, "Defaults to `https://api.processout.com`; `http:` only for loopback hosts."),
        ],
        options_required: Some("`options` with projectId and privateKey is required"),
        ret: Ret::Record(&GetRequest::DECL),
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "payex_parse",
        js: "parsePayexCallback",
        doc: "Parses a PayEx / Swedbank Pay callback body (flat, nested or payment order form). Body limit: 64 KiB.",
        hapi: false,
        args: &[arg("body", Arg::Body { limit: limits::FORM_BODY, what: "the callback body" }, "The raw JSON body.")],
        options_required: None,
        ret: Ret::Record(&PayexCallback::DECL),
        wrapper: Wrapper::Generated,
    },
    ExportDecl {
        wasm: "payex_fetch_request",
        js: "buildPayexRequest",
        doc: "The GET request for a resource path from a callback (`paymentUrl`, `transactionUrl`, `paymentOrderUrl`).",
        hapi: false,
        args: &[
            arg("path", Arg::Text, "A relative API path from a parsed callback."),
            opt("token", Arg::SecretOrEmpty, "The merchant's API token, sent as a bearer token."),
            opt("apiBase", Arg::OptText, "Defaults to `https://api.payex.com` (test: `https://api.externalintegration.payex.com`)."),
        ],
        options_required: Some("`options` with the API token is required"),
        ret: Ret::Record(&GetRequest::DECL),
        wrapper: Wrapper::Generated,
    },
];

// ---------------------------------------------------------------- exports

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_verify_webhook(body: &[u8], salt: &str, strict: bool) -> String {
    result(
        payhook::hitpay::verify_webhook_fields_options(
            body,
            salt.as_bytes(),
            payhook::hitpay::VerifyOptions { strict },
        ),
        |f, w| HitpayWebhook::write(f, w),
    )
}

// A salt keyed once, for verifying many webhooks (`HitpayVerifier`, and the last
// salt `verifyHitpayWebhook` saw). Its result is a `HitpayWebhook`.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub struct HitpaySalt(payhook::hitpay::Salt);

// The keyed salt; `None` for an empty salt (whose error JavaScript gets from
// `hitpay_verify_webhook`).
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_salt(salt: &str) -> Option<HitpaySalt> {
    payhook::hitpay::Salt::new(salt.as_bytes())
        .ok()
        .map(HitpaySalt)
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
impl HitpaySalt {
    pub fn verify(&self, body: &[u8]) -> String {
        result(
            payhook::hitpay::verify_webhook_fields_with(body, &self.0),
            |f, w| HitpayWebhook::write(f, w),
        )
    }

    // `verify` in strict mode (`{ strict: true }`).
    pub fn verify_strict(&self, body: &[u8]) -> String {
        result(
            payhook::hitpay::verify_webhook_fields_with_options(
                body,
                &self.0,
                payhook::hitpay::VerifyOptions::STRICT,
            ),
            |f, w| HitpayWebhook::write(f, w),
        )
    }
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_sign_webhook(fields: &str, salt: &str) -> String {
    result(
        pairs(fields, "fields")
            .and_then(|f| payhook::hitpay::sign_webhook(f.iter().copied(), salt.as_bytes())),
        |s, w| w.str(s),
    )
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_verify_event(body: &[u8], signature: &str, salt: &str) -> String {
    result(
        payhook::hitpay::verify_event(body, signature.as_bytes(), salt.as_bytes()),
        |_, _| {},
    )
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_parse_redirect(url: &str) -> String {
    result(payhook::hitpay::parse_redirect(url), |r, w| {
        HitpayRedirect::write(r, w)
    })
}

// `params` is a pairs list with the contract's camelCase names; booleans are
// `"true"`/`"false"`, `paymentMethods` repeats once per method and
// `paymentMethods[]` (no value) stands for an empty list; `address` (no value)
// stands for the address object and `address.line1`, `address.postalCode`… for its
// parts.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_build_payment_request(params: &str, api_key: &str, sandbox: bool) -> String {
    result(
        payment_request_params(params)
            .and_then(|p| payhook::hitpay::build_payment_request(&p, api_key, sandbox)),
        HttpRequest::write,
    )
}

#[cfg(feature = "all-exports")]
fn payment_request_params(params: &str) -> payhook::Result<payhook::hitpay::PaymentRequestParams> {
    use alloc::borrow::ToOwned;
    use alloc::vec::Vec;
    let mut p = payhook::hitpay::PaymentRequestParams::default();
    for (name, value) in pairs(params, "params")? {
        let v = || Some(value.to_owned());
        match name {
            "amount" => p.amount = v(),
            "currency" => p.currency = v(),
            "paymentMethods" => p
                .payment_methods
                .get_or_insert_with(Vec::new)
                .push(value.to_owned()),
            "paymentMethods[]" => {
                p.payment_methods.get_or_insert_with(Vec::new);
            }
            "email" => p.email = v(),
            "name" => p.name = v(),
            "phone" => p.phone = v(),
            "purpose" => p.purpose = v(),
            "referenceNumber" => p.reference_number = v(),
            "redirectUrl" => p.redirect_url = v(),
            "webhook" => p.webhook = v(),
            "allowRepeatedPayments" => p.allow_repeated_payments = Some(value == "true"),
            "expiryDate" => p.expiry_date = v(),
            "generateQr" => p.generate_qr = Some(value == "true"),
            "expiresAfter" => p.expires_after = v(),
            "addAdminFee" => p.add_admin_fee = Some(value == "true"),
            "sendEmail" => p.send_email = Some(value == "true"),
            "sendSms" => p.send_sms = Some(value == "true"),
            "wifiTerminalId" => p.wifi_terminal_id = v(),
            "staffId" => p.staff_id = v(),
            "locationId" => p.location_id = v(),
            "channel" => p.channel = v(),
            // `address` (no value) stands for the object, its parts follow.
            "address" => {
                p.address.get_or_insert_with(Default::default);
            }
            "address.line1" => p.address.get_or_insert_with(Default::default).line1 = v(),
            "address.line2" => p.address.get_or_insert_with(Default::default).line2 = v(),
            "address.city" => p.address.get_or_insert_with(Default::default).city = v(),
            "address.state" => p.address.get_or_insert_with(Default::default).state = v(),
            "address.postalCode" => {
                p.address.get_or_insert_with(Default::default).postal_code = v()
            }
            "address.country" => p.address.get_or_insert_with(Default::default).country = v(),
            other => {
                return Err(payhook::Error::field(
                    payhook::Code::InvalidField,
                    other,
                    "is not a payment request parameter",
                ))
            }
        }
    }
    Ok(p)
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_parse_payment_request_response(body: &[u8]) -> String {
    result(
        payhook::hitpay::parse_payment_request_response(body),
        HitpayPaymentRequest::write,
    )
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_payment_request_status(id: &str, api_key: &str, sandbox: bool) -> String {
    result(
        payhook::hitpay::build_payment_request_status_request(id, api_key, sandbox),
        GetRequest::write,
    )
}

// Infallible: the error found is part of the diagnosis.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_diagnose(body: &[u8], salt: &str) -> String {
    let mut w = Wire::default();
    HitpayDiagnosis::write(&payhook::diagnose::diagnose(body, salt.as_bytes()), &mut w);
    w.finish()
}

#[wasm_bindgen]
pub fn hapi_build_callback_url(base: &str, params: &str) -> String {
    result(
        pairs(params, "params").and_then(|p| payhook::hapi::build_callback_url(base, &p)),
        |s, w| w.str(s),
    )
}

#[wasm_bindgen]
pub fn hapi_parse_callback(url: &str) -> String {
    result(payhook::hapi::parse_callback(url), |c, w| {
        HapiCallback::write(c, w)
    })
}

// `expires_at` is a non-negative safe integer checked by JavaScript; negative
// means none.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn callback_sign(url: &str, secret: &str, expires_at: f64, ignore_keys: &str) -> String {
    let exp = (expires_at >= 0.0).then_some(expires_at as u64);
    result(
        list(ignore_keys, "ignoreKeys")
            .and_then(|ignore| payhook::callback_url::sign(url, secret.as_bytes(), exp, &ignore)),
        |s, w| w.str(s),
    )
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn callback_verify(url: &str, secret: &str, ignore_keys: &str, now: f64) -> String {
    result(
        list(ignore_keys, "ignoreKeys").and_then(|ignore| {
            payhook::callback_url::verify(url, secret.as_bytes(), &ignore, now.max(0.0) as u64)
        }),
        |p, w| w.map(p),
    )
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn smart_router_parse(body: &[u8]) -> String {
    result(payhook::smart_router::parse_webhook(body), |e, w| {
        SmartRouterWebhook::write(e, w)
    })
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn smart_router_parse_url(url: &str) -> String {
    result(payhook::smart_router::parse_webhook_url(url), |e, w| {
        SmartRouterWebhook::write(e, w)
    })
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn check_basic_auth(authorization: Option<String>, username: &str, password: &str) -> String {
    result(
        payhook::smart_router::check_basic_auth(authorization.as_deref(), username, password),
        |ok, w| w.flag(*ok),
    )
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn build_basic_auth_webhook_url(url: &str, username: &str, password: &str) -> String {
    result(
        payhook::smart_router::build_basic_auth_webhook_url(url, username, password),
        |s, w| w.str(s),
    )
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn smart_router_event_request(
    event_id: &str,
    project_id: &str,
    private_key: &str,
    api_base: Option<String>,
) -> String {
    result(
        payhook::smart_router::build_event_request(
            event_id,
            project_id,
            private_key,
            api_base.as_deref(),
        ),
        GetRequest::write,
    )
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn payex_parse(body: &[u8]) -> String {
    result(payhook::payex::parse_callback(body), |c, w| {
        PayexCallback::write(c, w)
    })
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn payex_fetch_request(path: &str, token: &str, api_base: Option<String>) -> String {
    result(
        payhook::payex::build_fetch_request(path, token, api_base.as_deref()),
        GetRequest::write,
    )
}
