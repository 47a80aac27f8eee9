//! HitPay: form webhooks (`hmac` field), JSON event webhooks (`Hitpay-Signature`),
//! the payment-request API, and the redirect query.
use crate::prelude::*;

use crate::error::{self, Code, Error, Result};
use crate::form::{self, FormError};
use crate::http::HttpRequest;
use crate::json;
use crate::limits;
use crate::signature::{self, Key};
use crate::sort;
use crate::url;
use hmac::Mac;

pub mod shape;

/// A verified form webhook: every decoded field except `hmac`, in the order received.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct HitpayWebhook {
    pub fields: Vec<(String, String)>,
}

impl HitpayWebhook {
    /// The value of a field, if it was sent.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A salt checked to be non-empty, with its HMAC key state computed once.
/// Reuse one for many webhooks to skip re-keying.
#[derive(Clone, Debug)]
pub struct Salt(Key);

impl Salt {
    pub fn new(salt: &[u8]) -> Result<Salt> {
        if salt.is_empty() {
            return Err(Salt::empty());
        }
        Ok(Salt(Key::new(salt)))
    }

    fn empty() -> Error {
        Error::new(
            Code::InvalidSecret,
            "the salt is empty; pass the salt from your HitPay dashboard",
        )
    }
}

fn body_error(e: FormError) -> Error {
    let mut message = String::from("the webhook body is not a valid form: ");
    message.push_str(e.describe());
    Error::new(Code::MalformedBody, message)
}

/// How [`verify_webhook_options`] checks a form webhook beyond its signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Also require the fields to be those of a HitPay payment webhook, well
    /// formed (`payment_id` and `payment_request_id` UUIDs, `amount` a decimal,
    /// `currency` three letters, `status` one of [`shape::STATUSES`], no field
    /// outside [`shape::KNOWN_FIELDS`]), else `INVALID_FIELD`. The signed message
    /// has no separators, so one genuine body can be re-split into another with
    /// the same `hmac`; strict mode refuses the re-split ones (see the README).
    pub strict: bool,
}

impl VerifyOptions {
    /// Strict mode on.
    pub const STRICT: VerifyOptions = VerifyOptions { strict: true };
}

/// Verifies a form-encoded HitPay webhook body against the salt.
///
/// A field HitPay signed as null (its key with an empty value) but left out of
/// the body (one of [`shape::NULLABLE_FIELDS`]) is accepted and stays absent.
pub fn verify_webhook(body: &[u8], salt: &[u8]) -> Result<HitpayWebhook> {
    verify_webhook_options(body, salt, VerifyOptions::default())
}

/// [`verify_webhook`] in strict mode ([`VerifyOptions::strict`]): for the
/// `webhook` of a payment request.
pub fn verify_webhook_strict(body: &[u8], salt: &[u8]) -> Result<HitpayWebhook> {
    verify_webhook_options(body, salt, VerifyOptions::STRICT)
}

/// [`verify_webhook`] with options.
pub fn verify_webhook_options(
    body: &[u8],
    salt: &[u8],
    options: VerifyOptions,
) -> Result<HitpayWebhook> {
    verify_webhook_fields_options(body, salt, options).map(owned)
}

/// [`verify_webhook`] with a prepared salt.
pub fn verify_webhook_with(body: &[u8], salt: &Salt) -> Result<HitpayWebhook> {
    verify_webhook_with_options(body, salt, VerifyOptions::default())
}

/// [`verify_webhook_options`] with a prepared salt.
pub fn verify_webhook_with_options(
    body: &[u8],
    salt: &Salt,
    options: VerifyOptions,
) -> Result<HitpayWebhook> {
    verify_webhook_fields_with_options(body, salt, options).map(owned)
}

fn owned(fields: Vec<form::Pair<'_>>) -> HitpayWebhook {
    HitpayWebhook {
        fields: fields
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
    }
}

/// [`verify_webhook`], returning the fields (except `hmac`, in the order
/// received) borrowed from `body` where nothing needed decoding.
pub fn verify_webhook_fields<'a>(body: &'a [u8], salt: &[u8]) -> Result<Vec<form::Pair<'a>>> {
    verify_webhook_fields_options(body, salt, VerifyOptions::default())
}

