//! `hapi::parse_callback`.
//!
//! Input: the URL (as text).
//!
//! Invariants: an accepted callback's `amount`, `walletId` and `draftCampaignId`
//! are the query's (one each, matched case-insensitively), well-formed, and `kind`
//! follows `draftCampaignId`; `params` are the other pairs, in order, unique, none
//! a reserved key in disguise or with a control character; a
//! query that does not decode is `INVALID_URL`.

use crate::hapi_build::looks_reserved;
use crate::hitpay_redirect::split_losslessly;
use crate::reference::form_decode;
use crate::{check_error, text};
use payhook::hapi::{self, CallbackKind};
use payhook::Code;

const ALLOWED: &[Code] = &[
    Code::PayloadTooLarge,
    Code::InvalidUrl,
    Code::MissingField,
    Code::DuplicateField,
    Code::InvalidField,
    Code::ReservedQueryKey,
];

fn id_ok(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= 255
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

pub fn check(data: &[u8]) {
    let input = text(data);
    let result = hapi::parse_callback(&input);
    if input.len() > 8 * 1024 {
        assert_eq!(result.map_err(|e| e.code()), Err(Code::PayloadTooLarge));
        return;
    }
    let split = split_losslessly(&input, true);
    let pairs = split
        .as_ref()
        .and_then(|q| form_decode(q.as_deref().unwrap_or_default().as_bytes()));
    let c = match result {
        Err(e) => {
            check_error("parse_callback", &e, ALLOWED);
            if pairs.is_none() {
                assert_eq!(e.code(), Code::InvalidUrl, "{e}");
            }
            return;
        }
        Ok(c) => c,
    };
    let pairs = pairs.expect("an accepted URL's query decodes");
    let one = |name: &str| -> Option<String> {
        let found: Vec<&String> = pairs
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .collect();
        assert!(found.len() <= 1, "{name} twice accepted: {input:?}");
        found.first().map(|v| (*v).clone())
    };
    assert_eq!(one("amount").as_ref(), Some(&c.amount));
    assert_eq!(one("walletId").as_ref(), Some(&c.wallet_id));
    assert_eq!(one("draftCampaignId"), c.draft_campaign_id);

    let (int, frac) = c
        .amount
        .split_once('.')
        .map_or((c.amount.as_str(), None), |(i, f)| (i, Some(f)));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    assert!(
        digits(int) && frac.is_none_or(digits),
        "amount {:?}",
        c.amount
    );
    assert!(id_ok(&c.wallet_id), "walletId {:?}", c.wallet_id);
    if let Some(d) = &c.draft_campaign_id {
        assert!(id_ok(d), "draftCampaignId {d:?}");
    }
    assert_eq!(
        c.kind,
        if c.draft_campaign_id.is_some() {
            CallbackKind::DirectChargeCampaignOrder
        } else {
            CallbackKind::WalletTopUp
        }
    );
    let custom: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| {
            !["amount", "walletId", "draftCampaignId"]
                .iter()
                .any(|r| r.eq_ignore_ascii_case(k))
        })
        .cloned()
        .collect();
    assert_eq!(c.params, custom);
    let mut seen = std::collections::HashSet::new();
    assert!(
        c.params.iter().all(|(k, _)| seen.insert(k)),
        "a custom key twice accepted"
    );
    // What buildHapiCallbackUrl refuses is refused here too.
    for (k, _) in &c.params {
        assert!(
            !looks_reserved(k),
            "a disguised reserved key accepted: {k:?}"
        );
        assert!(
            !k.chars().any(char::is_control),
            "a control character accepted: {k:?}"
        );
    }
}
