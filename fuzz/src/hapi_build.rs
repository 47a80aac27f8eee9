//! `hapi::build_callback_url`.
//!
//! Input: the base URL up to `\n`, then one parameter per line, `key\tvalue`.
//!
//! Invariants: a built URL starts with the base, is at most 2048 characters, has no
//! fragment; its query decodes to the base's pairs then the parameters, in order;
//! none of its keys is reserved in any disguise (case, `[…]`, whitespace, `.`,
//! one more percent-decoding) or holds a control character, and none appears twice; with HAPI's pairs appended it parses
//! back (`parse_callback`) to those parameters. A refusal for a reserved key or a
//! duplicate names a key that is one.

use crate::reference::{form_decode, percent_decode};
use crate::{check_error, text, Input};
use payhook::{hapi, Code};

const ALLOWED: &[Code] = &[
    Code::InvalidUrl,
    Code::InsecureUrl,
    Code::ReservedQueryKey,
    Code::DuplicateField,
    Code::InvalidField,
];

const RESERVED: [&str; 3] = ["draftCampaignId", "amount", "walletId"];

/// The contract's rule, written here: what a PHP, Rails or Node server could read
/// as a reserved key. Case-insensitive; as given and after one more decoding (`+`
/// a space); leading whitespace, control characters, `[`, `]` and `.` stripped;
/// cut at the next control character, `[`, `]` or `.`; trailing whitespace
/// stripped.
pub fn looks_reserved(key: &str) -> bool {
    let decoded = String::from_utf8_lossy(&percent_decode(&key.replace('+', " "))).into_owned();
    let space = |c: char| c.is_whitespace() || c == '\u{feff}';
    [key, decoded.as_str()].iter().any(|k| {
        let k = k.trim_start_matches(|c: char| space(c) || c.is_control() || "[].".contains(c));
        let head = k
            .split(|c: char| c.is_control() || "[].".contains(c))
            .next()
            .unwrap_or_default()
            .trim_end_matches(space);
        RESERVED.iter().any(|r| r.eq_ignore_ascii_case(head))
    })
}

pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let base = text(input.line());
    let rest = text(input.rest());
    let params: Vec<(&str, &str)> = rest
        .split('\n')
        .filter(|l| !l.is_empty())
        .map(|l| l.split_once('\t').unwrap_or((l, "")))
        .collect();

    let result = hapi::build_callback_url(&base, &params);
    let base_query = base
        .split_once('#')
        .map_or(base.as_str(), |(b, _)| b)
        .split_once('?')
        .map(|(_, q)| q);
    let base_pairs = form_decode(base_query.unwrap_or_default().as_bytes());

    let out = match result {
        Err(e) => {
            check_error("build_callback_url", &e, ALLOWED);
            let keys: Vec<String> = base_pairs
                .iter()
                .flatten()
                .map(|(k, _)| k.clone())
                .chain(params.iter().map(|(k, _)| (*k).to_owned()))
                .collect();
            match e.code() {
                Code::ReservedQueryKey => assert!(
                    keys.iter().any(|k| looks_reserved(k))
                        // Rails splits the base's query at `;` too.
                        || form_decode(base_query.unwrap_or_default().replace(';', "&").as_bytes())
                            .into_iter()
                            .flatten()
                            .any(|(k, _)| looks_reserved(&k)),
                    "RESERVED_QUERY_KEY but no key is reserved: {base:?} {params:?}"
                ),
                Code::DuplicateField => {
                    let mut seen = std::collections::HashSet::new();
                    assert!(
                        keys.iter().any(|k| !seen.insert(k)),
                        "DUPLICATE_FIELD but no key twice: {base:?} {params:?}"
                    );
                }
                Code::InvalidField if keys.iter().any(|k| k.chars().any(char::is_control)) => {}
                Code::InvalidField => assert!(
                    params.iter().any(|(k, _)| k.is_empty()),
                    "INVALID_FIELD but no key is empty or has a control character: {base:?} {params:?}"
                ),
                _ => {}
            }
            return;
        }
        Ok(out) => out,
    };

    assert!(out.starts_with(base.as_str()));
    assert!(out.len() <= 2048, "{} characters", out.len());
    assert!(!out.contains('#'), "fragment in {out:?}");
    let scheme = out.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    assert!(
        scheme.as_deref() == Some("https") || scheme.as_deref() == Some("http"),
        "{out:?}"
    );
    let query = out.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let pairs = form_decode(query.as_bytes()).expect("the built query decodes");
    let mut want = base_pairs.expect("the base query decodes");
    want.extend(
        params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    assert_eq!(
        pairs, want,
        "the query is not the base's pairs then the parameters"
    );
    let mut seen = std::collections::HashSet::new();
    for (k, _) in &pairs {
        assert!(!looks_reserved(k), "reserved key {k:?} in {out:?}");
        assert!(
            !k.chars().any(char::is_control),
            "control character in {k:?} in {out:?}"
        );
        assert!(seen.insert(k), "key {k:?} twice in {out:?}");
    }

    // What HAPI then calls: the URL with its own pairs appended.
    let sep = match out.split_once('?') {
        None => "?",
        Some((_, q)) if q.is_empty() || q.ends_with('&') => "",
        Some(_) => "&",
    };
    let called = format!("{out}{sep}draftCampaignId=d1&amount=150.00&walletId=w1");
    let parsed = hapi::parse_callback(&called)
        .unwrap_or_else(|e| panic!("the built URL does not parse back: {e} ({called:?})"));
    assert_eq!(parsed.params, pairs);
    assert_eq!(parsed.amount, "150.00");
    assert_eq!(parsed.wallet_id, "w1");
    assert_eq!(parsed.draft_campaign_id.as_deref(), Some("d1"));
}
