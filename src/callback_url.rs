//! Signed callback URLs: proof that a callback URL handed to a provider is one
//! this server issued.
//!
//! `sig` = base64url (no padding) of HMAC-SHA256(secret, message), where message
//! is the URL's path, `?`, and the query pairs other than `sig` and the ignored
//! keys, in order, decoded and re-serialised with the form serializer (`exp`
//! included). Scheme and host are not signed: proxies rewrite them.
use crate::prelude::*;

use crate::error::{Code, Error, Result};
use crate::form;
use crate::limits;
use crate::signature::{self, Key};
use crate::url;
use hmac::Mac;

fn key(secret: &[u8]) -> Result<Key> {
    if secret.is_empty() {
        return Err(Error::new(
            Code::InvalidSecret,
            "the secret is empty; pass the callback signing secret",
        ));
    }
    Ok(Key::new(secret))
}

/// The message for `path` and the signed pairs (in order).
fn message<'a>(path: &str, pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut m = String::with_capacity(path.len() + 64);
    m.push_str(if path.is_empty() { "/" } else { path });
    m.push('?');
    for (i, (k, v)) in pairs.enumerate() {
        if i > 0 {
            m.push('&');
        }
        form::encode_into(&mut m, k);
        m.push('=');
        form::encode_into(&mut m, v);
    }
    m
}

/// Appends `exp` (when `expires_at` is given) and `sig` to `url`.
pub fn sign(
    url_text: &str,
    secret: &[u8],
    expires_at: Option<u64>,
    ignore_keys: &[&str],
) -> Result<String> {
    if url_text.len() > limits::URL_OUTPUT {
        return Err(Error::new(
            Code::InvalidUrl,
            "the URL would be longer than 2048 characters",
        ));
    }
    let key = key(secret)?;
    let parts = crate::hapi::check_callback_base(url_text)?;
    let pairs =
        form::decode(parts.query.unwrap_or_default().as_bytes()).map_err(url::query_error)?;
    if let Some((k, _)) = pairs.iter().find(|(k, _)| k == "sig" || k == "exp") {
        return Err(Error::field(
            Code::InvalidUrl,
            k.as_ref(),
            crate::error::concat(&[
                "the URL already has a `",
                k,
                "` parameter; sign the URL without it",
            ]),
        ));
    }
    let signed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, _)| !ignore_keys.contains(k))
        .collect();
    if let Some(dup) = first_duplicate(&signed) {
        return Err(Error::duplicate(dup));
    }
    let exp_text = expires_at.map(crate::error::decimal);
    let msg = message(
        parts.path,
        signed
            .iter()
            .copied()
            .chain(exp_text.as_deref().map(|e| ("exp", e))),
    );
    let sig = signature::base64url_encode(&key.sign(msg.as_bytes()));

    let mut out = String::from(url_text);
    match parts.query {
        None => out.push('?'),
        Some(q) if !q.is_empty() && !q.ends_with('&') => out.push('&'),
        Some(_) => {}
    }
    if let Some(e) = &exp_text {
        out.push_str("exp=");
        out.push_str(e);
        out.push('&');
    }
    out.push_str("sig=");
    out.push_str(&sig);
    if out.len() > limits::URL_OUTPUT {
        return Err(Error::new(
            Code::InvalidUrl,
            "the signed URL would be longer than 2048 characters",
        ));
    }
    Ok(out)
}

fn first_duplicate<'a>(pairs: &[(&'a str, &str)]) -> Option<&'a str> {
    let mut keys: Vec<&str> = pairs.iter().map(|(k, _)| *k).collect();
    crate::sort::sort_by(&mut keys, &|a, b| a.cmp(b));
    crate::sort::first_adjacent_duplicate(keys.into_iter())
}

