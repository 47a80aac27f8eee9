//! `hitpay::build_payment_request`.
//!
//! Input: read with `arbitrary`: each parameter absent, one of a few typical
//! values (valid and not), or arbitrary text; the API key likewise; `sandbox`.
//!
//! Invariants: a built request has the contract's URL and headers, and its body
//! decodes back to exactly the parameters given, under their wire names, in
//! order; every value in it passes the contract's rule (checked here
//! independently); a refused amount or currency breaks its rule; `INSECURE_URL`
//! only for an `http:` URL, and a built request's URLs are `https:` or `http:` on a
//! loopback host; a request whose every value is plainly valid is built; the API key
//! shows in no message and in no `Debug`.

use crate::check_error;
use crate::reference::form_decode;
use arbitrary::{Result, Unstructured};
use payhook::hitpay::{self, PaymentRequestAddress, PaymentRequestParams};
use payhook::Code;

const ALLOWED: &[Code] = &[
    Code::InvalidSecret,
    Code::MissingField,
    Code::InvalidAmount,
    Code::InvalidCurrency,
    Code::InvalidField,
    Code::InsecureUrl,
];

const UUID: &str = "98888a24-d6b2-430d-9063-d2be76d443cd";

fn pick(u: &mut Unstructured, samples: &[&str]) -> Result<Option<String>> {
    Ok(match u.int_in_range(0..=4u8)? {
        0 => None,
        1 => Some(String::arbitrary_take(u)?),
        _ => Some((*u.choose(samples)?).to_owned()),
    })
}

trait Take: Sized {
    fn arbitrary_take(u: &mut Unstructured) -> Result<Self>;
}
impl Take for String {
    fn arbitrary_take(u: &mut Unstructured) -> Result<String> {
        let len = u.arbitrary_len::<char>()?.min(300);
        let mut s = String::new();
        for _ in 0..len {
            s.push(u.arbitrary::<char>()?);
        }
        Ok(s)
    }
}

const LONG_OK: &str = "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé";

fn params(u: &mut Unstructured) -> Result<PaymentRequestParams> {
    let text = ["Jane Doe", "", "a&b=c%20+d", "日本語 😀", LONG_OK];
    let urls = [
        "https://shop.example/done",
        "https://shop.example:8443/p?x=1&y=%20",
        "HTTPS://SHOP.EXAMPLE/",
        "http://shop.example/done",
        "https://u:p@shop.example/",
        "https://shop.example/#frag",
        "shop.example/done",
        "https:///done",
        "http://localhost:3000/return",
        "http://[::1]/hook",
    ];
    let methods = [
        "paynow_online",
        "card",
        "wechat_pay",
        "Card",
        "",
        "pay now",
        "wifi_card_reader",
    ];
    let payment_methods = match u.int_in_range(0..=2u8)? {
        0 => None,
        _ => {
            let n = u.int_in_range(0..=3usize)?;
            let mut v = Vec::new();
            for _ in 0..n {
                v.push(pick(u, &methods)?.unwrap_or_default());
            }
            Some(v)
        }
    };
    Ok(PaymentRequestParams {
        amount: pick(
            u,
            &[
                "1",
                "0.30",
                "25.00",
                "2500.5",
                "999999999.99",
                "10",
                "0.29",
                "0",
                "01",
                "1e3",
                "1.",
                ".5",
                "1.234",
                "1000000000",
                "-1",
                "",
                "00.50",
            ],
        )?,
        currency: pick(u, &["SGD", "usd", "MyR", "SG", "SGDX", "S1D", "ÄÖÜ", ""])?,
        payment_methods,
        email: pick(
            u,
            &[
                "buyer@example.com",
                "a@b.co",
                "a@b",
                "@b.co",
                "a b@c.co",
                "a@@b.co",
                "a@.co",
            ],
        )?,
        name: pick(u, &text)?,
        phone: pick(u, &["+6591234567", "", "12 34"])?,
        purpose: pick(u, &text)?,
        reference_number: pick(u, &text)?,
        redirect_url: pick(u, &urls)?,
        webhook: pick(u, &urls)?,
        allow_repeated_payments: u.arbitrary()?,
        expiry_date: pick(
            u,
            &[
                "2024-02-29 23:59:59",
                "2000-02-29 00:00:00",
                "2023-02-29 10:00:00",
                "1900-02-29 10:00:00",
                "2024-04-31 10:00:00",
                "2024-13-01 10:00:00",
                "2024-01-01 24:00:00",
                "2024-01-01T10:00:00",
                "0000-01-01 00:00:00",
            ],
        )?,
        generate_qr: u.arbitrary()?,
        expires_after: pick(
            u,
            &[
                "5 minutes",
                "6 mins",
                "2 hours",
                "1 day",
                "0 days",
                "5 weeks",
                "05 mins",
                "",
            ],
        )?,
        add_admin_fee: u.arbitrary()?,
        send_email: u.arbitrary()?,
        send_sms: u.arbitrary()?,
        wifi_terminal_id: pick(u, &["tmr_FDOt2wlRZEdpd7", "", "tmr 1", "t-1"])?,
        staff_id: pick(u, &[UUID, "98888a24", ""])?,
        location_id: pick(u, &[UUID, "9dd07721-d215-4947-9c79-2b8ec25f69dbx"])?,
        channel: pick(u, &["api_woocomm", "point_of_sale", "Api", ""])?,
        address: match u.int_in_range(0..=2u8)? {
            0 => None,
            _ => Some(PaymentRequestAddress {
                line1: pick(u, &["177 River Valley Road", "", LONG_OK])?,
                line2: pick(u, &text)?,
                city: pick(u, &text)?,
                state: pick(u, &text)?,
                postal_code: pick(u, &["179030", ""])?,
                country: pick(u, &["SG", "sg", "SGP", "S1", ""])?,
            }),
        },
    })
}

