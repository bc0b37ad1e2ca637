//! `kfq import indicators`: the month's statistics table of indicators from
//! a shell, read as the web page reads it: the month chosen (--period) or the
//! one the table names, with where it was read; each zone's figures; and
//! what cannot be read, said. Writes only with --commit.

use anyhow::{anyhow, bail, Context, Result};
use kfq_app::indicators::board;
use kfq_app::indicators::import::{self, Period};
use kfq_domain::{OrgKind, OrgPath, UnitWrite, Visibility};
use kfq_store::{Actor, FigureInput, OrgFilter};

use crate::args::IndicatorImportArgs;
use crate::open;

pub async fn import(args: IndicatorImportArgs) -> Result<()> {
    let period = match args.period.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            Period::parse(raw)
                .map_err(|_| anyhow!("--period {raw}: expected a month such as 2024-06"))?,
        ),
    };
    let store = open(&args.db).await?;
    let org = store
        .org_by_code_unscoped(&args.org)
        .await
        .context("no unit has that code")?;
    let filter = OrgFilter {
        kind: Some(OrgKind::Zone),
        ..Default::default()
    };
    let zones = store
        .orgs(&Visibility::Subtree(org.org_path()), &filter, 0, 100_000)
        .await?
        .items;
    if zones.is_empty() {
        bail!("{} has no zones", org.name);
    }
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let catalog = kfq_app::i18n::Catalog::zh();
    let indicators = board::catalogue(&store).await?;
    let reading = import::read(catalog, &indicators, &zones, &name, &bytes, period)
        .map_err(|e| anyhow!("{name}: {e}"))?;

    let recorded = match (args.commit, reading.period) {
        (false, _) => None,
        (true, None) => {
            print_report(&name, &reading);
            bail!("nothing recorded: the table names no month; pass --period 2024-06");
        }
        (true, Some(_)) => {
            let zones: Vec<(i64, OrgPath, Vec<FigureInput>)> = reading
                .zones
                .iter()
                .map(|(z, f)| (z.id, z.org_path(), f.clone()))
                .collect();
            // The operator on the server may record for any zone.
            let n = store
                .record_zones_figures(
                    &Actor::system("命令行"),
                    &UnitWrite::operator(),
                    &zones,
                    "import",
                )
                .await?;
            Some(n)
        }
    };
    if args.json {
        let report = serde_json::json!({
            "file": name,
            "period": reading.period.map(|p| p.code()),
            "period_basis": reading.sheet.period_basis,
            "zones": reading.zones.iter().map(|(z, f)| serde_json::json!({
                "zone_id": z.id,
                "zone_name": z.name,
                "figures": f.len(),
            })).collect::<Vec<_>>(),
            "issues": reading.issues,
            "sheet": reading.sheet,
            "recorded": recorded,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    print_report(&name, &reading);
    match recorded {
        Some(n) => println!("recorded {n} figures"),
        None => println!("dry run: nothing written (add --commit to record)"),
    }
    Ok(())
}

fn print_report(name: &str, reading: &import::Reading) {
    let sheet = &reading.sheet;
    for issue in &reading.issues {
        eprintln!("{issue}");
    }
    for c in &sheet.columns {
        if let Some(note) = &c.note {
            eprintln!("{} {}列“{}”：{}", sheet.sheet, c.column, c.header, note);
        }
    }
    match (reading.period, &sheet.period_basis) {
        (Some(p), Some(basis)) => println!("{}: 统计期 {}（{}）", sheet.sheet, p.label(), basis),
        (Some(p), None) => println!("{}: 统计期 {}", sheet.sheet, p.label()),
        (None, _) => println!(
            "{}: 没有统计期，请用 --period 指定（如 2024-06）",
            sheet.sheet
        ),
    }
    let figures: usize = reading.zones.iter().map(|(_, f)| f.len()).sum();
    println!(
        "{name}: {} 个开发区，{figures} 个数据；跳过 {} 行",
        reading.zones.len(),
        sheet.skipped.len()
    );
}
