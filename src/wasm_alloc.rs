//! The allocator of the wasm build: power-of-two size classes, one free list each.
//!
//! Every call into the module allocates a handful of short-lived blocks (the input,
//! decoded fields, the result) of similar sizes, call after call. A block of class `k`
//! is `2^k` bytes, aligned to its own size; a freed block goes on its class's list
//! and is the next one handed out for that class, so allocation and freeing are a few
//! instructions each, and `realloc` within the block's class is free. Fresh blocks are
//! carved from pages obtained with `memory.grow` (WebAssembly memory never shrinks,
//! with any allocator). Memory held is at most the peak number of live blocks of each
//! class times its size: bounded, because every input is size-limited before it is
//! copied in.
//!
//! Compared with the `dlmalloc` that `std` brings, this is ~6 KB less code and
//! several times fewer instructions per allocation; it spends up to 2x the bytes on
//! each block, which for inputs of at most 64 KiB is a few hundred kilobytes at worst.
//!
//! wasm32 here has one thread, so the state is a plain cell.
#![allow(unsafe_code)]

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr;

const PAGE: usize = 65536;
/// The smallest block, 16 bytes: room for the free-list link and the usual alignment.
const MIN_CLASS: u32 = 4;
const CLASSES: usize = usize::BITS as usize;

struct Heap {
    /// `free[k]`: address of the first free block of `2^k` bytes, 0 if none. Each free
    /// block holds the address of the next one in its first word.
    free: [usize; CLASSES],
    /// Fresh memory is `top..end`.
    top: usize,
    end: usize,
}

pub struct Allocator(UnsafeCell<Heap>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread, so the
// cell is never accessed concurrently.
unsafe impl Sync for Allocator {}

impl Allocator {
    pub const fn new() -> Self {
        Allocator(UnsafeCell::new(Heap {
            free: [0; CLASSES],
            top: 0,
            end: 0,
        }))
    }
}

/// The class of a layout: `2^class >= max(size, align, 16)`, or `None` if too large.
#[inline(always)]
fn class_of(layout: &Layout) -> Option<u32> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    // The bit length of `size - 1` (size >= 16): branch-free, and inlined where
    // `checked_next_power_of_two` is a call at opt-level "z".
    let class = usize::BITS - (size - 1).leading_zeros();
    (class < usize::BITS - 1).then_some(class)
}

impl Heap {
    fn carve(&mut self, class: u32) -> *mut u8 {
        let size = 1usize << class;
        // Aligned to its own size, so any later layout of this class fits it.
        let Some(start) = self.top.checked_add(size - 1).map(|t| t & !(size - 1)) else {
            return ptr::null_mut();
        };
        let Some(new_top) = start.checked_add(size) else {
            return ptr::null_mut();
        };
        if new_top > self.end {
            // Grow by what is missing (whole pages); fresh pages start at the old
            // end of memory, which is where `end` is unless this is the first grow.
            let pages = (new_top - self.end).div_ceil(PAGE);
            let old = wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return ptr::null_mut();
            }
            let base = old * PAGE;
            if base != self.end {
                // First grow (or memory grown by someone else): start afresh there.
                self.top = base;
                self.end = base + pages * PAGE;
                return self.carve(class);
            }
            self.end = base + pages * PAGE;
        }
        self.top = new_top;
        start as *mut u8
    }
}

// SAFETY: blocks handed out are disjoint (carved once from fresh memory, or popped
// from a free list that only holds blocks returned by `dealloc`), at least as large and
// as aligned as their layout asks (class chosen from both, blocks aligned to their
// size), and `dealloc`/`realloc` receive the layout they were allocated with, so the
// class computed there is the block's class.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(&layout) else {
            return ptr::null_mut();
        };
        // SAFETY: single-threaded (see `Sync`) and not re-entered.
        let heap = unsafe { &mut *self.0.get() };
        let Some(head) = heap.free.get_mut(class as usize) else {
            return ptr::null_mut();
        };
        if *head != 0 {
            let block = *head as *mut usize;
            // SAFETY: a free block of this class, at least 16 bytes and aligned,
            // whose first word is the link written by `dealloc`.
            *head = unsafe { block.read() };
            return block.cast();
        }
        heap.carve(class)
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let Some(class) = class_of(&layout) else {
            return;
        };
        // SAFETY: single-threaded (see `Sync`) and not re-entered.
        let heap = unsafe { &mut *self.0.get() };
        if let Some(head) = heap.free.get_mut(class as usize) {
            // SAFETY: the block is ours, of this class (>= 16 bytes, aligned), and no
            // longer used by the caller.
            unsafe { block.cast::<usize>().write(*head) };
            *head = block as usize;
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size`, rounded up to `layout.align()`,
        // does not overflow `isize`.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if class_of(&layout).is_some() && class_of(&layout) == class_of(&new_layout) {
            return block;
        }
        // SAFETY: as for `alloc`.
        let new_block = unsafe { self.alloc(new_layout) };
        if !new_block.is_null() {
            // SAFETY: both blocks are valid for the smaller size and do not overlap.
            unsafe {
                ptr::copy_nonoverlapping(block, new_block, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        new_block
    }
}
