//! The login door: SchAcc's authorization URL, as account-sdk-browser 5's
//! `loginUrl` builds it, from `loginUrl()`'s options, checked as the
//! official client checks them.

use crate::config::{checked_redirect_uri, Config};
use crate::error::{Message, SdkError};
use crate::raw::Raw;
use crate::url::{self, scan, Marks, ReadUrl};

/// The options of `loginUrl()` and `login()`, as account-sdk-browser 5's
/// `loginUrl` takes them (`redirectUri` first, then in the order of their
/// query parameters: `Config::login_url`).
pub const LOGIN_OPTIONS: [&str; 11] = [
    "redirectUri",
    "scope",
    "state",
    "acrValues",
    "loginHint",
    "tag",
    "teaser",
    "maxAge",
    "locale",
    "oneStepLogin",
    "prompt",
];

/// The query names of `LOGIN_OPTIONS` after `redirectUri`, in order.
const LOGIN_QUERY: [&str; 10] = [
    "scope",
    "state",
    "acr_values",
    "login_hint",
    "tag",
    "teaser",
    "max_age",
    "locale",
    "one_step_login",
    "prompt",
];

// Positions in `LOGIN_QUERY` with rules of their own.
const SCOPE: usize = 0;
const STATE: usize = 1;
const ACR_VALUES: usize = 2;
const MAX_AGE: usize = 6;
const ONE_STEP_LOGIN: usize = 8;
const PROMPT: usize = 9;

/// The `acr_values` SchAcc knows, as account-sdk-browser checks them.
const KNOWN_ACR_VALUES: [&str; 8] = [
    "password", "otp", "sms", "eid-dk", "eid-no", "eid-se", "eid-fi", "eid",
];

/// Whether `acr` is `otp-email`, or words SchAcc knows, one space apart.
fn known_acr_values(acr: &str) -> bool {
    // By byte: a `str` split would link a searcher.
    acr == "otp-email"
        || acr.as_bytes().split(|&byte| byte == b' ').all(|word| {
            KNOWN_ACR_VALUES
                .iter()
                .any(|value| value.as_bytes() == word)
        })
}

/// Text a login option may be: no control or invisible characters, within
/// the URL limit.
fn is_login_text(text: &str) -> bool {
    text.len() <= url::MAX_URL_LEN && !scan(text).any(Marks::INVISIBLE)
}