/// An `http:` URL on a loopback host, which any reading accepts.
fn loopback_http(v: &str) -> bool {
    [
        "http://localhost/",
        "http://localhost:",
        "http://127.0.0.1",
        "http://[::1]",
    ]
    .iter()
    .any(|p| v.starts_with(p))
}

fn duration_ok(d: &str) -> bool {
    let Some((n, unit)) = d.split_once(' ') else {
        return false;
    };
    (1..=6).contains(&n.len())
        && !n.starts_with('0')
        && n.bytes().all(|b| b.is_ascii_digit())
        && [
            "min", "mins", "minute", "minutes", "hour", "hours", "day", "days",
        ]
        .contains(&unit)
}

fn uuid_ok(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn terminal_ok(t: &str) -> bool {
    (1..=255).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn channel_ok(c: &str) -> bool {
    (1..=64).contains(&c.len()) && method_ok(c)
}

/// The new parameters of issue 13, each by its rule.
fn new_params_ok(p: &PaymentRequestParams) -> bool {
    let texts_ok = |v: &Option<String>| v.as_ref().is_none_or(|s| s.chars().count() <= 255);
    let card_reader = p
        .payment_methods
        .iter()
        .flatten()
        .any(|m| m == "wifi_card_reader");
    p.expires_after
        .as_deref()
        .is_none_or(|d| duration_ok(d) && p.expiry_date.is_none())
        && p.wifi_terminal_id
            .as_deref()
            .map_or(!card_reader, terminal_ok)
        && [&p.staff_id, &p.location_id]
            .iter()
            .all(|v| v.as_deref().is_none_or(uuid_ok))
        && p.channel.as_deref().is_none_or(channel_ok)
        && p.address.as_ref().is_none_or(|a| {
            a.line1.as_deref().is_some_and(|l| !l.is_empty())
                && [&a.line1, &a.line2, &a.city, &a.state, &a.postal_code]
                    .iter()
                    .all(|v| texts_ok(v))
                && a.country
                    .as_deref()
                    .is_none_or(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
        })
}

/// The contract's amount rule, written here.
pub fn amount_ok(a: &str) -> bool {
    let (int, frac) = a.split_once('.').map_or((a, None), |(i, f)| (i, Some(f)));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (int.len() > 1 && int.starts_with('0')) {
        return false;
    }
    if let Some(f) = frac {
        if !digits(f) || f.len() > 2 {
            return false;
        }
    }
    if int.len() > 9 {
        return false;
    }
    let cents = int.parse::<u64>().unwrap_or(u64::MAX) * 100
        + frac.map_or(0, |f| format!("{f:0<2}").parse::<u64>().unwrap_or(0));
    (30..=99_999_999_999).contains(&cents)
}

fn currency_ok(c: &str) -> bool {
    c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic())
}

fn datetime_ok(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 19 {
        return false;
    }
    for (i, &c) in b.iter().enumerate() {
        let sep = match i {
            4 | 7 => Some(b'-'),
            10 => Some(b' '),
            13 | 16 => Some(b':'),
            _ => None,
        };
        match sep {
            Some(want) if c != want => return false,
            None if !c.is_ascii_digit() => return false,
            _ => {}
        }
    }
    let n = |r: core::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(u32::MAX);
    let (y, mo, d, h, mi, se) = (n(0..4), n(5..7), n(8..10), n(11..13), n(14..16), n(17..19));
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1 && d >= 1 && d <= days && h < 24 && mi < 60 && se < 60
}

fn method_ok(m: &str) -> bool {
    !m.is_empty()
        && m.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// An https URL that any reading accepts: `https://` + a plain host + a plain path.
fn url_plainly_ok(v: &str) -> bool {
    v.len() <= 1028
        && v.strip_prefix("https://").is_some_and(|rest| {
            let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
            !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
                && path
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/-._~".contains(&b))
        })
}

fn email_ok(e: &str) -> bool {
    // The contract: one `@`, no spaces, a dot in the domain.
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !e.chars().any(char::is_whitespace)
}

pub fn check(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(p) = params(&mut u) else { return };
    let Ok(api_key) = pick(
        &mut u,
        &["hp_live_0123456789abcdef", "", "key\nwith newline", "k"],
    ) else {
        return;
    };
    let api_key = api_key.unwrap_or_default();
    let sandbox = u.arbitrary::<bool>().unwrap_or(false);

    let result = hitpay::build_payment_request(&p, &api_key, sandbox);

    let texts_ok = |v: &Option<String>| v.as_ref().is_none_or(|s| s.chars().count() <= 255);
    let plainly_valid = !api_key.is_empty()
        && !api_key.bytes().any(|b| b < b' ' || b == 0x7f)
        && p.amount.as_deref().is_some_and(amount_ok)
        && p.currency.as_deref().is_some_and(currency_ok)
        && p.payment_methods
            .as_ref()
            .is_none_or(|m| !m.is_empty() && m.iter().all(|x| method_ok(x)))
        && p.email.as_deref().is_none_or(|e| {
            e.len() <= 254
                && email_ok(e)
                && !e.starts_with('.')
                && !e.ends_with('.')
                && !e.contains(char::is_control)
                && e.split_once('@')
                    .is_some_and(|(_, d)| !d.starts_with('.') && !d.ends_with('.'))
        })
        && [&p.name, &p.phone, &p.purpose, &p.reference_number]
            .iter()
            .all(|v| texts_ok(v))
        && [&p.redirect_url, &p.webhook]
            .iter()
            .all(|v| v.as_deref().is_none_or(url_plainly_ok))
        && p.expiry_date.as_deref().is_none_or(datetime_ok)
        && new_params_ok(&p);

    let r = match result {
        Err(e) => {
            check_error("build_payment_request", &e, ALLOWED);
            crate::assert_secret_free("build_payment_request", api_key.as_bytes(), |k| {
                hitpay::build_payment_request(&p, &crate::text(k), sandbox)
            });
            assert!(!plainly_valid, "valid parameters refused: {e} ({p:?})");
            match e.code() {
                Code::InvalidAmount => assert!(!p.amount.as_deref().is_some_and(amount_ok)),
                Code::InvalidCurrency => assert!(!p.currency.as_deref().is_some_and(currency_ok)),
                Code::MissingField => assert!(
                    p.amount.is_none()
                        || p.currency.is_none()
                        || p.address.as_ref().is_some_and(|a| a.line1.is_none())
                        || (p.wifi_terminal_id.is_none()
                            && p.payment_methods
                                .iter()
                                .flatten()
                                .any(|m| m == "wifi_card_reader"))
                ),
                Code::InvalidSecret => {
                    assert!(api_key.is_empty() || api_key.bytes().any(|b| b < b' ' || b == 0x7f))
                }
                Code::InsecureUrl => assert!([&p.redirect_url, &p.webhook].iter().any(|v| v
                    .as_deref()
                    .is_some_and(|v| v
                        .get(..7)
                        .is_some_and(|s| s.eq_ignore_ascii_case("http://"))))),
                _ => {}
            }
            return;
        }
        Ok(r) => r,
    };
    // Every value passed the contract's rule.
    assert!(amount_ok(p.amount.as_deref().unwrap_or_default()), "{p:?}");
    assert!(
        currency_ok(p.currency.as_deref().unwrap_or_default()),
        "{p:?}"
    );
    assert!(p.expiry_date.as_deref().is_none_or(datetime_ok), "{p:?}");
    assert!(p.email.as_deref().is_none_or(email_ok), "{p:?}");
    for m in p.payment_methods.iter().flatten() {
        assert!(method_ok(m), "{m:?}");
    }
    for v in [&p.name, &p.phone, &p.purpose, &p.reference_number] {
        assert!(texts_ok(v), "{v:?}");
    }
    for v in [&p.redirect_url, &p.webhook].into_iter().flatten() {
        assert!(
            v.len() <= 1028
                && (v
                    .get(..8)
                    .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
                    || loopback_http(&v.to_ascii_lowercase())),
            "{v:?}"
        );
    }
    assert!(new_params_ok(&p), "{p:?}");
    assert!(!api_key.is_empty() && !api_key.bytes().any(|b| b < b' ' || b == 0x7f));

    assert_eq!(r.method, "POST");
    assert_eq!(
        r.url,
        if sandbox {
            "https://api.sandbox.hit-pay.com/v1/payment-requests"
        } else {
            "https://api.hit-pay.com/v1/payment-requests"
        }
    );
    assert_eq!(
        r.headers,
        vec![
            ("X-BUSINESS-API-KEY", api_key.clone()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_owned()
            ),
            ("X-Requested-With", "XMLHttpRequest".to_owned()),
        ]
    );
    let mut want: Vec<(String, String)> = Vec::new();
    let mut add = |k: &str, v: &str| want.push((k.to_owned(), v.to_owned()));
    add("amount", p.amount.as_deref().unwrap_or_default());
    add("currency", p.currency.as_deref().unwrap_or_default());
    for m in p.payment_methods.iter().flatten() {
        add("payment_methods[]", m);
    }
    let b = |v: bool| if v { "true" } else { "false" };
    for (k, v) in [
        ("email", p.email.as_deref()),
        ("name", p.name.as_deref()),
        ("phone", p.phone.as_deref()),
        ("purpose", p.purpose.as_deref()),
        ("reference_number", p.reference_number.as_deref()),
        ("redirect_url", p.redirect_url.as_deref()),
        ("webhook", p.webhook.as_deref()),
        ("allow_repeated_payments", p.allow_repeated_payments.map(b)),
        ("expiry_date", p.expiry_date.as_deref()),
        ("generate_qr", p.generate_qr.map(b)),
        ("expires_after", p.expires_after.as_deref()),
        ("add_admin_fee", p.add_admin_fee.map(b)),
        ("send_email", p.send_email.map(b)),
        ("send_sms", p.send_sms.map(b)),
        ("wifi_terminal_id", p.wifi_terminal_id.as_deref()),
        ("staff_id", p.staff_id.as_deref()),
        ("location_id", p.location_id.as_deref()),
        ("channel", p.channel.as_deref()),
    ] {
        if let Some(v) = v {
            add(k, v);
        }
    }
    if let Some(a) = &p.address {
        for (k, v) in [
            ("address[line1]", a.line1.as_deref()),
            ("address[line2]", a.line2.as_deref()),
            ("address[city]", a.city.as_deref()),
            ("address[state]", a.state.as_deref()),
            ("address[postal_code]", a.postal_code.as_deref()),
            ("address[country]", a.country.as_deref()),
        ] {
            if let Some(v) = v {
                add(k, v);
            }
        }
    }
    let body = r.body.clone().unwrap_or_default();
    assert_eq!(
        form_decode(body.as_bytes()),
        Some(want),
        "the body does not decode to the parameters"
    );
    crate::assert_debug_hides_headers(&r);
}
