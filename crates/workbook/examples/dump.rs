//! Prints what kfq-workbook reads from a ledger file, as JSON or as a short
//! summary: `cargo run -p kfq-workbook --example dump -- 台账.xlsx [--json]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: dump FILE [--json]");
        std::process::exit(2);
    };
    let json = args.any(|a| a == "--json");
    let bytes = std::fs::read(&path).expect("readable file");
    let book = match kfq_workbook::read(&bytes, &path, &Default::default()) {
        Ok(book) => book,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&book).expect("serialisable")
        );
        return;
    }
    for sheet in &book.sheets {
        println!(
            "== {} (ledger: {}, title: {:?}, unit: {:?} {:?}, year: {:?}, 1-N月: {:?})",
            sheet.name,
            sheet.is_ledger,
            sheet.title,
            sheet.unit_note,
            sheet.money_unit,
            sheet.year,
            sheet.ytd_through_month
        );
        for c in &sheet.columns {
            println!(
                "  {} {:<24} → {:<22} {:>3} {:?} {}",
                c.column,
                c.header,
                c.field.map_or("-", |f| f.code()),
                c.confidence,
                c.unit,
                c.note.as_deref().unwrap_or("")
            );
        }
        for row in &sheet.rows {
            println!("  row {} {:?}", row.row, row.values.name);
            for e in row.errors.iter().chain(&row.warnings) {
                println!("      {}", e.message);
            }
        }
        for s in &sheet.skipped {
            println!("  skip {} {:?} {}", s.row, s.kind, s.text);
        }
        for i in &sheet.issues {
            println!("  ! {}", i.message);
        }
    }
    for i in &book.issues {
        println!("! {}", i.message);
    }
}
