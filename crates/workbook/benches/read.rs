//! Time to read a generated 100,000-project ledger (.xlsx). The file is
//! written once into the temp dir (`KFQ_BIG_LEDGER` names another path) and
//! reused, since writing it takes longer than reading it.

mod support {
    pub mod big_ledger;
}

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const PROJECTS: usize = 100_000;

fn ledger_file() -> PathBuf {
    let path = std::env::var_os("KFQ_BIG_LEDGER").map_or_else(
        || std::env::temp_dir().join(format!("kfq-ledger-{PROJECTS}.xlsx")),
        PathBuf::from,
    );
    if !path.exists() {
        support::big_ledger::write(&path, PROJECTS).expect("ledger written");
    }
    path
}

fn bench_read(c: &mut Criterion) {
    let path = ledger_file();
    let bytes = std::fs::read(&path).expect("readable ledger");
    let mut group = c.benchmark_group("read");
    group.throughput(Throughput::Elements(PROJECTS as u64));
    group.sample_size(10);
    group.bench_function("ledger_100k_rows_xlsx", |b| {
        b.iter(|| {
            let book = kfq_workbook::read(
                std::hint::black_box(&bytes),
                "台账.xlsx",
                &Default::default(),
            )
            .expect("a workbook");
            assert_eq!(book.sheets[0].rows.len(), PROJECTS);
            book
        })
    });
    group.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
