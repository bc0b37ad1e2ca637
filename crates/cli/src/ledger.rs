//! `kfq import ledger` and `kfq export ledger`: the ledger workbook in and
//! out from a shell, through the same use cases as the web pages.

use std::path::PathBuf;

use anyhow::{Context, Result};
use kfq_store::Actor;

use crate::args::{ExportCommand, ImportCommand};
use crate::open;

pub async fn import(command: ImportCommand) -> Result<()> {
    let (db, file, zone, year, month, blockers, only_valid, commit, json) = match command {
        ImportCommand::Ledger {
            db,
            file,
            zone,
            year,
            month,
            blockers,
            only_valid,
            commit,
            json,
        } => (
            db, file, zone, year, month, blockers, only_valid, commit, json,
        ),
        ImportCommand::Indicators(args) => return crate::indicators::import(args).await,
    };
    let store = open(&db).await?;
    let org = store
        .org_by_code_unscoped(&zone)
        .await
        .context("no unit has that code")?;
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let choices = kfq_app::ledger::import::Choices {
        year,
        month,
        blockers,
        mapping: None,
    };
    let today = kfq_app::clock::today();
    // The operator on the server may import into any unit.
    let target = kfq_app::access::ZoneTarget::operator(org);
    let prepared =
        kfq_app::ledger::import::prepare(&store, &target, &name, &bytes, &choices, today)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let import_file = kfq_store::ImportFile::of(&name, &bytes);
    for issue in prepared.plan.errors() {
        eprintln!("{}", issue.message);
    }
    let counts = prepared.plan.counts();
    let summary = format!(
        "{}: 新增 {} 个，更新 {} 个，无变化 {} 个，有误 {} 行；月度完成投资 {} 条，困难问题 {} 条",
        name,
        counts.create,
        counts.update,
        counts.unchanged,
        counts.reject,
        counts.months,
        counts.blockers
    );
    let import = if commit {
        let actor = Actor::system("命令行");
        Some(
            kfq_app::ledger::import::commit(
                &store,
                &actor,
                &target,
                &prepared,
                &import_file,
                only_valid,
            )
            .await
            .map_err(|e| match e {
                kfq_app::Error::Invalid(_) => {
                    anyhow::anyhow!("nothing imported: fix the rows above or pass --only-valid")
                }
                other => anyhow::anyhow!("{other:?}"),
            })?,
        )
    } else {
        None
    };
    if json {
        let report = kfq_app::ledger::import::report(prepared, &import_file, import);
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for r in &prepared.plan.reporting {
            println!("{}: 台账截至日期 {}（{}）", r.sheet, r.date, r.basis);
        }
        for c in &prepared.plan.columns {
            println!("{}: “{}”列 → {}", c.sheet, c.header, c.became);
        }
        println!("{summary}");
        match import {
            Some(i) => println!("imported (record {}, sha256 {})", i.id, i.sha256),
            None => println!("dry run: nothing written (add --commit to import)"),
        }
        // The command ends here: the plan's memory (100,000 rows' strings
        // for a province) goes back with the process, not freed one by one.
        std::mem::forget(prepared);
    }
    Ok(())
}

pub async fn export(command: ExportCommand) -> Result<()> {
    let ExportCommand::Ledger {
        db,
        zone,
        year,
        month,
        output,
    } = command;
    use chrono::Datelike;
    let store = open(&db).await?;
    let (visibility, scope) = match zone {
        Some(code) => {
            let unit = store
                .org_by_code_unscoped(&code)
                .await
                .context("no unit has that code")?;
            (kfq_domain::Visibility::Subtree(unit.org_path()), unit.name)
        }
        None => (kfq_domain::Visibility::All, String::new()),
    };
    let today = kfq_app::clock::today();
    let year = year.unwrap_or(today.year());
    let asked = month.is_some();
    let month = month
        .unwrap_or(if year < today.year() {
            12
        } else {
            today.month()
        })
        .clamp(1, 12);
    let filter = kfq_store::LedgerFilter {
        year,
        month,
        ..Default::default()
    };
    let ledger = store.ledger(&visibility, &filter, 0, 1_000_000).await?;
    let catalog = kfq_app::i18n::Catalog::zh();
    let count = ledger.page.items.len();
    let export = kfq_app::ledger::export::workbook(
        &store,
        &visibility,
        catalog,
        &scope,
        &filter,
        asked,
        ledger.page.items,
    )
    .await?;
    let bytes = export.bytes;
    let path = output.unwrap_or_else(|| PathBuf::from(format!("重点项目台账-{year}.xlsx")));
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    println!("{count} projects written to {}", path.display());
    Ok(())
}
