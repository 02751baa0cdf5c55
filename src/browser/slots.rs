//! Tables of slots kept in a thread-local `Cell` (the clients by handle, the
//! executor's tasks): a table is taken out of its cell for each change and
//! put back, so no borrow is held while page code runs, and a freed slot is
//! used again.

use std::cell::Cell;
use std::thread::LocalKey;

/// Runs `change` on the table in `cell`, taken out and put back.
pub fn with_table<T, R>(
    cell: &'static LocalKey<Cell<Vec<T>>>,
    change: impl FnOnce(&mut Vec<T>) -> R,
) -> R {
    cell.with(|cell| {
        let mut table = cell.take();
        let result = change(&mut table);
        cell.set(table);
        result
    })
}

/// Puts `value` into the first slot of `table` that `is_free` says is free,
/// else a new one at the end; returns its index.
pub fn place<T>(table: &mut Vec<T>, is_free: impl Fn(&T) -> bool, value: T) -> usize {
    let at = table.iter().position(is_free).unwrap_or(table.len());
    match table.get_mut(at) {
        Some(slot) => *slot = value,
        None => table.push(value),
    }
    at
}
