//! Target `user_agent`: the Safari/ITP rule.

use schacc_core::user_agent::blocks_third_party_cookies;

use crate::input::Input;

/// The Safari/ITP rule, by the properties README promises.
pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let agent = input.string();
    let blocks = blocks_third_party_cookies(&agent);
    let ios = ["iPhone", "iPad", "iPod"].iter().any(|d| agent.contains(d));
    let blink = ["Chrome/", "Chromium/", "HeadlessChrome/", "Android"]
        .iter()
        .any(|m| agent.contains(m));
    if ios {
        assert!(blocks, "every iOS browser is WebKit: {agent:?}");
    }
    if !agent.contains("AppleWebKit/") && !ios {
        assert!(!blocks, "not WebKit: {agent:?}");
    }
    if agent.contains("AppleWebKit/") && !blink {
        assert!(blocks, "non-Blink WebKit: {agent:?}");
    }
    assert_eq!(blocks, ios || (agent.contains("AppleWebKit/") && !blink));
    // Appending a Blink marker un-flags anything but iOS; an iOS device always flags.
    assert_eq!(
        blocks_third_party_cookies(&format!("{agent} Chrome/1")),
        ios
    );
    assert!(blocks_third_party_cookies(&format!("{agent} (iPad)")));
}
