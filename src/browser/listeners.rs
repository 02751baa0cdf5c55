//! The page's event listeners, kept and called from Rust.

use std::cell::{Cell, RefCell};

use js_sys::Function;
use wasm_bindgen::JsValue;

use super::js;
use crate::core::session::Event;

struct Listener {
    id: u32,
    event: Event,
    callback: Function,
    once: bool,
}

#[derive(Default)]
pub struct Listeners {
    list: RefCell<Vec<Listener>>,
    next_id: Cell<u32>,
}

impl Listeners {
    /// Adds a listener and returns its id, for the unsubscribe function.
    pub fn add(&self, event: Event, callback: Function, once: bool) -> u32 {
        let id = self.next_id.get().wrapping_add(1);
        self.next_id.set(id);
        if let Ok(mut list) = self.list.try_borrow_mut() {
            list.push(Listener {
                id,
                event,
                callback,
                once,
            });
        }
        id
    }

    /// Removes the earliest-added registration of `callback` for `event`.
    pub fn remove(&self, event: Event, callback: &JsValue) {
        self.remove_where(|listener| {
            listener.event == event && JsValue::from(&listener.callback) == *callback
        });
    }

    pub fn remove_id(&self, id: u32) {
        self.remove_where(|listener| listener.id == id);
    }

    pub fn clear(&self) {
        if let Ok(mut list) = self.list.try_borrow_mut() {
            list.clear();
        }
    }

    fn remove_where(&self, matches: impl Fn(&Listener) -> bool) {
        if let Ok(mut list) = self.list.try_borrow_mut() {
            if let Some(index) = list.iter().position(matches) {
                list.remove(index);
            }
        }
    }

    /// Calls every listener of `event` with `payload`, in the order they were
    /// added. Listeners added or removed meanwhile take effect from the next
    /// emit; one that throws is reported and does not stop the others.
    pub fn emit(&self, event: Event, payload: &JsValue) {
        let callbacks: Vec<Function> = match self.list.try_borrow_mut() {
            Ok(mut list) => {
                let callbacks = list
                    .iter()
                    .filter(|l| l.event == event)
                    .map(|l| l.callback.clone())
                    .collect();
                list.retain(|l| !(l.once && l.event == event));
                callbacks
            }
            Err(_) => return,
        };
        for callback in callbacks {
            if let Err(thrown) = callback.call1(&JsValue::UNDEFINED, payload) {
                js::console_error("schacc-sdk: an event listener threw", &thrown);
            }
        }
    }
}
