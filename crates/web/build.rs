//! Front-end packages from npm, embedded in the binary: `assets/package.json`
//! and its lock file say which; the first build installs them (`npm ci`,
//! from the npm registry), later builds reuse `assets/node_modules`. ECharts
//! is also stored gzipped, so the one large file travels at a third of its
//! size.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const ECHARTS: &str = "node_modules/echarts/dist/echarts.min.js";

fn main() {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    println!("cargo:rerun-if-changed=assets/package.json");
    println!("cargo:rerun-if-changed=assets/package-lock.json");
    println!("cargo:rerun-if-changed=assets/{ECHARTS}");
    if !assets.join(ECHARTS).exists() {
        install(&assets);
    }
    let echarts = std::fs::read(assets.join(ECHARTS)).expect("ECharts installed");
    // Pages ask for the file by version, so browsers may keep it for good.
    let manifest = std::fs::read_to_string(assets.join("node_modules/echarts/package.json"))
        .expect("ECharts' package.json");
    let version = manifest
        .split("\"version\"")
        .nth(1)
        .and_then(|rest| rest.split('"').nth(1))
        .expect("ECharts' version");
    println!("cargo:rustc-env=KFQ_ECHARTS_VERSION={version}");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&echarts).expect("gzip in memory");
    std::fs::write(out.join("echarts.min.js.gz"), gz.finish().expect("gzip"))
        .expect("write to OUT_DIR");
}

fn install(assets: &Path) {
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let status = Command::new(npm)
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(assets)
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "kfq needs Node.js and npm to install its chart library (npm ci in {}): {e}",
                assets.display()
            )
        });
    assert!(
        status.success(),
        "npm ci in {} failed: the npm registry must be reachable on the first build",
        assets.display()
    );
}
