//! Telling the other tabs of this origin that the user logged out, and
//! re-checking the session when a page comes back: restored from the
//! back/forward cache, or shown again after being hidden.

use gloo_events::EventListener;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, EventTarget};

use super::{js, page};

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
                if js::get(event, "data") == JsValue::from_str(LOGOUT_MESSAGE) {
                    on_logout();
                }
            })
        });
        // `[window, document]`, or `null` in a worker.
        let targets = page::targets();
        let target = |index| {
            (!targets.is_null()).then(|| {
                targets
                    .unchecked_ref::<Array>()
                    .get(index)
                    .unchecked_into::<EventTarget>()
            })
        };
        let on_restore = on_return.clone();
        let on_pageshow = target(0).map(|window| {
            EventListener::new(&window, "pageshow", move |event| {
                if js::get(event, "persisted") == JsValue::TRUE {
                    on_restore();
                }
            })
        });
        let on_visible = target(1).map(|document| {
            let watched = document.clone();
            EventListener::new(&document, "visibilitychange", move |_| {
                if js::get(&watched, "visibilityState") == JsValue::from_str("visible") {
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
