//! Target `session`: the session-diff rule.

use schacc_core::session::{diff, Event, Session, UserId};

use crate::input::Input;

fn session(input: &mut Input) -> Session {
    let user = match input.byte() % 5 {
        0 | 1 => None,
        // The core only ever makes finite numeric ids (has_session refuses
        // others), so only those are generated.
        2 => Some(UserId::Number(match input.number() {
            id if id.is_finite() => id,
            _ => 1001.0,
        })),
        3 => Some(UserId::Text(input.string())),
        _ => Some(UserId::Unknown),
    };
    let status = match input.byte() % 4 {
        0 => "connected".to_owned(),
        1 => "notConnected".to_owned(),
        2 => "unknown".to_owned(),
        _ => input.string(),
    };
    Session { user, status }
}

/// The session-diff rule's promises.
pub fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let previous = session(&mut input);
    let next = session(&mut input);
    let seen = input.byte() & 1 == 1;
    let events = diff(&previous, &next, seen);
    let has = |event| events.contains(event);

    // Firing order is the documented order.
    let order: Vec<Event> = events.iter().collect();
    let positions: Vec<usize> = order
        .iter()
        .map(|e| Event::ALL.iter().position(|x| x == e).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!has(Event::Error), "the diff never fires SPiD.error");

    assert_eq!(has(Event::Logout), previous.has_user() && !next.has_user());
    assert!(!(has(Event::Login) && has(Event::Logout)));
    assert_eq!(
        has(Event::SessionChange),
        !has(Event::NotLoggedIn),
        "exactly one of sessionChange / notLoggedin"
    );
    assert_eq!(has(Event::StatusChange), previous.status != next.status);
    if has(Event::Login) || has(Event::SessionInit) {
        assert!(next.has_user());
    }
    if has(Event::UserChange) {
        assert!(has(Event::Login), "a user change is also a login");
    }
    assert_eq!(has(Event::SessionInit), next.has_user() && !seen);

    // Nothing changed: no login, logout, user or status change.
    let same = diff(&next, &next, true);
    for event in [
        Event::Login,
        Event::Logout,
        Event::UserChange,
        Event::StatusChange,
    ] {
        assert!(!same.contains(event), "{next:?} to itself fired {event:?}");
    }

    // A confirmed logout always fires exactly logout, statusChange, sessionChange.
    let before = previous.before_confirmed_logout();
    let three: Vec<Event> = diff(&before, &Session::logged_out(), seen).iter().collect();
    assert_eq!(
        three,
        [Event::Logout, Event::StatusChange, Event::SessionChange],
        "{previous:?}"
    );
}
