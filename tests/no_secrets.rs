#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! No secret, salt, password, token or computed signature in any error message, in
//! any error's `Display` or `Debug`, in the `Debug` of `Salt`, `Key` and
//! `HttpRequest`, or in a diagnosis. Every public function that takes a secret is
//! driven here through a corpus of good and bad inputs; everything it says is
//! collected and scanned for each secret and for every signature computed with one
//! (in hex of either case and in base64url), computed here with `hmac`/`sha2`.

mod common;

use common::{b64, b64url, hex, mac};
use payhook::__private::Key;
use payhook::hitpay::{self, PaymentRequestParams, Salt};
use payhook::{callback_url, diagnose, hapi, payex, smart_router, Code, Error};

const SALT: &str = "salt-9f8e7d6c5b4a-NEVER";
const API_KEY: &str = "hp-key-1a2b3c4d5e6f-NEVER";
const SECRET: &str = "cb-secret-0a9b8c7d-NEVER";
const USERNAME: &str = "hook-user";
const PASSWORD: &str = "pw-Zx9Yw8Vu7-NEVER";
const TOKEN: &str = "tok-M9n8B7v6-NEVER";
const PROJECT_ID: &str = "proj_Q1w2";
const PRIVATE_KEY: &str = "pk-Q1w2E3r4T5-NEVER";

/// What the library said, and the secrets and signatures it must not have said.
#[derive(Default)]
struct Scan {
    said: Vec<String>,
    forbidden: Vec<String>,
    codes: std::collections::BTreeSet<&'static str>,
}

impl Scan {
    fn error(&mut self, e: &Error) {
        self.codes.insert(e.code().as_str());
        self.said.push(format!("{e}"));
        self.said.push(format!("{e:?}"));
        self.said.push(e.message().to_owned());
    }
    fn result<T>(&mut self, r: Result<T, Error>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(&e);
                None
            }
        }
    }
    fn forbid(&mut self, s: impl Into<String>) {
        let s = s.into();
        self.forbidden.push(s.to_ascii_uppercase());
        self.forbidden.push(s);
    }
    /// A signature: hex (both cases), base64url and base64.
    fn forbid_mac(&mut self, m: &[u8; 32]) {
        self.forbid(hex(m));
        self.forbid(b64url(m));
        self.forbid(b64(m));
    }
    fn assert_clean(&self) {
        assert!(
            self.said.len() > 100,
            "the corpus produced only {} outputs",
            self.said.len()
        );
        // Every kind of error the core raises was produced, so every message template
        // was scanned. UNAUTHORIZED is raised only by the JavaScript Fetch API layer
        // (pkg/fetch.js; tests/node/fetch-requests.test.mjs scans its messages).
        let all: std::collections::BTreeSet<&str> = Code::ALL
            .iter()
            .filter(|c| **c != Code::Unauthorized)
            .map(|c| c.as_str())
            .collect();
        assert_eq!(self.codes, all, "codes the corpus produced");
        for text in &self.said {
            for secret in &self.forbidden {
                assert!(
                    !text.contains(secret.as_str()),
                    "{secret:?} appears in {text:?}"
                );
            }
        }
    }
}

