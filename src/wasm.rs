//! The JavaScript boundary: the only module that knows about wasm-bindgen.
//!
//! It converts and delegates, with nothing but numbers, strings, byte slices and
//! the `HitpaySalt` handle crossing: no `JsValue`, so no thrown values and none of
//! wasm-bindgen's externref-table traffic (only its fixed table setup remains).
//!
//! - Results that hold several strings are returned as one string of
//!   length-prefixed items (`<utf16 length>:<item>` repeated), which the
//!   hand-written `pkg/core.js` splits: one crossing and one UTF-8 decode per
//!   call instead of one per field.
//! - Lists going in (`[k, v, k, v…]` pairs, key lists) come as one `&str` in the
//!   same encoding, read by [`list`] (malformed input is an error, never a panic).
//! - Every fallible export returns a `String`: on failure `!` followed by the
//!   items `[code, field, message]` (see [`fail`]), which `pkg/core.js` turns into
//!   `PayhookError`; on success the result, `""` for none and `"1"`/`"0"` for a
//!   boolean. A success never starts with `!`: it is either empty, `1`/`0`, items
//!   (which start with a digit), a lowercase hex signature, or a URL that the core
//!   has checked starts with `http://` or `https://`. `pkg/core.js` tells them
//!   apart by the first character alone; keep it that way in any new export.
//!
//! Everything but the HAPI callback exports (`hapi_build_callback_url`,
//! `hapi_parse_callback`) and the helpers they share is behind the default
//! `all-exports` feature: without it (`--no-default-features`) this module is the
//! small browser build behind `payhook/hapi` (`pkg/gen/payhook_hapi*`, used through
//! `pkg/hapi-api.js`). A new export that `payhook/hapi` does not need gets
//! `#[cfg(feature = "all-exports")]`, and so does a helper only such exports use.
//!
//! Exports carry `//` comments rather than doc comments, which wasm-bindgen
//! would copy into the generated glue.
use crate::prelude::*;

#[cfg(feature = "all-exports")]
use crate::error::push_decimal;
use crate::error::{parse_decimal, push_number, Code, Error};
#[cfg(feature = "all-exports")]
use crate::hitpay::{self, PaymentRequestParams};
use wasm_bindgen::prelude::*;

/// A failure as the boundary returns it: `!` then the items `[code, field, message]`.
fn fail(e: Error) -> String {
    let mut out = String::from("!");
    for item in [
        e.code().as_str(),
        e.field_name().unwrap_or_default(),
        e.message(),
    ] {
        push_item(&mut out, item);
    }
    out
}

/// A fallible result as the boundary returns it (see [`fail`]).
fn result(r: crate::Result<String>) -> String {
    r.unwrap_or_else(fail)
}

/// Decodes a list argument: `<utf16 length>:<item>` repeated, as `pkg/core.js`
/// writes it (lengths in UTF-16 code units, in decimal without leading zeros).
/// Anything else is INVALID_FIELD about `field`.
fn list<'a>(mut s: &'a str, field: &str) -> crate::Result<Vec<&'a str>> {
    let bad = || {
        Error::field(
            Code::InvalidField,
            field,
            "the list is not `<length>:<item>` items",
        )
    };
    let mut out = Vec::new();
    while !s.is_empty() {
        let colon = s.bytes().position(|b| b == b':').ok_or_else(bad)?;
        let digits = s.get(..colon).unwrap_or_default();
        if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
            return Err(bad());
        }
        let units = parse_decimal(digits)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(bad)?;
        s = s.get(colon + 1..).unwrap_or_default();
        let (mut seen, mut end) = (0, 0);
        for c in s.chars() {
            if seen >= units {
                break;
            }
            seen += c.len_utf16();
            end += c.len_utf8();
        }
        if seen != units {
            return Err(bad());
        }
        out.push(s.get(..end).unwrap_or_default());
        s = s.get(end..).unwrap_or_default();
    }
    Ok(out)
}

