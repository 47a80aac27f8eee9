//! What a HitPay payment webhook looks like: the fields HitPay sends, which of
//! them it may leave out (null values), and the strict check of their shapes.
//!
//! Sources (see tests/fixtures/real/hitpay/manifest.json): the field table of
//! HitPay's webhook guide (docs.hitpayapp.com, "Webhooks": `payment_id`,
//! `payment_request_id`, `phone`, `amount`, `currency`, `status`,
//! `reference_number`, `hmac`), the receivers in HitPay's own WooCommerce and
//! Magento plugins and Odoo module (the statuses they handle), and the
//! create-payment-request API (`reference_number` and `phone` are optional there,
//! so null in the webhook when the request had none).
use super::is_uuid;
use crate::error::{Error, Result};

/// Every field of a HitPay payment webhook except `hmac`, sorted by UTF-8 bytes.
pub const KNOWN_FIELDS: &[&str] = &[
    "amount",
    "currency",
    "payment_id",
    "payment_request_id",
    "phone",
    "reference_number",
    "status",
];

/// The fields HitPay signs as `key + ""` when they are null but then leaves out
/// of the body (PHP's `http_build_query` drops nulls), sorted by UTF-8 bytes:
/// the optional parameters of the payment request that the webhook echoes.
/// A verification retries with the absent ones of these added as empty: at most
/// `2^len - 1` extra MACs.
pub const NULLABLE_FIELDS: &[&str] = &["phone", "reference_number"];

/// The fields every payment webhook has (never null for a payment).
const REQUIRED_FIELDS: &[&str] = &[
    "amount",
    "currency",
    "payment_id",
    "payment_request_id",
    "status",
];

/// The statuses a payment webhook carries: `completed` and `failed` (HitPay's
/// webhook guide), `pending` (handled by HitPay's WooCommerce and Odoo
/// receivers), `canceled` (Odoo's receiver).
pub const STATUSES: &[&str] = &["completed", "failed", "pending", "canceled"];

/// Checks, after the signature, that the fields are shaped like a HitPay payment
/// webhook (see the README's "Strict mode"). Every refusal is `INVALID_FIELD`
/// with the field's key: the body is genuine but not one HitPay sends.
pub fn check_strict<'a>(
    fields: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
) -> Result<()> {
    for (key, value) in fields.clone() {
        let why = match key {
            "payment_id" | "payment_request_id" if !is_uuid(value) => {
                "must be a UUID (8-4-4-4-12 hexadecimal digits) in a HitPay payment webhook"
            }
            "amount" if !is_decimal(value) => {
                "must be a decimal such as 25.00 in a HitPay payment webhook"
            }
            "currency" if !(value.len() == 3 && value.bytes().all(|b| b.is_ascii_alphabetic())) => {
                "must be a 3-letter currency code in a HitPay payment webhook"
            }
            "status" if !STATUSES.contains(&value) => {
                "must be one of completed, failed, pending, canceled in a HitPay payment webhook"
            }
            // Field names are letters and `_`: a phone number without them cannot
            // have swallowed the next field (`reference_number…`).
            "phone" if value.bytes().any(|b| b.is_ascii_alphabetic() || b == b'_') => {
                "must be a phone number (no letters) in a HitPay payment webhook"
            }
            k if !KNOWN_FIELDS.contains(&k) => {
                "is not a field of a HitPay payment webhook (strict mode accepts only payment_id, payment_request_id, reference_number, phone, amount, currency, status and hmac)"
            }
            _ => continue,
        };
        return Err(Error::invalid(key, why));
    }
    for required in REQUIRED_FIELDS {
        if !fields.clone().into_iter().any(|(k, _)| k == *required) {
            return Err(Error::invalid(
                required,
                "is missing, and every HitPay payment webhook has it (strict mode)",
            ));
        }
    }
    Ok(())
}

/// Digits, optionally `.` and digits.
fn is_decimal(s: &str) -> bool {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match crate::url::split_once_byte(s, b'.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(s),
    }
}
