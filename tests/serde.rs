//! The optional `serde` feature: the public results serialise as a Rust user
//! storing what they verified expects (run by `make test-rust` with
//! `--features serde`).
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use payhook::{hapi, hitpay, Code};
use serde_json::json;

#[test]
fn a_verified_webhook_and_an_error_serialise() {
    let fields = [("payment_id", "pay_1"), ("amount", "25.00")];
    let hmac = hitpay::sign_webhook(fields, b"salt").unwrap();
    let body = format!("payment_id=pay_1&amount=25.00&hmac={hmac}");
    let hook = hitpay::verify_webhook(body.as_bytes(), b"salt").unwrap();
    assert_eq!(
        serde_json::to_value(&hook).unwrap(),
        json!({ "fields": [["payment_id", "pay_1"], ["amount", "25.00"]] })
    );

    let err = hitpay::verify_webhook(b"amount=1", b"salt").unwrap_err();
    assert_eq!(err.code(), Code::MissingSignature);
    let v = serde_json::to_value(&err).unwrap();
    assert_eq!(v["code"], "MISSING_SIGNATURE");
    assert_eq!(v["message"], err.message());
}

#[test]
fn a_hapi_callback_names_its_kind_as_the_javascript_api_does() {
    let cb = hapi::parse_callback("/cb?amount=10.00&walletId=w1&draftCampaignId=c1&o=1").unwrap();
    assert_eq!(
        serde_json::to_value(&cb).unwrap(),
        json!({
            "kind": "directChargeCampaignOrder",
            "amount": "10.00",
            "wallet_id": "w1",
            "draft_campaign_id": "c1",
            "params": [["o", "1"]],
        })
    );
}
