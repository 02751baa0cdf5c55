//! Target `config`: option validation, the URLs a valid config builds, and
//! the redirect flow's arguments.

use schacc_core::config::{
    checked_token, Config, Endpoint, Fallback, Method, RawOptions, RedirectArgs, MAX_CLIENT_ID_LEN,
    MAX_TIMEOUT_MS,
};
use schacc_core::error::ErrorCode;
use schacc_core::raw::Raw;
use schacc_core::url::{is_invisible, read_like_a_browser as read, MAX_URL_LEN};

use crate::helpers::{assert_safe_redirect_uri, assert_valid_token, decode_query, parse_http_url};
use crate::input::Input;

/// `Config::from_raw` against an independent statement of the rules, then the
/// URLs a valid config builds.
pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let raw = RawOptions {
        client_id: input.raw(),
        server: input.raw(),
        redirect_uri: input.raw(),
        timeout: input.raw(),
        fallback: input.raw(),
        cross_tab: input.raw(),
        session_domain: input.raw(),
        sdrn_namespace: input.raw(),
        session_renewal: input.raw(),
        cache_ttl: input.raw(),
    };
    let result = Config::from_raw(raw.clone(), &read);
    assert_eq!(
        result,
        Config::from_raw(raw.clone(), &read),
        "deterministic"
    );

    // The rules, field by field, stated independently of the implementation.
    let client_id_ok = matches!(&raw.client_id, Raw::Text(id)
        if !id.is_empty() && id.len() <= MAX_CLIENT_ID_LEN
            && !id.chars().any(|c| c.is_whitespace() || is_invisible(c)));
    let base_ok = |text: &str| match parse_http_url(text) {
        Ok(parsed) => {
            (parsed.secure() || parsed.is_loopback())
                && !parsed.0.has_query_or_fragment
                && !text.contains(['?', '#'])
                && !text.contains(char::is_whitespace)
                && parsed.base().len() <= MAX_URL_LEN
        }
        Err(_) => false,
    };
    let server_ok = matches!(&raw.server, Raw::Text(server) if base_ok(server));
    let session_domain_ok = match &raw.session_domain {
        Raw::Absent => true,
        Raw::Text(service) => base_ok(service),
        _ => false,
    };
    let redirect_ok = match &raw.redirect_uri {
        Raw::Absent => true,
        Raw::Text(uri) => parse_http_url(uri).is_ok(),
        _ => false,
    };
    let timeout_ok = match raw.timeout {
        Raw::Absent => true,
        Raw::Number(ms) => (1.0..=MAX_TIMEOUT_MS).contains(&ms),
        _ => false,
    };
    let fallback_ok = match &raw.fallback {
        Raw::Absent => true,
        Raw::Text(mode) => ["auto", "always", "never"].contains(&mode.as_str()),
        _ => false,
    };
    let cross_tab_ok = matches!(raw.cross_tab, Raw::Absent | Raw::Bool(_));
    let namespace_ok = match &raw.sdrn_namespace {
        Raw::Absent => true,
        Raw::Text(namespace) => {
            !namespace.is_empty()
                && namespace.len() <= MAX_CLIENT_ID_LEN
                && namespace
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
        }
        _ => false,
    };
    let renewal_ok = matches!(raw.session_renewal, Raw::Absent | Raw::Bool(_));
    let cache_ttl_ok = match raw.cache_ttl {
        Raw::Absent => true,
        Raw::Number(ms) => (0.0..=86_400_000.0).contains(&ms),
        _ => false,
    };
    let expected_ok = client_id_ok
        && server_ok
        && redirect_ok
        && timeout_ok
        && fallback_ok
        && cross_tab_ok
        && session_domain_ok
        && namespace_ok
        && renewal_ok
        && cache_ttl_ok;

    let config = match result {
        Err(error) => {
            assert_eq!(error.code, ErrorCode::InvalidConfig, "{raw:?}");
            assert!(!expected_ok, "refused valid options {raw:?}: {error:?}");
            return;
        }
        Ok(config) => {
            assert!(expected_ok, "accepted invalid options {raw:?}");
            config
        }
    };

    // What a valid config holds.
    let Raw::Text(server_in) = &raw.server else {
        unreachable!()
    };
    assert_eq!(
        config.server,
        parse_http_url(server_in).expect("accepted").base(),
        "the server is stored as the browser reads it"
    );
    assert!(!config.server.ends_with('/'));
    let server = parse_http_url(&config.server).expect("the stored server still parses");
    assert_eq!(server.base(), config.server, "normalising is idempotent");
    assert!(server.secure() || server.is_loopback());
    assert!(!config.server.contains(['?', '#']));
    assert!(!config
        .server
        .contains(|c: char| c.is_whitespace() || c.is_control()));
    assert!((1..=300_000).contains(&config.timeout_ms));
    if let Raw::Number(ms) = raw.timeout {
        assert_eq!(config.timeout_ms, ms as u32);
    }
    if let Some(uri) = &config.redirect_uri {
        assert_safe_redirect_uri(uri);
    }
    let fallback = match &raw.fallback {
        Raw::Text(mode) if mode == "always" => Fallback::Always,
        Raw::Text(mode) if mode == "never" => Fallback::Never,
        _ => Fallback::Auto,
    };
    assert_eq!(config.fallback, fallback);
    assert_eq!(config.cross_tab, raw.cross_tab != Raw::Bool(false));

    // Fetch endpoints: client_id round-trips; the API logout URL has no query;
    // a session service takes hasSession and logout (the logout as a POST).
    let endpoints = match &config.session_domain {
        Some(service) => [
            (Endpoint::HasSession, Method::Get, service, "/v2/session"),
            (Endpoint::Logout, Method::Post, service, "/v2/logout"),
        ],
        None => [
            (
                Endpoint::HasSession,
                Method::Get,
                &config.server,
                "/ajax/hasSession.json",
            ),
            (
                Endpoint::Logout,
                Method::Get,
                &config.server,
                "/ajax/logout.json",
            ),
        ],
    };
    // The session request: SchAcc's endpoint, or the service's as account-sdk-browser asks it.
    let (page, tab) = ("https://site.example/a?b=c", "12345");
    let (method, built) = config.session_request(page, tab);
    assert_eq!(method, Method::Get);
    if let Some(service) = &config.session_domain {
        let path = if service.split_once("://").expect("a URL").1.contains('/') {
            "/session"
        } else {
            "/v2/session"
        };
        let query = built
            .strip_prefix(&format!("{service}{path}?"))
            .expect("session request = service + path + query");
        let namespace = match &raw.sdrn_namespace {
            Raw::Text(namespace) => namespace.clone(),
            _ => server.0.hostname.clone(),
        };
        let redirect = config.redirect_uri.clone().unwrap_or(page.to_owned());
        let expected = [
            (
                "client_sdrn",
                format!("sdrn:{namespace}:client:{}", config.client_id),
            ),
            ("redirect_uri", redirect),
            ("sdk_version", "5.1.1".to_owned()),
            ("tabId", tab.to_owned()),
            ("client_id", config.client_id.clone()),
        ];
        let expected: Vec<_> = expected
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        assert_eq!(decode_query(query), expected, "{built}");
    } else {
        assert_eq!(built, config.endpoint(Endpoint::HasSession).1);
    }
    assert_eq!(
        config.session_renewal,
        raw.session_renewal != Raw::Bool(false)
    );

    for (endpoint, method, base, path) in endpoints {
        let (built_method, built) = config.endpoint(endpoint);
        assert_eq!(built_method, method);
        let query = built
            .strip_prefix(&format!("{base}{path}?"))
            .expect("endpoint = base + path + query");
        assert_eq!(
            decode_query(query),
            [("client_id".to_owned(), config.client_id.clone())]
        );
    }
    assert_eq!(
        config.endpoint(Endpoint::ApiLogout),
        (Method::Get, format!("{}/api/2/logout", config.server)),
        "a token can never be put in the API logout URL"
    );

    // The redirect flow with arbitrary arguments.
    let args = match input.byte() % 3 {
        0 => None,
        1 => Some(None),
        _ => Some(Some((input.raw(), input.raw()))),
    };
    check_redirect_args(&config, args);
}