/// [`verify_webhook_fields`] with options.
pub fn verify_webhook_fields_options<'a>(
    body: &'a [u8],
    salt: &[u8],
    options: VerifyOptions,
) -> Result<Vec<form::Pair<'a>>> {
    verify_webhook_report(body, salt, options).map(|v| v.fields)
}

/// [`verify_webhook_fields`] with a prepared salt.
pub fn verify_webhook_fields_with<'a>(body: &'a [u8], salt: &Salt) -> Result<Vec<form::Pair<'a>>> {
    verify_webhook_fields_with_options(body, salt, VerifyOptions::default())
}

/// [`verify_webhook_fields_options`] with a prepared salt.
pub fn verify_webhook_fields_with_options<'a>(
    body: &'a [u8],
    salt: &Salt,
    options: VerifyOptions,
) -> Result<Vec<form::Pair<'a>>> {
    if body.len() > limits::FORM_BODY {
        return Err(Error::too_large("the webhook body", limits::FORM_BODY));
    }
    verify_webhook_inner(body, || salt.0.start(), options).map(|v| v.fields)
}

/// A verified body, and how it verified.
pub(crate) struct Verified<'a> {
    pub fields: Vec<form::Pair<'a>>,
    /// The absent fields the signature covered as empty (HitPay's null fields):
    /// bit `i` is [`shape::NULLABLE_FIELDS`]`[i]`.
    pub omitted_nulls: u8,
}

/// [`verify_webhook_fields_options`], saying which null fields were left out.
pub(crate) fn verify_webhook_report<'a>(
    body: &'a [u8],
    salt: &[u8],
    options: VerifyOptions,
) -> Result<Verified<'a>> {
    if body.len() > limits::FORM_BODY {
        return Err(Error::too_large("the webhook body", limits::FORM_BODY));
    }
    if salt.is_empty() {
        return Err(Salt::empty());
    }
    // The salt is keyed only once the body has a well-formed signature to check.
    verify_webhook_inner(body, || Key::new(salt).start(), options)
}

fn verify_webhook_inner(
    body: &[u8],
    keyed: impl FnOnce() -> signature::HmacSha256,
    options: VerifyOptions,
) -> Result<Verified<'_>> {
    let mut pairs = form::decode(body).map_err(body_error)?;
    let mut sorted: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    sort::by_key_bytes(&mut sorted);
    if let Some(dup) = sort::first_adjacent_duplicate(sorted.iter().map(|p| p.0)) {
        return Err(Error::duplicate(dup));
    }
    let hmac_value = sorted
        .iter()
        .find(|(k, _)| *k == "hmac")
        .map(|(_, v)| *v)
        .unwrap_or_default();
    let received = parse_hex_signature(hmac_value.as_bytes(), "hmac")?;

    let key = keyed();
    let omitted_nulls = match_null_variants(&key, &sorted, &received).ok_or_else(mismatch)?;
    drop(sorted);
    if options.strict {
        // The first offending field in the order received.
        shape::check_strict(
            pairs
                .iter()
                .map(|(k, v)| (k.as_ref(), v.as_ref()))
                .filter(|(k, _)| *k != "hmac"),
        )?;
    }
    // Duplicates were refused above: there is exactly one `hmac`.
    if let Some(at) = pairs.iter().position(|(k, _)| k == "hmac") {
        pairs.remove(at);
    }
    Ok(Verified {
        fields: pairs,
        omitted_nulls,
    })
}

/// Which variant of the fields the received MAC covers: `Some(0)` for the fields
/// as received, `Some(mask)` when it covers them with the absent nullable fields
/// of `mask` added as empty (bit `i` is [`shape::NULLABLE_FIELDS`]`[i]`), `None`
/// for none. At most `2^NULLABLE_FIELDS.len()` MACs, each compared in constant
/// time; the first that matches wins.
fn match_null_variants(
    key: &signature::HmacSha256,
    sorted: &[(&str, &str)],
    received: &[u8; 32],
) -> Option<u8> {
    let mut absent = 0u8;
    for (i, name) in shape::NULLABLE_FIELDS.iter().enumerate() {
        if sorted
            .binary_search_by(|(k, _)| k.as_bytes().cmp(name.as_bytes()))
            .is_err()
        {
            absent |= 1 << i;
        }
    }
    let all: u8 = (1 << shape::NULLABLE_FIELDS.len()) - 1;
    (0..=all)
        .filter(|mask| mask & !absent == 0)
        .find(|&mask| signature::verify(mac_with_nulls(key.clone(), sorted, mask), received))
}

