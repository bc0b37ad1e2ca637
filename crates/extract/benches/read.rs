//! Throughput of `read` over the seed bulletins repeated to about 4 MB.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const SEEDS: [&str; 3] = [
    include_str!("../tests/seeds/000_aa8f9fb98abb2377.txt"),
    include_str!("../tests/seeds/001_820556265f2e75f1.txt"),
    include_str!("../tests/seeds/002_dca386e19e6f0d3f.txt"),
];

fn corpus(target_bytes: usize) -> String {
    let mut text = String::with_capacity(target_bytes + 64 * 1024);
    while text.len() < target_bytes {
        for seed in SEEDS {
            text.push_str(seed);
            text.push_str("\n\n");
        }
    }
    text
}

fn bench_read(c: &mut Criterion) {
    let text = corpus(4 << 20);
    let mut group = c.benchmark_group("read");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.bench_function("seeds_4MB", |b| {
        b.iter(|| kfq_extract::read(std::hint::black_box(&text)))
    });
    group.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