fn check_redirect_args(config: &Config, args: Option<Option<(Raw, Raw)>>) {
    let result = RedirectArgs::from_raw(args.clone(), &read);
    let args_value = match result {
        Err(error) => {
            assert_eq!(error.code, ErrorCode::InvalidArgument, "{args:?}");
            // Refused exactly when something in it is wrong.
            match &args {
                None => panic!("absent arguments refused"),
                Some(None) => {}
                Some(Some((uri, token))) => {
                    let uri_ok = match uri {
                        Raw::Absent => true,
                        Raw::Text(uri) => parse_http_url(uri).is_ok(),
                        _ => false,
                    };
                    let token_ok = *token == Raw::Absent || checked_token(token.clone()).is_ok();
                    assert!(!(uri_ok && token_ok), "refused valid arguments {args:?}");
                }
            }
            return;
        }
        Ok(value) => value,
    };
    if let Some(uri) = &args_value.redirect_uri {
        assert_safe_redirect_uri(uri);
    }
    if let Some(token) = &args_value.oauth_token {
        assert_valid_token(token);
    }
    let built = config.logout_url(&args_value);
    let query = built
        .strip_prefix(&format!("{}/logout?", config.server))
        .expect("logout URL = server + /logout?");
    let mut expected = vec![("client_id".to_owned(), config.client_id.clone())];
    if let Some(uri) = args_value
        .redirect_uri
        .as_ref()
        .or(config.redirect_uri.as_ref())
    {
        expected.push(("redirect_uri".to_owned(), uri.clone()));
    }
    if let Some(token) = &args_value.oauth_token {
        expected.push(("oauth_token".to_owned(), token.clone()));
    }
    assert_eq!(decode_query(query), expected, "{built}");
    assert!(!built.contains('#'), "no fragment can survive: {built}");
}
