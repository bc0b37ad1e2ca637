//! Scores the reader on the layout dev set, per layout (magazine columns with
//! trailing titles, web pages, the bulletin style): precision, recall and zone
//! attachment. Round 1 (tests/layouts/{magazine,web,bulletin}) was written
//! before the layout rules; rounds 2 to 4 (tests/layouts/round2 … round4,
//! files named by layout) after them, each scored before any rule was
//! changed for it.
//! `cargo run -p kfq-extract --example layouts [-- -v]`.

use std::path::{Path, PathBuf};
use std::{env, fs};

use kfq_extract::score::{score_bulletin, Score};

const LAYOUTS: [(&str, &str); 3] = [("magazine", "mag_"), ("web", "web_"), ("bulletin", "bul_")];

fn gold_files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| {
        p.extension().is_some_and(|e| e == "json")
            && p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
    });
    out.sort();
    out
}

fn main() {
    let verbose = env::args().any(|a| a == "--verbose" || a == "-v");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/layouts");
    println!(
        "{:<18} {:>5} {:>5} {:>5} {:>9} {:>7} {:>11}",
        "set", "gold", "read", "match", "precision", "recall", "attachment"
    );
    for round in ["round 1", "round 2", "round 3", "round 4"] {
        let mut all = Score::default();
        for (layout, prefix) in LAYOUTS {
            let dir = match round {
                "round 1" => root.join(layout),
                _ => root.join(round.replace(' ', "")),
            };
            let mut total = Score::default();
            for gold_path in gold_files(&dir, prefix) {
                let text = fs::read_to_string(gold_path.with_extension("txt")).expect("text");
                let gold = fs::read_to_string(&gold_path).expect("gold");
                let s = score_bulletin(&text, &gold).expect("gold parses");
                if verbose {
                    println!("== {}", gold_path.display());
                    for k in &s.missed {
                        println!("  missed   {k}");
                    }
                    for k in &s.spurious {
                        println!("  spurious {k}");
                    }
                }
                total.merge(s);
            }
            row(&format!("{round} {layout}"), &total);
            all.merge(total);
        }
        row(&format!("{round} all"), &all);
    }
}

fn row(name: &str, s: &Score) {
    let c = s.overall();
    println!(
        "{:<18} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>5}/{:<3} {:.3}",
        name,
        c.true_positive + c.false_negative,
        c.true_positive + c.false_positive,
        c.true_positive,
        c.precision(),
        c.recall(),
        s.attachment.right,
        s.attachment.found,
        s.attachment.rate()
    );
}
