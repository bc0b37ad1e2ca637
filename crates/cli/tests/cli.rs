//! The `kfq` binary as an operator uses it: a fresh install, the first
//! administrator, the audit check, and a graceful stop.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;

fn kfq(data: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kfq"))
        .args(args)
        .env("KFQ_DATA_DIR", data)
        .env_remove("KFQ_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kfq runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kfq-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn a_fresh_install_gets_its_first_administrator_and_a_checked_trail() {
    let data = temp_dir("install");
    let out = kfq(&data, &["migrate"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        data.join("kfq.db").exists(),
        "the default database is a file in the data folder"
    );

    let out = kfq(
        &data,
        &[
            "org",
            "add",
            "--kind",
            "province",
            "--name",
            "山西省",
            "--code",
            "140000",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let add = [
        "user",
        "add",
        "--username",
        "admin",
        "--name",
        "管理员",
        "--role",
        "system_admin",
        "--org",
        "140000",
        "--password-stdin",
    ];
    let weak = kfq(&data, &add, Some("short\n"));
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("密码至少10位"));
    let ok = kfq(&data, &add, Some("first-admin-2026\n"));
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let again = kfq(&data, &add, Some("first-admin-2026\n"));
    assert!(String::from_utf8_lossy(&again.stderr).contains("该用户名已被使用"));

    let workbook = data.join("台账.xlsx");
    let export = kfq(
        &data,
        &[
            "export",
            "ledger",
            "--zone",
            "140000",
            "--year",
            "2024",
            "-o",
            workbook.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    assert!(std::fs::read(&workbook).unwrap().starts_with(b"PK"));

    let verify = kfq(&data, &["audit", "verify"], None);
    assert!(verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stdout).contains("intact: 1 chains, 2 records"));
    let stages = kfq(&data, &["audit", "stages"], None);
    assert!(stages.status.success());
    assert!(String::from_utf8_lossy(&stages.stdout).contains("stages and milestones agree"));

    // Someone edits the trail behind kfq's back.
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}", data.join("kfq.db").display());
    let mut db = sqlx::AnyConnection::connect(&url).await.unwrap();
    sqlx::query("UPDATE audit_log SET actor_name = '别人' WHERE seq = 1")
        .execute(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
    let verify = kfq(&data, &["audit", "verify"], None);
    assert_eq!(verify.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&verify.stdout).contains("BROKEN: chain 0 record 1"));
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test]
async fn serve_answers_health_and_stops_on_sigterm() {
    let data = temp_dir("serve");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kfq"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("KFQ_DATA_DIR", &data)
        .env("NO_COLOR", "1")
        .env_remove("KFQ_DATABASE_URL")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let started = Instant::now();
    let address = loop {
        let line = lines.next().expect("kfq logs").unwrap();
        let plain: String = strip_ansi(&line);
        if let Some(rest) = plain.split("address=").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no address logged"
        );
    };
    let health = reqwest::get(format!("http://{address}/healthz"))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "a clean exit after SIGTERM: {exit:?}");
            break;
        }
        assert!(Instant::now() < deadline, "kfq did not stop");
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = std::fs::remove_dir_all(&data);
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
