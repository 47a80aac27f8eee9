//! PayEx / Swedbank Pay: callback bodies, and the `GET` request that fetches the
//! resource a callback names.
//!
//! Callbacks are not signed. A handler reads which payment (order) and transaction
//! changed, then GETs them from the API with its token. The paths in a callback are
//! therefore checked strictly against the shapes the API uses: a path that pointed
//! anywhere else (another host, `..`, percent-encoding) would send the token there.
//!
//! Rules where the contract is silent:
//! - a JSON `null` member counts as absent, at the top level and inside the nested
//!   objects (serializers that write every property emit `null` for the missing ones);
//! - in the nested form (`payment: { id, number }`) both `id` and `number` are required,
//!   as a path and its number are in the flat form; `paymentOrder.number` is optional;
//! - `payment` and `transaction` use the same form: a flat `payment` with a nested
//!   `transaction` (or the reverse) is `INVALID_FIELD` for `transaction`;
//! - a flat number with a nested object (`payment: {…}` with `paymentNumber`) is
//!   `INVALID_FIELD` for the flat number (which number would count?);
//! - a `transaction` needs its `payment` (`MISSING_FIELD` for `payment`), even with a
//!   payment order: the transaction path is checked against the payment path;
//! - a body with neither `payment` nor `paymentOrder` is `MISSING_FIELD` for `payment`;
//! - guids are compared case-insensitively when a transaction is checked to lie under
//!   its payment, and returned as received;
//! - `paymentOrder.instrument` is any non-empty string (the API uses names such as
//!   `CreditCard` or `Invoice-PayExFinancingSe`); `orderReference` is any string;
//! - what the 2021-2023 documentation shows is read too: the key `paymentorder`
//!   (lowercase o) for `paymentOrder` (both at once is `DUPLICATE_FIELD`; errors name
//!   the key as sent), payment paths `/psp/paymentorders/payments/<guid>` (instrument
//!   `paymentorders`, with their transactions under them), and numbers written as
//!   strings of digits (the same rules: `"222222222"` is 222222222, `"01"` is refused).
use crate::prelude::*;

use crate::error::{concat, parse_decimal, Code, Error, Result};
use crate::http::HttpRequest;
use crate::json::{self, Value};
use crate::limits;
use crate::url;

/// Production (Swedbank Pay).
pub const API_BASE: &str = "https://api.payex.com";
/// The external integration (test) environment.
pub const API_BASE_TEST: &str = "https://api.externalintegration.payex.com";

/// The largest number accepted: 2^53 − 1, the largest integer a JavaScript number
/// holds exactly.
pub const MAX_NUMBER: u64 = (1 << 53) - 1;

/// The kinds of transaction a payment has, as path segments.
pub const TRANSACTION_KINDS: [&str; 7] = [
    "transactions",
    "authorizations",
    "captures",
    "cancellations",
    "reversals",
    "sales",
    "verifications",
];

/// A callback, normalised from any of its forms. The `…_id` fields are the guids,
/// the `…_url` fields the validated relative paths, both as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PayexCallback {
    pub payment_order_id: Option<String>,
    pub payment_id: Option<String>,
    pub transaction_id: Option<String>,
    pub instrument: Option<String>,
    pub payment_number: Option<u64>,
    pub transaction_number: Option<u64>,
    pub payment_order_number: Option<u64>,
    pub order_reference: Option<String>,
    pub payment_url: Option<String>,
    pub transaction_url: Option<String>,
    pub payment_order_url: Option<String>,
}

/// A valid API path, split into its parts (borrowed from the path).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayexPath<'a> {
    /// `/psp/paymentorders/<id>`
    PaymentOrder { id: &'a str },
    /// `/psp/<instrument>/payments/<id>`
    Payment { instrument: &'a str, id: &'a str },
    /// `/psp/<instrument>/payments/<payment_id>/<kind>/<id>`
    Transaction {
        instrument: &'a str,
        payment_id: &'a str,
        kind: &'a str,
        id: &'a str,
    },
}

impl<'a> PayexPath<'a> {
    /// Splits `path` if it has one of the three shapes exactly, else `None`.
    /// Every segment is checked against a closed set of characters, so `..`, `//`,
    /// `%`, `?`, `#`, `\`, whitespace and absolute URLs cannot pass.
    pub fn parse(path: &'a str) -> Option<PayexPath<'a>> {
        let mut segments = url::split_byte(path.strip_prefix("/psp/")?, b'/');
        let first = segments.next()?;
        if first.is_empty() || !first.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        let second = segments.next()?;
        if first == "paymentorders" && second != "payments" {
            let id = guid(second)?;
            return match segments.next() {
                None => Some(PayexPath::PaymentOrder { id }),
                Some(_) => None,
            };
        }
        // Payments of a payment order are `/psp/paymentorders/payments/<guid>` in
        // the 2021-2023 documentation: the instrument is then `paymentorders`.
        if second != "payments" {
            return None;
        }
        let payment_id = guid(segments.next()?)?;
        let Some(kind) = segments.next() else {
            return Some(PayexPath::Payment {
                instrument: first,
                id: payment_id,
            });
        };
        let kind = TRANSACTION_KINDS.iter().copied().find(|&k| k == kind)?;
        let id = guid(segments.next()?)?;
        match segments.next() {
            None => Some(PayexPath::Transaction {
                instrument: first,
                payment_id,
                kind,
                id,
            }),
            Some(_) => None,
        }
    }

    /// The guid of the resource the path names.
    pub fn id(&self) -> &'a str {
        match *self {
            PayexPath::PaymentOrder { id }
            | PayexPath::Payment { id, .. }
            | PayexPath::Transaction { id, .. } => id,
        }
    }

    /// The instrument of a payment or transaction path (`None` for a payment order).
    pub fn instrument(&self) -> Option<&'a str> {
        match *self {
            PayexPath::PaymentOrder { .. } => None,
            PayexPath::Payment { instrument, .. } | PayexPath::Transaction { instrument, .. } => {
                Some(instrument)
            }
        }
    }
}

/// `s` if it is a guid: 8-4-4-4-12 hex digits, either case.
fn guid(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let ok = b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        });
    ok.then_some(s)
}

/// Which shape a field must have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Payment,
    Transaction,
    PaymentOrder,
}