/// The MAC of the sorted fields (except `hmac`) with the nullable fields of
/// `mask` merged in, in byte order, as `key + ""`.
fn mac_with_nulls(
    mut mac: signature::HmacSha256,
    sorted: &[(&str, &str)],
    mask: u8,
) -> signature::HmacSha256 {
    let mut nulls = shape::NULLABLE_FIELDS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, name)| *name)
        .peekable();
    for (k, v) in sorted {
        while let Some(null) = nulls.next_if(|n| n.as_bytes() < k.as_bytes()) {
            mac.update(null.as_bytes());
        }
        if *k != "hmac" {
            mac.update(k.as_bytes());
            mac.update(v.as_bytes());
        }
    }
    for null in nulls {
        mac.update(null.as_bytes());
    }
    mac
}

fn mismatch() -> Error {
    Error::new(
        Code::SignatureMismatch,
        "the signature does not match the body and salt: check that the salt is the one for this account and that the body is passed exactly as received",
    )
}

/// An empty or absent signature is `MISSING_SIGNATURE`; anything but 64 hex digits
/// is `MALFORMED_SIGNATURE`.
fn parse_hex_signature(sig: &[u8], what: &str) -> Result<[u8; 32]> {
    if sig.is_empty() {
        let message = error::concat(&["no `", what, "` signature was sent"]);
        return Err(Error::field(Code::MissingSignature, what, message));
    }
    signature::hex_decode_32(sig).ok_or_else(|| {
        let message = error::concat(&["the `", what, "` signature must be 64 hexadecimal digits"]);
        Error::field(Code::MalformedSignature, what, message)
    })
}

/// The lowercase hex HMAC of `fields` by the webhook rule (`hmac` left out).
/// Keys must be unique (they come from an object).
pub fn sign_webhook<'a, I>(fields: I, salt: &[u8]) -> Result<String>
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let salt = Salt::new(salt)?;
    let mut pairs: Vec<(&str, &str)> = fields.into_iter().filter(|(k, _)| *k != "hmac").collect();
    sort::by_key_bytes(&mut pairs);
    if let Some(dup) = sort::first_adjacent_duplicate(pairs.iter().map(|p| p.0)) {
        return Err(Error::duplicate(dup));
    }
    let mut mac = salt.0.start();
    for (k, v) in pairs {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    Ok(signature::hex_encode(&mac.finalize().into_bytes()))
}

/// Verifies a HitPay event webhook: HMAC-SHA256 of the raw body, hex, in the
/// `Hitpay-Signature` header. The body must then be one JSON object.
///
/// The header may carry surrounding white space and a `sha256=` prefix (any
/// case), as some senders and proxies write it.
pub fn verify_event(body: &[u8], signature: &[u8], salt: &[u8]) -> Result<()> {
    if body.len() > limits::EVENT_BODY {
        return Err(Error::too_large("the event body", limits::EVENT_BODY));
    }
    let salt = Salt::new(salt)?;
    let received = parse_hex_signature(event_signature_hex(signature), "Hitpay-Signature")?;
    let mut mac = salt.0.start();
    mac.update(body);
    if !signature::verify(mac, &received) {
        return Err(mismatch());
    }
    json::parse_object_body(body, "the event body").map(|_| ())
}

/// The hex digits of a `Hitpay-Signature` header: white space around it and a
/// `sha256=` prefix (any case) removed.
fn event_signature_hex(header: &[u8]) -> &[u8] {
    let trimmed = header.trim_ascii();
    match trimmed.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case(b"sha256=") => {
            trimmed.get(7..).unwrap_or_default()
        }
        _ => trimmed,
    }
}

/// The query HitPay appends to `redirect_url`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct HitpayRedirect {
    pub reference: String,
    pub status: String,
}

/// Reads `reference` and `status` from the URL HitPay redirected the buyer to
/// (absolute, or a path starting with `/`).
pub fn parse_redirect(input: &str) -> Result<HitpayRedirect> {
    let (_, pairs) = url::received_query(input)?;
    let mut reference = None;
    let mut status = None;
    for (k, v) in pairs {
        let slot = match k.as_ref() {
            "reference" => &mut reference,
            "status" => &mut status,
            _ => continue,
        };
        if slot.is_some() {
            return Err(Error::duplicate(&k));
        }
        if v.is_empty() {
            return Err(Error::invalid(&k, "is empty"));
        }
        *slot = Some(v.into_owned());
    }
    Ok(HitpayRedirect {
        reference: reference.ok_or_else(|| Error::missing("reference"))?,
        status: status.ok_or_else(|| Error::missing("status"))?,
    })
}

