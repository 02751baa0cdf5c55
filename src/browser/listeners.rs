//! The page's event listeners, kept and called from Rust.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

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

/// The callbacks of one event as they were when the snapshot was taken:
/// emitting calls these, so listeners added or removed during an emit take
/// effect from the next one. Kept until the list changes, so an emit costs
/// no allocation.
struct Snapshot {
    event: Event,
    callbacks: Rc<[Function]>,
    has_once: bool,
}

#[derive(Default)]
pub struct Listeners {
    list: RefCell<Vec<Listener>>,
    snapshots: RefCell<Vec<Snapshot>>,
    next_id: Cell<u32>,
}

impl Listeners {
    /// Adds a listener and returns its id, for the unsubscribe function.
    pub fn add(&self, event: Event, callback: Function, once: bool) -> u32 {
        let id = self.next_id.get().wrapping_add(1);
        self.next_id.set(id);
        self.change(|list| {
            list.push(Listener {
                id,
                event,
                callback,
                once,
            })
        });
        id
    }

    /// Removes the earliest-added registration of `callback` for `event`.
    pub fn remove(&self, event: Event, callback: &Function) {
        self.remove_first(|listener| listener.event == event && listener.callback == *callback);
    }

    pub fn remove_id(&self, id: u32) {
        self.remove_first(|listener| listener.id == id);
    }

    pub fn clear(&self) {
        self.change(Vec::clear);
    }

    fn remove_first(&self, matches: impl Fn(&Listener) -> bool) {
        self.change(|list| {
            if let Some(index) = list.iter().position(matches) {
                list.remove(index);
            }
        });
    }

    fn change(&self, edit: impl FnOnce(&mut Vec<Listener>)) {
        if let Ok(mut list) = self.list.try_borrow_mut() {
            edit(&mut list);
        }
        if let Ok(mut snapshots) = self.snapshots.try_borrow_mut() {
            snapshots.clear();
        }
    }

    fn snapshot(&self, event: Event) -> Option<(Rc<[Function]>, bool)> {
        let mut snapshots = self.snapshots.try_borrow_mut().ok()?;
        if let Some(found) = snapshots.iter().find(|snapshot| snapshot.event == event) {
            return Some((found.callbacks.clone(), found.has_once));
        }
        let list = self.list.try_borrow().ok()?;
        let of_event = || list.iter().filter(|listener| listener.event == event);
        let callbacks: Rc<[Function]> = of_event()
            .map(|listener| listener.callback.clone())
            .collect();
        let has_once = of_event().any(|listener| listener.once);
        snapshots.push(Snapshot {
            event,
            callbacks: callbacks.clone(),
            has_once,
        });
        Some((callbacks, has_once))
    }

    /// Calls every listener of `event` with `payload`, in the order they were
    /// added; one that throws is reported and does not stop the others.
    pub fn emit(&self, event: Event, payload: &JsValue) {
        let Some((callbacks, has_once)) = self.snapshot(event) else {
            return;
        };
        if has_once {
            self.change(|list| list.retain(|listener| !(listener.once && listener.event == event)));
        }
        for callback in callbacks.iter() {
            if let Err(thrown) = callback.call1(&JsValue::UNDEFINED, payload) {
                js::console_error("schacc-sdk: an event listener threw", &thrown);
            }
        }
    }
}
