//! `payex::parse_callback`.
//!
//! Input: the body.
//!
//! Invariants: `MALFORMED_BODY` exactly when serde_json (duplicate keys refused)
//! refuses the body or it is not an object; an accepted callback names a payment or
//! a payment order; every returned path has the contract's shape (checked here),
//! never contains `..`, `//`, `%`, a scheme or a host, and is the one in the body;
//! a transaction lies under its payment; numbers are the body's integer literals or
//! strings of digits (no leading zero), 1 to 2^53 − 1; the payment order is read from
//! `paymentOrder` or `paymentorder` (both: `DUPLICATE_FIELD`); the fetch request for
//! each path goes to the API host.

use crate::check_error;
use crate::reference::{json, Json, JsonVerdict};
use payhook::__private::url;
use payhook::{payex, Code};

const ALLOWED: &[Code] = &[
    Code::PayloadTooLarge,
    Code::MalformedBody,
    Code::MissingField,
    Code::InvalidField,
    Code::DuplicateField,
];

const KINDS: [&str; 7] = [
    "transactions",
    "authorizations",
    "captures",
    "cancellations",
    "reversals",
    "sales",
    "verifications",
];

fn guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The contract's path shapes: `(instrument, payment guid, transaction guid)` for
/// payments and transactions, `("", guid, None)`-like for payment orders.
#[derive(Debug, PartialEq)]
pub enum Shape<'a> {
    PaymentOrder(&'a str),
    Payment(&'a str, &'a str),
    Transaction(&'a str, &'a str, &'a str),
}

pub fn shape(p: &str) -> Option<Shape<'_>> {
    let segs: Vec<&str> = p.strip_prefix("/psp/")?.split('/').collect();
    let lower = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    match segs.as_slice() {
        ["paymentorders", g] if guid(g) => Some(Shape::PaymentOrder(g)),
        [i, "payments", g] if lower(i) && guid(g) => Some(Shape::Payment(i, g)),
        [i, "payments", g, k, t] if lower(i) && guid(g) && KINDS.contains(k) && guid(t) => {
            Some(Shape::Transaction(i, g, t))
        }
        _ => None,
    }
}

/// What a GET with the API token could be sent anywhere else by.
pub fn assert_safe_path(p: &str) {
    assert!(p.starts_with("/psp/"), "{p:?}");
    for bad in ["..", "//", "%", ":", "?", "#", "\\", "@"] {
        assert!(!p.contains(bad), "{bad:?} in {p:?}");
    }
    assert!(p.bytes().all(|b| b.is_ascii_graphic()), "{p:?}");
    let parts = url::split(p, true).expect("a safe path splits");
    assert!(parts.host.is_none() && parts.scheme.is_none());
}

fn assert_fetches_from_api(p: &str) {
    let r = payex::build_fetch_request(p, "token-0123456789", None)
        .expect("a returned path is fetchable");
    assert_eq!(r.url, format!("https://api.payex.com{p}"));
    assert_eq!(
        url::split(&r.url, false).expect("split").host,
        Some("api.payex.com")
    );
}

/// A number as the contract reads it: an integer literal, or a string of digits
/// without a leading zero.
fn number(v: Option<&Json>) -> Option<u64> {
    match v? {
        Json::UInt(n) => Some(*n),
        Json::Str(s)
            if !s.is_empty() && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            s.parse().ok()
        }
        _ => None,
    }
}

/// The path and number of `payment`/`transaction` in either form.
fn resource<'a>(root: &'a Json, key: &str, number_key: &str) -> Option<(&'a str, Option<u64>)> {
    match root.member(key)? {
        Json::Str(s) => Some((s, number(root.member(number_key)))),
        obj @ Json::Object(_) => match obj.member("id") {
            Some(Json::Str(s)) => Some((s, number(obj.member("number")))),
            _ => None,
        },
        _ => None,
    }
}