/// A list argument of `[key, value, key, value, …]` (see [`list`]).
fn pairs<'a>(s: &'a str, field: &str) -> crate::Result<Vec<(&'a str, &'a str)>> {
    let items = list(s, field)?;
    if items.len() % 2 != 0 {
        return Err(Error::field(
            Code::InvalidField,
            field,
            "the list has a key without a value",
        ));
    }
    Ok(items
        .chunks_exact(2)
        .filter_map(|c| match c {
            [k, v] => Some((*k, *v)),
            _ => None,
        })
        .collect())
}

#[inline(always)]
fn push_item(out: &mut String, item: &str) {
    let units = if item.is_ascii() {
        item.len()
    } else {
        item.encode_utf16().count()
    };
    push_number(out, units as u64, Some(b':'));
    out.push_str(item);
}

fn encode_pairs<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for item in items {
        push_item(&mut out, item);
    }
    out
}

fn encode_fields<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> String {
    let mut out = String::with_capacity(
        fields
            .iter()
            .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 8)
            .sum(),
    );
    for (k, v) in fields {
        push_item(&mut out, k.as_ref());
        push_item(&mut out, v.as_ref());
    }
    out
}

/// The index of `key` among the HitPay webhook fields `pkg/core.js` knows by index
/// (its `HITPAY_KEYS`, same order): such a key is sent as `<index>#` instead of
/// `<length>:<key>`, so the JS side uses its own constant string (no slicing, no
/// interning of a fresh key on every call).
#[cfg(feature = "all-exports")]
fn hitpay_key_index(key: &str) -> Option<usize> {
    Some(match key {
        "payment_id" => 0,
        "payment_request_id" => 1,
        "reference_number" => 2,
        "phone" => 3,
        "amount" => 4,
        "currency" => 5,
        "status" => 6,
        _ => return None,
    })
}

