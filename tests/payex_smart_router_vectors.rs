#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Every case of tests/vectors/payex.json and tests/vectors/smart-router.json
//! (shared with the Node tests) against `payhook::payex` and `payhook::smart_router`.
//!
//! The files hold bodies only; the expected result of each is derived here from the
//! body by the contract's rules (independently of the parser under test), and the
//! cases named below are also checked against hand-written values. An `invalid`
//! section, if a file gets one, lists `{ name, body, code, field? }`.

mod common;

use common::{name, vectors};
use payhook::payex::{self, PayexCallback};
use payhook::smart_router;
use serde_json::Value;

/// The bytes of a case's body: a string is sent as is, anything else as JSON, both
/// compact and pretty-printed.
fn bodies(case: &Value) -> Vec<Vec<u8>> {
    match &case["body"] {
        Value::String(s) => vec![s.as_bytes().to_vec()],
        v => vec![
            serde_json::to_vec(v).unwrap(),
            serde_json::to_vec_pretty(v).unwrap(),
        ],
    }
}

fn invalid_cases(v: &Value) -> &[Value] {
    v.get("invalid")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn check_invalid<T: std::fmt::Debug>(case: &Value, result: payhook::Result<T>) {
    let e = result.expect_err(name(case));
    assert_eq!(
        e.code().as_str(),
        case["code"].as_str().unwrap(),
        "{}",
        name(case)
    );
    if let Some(field) = case.get("field").and_then(Value::as_str) {
        assert_eq!(e.field_name(), Some(field), "{}", name(case));
    }
}

// ---- PayEx ----

fn last_segment(path: &str) -> String {
    path.rsplit('/').next().unwrap().to_owned()
}

/// (path, number) of `payment` or `transaction` in the flat or nested form.
fn resource(body: &Value, key: &str, number_key: &str) -> Option<(String, u64)> {
    let v = &body[key];
    (!v.is_null()).then(|| path_and_number(v, &body[number_key]))
}

fn path_and_number(v: &Value, flat_number: &Value) -> (String, u64) {
    match v {
        Value::String(path) => (path.clone(), flat_number.as_u64().unwrap()),
        Value::Object(o) => (
            o["id"].as_str().unwrap().to_owned(),
            o["number"].as_u64().unwrap(),
        ),
        other => panic!("a payment or transaction is a string or an object: {other}"),
    }
}

fn expected_payex(body: &Value) -> PayexCallback {
    let payment = resource(body, "payment", "paymentNumber");
    let transaction = resource(body, "transaction", "transactionNumber");
    let order = body.get("paymentOrder").filter(|v| v.is_object());
    let path_instrument = payment
        .as_ref()
        .map(|(p, _)| p.split('/').nth(2).unwrap().to_owned());
    let order_instrument = order
        .and_then(|o| o.get("instrument"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    PayexCallback {
        payment_order_id: order.map(|o| last_segment(o["id"].as_str().unwrap())),
        payment_id: payment.as_ref().map(|(p, _)| last_segment(p)),
        transaction_id: transaction.as_ref().map(|(t, _)| last_segment(t)),
        instrument: order_instrument.or(path_instrument),
        payment_number: payment.as_ref().map(|(_, n)| *n),
        transaction_number: transaction.as_ref().map(|(_, n)| *n),
        payment_order_number: order.and_then(|o| o.get("number")).and_then(Value::as_u64),
        order_reference: body
            .get("orderReference")
            .and_then(Value::as_str)
            .map(str::to_owned),
        payment_url: payment.map(|(p, _)| p),
        transaction_url: transaction.map(|(t, _)| t),
        payment_order_url: order.map(|o| o["id"].as_str().unwrap().to_owned()),
    }
}

/// Hand-written results for the named cases.
fn known_payex(name: &str) -> Option<PayexCallback> {
    let p = "/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c";
    let pid = "5adc265f-f87f-4313-577e-08d3dca1a26c";
    let tid = "5adc265f-f87f-4313-577e-08d3dca1a26d";
    Some(match name {
        "flat form from the 2018 callback documentation" => PayexCallback {
            payment_id: Some(pid.into()),
            transaction_id: Some(tid.into()),
            instrument: Some("creditcard".into()),
            payment_number: Some(123456),
            transaction_number: Some(12345678),
            payment_url: Some(p.into()),
            transaction_url: Some(format!("{p}/transactions/{tid}")),
            ..PayexCallback::default()
        },
        "nested payment/transaction form" => PayexCallback {
            payment_id: Some(pid.into()),
            transaction_id: Some(tid.into()),
            instrument: Some("creditcard".into()),
            payment_number: Some(222222222),
            transaction_number: Some(333333333),
            payment_url: Some(p.into()),
            transaction_url: Some(format!("{p}/authorizations/{tid}")),
            ..PayexCallback::default()
        },
        "payment order v3.1 (PHP SDK sampleCallbackV3.json)" => PayexCallback {
            payment_order_id: Some("a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba".into()),
            instrument: Some("CreditCard".into()),
            payment_order_number: Some(40129161258),
            order_reference: Some("PO-638423890947905216".into()),
            payment_order_url: Some(
                "/psp/paymentorders/a9bd5ea2-d2b0-48d1-59c8-08dc230b04ba".into(),
            ),
            ..PayexCallback::default()
        },
        "payment order (.NET SDK CanDeserializeCallback)" => PayexCallback {
            payment_order_id: Some("4b03d9e6-e75f-48a2-32d8-08dbff73f7a7".into()),
            instrument: Some("Swish".into()),
            payment_order_number: Some(44100921924),
            payment_order_url: Some(
                "/psp/paymentorders/4b03d9e6-e75f-48a2-32d8-08dbff73f7a7".into(),
            ),
            ..PayexCallback::default()
        },
        _ => return None,
    })
}

#[test]
fn payex_valid_vectors() {
    let v = vectors("payex.json");
    let cases = v["valid"].as_array().expect("`valid` is a list");
    assert!(!cases.is_empty());
    let mut known = 0;
    for case in cases {
        let expected = expected_payex(&case["body"]);
        if let Some(hand) = known_payex(name(case)) {
            assert_eq!(hand, expected, "{}: derivation", name(case));
            known += 1;
        }
        for body in bodies(case) {
            let got =
                payex::parse_callback(&body).unwrap_or_else(|e| panic!("{}: {e:?}", name(case)));
            assert_eq!(got, expected, "{}", name(case));
            // every path it names can be fetched
            for path in [
                &got.payment_url,
                &got.transaction_url,
                &got.payment_order_url,
            ]
            .into_iter()
            .flatten()
            {
                let r = payex::build_fetch_request(path, "token", None).unwrap();
                assert_eq!(r.url, format!("https://api.payex.com{path}"));
            }
        }
    }
    assert_eq!(known, 4, "the named cases are all in the file");
}

#[test]
fn payex_invalid_vectors() {
    let v = vectors("payex.json");
    for case in invalid_cases(&v) {
        for body in bodies(case) {
            check_invalid(case, payex::parse_callback(&body));
        }
    }
}

// ---- Smart Router ----

#[test]
fn smart_router_valid_vectors() {
    let v = vectors("smart-router.json");
    let cases = v["valid"].as_array().expect("`valid` is a list");
    assert!(!cases.is_empty());
    for case in cases {
        let event_id = case["body"]["event_id"].as_str().unwrap();
        let event_type = case["body"].get("event_type").and_then(Value::as_str);
        for body in bodies(case) {
            let got = smart_router::parse_webhook(&body)
                .unwrap_or_else(|e| panic!("{}: {e:?}", name(case)));
            assert_eq!(got.event_id, event_id, "{}", name(case));
            assert_eq!(got.event_type.as_deref(), event_type, "{}", name(case));
            let r =
                smart_router::build_event_request(&got.event_id, "proj_1", "key_1", None).unwrap();
            assert_eq!(
                r.url,
                format!("https://api.processout.com/events/{event_id}")
            );
        }
    }
    let documented = &cases[0]["body"];
    assert_eq!(
        documented["event_id"],
        "ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C"
    );
    assert_eq!(documented["event_type"], "transaction.failed");
}

#[test]
fn smart_router_invalid_vectors() {
    let v = vectors("smart-router.json");
    for case in invalid_cases(&v) {
        for body in bodies(case) {
            check_invalid(case, smart_router::parse_webhook(&body));
        }
    }
}
