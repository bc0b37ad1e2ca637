//! `kfq demo`: kfq with demo data, on SQLite or an empty PostgreSQL.

use anyhow::{bail, Context, Result};
use kfq_store::Store;

use std::path::PathBuf;

use crate::args::{DbArgs, Scale};
use kfq_web::WebConfig;

use crate::{data_dir, open, redact, shutdown_signal};

/// A fresh demo database: the demo file, recreated, or the empty one given.
pub(crate) async fn demo_store(database: Option<String>) -> Result<(Store, String)> {
    let Some(url) = database else {
        let dir = data_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("demo.db");
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            if file.exists() {
                std::fs::remove_file(&file)
                    .with_context(|| format!("cannot remove the old demo {}", file.display()))?;
            }
        }
        let url = path.to_string_lossy().into_owned();
        let store = open(&DbArgs {
            database: Some(url.clone()),
        })
        .await?;
        return Ok((store, url));
    };
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(&url)))?;
    // Someone's data might be in there: the demo never drops anything.
    if store.has_tables().await? {
        bail!(
            "the database {} is not empty: the demo seeds only an empty database \
             (PostgreSQL: create one, e.g. `createdb kfq_demo`; SQLite: name a file that \
             does not exist yet; or leave out --database for a fresh demo file)",
            redact(&url)
        );
    }
    store.migrate().await.context("migrations failed")?;
    Ok((store, redact(&url)))
}

pub(crate) async fn demo(listen: &str, scale: Scale, database: Option<String>) -> Result<()> {
    // Checked before anything is created: SQLite has no COPY, and a quarter
    // of a million projects would take hours through audited inserts.
    let national_url = match (&database, scale) {
        (Some(url), Scale::National) if url.starts_with("postgres") => Some(url.clone()),
        (_, Scale::National) => bail!(
            "the national scale is a PostgreSQL scale: give an empty PostgreSQL database, e.g. \
             `createdb -h 127.0.0.1 -U postgres kfq_national` and \
             `--database postgres://postgres@127.0.0.1:5432/kfq_national`"
        ),
        _ => None,
    };
    let (store, label) = demo_store(database).await?;
    let started = std::time::Instant::now();
    let demo = match scale {
        Scale::National => kfq_demo::seed_country(&store).await?,
        _ => kfq_demo::seed(&store).await?,
    };
    let today = kfq_app::clock::today();
    let (zones, projects) = match scale {
        Scale::Normal => {
            let projects =
                kfq_demo::seed_ledger(&store, &demo.zones, kfq_demo::LedgerSize::Normal, today)
                    .await?;
            kfq_demo::seed_indicators(&store, &demo.zones, today).await?;
            kfq_demo::seed_attraction(&store, &demo.zones, today).await?;
            (demo.zones.len(), projects)
        }
        Scale::Province => {
            let zones = kfq_demo::add_province_zones(&store, &demo.zones).await?;
            let ledger = kfq_demo::seed_province_ledger(&store, &zones, today).await?;
            kfq_demo::seed_indicators(&store, &zones, today).await?;
            kfq_demo::seed_attraction(&store, &demo.zones, today).await?;
            let pipeline = kfq_demo::seed_province_attraction(&store, &zones, today).await?;
            println!(
                "kfq demo: province scale seeded in {:.1} s: {} zones, {} projects, {} monthly figures, {} leads, {} activities",
                started.elapsed().as_secs_f64(),
                zones.len(),
                ledger.projects,
                ledger.months,
                pipeline.leads,
                pipeline.activities
            );
            (zones.len(), ledger.projects)
        }
        Scale::National => {
            let url = national_url.context("a PostgreSQL database")?;
            let national = kfq_demo::seed_national(&store, &url, &demo.zones, today).await?;
            println!(
                "kfq demo: national scale seeded in {:.1} s: {} zones, {} projects, database {}",
                started.elapsed().as_secs_f64(),
                national.zones,
                national.projects,
                national.database_size
            );
            for (step, seconds) in &national.steps {
                println!("  {step:<16} {seconds:>8.1} s");
            }
            for (table, rows) in &national.rows {
                println!("  {table:<24} {rows:>12}");
            }
            (national.zones, national.projects)
        }
    };
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    let catalog = kfq_app::i18n::Catalog::zh();
    println!("kfq demo: http://{address}/  (database {label}, {zones} zones, {projects} projects)");
    println!("demo logins, password {}:", kfq_demo::DEMO_PASSWORD);
    for login in &demo.logins {
        println!(
            "  {:<14} {}  {}",
            login.username,
            catalog.t(&login.role.label_key()),
            login.unit
        );
    }
    kfq_demo::seed_subscriptions(&store).await?;
    let alerts = kfq_app::alerts::spawn(store.clone(), kfq_app::alerts::AlertConfig::default());
    let read_ahead = kfq_app::ledger::warm::spawn(store.clone());
    tracing::info!(address = %address, "serving the demo");
    kfq_web::serve(
        listener,
        store.clone(),
        WebConfig::default(),
        shutdown_signal(),
    )
    .await?;
    read_ahead.abort();
    alerts.abort();
    store.close().await;
    Ok(())
}
