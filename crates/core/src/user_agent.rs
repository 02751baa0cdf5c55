//! Which browsers withhold SchAcc's cookie from the logout fetch by design.
//!
//! The rule: every browser on iOS/iPadOS (all are WebKit underneath, whatever
//! they call themselves), and any other WebKit engine that is not Blink, i.e.
//! Safari, WKWebView apps and WebKitGTK browsers — all ship Intelligent
//! Tracking Prevention. Blink (Chrome, Edge, Opera, Samsung, Android WebView)
//! also says "AppleWebKit" but names itself, so it is excluded; Gecko does not
//! say "AppleWebKit" at all. Firefox and Chromium with third-party cookies
//! blocked are caught by evidence instead (`no_session`), not by this rule.

pub fn blocks_third_party_cookies(user_agent: &str) -> bool {
    // Slices, not arrays by value: an array's by-value iterator links far more code.
    let has_any = |markers: &[&str]| markers.iter().any(|marker| contains(user_agent, marker));
    let on_ios = has_any(&["iPhone", "iPad", "iPod"]);
    let webkit = has_any(&["AppleWebKit/"]);
    let blink_or_android = has_any(&["Chrome/", "Chromium/", "HeadlessChrome/", "Android"]);
    on_ios || (webkit && !blink_or_android)
}

/// A plain substring search: `str::contains` would link a two-way string
/// searcher, far larger than these few short needles need.
fn contains(haystack: &str, needle: &str) -> bool {
    !needle.is_empty()
        && haystack
            .as_bytes()
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::blocks_third_party_cookies;

    #[test]
    fn real_user_agents() {
        let table = [
            // Safari on macOS, iPhone, iPad (iPadOS desktop mode says Macintosh).
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15", true),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", true),
            ("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1", true),
            // Chrome, Firefox and Edge on iOS are WebKit too.
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1", true),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/124.0 Mobile/15E148 Safari/605.1.15", true),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/123.0.2420.56 Mobile/15E148 Safari/605.1.15", true),
            // In-app browser (WKWebView) on iOS and a macOS WKWebView app.
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/21D61 [FBAN/FBIOS;FBAV/450.0.0.38.108]", true),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)", true),
            // WebKitGTK (Epiphany, MiniBrowser).
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15", true),
            // Blink and Gecko.
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", false),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", false),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51", false),
            ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36", false),
            ("Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36", false),
            ("Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/30.0.0.0 Mobile Safari/537.36", false),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36", false),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0", false),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", false),
            ("Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0", false),
            ("", false),
        ];
        for (user_agent, expected) in table {
            assert_eq!(
                blocks_third_party_cookies(user_agent),
                expected,
                "{user_agent}"
            );
        }
    }
}
