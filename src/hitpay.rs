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
    /// `"5 minutes"`, `"6 mins"`, `"2 hours"`, `"7 days"`: see [`build_payment_request`].
    pub expires_after: Option<String>,
    pub add_admin_fee: Option<bool>,
    pub send_email: Option<bool>,
    pub send_sms: Option<bool>,
    /// Required when `payment_methods` has `wifi_card_reader`.
    pub wifi_terminal_id: Option<String>,
    /// A UUID.
    pub staff_id: Option<String>,
    /// A UUID (sent as `location_id`).
    pub location_id: Option<String>,
    /// Such as `api_woocomm`, what HitPay's WooCommerce plugin sends.
    pub channel: Option<String>,
    pub address: Option<PaymentRequestAddress>,
}

/// The buyer's address of a payment request (`address[…]` on the wire).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentRequestAddress {
    /// Required when an address is given.
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    /// Two letters (ISO 3166-1 alpha-2, such as `SG`), sent as given.
    pub country: Option<String>,
}

pub const API_LIVE: &str = "https://api.hit-pay.com/v1/payment-requests";
pub const API_SANDBOX: &str = "https://api.sandbox.hit-pay.com/v1/payment-requests";

fn check_api_key(api_key: &str) -> Result<()> {
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
    Ok(())
}