/// Appends `n` in decimal, without `core::fmt`.
fn push_integer(out: &mut String, n: u32) {
    if n >= 10 {
        push_integer(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

impl Config {
    /// SchAcc's authorization URL, as account-sdk-browser's `loginUrl` builds
    /// it: `{server}/oauth/authorize?client_id&redirect_uri&response_type=code`,
    /// then `scope` (default `openid`), `state` (required), the other options
    /// given, and `prompt` (default `select_account`; none with `acr_values`).
    /// `field(i)` reads option `LOGIN_OPTIONS[i]`. Checked and written in one
    /// pass; an empty text is left out, as the official client leaves it out.
    pub fn login_url(
        &self,
        field: &dyn Fn(usize) -> Raw,
        read: ReadUrl,
    ) -> Result<String, SdkError> {
        let redirect_uri = match field(0) {
            Raw::Absent => None,
            Raw::Text(uri) => Some(checked_redirect_uri(uri, read)?),
            _ => return Err(SdkError::argument(Message::RedirectUriNotText)),
        };
        let redirect_uri = redirect_uri
            .as_deref()
            .or(self.redirect_uri.as_deref())
            .ok_or(SdkError::argument(Message::LoginRedirectUri))?;
        let mut url = url::build(
            &self.server,
            "/oauth/authorize",
            &[
                ("client_id", Some(self.client_id.as_str())),
                ("redirect_uri", Some(redirect_uri)),
                ("response_type", Some("code")),
            ],
        );
        let mut acr_values = false;
        for (at, name) in LOGIN_QUERY.iter().enumerate() {
            let mut text = match field(at + 1) {
                Raw::Text(text)
                    if !matches!(at, MAX_AGE | ONE_STEP_LOGIN) && is_login_text(&text) =>
                {
                    text
                }
                // maxAge: whole seconds.
                Raw::Number(seconds)
                    if at == MAX_AGE
                        && (0.0..=f64::from(u32::MAX)).contains(&seconds)
                        && seconds.fract() == 0.0 =>
                {
                    let mut text = String::new();
                    push_integer(&mut text, seconds as u32);
                    text
                }
                // oneStepLogin: a boolean.
                Raw::Bool(on) if at == ONE_STEP_LOGIN => String::from(if on { "true" } else { "" }),
                Raw::Absent => String::new(),
                _ if at == STATE => return Err(SdkError::argument(Message::LoginState)),
                _ => return Err(SdkError::argument(Message::LoginOption)),
            };
            match at {
                SCOPE if text.is_empty() => text.push_str("openid"),
                STATE if text.is_empty() => return Err(SdkError::argument(Message::LoginState)),
                ACR_VALUES if !text.is_empty() => {
                    if !known_acr_values(&text) {
                        return Err(SdkError::argument(Message::AcrValues));
                    }
                    acr_values = true;
                }
                PROMPT if acr_values => text.clear(),
                PROMPT if text.is_empty() => text.push_str("select_account"),
                _ => {}
            }
            if !text.is_empty() {
                url.push('&');
                url.push_str(name);
                url.push('=');
                url::push_encoded(&mut url, &text);
            }
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::options;
    use crate::url::read_like_a_browser as read;

    fn text(value: &str) -> Raw {
        Raw::Text(value.into())
    }

    fn login_with(config: &Config, args: &[(usize, Raw)]) -> Result<String, SdkError> {
        let field = |at: usize| {
            args.iter()
                .find(|(i, _)| *i == at)
                .map_or(Raw::Absent, |(_, value)| value.clone())
        };
        config.login_url(&field, &read)
    }

    /// A client of SchAcc at `login.schacc.example` with a default redirect URI.
    fn config() -> Config {
        let mut raw = options("abc123", "https://login.schacc.example");
        raw.redirect_uri = text("https://site.example/back");
        Config::from_raw(raw, &read).unwrap()
    }

    fn login(args: &[(usize, Raw)]) -> Result<String, SdkError> {
        login_with(&config(), args)
    }

    #[test]
    fn the_login_url_is_account_sdk_browsers() {
        let config = config();
        // As account-sdk-browser 5.1.1's loginUrl({ state: 's1' }) writes it.
        assert_eq!(
            login_with(&config, &[(2, text("s1"))]).unwrap(),
            "https://login.schacc.example/oauth/authorize?client_id=abc123&redirect_uri=https%3A%2F%2Fsite.example%2Fback\
             &response_type=code&scope=openid&state=s1&prompt=select_account"
        );
        let all = login_with(
            &config,
            &[
                (0, text("https://site.example/other")),
                (1, text("openid profile")),
                (2, text("s 2")),
                (3, text("otp-email")),
                (4, text("a@b")),
                (5, text("t")),
                (6, text("x")),
                (7, Raw::Number(0.0)),
                (8, text("nb_NO")),
                (9, Raw::Bool(true)),
                (10, text("login")),
            ],
        )
        .unwrap();
        assert_eq!(
            all,
            "https://login.schacc.example/oauth/authorize?client_id=abc123&redirect_uri=https%3A%2F%2Fsite.example%2Fother\
             &response_type=code&scope=openid%20profile&state=s%202&acr_values=otp-email&login_hint=a%40b&tag=t&teaser=x\
             &max_age=0&locale=nb_NO&one_step_login=true",
            "acr_values leave prompt out"
        );
        let no_default =
            Config::from_raw(options("abc123", "https://login.schacc.example"), &read).unwrap();
        assert_eq!(
            login_with(&no_default, &[(2, text("s"))])
                .unwrap_err()
                .message,
            Message::LoginRedirectUri
        );
    }

    #[test]
    fn login_options_are_checked() {
        let code = |args: &[(usize, Raw)]| login(args).unwrap_err().message;
        assert_eq!(code(&[]), Message::LoginState);
        assert_eq!(code(&[(2, text(""))]), Message::LoginState);
        assert_eq!(code(&[(2, Raw::Number(1.0))]), Message::LoginState);
        assert_eq!(code(&[(2, text("a\u{202E}b"))]), Message::LoginState);
        assert_eq!(
            code(&[(2, text("s")), (3, text("otp-email password"))]),
            Message::AcrValues
        );
        assert_eq!(
            code(&[(2, text("s")), (3, text("otp  sms"))]),
            Message::AcrValues
        );
        assert!(login(&[(2, text("s")), (3, text("password otp sms eid"))]).is_ok());
        assert_eq!(
            code(&[(2, text("s")), (7, Raw::Number(1.5))]),
            Message::LoginOption
        );
        assert_eq!(
            code(&[(2, text("s")), (7, Raw::Number(-1.0))]),
            Message::LoginOption
        );
        assert_eq!(
            code(&[(2, text("s")), (9, text("true"))]),
            Message::LoginOption
        );
        assert_eq!(
            code(&[(2, text("s")), (1, Raw::Bool(true))]),
            Message::LoginOption
        );
        assert_eq!(
            code(&[(0, text("javascript:alert(1)")), (2, text("s"))]),
            Message::RedirectUri
        );
        for (n, written) in [
            (0, "0"),
            (7, "7"),
            (10, "10"),
            (4_294_967_295, "4294967295"),
        ] {
            let mut out = String::new();
            push_integer(&mut out, n);
            assert_eq!(out, written);
        }
        assert_eq!(
            code(&[(2, text("s")), (7, text("0"))]),
            Message::LoginOption,
            "maxAge is a number"
        );
        assert_eq!(
            code(&[(2, text("s")), (9, text("yes"))]),
            Message::LoginOption,
            "oneStepLogin is a boolean"
        );
    }
}
