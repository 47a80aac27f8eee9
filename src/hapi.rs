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

/// The reserved key that a server could read `key` (one decoded query key) as, or
/// `None`. The rule covers what PHP, Rails (Rack), Node (`qs`) and servers that
/// decode twice or trim do with a name:
///
/// - compared case-insensitively (`Amount`, `WALLETID`);
/// - leading and trailing whitespace is ignored (PHP drops leading spaces:
///   ` draftCampaignId` is `$_GET['draftCampaignId']`; servers that trim), and so
///   are leading control characters;
/// - after that, from the first control character on, the key is ignored (PHP cuts
///   names at NUL: `amount\0[]` is `$_GET['amount']`);
/// - so are leading `[`, `]` and `.` (Rack 2 reads `[amount]` and `]amount` as
///   `amount`, `qs` reads `[amount]` as `amount`);
/// - only the part before the first `[`, `]` or `.` counts (`amount[]`,
///   `amount[x]` in PHP, Rack and `qs`; `amount]` in Rack 2; `amount.x` in `qs`
///   with `allowDots`, and PHP mangles `.` and spaces in names);
/// - and all of this again after one more decoding (`%61mount`, `+amount`), as a
///   server that decodes a query twice reads it. That decoding is lenient, as
///   WHATWG's is: a `%` not followed by two hex digits stays as it is.
pub fn reserved_key(key: &str) -> Option<&'static str> {
    read_as_reserved(key).or_else(|| {
        if key.bytes().any(|b| b == b'%' || b == b'+') {
            let decoded = decode_again(key.as_bytes());
            // Up to the first byte that is not UTF-8: the name a server keeps
            // before it, if any, is what counts (more is refused, never less).
            let valid = match core::str::from_utf8(&decoded) {
                Ok(text) => text,
                Err(e) => decoded
                    .get(..e.valid_up_to())
                    .and_then(|b| core::str::from_utf8(b).ok())
                    .unwrap_or_default(),
            };
            read_as_reserved(valid)
        } else {
            None
        }
    })
}

/// A space as `qs`, `String.prototype.trim` and Rust see one.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// The name left of `key` once a lenient server is done with it (see
/// [`reserved_key`]), if it is a reserved one.
fn read_as_reserved(key: &str) -> Option<&'static str> {
    let mut start = 0;
    let mut end = key.len();
    let mut leading = true;
    for (i, c) in key.char_indices() {
        if leading {
            if is_space(c) || c.is_control() || matches!(c, '[' | ']' | '.') {
                start = i + c.len_utf8();
                continue;
            }
            leading = false;
        }
        if c.is_control() || matches!(c, '[' | ']' | '.') {
            end = i;
            break;
        }
    }
    let head = key.get(start..end.max(start)).unwrap_or_default();
    let mut cut = head.len();
    for (i, c) in head.char_indices().rev() {
        if !is_space(c) {
            break;
        }
        cut = i;
    }
    let head = head.get(..cut).unwrap_or_default();
    RESERVED_KEYS
        .iter()
        .copied()
        .find(|r| r.as_bytes().eq_ignore_ascii_case(head.as_bytes()))
}

/// One more form decoding, leniently: `+` is a space, then WHATWG's
/// percent-decode (the `percent-encoding` crate's): `%XX` a byte, any other `%`
/// stays as it is.
fn decode_again(input: &[u8]) -> Vec<u8> {
    let plus: Vec<u8> = input
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&plus).collect()
}

/// `INVALID_FIELD` for a query key with a control character, which servers cut
/// (PHP at NUL) or mangle: it is refused whatever it would read as.
fn check_key_text(key: &str) -> Result<()> {
    if key.chars().any(char::is_control) {
        return Err(Error::field(
            Code::InvalidField,
            key,
            crate::error::about_field(
                "query key `",
                key,
                "` contains a control character, which servers cut or mangle (PHP cuts a name at NUL); remove it",
            ),
        ));
    }
    Ok(())
}

/// Rails (and older Python and Go) also split a query at `;`: a key after one is a
/// key to them. Refuses the query when that split shows more reserved keys than
/// the `&` split did (`known`).
fn semicolon_keys(query: &str, known: usize) -> Result<()> {
    if !query.bytes().any(|b| b == b';') {
        return Ok(());
    }
    let split: Vec<u8> = query
        .bytes()
        .map(|b| if b == b';' { b'&' } else { b })
        .collect();
    let pairs = form::decode(&split).map_err(url::query_error)?;
    let mut reserved = pairs.iter().filter(|(k, _)| reserved_key(k).is_some());
    match reserved.clone().nth(known) {
        Some(_) => {
            let key = reserved.next().map(|(k, _)| k.as_ref()).unwrap_or_default();
            Err(reserved_error(key))
        }
        None => Ok(()),
    }
}

