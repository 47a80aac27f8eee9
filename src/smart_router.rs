//! Smart Router (ProcessOut): the webhook body (an event id only, no signature),
//! HTTP basic auth on the webhook endpoint, the webhook URL that carries those
//! credentials, and the `GET /events/{id}` request that fetches the real event.
//!
//! Rules where the contract is silent:
//! - a JSON `null` member counts as absent (`"event_type": null` is no event type,
//!   `"event_id": null` is `MISSING_FIELD`);
//! - `event_type` may be any string, the empty one included (it is informational:
//!   the handler fetches the event to learn what happened);
//! - the webhook URL must not have a fragment (`INVALID_URL`): it is never sent to the
//!   server, so it is a mistake.
use crate::prelude::*;

use crate::error::{Code, Error, Result};
use crate::http::HttpRequest;
use crate::json::{self, Value};
use crate::limits;
use crate::signature::{self, Key};
use crate::url;
use hmac::Mac;

/// The production API.
pub const API_BASE: &str = "https://api.processout.com";

/// The longest event id accepted.
pub const EVENT_ID_MAX: usize = 255;

/// A webhook as received: which event to fetch, and what it claims to be.
/// Nothing here is authenticated; fetch the event to learn what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SmartRouterWebhook {
    pub event_id: String,
    pub event_type: Option<String>,
}

/// Reads a webhook body: one JSON object with `event_id` (1 to 255 of
/// `A-Z a-z 0-9 _ -`) and an optional string `event_type`. Other members are ignored.
pub fn parse_webhook(body: &[u8]) -> Result<SmartRouterWebhook> {
    if body.len() > limits::FORM_BODY {
        return Err(Error::too_large("the webhook body", limits::FORM_BODY));
    }
    let root = json::parse_object_body(body, "the webhook body")?;
    let event_id = match root.member("event_id") {
        None => return Err(Error::missing("event_id")),
        Some(Value::String(s)) => {
            check_event_id(s, "event_id")?;
            s.clone()
        }
        Some(_) => return Err(Error::invalid("event_id", "must be a string")),
    };
    let event_type = match root.member("event_type") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Error::invalid("event_type", "must be a string")),
    };
    Ok(SmartRouterWebhook {
        event_id,
        event_type,
    })
}

/// Reads a webhook configured with request method GET: the URL it was sent to
/// (absolute, or a path starting with `/`), whose query carries `event_id` and an
/// optional `event_type`, under the rules of [`parse_webhook`]. A key sent twice is
/// `DUPLICATE_FIELD`; other parameters are ignored. URL limit: 8 KiB.
pub fn parse_webhook_url(input: &str) -> Result<SmartRouterWebhook> {
    let (_, pairs) = url::received_query(input)?;
    let mut event_id = None;
    let mut event_type = None;
    for (k, v) in pairs {
        let slot = match k.as_ref() {
            "event_id" => &mut event_id,
            "event_type" => &mut event_type,
            _ => continue,
        };
        if slot.is_some() {
            return Err(Error::duplicate(&k));
        }
        *slot = Some(v.into_owned());
    }
    let event_id = event_id.ok_or_else(|| Error::missing("event_id"))?;
    check_event_id(&event_id, "event_id")?;
    Ok(SmartRouterWebhook {
        event_id,
        event_type,
    })
}

fn check_event_id(id: &str, field: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= EVENT_ID_MAX
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            "must be 1 to 255 letters, digits, `_` or `-` (such as ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C)",
        ))
    }
}

fn check_credentials(username: &str, password: &str) -> Result<()> {
    if username.is_empty() {
        return Err(Error::field(
            Code::InvalidSecret,
            "username",
            "the basic auth username is empty; configure a non-empty username",
        ));
    }
    if password.is_empty() {
        return Err(Error::field(
            Code::InvalidSecret,
            "password",
            "the basic auth password is empty; configure a non-empty password",
        ));
    }
    Ok(())
}

/// The key both sides of a credential comparison are MACed with, so that the
/// comparison is between two 32-byte digests: it takes the same time whatever the
/// lengths and contents of the strings. It need not be secret.
const COMPARE_KEY: &[u8] = b"payhook smart_router check_basic_auth";

