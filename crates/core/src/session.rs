//! The session-diff rule: which events a change of session fires, in order.

/// Who the server says is logged in.
#[derive(Clone, Debug, PartialEq)]
pub enum UserId {
    Number(f64),
    Text(String),
    /// A user the server confirmed (by deleting their session) whose id this
    /// client never saw.
    Unknown,
}

/// What the SDK needs to know of a session; the shell keeps the full JS
/// object the server sent beside it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub user: Option<UserId>,
    pub status: String,
}

impl Session {
    /// Before anything is known: `userStatus: 'unknown'`.
    pub fn unknown() -> Session {
        Session {
            user: None,
            status: "unknown".into(),
        }
    }

    pub fn logged_out() -> Session {
        Session {
            user: None,
            status: "notConnected".into(),
        }
    }

    pub fn has_user(&self) -> bool {
        self.user.is_some()
    }

    /// Known to be logged out: a logout announced again changes nothing, so
    /// it fires nothing (one logout is one set of events, however many tabs
    /// announce it).
    pub fn is_logged_out(&self) -> bool {
        !self.has_user() && self.status == "notConnected"
    }

    /// The session to diff against when a logout is known to have ended a
    /// session: the server confirmed it, so there was a user even if this
    /// client never saw one.
    pub fn before_confirmed_logout(&self) -> Session {
        if self.has_user() && self.status != "notConnected" {
            self.clone()
        } else {
            Session {
                user: Some(self.user.clone().unwrap_or(UserId::Unknown)),
                status: "connected".into(),
            }
        }
    }
}

/// Every event the SDK fires, in the order the rule fires them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Login,
    Logout,
    UserChange,
    StatusChange,
    SessionChange,
    NotLoggedIn,
    SessionInit,
    Error,
}