/// A verified HitPay webhook's fields, as [`encode_fields`] but with known keys
/// by index (see [`hitpay_key_index`]).
#[cfg(feature = "all-exports")]
fn encode_webhook(fields: &[crate::form::Pair<'_>]) -> String {
    let mut out = String::with_capacity(fields.iter().map(|(k, v)| k.len() + v.len() + 8).sum());
    for (k, v) in fields {
        match hitpay_key_index(k) {
            Some(index) => push_number(&mut out, index as u64, Some(b'#')),
            None => push_item(&mut out, k),
        }
        push_item(&mut out, v);
    }
    out
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_verify_webhook_str(body: &str, salt: &str) -> String {
    hitpay_verify_webhook_bytes(body.as_bytes(), salt)
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_verify_webhook_bytes(body: &[u8], salt: &str) -> String {
    result(hitpay::verify_webhook_fields(body, salt.as_bytes()).map(|w| encode_webhook(&w)))
}

// A salt keyed once, for verifying many webhooks.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub struct HitpaySalt(hitpay::Salt);

// The keyed salt; `None` for an empty salt (whose error `pkg/core.js` gets from
// `hitpay_verify_webhook_str`).
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_salt(salt: &str) -> Option<HitpaySalt> {
    hitpay::Salt::new(salt.as_bytes()).ok().map(HitpaySalt)
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
impl HitpaySalt {
    pub fn verify_bytes(&self, body: &[u8]) -> String {
        result(hitpay::verify_webhook_fields_with(body, &self.0).map(|w| encode_webhook(&w)))
    }
}

// `fields` is a `pairs` list. Returns the lowercase hex signature.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_sign_webhook(fields: &str, salt: &str) -> String {
    result(
        pairs(fields, "fields")
            .and_then(|f| hitpay::sign_webhook(f.iter().copied(), salt.as_bytes())),
    )
}

// Returns `""` when the event verifies.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_verify_event_str(body: &str, signature: &str, salt: &str) -> String {
    hitpay_verify_event_bytes(body.as_bytes(), signature, salt)
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_verify_event_bytes(body: &[u8], signature: &str, salt: &str) -> String {
    result(
        hitpay::verify_event(body, signature.as_bytes(), salt.as_bytes()).map(|()| String::new()),
    )
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_parse_redirect(url: &str) -> String {
    result(
        hitpay::parse_redirect(url)
            .map(|r| encode_pairs([r.reference.as_str(), r.status.as_str()])),
    )
}

// `params` is a `pairs` list with the contract's camelCase names; booleans
// are `"true"`/`"false"` and `paymentMethods` repeats once per method.
// Returns `[method, url, header name, header value, …, body]`.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_build_payment_request(params: &str, api_key: &str, sandbox: bool) -> String {
    result(build_payment_request(params, api_key, sandbox))
}

#[cfg(feature = "all-exports")]
fn build_payment_request(params: &str, api_key: &str, sandbox: bool) -> crate::Result<String> {
    let mut p = PaymentRequestParams::default();
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
            other => return Err(Error::invalid(other, "is not a payment request parameter")),
        }
    }
    hitpay::build_payment_request(&p, api_key, sandbox).map(|r| {
        let mut items: Vec<&str> = vec![r.method, r.url.as_str()];
        for (k, v) in &r.headers {
            items.push(k);
            items.push(v.as_str());
        }
        items.push(r.body.as_deref().unwrap_or_default());
        encode_pairs(items)
    })
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_diagnose_str(body: &str, salt: &str) -> String {
    hitpay_diagnose_bytes(body.as_bytes(), salt)
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn hitpay_diagnose_bytes(body: &[u8], salt: &str) -> String {
    encode_diagnosis(&crate::diagnose::diagnose(body, salt.as_bytes()))
}

/// `[valid, errCode, errField, errMessage, hasCanonical, canonical, nFields,
/// k, v, …, (hintCode, hintMessage, confirmed)…]`; flags are `"1"`/`"0"`.
/// Infallible: the error found is part of the diagnosis.
#[cfg(feature = "all-exports")]
fn encode_diagnosis(d: &crate::diagnose::Diagnosis) -> String {
    let flag = |b: bool| if b { "1" } else { "0" };
    let mut out = String::new();
    push_item(&mut out, flag(d.valid));
    let (code, field, message) = match &d.error {
        Some(e) => (
            e.code().as_str(),
            e.field_name().unwrap_or_default(),
            e.message(),
        ),
        None => ("", "", ""),
    };
    for item in [code, field, message] {
        push_item(&mut out, item);
    }
    push_item(&mut out, flag(d.canonical.is_some()));
    push_item(&mut out, d.canonical.as_deref().unwrap_or_default());
    let fields = d.fields.as_deref().unwrap_or_default();
    push_item(&mut out, &{
        let mut n = String::new();
        push_decimal(&mut n, fields.len() as u64);
        n
    });
    for (k, v) in fields {
        push_item(&mut out, k);
        push_item(&mut out, v);
    }
    for h in &d.hints {
        push_item(&mut out, h.code);
        push_item(&mut out, h.message);
        push_item(&mut out, flag(h.confirmed));
    }
    out
}

// `params` is a `pairs` list. Returns the URL.
#[wasm_bindgen]
pub fn hapi_build_callback_url(base: &str, params: &str) -> String {
    result(pairs(params, "params").and_then(|p| crate::hapi::build_callback_url(base, &p)))
}

// `[kind, amount, walletId, hasDraft, draftCampaignId, k, v, …]`.
#[wasm_bindgen]
pub fn hapi_parse_callback(url: &str) -> String {
    result(crate::hapi::parse_callback(url).map(|c| {
        let mut out = encode_pairs([
            c.kind.as_str(),
            c.amount.as_str(),
            c.wallet_id.as_str(),
            if c.draft_campaign_id.is_some() {
                "1"
            } else {
                "0"
            },
            c.draft_campaign_id.as_deref().unwrap_or_default(),
        ]);
        out.push_str(&encode_fields(&c.params));
        out
    }))
}

// `expires_at` is a non-negative safe integer checked by the caller; negative
// means none. `ignore_keys` is a `list`. Returns the signed URL.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn callback_sign(url: &str, secret: &str, expires_at: f64, ignore_keys: &str) -> String {
    let exp = (expires_at >= 0.0).then_some(expires_at as u64);
    result(
        list(ignore_keys, "ignoreKeys")
            .and_then(|ignore| crate::callback_url::sign(url, secret.as_bytes(), exp, &ignore)),
    )
}

// `ignore_keys` is a `list`. Returns the signed parameters as `[k, v, …]`.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn callback_verify(url: &str, secret: &str, ignore_keys: &str, now: f64) -> String {
    result(list(ignore_keys, "ignoreKeys").and_then(|ignore| {
        crate::callback_url::verify(url, secret.as_bytes(), &ignore, now.max(0.0) as u64)
            .map(|p| encode_fields(&p))
    }))
}

/// `[method, url, header name, header value, …]` (GET requests have no body).
#[cfg(feature = "all-exports")]
fn encode_get(r: &crate::http::HttpRequest) -> String {
    let mut items: Vec<&str> = vec![r.method, r.url.as_str()];
    for (k, v) in &r.headers {
        items.push(k);
        items.push(v.as_str());
    }
    encode_pairs(items)
}

#[cfg(feature = "all-exports")]
fn encode_smart_router(w: crate::smart_router::SmartRouterWebhook) -> String {
    encode_pairs([
        w.event_id.as_str(),
        if w.event_type.is_some() { "1" } else { "0" },
        w.event_type.as_deref().unwrap_or_default(),
    ])
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn smart_router_parse_str(body: &str) -> String {
    smart_router_parse_bytes(body.as_bytes())
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn smart_router_parse_bytes(body: &[u8]) -> String {
    result(crate::smart_router::parse_webhook(body).map(encode_smart_router))
}

// `"1"` or `"0"`.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn check_basic_auth(authorization: Option<String>, username: &str, password: &str) -> String {
    result(
        crate::smart_router::check_basic_auth(authorization.as_deref(), username, password)
            .map(|ok| String::from(if ok { "1" } else { "0" })),
    )
}

// Returns the URL.
#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn build_basic_auth_webhook_url(url: &str, username: &str, password: &str) -> String {
    result(crate::smart_router::build_basic_auth_webhook_url(
        url, username, password,
    ))
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
        crate::smart_router::build_event_request(
            event_id,
            project_id,
            private_key,
            api_base.as_deref(),
        )
        .map(|r| encode_get(&r)),
    )
}

