//! The page's event listeners, kept and called from Rust.
//!
//! Every emit goes through one queue for the whole page: a listener that
//! calls the SDK (this client or another) only queues the events that call
//! causes, which fire after it returns. However long a chain of listeners
//! calling SDK methods, the wasm stack never grows with it, and no state is
//! ever borrowed while page code runs. State lives in `Cell`s that are taken
//! and put back, so a borrow conflict cannot happen by design.

use std::cell::Cell;
use std::collections::VecDeque;
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
    list: Cell<Vec<Listener>>,
    snapshots: Cell<Vec<Snapshot>>,
    next_id: Cell<u32>,
    /// Bumped by `clear`: a dispatch under way stops calling this set.
    generation: Cell<u32>,
}

/// One emit waiting for its turn.
struct Pending {
    listeners: Rc<Listeners>,
    event: Event,
    payload: JsValue,
}

thread_local! {
    static QUEUE: Cell<VecDeque<Pending>> = const { Cell::new(VecDeque::new()) };
    static DRAINING: Cell<bool> = const { Cell::new(false) };
}

fn edit<T: Default, R>(cell: &Cell<T>, change: impl FnOnce(&mut T) -> R) -> R {
    let mut value = cell.take();
    let result = change(&mut value);
    cell.set(value);
    result
}

/// Calls every listener of `event` with `payload`, after the emits queued
/// before it; from inside a listener, after that listener returns.
pub fn emit(listeners: &Rc<Listeners>, event: Event, payload: &JsValue) {
    QUEUE.with(|queue| {
        edit(queue, |queue| {
            queue.push_back(Pending {
                listeners: listeners.clone(),
                event,
                payload: payload.clone(),
            })
        })
    });
    if DRAINING.with(|draining| draining.replace(true)) {
        return;
    }
    while let Some(next) = QUEUE.with(|queue| edit(queue, VecDeque::pop_front)) {
        next.listeners.dispatch(next.event, &next.payload);
    }
    DRAINING.with(|draining| draining.set(false));
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

    /// Removes every listener; one being called now is the last to run.
    pub fn clear(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        self.change(Vec::clear);
    }

    fn remove_first(&self, matches: impl Fn(&Listener) -> bool) {
        self.change(|list| {
            if let Some(index) = list.iter().position(matches) {
                list.remove(index);
            }
        });
    }

    fn change(&self, change: impl FnOnce(&mut Vec<Listener>)) {
        edit(&self.list, change);
        edit(&self.snapshots, Vec::clear);
    }

    fn snapshot(&self, event: Event) -> (Rc<[Function]>, bool) {
        edit(&self.snapshots, |snapshots| {
            if let Some(found) = snapshots.iter().find(|snapshot| snapshot.event == event) {
                return (found.callbacks.clone(), found.has_once);
            }
            let (callbacks, has_once) = edit(&self.list, |list| {
                let of_event = || list.iter().filter(|listener| listener.event == event);
                let callbacks: Rc<[Function]> = of_event()
                    .map(|listener| listener.callback.clone())
                    .collect();
                (callbacks, of_event().any(|listener| listener.once))
            });
            snapshots.push(Snapshot {
                event,
                callbacks: callbacks.clone(),
                has_once,
            });
            (callbacks, has_once)
        })
    }

    /// Calls the listeners of `event` in the order they were added; one that
    /// throws is reported and does not stop the others.
    fn dispatch(&self, event: Event, payload: &JsValue) {
        let (callbacks, has_once) = self.snapshot(event);
        if has_once {
            self.change(|list| list.retain(|listener| !(listener.once && listener.event == event)));
        }
        let generation = self.generation.get();
        for callback in callbacks.iter() {
            if self.generation.get() != generation {
                break;
            }
            if let Err(thrown) = callback.call1(&JsValue::UNDEFINED, payload) {
                js::console_error("schacc-sdk: an event listener threw", &thrown);
            }
        }
    }
}
