//! HAPI Elements (VONQ): the `paymentIntentSuccessCallbackUrl` a front end sets,
//! and the callback HAPI sends to it with `draftCampaignId`, `amount` and
//! `walletId` appended.
use crate::prelude::*;

use crate::error::{Code, Error, Result};
use crate::form;
use crate::limits;
use crate::url;

/// The query keys HAPI appends itself.
pub const RESERVED_KEYS: [&str; 3] = ["draftCampaignId", "amount", "walletId"];

/// The reserved key that `key` (decoded) stands for: compared case-insensitively,
/// on the part before any `[` (so `Amount`, `amount[]` and `WALLETID[x]` all count),
/// and again after one more percent-decoding (`%61mount`), since some servers
/// decode a query twice. That decoding is WHATWG's percent-decode, the
/// `percent-encoding` crate's: lenient, a `%` not followed by two hex digits stays
/// as it is.
pub fn reserved_key(key: &str) -> Option<&'static str> {
    // One comparison covers both: decoding changes a key only from its first `%`
    // on, and a reserved name has none, so the decoded key's part before `[` is
    // reserved whenever the key's is.
    let base: Vec<u8> = percent_encoding::percent_decode(key.as_bytes())
        .take_while(|&b| b != b'[')
        .collect();
    RESERVED_KEYS
        .iter()
        .copied()
        .find(|r| r.as_bytes().eq_ignore_ascii_case(&base))
}

fn reserved_error(key: &str) -> Error {
    Error::field(
        Code::ReservedQueryKey,
        key,
        crate::error::about_field(
            "query key `",
            key,
            "` is reserved: HAPI appends draftCampaignId, amount and walletId itself; rename your parameter",
        ),
    )
}

/// Checks a base URL for a callback that a provider will call: absolute, `https:`
/// (`http:` only for loopback hosts), no userinfo, no fragment. Returns its parts.
pub(crate) fn check_callback_base(base: &str) -> Result<url::Parts<'_>> {
    let parts = url::split(base, false)?;
    if url::is_insecure(&parts) {
        return Err(url::insecure("the URL"));
    }
    if parts.fragment.is_some() {
        return Err(url::invalid(
            "has a fragment (`#…`): parameters appended to it would land in the fragment; remove it",
        ));
    }
    Ok(parts)
}

/// Builds the value for `window.hapi.wallet.state.paymentIntentSuccessCallbackUrl`:
/// `base` (an absolute URL, normally WHATWG-serialised already) with `params`
/// appended in order, form-encoded.
pub fn build_callback_url(base: &str, params: &[(&str, &str)]) -> Result<String> {
    if base.len() > limits::URL_OUTPUT {
        return Err(url::invalid("would be longer than 2048 characters"));
    }
    // Each parameter adds at least three characters (`&k=`): refuse a list that can
    // only give a URL over the limit before scanning it for duplicates.
    if params.len() > limits::URL_OUTPUT / 3 {
        return Err(url::invalid("would be longer than 2048 characters"));
    }
    let parts = check_callback_base(base)?;
    if parts.userinfo.is_some() {
        return Err(url::invalid(
            "contains a user name or password, which would be exposed in the browser; remove it",
        ));
    }
    let query = parts.query.unwrap_or_default();
    let existing = form::decode(query.as_bytes()).map_err(url::query_error)?;
    let mut seen: Vec<&str> = Vec::with_capacity(existing.len() + params.len());
    for (key, _) in &existing {
        if reserved_key(key).is_some() {
            return Err(reserved_error(key));
        }
        if seen.contains(&key.as_ref()) {
            return Err(Error::duplicate(key));
        }
        seen.push(key);
    }
    for (key, _) in params {
        if key.is_empty() {
            return Err(Error::invalid(
                "params",
                "has an empty key; every parameter needs a name",
            ));
        }
        if reserved_key(key).is_some() {
            return Err(reserved_error(key));
        }
        if seen.contains(key) {
            return Err(Error::duplicate(key));
        }
        seen.push(key);
    }
    let mut out = String::from(base);
    for (i, (key, value)) in params.iter().enumerate() {
        if i == 0 {
            match parts.query {
                None => out.push('?'),
                Some(q) if !q.is_empty() && !q.ends_with('&') => out.push('&'),
                Some(_) => {}
            }
        } else {
            out.push('&');
        }
        form::encode_into(&mut out, key);
        out.push('=');
        form::encode_into(&mut out, value);
    }
    if out.len() > limits::URL_OUTPUT {
        return Err(url::invalid("would be longer than 2048 characters"));
    }
    Ok(out)
}