/// `[name, value, …]` for the fields present; numbers in decimal.
#[cfg(feature = "all-exports")]
fn encode_payex(c: crate::payex::PayexCallback) -> String {
    let mut out = String::new();
    let mut text = |name: &str, value: &Option<String>| {
        if let Some(v) = value {
            push_item(&mut out, name);
            push_item(&mut out, v);
        }
    };
    text("paymentOrderId", &c.payment_order_id);
    text("paymentId", &c.payment_id);
    text("transactionId", &c.transaction_id);
    text("instrument", &c.instrument);
    let numbers = [
        ("paymentNumber", c.payment_number),
        ("transactionNumber", c.transaction_number),
        ("paymentOrderNumber", c.payment_order_number),
    ];
    for (name, value) in numbers {
        if let Some(n) = value {
            push_item(&mut out, name);
            let mut digits = String::new();
            push_decimal(&mut digits, n);
            push_item(&mut out, &digits);
        }
    }
    let mut text = |name: &str, value: &Option<String>| {
        if let Some(v) = value {
            push_item(&mut out, name);
            push_item(&mut out, v);
        }
    };
    text("orderReference", &c.order_reference);
    text("paymentUrl", &c.payment_url);
    text("transactionUrl", &c.transaction_url);
    text("paymentOrderUrl", &c.payment_order_url);
    out
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn payex_parse_str(body: &str) -> String {
    payex_parse_bytes(body.as_bytes())
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn payex_parse_bytes(body: &[u8]) -> String {
    result(crate::payex::parse_callback(body).map(encode_payex))
}

#[cfg(feature = "all-exports")]
#[wasm_bindgen]
pub fn payex_fetch_request(path: &str, token: &str, api_base: Option<String>) -> String {
    result(
        crate::payex::build_fetch_request(path, token, api_base.as_deref()).map(|r| encode_get(&r)),
    )
}