/// Parameters of a payment request, with the contract's (camelCase) names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentRequestParams {
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub payment_methods: Option<Vec<String>>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub purpose: Option<String>,
    pub reference_number: Option<String>,
    pub redirect_url: Option<String>,
    pub webhook: Option<String>,
    pub allow_repeated_payments: Option<bool>,
    pub expiry_date: Option<String>,
    pub generate_qr: Option<bool>,
}

pub const API_LIVE: &str = "https://api.hit-pay.com/v1/payment-requests";
pub const API_SANDBOX: &str = "https://api.sandbox.hit-pay.com/v1/payment-requests";

/// Validates the parameters and builds the `POST /v1/payment-requests` request.
pub fn build_payment_request(
    params: &PaymentRequestParams,
    api_key: &str,
    sandbox: bool,
) -> Result<HttpRequest> {
    if api_key.is_empty() {
        return Err(Error::new(
            Code::InvalidSecret,
            "the API key is empty; pass the key from your HitPay dashboard",
        ));
    }
    if crate::http::has_control_char(api_key) {
        return Err(Error::new(
            Code::InvalidSecret,
            "the API key contains control characters (a stray newline?); it cannot be sent in a header",
        ));
    }
    let amount = params
        .amount
        .as_deref()
        .ok_or_else(|| Error::missing("amount"))?;
    let currency = params
        .currency
        .as_deref()
        .ok_or_else(|| Error::missing("currency"))?;
    check_amount(amount)?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::field(
            Code::InvalidCurrency,
            "currency",
            "field `currency` must be a 3-letter ISO 4217 code such as SGD",
        ));
    }
    let mut body = String::new();
    let mut add = |key: &str, value: &str| {
        if !body.is_empty() {
            body.push('&');
        }
        form::encode_into(&mut body, key);
        body.push('=');
        form::encode_into(&mut body, value);
    };
    add("amount", amount);
    add("currency", currency);
    if let Some(methods) = &params.payment_methods {
        if methods.is_empty() {
            return Err(Error::invalid(
                "paymentMethods",
                "is an empty list; name at least one method or leave it out",
            ));
        }
        for m in methods {
            if m.is_empty()
                || !m
                    .bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
            {
                return Err(Error::invalid(
                    "paymentMethods",
                    "entries must be method names made of a-z, 0-9 and _ (such as paynow_online)",
                ));
            }
            add("payment_methods[]", m);
        }
    }
    if let Some(email) = &params.email {
        check_email(email)?;
        add("email", email);
    }
    for (name, wire, value) in [
        ("name", "name", &params.name),
        ("phone", "phone", &params.phone),
        ("purpose", "purpose", &params.purpose),
        (
            "referenceNumber",
            "reference_number",
            &params.reference_number,
        ),
    ] {
        if let Some(v) = value {
            if url::char_count(v) > 255 {
                return Err(Error::invalid(name, "is longer than 255 characters"));
            }
            add(wire, v);
        }
    }
    for (name, wire, value) in [
        ("redirectUrl", "redirect_url", &params.redirect_url),
        ("webhook", "webhook", &params.webhook),
    ] {
        if let Some(v) = value {
            url::check_https(v, 1028).map_err(|why| {
                let why =
                    error::concat(&[why, " (an absolute https: URL of at most 1028 characters)"]);
                Error::invalid(name, &why)
            })?;
            add(wire, v);
        }
    }
    if let Some(b) = params.allow_repeated_payments {
        add("allow_repeated_payments", if b { "true" } else { "false" });
    }
    if let Some(d) = &params.expiry_date {
        if !is_datetime(d) {
            return Err(Error::invalid(
                "expiryDate",
                "must be a real date and time written YYYY-MM-DD HH:MM:SS",
            ));
        }
        add("expiry_date", d);
    }
    if let Some(b) = params.generate_qr {
        add("generate_qr", if b { "true" } else { "false" });
    }
    Ok(HttpRequest {
        method: "POST",
        url: if sandbox { API_SANDBOX } else { API_LIVE }.to_owned(),
        headers: vec![
            ("X-BUSINESS-API-KEY", api_key.to_owned()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_owned(),
            ),
            ("X-Requested-With", "XMLHttpRequest".to_owned()),
        ],
        body: Some(body),
    })
}

