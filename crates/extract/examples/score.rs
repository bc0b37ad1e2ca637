//! Scores the reader against the gold annotations of the seed bulletins and
//! prints precision and recall per fact kind:
//! `cargo run -p kfq-extract --example score [-- --verbose]`.

use std::{env, fs, path::Path, process};

use kfq_extract::score::{score_bulletin, Score};

fn main() {
    let verbose = env::args().any(|a| a == "--verbose" || a == "-v");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut gold_files: Vec<_> = match fs::read_dir(dir.join("gold")) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => {
            eprintln!("gold/: {e}");
            process::exit(1);
        }
    };
    gold_files.sort();
    let mut total = Score::default();
    for gold_path in gold_files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let stem = gold_path.file_stem().unwrap_or_default().to_string_lossy();
        let seed_path = dir.join("tests/seeds").join(format!("{stem}.txt"));
        let (Ok(text), Ok(gold)) = (
            fs::read_to_string(&seed_path),
            fs::read_to_string(gold_path),
        ) else {
            eprintln!(
                "cannot read {} or {}",
                seed_path.display(),
                gold_path.display()
            );
            process::exit(1);
        };
        let score = match score_bulletin(&text, &gold) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{}: {e}", gold_path.display());
                process::exit(1);
            }
        };
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
    print!("{}", total.table());
}
