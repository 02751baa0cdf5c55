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

// Compiled only without the `atomics` feature (src/browser/mod.rs): one
// thread, so the heap is never shared.
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

impl Heap {
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
            *head = *block.cast::<*mut u8>();
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

    unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        if let Some(head) = self.free.get_mut(class_of(layout) as usize) {
            *block.cast::<*mut u8>() = *head;
            *head = block;
        }
    }
}

unsafe impl GlobalAlloc for SizeClassAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        (*self.0.get()).alloc(layout)
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        (*self.0.get()).dealloc(block, layout)
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        // The block already has room up to its class size.
        if class_of(new_layout) == class_of(layout) {
            return block;
        }
        let moved = self.alloc(new_layout);
        if !moved.is_null() {
            core::ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }
}
