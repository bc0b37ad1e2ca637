//! SQLite's cost of the same rows written three ways, apart from kfq: the
//! projects an import wrote (with their stage changes, plans, months,
//! blockers and audit records) copied into a copy of the database before
//! it, one transaction, each table timed.
//!
//! ```text
//! cargo run --release -p kfq-store --example sqlite_insert_forms -- \
//!     imported.db before.db select|single|values [projects, default 100000]
//! ```
//!
//! `select`: `INSERT … SELECT` from the attached import (SQLite's floor);
//! `single`: one prepared single-row INSERT stepped a row at a time (what
//! `sqlite_rows` does); `values`: `VALUES` lists of 16,000 values a
//! statement. `before.db` is written to: use a fresh copy each run.

use std::time::Instant;

use rusqlite::types::Value;
use rusqlite::Connection;

const TABLES: [&str; 6] = [
    "projects",
    "project_stage_changes",
    "project_plans",
    "project_investments",
    "blockers",
    "audit_log",
];

fn main() -> rusqlite::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, imported, before, mode, ..] = &args[..] else {
        eprintln!(
            "usage: sqlite_insert_forms IMPORTED.db BEFORE.db select|single|values [projects]"
        );
        std::process::exit(2);
    };
    let projects: i64 = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let source = Connection::open(imported)?;
    let target = Connection::open(before)?;
    target.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
         PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY;",
    )?;
    let first: i64 = source.query_row("SELECT MAX(id) - ?1 FROM projects", [projects], |r| {
        r.get(0)
    })?;
    // The imported rows of each table, without the child tables' own ids.
    let mut tables = Vec::new();
    for table in TABLES {
        let filter = match table {
            "projects" => format!("id > {first}"),
            "audit_log" => format!("entity = 'project' AND entity_id > {first}"),
            _ => format!("project_id > {first}"),
        };
        let columns: Vec<String> = source
            .prepare(&format!("SELECT * FROM {table} LIMIT 0"))?
            .column_names()
            .into_iter()
            .filter(|c| table == "projects" || *c != "id")
            .map(str::to_owned)
            .collect();
        let list = columns.join(", ");
        let width = columns.len();
        let rows: Vec<Vec<Value>> = source
            .prepare(&format!("SELECT {list} FROM {table} WHERE {filter}"))?
            .query_map([], |r| (0..width).map(|n| r.get(n)).collect())?
            .collect::<rusqlite::Result<_>>()?;
        tables.push((table, list, filter, width, rows));
    }
    target.execute("ATTACH ?1 AS src", [imported])?;
    let start = Instant::now();
    target.execute_batch("BEGIN IMMEDIATE")?;
    for (table, list, filter, width, rows) in &tables {
        let began = Instant::now();
        let one = format!("({})", vec!["?"; *width].join(", "));
        match mode.as_str() {
            "select" => {
                target.execute(
                    &format!("INSERT INTO {table} ({list}) SELECT {list} FROM src.{table} WHERE {filter}"),
                    [],
                )?;
            }
            "single" => {
                let mut statement =
                    target.prepare(&format!("INSERT INTO {table} ({list}) VALUES {one}"))?;
                for row in rows {
                    statement.execute(rusqlite::params_from_iter(row))?;
                }
            }
            _ => {
                for chunk in rows.chunks(16_000 / width) {
                    let values = vec![one.as_str(); chunk.len()].join(", ");
                    target
                        .prepare_cached(&format!("INSERT INTO {table} ({list}) VALUES {values}"))?
                        .execute(rusqlite::params_from_iter(chunk.iter().flatten()))?;
                }
            }
        }
        println!("{table}: {} rows, {:?}", rows.len(), began.elapsed());
    }
    let began = Instant::now();
    target.execute_batch("COMMIT")?;
    println!("commit: {:?}; all: {:?}", began.elapsed(), start.elapsed());
    Ok(())
}