/// What a HAPI callback is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum CallbackKind {
    /// `draftCampaignId` present: a campaign ordered with a direct charge.
    DirectChargeCampaignOrder,
    /// A wallet top-up.
    WalletTopUp,
}

impl CallbackKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackKind::DirectChargeCampaignOrder => "directChargeCampaignOrder",
            CallbackKind::WalletTopUp => "walletTopUp",
        }
    }
}

/// A parsed HAPI callback URL.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct HapiCallback {
    pub kind: CallbackKind,
    /// Digits with an optional decimal part, as sent (never converted to a number).
    pub amount: String,
    pub wallet_id: String,
    pub draft_campaign_id: Option<String>,
    /// The custom parameters, decoded, in order.
    pub params: Vec<(String, String)>,
}

/// Parses the URL of an incoming HAPI callback (absolute, or a path starting with `/`).
pub fn parse_callback(input: &str) -> Result<HapiCallback> {
    let (_, pairs) = url::received_query(input)?;
    let mut amount = None;
    let mut wallet_id = None;
    let mut draft = None;
    let mut params: Vec<(String, String)> = Vec::new();
    for (key, value) in pairs {
        let slot = match RESERVED_KEYS.iter().find(|r| r.eq_ignore_ascii_case(&key)) {
            Some(&"amount") => &mut amount,
            Some(&"walletId") => &mut wallet_id,
            Some(_) => &mut draft,
            None => {
                if params.iter().any(|(k, _)| *k == key) {
                    return Err(Error::duplicate(&key));
                }
                params.push((key.into_owned(), value.into_owned()));
                continue;
            }
        };
        if slot.is_some() {
            return Err(Error::duplicate(&key));
        }
        *slot = Some(value.into_owned());
    }
    let amount = amount.ok_or_else(|| Error::missing("amount"))?;
    if !is_decimal(&amount) {
        return Err(Error::invalid(
            "amount",
            "must be digits with an optional decimal part, such as 150.00",
        ));
    }
    let wallet_id = wallet_id.ok_or_else(|| Error::missing("walletId"))?;
    check_id(&wallet_id, "walletId")?;
    if let Some(d) = &draft {
        check_id(d, "draftCampaignId")?;
    }
    Ok(HapiCallback {
        kind: if draft.is_some() {
            CallbackKind::DirectChargeCampaignOrder
        } else {
            CallbackKind::WalletTopUp
        },
        amount,
        wallet_id,
        draft_campaign_id: draft,
        params,
    })
}

