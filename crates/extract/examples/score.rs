//! Scores the reader against the gold annotations of the seed bulletins (gold/
//! with tests/seeds) and, separately, of the held-out bulletins (tests/dev), and
//! prints precision and recall per fact kind:
//! `cargo run -p kfq-extract --example score [-- --verbose]`.

use std::path::{Path, PathBuf};
use std::{env, fs, process};

use kfq_extract::score::{score_bulletin, Score};

/// Scores every `*.json` gold file in `gold_dir` against `text_dir/<stem>.txt`.
fn score_set(gold_dir: &Path, text_dir: &Path, verbose: bool) -> Score {
    let mut gold_files: Vec<PathBuf> = match fs::read_dir(gold_dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            eprintln!("{}: {e}", gold_dir.display());
            process::exit(1);
        }
    };
    gold_files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    gold_files.sort();
    let mut total = Score::default();
    for gold_path in gold_files {
        let stem = gold_path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text_path = text_dir.join(format!("{stem}.txt"));
        let (Ok(text), Ok(gold)) = (
            fs::read_to_string(&text_path),
            fs::read_to_string(&gold_path),
        ) else {
            eprintln!(
                "cannot read {} or {}",
                text_path.display(),
                gold_path.display()
            );
            process::exit(1);
        };
        let score = score_bulletin(&text, &gold).unwrap_or_else(|e| {
            eprintln!("{}: {e}", gold_path.display());
            process::exit(1);
        });
        if verbose {
            println!("== {stem}");
            for k in &score.missed {
                println!("  missed   {k}");
            }
            for k in &score.spurious {
                println!("  spurious {k}");
            }
        }
        total.merge(score);
    }
    total
}

fn main() {
    let verbose = env::args().any(|a| a == "--verbose" || a == "-v");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = score_set(&dir.join("gold"), &dir.join("tests/seeds"), verbose);
    println!("seed bulletins\n{}", seeds.table());
    let dev = score_set(&dir.join("tests/dev"), &dir.join("tests/dev"), verbose);
    println!("held-out bulletins (tests/dev)\n{}", dev.table());
}