/// The first key that appears twice, found by sorting (n log n).
fn first_duplicate<'a>(keys: &mut [&'a str]) -> Option<&'a str> {
    crate::sort::sort_by(keys, &|a, b| a.cmp(b));
    crate::sort::first_adjacent_duplicate(keys.iter().copied())
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
    let mut keys: Vec<&str> = Vec::with_capacity(existing.len() + params.len());
    for (key, _) in &existing {
        check_key_text(key)?;
        if reserved_key(key).is_some() {
            return Err(reserved_error(key));
        }
        keys.push(key);
    }
    semicolon_keys(query, 0)?;
    for (key, _) in params {
        if key.is_empty() {
            return Err(Error::invalid(
                "params",
                "has an empty key; every parameter needs a name",
            ));
        }
        check_key_text(key)?;
        if reserved_key(key).is_some() {
            return Err(reserved_error(key));
        }
        keys.push(key);
    }
    if let Some(dup) = first_duplicate(&mut keys) {
        return Err(Error::duplicate(dup));
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
    let (parts, pairs) = url::received_query(input)?;
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
                // What buildHapiCallbackUrl refuses: a PHP or Rails server would
                // read these keys differently, maybe as HAPI's own.
                check_key_text(&key)?;
                if reserved_key(&key).is_some() {
                    return Err(reserved_error(&key));
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
    let mut keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    if let Some(dup) = first_duplicate(&mut keys) {
        return Err(Error::duplicate(dup));
    }
    let known = [amount.is_some(), wallet_id.is_some(), draft.is_some()]
        .iter()
        .filter(|&&b| b)
        .count();
    semicolon_keys(parts.query.unwrap_or_default(), known)?;
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
    fn refuses_keys_a_php_rails_or_node_server_reads_as_reserved() {
        // PHP drops leading spaces and cuts at NUL; Rack 2 and qs strip brackets;
        // qs with allowDots reads `amount.x`; servers trim; some decode twice.
        for key in [
            " amount",
            "  walletId",
            " draftCampaignId",
            " amount[]",
            "amount ",
            "\u{a0}amount",
            "amount\u{3000}",
            "\u{feff}walletId",
            "[amount]",
            "]amount",
            "amount]",
            ".amount",
            "amount.x",
            "[ walletId ]",
            "%20amount",
            "+amount",
            "amount%00",
            "%5Bamount%5D",
        ] {
            let e = build_callback_url("https://a.example/", &[(key, "1")]).unwrap_err();
            assert_eq!(e.code(), Code::ReservedQueryKey, "{key:?}");
            assert_eq!(e.field_name(), Some(key));
        }
        // A control character anywhere in a key: INVALID_FIELD, reserved-looking or not.
        for key in [
            "amount\0",
            "draftCampaignId\0[]",
            "\tamount",
            "x\ny",
            "a\u{85}",
            "\u{7f}",
        ] {
            let e = build_callback_url("https://a.example/", &[(key, "1")]).unwrap_err();
            assert_eq!(e.code(), Code::InvalidField, "{key:?}");
            assert!(!e.message().contains('\0'));
        }
        // The same in the base URL's query.
        for (base, code) in [
            ("https://a.example/?%20amount=1", Code::ReservedQueryKey),
            ("https://a.example/?x=1&+walletId", Code::ReservedQueryKey),
            ("https://a.example/?amount.x=1", Code::ReservedQueryKey),
            ("https://a.example/?amount%00=1", Code::InvalidField),
            ("https://a.example/?x%09=1", Code::InvalidField),
            // Rails splits at `;` too.
            ("https://a.example/?x=1;amount=5", Code::ReservedQueryKey),
            ("https://a.example/?x;%20walletId=5", Code::ReservedQueryKey),
        ] {
            assert_eq!(
                build_callback_url(base, &[]).unwrap_err().code(),
                code,
                "{base}"
            );
        }
        // Names that only look alike stay allowed.
        for key in [
            "amounts",
            "x[amount]",
            "x.amount",
            "a mount",
            "amount_",
            "my amount",
            "order;amount",
        ] {
            assert!(
                build_callback_url("https://a.example/", &[(key, "1")]).is_ok(),
                "{key:?}"
            );
        }
        assert!(build_callback_url("https://a.example/?x=1;y=2", &[]).is_ok());
        assert!(build_callback_url("https://a.example/?x=1%3Bamount=2", &[]).is_ok());
    }

    #[test]
    fn parse_refuses_what_build_refuses() {
        let code = |u: &str| parse_callback(u).unwrap_err().code();
        assert_eq!(
            code("/cb?%20draftCampaignId=V&amount=1&walletId=w"),
            Code::ReservedQueryKey
        );
        assert_eq!(
            code("/cb?amount=1&walletId=w&amount%5B%5D=2"),
            Code::ReservedQueryKey
        );
        assert_eq!(
            code("/cb?draftCampaignId%00=V&amount=1&walletId=w"),
            Code::InvalidField
        );
        assert_eq!(
            code("/cb?x=1;draftCampaignId=V&amount=1&walletId=w"),
            Code::ReservedQueryKey
        );
        assert_eq!(
            code("/cb?x=1;amount=2&amount=1&walletId=w"),
            Code::ReservedQueryKey
        );
        // HAPI's own keys, `;` in a value that hides no key, and a custom key twice.
        let c = parse_callback("/cb?x=1;y&amount=1&walletId=w&draftCampaignId=d").unwrap();
        assert_eq!(c.params, vec![("x".to_owned(), "1;y".to_owned())]);
        assert_eq!(
            code("/cb?b=1&a=1&b=2&amount=1&walletId=w"),
            Code::DuplicateField
        );
    }

    #[test]
    fn duplicate_checks_are_not_quadratic() {
        // The time for 8 times more keys: about 8 (times a log) when sorting, 64
        // for the old pairwise check.
        let url = |n: usize| {
            let mut url = String::from("/cb?amount=1&walletId=w");
            for i in 0..n {
                url.push_str(&format!("&{i:x}"));
            }
            url
        };
        let time = |u: &str| {
            (0..3)
                .map(|_| {
                    let t = std::time::Instant::now();
                    for _ in 0..10 {
                        assert!(parse_callback(u).is_ok());
                    }
                    t.elapsed().as_nanos()
                })
                .min()
                .unwrap_or_default()
        };
        let (small, large) = (url(250), url(2000));
        assert!(large.len() <= limits::URL_INPUT);
        let ratio = time(&large) as f64 / time(&small) as f64;
        assert!(ratio < 24.0, "2,000 keys cost {ratio:.1} times 250 keys");
        assert_eq!(
            parse_callback(&format!("{large}&10")).unwrap_err().code(),
            Code::DuplicateField
        );
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