/// Constant-time equality of `received` and `expected`, via their MACs.
fn same(key: &Key, received: &[u8], expected: &[u8]) -> bool {
    let mut mac = key.start();
    mac.update(received);
    signature::verify(mac, &key.sign(expected))
}

/// Checks an `Authorization` header value against the configured credentials.
///
/// `Basic` (any case), one or more spaces, then canonical padded standard base64
/// of the UTF-8 `user:pass`, split at the first `:`. Anything malformed, or absent,
/// is `Ok(false)`. Both parts are always compared, in constant time. An empty
/// configured username or password is `INVALID_SECRET`.
pub fn check_basic_auth(
    authorization: Option<&str>,
    username: &str,
    password: &str,
) -> Result<bool> {
    check_credentials(username, password)?;
    let Some((user, pass)) = authorization.and_then(decode_basic) else {
        return Ok(false);
    };
    let key = Key::new(COMPARE_KEY);
    let user_ok = same(&key, user.as_bytes(), username.as_bytes());
    let pass_ok = same(&key, pass.as_bytes(), password.as_bytes());
    Ok(user_ok & pass_ok)
}

/// The `(user, pass)` of a well-formed basic `Authorization` value.
fn decode_basic(header: &str) -> Option<(String, String)> {
    let bytes = header.as_bytes();
    if !bytes.get(..5)?.eq_ignore_ascii_case(b"basic") {
        return None;
    }
    let after_scheme = bytes.get(5..)?;
    // One or more U+0020 (`1*SP` in RFC 9110), nothing else.
    let spaces = after_scheme.iter().take_while(|&&b| b == b' ').count();
    if spaces == 0 {
        return None;
    }
    let token = after_scheme.get(spaces..)?;
    let decoded = String::from_utf8(signature::base64_decode(token)?).ok()?;
    let (user, pass) = url::split_once_byte(&decoded, b':')?;
    Some((user.to_owned(), pass.to_owned()))
}

/// Appends `s` with every byte except the unreserved `A-Z a-z 0-9 - . _ ~`
/// percent-encoded (uppercase hex), so that it cannot end the userinfo early.
fn encode_userinfo_into(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            crate::form::push_percent(out, b);
        }
    }
}

/// The webhook URL to configure in the dashboard, with the credentials in it:
/// `https://user:pass@host/…`.
///
/// `url` is an absolute URL in its WHATWG serialisation (run it through `new URL()`
/// first). `https:` only (`http:` for loopback hosts: `INSECURE_URL`), no userinfo
/// and no fragment (`INVALID_URL`). Both credentials are percent-encoded, every byte
/// but `A-Z a-z 0-9 - . _ ~`. A result over 2048 characters is `INVALID_URL`.
pub fn build_basic_auth_webhook_url(url: &str, username: &str, password: &str) -> Result<String> {
    check_credentials(username, password)?;
    if url.len() > limits::URL_OUTPUT {
        return Err(url::invalid("is longer than 2048 characters"));
    }
    let parts = url::split(url, false)?;
    if url::is_insecure(&parts) {
        return Err(url::insecure("the URL"));
    }
    let https = parts
        .scheme
        .is_some_and(|s| s.eq_ignore_ascii_case("https"));
    if parts.userinfo.is_some() {
        return Err(url::invalid(
            "already has a user name or password (`user:pass@`); pass the URL without them",
        ));
    }
    if parts.fragment.is_some() {
        return Err(url::invalid(
            "has a fragment (`#…`), which is never sent to the server; remove it",
        ));
    }
    let (_, rest) = url::split_once_str(url, "://")
        .ok_or_else(|| url::invalid("must be absolute (`https://host/…`)"))?;
    let mut out = String::with_capacity(url.len() + 3 * (username.len() + password.len()) + 2);
    out.push_str(if https { "https://" } else { "http://" });
    encode_userinfo_into(&mut out, username);
    out.push(':');
    encode_userinfo_into(&mut out, password);
    out.push('@');
    out.push_str(rest);
    if out.len() > limits::URL_OUTPUT {
        return Err(url::invalid(
            "with the credentials is longer than 2048 characters; shorten the URL or the credentials",
        ));
    }
    Ok(out)
}