/// Digits with at most 2 decimals, no sign, no exponent, no leading zeros,
/// from 0.30 to 999999999.99.
fn check_amount(amount: &str) -> Result<()> {
    let bad = || {
        Error::field(
            Code::InvalidAmount,
            "amount",
            "field `amount` must be a decimal string such as \"25.00\" (at most 2 decimals, no sign or leading zeros) from 0.30 to 999999999.99",
        )
    };
    let (int, frac) = match url::split_once_byte(amount, b'.') {
        Some((i, f)) => (i, Some(f)),
        None => (amount, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || int.len() > 9 || (int.len() > 1 && int.starts_with('0')) {
        return Err(bad());
    }
    let frac = match frac {
        Some(f) if digits(f) && f.len() <= 2 => f,
        Some(_) => return Err(bad()),
        None => "",
    };
    // `int` is at most 9 digits and `frac` at most 2: no overflow.
    let whole = error::parse_decimal(int).ok_or_else(bad)?;
    let cents_part = match frac.len() {
        0 => 0,
        1 => error::parse_decimal(frac).ok_or_else(bad)? * 10,
        _ => error::parse_decimal(frac).ok_or_else(bad)?,
    };
    let cents = whole * 100 + cents_part;
    if !(30..=99_999_999_999).contains(&cents) {
        return Err(bad());
    }
    Ok(())
}

fn check_email(email: &str) -> Result<()> {
    let bad = || {
        Error::invalid(
            "email",
            "must be an e-mail address such as buyer@example.com",
        )
    };
    if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let has = |s: &str, b: u8| s.bytes().any(|c| c == b);
    match url::split_once_byte(email, b'@') {
        Some((local, domain))
            if !local.is_empty()
                && !has(domain, b'@')
                && has(domain, b'.')
                && !domain.starts_with('.')
                && !domain.ends_with('.') =>
        {
            Ok(())
        }
        _ => Err(bad()),
    }
}

/// `YYYY-MM-DD HH:MM:SS`, a real calendar date and time.
fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 19 {
        return false;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        let part = s.get(from..to)?;
        error::parse_decimal(part).and_then(|n| u32::try_from(n).ok())
    };
    let seps = [(4, b'-'), (7, b'-'), (10, b' '), (13, b':'), (16, b':')];
    if !seps.iter().all(|&(i, c)| b.get(i) == Some(&c)) {
        return false;
    }
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(se)) = (
        num(0, 4),
        num(5, 7),
        num(8, 10),
        num(11, 13),
        num(14, 16),
        num(17, 19),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1 && (1..=days).contains(&d) && h < 24 && mi < 60 && se < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        for ok in ["0.30", "1", "25.00", "2500.5", "999999999.99", "10"] {
            assert!(check_amount(ok).is_ok(), "{ok}");
        }
        for bad in [
            "0.29",
            "0",
            "00.50",
            "01",
            "-1",
            "+1",
            "1e3",
            "1.",
            ".5",
            "1.234",
            "1000000000",
            "1,00",
            " 1",
            "",
            "0.3.0",
            "NaN",
        ] {
            assert_eq!(
                check_amount(bad).unwrap_err().code(),
                Code::InvalidAmount,
                "{bad}"
            );
        }
    }

    #[test]
    fn datetimes() {
        assert!(is_datetime("2024-02-29 23:59:59"));
        assert!(is_datetime("2000-02-29 00:00:00"));
        for bad in [
            "2023-02-29 10:00:00",
            "1900-02-29 10:00:00",
            "2024-04-31 10:00:00",
            "2024-13-01 10:00:00",
            "2024-01-01 24:00:00",
            "2024-01-01 10:60:00",
            "2024-01-01T10:00:00",
            "2024-1-01 10:00:00",
            "2024-01-01 10:00:0",
            "+024-01-01 10:00:00",
        ] {
            assert!(!is_datetime(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(check_email("a@b.co").is_ok());
        for bad in [
            "a@b", "@b.co", "a b@c.co", "a@@b.co", "a@b@c.co", "a@.co", "a@b.co.", "ab.co",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
