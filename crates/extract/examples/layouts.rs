//! Scores the reader on the layout dev set (tests/layouts/{magazine,web,bulletin}):
//! precision, recall and zone attachment per layout, then overall:
//! `cargo run -p kfq-extract --example layouts [-- -v]`.

use std::path::Path;
use std::{env, fs};

use kfq_extract::score::{score_bulletin, Score};

fn main() {
    let verbose = env::args().any(|a| a == "--verbose" || a == "-v");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/layouts");
    let mut all = Score::default();
    println!(
        "{:<10} {:>5} {:>5} {:>5} {:>9} {:>7} {:>11}",
        "layout", "gold", "read", "match", "precision", "recall", "attachment"
    );
    for layout in ["magazine", "web", "bulletin"] {
        let dir = root.join(layout);
        let mut stems: Vec<_> = fs::read_dir(&dir)
            .expect("layout directory")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        stems.sort();
        let mut total = Score::default();
        for gold_path in stems {
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
                println!("  attachment {}/{}", s.attachment.right, s.attachment.found);
            }
            total.merge(s);
        }
        row(layout, &total);
        all.merge(total);
    }
    row("all", &all);
}

fn row(name: &str, s: &Score) {
    let c = s.overall();
    println!(
        "{:<10} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>5}/{:<3} {:.3}",
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
