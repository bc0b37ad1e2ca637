//! Sheets longer than the rows held for finding the header: merged cells,
//! subtotals and notes far down a generated .xlsx, and a CSV longer than
//! the old 20,000-row limit.

#[path = "../benches/support/big_ledger.rs"]
mod big_ledger;

use kfq_workbook::{read, Field, ReadOptions, SkipKind};

#[test]
fn a_generated_ledger_reads_merges_far_below_the_header() {
    let dir = std::env::temp_dir().join(format!("kfq-workbook-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ledger.xlsx");
    let projects = 300;
    let rows = big_ledger::write(&path, projects).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    let book = read(&bytes, "ledger.xlsx", &ReadOptions::default()).unwrap();
    let sheet = &book.sheets[0];
    assert_eq!(
        sheet.header_rows.iter().map(|h| h.row).collect::<Vec<_>>(),
        [3, 4]
    );
    assert_eq!(sheet.unit_note.as_deref(), Some("单位：万元"));
    assert_eq!(sheet.rows.len(), projects);
    assert!(sheet.issues.is_empty(), "{:?}", sheet.issues);
    assert!(sheet.rows.iter().all(|r| r.errors.is_empty()));

    let count = |kind| sheet.skipped.iter().filter(|s| s.kind == kind).count();
    let blocks = projects.div_ceil(big_ledger::BLOCK);
    assert_eq!(count(SkipKind::Subtotal), blocks);
    assert_eq!(count(SkipKind::Total), 1);
    assert_eq!(count(SkipKind::Note), 2);
    assert_eq!(sheet.rows.len() + sheet.skipped.len(), rows as usize - 4);

    // The zone is merged down over each block: every row of the sixth block
    // (rows 255 to 303) carries the name written in its first row.
    let sixth: Vec<_> = sheet
        .rows
        .iter()
        .filter(|r| (255..=303).contains(&r.row))
        .collect();
    assert_eq!(sixth.len(), big_ledger::BLOCK);
    let zone = sixth[0].values.zone.clone().unwrap();
    assert!(sixth.iter().all(|r| r.values.zone.as_ref() == Some(&zone)));
    assert_ne!(sheet.rows[0].values.zone.as_ref(), Some(&zone));
    // A leader merged over two rows carries to the second.
    let second = sheet.rows.iter().find(|r| r.row == 255 + 6).unwrap();
    let first = sheet.rows.iter().find(|r| r.row == 255 + 5).unwrap();
    assert!(second.values.liaison.is_some());
    assert_eq!(second.values.liaison, first.values.liaison);
    assert!(second.raw.iter().any(|v| v.field == Field::Liaison));
}

#[test]
fn a_csv_longer_than_twenty_thousand_rows_is_read_whole() {
    let mut text = String::from("序号,项目名称,总投资\n");
    for i in 1..=25_000 {
        text.push_str(&format!("{i},项目{i},{}\n", i % 900 + 100));
    }
    let book = read(text.as_bytes(), "台账.csv", &ReadOptions::default()).unwrap();
    let sheet = &book.sheets[0];
    assert_eq!(sheet.rows.len(), 25_000);
    assert!(sheet.issues.is_empty());
    assert_eq!(sheet.rows[24_999].row, 25_001);
}
