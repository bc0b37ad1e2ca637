//! Writes or reads the large generated ledger used to measure the reader:
//!
//! ```sh
//! cargo run --release -p kfq-workbook --example big_ledger -- write /tmp/ledger.xlsx 100000
//! /usr/bin/time -v target/release/examples/big_ledger read /tmp/ledger.xlsx
//! ```
//!
//! `read` prints what was read, how long it took, and how much heap the
//! reading needed at its peak beside what the returned rows keep; run it
//! under `/usr/bin/time -v` for the peak resident memory.

#[path = "../benches/support/big_ledger.rs"]
mod big_ledger;

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::Instant;

/// The allocator of the `kfq` binary (mimalloc), counting live bytes and
/// their peak, and the live blocks with what the allocator gives each (its
/// rounding: a one-letter String takes 8 bytes or more), which is what the
/// rows cost in RSS. Measured with the binary's allocator, since that is
/// what an import runs on. Counting is switched on only for the read whose
/// memory is reported: the timed read runs on the allocator alone.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static BLOCKS: AtomicIsize = AtomicIsize::new(0);
static IN_CHUNKS: AtomicIsize = AtomicIsize::new(0);

/// The memory the allocator holds for a block.
unsafe fn chunk(ptr: *mut u8, _size: usize) -> isize {
    MiMalloc.usable_size(ptr) as isize
}

fn counting() -> bool {
    COUNTING.load(Ordering::Relaxed)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = MiMalloc.alloc(layout);
        if counting() && !ptr.is_null() {
            let size = layout.size() as isize;
            let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(live, Ordering::Relaxed);
            BLOCKS.fetch_add(1, Ordering::Relaxed);
            IN_CHUNKS.fetch_add(chunk(ptr, layout.size()), Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if counting() {
            LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
            BLOCKS.fetch_sub(1, Ordering::Relaxed);
            IN_CHUNKS.fetch_sub(chunk(ptr, layout.size()), Ordering::Relaxed);
        }
        MiMalloc.dealloc(ptr, layout)
    }

    /// The allocator's own realloc (which grows or shrinks a large block in
    /// place), not the default of a new block and a copy: that would count,
    /// and hold, a growing Vec twice.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !counting() {
            return MiMalloc.realloc(ptr, layout, new_size);
        }
        let old_chunk = chunk(ptr, layout.size());
        let moved = MiMalloc.realloc(ptr, layout, new_size);
        if !moved.is_null() {
            IN_CHUNKS.fetch_sub(old_chunk, Ordering::Relaxed);
            IN_CHUNKS.fetch_add(chunk(moved, new_size), Ordering::Relaxed);
            let grown = new_size as isize - layout.size() as isize;
            let live = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: f64 = 1024.0 * 1024.0;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["write", path, rest @ ..] => {
            let projects = rest
                .first()
                .map_or(100_000, |n| n.parse().expect("a count"));
            let started = Instant::now();
            let rows = big_ledger::write(Path::new(path), projects).expect("written");
            let size = std::fs::metadata(path).expect("written file").len();
            println!(
                "wrote {path}: {projects} projects, {rows} rows, {size} bytes in {:.2} s",
                started.elapsed().as_secs_f64()
            );
        }
        ["read", path] => {
            let bytes = std::fs::read(path).expect("readable file");
            // Timed on the allocator alone, then read again counting.
            let started = Instant::now();
            let timed = kfq_workbook::read(&bytes, path, &Default::default()).expect("a workbook");
            let seconds = started.elapsed().as_secs_f64();
            drop(timed);
            COUNTING.store(true, Ordering::Relaxed);
            let before = LIVE.load(Ordering::Relaxed);
            let (blocks_before, chunks_before) = (
                BLOCKS.load(Ordering::Relaxed),
                IN_CHUNKS.load(Ordering::Relaxed),
            );
            PEAK.store(before, Ordering::Relaxed);
            let book = kfq_workbook::read(&bytes, path, &Default::default()).expect("a workbook");
            for sheet in &book.sheets {
                println!(
                    "{}: {} projects, {} skipped, {} rows with errors, {} issues",
                    sheet.name,
                    sheet.rows.len(),
                    sheet.skipped.len(),
                    sheet.rows.iter().filter(|r| !r.errors.is_empty()).count(),
                    sheet.issues.len()
                );
                for issue in &sheet.issues {
                    println!("  {}", issue.message);
                }
            }
            let kept = LIVE.load(Ordering::Relaxed) - before;
            let peak = PEAK.load(Ordering::Relaxed) - before;
            println!("read {} bytes in {seconds:.2} s", bytes.len());
            println!(
                "heap beyond the file's bytes: {:.0} MB at the peak, {:.0} MB kept by the result",
                peak as f64 / MB,
                kept as f64 / MB
            );
            println!(
                "the result's {} blocks take {:.0} MB in the allocator's blocks",
                BLOCKS.load(Ordering::Relaxed) - blocks_before,
                (IN_CHUNKS.load(Ordering::Relaxed) - chunks_before) as f64 / MB
            );
        }
        _ => {
            eprintln!("usage: big_ledger write FILE [PROJECTS] | big_ledger read FILE");
            std::process::exit(2);
        }
    }
}
