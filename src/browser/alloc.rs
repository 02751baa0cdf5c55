//! The wasm heap: power-of-two size classes, each with a free list, carved
//! from pages taken with `memory.grow`.
//!
//! Why not the default `dlmalloc`: it is about a tenth of the shipped wasm, and
//! this SDK's heap is a few kilobytes of short-lived strings and boxes. Freed
//! blocks are reused by the next allocation of their class, so repeating an
//! operation never grows the memory (`npm run bench` checks 1,000 logouts and
//! 1,000 create/destroy cycles). Memory is never handed back to the engine;
//! wasm cannot shrink its memory anyway.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::memory_grow;
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65_536;
const MIN_CLASS: u32 = 4; // 16 bytes: room for the free-list link.
const CLASSES: usize = 32;

struct Heap {
    /// Head of each class's free list; a free block's first word points to the next.
    free: [*mut u8; CLASSES],
    /// The unused rest of the last pages taken.
    next: usize,
    end: usize,
}

pub struct SizeClassAllocator(UnsafeCell<Heap>);

// SAFETY: compiled only without the `atomics` feature (src/browser/mod.rs):
// one thread, so the heap is never shared.
unsafe impl Sync for SizeClassAllocator {}

#[global_allocator]
static HEAP: SizeClassAllocator = SizeClassAllocator(UnsafeCell::new(Heap {
    free: [null_mut(); CLASSES],
    next: 0,
    end: 0,
}));

/// The class whose blocks hold `layout`: log2 of the block size.
fn class_of(layout: Layout) -> u32 {
    let bytes = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    usize::BITS - (bytes - 1).leading_zeros()
}

// Every block starts at a multiple of 16: pages do, every block size is a
// multiple of 16, and an alignment past 16 is one too. So a block can always
// hold its free-list link, aligned.
impl Heap {
    /// # Safety
    ///
    /// The free lists hold only blocks that `alloc` handed out and `dealloc`
    /// took back: `GlobalAlloc`'s contract on the allocator's callers.
    unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let class = class_of(layout);
        let Some(head) = self.free.get_mut(class as usize) else {
            return null_mut();
        };
        let align = layout.align();
        // A freed block has the alignment it was made with; a rare
        // over-aligned request that it does not meet takes a fresh block.
        if !head.is_null() && (*head as usize) & (align - 1) == 0 {
            let block = *head;
            // SAFETY: `block` heads its class's free list: a freed block of at
            // least 16 bytes, aligned, whose first word `dealloc` set to the next.
            *head = unsafe { *block.cast::<*mut u8>() };
            return block;
        }
        let size = 1usize << class;
        let mut start = (self.next + align - 1) & !(align - 1);
        if start.checked_add(size).map_or(true, |stop| stop > self.end) {
            // `align` more than the block, in case alignment pushes it past the old end.
            let pages = (size + align).div_ceil(PAGE);
            let first = memory_grow(0, pages);
            if first == usize::MAX {
                return null_mut();
            }
            // Fresh pages follow the old end when nothing else grew the memory.
            if first * PAGE != self.end {
                self.next = first * PAGE;
            }
            self.end = (first + pages) * PAGE;
            start = (self.next + align - 1) & !(align - 1);
        }
        self.next = start + size;
        start as *mut u8
    }

    /// # Safety
    ///
    /// `block` was handed out by `alloc` for `layout` and is no longer used.
    unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        if let Some(head) = self.free.get_mut(class_of(layout) as usize) {
            // SAFETY: `block` is a block of this class, at least 16 bytes and
            // aligned, that nothing uses any more: its first word holds the link.
            unsafe { *block.cast::<*mut u8>() = *head };
            *head = block;
        }
    }
}

// SAFETY: `alloc` returns null or a block of its layout's class (at least
// `layout.size()` bytes, aligned to `layout.align()`) that no live block
// overlaps: fresh from the pages taken, or taken back by `dealloc` and off its
// free list. `realloc` keeps a block only where its class still holds the new
// size, and otherwise copies what fits into a new one before freeing the old.
unsafe impl GlobalAlloc for SizeClassAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: one thread (`Sync` above) and no call back into the allocator
        // from the heap's own code, so this is the only reference to the heap
        // while it lives; the free lists hold only freed blocks (the caller's
        // contract on `dealloc`).
        unsafe { (*self.0.get()).alloc(layout) }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: the only reference to the heap, as in `alloc`; the caller
        // hands back a block this allocator made for `layout`, no longer used.
        unsafe { (*self.0.get()).dealloc(block, layout) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `layout.align()` is a power of two, and the caller promises
        // that `new_size` rounded up to it does not overflow `isize`.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // The block already has room up to its class size.
        if class_of(new_layout) == class_of(layout) {
            return block;
        }
        // SAFETY: `new_layout` has a non-zero size (the caller's contract on `new_size`).
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            // SAFETY: `block` holds `layout.size()` bytes (the caller's
            // contract), `moved` at least `new_size`, and they are two live
            // blocks, so they do not overlap; then `block`, made for `layout`,
            // is handed back once.
            unsafe {
                core::ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        moved
    }
}