pub fn check(body: &[u8]) {
    let result = payex::parse_callback(body);
    if let Err(e) = &result {
        check_error("parse_callback", e, ALLOWED);
    }
    if body.len() > 64 * 1024 {
        assert_eq!(result.map_err(|e| e.code()), Err(Code::PayloadTooLarge));
        return;
    }
    let root = match json(body) {
        JsonVerdict::Ok(root @ Json::Object(_)) => {
            if let Err(e) = &result {
                assert_ne!(
                    e.code(),
                    Code::MalformedBody,
                    "a JSON object refused as malformed: {e}"
                );
            }
            root
        }
        JsonVerdict::Ok(_) | JsonVerdict::Bad => {
            assert_eq!(
                result.map_err(|e| e.code()),
                Err(Code::MalformedBody),
                "accepted what is not a JSON object"
            );
            return;
        }
        JsonVerdict::Unknown => return,
    };
    let (upper, lower) = (root.member("paymentOrder"), root.member("paymentorder"));
    if upper.is_some() && lower.is_some() {
        assert_eq!(
            result.map_err(|e| e.code()),
            Err(Code::DuplicateField),
            "paymentOrder and paymentorder both read"
        );
        return;
    }
    let Ok(c) = result else { return };

    assert!(c.payment_url.is_some() || c.payment_order_url.is_some());
    let in_range = |n: u64| (1..=(1u64 << 53) - 1).contains(&n);

    let payment = c.payment_url.as_deref().map(|p| {
        assert_safe_path(p);
        assert_fetches_from_api(p);
        let Some(Shape::Payment(instrument, id)) = shape(p) else {
            panic!("payment path of the wrong shape: {p:?}")
        };
        assert_eq!(c.payment_id.as_deref(), Some(id));
        let (path, number) =
            resource(&root, "payment", "paymentNumber").expect("payment in the body");
        assert_eq!(path, p);
        assert_eq!(c.payment_number, number);
        assert!(
            c.payment_number.is_some_and(in_range),
            "{:?}",
            c.payment_number
        );
        (instrument, id)
    });
    assert_eq!(payment.is_some(), c.payment_id.is_some());

    if let Some(t) = c.transaction_url.as_deref() {
        assert_safe_path(t);
        assert_fetches_from_api(t);
        let Some(Shape::Transaction(instrument, payment_id, id)) = shape(t) else {
            panic!("transaction path of the wrong shape: {t:?}")
        };
        let (pi, pid) = payment.expect("a transaction comes with its payment");
        assert!(
            instrument == pi && payment_id.eq_ignore_ascii_case(pid),
            "{t:?} is not under its payment"
        );
        assert_eq!(c.transaction_id.as_deref(), Some(id));
        let (path, number) =
            resource(&root, "transaction", "transactionNumber").expect("transaction in the body");
        assert_eq!(path, t);
        assert_eq!(c.transaction_number, number);
        assert!(c.transaction_number.is_some_and(in_range));
    } else {
        assert!(c.transaction_id.is_none() && c.transaction_number.is_none());
    }

    let order = upper.or(lower);
    if let Some(o) = c.payment_order_url.as_deref() {
        assert_safe_path(o);
        assert_fetches_from_api(o);
        let Some(Shape::PaymentOrder(id)) = shape(o) else {
            panic!("payment order path of the wrong shape: {o:?}")
        };
        assert_eq!(c.payment_order_id.as_deref(), Some(id));
        let order = order.expect("paymentOrder in the body");
        assert_eq!(order.member("id"), Some(&Json::Str(o.to_owned())));
        assert_eq!(c.payment_order_number, number(order.member("number")));
        if let Some(n) = c.payment_order_number {
            assert!(in_range(n));
        }
    } else {
        assert!(c.payment_order_id.is_none() && c.payment_order_number.is_none());
    }
    let want_instrument = match order.and_then(|o| o.member("instrument")) {
        Some(Json::Str(s)) => Some(s.clone()),
        _ => payment.map(|(i, _)| i.to_owned()),
    };
    assert_eq!(c.instrument, want_instrument);
    match root.member("orderReference") {
        Some(Json::Str(s)) => assert_eq!(c.order_reference.as_deref(), Some(s.as_str())),
        _ => assert_eq!(c.order_reference, None),
    }
}