fn path_error(field: &str, path: &str, expect: Option<Expect>) -> Error {
    let scheme = |s: &[u8]| {
        path.as_bytes()
            .get(..s.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(s))
    };
    if path.starts_with("//") || scheme(b"http:") || scheme(b"https:") {
        return Error::invalid(
            field,
            "must be a path on the API host (`/psp/…`), not an absolute URL: the API token is sent to whatever it names",
        );
    }
    let shape = match expect {
        Some(Expect::Payment) => "a payment path `/psp/<instrument>/payments/<guid>`",
        Some(Expect::Transaction) => {
            "a transaction path `/psp/<instrument>/payments/<guid>/<kind>/<guid>`"
        }
        Some(Expect::PaymentOrder) => "a payment order path `/psp/paymentorders/<guid>`",
        None => {
            "a payment, payment order or transaction path such as `/psp/creditcard/payments/<guid>`"
        }
    };
    Error::invalid(
        field,
        &concat(&[
            "must be ",
            shape,
            " (lowercase instrument; no query, fragment, `..`, `//` or percent-encoding)",
        ]),
    )
}

/// Checks that `path` is a payment, payment order or transaction path, and splits it.
/// Anything else is `INVALID_FIELD` for `path`.
pub fn validate_path(path: &str) -> Result<PayexPath<'_>> {
    PayexPath::parse(path).ok_or_else(|| path_error("path", path, None))
}

fn expect_path<'a>(
    value: &'a Value,
    field: &str,
    expect: Expect,
) -> Result<(&'a str, PayexPath<'a>)> {
    let Value::String(s) = value else {
        return Err(Error::invalid(field, "must be a string (a path)"));
    };
    let parsed = PayexPath::parse(s);
    let ok = matches!(
        (expect, parsed),
        (Expect::Payment, Some(PayexPath::Payment { .. }))
            | (Expect::Transaction, Some(PayexPath::Transaction { .. }))
            | (Expect::PaymentOrder, Some(PayexPath::PaymentOrder { .. }))
    );
    match parsed {
        Some(p) if ok => Ok((s.as_str(), p)),
        _ => Err(path_error(field, s, Some(expect))),
    }
}

/// A positive safe integer written as an integer literal, or as a string of the same
/// digits (the documentation's field tables type numbers as strings): digits only,
/// no leading zero, 1 to 2^53 − 1. Never rounded.
fn number(value: &Value, field: &str) -> Result<u64> {
    let bad = || {
        Error::invalid(
            field,
            "must be a whole number from 1 to 9007199254740991 (or a string of its digits) written without fraction, exponent, sign or leading zeros",
        )
    };
    let (Value::Number(text) | Value::String(text)) = value else {
        return Err(bad());
    };
    if text.len() > 16 || text.starts_with('0') {
        return Err(bad());
    }
    match parse_decimal(text) {
        Some(n) if (1..=MAX_NUMBER).contains(&n) => Ok(n),
        _ => Err(bad()),
    }
}

/// A payment or transaction as read from either form.
struct Resource<'a> {
    path: &'a str,
    parsed: PayexPath<'a>,
    number: u64,
    nested: bool,
    /// The field that holds the path (`payment` or `payment.id`), for errors.
    path_field: String,
}

fn resource<'a>(
    root: &'a Value,
    key: &str,
    number_key: &str,
    expect: Expect,
) -> Result<Option<Resource<'a>>> {
    let flat_number = root.member(number_key);
    match root.member(key) {
        None => match flat_number {
            Some(_) => Err(Error::field(
                Code::MissingField,
                key,
                concat(&[
                    "field `",
                    number_key,
                    "` was sent without `",
                    key,
                    "`; send both or neither",
                ]),
            )),
            None => Ok(None),
        },
        Some(v @ Value::String(_)) => {
            let (path, parsed) = expect_path(v, key, expect)?;
            let n = flat_number.ok_or_else(|| {
                Error::field(
                    Code::MissingField,
                    number_key,
                    concat(&[
                        "field `",
                        key,
                        "` was sent without `",
                        number_key,
                        "`; send both or neither",
                    ]),
                )
            })?;
            Ok(Some(Resource {
                path,
                parsed,
                number: number(n, number_key)?,
                nested: false,
                path_field: key.to_owned(),
            }))
        }
        Some(obj @ Value::Object(_)) => {
            if flat_number.is_some() {
                return Err(Error::invalid(
                    number_key,
                    &concat(&[
                        "must not be sent with a nested `",
                        key,
                        "` object; its number is `",
                        key,
                        ".number`",
                    ]),
                ));
            }
            let id_field = concat(&[key, ".id"]);
            let number_field = concat(&[key, ".number"]);
            let id = obj.member("id").ok_or_else(|| Error::missing(&id_field))?;
            let (path, parsed) = expect_path(id, &id_field, expect)?;
            let n = obj
                .member("number")
                .ok_or_else(|| Error::missing(&number_field))?;
            Ok(Some(Resource {
                path,
                parsed,
                number: number(n, &number_field)?,
                nested: true,
                path_field: id_field,
            }))
        }
        Some(_) => Err(Error::invalid(
            key,
            "must be a path string or an object with `id` and `number`",
        )),
    }
}

struct PaymentOrder<'a> {
    path: &'a str,
    id: &'a str,
    instrument: Option<&'a str>,
    number: Option<u64>,
}

fn payment_order(root: &Value) -> Result<Option<PaymentOrder<'_>>> {
    // `paymentorder` (lowercase o) is the key of the 2021-2023 documentation.
    let (key, found) =
        match (root.member("paymentOrder"), root.member("paymentorder")) {
            (Some(_), Some(_)) => return Err(Error::field(
                Code::DuplicateField,
                "paymentOrder",
                "the payment order is sent twice, as `paymentOrder` and `paymentorder`; send one",
            )),
            (Some(v), None) => ("paymentOrder", v),
            (None, Some(v)) => ("paymentorder", v),
            (None, None) => return Ok(None),
        };
    let obj = match found {
        obj @ Value::Object(_) => obj,
        _ => {
            return Err(Error::invalid(
                key,
                "must be an object with `id`, `instrument` and `number`",
            ))
        }
    };
    let id_field = concat(&[key, ".id"]);
    let id = obj.member("id").ok_or_else(|| Error::missing(&id_field))?;
    let (path, parsed) = expect_path(id, &id_field, Expect::PaymentOrder)?;
    let instrument = match obj.member("instrument") {
        None => None,
        Some(Value::String(s)) if !s.is_empty() => Some(s.as_str()),
        Some(_) => {
            return Err(Error::invalid(
                &concat(&[key, ".instrument"]),
                "must be a non-empty string such as CreditCard",
            ))
        }
    };
    let number = obj
        .member("number")
        .map(|n| number(n, &concat(&[key, ".number"])))
        .transpose()?;
    Ok(Some(PaymentOrder {
        path,
        id: parsed.id(),
        instrument,
        number,
    }))
}