fn is_decimal(s: &str) -> bool {
    let (int, frac) = match url::split_once_byte(s, b'.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |p: &str| !p.is_empty() && p.len() <= 32 && p.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.map_or(true, digits)
}

/// An identifier: 1 to 255 characters, no whitespace or control characters.
fn check_id(value: &str, field: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    if url::char_count(value) > 255 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            field,
            "must be an identifier of 1 to 255 characters without spaces",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_with_params_appended_in_order() {
        assert_eq!(
            build_callback_url("https://ats.example/cb", &[("job", "42"), ("a b", "c&d")]).unwrap(),
            "https://ats.example/cb?job=42&a+b=c%26d"
        );
        assert_eq!(
            build_callback_url("https://ats.example/cb?x=1", &[("y", "2")]).unwrap(),
            "https://ats.example/cb?x=1&y=2"
        );
        assert_eq!(
            build_callback_url("https://ats.example/cb?", &[("y", "2")]).unwrap(),
            "https://ats.example/cb?y=2"
        );
        assert_eq!(
            build_callback_url("http://127.0.0.1:8787/cb", &[]).unwrap(),
            "http://127.0.0.1:8787/cb"
        );
    }

    #[test]
    fn refuses_reserved_keys_in_every_disguise() {
        for key in [
            "amount",
            "AMOUNT",
            "walletid",
            "draftCampaignID",
            "amount[]",
            "walletId[x]",
        ] {
            let e = build_callback_url("https://a.example/", &[(key, "1")]).unwrap_err();
            assert_eq!(e.code(), Code::ReservedQueryKey, "{key}");
        }
        for base in [
            "https://a.example/?amount=1",
            "https://a.example/?%61mount=1",
            "https://a.example/?WalletID",
            "https://a.example/?x=1&draftCampaignId%5B%5D=2",
        ] {
            let e = build_callback_url(base, &[]).unwrap_err();
            assert_eq!(e.code(), Code::ReservedQueryKey, "{base}");
        }
    }

    #[test]
    fn reserved_key_decodes_once_and_leniently() {
        for (key, reserved) in [
            ("%61mount", Some("amount")),
            ("%41MOUNT", Some("amount")),
            ("%77allet%49d", Some("walletId")),
            ("amount%5b", Some("amount")),
            ("%61mount[%", Some("amount")),
            ("%61mount%", None),
            ("%61mount%6", None),
            ("%61mount%zz", None),
            ("%%61mount", None),
            ("%2561mount", None),
            ("%61%6d%6f%75%6e%74%5B%5D", Some("amount")),
            ("draftCampaignId%5B", Some("draftCampaignId")),
            ("x%5Bamount", None),
            ("%", None),
            ("", None),
        ] {
            assert_eq!(reserved_key(key), reserved, "{key}");
        }
    }

    #[test]
    fn refuses_bad_bases_and_duplicates() {
        let code = |base: &str, params: &[(&str, &str)]| {
            build_callback_url(base, params).unwrap_err().code()
        };
        assert_eq!(code("https://a.example/#x", &[]), Code::InvalidUrl);
        assert_eq!(code("https://a.example/#", &[]), Code::InvalidUrl);
        assert_eq!(code("https://u:p@a.example/", &[]), Code::InvalidUrl);
        assert_eq!(code("http://a.example/", &[]), Code::InsecureUrl);
        assert_eq!(code("/relative", &[]), Code::InvalidUrl);
        assert_eq!(
            code("https://a.example/?x=1&x=2", &[]),
            Code::DuplicateField
        );
        assert_eq!(
            code("https://a.example/?x=1", &[("x", "2")]),
            Code::DuplicateField
        );
        assert_eq!(code("https://a.example/", &[("", "2")]), Code::InvalidField);
        let long = "v".repeat(2100);
        assert_eq!(
            code("https://a.example/", &[("k", &long)]),
            Code::InvalidUrl
        );
    }

    #[test]
    fn parses_both_kinds() {
        let c = parse_callback("/cb?job=42&draftCampaignId=d1&amount=150.00&walletId=w1").unwrap();
        assert_eq!(c.kind, CallbackKind::DirectChargeCampaignOrder);
        assert_eq!(c.amount, "150.00");
        assert_eq!(c.wallet_id, "w1");
        assert_eq!(c.draft_campaign_id.as_deref(), Some("d1"));
        assert_eq!(c.params, vec![("job".to_owned(), "42".to_owned())]);
        let c = parse_callback("https://ats.example/cb?amount=5&walletId=w").unwrap();
        assert_eq!(c.kind, CallbackKind::WalletTopUp);
    }

    #[test]
    fn parse_errors() {
        let code = |u: &str| parse_callback(u).unwrap_err().code();
        assert_eq!(code("/cb?walletId=w"), Code::MissingField);
        assert_eq!(code("/cb?amount=1"), Code::MissingField);
        assert_eq!(code("/cb?amount=&walletId=w"), Code::InvalidField);
        assert_eq!(code("/cb?amount=1e3&walletId=w"), Code::InvalidField);
        assert_eq!(code("/cb?amount=-1&walletId=w"), Code::InvalidField);
        assert_eq!(code("/cb?amount=1&walletId="), Code::InvalidField);
        assert_eq!(
            code("/cb?amount=1&walletId=w&draftCampaignId="),
            Code::InvalidField
        );
        assert_eq!(
            code("/cb?amount=1&Amount=2&walletId=w"),
            Code::DuplicateField
        );
        assert_eq!(
            code("/cb?amount=1&walletId=w&x=1&x=2"),
            Code::DuplicateField
        );
        assert_eq!(code("/cb?amount=%ZZ&walletId=w"), Code::InvalidUrl);
        assert_eq!(
            code(&format!("/cb?{}", "a".repeat(9000))),
            Code::PayloadTooLarge
        );
    }
}
