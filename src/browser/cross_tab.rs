//! Telling the other tabs of this origin that the user logged out, and
//! re-checking the session when a page comes back from the back/forward cache.

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent, PageTransitionEvent};

const LOGOUT_MESSAGE: &str = "logout";

/// Open while the client lives; dropping it closes the channel and removes
/// the listeners.
pub struct CrossTab {
    channel: Option<BroadcastChannel>,
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    _on_pageshow: Option<EventListener>,
}

impl CrossTab {
    /// `on_logout` runs when another tab announces a logout, `on_restore`
    /// when this page is restored from the back/forward cache. Where the
    /// browser lacks `BroadcastChannel` (or there is no window), the missing
    /// part is quietly left out.
    pub fn open(
        name: &str,
        on_logout: impl Fn() + 'static,
        on_restore: impl Fn() + 'static,
    ) -> CrossTab {
        let channel = BroadcastChannel::new(name).ok();
        let on_message = channel.as_ref().map(|channel| {
            let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if event.data().as_string().as_deref() == Some(LOGOUT_MESSAGE) {
                    on_logout();
                }
            });
            channel.set_onmessage(Some(handler.as_ref().unchecked_ref()));
            handler
        });
        let on_pageshow = web_sys::window().map(|window| {
            EventListener::new(&window, "pageshow", move |event| {
                if event
                    .dyn_ref::<PageTransitionEvent>()
                    .is_some_and(PageTransitionEvent::persisted)
                {
                    on_restore();
                }
            })
        });
        CrossTab {
            channel,
            _on_message: on_message,
            _on_pageshow: on_pageshow,
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
            channel.set_onmessage(None);
            channel.close();
        }
    }
}
