//! The fallback rule: whether a fetch logout must be finished by the
//! redirect flow, and why.

use super::config::Fallback;

/// What the fetch logout found out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetched {
    /// SchAcc deleted a session (`result: true`).
    Confirmed,
    /// SchAcc found none (`result: false`): maybe the cookie was withheld.
    NoSession,
    /// The request failed (network, timeout, http, invalid response).
    Failed,
}

/// Why the SDK did (or did not) redirect; `Failed` reads as the error's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Always,
    UserAgent,
    Confirmed,
    NoSession,
    Failed,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::Always,
        Reason::UserAgent,
        Reason::Confirmed,
        Reason::NoSession,
        Reason::Failed,
    ];

    /// The `reason` the page sees; `None` for `Failed`, which the error's `code` names.
    pub fn as_str(self) -> Option<&'static str> {
        match self {
            Reason::Always => Some("always"),
            Reason::UserAgent => Some("user_agent"),
            Reason::Confirmed => Some("confirmed"),
            Reason::NoSession => Some("no_session"),
            Reason::Failed => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub redirect: bool,
    pub reason: Reason,
}

/// `'auto'` redirects unless SchAcc confirmed the deletion in a browser that
/// sends its cookie; `'always'` always does; `'never'` never does. A cookie
/// the browser withholds from third parties is no concern when the logout
/// went to the site's own session service (`first_party`): its confirmation
/// is evidence in every browser.
pub fn decide(
    mode: Fallback,
    browser_blocks_cookies: bool,
    first_party: bool,
    fetched: Fetched,
) -> Decision {
    let found = match fetched {
        Fetched::Confirmed => Reason::Confirmed,
        Fetched::NoSession => Reason::NoSession,
        Fetched::Failed => Reason::Failed,
    };
    let (redirect, reason) = match mode {
        Fallback::Always => (true, Reason::Always),
        Fallback::Never => (false, found),
        Fallback::Auto if browser_blocks_cookies && !first_party => (true, Reason::UserAgent),
        Fallback::Auto => (found != Reason::Confirmed, found),
    };
    Decision { redirect, reason }
}

/// After a logout that did not redirect, a token the caller asked to end is
/// revoked by the API logout. If that is not confirmed, `'auto'` takes the
/// redirect flow, whose `oauth_token` revokes it: a token that may be alive is
/// the same bug as a session that may be alive.
pub fn redirect_for_unrevoked_token(mode: Fallback, revoked: bool) -> bool {
    mode == Fallback::Auto && !revoked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        use Fetched::*;
        // (mode, browser blocks third-party cookies, first party, fetched) → (redirect, reason)
        let table = [
            (
                Fallback::Auto,
                false,
                false,
                Confirmed,
                false,
                Reason::Confirmed,
            ),
            (
                Fallback::Auto,
                false,
                false,
                NoSession,
                true,
                Reason::NoSession,
            ),
            (Fallback::Auto, false, false, Failed, true, Reason::Failed),
            (
                Fallback::Auto,
                true,
                false,
                Confirmed,
                true,
                Reason::UserAgent,
            ),
            (Fallback::Auto, true, false, Failed, true, Reason::UserAgent),
            (
                Fallback::Auto,
                true,
                true,
                Confirmed,
                false,
                Reason::Confirmed,
            ),
            (
                Fallback::Auto,
                true,
                true,
                NoSession,
                true,
                Reason::NoSession,
            ),
            (Fallback::Auto, true, true, Failed, true, Reason::Failed),
            (
                Fallback::Auto,
                false,
                true,
                Confirmed,
                false,
                Reason::Confirmed,
            ),
            (
                Fallback::Always,
                false,
                true,
                Confirmed,
                true,
                Reason::Always,
            ),
            (
                Fallback::Always,
                false,
                false,
                Confirmed,
                true,
                Reason::Always,
            ),
            (
                Fallback::Never,
                true,
                false,
                NoSession,
                false,
                Reason::NoSession,
            ),
            (Fallback::Never, false, false, Failed, false, Reason::Failed),
            (
                Fallback::Never,
                true,
                false,
                Confirmed,
                false,
                Reason::Confirmed,
            ),
        ];
        for (mode, blocks, first_party, fetched, redirect, reason) in table {
            assert_eq!(
                decide(mode, blocks, first_party, fetched),
                Decision { redirect, reason },
                "{mode:?} {blocks} {first_party} {fetched:?}"
            );
        }
    }

    #[test]
    fn an_unrevoked_token_redirects_under_auto_only() {
        assert!(redirect_for_unrevoked_token(Fallback::Auto, false));
        assert!(!redirect_for_unrevoked_token(Fallback::Auto, true));
        assert!(!redirect_for_unrevoked_token(Fallback::Never, false));
    }
}