/// Reads a callback body in the flat, nested or payment order form (see the module
/// documentation for the rules).
pub fn parse_callback(body: &[u8]) -> Result<PayexCallback> {
    if body.len() > limits::FORM_BODY {
        return Err(Error::too_large("the callback body", limits::FORM_BODY));
    }
    let root = json::parse_object_body(body, "the callback body")?;
    let payment = resource(&root, "payment", "paymentNumber", Expect::Payment)?;
    let transaction = resource(
        &root,
        "transaction",
        "transactionNumber",
        Expect::Transaction,
    )?;
    let order = payment_order(&root)?;
    let order_reference = match root.member("orderReference") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Error::invalid("orderReference", "must be a string")),
    };

    if let Some(t) = &transaction {
        let Some(p) = &payment else {
            return Err(Error::field(
                Code::MissingField,
                "payment",
                "a `transaction` was sent without the `payment` it belongs to",
            ));
        };
        if t.nested != p.nested {
            return Err(Error::invalid(
                "transaction",
                "must use the same form as `payment` (both paths with numbers, or both `{ id, number }` objects)",
            ));
        }
        let under = match (t.parsed, p.parsed) {
            (
                PayexPath::Transaction {
                    instrument: ti,
                    payment_id: tp,
                    ..
                },
                PayexPath::Payment {
                    instrument: pi,
                    id: pid,
                },
            ) => ti == pi && tp.eq_ignore_ascii_case(pid),
            _ => false,
        };
        if !under {
            return Err(Error::invalid(
                &t.path_field,
                "must be a transaction of the payment in the same callback",
            ));
        }
    }
    if payment.is_none() && order.is_none() {
        return Err(Error::field(
            Code::MissingField,
            "payment",
            "the callback names neither a `payment` nor a `paymentOrder`",
        ));
    }

    let instrument = order
        .as_ref()
        .and_then(|o| o.instrument)
        .or_else(|| payment.as_ref().and_then(|p| p.parsed.instrument()));
    Ok(PayexCallback {
        payment_order_id: order.as_ref().map(|o| o.id.to_owned()),
        payment_id: payment.as_ref().map(|p| p.parsed.id().to_owned()),
        transaction_id: transaction.as_ref().map(|t| t.parsed.id().to_owned()),
        instrument: instrument.map(str::to_owned),
        payment_number: payment.as_ref().map(|p| p.number),
        transaction_number: transaction.as_ref().map(|t| t.number),
        payment_order_number: order.as_ref().and_then(|o| o.number),
        order_reference,
        payment_url: payment.as_ref().map(|p| p.path.to_owned()),
        transaction_url: transaction.as_ref().map(|t| t.path.to_owned()),
        payment_order_url: order.as_ref().map(|o| o.path.to_owned()),
    })
}