/// Checks a signed URL (absolute, or a path starting with `/`) at time `now`
/// (unix seconds) and returns the signed parameters without `sig` and `exp`.
pub fn verify(
    url_text: &str,
    secret: &[u8],
    ignore_keys: &[&str],
    now: u64,
) -> Result<Vec<(String, String)>> {
    if url_text.len() > limits::URL_INPUT {
        return Err(Error::too_large("the URL", limits::URL_INPUT));
    }
    let key = key(secret)?;
    let (parts, pairs) = url::received_query(url_text)?;

    let mut sig: Option<&str> = None;
    for (k, v) in &pairs {
        if k == "sig" {
            if sig.is_some() {
                return Err(Error::duplicate("sig"));
            }
            sig = Some(v);
        }
    }
    let sig = sig.filter(|s| !s.is_empty()).ok_or_else(|| {
        Error::field(
            Code::MissingSignature,
            "sig",
            "the URL has no `sig` parameter: it was not signed by signCallbackUrl",
        )
    })?;
    let received: [u8; 32] = signature::base64url_decode(sig.as_bytes())
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| {
            Error::field(
                Code::MalformedSignature,
                "sig",
                "the `sig` parameter must be 43 base64url characters",
            )
        })?;

    let signed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .filter(|(k, _)| *k != "sig" && !ignore_keys.contains(k))
        .collect();
    if let Some(dup) = first_duplicate(&signed) {
        return Err(Error::duplicate(dup));
    }
    let msg = message(parts.path, signed.iter().copied());
    let mut mac = key.start();
    mac.update(msg.as_bytes());
    if !signature::verify(mac, &received) {
        return Err(Error::new(
            Code::SignatureMismatch,
            "the URL's signature does not match: the URL was changed after signing, or the secret differs",
        ));
    }

    if let Some((_, exp)) = signed.iter().find(|(k, _)| *k == "exp") {
        let exp = crate::error::parse_decimal(exp)
            .ok_or_else(|| Error::invalid("exp", "must be unix seconds"))?;
        if now > exp {
            return Err(Error::field(
                Code::Expired,
                "exp",
                "the signed URL has expired; issue a new one",
            ));
        }
    }
    Ok(signed
        .into_iter()
        .filter(|(k, _)| *k != "exp")
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"callback-secret";

    #[test]
    fn sign_then_verify_with_appended_keys() {
        let url = sign(
            "https://ats.example/hapi?order=o%201",
            SECRET,
            Some(2_000_000_000),
            &[],
        )
        .unwrap();
        assert!(url.starts_with("https://ats.example/hapi?order=o%201&exp=2000000000&sig="));
        assert_eq!(url.rsplit("sig=").next().unwrap().len(), 43);
        let got = verify(
            &format!("{url}&amount=10&walletId=w"),
            SECRET,
            &["draftCampaignId", "amount", "walletId"],
            1_999_999_999,
        )
        .unwrap();
        assert_eq!(got, vec![("order".to_owned(), "o 1".to_owned())]);
    }

    #[test]
    fn message_is_path_and_reserialised_query() {
        // Independent reference computed with Python:
        // hmac.new(b"callback-secret", b"/hapi?order=o+1&exp=2000000000", sha256)
        let url = sign(
            "https://ats.example/hapi?order=o%201",
            SECRET,
            Some(2_000_000_000),
            &[],
        )
        .unwrap();
        let sig = url.rsplit("sig=").next().unwrap();
        assert_eq!(sig, "3hMvW18_9wM4FN9s-t22ZNFo08Dg5Cg4T96qKyzepDc");
    }

    #[test]
    fn verify_errors() {
        let url = sign("https://a.example/cb?x=1", SECRET, Some(100), &[]).unwrap();
        let code = |u: &str, now: u64| verify(u, SECRET, &["amount"], now).unwrap_err().code();
        assert_eq!(code(&url, 101), Code::Expired);
        assert!(verify(&url, SECRET, &[], 100).is_ok());
        assert_eq!(code(&url.replace("x=1", "x=2"), 0), Code::SignatureMismatch);
        assert_eq!(code("/cb?x=1", 0), Code::MissingSignature);
        assert_eq!(code("/cb?x=1&sig=", 0), Code::MissingSignature);
        assert_eq!(code("/cb?x=1&sig=abc", 0), Code::MalformedSignature);
        assert_eq!(code(&format!("{url}&sig=x"), 0), Code::DuplicateField);
        assert_eq!(code(&format!("{url}&x=1"), 0), Code::DuplicateField);
        assert!(verify(&format!("{url}&amount=1&amount=2"), SECRET, &["amount"], 0).is_ok());
        assert_eq!(
            verify(&url, b"", &[], 0).unwrap_err().code(),
            Code::InvalidSecret
        );
    }

    #[test]
    fn sign_errors() {
        let code = |u: &str| sign(u, SECRET, None, &[]).unwrap_err().code();
        assert_eq!(code("https://a.example/?sig=1"), Code::InvalidUrl);
        assert_eq!(code("https://a.example/?exp=1"), Code::InvalidUrl);
        assert_eq!(code("https://a.example/#f"), Code::InvalidUrl);
        assert_eq!(code("http://a.example/"), Code::InsecureUrl);
        assert_eq!(code("https://a.example/?a=1&a=2"), Code::DuplicateField);
        assert_eq!(
            sign("https://a.example/", b"", None, &[])
                .unwrap_err()
                .code(),
            Code::InvalidSecret
        );
    }
}