/// Validates the parameters and builds the `POST /v1/payment-requests` request.
///
/// Rules beyond each field's own: `redirect_url` and `webhook` are absolute
/// `https:` URLs of at most 1028 characters (`http:` only for a loopback host, else
/// `INSECURE_URL`); `expires_after` is a whole number from 1 to 999999, one space,
/// and `min`, `mins`, `minute`, `minutes`, `hour`, `hours`, `day` or `days`, and
/// cannot be combined with `expiry_date`; `wifi_card_reader` in `payment_methods`
/// needs `wifi_terminal_id`; `staff_id` and `location_id` are UUIDs; `channel` is
/// 1 to 64 of `a-z 0-9 _`.
pub fn build_payment_request(
    params: &PaymentRequestParams,
    api_key: &str,
    sandbox: bool,
) -> Result<HttpRequest> {
    check_api_key(api_key)?;
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
    let mut add = |key: &str, value: &str| add_pair(&mut body, key, value);
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
            check_callback_url(v, name)?;
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
    if let Some(v) = &params.expires_after {
        if !is_duration(v) {
            return Err(Error::invalid(
                "expiresAfter",
                "must be a whole number from 1 to 999999, one space and a unit: min, mins, minute, minutes, hour, hours, day or days (such as \"5 minutes\")",
            ));
        }
        if params.expiry_date.is_some() {
            return Err(Error::invalid(
                "expiresAfter",
                "cannot be sent with `expiryDate`: give one of the two",
            ));
        }
        add("expires_after", v);
    }
    for (wire, value) in [
        ("add_admin_fee", params.add_admin_fee),
        ("send_email", params.send_email),
        ("send_sms", params.send_sms),
    ] {
        if let Some(b) = value {
            add(wire, if b { "true" } else { "false" });
        }
    }
    let card_reader = params
        .payment_methods
        .iter()
        .flatten()
        .any(|m| m == "wifi_card_reader");
    match &params.wifi_terminal_id {
        Some(t) => {
            let ok = !t.is_empty()
                && t.len() <= 255
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !ok {
                return Err(Error::invalid(
                    "wifiTerminalId",
                    "must be 1 to 255 letters, digits, `_` or `-` (the terminal id from your dashboard)",
                ));
            }
            add("wifi_terminal_id", t);
        }
        None if card_reader => {
            return Err(Error::field(
                Code::MissingField,
                "wifiTerminalId",
                "`paymentMethods` has wifi_card_reader, which needs `wifiTerminalId` (the terminal to charge on)",
            ))
        }
        None => {}
    }
    for (name, wire, value) in [
        ("staffId", "staff_id", &params.staff_id),
        ("locationId", "location_id", &params.location_id),
    ] {
        if let Some(v) = value {
            if !is_uuid(v) {
                return Err(Error::invalid(
                    name,
                    "must be a UUID such as 98888a24-d6b2-430d-9063-d2be76d443cd",
                ));
            }
            add(wire, v);
        }
    }
    if let Some(c) = &params.channel {
        let ok = !c.is_empty()
            && c.len() <= 64
            && c.bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'));
        if !ok {
            return Err(Error::invalid(
                "channel",
                "must be 1 to 64 of a-z, 0-9 and _ (such as api_woocomm)",
            ));
        }
        add("channel", c);
    }
    if let Some(a) = &params.address {
        let line1 = a
            .line1
            .as_deref()
            .ok_or_else(|| Error::missing("address.line1"))?;
        if line1.is_empty() {
            return Err(Error::invalid("address.line1", "is empty"));
        }
        for (name, wire, value) in [
            ("address.line1", "address[line1]", Some(line1)),
            ("address.line2", "address[line2]", a.line2.as_deref()),
            ("address.city", "address[city]", a.city.as_deref()),
            ("address.state", "address[state]", a.state.as_deref()),
            (
                "address.postalCode",
                "address[postal_code]",
                a.postal_code.as_deref(),
            ),
        ] {
            if let Some(v) = value {
                if url::char_count(v) > 255 {
                    return Err(Error::invalid(name, "is longer than 255 characters"));
                }
                add(wire, v);
            }
        }
        if let Some(c) = &a.country {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(Error::invalid(
                    "address.country",
                    "must be a 2-letter ISO 3166-1 country code such as SG",
                ));
            }
            add("address[country]", c);
        }
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

/// Appends `key=value` to a form body (one out-of-line copy: it is called for
/// every parameter).
#[inline(never)]
fn add_pair(body: &mut String, key: &str, value: &str) {
    if !body.is_empty() {
        body.push('&');
    }
    form::encode_into(body, key);
    body.push('=');
    form::encode_into(body, value);
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

/// `redirect_url` or `webhook`: an absolute `https:` URL of at most 1028 characters
/// without userinfo (`INVALID_FIELD`); `http:` only for a loopback host (else
/// `INSECURE_URL`), as everywhere else.
fn check_callback_url(v: &str, name: &str) -> Result<()> {
    const RULE: &str = " (an absolute https: URL of at most 1028 characters)";
    if v.len() > 1028 {
        return Err(Error::invalid(name, &error::concat(&["is too long", RULE])));
    }
    let parts = url::split(v, false).map_err(|_| {
        Error::invalid(
            name,
            &error::concat(&["must be an absolute https: URL", RULE]),
        )
    })?;
    if parts.userinfo.is_some() {
        return Err(Error::invalid(
            name,
            &error::concat(&["must not contain a user name or password", RULE]),
        ));
    }
    if url::is_insecure(&parts) {
        return Err(Error::field(
            Code::InsecureUrl,
            name,
            error::about_field(
                "`",
                name,
                "` uses http:, which is only allowed for localhost, 127.0.0.1 and [::1]; use https:",
            ),
        ));
    }
    Ok(())
}

/// `<n> <unit>`: `n` from 1 to 999999 without leading zeros, one space, a unit
/// HitPay reads (`"5 minutes"`, `"6 mins"`, `"2 hours"`, `"7 days"`).
fn is_duration(s: &str) -> bool {
    let Some((n, unit)) = url::split_once_byte(s, b' ') else {
        return false;
    };
    let number_ok = !n.is_empty()
        && n.len() <= 6
        && !n.starts_with('0')
        && n.bytes().all(|b| b.is_ascii_digit());
    number_ok
        && matches!(
            unit,
            "min" | "mins" | "minute" | "minutes" | "hour" | "hours" | "day" | "days"
        )
}

/// 8-4-4-4-12 hexadecimal digits, either case.
fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The answer of `POST /v1/payment-requests` (and of `GET /v1/payment-requests/{id}`),
/// validated. Strings are as HitPay sent them (`currency` is lower case there).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PaymentRequestResponse {
    /// The payment request's id, a UUID: the `payment_request_id` of its webhooks.
    pub id: String,
    /// The checkout URL to send the buyer to: `https:` on a HitPay host. Absent only
    /// in an answer that has `qr_code` (the embedded QR flow).
    pub url: Option<String>,
    pub status: String,
    /// A decimal string, as sent (a JSON number's literal text when sent as one).
    pub amount: String,
    pub currency: String,
    pub reference_number: Option<String>,
    /// The QR payload to render (`qr_code_data`, a string or `{ qr_code }`).
    pub qr_code: Option<String>,
}

/// Whether `host` is HitPay's: `hit-pay.com` or a name under it (any case), such as
/// `securecheckout.hit-pay.com` and `securecheckout.sandbox.hit-pay.com`.
pub fn is_hitpay_host(host: &str) -> bool {
    const DOMAIN: &[u8] = b"hit-pay.com";
    let h = host.as_bytes();
    if h.eq_ignore_ascii_case(DOMAIN) {
        return true;
    }
    let Some(at) = h.len().checked_sub(DOMAIN.len() + 1) else {
        return false;
    };
    let (label, tail) = h.split_at(at);
    // Every label non-empty: no `.hit-pay.com`, `a..hit-pay.com`.
    tail.first() == Some(&b'.')
        && tail
            .get(1..)
            .is_some_and(|d| d.eq_ignore_ascii_case(DOMAIN))
        && !label.is_empty()
        && label.first() != Some(&b'.')
        && label.last() != Some(&b'.')
        && !label.windows(2).any(|w| w == b"..")
}

/// The checkout `url`: `https:` on a HitPay host (`INSECURE_URL` for `http:` there),
/// no userinfo or port, at most 2048 characters (`INVALID_FIELD`).
fn check_checkout_url(v: &str) -> Result<()> {
    const RULE: &str =
        "must be an https: URL on a HitPay host (hit-pay.com or a name under it, such as securecheckout.hit-pay.com)";
    if v.len() > limits::URL_OUTPUT {
        return Err(Error::invalid("url", "is longer than 2048 characters"));
    }
    let parts = url::split(v, false).map_err(|_| Error::invalid("url", RULE))?;
    let on_hitpay =
        parts.host.is_some_and(is_hitpay_host) && parts.userinfo.is_none() && parts.port.is_none();
    if !on_hitpay {
        return Err(Error::invalid("url", RULE));
    }
    if !parts
        .scheme
        .is_some_and(|s| s.eq_ignore_ascii_case("https"))
    {
        return Err(Error::field(
            Code::InsecureUrl,
            "url",
            "field `url` uses http:; HitPay's checkout is https: only, so this answer did not come from HitPay as sent",
        ));
    }
    Ok(())
}

/// Reads the JSON answer of the create call (also the status call's, the same shape).
///
/// Required: `id` (a UUID), `status` (1 to 32 of `a-z _`: HitPay's statuses are
/// `pending`, `completed`, `failed`, `expired`, `canceled`, `inactive`), `amount` (a
/// decimal string, or a JSON number written as one, never read as a float),
/// `currency` (3 letters), and `url` unless the answer has a QR payload
/// (`qr_code_data`); `reference_number` is a string when present. `null` counts as
/// absent; other members (what was sent back: `name`, `email`, `webhook`…) are
/// ignored. Body limit: 64 KiB.
pub fn parse_payment_request_response(body: &[u8]) -> Result<PaymentRequestResponse> {
    if body.len() > limits::FORM_BODY {
        return Err(Error::too_large("the response body", limits::FORM_BODY));
    }
    let root = json::parse_object_body(body, "the response body")?;
    let member = |key: &str| root.get(key).filter(|v| !matches!(v, json::Value::Null));
    let string = |key: &str| -> Result<Option<String>> {
        match member(key) {
            None => Ok(None),
            Some(json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::invalid(key, "must be a string")),
        }
    };
    let required =
        |key: &str| -> Result<String> { string(key)?.ok_or_else(|| Error::missing(key)) };

    let id = required("id")?;
    if !is_uuid(&id) {
        return Err(Error::invalid(
            "id",
            "must be a UUID such as 9ef68e2e-3569-4f69-9f68-04c7e4bb007c",
        ));
    }
    let status = required("status")?;
    let status_ok = !status.is_empty()
        && status.len() <= 32
        && status.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if !status_ok {
        return Err(Error::invalid(
            "status",
            "must be a status such as pending, completed, failed, expired, canceled or inactive",
        ));
    }
    let amount = match member("amount") {
        None => return Err(Error::missing("amount")),
        Some(json::Value::String(s) | json::Value::Number(s)) if is_decimal(s) => s.clone(),
        Some(_) => {
            return Err(Error::field(
                Code::InvalidAmount,
                "amount",
                "field `amount` must be a decimal such as \"10.00\" (no sign, exponent or leading zeros)",
            ))
        }
    };
    let currency = required("currency")?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::field(
            Code::InvalidCurrency,
            "currency",
            "field `currency` must be a 3-letter ISO 4217 code such as sgd",
        ));
    }
    let qr_code = match member("qr_code_data") {
        None => None,
        Some(json::Value::String(s)) => Some(s.clone()),
        Some(obj @ json::Value::Object(_)) => {
            match obj
                .get("qr_code")
                .filter(|v| !matches!(v, json::Value::Null))
            {
                Some(json::Value::String(s)) => Some(s.clone()),
                None => None,
                Some(_) => {
                    return Err(Error::invalid(
                        "qr_code_data.qr_code",
                        "must be a string (the QR payload)",
                    ))
                }
            }
        }
        Some(_) => {
            return Err(Error::invalid(
                "qr_code_data",
                "must be a string or an object with a string `qr_code`",
            ))
        }
    };
    if qr_code.as_deref() == Some("") {
        return Err(Error::invalid("qr_code_data", "is empty"));
    }
    let url = string("url")?;
    match &url {
        Some(u) => check_checkout_url(u)?,
        None if qr_code.is_none() => return Err(Error::missing("url")),
        None => {}
    }
    Ok(PaymentRequestResponse {
        id,
        url,
        status,
        amount,
        currency,
        reference_number: string("reference_number")?,
        qr_code,
    })
}

