//! Telling the other tabs of this origin that the user logged out, and
//! re-checking the session when a page comes back: restored from the
//! back/forward cache, or shown again after being hidden. The channel and the
//! listeners are `pkg-template/shell.js`'s; one closure per client hears them.

use wasm_bindgen::prelude::*;

/// What `on` hears: another tab announced a logout (`LOGOUT_HEARD`), or the
/// page came back (anything else).
const LOGOUT_HEARD: u8 = 0;

#[wasm_bindgen(module = "/pkg-template/shell.js")]
extern "C" {
    /// Opens the channel `name` and the page's listeners, which call `on`;
    /// returns what `announce` and `closeCrossTab` take.
    #[wasm_bindgen(js_name = crossTab)]
    fn open_cross_tab(name: &str, on: &Closure<dyn Fn(u8)>) -> JsValue;
    fn announce(opened: &JsValue);
    #[wasm_bindgen(js_name = closeCrossTab)]
    fn close_cross_tab(opened: &JsValue);
}

/// Open while the client lives; dropping it closes the channel and removes
/// the listeners.
pub struct CrossTab {
    opened: JsValue,
    _on: Closure<dyn Fn(u8)>,
}

impl CrossTab {
    /// `on_logout` runs when another tab announces a logout, `on_return`
    /// when this page is restored from the back/forward cache or becomes
    /// visible again. Where the browser lacks `BroadcastChannel` (or there is
    /// no window), the missing part is quietly left out.
    pub fn open(
        name: &str,
        on_logout: impl Fn() + 'static,
        on_return: impl Fn() + 'static,
    ) -> CrossTab {
        let on = Closure::<dyn Fn(u8)>::new(move |heard| {
            if heard == LOGOUT_HEARD {
                on_logout();
            } else {
                on_return();
            }
        });
        CrossTab {
            opened: open_cross_tab(name, &on),
            _on: on,
        }
    }

    pub fn announce_logout(&self) {
        announce(&self.opened);
    }
}

impl Drop for CrossTab {
    // Runs before the closure is freed: no listener is left to call it.
    fn drop(&mut self) {
        close_cross_tab(&self.opened);
    }
}
