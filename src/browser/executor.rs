//! The wasm's own executor. Every task of the SDK is a future that only ever
//! waits on JS promises (`settled`), so a task needs no waker: the promise's
//! settling resumes it, through one closure shared by all. This replaces
//! `wasm-bindgen-futures`, whose task queue, wakers and a closure per awaited
//! promise cost far more in the wasm and the glue (docs/PERFORMANCE.md).
//!
//! A task is only ever polled from `resume`, which JS calls from a promise
//! callback, never while another poll runs: a listener that starts an
//! operation inside a poll only queues its task.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use wasm_bindgen::prelude::*;

use super::slots;

type Task = Pin<Box<dyn Future<Output = ()>>>;

#[derive(Default)]
enum Slot {
    #[default]
    Free,
    /// Being polled: taken out, but not free for another task.
    Polled,
    Waiting(Task),
}

thread_local! {
    static TASKS: Cell<Vec<Slot>> = const { Cell::new(Vec::new()) };
    /// The task being polled, for the promise it awaits to name.
    static CURRENT: Cell<u32> = const { Cell::new(0) };
    /// What the promise the task being polled waited on settled with.
    static OUTCOME: Cell<Option<Result<JsValue, JsValue>>> = const { Cell::new(None) };
    /// `resume` as a JS function, made once for the page's life.
    static RESUME: JsValue = Closure::<dyn Fn(u32, bool, JsValue)>::new(resume).into_js_value();
}

#[wasm_bindgen(module = "/pkg-template/shell.js")]
extern "C" {
    /// Calls `resume(task, fulfilled, value)` once `value` (a promise, or
    /// any value, as `Promise.resolve` takes it) settles.
    fn wait(value: &JsValue, task: u32, resume: &JsValue);
}

fn with_tasks<R>(change: impl FnOnce(&mut Vec<Slot>) -> R) -> R {
    slots::with_table(&TASKS, change)
}

/// Runs `task` from the next microtask on, as `spawn_local` does.
pub fn spawn(task: impl Future<Output = ()> + 'static) {
    let task: Task = Box::pin(task);
    let id = with_tasks(|tasks| {
        slots::place(
            tasks,
            |slot| matches!(slot, Slot::Free),
            Slot::Waiting(task),
        ) as u32
    });
    RESUME.with(|resume| wait(&JsValue::UNDEFINED, id, resume));
}

fn resume(id: u32, fulfilled: bool, value: JsValue) {
    let taken = with_tasks(|tasks| {
        let slot = tasks.get_mut(id as usize)?;
        match std::mem::replace(slot, Slot::Polled) {
            Slot::Waiting(task) => Some(task),
            other => {
                *slot = other;
                None
            }
        }
    });
    let Some(mut task) = taken else { return };
    CURRENT.set(id);
    OUTCOME.set(Some(if fulfilled { Ok(value) } else { Err(value) }));
    let done = task
        .as_mut()
        .poll(&mut Context::from_waker(&unused_waker()))
        .is_ready();
    OUTCOME.set(None);
    // A finished task is dropped out here, not inside `with_tasks`: dropping
    // it may drop a client, whose clean-up calls into the page.
    let slot = if done {
        Slot::Free
    } else {
        Slot::Waiting(task)
    };
    with_tasks(|tasks| {
        if let Some(place) = tasks.get_mut(id as usize) {
            *place = slot;
        }
    });
}

const UNUSED: RawWakerVTable = RawWakerVTable::new(
    |_| RawWaker::new(std::ptr::null(), &UNUSED),
    |_| {},
    |_| {},
    |_| {},
);

/// A waker nothing uses: the settling promise resumes the task.
fn unused_waker() -> Waker {
    // SAFETY: no function of the vtable reads the data pointer, so a null
    // one meets `RawWaker`'s contract; cloning gives the same waker.
    unsafe { Waker::from_raw(RawWaker::new(std::ptr::null(), &UNUSED)) }
}

/// The outcome of `value` as a promise (`Promise.resolve`): `Ok` with its
/// value, `Err` with its rejection.
pub fn settled(value: JsValue) -> Settled {
    Settled(Some(value))
}

pub struct Settled(Option<JsValue>);

impl Future for Settled {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        match self.0.take() {
            Some(promise) => {
                RESUME.with(|resume| wait(&promise, CURRENT.get(), resume));
                Poll::Pending
            }
            None => OUTCOME.take().map_or(Poll::Pending, Poll::Ready),
        }
    }
}
