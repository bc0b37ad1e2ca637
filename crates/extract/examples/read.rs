//! Prints the reading of a bulletin file as JSON: `cargo run -p kfq-extract --example read -- FILE`.

use std::{env, fs, process};

fn main() {
    let Some(path) = env::args().nth(1) else {
        eprintln!("usage: read FILE");
        process::exit(2);
    };
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            process::exit(1);
        }
    };
    let reading = kfq_extract::read(&text);
    match serde_json::to_string_pretty(&reading) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("{e}");
            process::exit(1);
        }
    }
}
