//! A failover under load, on a real pg_auto_failover formation. Ignored by
//! default: scripts/formation-tests.sh starts a formation and runs it.

use std::time::{Duration, Instant};

use kfq_store::{Backend, Store};
use kfq_web::WebConfig;
use reqwest::StatusCode;
use serde_json::json;

use crate::formation::{node_url, other_port, Formation};
use crate::helpers::spawn_app_on;

/// The node kfq writes to, by its port.
async fn primary_port(store: &Store) -> String {
    store.server_port().await.unwrap().unwrap().to_string()
}

/// Kills the node on `port` as a machine dies: its keeper and its
/// PostgreSQL at once (scripts/formation.sh started each node in a process
/// group of its own), so nothing restarts it.
fn kill_node(dir: &str, port: &str) {
    let node = format!("{dir}/node{}", &port[port.len() - 1..]);
    let group = std::fs::read_to_string(format!("{node}.pgid")).unwrap();
    let pid = std::fs::read_to_string(format!("{node}/postmaster.pid")).unwrap();
    let postgres = pid.lines().next().unwrap().trim().to_owned();
    let killed = std::process::Command::new("kill")
        .args(["-9", "--", &format!("-{}", group.trim()), &postgres])
        .status()
        .unwrap();
    assert!(killed.success(), "kill -9 of {node}");
}

/// When the node on `port` starts accepting writes (its promotion), polled
/// from the side, as an operator would see it.
fn watch_promotion(port: String) -> tokio::task::JoinHandle<Instant> {
    tokio::spawn(async move {
        let url = node_url(&port, "kfq");
        loop {
            if let Ok(node) = Store::connect(&url).await {
                let writes = node.accepts_writes().await;
                node.close().await;
                if matches!(writes, Ok(true)) {
                    return Instant::now();
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs a pg_auto_failover formation (scripts/formation.sh)"]
async fn the_primary_dies_and_kfq_follows_the_new_one_losing_no_acknowledged_write() {
    let formation = Formation::from_env();
    let url = formation.database("kfq_failover").await;
    let dir = formation.dir.clone();
    let app = spawn_app_on(&url, Backend::Postgres, WebConfig::default()).await;
    let api = app.api_client("admin").await;
    let zone = app.zone("运城经济技术开发区").id;
    let port = primary_port(&app.store).await;

    let mut acknowledged = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let mut unexpected = Vec::new();
    let mut killed_at = None;
    let mut promoted = None;
    let mut back_at = None;
    let mut back_after = None;
    let started = Instant::now();
    for n in 0.. {
        if n == 20 {
            promoted = Some(watch_promotion(other_port(&port).to_owned()));
            kill_node(&dir, &port);
            killed_at = Some(Instant::now());
        }
        let (status, body) = api
            .post(
                "/api/v1/projects",
                &json!({ "zone_id": zone, "name": format!("切换中的项目{n}"), "category": "industrial",
                         "nature": "new", "total_investment": "100" }),
            )
            .await;
        *statuses.entry(status.as_u16()).or_default() += 1;
        if ![StatusCode::CREATED, StatusCode::SERVICE_UNAVAILABLE].contains(&status) {
            unexpected.push((n, status.as_u16(), body.clone()));
        }
        if status == StatusCode::CREATED {
            acknowledged.push(body["id"].as_i64().unwrap());
            if let (Some(killed), None) = (killed_at, back_after) {
                back_after = Some(killed.elapsed());
                back_at = Some(Instant::now());
            }
        }
        if back_after.is_some_and(|_| acknowledged.len() >= 40) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "no primary came back: {statuses:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let back_after = back_after.unwrap();
    let promoted = promoted.unwrap().await.unwrap();
    let killed_at = killed_at.unwrap();
    let reconnected = back_at.unwrap().saturating_duration_since(promoted);
    eprintln!(
        "failover: secondary promoted {:?} after the kill, kfq writing again {reconnected:?} after \
         the promotion ({back_after:?} after the kill); statuses {statuses:?}",
        promoted.duration_since(killed_at)
    );
    assert!(
        reconnected < Duration::from_secs(30),
        "kfq took {reconnected:?} to follow the promoted node"
    );
    assert!(
        !statuses.contains_key(&500),
        "a 500 during the switch: {statuses:?}"
    );
    assert!(
        statuses.keys().all(|s| [201, 503].contains(s)),
        "only created or 503 retry: {statuses:?}; the others: {unexpected:?}"
    );
    assert_ne!(
        primary_port(&app.store).await,
        port,
        "kfq writes to the new primary"
    );
    for id in &acknowledged {
        let (status, _) = api.get(&format!("/api/v1/projects/{id}")).await;
        assert_eq!(status, StatusCode::OK, "acknowledged project {id} lost");
    }
    let report = app.store.audit_verify().await.unwrap();
    assert!(report.broken.is_none(), "{report:?}");
}