/// `GET <api_base><path>` with `Authorization: Bearer <token>`, to fetch the
/// resource a callback names.
///
/// `path` must be a payment, payment order or transaction path (`INVALID_FIELD`
/// for `path`). `api_base` defaults to [`API_BASE`] (use [`API_BASE_TEST`] for the
/// test environment); see [`url::check_api_base`] for its rules. An empty token, or
/// one with control characters, is `INVALID_SECRET`.
pub fn build_fetch_request(path: &str, token: &str, api_base: Option<&str>) -> Result<HttpRequest> {
    if token.is_empty() {
        return Err(Error::field(
            Code::InvalidSecret,
            "token",
            "the API token is empty; pass the merchant's access token",
        ));
    }
    if crate::http::has_control_char(token) {
        return Err(Error::field(
            Code::InvalidSecret,
            "token",
            "the API token contains control characters (a stray newline?); it cannot be sent in a header",
        ));
    }
    let base = url::check_api_base(api_base.unwrap_or(API_BASE))?;
    validate_path(path)?;
    let mut target = String::with_capacity(base.len() + path.len());
    target.push_str(base);
    target.push_str(path);
    let mut authorization = String::from("Bearer ");
    authorization.push_str(token);
    HttpRequest::get_json(target, authorization)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c";
    const PID: &str = "5adc265f-f87f-4313-577e-08d3dca1a26c";
    const T: &str = "/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c/transactions/5adc265f-f87f-4313-577e-08d3dca1a26d";
    const TID: &str = "5adc265f-f87f-4313-577e-08d3dca1a26d";
    const PO: &str = "/psp/paymentorders/a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba";
    const POID: &str = "a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba";
    const G: &str = "5adc265f-f87f-4313-577e-08d3dca1a26c";

    fn parse(body: &str) -> Result<PayexCallback> {
        parse_callback(body.as_bytes())
    }

    fn err(body: &str) -> (Code, Option<String>) {
        let e = parse(body).unwrap_err();
        (e.code(), e.field_name().map(str::to_owned))
    }

    fn invalid(field: &str) -> (Code, Option<String>) {
        (Code::InvalidField, Some(field.to_owned()))
    }

    fn missing(field: &str) -> (Code, Option<String>) {
        (Code::MissingField, Some(field.to_owned()))
    }

    fn flat(payment: &str, transaction: &str) -> String {
        format!(
            r#"{{"payment":{},"paymentNumber":123456,"transaction":{},"transactionNumber":12345678}}"#,
            json_str(payment),
            json_str(transaction)
        )
    }

    fn json_str(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    // ---- the three forms ----

    #[test]
    fn flat_form() {
        let c = parse(&flat(P, T)).unwrap();
        assert_eq!(
            c,
            PayexCallback {
                payment_id: Some(PID.into()),
                transaction_id: Some(TID.into()),
                instrument: Some("creditcard".into()),
                payment_number: Some(123456),
                transaction_number: Some(12345678),
                payment_url: Some(P.into()),
                transaction_url: Some(T.into()),
                ..PayexCallback::default()
            }
        );
    }

    #[test]
    fn flat_payment_without_transaction() {
        let c = parse(&format!(r#"{{"payment":"{P}","paymentNumber":1}}"#)).unwrap();
        assert_eq!(c.payment_url.as_deref(), Some(P));
        assert_eq!(c.payment_number, Some(1));
        assert_eq!(c.transaction_id, None);
        assert_eq!(c.transaction_url, None);
    }

    #[test]
    fn nested_form() {
        let t = format!("{P}/authorizations/{TID}");
        let body = format!(
            r#"{{"payment":{{"id":"{P}","number":222222222}},"transaction":{{"id":"{t}","number":333333333}}}}"#
        );
        let c = parse(&body).unwrap();
        assert_eq!(
            c,
            PayexCallback {
                payment_id: Some(PID.into()),
                transaction_id: Some(TID.into()),
                instrument: Some("creditcard".into()),
                payment_number: Some(222222222),
                transaction_number: Some(333333333),
                payment_url: Some(P.into()),
                transaction_url: Some(t),
                ..PayexCallback::default()
            }
        );
    }

    #[test]
    fn payment_order_form() {
        let body = format!(
            r#"{{"orderReference":"PO-638423890947905216","paymentOrder":{{"id":"{PO}","instrument":"CreditCard","number":40129161258}}}}"#
        );
        assert_eq!(
            parse(&body).unwrap(),
            PayexCallback {
                payment_order_id: Some(POID.into()),
                instrument: Some("CreditCard".into()),
                payment_order_number: Some(40129161258),
                order_reference: Some("PO-638423890947905216".into()),
                payment_order_url: Some(PO.into()),
                ..PayexCallback::default()
            }
        );
    }

    #[test]
    fn payment_order_number_and_instrument_are_optional() {
        let c = parse(&format!(r#"{{"paymentOrder":{{"id":"{PO}"}}}}"#)).unwrap();
        assert_eq!(c.payment_order_id.as_deref(), Some(POID));
        assert_eq!(c.instrument, None);
        assert_eq!(c.payment_order_number, None);
        let c = parse(&format!(
            r#"{{"paymentOrder":{{"id":"{PO}","instrument":null,"number":null}},"orderReference":null}}"#
        ))
        .unwrap();
        assert_eq!(c.instrument, None);
        assert_eq!(c.payment_order_number, None);
        assert_eq!(c.order_reference, None);
    }

    #[test]
    fn payment_order_with_nested_payment_and_transaction() {
        // the payment order v2 callback
        let body = format!(
            r#"{{"paymentOrder":{{"id":"{PO}","instrument":"CreditCard"}},"payment":{{"id":"{P}","number":222222222}},"transaction":{{"id":"{T}","number":333333333}}}}"#
        );
        let c = parse(&body).unwrap();
        assert_eq!(c.payment_order_id.as_deref(), Some(POID));
        assert_eq!(c.payment_id.as_deref(), Some(PID));
        assert_eq!(c.transaction_id.as_deref(), Some(TID));
        // the payment order's instrument wins over the path's
        assert_eq!(c.instrument.as_deref(), Some("CreditCard"));
        assert_eq!(c.payment_order_number, None);
        // without it, the path's instrument is used
        let body =
            format!(r#"{{"paymentOrder":{{"id":"{PO}"}},"payment":{{"id":"{P}","number":2}}}}"#);
        assert_eq!(
            parse(&body).unwrap().instrument.as_deref(),
            Some("creditcard")
        );
    }

    #[test]
    fn every_transaction_kind() {
        for kind in TRANSACTION_KINDS {
            let t = format!("{P}/{kind}/{TID}");
            let c = parse(&flat(P, &t)).unwrap();
            assert_eq!(c.transaction_url.as_deref(), Some(t.as_str()));
            assert_eq!(c.transaction_id.as_deref(), Some(TID));
        }
        for bad in ["refunds", "transaction", "Transactions", "payments", ""] {
            let t = format!("{P}/{bad}/{TID}");
            assert_eq!(err(&flat(P, &t)), invalid("transaction"), "{bad}");
        }
    }

    #[test]
    fn instruments_are_lowercase_letters() {
        for ins in ["swish", "vipps", "invoice", "mobilepay", "a"] {
            let p = format!("/psp/{ins}/payments/{G}");
            let c = parse(&format!(r#"{{"payment":"{p}","paymentNumber":1}}"#)).unwrap();
            assert_eq!(c.instrument.as_deref(), Some(ins));
        }
    }

    #[test]
    fn guids_in_either_case_are_kept_as_received() {
        let upper = G.to_ascii_uppercase();
        let p = format!("/psp/creditcard/payments/{upper}");
        let t = format!(
            "/psp/creditcard/payments/{G}/captures/{}",
            TID.to_ascii_uppercase()
        );
        let c = parse(&flat(&p, &t)).unwrap();
        assert_eq!(c.payment_id.as_deref(), Some(upper.as_str()));
        assert_eq!(c.payment_url.as_deref(), Some(p.as_str()));
        assert_eq!(
            c.transaction_id.as_deref(),
            Some(TID.to_ascii_uppercase().as_str())
        );
    }

    #[test]
    fn unknown_fields_are_tolerated() {
        let body = format!(
            r#"{{"x":1,"payment":{{"id":"{P}","number":5,"extra":[true]}},"paymentOrder":{{"id":"{PO}","foo":{{}}}},"callbackVersion":"3.1"}}"#
        );
        let c = parse(&body).unwrap();
        assert_eq!(c.payment_number, Some(5));
        assert_eq!(c.payment_order_url.as_deref(), Some(PO));
    }

    #[test]
    fn order_reference_is_any_string() {
        for r in ["", "PO-1", "ä ✓ / ? #"] {
            let body = format!(
                r#"{{"paymentOrder":{{"id":"{PO}"}},"orderReference":{}}}"#,
                json_str(r)
            );
            assert_eq!(parse(&body).unwrap().order_reference.as_deref(), Some(r));
        }
        for v in ["1", "true", "[]", "{}"] {
            let body = format!(r#"{{"paymentOrder":{{"id":"{PO}"}},"orderReference":{v}}}"#);
            assert_eq!(err(&body), invalid("orderReference"), "{v}");
        }
    }

    // ---- paths ----

    fn hostile_paths() -> Vec<String> {
        vec![
            String::new(),
            "/".into(),
            "/psp".into(),
            "/psp/".into(),
            format!("https://api.payex.com{P}"),
            format!("https://evil.example{P}"),
            format!("HTTPS://evil.example{P}"),
            format!("http://evil.example{P}"),
            format!("//evil.example{P}"),
            format!("/{P}"),
            format!("{P}/"),
            format!("{P}//"),
            format!("psp/creditcard/payments/{G}"),
            format!("/psp//creditcard/payments/{G}"),
            format!("/psp/creditcard//payments/{G}"),
            format!("/psp/creditcard/payments//{G}"),
            format!("/psp/creditcard/payments/../payments/{G}"),
            format!("/psp/creditcard/../creditcard/payments/{G}"),
            format!("/psp/../psp/creditcard/payments/{G}"),
            format!("/psp/./creditcard/payments/{G}"),
            format!("{P}/.."),
            format!("{P}/."),
            format!("{P}?x=1"),
            format!("{P}?"),
            format!("{P}#x"),
            format!("{P}#"),
            format!("/psp/creditcard/payments/%35adc265f-f87f-4313-577e-08d3dca1a26c"),
            format!("/psp/credit%63ard/payments/{G}"),
            format!("/psp/creditcard/payments%2F{G}"),
            format!("/psp/creditcard/payments/{G}%2F..%2F"),
            format!("\\psp\\creditcard\\payments\\{G}"),
            format!("/psp/creditcard/payments\\{G}"),
            format!("{P}\\"),
            format!(" {P}"),
            format!("{P} "),
            format!("{P}\n"),
            format!("\t{P}"),
            format!("/psp/credit card/payments/{G}"),
            format!("{P}\u{0}"),
            format!("/psp/creditcard/payments/{G}\u{200b}"),
            format!("/psp/creditcard／payments/{G}"),
            format!("/psp/ｃreditcard/payments/{G}"),
            format!("/psp/créditcard/payments/{G}"),
            format!("/PSP/creditcard/payments/{G}"),
            format!("/psp/CreditCard/payments/{G}"),
            format!("/psp/credit-card/payments/{G}"),
            format!("/psp/credit_card/payments/{G}"),
            format!("/psp/creditcard2/payments/{G}"),
            format!("/psp/creditcard/Payments/{G}"),
            format!("/psp/creditcard/payment/{G}"),
            format!("/psp/creditcard/payments/{G}/x"),
            format!("/psp/payments/{G}"),
            format!("/psp/paymentorders/payment/{G}"),
            format!("/psp/paymentorders/Payments/{G}"),
            format!("/psp/paymentorders/payments/{G}/x"),
            format!("/psp/paymentorders/payments/payments/{G}"),
            format!("/psp/paymentOrders/payments/{G}"),
            "/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26".into(),
            "/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26cc".into(),
            "/psp/creditcard/payments/5adc265ff87f4313577e08d3dca1a26c".into(),
            "/psp/creditcard/payments/{5adc265f-f87f-4313-577e-08d3dca1a26c}".into(),
            "/psp/creditcard/payments/5adc265g-f87f-4313-577e-08d3dca1a26c".into(),
            "/psp/creditcard/payments/5adc265f-f87f4-313-577e-08d3dca1a26c".into(),
            "/psp/creditcard/payments/5adc265f_f87f_4313_577e_08d3dca1a26c".into(),
            "/psp/creditcard/payments/12345".into(),
            "/psp/creditcard/payments/".into(),
            "/psp/creditcard/payments".into(),
            format!("/api/creditcard/payments/{G}"),
        ]
    }

    #[test]
    fn hostile_paths_are_refused_everywhere() {
        for p in hostile_paths() {
            assert_eq!(PayexPath::parse(&p), None, "{p:?}");
            assert_eq!(
                validate_path(&p).map(|_| ()).unwrap_err().field_name(),
                Some("path"),
                "{p:?}"
            );
            let body = format!(r#"{{"payment":{},"paymentNumber":1}}"#, json_str(&p));
            assert_eq!(err(&body), invalid("payment"), "{p:?}");
            let body = format!(r#"{{"payment":{{"id":{},"number":1}}}}"#, json_str(&p));
            assert_eq!(err(&body), invalid("payment.id"), "{p:?}");
            assert_eq!(
                build_fetch_request(&p, "tok", None).unwrap_err().code(),
                Code::InvalidField,
                "{p:?}"
            );
        }
    }

    #[test]
    fn hostile_transaction_and_order_paths() {
        let transactions = [
            format!("https://evil.example{T}"),
            format!("//evil.example{T}"),
            format!("{P}/transactions/../transactions/{TID}"),
            format!("{P}/transactions//{TID}"),
            format!("{P}/transactions/{TID}/"),
            format!("{P}/transactions/{TID}?a"),
            format!("{P}/transactions/{TID}#a"),
            format!("{P}/transactions/%35adc265f-f87f-4313-577e-08d3dca1a26d"),
            format!("{P}/transactions/{TID}/transactions/{TID}"),
            format!("{P}/transactions"),
            format!("{P}/transactions/"),
            format!("{P}\\transactions\\{TID}"),
            format!("{P}/transactions/{TID} "),
            P.to_owned(), // a payment is not a transaction
            PO.to_owned(),
        ];
        for t in &transactions {
            assert_eq!(err(&flat(P, t)), invalid("transaction"), "{t:?}");
            let body = format!(
                r#"{{"payment":{{"id":"{P}","number":1}},"transaction":{{"id":{},"number":2}}}}"#,
                json_str(t)
            );
            assert_eq!(err(&body), invalid("transaction.id"), "{t:?}");
        }
        let orders = [
            format!("https://evil.example{PO}"),
            format!("//evil.example{PO}"),
            format!("{PO}/"),
            format!("{PO}/x"),
            format!("{PO}?x"),
            format!("{PO}#x"),
            format!("/psp/paymentorders/../paymentorders/{POID}"),
            format!("/psp/paymentorders/%61{}", &POID[1..]),
            format!("/psp/PaymentOrders/{POID}"),
            format!("/psp/paymentorder/{POID}"),
            format!("/psp/paymentorders/{POID}\\"),
            P.to_owned(), // a payment is not a payment order
            T.to_owned(),
        ];
        for o in &orders {
            let body = format!(r#"{{"paymentOrder":{{"id":{}}}}}"#, json_str(o));
            assert_eq!(err(&body), invalid("paymentOrder.id"), "{o:?}");
        }
        // a transaction or payment order path is not a payment
        for p in [T, PO] {
            let body = format!(r#"{{"payment":"{p}","paymentNumber":1}}"#);
            assert_eq!(err(&body), invalid("payment"), "{p}");
        }
    }

    #[test]
    fn absolute_urls_get_a_message_that_says_why() {
        let e = validate_path(&format!("https://evil.example{P}")).unwrap_err();
        assert!(e.message().contains("absolute"), "{}", e.message());
        let e = validate_path(&format!("{P}/..")).unwrap_err();
        assert!(e.message().contains("`..`"), "{}", e.message());
    }

    #[test]
    fn validate_path_splits_the_three_shapes() {
        assert_eq!(
            validate_path(P).unwrap(),
            PayexPath::Payment {
                instrument: "creditcard",
                id: PID
            }
        );
        assert_eq!(
            validate_path(PO).unwrap(),
            PayexPath::PaymentOrder { id: POID }
        );
        let t = validate_path(T).unwrap();
        assert_eq!(
            t,
            PayexPath::Transaction {
                instrument: "creditcard",
                payment_id: PID,
                kind: "transactions",
                id: TID
            }
        );
        assert_eq!(t.id(), TID);
        assert_eq!(t.instrument(), Some("creditcard"));
        assert_eq!(validate_path(PO).unwrap().instrument(), None);
        assert_eq!(validate_path(PO).unwrap().id(), POID);
    }

    // ---- what the 2021-2023 documentation shows ----

    const PO_P: &str = "/psp/paymentorders/payments/7e6cdfc3-1276-44e9-9992-7cf4419750e1";
    const PO_T: &str = "/psp/paymentorders/payments/7e6cdfc3-1276-44e9-9992-7cf4419750e1/authorizations/ec2a9b09-601a-42ae-8e33-a5737e1cf177";

    #[test]
    fn payments_of_a_payment_order() {
        assert_eq!(
            validate_path(PO_P).unwrap(),
            PayexPath::Payment {
                instrument: "paymentorders",
                id: "7e6cdfc3-1276-44e9-9992-7cf4419750e1"
            }
        );
        assert_eq!(
            validate_path(PO_T).unwrap(),
            PayexPath::Transaction {
                instrument: "paymentorders",
                payment_id: "7e6cdfc3-1276-44e9-9992-7cf4419750e1",
                kind: "authorizations",
                id: "ec2a9b09-601a-42ae-8e33-a5737e1cf177"
            }
        );
        let c = parse(&format!(
            r#"{{"payment":{{"id":"{PO_P}","number":1}},"transaction":{{"id":"{PO_T}","number":2}}}}"#
        ))
        .unwrap();
        assert_eq!(c.instrument.as_deref(), Some("paymentorders"));
        assert_eq!(c.payment_url.as_deref(), Some(PO_P));
        assert_eq!(c.transaction_url.as_deref(), Some(PO_T));
        // A transaction of a card payment does not lie under a payment order's payment.
        let card_t = PO_T.replace("paymentorders", "creditcard");
        assert_eq!(
            err(&format!(
                r#"{{"payment":{{"id":"{PO_P}","number":1}},"transaction":{{"id":"{card_t}","number":2}}}}"#
            )),
            invalid("transaction.id")
        );
        // Still a payment path: not accepted where a payment order is expected.
        assert_eq!(
            err(&format!(r#"{{"paymentOrder":{{"id":"{PO_P}"}}}}"#)),
            invalid("paymentOrder.id")
        );
        let r = build_fetch_request(PO_T, "tok", None).unwrap();
        assert_eq!(r.url, format!("{API_BASE}{PO_T}"));
    }

    #[test]
    fn the_lowercase_paymentorder_key() {
        let c = parse(&format!(
            r#"{{"paymentorder":{{"id":"{PO}","instrument":"paymentorders","number":"7"}}}}"#
        ))
        .unwrap();
        assert_eq!(c.payment_order_id.as_deref(), Some(POID));
        assert_eq!(c.payment_order_url.as_deref(), Some(PO));
        assert_eq!(c.instrument.as_deref(), Some("paymentorders"));
        assert_eq!(c.payment_order_number, Some(7));
        // errors name the key as sent
        assert_eq!(
            err(r#"{"paymentorder":{"instrument":"x"}}"#),
            missing("paymentorder.id")
        );
        assert_eq!(
            err(&format!(r#"{{"paymentorder":{{"id":"{P}"}}}}"#)),
            invalid("paymentorder.id")
        );
        assert_eq!(
            err(&format!(r#"{{"paymentorder":{{"id":"{PO}","number":0}}}}"#)),
            invalid("paymentorder.number")
        );
        assert_eq!(err(r#"{"paymentorder":"x"}"#), invalid("paymentorder"));
        // both spellings at once: which one counts?
        assert_eq!(
            err(&format!(
                r#"{{"paymentOrder":{{"id":"{PO}"}},"paymentorder":{{"id":"{PO}"}}}}"#
            )),
            (Code::DuplicateField, Some("paymentOrder".to_owned()))
        );
        // null is absent, as everywhere
        let c = parse(&format!(
            r#"{{"paymentOrder":null,"paymentorder":{{"id":"{PO}"}}}}"#
        ))
        .unwrap();
        assert_eq!(c.payment_order_id.as_deref(), Some(POID));
        // other spellings are not read
        assert_eq!(
            err(&format!(r#"{{"PaymentOrder":{{"id":"{PO}"}}}}"#)),
            missing("payment")
        );
    }

    #[test]
    fn numbers_as_strings_of_digits() {
        for (text, n) in [
            ("\"1\"", 1u64),
            ("\"222222222\"", 222222222),
            ("\"9007199254740991\"", MAX_NUMBER),
        ] {
            assert_eq!(
                parse(&with_number(text)).unwrap().payment_number,
                Some(n),
                "{text}"
            );
        }
        let c = parse(&format!(
            r#"{{"payment":{{"id":"{P}","number":"12"}},"transaction":{{"id":"{T}","number":"13"}},"paymentOrder":{{"id":"{PO}","number":"14"}}}}"#
        ))
        .unwrap();
        assert_eq!(
            (
                c.payment_number,
                c.transaction_number,
                c.payment_order_number
            ),
            (Some(12), Some(13), Some(14))
        );
    }

    #[test]
    fn a_transaction_must_lie_under_its_payment() {
        let other_payment = format!("/psp/creditcard/payments/{TID}/transactions/{TID}");
        let other_instrument = format!("/psp/swish/payments/{PID}/transactions/{TID}");
        for t in [&other_payment, &other_instrument] {
            assert_eq!(err(&flat(P, t)), invalid("transaction"), "{t}");
            let body = format!(
                r#"{{"payment":{{"id":"{P}","number":1}},"transaction":{{"id":"{t}","number":2}}}}"#
            );
            assert_eq!(err(&body), invalid("transaction.id"), "{t}");
        }
    }

    // ---- combinations ----

    #[test]
    fn flat_paths_and_numbers_come_together() {
        assert_eq!(
            err(&format!(r#"{{"payment":"{P}"}}"#)),
            missing("paymentNumber")
        );
        assert_eq!(
            err(&format!(r#"{{"payment":"{P}","paymentNumber":null}}"#)),
            missing("paymentNumber")
        );
        assert_eq!(err(r#"{"paymentNumber":1}"#), missing("payment"));
        assert_eq!(
            err(&format!(
                r#"{{"paymentOrder":{{"id":"{PO}"}},"paymentNumber":1}}"#
            )),
            missing("payment")
        );
        assert_eq!(
            err(&format!(
                r#"{{"payment":"{P}","paymentNumber":1,"transaction":"{T}"}}"#
            )),
            missing("transactionNumber")
        );
        assert_eq!(
            err(&format!(
                r#"{{"payment":"{P}","paymentNumber":1,"transactionNumber":2}}"#
            )),
            missing("transaction")
        );
    }

    #[test]
    fn nested_objects_need_id_and_number() {
        assert_eq!(err(r#"{"payment":{"number":1}}"#), missing("payment.id"));
        assert_eq!(
            err(&format!(r#"{{"payment":{{"id":"{P}"}}}}"#)),
            missing("payment.number")
        );
        assert_eq!(
            err(&format!(
                r#"{{"payment":{{"id":"{P}","number":1}},"transaction":{{"id":"{T}"}}}}"#
            )),
            missing("transaction.number")
        );
        assert_eq!(
            err(&format!(
                r#"{{"payment":{{"id":"{P}","number":1}},"transaction":{{"number":1}}}}"#
            )),
            missing("transaction.id")
        );
        assert_eq!(
            err(r#"{"paymentOrder":{"instrument":"Swish"}}"#),
            missing("paymentOrder.id")
        );
        assert_eq!(
            err(r#"{"paymentOrder":{"id":null}}"#),
            missing("paymentOrder.id")
        );
    }

    #[test]
    fn a_transaction_needs_its_payment() {
        assert_eq!(
            err(&format!(r#"{{"transaction":"{T}","transactionNumber":1}}"#)),
            missing("payment")
        );
        assert_eq!(
            err(&format!(
                r#"{{"paymentOrder":{{"id":"{PO}"}},"transaction":{{"id":"{T}","number":1}}}}"#
            )),
            missing("payment")
        );
    }

    #[test]
    fn a_payment_or_a_payment_order_is_required() {
        for body in [
            "{}",
            r#"{"orderReference":"x"}"#,
            r#"{"payment":null,"paymentOrder":null}"#,
            r#"{"unknown":{"payment":1}}"#,
        ] {
            assert_eq!(err(body), missing("payment"), "{body}");
        }
    }

    #[test]
    fn forms_cannot_be_mixed() {
        // flat payment, nested transaction
        let body = format!(
            r#"{{"payment":"{P}","paymentNumber":1,"transaction":{{"id":"{T}","number":2}}}}"#
        );
        assert_eq!(err(&body), invalid("transaction"));
        // nested payment, flat transaction
        let body = format!(
            r#"{{"payment":{{"id":"{P}","number":1}},"transaction":"{T}","transactionNumber":2}}"#
        );
        assert_eq!(err(&body), invalid("transaction"));
        // a flat number beside a nested object
        let body = format!(r#"{{"payment":{{"id":"{P}","number":1}},"paymentNumber":1}}"#);
        assert_eq!(err(&body), invalid("paymentNumber"));
        let body = format!(
            r#"{{"payment":{{"id":"{P}","number":1}},"transaction":{{"id":"{T}","number":2}},"transactionNumber":2}}"#
        );
        assert_eq!(err(&body), invalid("transactionNumber"));
    }

    #[test]
    fn wrong_json_types_are_invalid_field() {
        for v in ["1", "true", "[]", r#"["/psp"]"#] {
            assert_eq!(
                err(&format!(r#"{{"payment":{v},"paymentNumber":1}}"#)),
                invalid("payment"),
                "{v}"
            );
            assert_eq!(
                err(&format!(
                    r#"{{"payment":"{P}","paymentNumber":1,"transaction":{v},"transactionNumber":1}}"#
                )),
                invalid("transaction"),
                "{v}"
            );
            assert_eq!(
                err(&format!(r#"{{"paymentOrder":{v}}}"#)),
                invalid("paymentOrder"),
                "{v}"
            );
            assert_eq!(
                err(&format!(r#"{{"paymentOrder":{{"id":{v}}}}}"#)),
                invalid("paymentOrder.id"),
                "{v}"
            );
            assert_eq!(
                err(&format!(r#"{{"payment":{{"id":{v},"number":1}}}}"#)),
                invalid("payment.id"),
                "{v}"
            );
            assert_eq!(
                err(&format!(
                    r#"{{"paymentOrder":{{"id":"{PO}","instrument":{v}}}}}"#
                )),
                invalid("paymentOrder.instrument"),
                "{v}"
            );
        }
        // a payment order is an object, never a bare path
        assert_eq!(
            err(&format!(r#"{{"paymentOrder":"{PO}"}}"#)),
            invalid("paymentOrder")
        );
        assert_eq!(
            err(&format!(
                r#"{{"paymentOrder":{{"id":"{PO}","instrument":""}}}}"#
            )),
            invalid("paymentOrder.instrument")
        );
    }

    // ---- numbers ----

    fn with_number(n: &str) -> String {
        format!(r#"{{"payment":"{P}","paymentNumber":{n}}}"#)
    }

    #[test]
    fn numbers_up_to_2_pow_53_minus_1_exactly() {
        for (text, n) in [
            ("1", 1u64),
            ("9", 9),
            ("2147483647", 2147483647),
            ("2147483648", 2147483648),
            ("2147483649", 2147483649), // 2^31 + 1
            ("4294967297", 4294967297),
            ("40129161258", 40129161258),
            ("9007199254740990", 9007199254740990),
            ("9007199254740991", 9007199254740991), // 2^53 - 1
        ] {
            assert_eq!(
                parse(&with_number(text)).unwrap().payment_number,
                Some(n),
                "{text}"
            );
        }
        assert_eq!(MAX_NUMBER, 9007199254740991);
    }

    #[test]
    fn numbers_json_refuses_are_malformed_bodies() {
        // leading zeros and a plus sign are not JSON at all
        for text in [
            "00", "01", "007", "+1", ".5", "1.", "0x10", "Infinity", "NaN",
        ] {
            assert_eq!(
                parse(&with_number(text)).unwrap_err().code(),
                Code::MalformedBody,
                "{text}"
            );
        }
    }

    #[test]
    fn numbers_that_are_refused() {
        for text in [
            "0",
            "-0",
            "-1",
            "1.0",
            "1.5",
            "1e3",
            "1E3",
            "1e+3",
            "10e-1",
            "9007199254740992",  // 2^53
            "9007199254740993",  // 2^53 + 1
            "10000000000000000", // 17 digits
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999999999",
            "\"\"",
            "\"0\"",
            "\"01\"",
            "\" 1\"",
            "\"1 \"",
            "\"+1\"",
            "\"1.0\"",
            "\"1e3\"",
            "\"0x10\"",
            "\"9007199254740992\"",
            "\"１\"",
            "true",
            "[1]",
            "{}",
        ] {
            assert_eq!(err(&with_number(text)), invalid("paymentNumber"), "{text}");
        }
        for (body, field) in [
            (
                format!(r#"{{"payment":{{"id":"{P}","number":1.5}}}}"#),
                "payment.number",
            ),
            (
                format!(r#"{{"payment":{{"id":"{P}","number":"01"}}}}"#),
                "payment.number",
            ),
            (
                format!(
                    r#"{{"payment":"{P}","paymentNumber":1,"transaction":"{T}","transactionNumber":9007199254740993}}"#
                ),
                "transactionNumber",
            ),
            (
                format!(
                    r#"{{"payment":{{"id":"{P}","number":1}},"transaction":{{"id":"{T}","number":0}}}}"#
                ),
                "transaction.number",
            ),
            (
                format!(r#"{{"paymentOrder":{{"id":"{PO}","number":-5}}}}"#),
                "paymentOrder.number",
            ),
            (
                format!(r#"{{"paymentOrder":{{"id":"{PO}","number":4.0129161258e10}}}}"#),
                "paymentOrder.number",
            ),
        ] {
            assert_eq!(err(&body), invalid(field), "{body}");
        }
    }

    // ---- body-level errors ----

    #[test]
    fn malformed_bodies() {
        let good = flat(P, T);
        let dup = format!(r#"{{"payment":"{P}","payment":"{P}","paymentNumber":1}}"#);
        let nested_dup = format!(r#"{{"paymentOrder":{{"id":"{PO}","id":"{PO}"}}}}"#);
        let bom = format!("\u{feff}{good}");
        let mut latin1 =
            format!(r#"{{"payment":"{P}","paymentNumber":1,"orderReference":"x"}}"#).into_bytes();
        let at = latin1.iter().position(|&b| b == b'x').unwrap();
        latin1[at] = 0xe4;
        for body in [
            &b""[..],
            b"null",
            b"[]",
            b"\"/psp\"",
            b"{",
            b"payment=/psp",
            dup.as_bytes(),
            nested_dup.as_bytes(),
            bom.as_bytes(),
            &latin1,
        ] {
            assert_eq!(
                parse_callback(body).unwrap_err().code(),
                Code::MalformedBody,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn size_is_checked_first() {
        let good = flat(P, T);
        let big = format!("{good}{}", " ".repeat(limits::FORM_BODY));
        assert_eq!(parse(&big).unwrap_err().code(), Code::PayloadTooLarge);
        assert_eq!(
            parse_callback(&vec![b'x'; limits::FORM_BODY + 1])
                .unwrap_err()
                .code(),
            Code::PayloadTooLarge
        );
        let exact = format!("{good}{}", " ".repeat(limits::FORM_BODY - good.len()));
        assert!(parse(&exact).is_ok());
    }

    // ---- build_fetch_request ----

    #[test]
    fn builds_fetch_requests() {
        for path in [P, T, PO] {
            let r = build_fetch_request(path, "tok_123", None).unwrap();
            assert_eq!(r.method, "GET");
            assert_eq!(r.url, format!("https://api.payex.com{path}"));
            assert_eq!(
                r.headers,
                vec![
                    ("Authorization", "Bearer tok_123".to_owned()),
                    ("Accept", "application/json".to_owned()),
                ]
            );
            assert_eq!(r.body, None);
            assert!(!format!("{r:?}").contains("tok_123"));
        }
        let r = build_fetch_request(P, "t", Some(API_BASE_TEST)).unwrap();
        assert_eq!(
            r.url,
            format!("https://api.externalintegration.payex.com{P}")
        );
        let r = build_fetch_request(P, "t", Some("http://localhost:8787/")).unwrap();
        assert_eq!(r.url, format!("http://localhost:8787{P}"));
        let r = build_fetch_request(P, "t", Some("https://proxy.example/payex/")).unwrap();
        assert_eq!(r.url, format!("https://proxy.example/payex{P}"));
    }

    #[test]
    fn fetch_request_errors() {
        let e = build_fetch_request(P, "", None).unwrap_err();
        assert_eq!(
            (e.code(), e.field_name()),
            (Code::InvalidSecret, Some("token"))
        );
        for t in ["tok\n", "tok\r\nX-Evil: 1", "\u{0}", "t\u{7f}"] {
            assert_eq!(
                build_fetch_request(P, t, None).unwrap_err().code(),
                Code::InvalidSecret
            );
        }
        // the token is checked first
        assert_eq!(
            build_fetch_request("bad", "", Some("ftp://x"))
                .unwrap_err()
                .code(),
            Code::InvalidSecret
        );
        for base in ["http://api.payex.com", "http://10.0.0.1"] {
            assert_eq!(
                build_fetch_request(P, "t", Some(base)).unwrap_err().code(),
                Code::InsecureUrl,
                "{base}"
            );
        }
        for base in [
            "https://api.payex.com?x",
            "https://api.payex.com#x",
            "https://u:p@api.payex.com",
            "https://api.payex.com//",
            "api.payex.com",
            "",
        ] {
            assert_eq!(
                build_fetch_request(P, "t", Some(base)).unwrap_err().code(),
                Code::InvalidUrl,
                "{base}"
            );
        }
        let e = build_fetch_request("/psp/x", "t", None).unwrap_err();
        assert_eq!(
            (e.code(), e.field_name()),
            (Code::InvalidField, Some("path"))
        );
        let long_base = format!("https://x.example/{}", "a".repeat(1990));
        assert_eq!(
            build_fetch_request(T, "t", Some(&long_base))
                .unwrap_err()
                .code(),
            Code::InvalidUrl
        );
        let e = build_fetch_request(P, "secret-token", Some("http://x.example")).unwrap_err();
        assert!(!e.message().contains("secret-token"));
    }
}
