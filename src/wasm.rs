//! The JavaScript boundary: the only module that knows about wasm-bindgen.
//!
//! It converts and delegates. Results that hold several strings are returned as
//! one string of length-prefixed items (`<utf16 length>:<item>` repeated), which
//! the hand-written `pkg/core.js` splits: one crossing and one UTF-8 decode per
//! call instead of one per field. Errors are thrown as one string
//! `CODE \x1f field \x1f message`, which `pkg/core.js` turns into `PayhookError`.

use crate::error::Error;
use crate::hitpay::{self, PaymentRequestParams};
use wasm_bindgen::prelude::*;

fn throw(e: Error) -> JsValue {
    let mut s = String::from(e.code().as_str());
    s.push('\u{1f}');
    s.push_str(e.field_name().unwrap_or_default());
    s.push('\u{1f}');
    s.push_str(e.message());
    JsValue::from_str(&s)
}

fn push_item(out: &mut String, item: &str) {
    let units = if item.is_ascii() {
        item.len()
    } else {
        item.encode_utf16().count()
    };
    out.push_str(&units.to_string());
    out.push(':');
    out.push_str(item);
}

fn encode_pairs<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for item in items {
        push_item(&mut out, item);
    }
    out
}

fn encode_fields(fields: &[(String, String)]) -> String {
    encode_pairs(fields.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]))
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
    hitpay::verify_webhook(body.as_bytes(), salt.as_bytes())
        .map(|w| encode_fields(&w.fields))
        .map_err(throw)
}

#[wasm_bindgen]
pub fn hitpay_verify_webhook_bytes(body: &[u8], salt: &str) -> Result<String, JsValue> {
    hitpay::verify_webhook(body, salt.as_bytes())
        .map(|w| encode_fields(&w.fields))
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

    pub fn verify_str(&self, body: &str) -> Result<String, JsValue> {
        hitpay::verify_webhook_with(body.as_bytes(), &self.0)
            .map(|w| encode_fields(&w.fields))
            .map_err(throw)
    }

    pub fn verify_bytes(&self, body: &[u8]) -> Result<String, JsValue> {
        hitpay::verify_webhook_with(body, &self.0)
            .map(|w| encode_fields(&w.fields))
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
