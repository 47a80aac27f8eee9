//! A ready-to-send HTTP request, as the build functions return it.
use crate::prelude::*;

/// Method, URL, headers and body for `fetch`. `Debug` never prints header values
/// (they carry API keys).
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    /// `None` for requests without a body (GET).
    pub body: Option<String>,
}

impl HttpRequest {
    /// A GET of JSON from a provider API, `Authorization: <authorization>`;
    /// `INVALID_URL` when `url` is longer than 2048 characters.
    pub fn get_json(url: String, authorization: String) -> crate::Result<HttpRequest> {
        if url.len() > crate::limits::URL_OUTPUT {
            return Err(crate::Error::new(
                crate::Code::InvalidUrl,
                "the URL of the request is longer than 2048 characters; shorten the API base",
            ));
        }
        Ok(HttpRequest {
            method: "GET",
            url,
            headers: vec![
                ("Authorization", authorization),
                ("Accept", "application/json".to_owned()),
            ],
            body: None,
        })
    }
}

/// Whether `value` has a control character (U+0000 to U+001F, U+007F): such a
/// value cannot be sent in a header.
pub(crate) fn has_control_char(value: &str) -> bool {
    value.bytes().any(|b| b < b' ' || b == 0x7f)
}

impl core::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| *k).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body", &self.body)
            .finish()
    }
}
