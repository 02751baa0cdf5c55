//! Telling the other tabs of this origin that the user logged out, and
//! re-checking the session when a page comes back: restored from the
//! back/forward cache, or shown again after being hidden.

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent, PageTransitionEvent, VisibilityState};

const LOGOUT_MESSAGE: &str = "logout";

/// Open while the client lives; dropping it closes the channel and removes
/// the listeners.
pub struct CrossTab {
    channel: Option<BroadcastChannel>,
    _on_message: Option<EventListener>,
    _on_pageshow: Option<EventListener>,
    _on_visible: Option<EventListener>,
}

impl CrossTab {
    /// `on_logout` runs when another tab announces a logout, `on_return`
    /// when this page is restored from the back/forward cache or becomes
    /// visible again. Where the browser lacks `BroadcastChannel` (or there is
    /// no window), the missing part is quietly left out.
    pub fn open(
        name: &str,
        on_logout: impl Fn() + 'static,
        on_return: impl Fn() + Clone + 'static,
    ) -> CrossTab {
        let channel = BroadcastChannel::new(name).ok();
        let on_message = channel.as_ref().map(|channel| {
            EventListener::new(channel, "message", move |event| {
                let is_logout = event
                    .dyn_ref::<MessageEvent>()
                    .is_some_and(|event| event.data() == JsValue::from_str(LOGOUT_MESSAGE));
                if is_logout {
                    on_logout();
                }
            })
        });
        let window = web_sys::window();
        let on_restore = on_return.clone();
        let on_pageshow = window.as_ref().map(|window| {
            EventListener::new(window, "pageshow", move |event| {
                if event
                    .dyn_ref::<PageTransitionEvent>()
                    .is_some_and(PageTransitionEvent::persisted)
                {
                    on_restore();
                }
            })
        });
        let on_visible = window.and_then(|window| window.document()).map(|document| {
            let target = document.clone();
            EventListener::new(&target, "visibilitychange", move |_| {
                if document.visibility_state() == VisibilityState::Visible {
                    on_return();
                }
            })
        });
        CrossTab {
            channel,
            _on_message: on_message,
            _on_pageshow: on_pageshow,
            _on_visible: on_visible,
        }
    }

    pub fn announce_logout(&self) {
        if let Some(channel) = &self.channel {
            // Fails only once closed, which cannot happen while we hold it.
            let _ = channel.post_message(&JsValue::from_str(LOGOUT_MESSAGE));
        }
    }
}

impl Drop for CrossTab {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.close();
        }
    }
}