/// Digits with an optional fraction: no sign, exponent or leading zeros; at most 12
/// integer and 4 fraction digits.
fn is_decimal(s: &str) -> bool {
    let (int, frac) = match url::split_once_byte(s, b'.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |d: &str, max: usize| {
        !d.is_empty() && d.len() <= max && d.bytes().all(|b| b.is_ascii_digit())
    };
    digits(int, 12)
        && !(int.len() > 1 && int.starts_with('0'))
        && frac.map_or(true, |f| digits(f, 4))
}

/// `GET /v1/payment-requests/{id}`: the payment request's current state (the same
/// shape as the create answer: read it with [`parse_payment_request_response`]).
/// `id` must be a UUID (`INVALID_FIELD`); the API key as for
/// [`build_payment_request`].
pub fn build_payment_request_status_request(
    id: &str,
    api_key: &str,
    sandbox: bool,
) -> Result<HttpRequest> {
    check_api_key(api_key)?;
    if !is_uuid(id) {
        return Err(Error::invalid(
            "id",
            "must be the payment request's id, a UUID such as 9ef68e2e-3569-4f69-9f68-04c7e4bb007c",
        ));
    }
    let base = if sandbox { API_SANDBOX } else { API_LIVE };
    let mut target = String::with_capacity(base.len() + 1 + id.len());
    target.push_str(base);
    target.push('/');
    target.push_str(id);
    Ok(HttpRequest {
        method: "GET",
        url: target,
        headers: vec![
            ("X-BUSINESS-API-KEY", api_key.to_owned()),
            ("X-Requested-With", "XMLHttpRequest".to_owned()),
        ],
        body: None,
    })
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

    // ---- the create-payment-request parameters of issue 13 ----

    fn min() -> PaymentRequestParams {
        PaymentRequestParams {
            amount: Some("10.00".into()),
            currency: Some("SGD".into()),
            ..PaymentRequestParams::default()
        }
    }

    fn body_of(p: &PaymentRequestParams) -> String {
        build_payment_request(p, "k", false).unwrap().body.unwrap()
    }

    fn err_of(p: &PaymentRequestParams) -> (Code, Option<String>) {
        let e = build_payment_request(p, "k", false).unwrap_err();
        (e.code(), e.field_name().map(str::to_owned))
    }

    const STAFF: &str = "98888a24-d6b2-430d-9063-d2be76d443cd";
    const LOCATION: &str = "9dd07721-d215-4947-9c79-2b8ec25f69db";

    #[test]
    fn every_new_parameter_on_the_wire() {
        let p = PaymentRequestParams {
            payment_methods: Some(vec!["wifi_card_reader".into()]),
            expires_after: Some("5 minutes".into()),
            add_admin_fee: Some(true),
            send_email: Some(false),
            send_sms: Some(true),
            wifi_terminal_id: Some("tmr_FDOt2wlRZEdpd7".into()),
            staff_id: Some(STAFF.into()),
            location_id: Some(LOCATION.into()),
            channel: Some("api_woocomm".into()),
            address: Some(PaymentRequestAddress {
                line1: Some("177 River Valley Road".into()),
                line2: Some("#01-01".into()),
                city: Some("Singapore".into()),
                state: Some("Central".into()),
                postal_code: Some("179030".into()),
                country: Some("SG".into()),
            }),
            ..min()
        };
        assert_eq!(
            body_of(&p),
            "amount=10.00&currency=SGD&payment_methods%5B%5D=wifi_card_reader\
             &expires_after=5+minutes&add_admin_fee=true&send_email=false&send_sms=true\
             &wifi_terminal_id=tmr_FDOt2wlRZEdpd7\
             &staff_id=98888a24-d6b2-430d-9063-d2be76d443cd\
             &location_id=9dd07721-d215-4947-9c79-2b8ec25f69db&channel=api_woocomm\
             &address%5Bline1%5D=177+River+Valley+Road&address%5Bline2%5D=%2301-01\
             &address%5Bcity%5D=Singapore&address%5Bstate%5D=Central\
             &address%5Bpostal_code%5D=179030&address%5Bcountry%5D=SG"
        );
        let only_line1 = PaymentRequestParams {
            address: Some(PaymentRequestAddress {
                line1: Some("1 Road".into()),
                ..PaymentRequestAddress::default()
            }),
            ..min()
        };
        assert_eq!(
            body_of(&only_line1),
            "amount=10.00&currency=SGD&address%5Bline1%5D=1+Road"
        );
    }

    #[test]
    fn durations() {
        for ok in [
            "5 minutes",
            "6 mins",
            "1 min",
            "1 minute",
            "2 hours",
            "1 hour",
            "7 days",
            "1 day",
            "999999 days",
        ] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in [
            "",
            "5",
            "minutes",
            "0 minutes",
            "05 minutes",
            "-5 minutes",
            "5  minutes",
            " 5 minutes",
            "5 minutes ",
            "5 Minutes",
            "5 weeks",
            "5 seconds",
            "5minutes",
            "1000000 days",
            "1.5 hours",
            "５ minutes",
            "5\tminutes",
        ] {
            assert!(!is_duration(bad), "{bad}");
        }
        let p = PaymentRequestParams {
            expires_after: Some("5 weeks".into()),
            ..min()
        };
        assert_eq!(
            err_of(&p),
            (Code::InvalidField, Some("expiresAfter".into()))
        );
        let both = PaymentRequestParams {
            expires_after: Some("5 minutes".into()),
            expiry_date: Some("2030-01-01 00:00:00".into()),
            ..min()
        };
        assert_eq!(
            err_of(&both),
            (Code::InvalidField, Some("expiresAfter".into()))
        );
    }

    #[test]
    fn new_parameter_errors() {
        let field = |f: &str| (Code::InvalidField, Some(f.to_owned()));
        let cases: Vec<(PaymentRequestParams, (Code, Option<String>))> = vec![
            (
                PaymentRequestParams {
                    staff_id: Some("98888a24".into()),
                    ..min()
                },
                field("staffId"),
            ),
            (
                PaymentRequestParams {
                    location_id: Some(format!("{LOCATION}x")),
                    ..min()
                },
                field("locationId"),
            ),
            (
                PaymentRequestParams {
                    location_id: Some(LOCATION.replace('-', "_")),
                    ..min()
                },
                field("locationId"),
            ),
            (
                PaymentRequestParams {
                    channel: Some("Api_Woocomm".into()),
                    ..min()
                },
                field("channel"),
            ),
            (
                PaymentRequestParams {
                    channel: Some(String::new()),
                    ..min()
                },
                field("channel"),
            ),
            (
                PaymentRequestParams {
                    channel: Some("a".repeat(65)),
                    ..min()
                },
                field("channel"),
            ),
            (
                PaymentRequestParams {
                    wifi_terminal_id: Some("tmr 1".into()),
                    ..min()
                },
                field("wifiTerminalId"),
            ),
            (
                PaymentRequestParams {
                    wifi_terminal_id: Some(String::new()),
                    ..min()
                },
                field("wifiTerminalId"),
            ),
            (
                PaymentRequestParams {
                    payment_methods: Some(vec!["card".into(), "wifi_card_reader".into()]),
                    ..min()
                },
                (Code::MissingField, Some("wifiTerminalId".into())),
            ),
            (
                PaymentRequestParams {
                    address: Some(PaymentRequestAddress::default()),
                    ..min()
                },
                (Code::MissingField, Some("address.line1".into())),
            ),
            (
                PaymentRequestParams {
                    address: Some(PaymentRequestAddress {
                        line1: Some(String::new()),
                        ..PaymentRequestAddress::default()
                    }),
                    ..min()
                },
                field("address.line1"),
            ),
            (
                PaymentRequestParams {
                    address: Some(PaymentRequestAddress {
                        line1: Some("x".into()),
                        country: Some("SGP".into()),
                        ..PaymentRequestAddress::default()
                    }),
                    ..min()
                },
                field("address.country"),
            ),
            (
                PaymentRequestParams {
                    address: Some(PaymentRequestAddress {
                        line1: Some("x".into()),
                        postal_code: Some("1".repeat(256)),
                        ..PaymentRequestAddress::default()
                    }),
                    ..min()
                },
                field("address.postalCode"),
            ),
        ];
        for (p, want) in cases {
            assert_eq!(err_of(&p), want, "{p:?}");
        }
        // A terminal id without wifi_card_reader is sent (HitPay ignores it).
        let p = PaymentRequestParams {
            wifi_terminal_id: Some("tmr_1".into()),
            ..min()
        };
        assert!(body_of(&p).ends_with("&wifi_terminal_id=tmr_1"));
    }

    #[test]
    fn http_urls_are_insecure_except_for_loopback() {
        for (url, want) in [
            ("http://shop.example/hook", Some(Code::InsecureUrl)),
            ("HTTP://shop.example/hook", Some(Code::InsecureUrl)),
            ("http://10.0.0.1/hook", Some(Code::InsecureUrl)),
            ("http://localhost:3000/return", None),
            ("http://127.0.0.1/hook", None),
            ("http://[::1]:8080/hook", None),
            ("https://shop.example/hook", None),
            ("https://u:p@shop.example/hook", Some(Code::InvalidField)),
            ("http://u:p@shop.example/hook", Some(Code::InvalidField)),
            ("ftp://shop.example/hook", Some(Code::InvalidField)),
            ("/hook", Some(Code::InvalidField)),
        ] {
            for name in ["redirectUrl", "webhook"] {
                let mut p = min();
                if name == "webhook" {
                    p.webhook = Some(url.into());
                } else {
                    p.redirect_url = Some(url.into());
                }
                match want {
                    None => assert!(build_payment_request(&p, "k", false).is_ok(), "{url}"),
                    Some(code) => assert_eq!(err_of(&p), (code, Some(name.to_owned())), "{url}"),
                }
            }
        }
    }

    // ---- the answer, and the status request ----

    const ID: &str = "9ef68e2e-3569-4f69-9f68-04c7e4bb007c";
    const CHECKOUT: &str = "https://securecheckout.sandbox.hit-pay.com/payment-request/@qasg/9ef68e2e-3569-4f69-9f68-04c7e4bb007c/checkout";

    fn answer(extra: &str) -> String {
        format!(
            r#"{{"id":"{ID}","amount":"10.00","currency":"sgd","status":"pending","url":"{CHECKOUT}"{extra}}}"#
        )
    }

    fn parse_err(body: &str) -> (Code, Option<String>) {
        let e = parse_payment_request_response(body.as_bytes()).unwrap_err();
        (e.code(), e.field_name().map(str::to_owned))
    }

    #[test]
    fn reads_an_answer() {
        let r = parse_payment_request_response(
            answer(r#","reference_number":"R1","name":null,"email":"a@b.co","payment_methods":["card"],"address":{"line1":"x"}"#)
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(r.id, ID);
        assert_eq!(r.url.as_deref(), Some(CHECKOUT));
        assert_eq!(
            (r.status.as_str(), r.amount.as_str(), r.currency.as_str()),
            ("pending", "10.00", "sgd")
        );
        assert_eq!(r.reference_number.as_deref(), Some("R1"));
        assert_eq!(r.qr_code, None);
        // an amount sent as a JSON number keeps its text
        let r = parse_payment_request_response(
            answer("")
                .replace(r#""amount":"10.00""#, r#""amount":10.50"#)
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(r.amount, "10.50");
    }

    #[test]
    fn the_qr_flow_may_lack_the_url() {
        let no_url = answer(r#","qr_code_data":"00020101021126380009SG.PAYNOW""#)
            .replace(&format!(r#","url":"{CHECKOUT}""#), "");
        let r = parse_payment_request_response(no_url.as_bytes()).unwrap();
        assert_eq!(r.url, None);
        assert_eq!(r.qr_code.as_deref(), Some("00020101021126380009SG.PAYNOW"));
        let nested = answer(r#","qr_code_data":{"qr_code":"000201","qr_code_expiry":null}"#);
        let r = parse_payment_request_response(nested.as_bytes()).unwrap();
        assert_eq!(r.qr_code.as_deref(), Some("000201"));
        assert_eq!(r.url.as_deref(), Some(CHECKOUT));
        // without a QR payload the url is required
        let bare = answer("").replace(&format!(r#","url":"{CHECKOUT}""#), "");
        assert_eq!(parse_err(&bare), (Code::MissingField, Some("url".into())));
        let null_url = answer("").replace(&format!(r#""url":"{CHECKOUT}""#), r#""url":null"#);
        assert_eq!(
            parse_err(&null_url),
            (Code::MissingField, Some("url".into()))
        );
        let empty_qr = bare.replace('}', r#","qr_code_data":""}"#);
        assert_eq!(
            parse_err(&empty_qr),
            (Code::InvalidField, Some("qr_code_data".into()))
        );
        let qr_obj_without_code = bare.replace('}', r#","qr_code_data":{}}"#);
        assert_eq!(
            parse_err(&qr_obj_without_code),
            (Code::MissingField, Some("url".into()))
        );
    }

    #[test]
    fn hitpay_hosts() {
        for ok in [
            "hit-pay.com",
            "securecheckout.hit-pay.com",
            "securecheckout.sandbox.hit-pay.com",
            "SecureCheckout.HIT-PAY.com",
        ] {
            assert!(is_hitpay_host(ok), "{ok}");
        }
        for bad in [
            "hit-pay.com.evil.example",
            "evilhit-pay.com",
            ".hit-pay.com",
            "a..hit-pay.com",
            "hitpay.com",
            "hit-pay.co",
            "hitpayapp.com",
            "securecheckout.hit-pay.com.",
            "",
        ] {
            assert!(!is_hitpay_host(bad), "{bad}");
        }
    }

    #[test]
    fn the_checkout_url_is_https_on_a_hitpay_host() {
        for (url, want) in [
            (
                "https://securecheckout.hit-pay.com/payment-request/@b/x",
                None,
            ),
            ("https://hit-pay.com/x", None),
            (
                "http://securecheckout.hit-pay.com/x",
                Some(Code::InsecureUrl),
            ),
            (
                "https://securecheckout.hit-pay.com.evil.example/x",
                Some(Code::InvalidField),
            ),
            (
                "https://evil.example/securecheckout.hit-pay.com/",
                Some(Code::InvalidField),
            ),
            (
                "https://evil.example@securecheckout.hit-pay.com/x",
                Some(Code::InvalidField),
            ),
            (
                "https://securecheckout.hit-pay.com@evil.example/x",
                Some(Code::InvalidField),
            ),
            (
                "https://securecheckout.hit-pay.com:8443/x",
                Some(Code::InvalidField),
            ),
            ("http://localhost/x", Some(Code::InvalidField)),
            ("//securecheckout.hit-pay.com/x", Some(Code::InvalidField)),
            ("/payment-request/x", Some(Code::InvalidField)),
            ("javascript:alert(1)", Some(Code::InvalidField)),
            ("", Some(Code::InvalidField)),
        ] {
            let body = answer("").replace(CHECKOUT, url);
            match want {
                None => assert_eq!(
                    parse_payment_request_response(body.as_bytes())
                        .unwrap()
                        .url
                        .as_deref(),
                    Some(url)
                ),
                Some(code) => assert_eq!(parse_err(&body), (code, Some("url".into())), "{url}"),
            }
        }
    }

    #[test]
    fn answer_errors() {
        let field = |c: Code, f: &str| (c, Some(f.to_owned()));
        for (body, want) in [
            (
                answer("").replace(ID, "9ef68e2e"),
                field(Code::InvalidField, "id"),
            ),
            (
                answer("").replace(&format!(r#""id":"{ID}""#), r#""id":5"#),
                field(Code::InvalidField, "id"),
            ),
            (
                answer("").replace(&format!(r#""id":"{ID}","#), ""),
                field(Code::MissingField, "id"),
            ),
            (
                answer("").replace("pending", "Pending"),
                field(Code::InvalidField, "status"),
            ),
            (
                answer("").replace("pending", ""),
                field(Code::InvalidField, "status"),
            ),
            (
                answer("").replace(r#""status":"pending","#, ""),
                field(Code::MissingField, "status"),
            ),
            (
                answer("").replace("10.00", "-1"),
                field(Code::InvalidAmount, "amount"),
            ),
            (
                answer("").replace("10.00", "1e3"),
                field(Code::InvalidAmount, "amount"),
            ),
            (
                answer("").replace("10.00", "010.00"),
                field(Code::InvalidAmount, "amount"),
            ),
            (
                answer("").replace("10.00", ""),
                field(Code::InvalidAmount, "amount"),
            ),
            (
                answer("").replace(r#""10.00""#, "1e3"),
                field(Code::InvalidAmount, "amount"),
            ),
            (
                answer("").replace(r#""10.00""#, "true"),
                field(Code::InvalidAmount, "amount"),
            ),
            (
                answer("").replace(r#""amount":"10.00","#, ""),
                field(Code::MissingField, "amount"),
            ),
            (
                answer("").replace("sgd", "sg"),
                field(Code::InvalidCurrency, "currency"),
            ),
            (
                answer("").replace(r#""currency":"sgd","#, ""),
                field(Code::MissingField, "currency"),
            ),
            (
                answer(r#","reference_number":7"#),
                field(Code::InvalidField, "reference_number"),
            ),
            (
                answer(r#","qr_code_data":[1]"#),
                field(Code::InvalidField, "qr_code_data"),
            ),
            (
                answer(r#","qr_code_data":{"qr_code":1}"#),
                field(Code::InvalidField, "qr_code_data.qr_code"),
            ),
        ] {
            assert_eq!(parse_err(&body), want, "{body}");
        }
        for body in ["", "[]", "null", "{", r#"{"id":1,"id":2}"#] {
            assert_eq!(parse_err(body).0, Code::MalformedBody, "{body}");
        }
        let big = answer(&format!(r#","pad":"{}""#, "x".repeat(limits::FORM_BODY)));
        assert_eq!(parse_err(&big).0, Code::PayloadTooLarge);
    }

    #[test]
    fn status_requests() {
        let r = build_payment_request_status_request(ID, "key", true).unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.url, format!("{API_SANDBOX}/{ID}"));
        assert_eq!(
            r.headers,
            vec![
                ("X-BUSINESS-API-KEY", "key".to_owned()),
                ("X-Requested-With", "XMLHttpRequest".to_owned()),
            ]
        );
        assert_eq!(r.body, None);
        let upper = ID.to_ascii_uppercase();
        let r = build_payment_request_status_request(&upper, "key", false).unwrap();
        assert_eq!(r.url, format!("{API_LIVE}/{upper}"));
        for bad in [
            "",
            "9ef68e2e",
            "../x",
            "9ef68e2e-3569-4f69-9f68-04c7e4bb007c/x",
            "9ef68e2e-3569-4f69-9f68-04c7e4bb007c?x",
        ] {
            let e = build_payment_request_status_request(bad, "key", false).unwrap_err();
            assert_eq!(
                (e.code(), e.field_name()),
                (Code::InvalidField, Some("id")),
                "{bad}"
            );
        }
        for key in ["", "a\nb"] {
            let e = build_payment_request_status_request(ID, key, false).unwrap_err();
            assert_eq!(e.code(), Code::InvalidSecret);
        }
    }
}