/// `GET <api_base>/events/<event_id>`, authenticated with the project id and the
/// private key (HTTP basic auth), to fetch the event a webhook names.
///
/// `api_base` defaults to [`API_BASE`]; see [`url::check_api_base`] for its rules.
/// An empty project id or private key, or a project id with `:` (basic auth could
/// not carry it), is `INVALID_SECRET`; a malformed event id is `INVALID_FIELD`.
pub fn build_event_request(
    event_id: &str,
    project_id: &str,
    private_key: &str,
    api_base: Option<&str>,
) -> Result<HttpRequest> {
    if project_id.is_empty() {
        return Err(Error::field(
            Code::InvalidSecret,
            "projectId",
            "the project id is empty; pass the project id from your dashboard",
        ));
    }
    if project_id.bytes().any(|b| b == b':') {
        return Err(Error::field(
            Code::InvalidSecret,
            "projectId",
            "the project id contains `:`, which HTTP basic auth cannot carry in the user name",
        ));
    }
    if private_key.is_empty() {
        return Err(Error::field(
            Code::InvalidSecret,
            "privateKey",
            "the private key is empty; pass the API private key of the project",
        ));
    }
    let base = url::check_api_base(api_base.unwrap_or(API_BASE))?;
    check_event_id(event_id, "eventId")?;
    let mut target = String::with_capacity(base.len() + 8 + event_id.len());
    target.push_str(base);
    target.push_str("/events/");
    target.push_str(event_id);
    let mut credentials = String::with_capacity(project_id.len() + 1 + private_key.len());
    credentials.push_str(project_id);
    credentials.push(':');
    credentials.push_str(private_key);
    let mut authorization = String::from("Basic ");
    authorization.push_str(&signature::base64_encode(credentials.as_bytes()));
    HttpRequest::get_json(target, authorization)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C";

    fn code<T: core::fmt::Debug>(r: Result<T>) -> Code {
        r.unwrap_err().code()
    }

    fn err<T: core::fmt::Debug>(r: Result<T>) -> (Code, Option<String>) {
        let e = r.unwrap_err();
        (e.code(), e.field_name().map(str::to_owned))
    }

    // ---- parse_webhook_url ----

    #[test]
    fn reads_the_query_of_a_get_webhook() {
        let w = parse_webhook_url(&format!(
            "https://shop.example/webhooks/sr?event_id={ID}&event_type=transaction.failed"
        ))
        .unwrap();
        assert_eq!(w.event_id, ID);
        assert_eq!(w.event_type.as_deref(), Some("transaction.failed"));
        let w = parse_webhook_url(&format!("/webhooks/sr?x=1&event_id={ID}&y")).unwrap();
        assert_eq!((w.event_id.as_str(), w.event_type), (ID, None));
        let w = parse_webhook_url(&format!("/h?event_type=&event_id={ID}")).unwrap();
        assert_eq!(w.event_type.as_deref(), Some(""));
        let w = parse_webhook_url(&format!("/h?event_id={ID}&event_type=a+b%2Fc")).unwrap();
        assert_eq!(w.event_type.as_deref(), Some("a b/c"));
        let w = parse_webhook_url("/h?event_id=%65v_1").unwrap();
        assert_eq!(w.event_id, "ev_1");
    }

    #[test]
    fn get_webhook_errors() {
        for (url, want) in [
            ("/h", (Code::MissingField, Some("event_id"))),
            ("/h?event_type=x", (Code::MissingField, Some("event_id"))),
            ("/h?event_id=", (Code::InvalidField, Some("event_id"))),
            ("/h?event_id=ev%2F1", (Code::InvalidField, Some("event_id"))),
            ("/h?event_id=ev+1", (Code::InvalidField, Some("event_id"))),
            ("/h?event_id=ev.1", (Code::InvalidField, Some("event_id"))),
            (
                "/h?event_id=a&event_id=a",
                (Code::DuplicateField, Some("event_id")),
            ),
            (
                "/h?event_id=a&event_type=x&event_type=x",
                (Code::DuplicateField, Some("event_type")),
            ),
            ("/h?event_id=%zz", (Code::InvalidUrl, None)),
            ("/h?event_id=%FF", (Code::InvalidUrl, None)),
            ("h?event_id=a", (Code::InvalidUrl, None)),
            ("ftp://x.example/h?event_id=a", (Code::InvalidUrl, None)),
        ] {
            let e = parse_webhook_url(url).unwrap_err();
            assert_eq!((e.code(), e.field_name()), want, "{url}");
        }
        let long = format!("/h?event_id=a&pad={}", "x".repeat(8192));
        assert_eq!(
            parse_webhook_url(&long).unwrap_err().code(),
            Code::PayloadTooLarge
        );
        let max = format!("/h?event_id={}", "a".repeat(255));
        assert!(parse_webhook_url(&max).is_ok());
        let over = format!("/h?event_id={}", "a".repeat(256));
        assert_eq!(
            parse_webhook_url(&over).unwrap_err().code(),
            Code::InvalidField
        );
    }

    // ---- parse_webhook ----

    #[test]
    fn parses_documented_body() {
        let w = parse_webhook(
            br#"{"event_id":"ev_rV1yRUxr8IZ4p5sumcW2fbLxRy4FTB3C","event_type":"transaction.failed"}"#,
        )
        .unwrap();
        assert_eq!(w.event_id, ID);
        assert_eq!(w.event_type.as_deref(), Some("transaction.failed"));
    }

    #[test]
    fn event_type_is_optional_and_null_is_absent() {
        let w = parse_webhook(format!(r#"{{"event_id":"{ID}"}}"#).as_bytes()).unwrap();
        assert_eq!(w.event_type, None);
        let w = parse_webhook(format!(r#"{{"event_id":"{ID}","event_type":null}}"#).as_bytes())
            .unwrap();
        assert_eq!(w.event_type, None);
        let w =
            parse_webhook(format!(r#"{{"event_id":"{ID}","event_type":""}}"#).as_bytes()).unwrap();
        assert_eq!(w.event_type.as_deref(), Some(""));
    }

    #[test]
    fn other_fields_are_tolerated() {
        let body = format!(
            r#" {{"x":[1,{{"y":null}}],"event_id":"{ID}","project_id":"proj_1","data":{{"a":true}}}} "#
        );
        assert_eq!(parse_webhook(body.as_bytes()).unwrap().event_id, ID);
    }

    #[test]
    fn event_id_rules() {
        let max = "a".repeat(255);
        for ok in ["a", "A-_z09", max.as_str()] {
            let body = format!(r#"{{"event_id":"{ok}"}}"#);
            assert_eq!(parse_webhook(body.as_bytes()).unwrap().event_id, ok);
        }
        let long = "a".repeat(256);
        for bad in [
            "",
            " ev",
            "ev ",
            "ev.1",
            "ev/1",
            "ev%2F",
            "é",
            "ev\\u0000",
            "ev:1",
            long.as_str(),
        ] {
            let body = format!(r#"{{"event_id":"{bad}"}}"#);
            assert_eq!(
                err(parse_webhook(body.as_bytes())),
                (Code::InvalidField, Some("event_id".into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn wrong_types_are_invalid_field() {
        for v in ["1", "true", "[]", "{}", r#"["ev_1"]"#] {
            let body = format!(r#"{{"event_id":{v}}}"#);
            assert_eq!(
                err(parse_webhook(body.as_bytes())),
                (Code::InvalidField, Some("event_id".into())),
                "{v}"
            );
            let body = format!(r#"{{"event_id":"{ID}","event_type":{v}}}"#);
            assert_eq!(
                err(parse_webhook(body.as_bytes())),
                (Code::InvalidField, Some("event_type".into())),
                "{v}"
            );
        }
    }

    #[test]
    fn missing_event_id() {
        for body in [
            &br#"{}"#[..],
            br#"{"event_type":"x"}"#,
            br#"{"event_id":null}"#,
        ] {
            assert_eq!(
                err(parse_webhook(body)),
                (Code::MissingField, Some("event_id".into()))
            );
        }
    }

    #[test]
    fn malformed_bodies() {
        let dup = format!(r#"{{"event_id":"{ID}","event_id":"ev_2"}}"#);
        let bom = format!("\u{feff}{{\"event_id\":\"{ID}\"}}");
        for body in [
            &b""[..],
            b"null",
            b"[]",
            b"\"ev_1\"",
            b"1",
            b"{",
            b"{\"event_id\":\"ev_\xff\"}",
            b"event_id=ev_1",
            dup.as_bytes(),
            bom.as_bytes(),
        ] {
            assert_eq!(
                code(parse_webhook(body)),
                Code::MalformedBody,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn size_is_checked_first() {
        let pad = " ".repeat(limits::FORM_BODY);
        let body = format!(r#"{{"event_id":"{ID}"}}"#);
        let big = format!("{body}{pad}");
        assert_eq!(code(parse_webhook(big.as_bytes())), Code::PayloadTooLarge);
        // invalid JSON too large is still PAYLOAD_TOO_LARGE
        assert_eq!(
            code(parse_webhook(&vec![0xff; limits::FORM_BODY + 1])),
            Code::PayloadTooLarge
        );
        let exact = format!("{body}{}", " ".repeat(limits::FORM_BODY - body.len()));
        assert_eq!(exact.len(), limits::FORM_BODY);
        assert!(parse_webhook(exact.as_bytes()).is_ok());
    }

    // ---- check_basic_auth ----

    fn header(scheme: &str, spaces: usize, plain: &str) -> String {
        format!(
            "{scheme}{}{}",
            " ".repeat(spaces),
            signature::base64_encode(plain.as_bytes())
        )
    }

    #[test]
    fn accepts_matching_credentials() {
        // "Aladdin:open sesame" from RFC 7617
        assert_eq!(
            check_basic_auth(
                Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
                "Aladdin",
                "open sesame"
            ),
            Ok(true)
        );
        for scheme in ["Basic", "basic", "BASIC", "bAsIc"] {
            for spaces in [1, 2, 5] {
                let h = header(scheme, spaces, "user:pass");
                assert_eq!(check_basic_auth(Some(&h), "user", "pass"), Ok(true), "{h}");
            }
        }
    }

    #[test]
    fn splits_at_the_first_colon() {
        let h = header("Basic", 1, "user:pa:ss:");
        assert_eq!(check_basic_auth(Some(&h), "user", "pa:ss:"), Ok(true));
        assert_eq!(check_basic_auth(Some(&h), "user:pa", "ss:"), Ok(false));
        // a user name with `:` can never match (RFC 7617 forbids it)
        let h = header("Basic", 1, "us:er:pass");
        assert_eq!(check_basic_auth(Some(&h), "us:er", "pass"), Ok(false));
    }

    #[test]
    fn non_ascii_credentials_compare_as_utf8() {
        let h = header("Basic", 1, "jörg:pässwörd✓");
        assert_eq!(check_basic_auth(Some(&h), "jörg", "pässwörd✓"), Ok(true));
        assert_eq!(check_basic_auth(Some(&h), "jorg", "pässwörd✓"), Ok(false));
        // Latin-1 bytes (not UTF-8) are malformed, never a match
        let latin1 = format!("Basic {}", signature::base64_encode(b"j\xf6rg:p\xe4ss"));
        assert_eq!(check_basic_auth(Some(&latin1), "jörg", "päss"), Ok(false));
    }

    #[test]
    fn wrong_credentials_are_false() {
        let cases = [
            ("user:pass", "user", "pasS"),
            ("user:pass", "User", "pass"),
            ("user:pass", "user", "pass "),
            ("user:pass", "user", "pas"),
            ("user:pass", "use", "pass"),
            ("user:", "user", "pass"),
            (":pass", "user", "pass"),
            ("userpass:", "user", "pass"),
            ("", "user", "pass"),
            ("x:y", "user", "pass"),
        ];
        for (plain, u, p) in cases {
            let h = header("Basic", 1, plain);
            assert_eq!(check_basic_auth(Some(&h), u, p), Ok(false), "{plain}");
        }
    }

    #[test]
    fn malformed_headers_are_false() {
        // "user:pass1" is 10 bytes, so its encoding ends in "=="
        let good = signature::base64_encode(b"user:pass1");
        let unpadded = good.trim_end_matches('=').to_owned();
        assert_ne!(unpadded, good, "the test needs a padded encoding");
        for h in [
            String::new(),
            "Basic".to_owned(),
            "Basic ".to_owned(),
            "Basic  ".to_owned(),
            format!("Basic{good}"),
            format!("Basic\t{good}"),
            format!("Basic:{good}"),
            format!(" Basic {good}"),
            format!("Basic {good} "),
            format!("Basic {good}\n"),
            format!("Bearer {good}"),
            format!("Basics {good}"),
            format!("Digest {good}"),
            format!("Basic {unpadded}"),
            format!("Basic {unpadded}="),
            format!("Basic {good}="),
            format!("Basic {good}{good}"),
            format!("Basic \"{good}\""),
            "Basic dXNlcjpwYXNzMQ==!".to_owned(),
            "Basic %%%%".to_owned(),
            "Basic dXNlcjpwYXNzMR==".to_owned(), // unused bits set: not canonical
            "Basic ====".to_owned(),
            "Basic dXNl cjpwYXNzMQ==".to_owned(),
            format!("Basic {}", signature::base64_encode(b"userpass1")),
            "Bäsic dXNlcjpwYXNzMQ==".to_owned(),
            "Basic".to_owned() + "\u{a0}" + &good,
        ] {
            assert_eq!(
                check_basic_auth(Some(&h), "user", "pass1"),
                Ok(false),
                "{h:?}"
            );
        }
        // the control: the same credentials well formed
        let ok = format!("Basic {good}");
        assert_eq!(ok, "Basic dXNlcjpwYXNzMQ==");
        assert_eq!(check_basic_auth(Some(&ok), "user", "pass1"), Ok(true));
    }

    #[test]
    fn base64url_is_not_base64() {
        // `-` and `_` are not in the standard alphabet
        let url = format!("Basic {}", signature::base64url_encode(b"user:pass?>>"));
        let std = format!("Basic {}", signature::base64_encode(b"user:pass?>>"));
        assert!(url.contains('-') && std.contains('+'));
        assert_eq!(check_basic_auth(Some(&std), "user", "pass?>>"), Ok(true));
        assert_eq!(check_basic_auth(Some(&url), "user", "pass?>>"), Ok(false));
    }

    #[test]
    fn missing_header_is_false() {
        assert_eq!(check_basic_auth(None, "user", "pass"), Ok(false));
    }

    #[test]
    fn empty_configured_credentials_are_invalid_secret() {
        let h = header("Basic", 1, ":");
        for (u, p) in [("", "pass"), ("user", ""), ("", "")] {
            assert_eq!(code(check_basic_auth(Some(&h), u, p)), Code::InvalidSecret);
            // checked first, even without a header
            assert_eq!(code(check_basic_auth(None, u, p)), Code::InvalidSecret);
        }
        assert_eq!(
            err(check_basic_auth(None, "", "pass")).1.as_deref(),
            Some("username")
        );
        assert_eq!(
            err(check_basic_auth(None, "user", "")).1.as_deref(),
            Some("password")
        );
    }

    #[test]
    fn long_inputs_are_false_not_errors() {
        let big = format!("Basic {}", signature::base64_encode(&vec![b'a'; 100_000]));
        assert_eq!(check_basic_auth(Some(&big), "user", "pass"), Ok(false));
    }

    // ---- build_basic_auth_webhook_url ----

    #[test]
    fn inserts_encoded_credentials() {
        assert_eq!(
            build_basic_auth_webhook_url("https://shop.example/hooks/pro?x=1", "user", "pass")
                .unwrap(),
            "https://user:pass@shop.example/hooks/pro?x=1"
        );
        assert_eq!(
            build_basic_auth_webhook_url("https://shop.example/", "a@b:c/d", "p#q?r:s@t/u%v w")
                .unwrap(),
            "https://a%40b%3Ac%2Fd:p%23q%3Fr%3As%40t%2Fu%25v%20w@shop.example/"
        );
        assert_eq!(
            build_basic_auth_webhook_url("https://shop.example:8443/h", "jörg", "-._~+!$&'()*,;=")
                .unwrap(),
            "https://j%C3%B6rg:-._~%2B%21%24%26%27%28%29%2A%2C%3B%3D@shop.example:8443/h"
        );
    }

    #[test]
    fn encoded_credentials_round_trip_through_the_url_splitter() {
        let out = build_basic_auth_webhook_url("https://h.example/p", "u@:/#?", "p@:/#?").unwrap();
        let parts = url::split(&out, false).unwrap();
        assert_eq!(parts.host, Some("h.example"));
        assert_eq!(parts.path, "/p");
        assert_eq!(parts.query, None);
        assert_eq!(parts.fragment, None);
        assert_eq!(parts.userinfo, Some("u%40%3A%2F%23%3F:p%40%3A%2F%23%3F"));
    }

    #[test]
    fn every_byte_but_unreserved_is_encoded() {
        let all: String = (1u8..=127)
            .map(char::from)
            .chain(['é', '€', '😀'])
            .collect();
        let out = build_basic_auth_webhook_url("https://h.example/", &all, &all).unwrap();
        let userinfo = out
            .strip_prefix("https://")
            .and_then(|r| r.strip_suffix("@h.example/"))
            .unwrap();
        let (u, p) = userinfo.split_once(':').unwrap();
        assert_eq!(u, p);
        let mut expected = String::new();
        for b in all.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                expected.push(char::from(b));
            } else {
                expected.push_str(&format!("%{b:02X}"));
            }
        }
        assert_eq!(u, expected);
        assert!(u.ends_with("%F0%9F%98%80"));
    }

    #[test]
    fn at_signs_in_path_or_query_are_not_userinfo() {
        assert_eq!(
            build_basic_auth_webhook_url("https://h.example/a@b?c=d@e", "u", "p").unwrap(),
            "https://u:p@h.example/a@b?c=d@e"
        );
        assert_eq!(
            build_basic_auth_webhook_url("HTTPS://h.example", "u", "p").unwrap(),
            "https://u:p@h.example"
        );
    }

    #[test]
    fn http_only_for_loopback() {
        for base in [
            "http://localhost:8787/hook",
            "http://127.0.0.1/hook",
            "http://[::1]:3000/hook",
        ] {
            let out = build_basic_auth_webhook_url(base, "u", "p").unwrap();
            assert_eq!(out, base.replacen("http://", "http://u:p@", 1));
        }
        for base in [
            "http://shop.example/hook",
            "http://127.0.0.2/hook",
            "http://localhost.shop.example/",
        ] {
            assert_eq!(
                code(build_basic_auth_webhook_url(base, "u", "p")),
                Code::InsecureUrl,
                "{base}"
            );
        }
    }

    #[test]
    fn refuses_bad_urls() {
        for base in [
            "https://me:pw@shop.example/hook",
            "https://me@shop.example/hook",
            "https://shop.example/hook#frag",
            "ftp://shop.example/hook",
            "javascript:alert(1)",
            "/hook",
            "shop.example/hook",
            "https:///hook",
            "https://shop example/hook",
            "",
        ] {
            assert_eq!(
                code(build_basic_auth_webhook_url(base, "u", "p")),
                Code::InvalidUrl,
                "{base}"
            );
        }
    }

    #[test]
    fn refuses_long_results() {
        let base = format!("https://shop.example/{}", "a".repeat(2000));
        assert!(build_basic_auth_webhook_url(&base, "u", "p").is_ok());
        // the credentials push it over
        assert_eq!(
            code(build_basic_auth_webhook_url(&base, "u", &"/".repeat(20))),
            Code::InvalidUrl
        );
        let exact = format!("https://shop.example/{}", "a".repeat(2048 - 25));
        let out = build_basic_auth_webhook_url(&exact, "u", "p").unwrap();
        assert_eq!(out.len(), 2048);
        let over = format!("https://shop.example/{}", "a".repeat(2048 - 24));
        assert_eq!(
            code(build_basic_auth_webhook_url(&over, "u", "p")),
            Code::InvalidUrl
        );
        let huge = format!("https://shop.example/{}", "a".repeat(100_000));
        assert_eq!(
            code(build_basic_auth_webhook_url(&huge, "u", "p")),
            Code::InvalidUrl
        );
    }

    #[test]
    fn empty_credentials_are_invalid_secret_before_url_checks() {
        for (u, p) in [("", "p"), ("u", ""), ("", "")] {
            assert_eq!(
                code(build_basic_auth_webhook_url("https://shop.example/", u, p)),
                Code::InvalidSecret
            );
            assert_eq!(
                code(build_basic_auth_webhook_url("ftp://x", u, p)),
                Code::InvalidSecret
            );
        }
    }

    #[test]
    fn messages_never_contain_credentials() {
        let secret = "s3cr3t-P4ss";
        for r in [
            build_basic_auth_webhook_url("http://shop.example/", "user", secret),
            build_basic_auth_webhook_url("https://a:b@shop.example/", "user", secret),
            build_basic_auth_webhook_url(
                &format!("https://x.example/{}", "a".repeat(2040)),
                "user",
                secret,
            ),
        ] {
            let e = r.unwrap_err();
            assert!(!e.message().contains(secret));
            assert!(!e.to_string().contains(secret));
        }
    }

    // ---- build_event_request ----

    #[test]
    fn builds_the_event_request() {
        let r = build_event_request(ID, "proj_abc", "key_live_xyz", None).unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.url, format!("https://api.processout.com/events/{ID}"));
        assert_eq!(
            r.headers,
            vec![
                (
                    "Authorization",
                    format!(
                        "Basic {}",
                        signature::base64_encode(b"proj_abc:key_live_xyz")
                    )
                ),
                ("Accept", "application/json".to_owned()),
            ]
        );
        assert_eq!(r.body, None);
        // the Debug output leaves header values out
        let dbg = format!("{r:?}");
        assert!(!dbg.contains(&signature::base64_encode(b"proj_abc:key_live_xyz")));
    }

    #[test]
    fn private_key_may_contain_colons_and_non_ascii() {
        let r = build_event_request(ID, "proj_1", "k:ä:", None).unwrap();
        let auth = &r.headers[0].1;
        let decoded =
            signature::base64_decode(auth.strip_prefix("Basic ").unwrap().as_bytes()).unwrap();
        assert_eq!(decoded, "proj_1:k:ä:".as_bytes());
        // and what we send is what check_basic_auth accepts
        assert_eq!(check_basic_auth(Some(auth), "proj_1", "k:ä:"), Ok(true));
    }

    #[test]
    fn api_base_rules() {
        for (base, url) in [
            ("https://api.processout.com", "https://api.processout.com"),
            ("https://api.processout.com/", "https://api.processout.com"),
            ("https://proxy.example/po/", "https://proxy.example/po"),
            (
                "https://proxy.example:8443/po",
                "https://proxy.example:8443/po",
            ),
            ("http://localhost:8787", "http://localhost:8787"),
            ("http://127.0.0.1:8787/", "http://127.0.0.1:8787"),
            ("http://[::1]/mock", "http://[::1]/mock"),
        ] {
            let r = build_event_request("ev_1", "p", "k", Some(base)).unwrap();
            assert_eq!(r.url, format!("{url}/events/ev_1"), "{base}");
        }
        for base in ["http://api.processout.com", "http://localhost.evil.example"] {
            assert_eq!(
                code(build_event_request("ev_1", "p", "k", Some(base))),
                Code::InsecureUrl,
                "{base}"
            );
        }
        let long = format!("https://x.example/{}", "a".repeat(2048));
        for base in [
            "https://api.processout.com?x=1",
            "https://api.processout.com/?",
            "https://api.processout.com#f",
            "https://u:p@api.processout.com",
            "https://api.processout.com//",
            "https://api.processout.com/a//b",
            "ftp://api.processout.com",
            "api.processout.com",
            "/events",
            "",
            long.as_str(),
        ] {
            assert_eq!(
                code(build_event_request("ev_1", "p", "k", Some(base))),
                Code::InvalidUrl,
                "{base}"
            );
        }
        // a long base and a long id together exceed the output limit
        let base = format!("https://x.example/{}", "a".repeat(1900));
        assert_eq!(
            code(build_event_request(&"e".repeat(255), "p", "k", Some(&base))),
            Code::InvalidUrl
        );
    }

    #[test]
    fn event_request_errors() {
        assert_eq!(
            err(build_event_request("ev_1", "", "k", None)),
            (Code::InvalidSecret, Some("projectId".into()))
        );
        assert_eq!(
            err(build_event_request("ev_1", "p", "", None)),
            (Code::InvalidSecret, Some("privateKey".into()))
        );
        assert_eq!(
            err(build_event_request("ev_1", "p:q", "k", None)),
            (Code::InvalidSecret, Some("projectId".into()))
        );
        let long = "a".repeat(256);
        for bad in ["", "ev/../x", "ev?x", "ev#x", "ev 1", "%2e", long.as_str()] {
            assert_eq!(
                err(build_event_request(bad, "p", "k", None)),
                (Code::InvalidField, Some("eventId".into())),
                "{bad}"
            );
        }
        // secrets are checked before the id
        assert_eq!(
            code(build_event_request("", "", "k", None)),
            Code::InvalidSecret
        );
        let e =
            build_event_request("ev_1", "p", "secret-key", Some("http://x.example")).unwrap_err();
        assert!(!e.message().contains("secret-key"));
    }
}
