//! The JavaScript boundary: the only module that knows about wasm-bindgen.
//!
//! It converts and delegates. Results that hold several strings are returned as
//! one string of length-prefixed items (`<utf16 length>:<item>` repeated), which
//! the hand-written `pkg/core.js` splits: one crossing and one UTF-8 decode per
//! call instead of one per field. Errors are thrown as such a string of
//! `[code, field, message]`, which `pkg/core.js` turns into `PayhookError`.
use crate::prelude::*;

use crate::error::{push_decimal, Error};
use crate::hitpay::{self, PaymentRequestParams};
use wasm_bindgen::prelude::*;

fn throw(e: Error) -> JsValue {
    JsValue::from_str(&encode_pairs([
        e.code().as_str(),
        e.field_name().unwrap_or_default(),
        e.message(),
    ]))
}

#[inline(always)]
fn push_item(out: &mut String, item: &str) {
    let units = if item.is_ascii() {
        item.len()
    } else {
        item.encode_utf16().count()
    };
    let mut buf = [b':'; 21];
    let start = decimal(&mut buf, units);
    out.push_str(core::str::from_utf8(buf.get(start..).unwrap_or_default()).unwrap_or_default());
    out.push_str(item);
}

/// Writes `n` in decimal so that it ends at `buf[20]` (exclusive), without the
/// formatting machinery (smaller and faster in wasm); returns where it starts.
#[inline(always)]
fn decimal(buf: &mut [u8; 21], mut n: usize) -> usize {
    let mut i: usize = 20;
    while let Some(d) = i.checked_sub(1).and_then(|j| buf.get_mut(j)) {
        *d = b'0' + (n % 10) as u8;
        i -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    i
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
fn encode_webhook(fields: &[crate::form::Pair<'_>]) -> String {
    let mut out = String::with_capacity(fields.iter().map(|(k, v)| k.len() + v.len() + 8).sum());
    for (k, v) in fields {
        match hitpay_key_index(k) {
            Some(index) => {
                let mut buf = [b'#'; 21];
                let start = decimal(&mut buf, index);
                out.push_str(
                    core::str::from_utf8(buf.get(start..).unwrap_or_default()).unwrap_or_default(),
                );
            }
            None => push_item(&mut out, k),
        }
        push_item(&mut out, v);
    }
    out
}

/// `items` is a flat `[key, value, key, value, …]` list.
fn pairs(items: &[String]) -> impl Iterator<Item = (&str, &str)> {
    items.chunks_exact(2).filter_map(|c| match c {
        [k, v] => Some((k.as_str(), v.as_str())),
        _ => None,
    })
}

#[wasm_bindgen]
pub fn hitpay_verify_webhook_str(body: &str, salt: &str) -> Result<String, JsValue> {
    hitpay::verify_webhook_fields(body.as_bytes(), salt.as_bytes())
        .map(|w| encode_webhook(&w))
        .map_err(throw)
}

#[wasm_bindgen]
pub fn hitpay_verify_webhook_bytes(body: &[u8], salt: &str) -> Result<String, JsValue> {
    hitpay::verify_webhook_fields(body, salt.as_bytes())
        .map(|w| encode_webhook(&w))
        .map_err(throw)
}

/// A salt keyed once, for verifying many webhooks.
#[wasm_bindgen]
pub struct HitpaySalt(hitpay::Salt);

#[wasm_bindgen]
impl HitpaySalt {
    #[wasm_bindgen(constructor)]
    pub fn new(salt: &str) -> Result<HitpaySalt, JsValue> {
        hitpay::Salt::new(salt.as_bytes())
            .map(HitpaySalt)
            .map_err(throw)
    }

    pub fn verify_bytes(&self, body: &[u8]) -> Result<String, JsValue> {
        hitpay::verify_webhook_fields_with(body, &self.0)
            .map(|w| encode_webhook(&w))
            .map_err(throw)
    }
}

#[wasm_bindgen]
pub fn hitpay_sign_webhook(fields: Vec<String>, salt: &str) -> Result<String, JsValue> {
    hitpay::sign_webhook(pairs(&fields), salt.as_bytes()).map_err(throw)
}

#[wasm_bindgen]
pub fn hitpay_verify_event_str(body: &str, signature: &str, salt: &str) -> Result<(), JsValue> {
    hitpay::verify_event(body.as_bytes(), signature.as_bytes(), salt.as_bytes()).map_err(throw)
}

#[wasm_bindgen]
pub fn hitpay_verify_event_bytes(body: &[u8], signature: &str, salt: &str) -> Result<(), JsValue> {
    hitpay::verify_event(body, signature.as_bytes(), salt.as_bytes()).map_err(throw)
}

#[wasm_bindgen]
pub fn hitpay_parse_redirect(url: &str) -> Result<String, JsValue> {
    hitpay::parse_redirect(url)
        .map(|r| encode_pairs([r.reference.as_str(), r.status.as_str()]))
        .map_err(throw)
}

/// `params` is a flat `[name, value, …]` list with the contract's camelCase names;
/// booleans are `"true"`/`"false"` and `paymentMethods` repeats once per method.
/// Returns `[method, url, header name, header value, …, body]`.
#[wasm_bindgen]
pub fn hitpay_build_payment_request(
    params: Vec<String>,
    api_key: &str,
    sandbox: bool,
) -> Result<String, JsValue> {
    let mut p = PaymentRequestParams::default();
    for (name, value) in pairs(&params) {
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
            other => {
                return Err(throw(Error::invalid(
                    other,
                    "is not a payment request parameter",
                )))
            }
        }
    }
    hitpay::build_payment_request(&p, api_key, sandbox)
        .map(|r| {
            let mut items: Vec<&str> = vec![r.method, r.url.as_str()];
            for (k, v) in &r.headers {
                items.push(k);
                items.push(v.as_str());
            }
            items.push(r.body.as_deref().unwrap_or_default());
            encode_pairs(items)
        })
        .map_err(throw)
}

#[wasm_bindgen]
pub fn hitpay_diagnose_str(body: &str, salt: &str) -> String {
    encode_diagnosis(&crate::diagnose::diagnose(body.as_bytes(), salt.as_bytes()))
}

#[wasm_bindgen]
pub fn hitpay_diagnose_bytes(body: &[u8], salt: &str) -> String {
    encode_diagnosis(&crate::diagnose::diagnose(body, salt.as_bytes()))
}

/// `[valid, errCode, errField, errMessage, hasCanonical, canonical, nFields,
/// k, v, …, (hintCode, hintMessage, confirmed)…]`; flags are `"1"`/`"0"`.
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

#[wasm_bindgen]
pub fn hapi_build_callback_url(base: &str, params: Vec<String>) -> Result<String, JsValue> {
    let list: Vec<(&str, &str)> = pairs(&params).collect();
    crate::hapi::build_callback_url(base, &list).map_err(throw)
}

/// `[kind, amount, walletId, hasDraft, draftCampaignId, k, v, …]`.
#[wasm_bindgen]
pub fn hapi_parse_callback(url: &str) -> Result<String, JsValue> {
    crate::hapi::parse_callback(url)
        .map(|c| {
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
        })
        .map_err(throw)
}

/// `expires_at` is a non-negative safe integer checked by the caller; negative
/// means none.
#[wasm_bindgen]
pub fn callback_sign(
    url: &str,
    secret: &str,
    expires_at: f64,
    ignore_keys: Vec<String>,
) -> Result<String, JsValue> {
    let ignore: Vec<&str> = ignore_keys.iter().map(String::as_str).collect();
    let exp = (expires_at >= 0.0).then_some(expires_at as u64);
    crate::callback_url::sign(url, secret.as_bytes(), exp, &ignore).map_err(throw)
}

#[wasm_bindgen]
pub fn callback_verify(
    url: &str,
    secret: &str,
    ignore_keys: Vec<String>,
    now: f64,
) -> Result<String, JsValue> {
    let ignore: Vec<&str> = ignore_keys.iter().map(String::as_str).collect();
    crate::callback_url::verify(url, secret.as_bytes(), &ignore, now.max(0.0) as u64)
        .map(|p| encode_fields(&p))
        .map_err(throw)
}

/// `[method, url, header name, header value, …]` (GET requests have no body).
fn encode_get(r: &crate::http::HttpRequest) -> String {
    let mut items: Vec<&str> = vec![r.method, r.url.as_str()];
    for (k, v) in &r.headers {
        items.push(k);
        items.push(v.as_str());
    }
    encode_pairs(items)
}

fn encode_smart_router(w: crate::smart_router::SmartRouterWebhook) -> String {
    encode_pairs([
        w.event_id.as_str(),
        if w.event_type.is_some() { "1" } else { "0" },
        w.event_type.as_deref().unwrap_or_default(),
    ])
}

#[wasm_bindgen]
pub fn smart_router_parse_str(body: &str) -> Result<String, JsValue> {
    crate::smart_router::parse_webhook(body.as_bytes())
        .map(encode_smart_router)
        .map_err(throw)
}

#[wasm_bindgen]
pub fn smart_router_parse_bytes(body: &[u8]) -> Result<String, JsValue> {
    crate::smart_router::parse_webhook(body)
        .map(encode_smart_router)
        .map_err(throw)
}

#[wasm_bindgen]
pub fn check_basic_auth(
    authorization: Option<String>,
    username: &str,
    password: &str,
) -> Result<bool, JsValue> {
    crate::smart_router::check_basic_auth(authorization.as_deref(), username, password)
        .map_err(throw)
}

#[wasm_bindgen]
pub fn build_basic_auth_webhook_url(
    url: &str,
    username: &str,
    password: &str,
) -> Result<String, JsValue> {
    crate::smart_router::build_basic_auth_webhook_url(url, username, password).map_err(throw)
}

#[wasm_bindgen]
pub fn smart_router_event_request(
    event_id: &str,
    project_id: &str,
    private_key: &str,
    api_base: Option<String>,
) -> Result<String, JsValue> {
    crate::smart_router::build_event_request(event_id, project_id, private_key, api_base.as_deref())
        .map(|r| encode_get(&r))
        .map_err(throw)
}

/// `[name, value, …]` for the fields present; numbers in decimal.
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

#[wasm_bindgen]
pub fn payex_parse_str(body: &str) -> Result<String, JsValue> {
    crate::payex::parse_callback(body.as_bytes())
        .map(encode_payex)
        .map_err(throw)
}

#[wasm_bindgen]
pub fn payex_parse_bytes(body: &[u8]) -> Result<String, JsValue> {
    crate::payex::parse_callback(body)
        .map(encode_payex)
        .map_err(throw)
}

#[wasm_bindgen]
pub fn payex_fetch_request(
    path: &str,
    token: &str,
    api_base: Option<String>,
) -> Result<String, JsValue> {
    crate::payex::build_fetch_request(path, token, api_base.as_deref())
        .map(|r| encode_get(&r))
        .map_err(throw)
}