impl Event {
    pub const ALL: [Event; 8] = [
        Event::Login,
        Event::Logout,
        Event::UserChange,
        Event::StatusChange,
        Event::SessionChange,
        Event::NotLoggedIn,
        Event::SessionInit,
        Event::Error,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Event::Login => "SPiD.login",
            Event::Logout => "SPiD.logout",
            Event::UserChange => "SPiD.userChange",
            Event::StatusChange => "SPiD.statusChange",
            Event::SessionChange => "SPiD.sessionChange",
            Event::NotLoggedIn => "SPiD.notLoggedin",
            Event::SessionInit => "SPiD.sessionInit",
            Event::Error => "SPiD.error",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of events; iterating yields them in firing order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Events(u8);

impl Events {
    /// The set as bits: bit `i` is `Event` number `i`.
    pub fn bits(self) -> u8 {
        self.0
    }

    pub fn with(self, event: Event, when: bool) -> Events {
        if when {
            Events(self.0 | event.bit())
        } else {
            self
        }
    }

    pub fn contains(self, event: Event) -> bool {
        self.0 & event.bit() != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Event> {
        Event::ALL
            .into_iter()
            .filter(move |event| self.contains(*event))
    }
}

/// The one rule: events for the change from `previous` to `next`.
/// `user_seen_before` is whether this client has ever seen a user (for `sessionInit`).
pub fn diff(previous: &Session, next: &Session, user_seen_before: bool) -> Events {
    let users_differ = previous.user != next.user;
    let had_user = previous.has_user();
    let has_user = next.has_user();
    let any_user = had_user || has_user;
    Events::default()
        .with(Event::Login, has_user && users_differ)
        .with(Event::Logout, had_user && !has_user)
        .with(Event::UserChange, had_user && has_user && users_differ)
        .with(Event::StatusChange, previous.status != next.status)
        .with(Event::SessionChange, any_user)
        .with(Event::NotLoggedIn, !any_user)
        .with(Event::SessionInit, has_user && !user_seen_before)
}

/// How old the last check may be before a page coming back asks again: an
/// ended session is still noticed within a minute of the tab being shown,
/// and a burst of tab switches costs one request.
pub const RECHECK_AFTER_MS: f64 = 60_000.0;

/// Whether a page coming back re-asks: only when the last check (ms since the
/// epoch, `None` if never) is older than `RECHECK_AFTER_MS`, or lies in the
/// future (the clock was set back).
pub fn recheck_due(last_check_ms: Option<f64>, now_ms: f64) -> bool {
    match last_check_ms {
        None => true,
        Some(last) => now_ms - last >= RECHECK_AFTER_MS || now_ms < last,
    }
}

/// How long after one renewal visit (a session service's `{"redirectURL"}`)
/// no page of the site makes another: a service that keeps asking sends the
/// browser round once, not in a loop.
pub const RENEWAL_GUARD_MS: f64 = 5.0 * 60_000.0;

/// Whether a renewal visit may go now: the site's last one (ms since the
/// epoch, 0 for never) is at least `RENEWAL_GUARD_MS` old. One in the future
/// (the clock was set back) or unknown (negative: storage is blocked, so no
/// visit can be guarded) holds it back.
pub fn renewal_due(last_ms: f64, now_ms: f64) -> bool {
    last_ms == 0.0 || (last_ms > 0.0 && now_ms >= last_ms && now_ms - last_ms >= RENEWAL_GUARD_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_renewal_visit_per_five_minutes_and_none_unguarded() {
        assert!(renewal_due(0.0, 1_000.0));
        assert!(!renewal_due(1_000.0, 1_000.0 + RENEWAL_GUARD_MS - 1.0));
        assert!(renewal_due(1_000.0, 1_000.0 + RENEWAL_GUARD_MS));
        assert!(
            !renewal_due(-1.0, 1e12),
            "storage blocked: no guard, no visit"
        );
        assert!(!renewal_due(2e12, 1e12), "a visit in the future");
        assert!(!renewal_due(f64::NAN, 1e12));
    }

    #[test]
    fn recheck_only_after_a_minute() {
        assert!(recheck_due(None, 0.0));
        assert!(!recheck_due(Some(1_000.0), 1_000.0));
        assert!(!recheck_due(Some(1_000.0), 60_999.0));
        assert!(recheck_due(Some(1_000.0), 61_000.0));
        assert!(recheck_due(Some(1_000.0), 999.0), "a clock set back");
    }

    fn user(id: f64) -> Session {
        Session {
            user: Some(UserId::Number(id)),
            status: "connected".into(),
        }
    }

    fn names(events: Events) -> Vec<&'static str> {
        events.iter().map(Event::name).collect()
    }

    #[test]
    fn first_login() {
        assert_eq!(
            names(diff(&Session::unknown(), &user(1.0), false)),
            [
                "SPiD.login",
                "SPiD.statusChange",
                "SPiD.sessionChange",
                "SPiD.sessionInit"
            ]
        );
    }

    #[test]
    fn same_user_again_fires_only_session_change() {
        assert_eq!(
            names(diff(&user(1.0), &user(1.0), true)),
            ["SPiD.sessionChange"]
        );
    }

    #[test]
    fn logout_fires_three_in_order() {
        assert_eq!(
            names(diff(&user(1.0), &Session::logged_out(), true)),
            ["SPiD.logout", "SPiD.statusChange", "SPiD.sessionChange"]
        );
    }

    #[test]
    fn confirmed_logout_of_an_unseen_user_fires_three() {
        for previous in [Session::unknown(), Session::logged_out()] {
            let before = previous.before_confirmed_logout();
            assert_eq!(
                names(diff(&before, &Session::logged_out(), false)),
                ["SPiD.logout", "SPiD.statusChange", "SPiD.sessionChange"]
            );
        }
        assert_eq!(user(7.0).before_confirmed_logout(), user(7.0));
    }

    #[test]
    fn only_a_known_logout_is_logged_out() {
        assert!(Session::logged_out().is_logged_out());
        assert!(!Session::unknown().is_logged_out());
        assert!(!user(1.0).is_logged_out());
    }

    #[test]
    fn no_user_before_or_after() {
        assert_eq!(
            names(diff(&Session::unknown(), &Session::logged_out(), false)),
            ["SPiD.statusChange", "SPiD.notLoggedin"]
        );
        assert_eq!(
            names(diff(&Session::logged_out(), &Session::logged_out(), false)),
            ["SPiD.notLoggedin"]
        );
    }

    #[test]
    fn user_change() {
        assert_eq!(
            names(diff(&user(1.0), &user(2.0), true)),
            ["SPiD.login", "SPiD.userChange", "SPiD.sessionChange"]
        );
        let text = Session {
            user: Some(UserId::Text("1".into())),
            status: "connected".into(),
        };
        assert!(diff(&user(1.0), &text, true).contains(Event::UserChange));
    }

    #[test]
    fn names_are_distinct() {
        for (index, event) in Event::ALL.iter().enumerate() {
            assert_eq!(*event as usize, index, "ALL is in index order");
            assert!(Event::ALL[..index]
                .iter()
                .all(|other| other.name() != event.name()));
        }
    }
}