/// Form bodies: valid, signed wrongly in the usual ways, and malformed.
fn hitpay_bodies(salt: &[u8], scan: &mut Scan) -> Vec<Vec<u8>> {
    let good_canonical = "amount25.00currencySGDpayment_idp1statuscompleted";
    let good = mac(salt, good_canonical.as_bytes());
    scan.forbid_mac(&good);
    // The signatures a signer making the usual mistakes would get.
    for wrong in [
        "amount25.00currencySGDhmacpayment_idp1statuscompleted",
        "payment_idp1amount25.00currencySGDstatuscompleted",
        "amount=25.00&currency=SGD&payment_id=p1&status=completed",
    ] {
        scan.forbid_mac(&mac(salt, wrong.as_bytes()));
    }
    let trimmed = mac(salt.trim_ascii(), good_canonical.as_bytes());
    scan.forbid_mac(&trimmed);
    let fields = "payment_id=p1&amount=25.00&currency=SGD&status=completed";
    let mut out: Vec<Vec<u8>> = vec![
        format!("{fields}&hmac={}", hex(&good)),
        format!("{fields}&hmac={}", hex(&good).to_uppercase()),
        format!("{fields}&hmac={}", "0".repeat(64)),
        format!("{fields}&hmac={}", &hex(&good)[..40]),
        format!("{fields}&hmac={}", "z".repeat(64)),
        format!("{fields}&hmac="),
        fields.to_owned(),
        format!("{fields}&status=x&hmac={}", hex(&good)),
        format!("{fields}&hmac={}&hmac={}", hex(&good), hex(&good)),
        format!("=x&{fields}&hmac={}", hex(&good)),
        format!("a=%zz&{fields}&hmac={}", hex(&good)),
        format!("a=%FF&hmac={}", hex(&good)),
        format!("{{\"a\":1}}&hmac={}", hex(&good)),
        format!("{}&hmac={}", "k=v&".repeat(3000), hex(&good)),
        format!("{fields}&hmac={}", hex(&trimmed)),
        "a".repeat(64 * 1024 + 1),
        String::new(),
        "&&&".to_owned(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect();
    out.push(b"a=\xff&hmac=00".to_vec());
    out
}

#[test]
fn nothing_the_library_says_contains_a_secret_or_a_signature() {
    let mut scan = Scan::default();
    for s in [SALT, API_KEY, SECRET, PASSWORD, TOKEN, PRIVATE_KEY] {
        scan.forbid(s);
    }
    scan.forbid(b64(format!("{USERNAME}:{PASSWORD}").as_bytes()));
    scan.forbid(b64(format!("{PROJECT_ID}:{PRIVATE_KEY}").as_bytes()));

    // HitPay form webhooks, with the salt as configured and with the usual whitespace.
    for salt in [SALT.to_owned(), format!("{SALT}\n"), format!(" {SALT}")] {
        let salt = salt.as_bytes();
        let prepared = Salt::new(salt).unwrap();
        for body in hitpay_bodies(salt, &mut scan) {
            scan.result(hitpay::verify_webhook(&body, salt));
            scan.result(hitpay::verify_webhook_with(&body, &prepared));
            let d = diagnose::diagnose(&body, salt);
            scan.said.push(format!("{d:?}"));
            for h in &d.hints {
                scan.said.push(h.message.to_owned());
            }
            if let Some(e) = &d.error {
                scan.error(e);
            }
        }
        scan.said.push(format!("{prepared:?}"));
    }
    scan.result(hitpay::verify_webhook(b"a=1&hmac=00", b""));
    scan.result(Salt::new(b""));
    scan.result(hitpay::sign_webhook(
        [("a", "1"), ("a", "2")],
        SALT.as_bytes(),
    ));
    scan.result(hitpay::sign_webhook([("a", "1")], b""));

    // HitPay events.
    let event = br#"{"id":"e1","status":"completed"}"#;
    let good = mac(SALT.as_bytes(), event);
    scan.forbid_mac(&good);
    for (body, sig) in [
        (&event[..], hex(&good)),
        (&event[..], "0".repeat(64)),
        (&event[..], format!("sha256={}", hex(&good))),
        (&event[..], hex(&good)[..63].to_owned()),
        (&event[..], String::new()),
        (&b"[1,2]"[..], hex(&mac(SALT.as_bytes(), b"[1,2]"))),
        (
            &b"{\"a\":1,\"a\":2}"[..],
            hex(&mac(SALT.as_bytes(), b"{\"a\":1,\"a\":2}")),
        ),
        (&b"{\"a\":"[..], hex(&mac(SALT.as_bytes(), b"{\"a\":"))),
    ] {
        scan.forbid_mac(&mac(SALT.as_bytes(), body));
        scan.result(hitpay::verify_event(body, sig.as_bytes(), SALT.as_bytes()));
        scan.result(hitpay::verify_event(body, sig.as_bytes(), b""));
    }

    // HitPay payment requests: the API key in the header only.
    let params = |amount: &str, currency: &str| PaymentRequestParams {
        amount: Some(amount.to_owned()),
        currency: Some(currency.to_owned()),
        email: Some("buyer@example.com".to_owned()),
        ..PaymentRequestParams::default()
    };
    for (p, key) in [
        (params("25.00", "SGD"), API_KEY.to_owned()),
        (params("0.01", "SGD"), API_KEY.to_owned()),
        (params("25.00", "SG"), API_KEY.to_owned()),
        (PaymentRequestParams::default(), API_KEY.to_owned()),
        (params("25.00", "SGD"), format!("{API_KEY}\n")),
        (params("25.00", "SGD"), String::new()),
        (
            PaymentRequestParams {
                email: Some("not an email".to_owned()),
                redirect_url: Some("http://shop.example/".to_owned()),
                ..params("25.00", "SGD")
            },
            API_KEY.to_owned(),
        ),
    ] {
        for sandbox in [false, true] {
            if let Some(r) = scan.result(hitpay::build_payment_request(&p, &key, sandbox)) {
                scan.said.push(format!("{r:?}"));
            }
        }
    }
    // The status request: the API key in the header only, whatever the id.
    for (id, key) in [
        ("9ef68e2e-3569-4f69-9f68-04c7e4bb007c", API_KEY.to_owned()),
        ("9ef68e2e", API_KEY.to_owned()),
        (
            "9ef68e2e-3569-4f69-9f68-04c7e4bb007c",
            format!("{API_KEY}\n"),
        ),
        ("9ef68e2e-3569-4f69-9f68-04c7e4bb007c", String::new()),
    ] {
        for sandbox in [false, true] {
            if let Some(r) = scan.result(hitpay::build_payment_request_status_request(
                id, &key, sandbox,
            )) {
                scan.said.push(format!("{r:?}"));
            }
        }
    }

    // Signed callback URLs.
    let url = "https://ats.example/hapi?order=o1";
    let message = "/hapi?order=o1&exp=2000000000";
    scan.forbid_mac(&mac(SECRET.as_bytes(), message.as_bytes()));
    scan.forbid_mac(&mac(SECRET.as_bytes(), b"/hapi?order=o1"));
    let signed = callback_url::sign(url, SECRET.as_bytes(), Some(2_000_000_000), &[]).unwrap();
    let (unsigned, sig) = signed.rsplit_once("&sig=").unwrap();
    for candidate in [
        signed.clone(),
        format!("{signed}&amount=1"),
        format!("{unsigned}&sig=AAAA{}", &sig[4..]),
        format!("{unsigned}&sig={}", &sig[..42]),
        format!("{unsigned}&sig="),
        unsigned.to_owned(),
        format!("{signed}&sig={sig}"),
        signed.replace("o1", "o2"),
        signed.replace("https://", "ftp://"),
        format!("/hapi?order=%zz&sig={sig}"),
        format!("/{}", "a".repeat(9000)),
    ] {
        for now in [0, 3_000_000_000] {
            scan.result(callback_url::verify(
                &candidate,
                SECRET.as_bytes(),
                &["amount"],
                now,
            ));
            scan.result(callback_url::verify(&candidate, b"", &[], now));
            scan.result(callback_url::verify(
                &candidate,
                b"another secret",
                &[],
                now,
            ));
        }
    }
    for candidate in [
        url,
        "https://ats.example/hapi?sig=1",
        "https://ats.example/hapi?exp=1",
        "https://ats.example/hapi#f",
        "http://ats.example/hapi",
        "https://ats.example/hapi?a=1&a=2",
        "not a url",
    ] {
        scan.result(callback_url::sign(candidate, SECRET.as_bytes(), None, &[]));
        scan.result(callback_url::sign(candidate, b"", None, &[]));
    }
    scan.said.push(format!("{:?}", Key::new(SECRET.as_bytes())));
    for base in [
        "https://u:p@a.example/",
        "https://a.example/?amount=1",
        "https://a.example/?x=1&x=2",
    ] {
        scan.result(hapi::build_callback_url(base, &[("k", SECRET)]));
    }
    for url in [
        "/cb?amount=1",
        "/cb?amount=x&walletId=w",
        "/cb?amount=1&walletId=w&x=%zz",
    ] {
        scan.result(hapi::parse_callback(url));
    }

    // Smart Router basic auth.
    for header in [
        format!("Basic {}", b64(format!("{USERNAME}:{PASSWORD}").as_bytes())),
        format!(
            "Basic {}",
            b64(format!("{USERNAME}:{PASSWORD}x").as_bytes())
        ),
        format!("Bearer {PASSWORD}"),
        format!("Basic {PASSWORD}"),
        "Basic".to_owned(),
    ] {
        for (user, pass) in [(USERNAME, PASSWORD), ("", PASSWORD), (USERNAME, "")] {
            match smart_router::check_basic_auth(Some(&header), user, pass) {
                Ok(ok) => scan.said.push(ok.to_string()),
                Err(e) => scan.error(&e),
            }
        }
    }
    for url in [
        "https://shop.example/hook",
        "http://shop.example/hook",
        "https://a:b@shop.example/hook",
        "https://shop.example/hook#x",
        "shop.example/hook",
        &format!("https://shop.example/{}", "a".repeat(2100)),
    ] {
        for (user, pass) in [(USERNAME, PASSWORD), ("", PASSWORD), (USERNAME, "")] {
            // A built URL carries the credentials by design: only errors are scanned.
            if let Err(e) = smart_router::build_basic_auth_webhook_url(url, user, pass) {
                scan.error(&e);
            }
        }
    }
    for (event_id, project, key, base) in [
        ("ev_1", PROJECT_ID, PRIVATE_KEY, None),
        ("ev 1", PROJECT_ID, PRIVATE_KEY, None),
        ("ev_1", "a:b", PRIVATE_KEY, None),
        ("ev_1", "", PRIVATE_KEY, None),
        ("ev_1", PROJECT_ID, "", None),
        ("ev_1", PROJECT_ID, PRIVATE_KEY, Some("http://api.example")),
        (
            "ev_1",
            PROJECT_ID,
            PRIVATE_KEY,
            Some("https://u:p@api.example"),
        ),
    ] {
        if let Some(r) = scan.result(smart_router::build_event_request(
            event_id, project, key, base,
        )) {
            scan.said.push(format!("{r:?}"));
        }
    }

    // PayEx fetch requests: the token in the header only.
    let path = "/psp/creditcard/payments/5adc265f-f87f-4313-577e-08d3dca1a26c";
    for (p, token, base) in [
        (path, TOKEN.to_owned(), None),
        (
            path,
            TOKEN.to_owned(),
            Some("https://api.externalintegration.payex.com"),
        ),
        ("/psp/../payments", TOKEN.to_owned(), None),
        ("https://evil.example/psp/x", TOKEN.to_owned(), None),
        (path, String::new(), None),
        (path, format!("{TOKEN}\r\n"), None),
        (path, TOKEN.to_owned(), Some("http://evil.example")),
    ] {
        if let Some(r) = scan.result(payex::build_fetch_request(p, &token, base)) {
            scan.said.push(format!("{r:?}"));
        }
    }

    scan.assert_clean();
}

#[test]
fn debug_of_secret_holders_is_redacted() {
    let salt = Salt::new(SALT.as_bytes()).unwrap();
    assert_eq!(
        format!("{salt:?}"),
        format!("{:?}", Salt::new(b"x").unwrap())
    );
    assert!(!format!("{salt:?}").contains(SALT));
    let key = Key::new(SECRET.as_bytes());
    assert_eq!(format!("{key:?}"), "Key(<redacted>)");
    assert_eq!(format!("{key:#?}"), format!("{:#?}", Key::new(b"x")));

    let mut p = PaymentRequestParams {
        amount: Some("25.00".into()),
        currency: Some("SGD".into()),
        ..PaymentRequestParams::default()
    };
    p.name = Some("Jane".into());
    let r = hitpay::build_payment_request(&p, API_KEY, false).unwrap();
    for shown in [format!("{r:?}"), format!("{r:#?}")] {
        assert!(!shown.contains(API_KEY), "{shown}");
        assert!(
            shown.contains("X-BUSINESS-API-KEY"),
            "header names are shown: {shown}"
        );
    }
    assert!(
        r.headers.iter().any(|(_, v)| v == API_KEY),
        "the key is in the header"
    );
}
