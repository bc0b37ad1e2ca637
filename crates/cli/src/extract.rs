//! `kfq extract`: the bulletin reader on files, for checking what it finds.

use std::path::PathBuf;

use anyhow::{Context, Result};

/// Prints what the bulletin reader finds in each file.
pub(crate) fn extract(files: &[PathBuf], json: bool) -> Result<()> {
    let mut all = Vec::new();
    for file in files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let text = String::from_utf8(bytes)
            .with_context(|| format!("{} is not UTF-8 text", file.display()))?;
        let reading = kfq_extract::read(&text);
        if json {
            all.push(serde_json::json!({ "file": file.display().to_string(), "reading": reading }));
            continue;
        }
        println!(
            "== {} — {} articles, {} facts",
            file.display(),
            reading.articles.len(),
            reading.facts.len()
        );
        for (n, article) in reading.articles.iter().enumerate() {
            let date = article
                .date
                .as_ref()
                .map(|d| d.as_written.clone())
                .unwrap_or_default();
            println!(
                "\n[{n}] {}  {}  {}",
                article.title,
                date,
                article.zones.join("、")
            );
            for fact in reading.facts.iter().filter(|f| f.article == Some(n)) {
                let subject = fact
                    .project
                    .clone()
                    .or_else(|| fact.investor.clone())
                    .or_else(|| fact.zone.clone())
                    .unwrap_or_default();
                let value = match &fact.value {
                    kfq_extract::Value::Quantity(q) => {
                        format!("{} ({} {:?})", q.as_written, q.amount, q.unit)
                    }
                    kfq_extract::Value::Stage { stage } => format!("{stage:?}"),
                };
                println!(
                    "    {:<22} {:<40} {}  «{}»",
                    fact.kind.name(),
                    value,
                    subject,
                    fact.span.slice(&text)
                );
            }
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&all)?);
    }
    Ok(())
}
