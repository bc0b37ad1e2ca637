//! Reads sent to a streaming replica, on a real primary/standby pair (the two
//! nodes of a pg_auto_failover formation). Ignored by default:
//! scripts/formation-tests.sh starts a formation and runs it.

use std::time::{Duration, Instant};

use kfq_store::{Backend, Store, REPLICA_MAX_LAG};
use kfq_web::WebConfig;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::formation::{node_url, other_port, Formation};
use crate::helpers::{spawn_app_on_store, Session};

/// How many projects the zone's monthly report traces, as `session` reads it.
async fn traced(session: &Session, zone: i64) -> usize {
    let response = session
        .get(&format!(
            "/api/v1/monthly-bulletins/trace?org_id={zone}&figure=all"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["lines"].as_array().unwrap().len()
}

/// Waits until `check` holds, polling; panics with `what` after `limit`.
async fn until(limit: Duration, what: &str, mut check: impl AsyncFnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs a pg_auto_failover formation (scripts/formation.sh)"]
async fn reports_are_read_on_the_standby_and_a_writer_sees_their_own_writes() {
    let formation = Formation::from_env();
    let url = formation.database("kfq_replicas").await;
    let store = Store::connect(&url).await.unwrap();
    let primary = store.server_port().await.unwrap().unwrap().to_string();
    let standby = node_url(other_port(&primary), "kfq_replicas");
    let store = store.with_replicas(&standby).unwrap();
    let app = spawn_app_on_store(store, Backend::Postgres, WebConfig::default()).await;
    let on_standby = async || {
        app.store
            .reader()
            .server_port()
            .await
            .unwrap()
            .unwrap()
            .to_string()
            != primary
    };
    until(
        Duration::from_secs(20),
        "the standby serves reads",
        on_standby,
    )
    .await;

    let zone = app.zone("运城经济技术开发区").id;
    let writer = app.login("yc.staff").await;
    let reader = app.login("admin").await;
    let before = traced(&reader, zone).await;
    assert_eq!(traced(&writer, zone).await, before);

    // The standby stops replaying what it receives: from now on it lags.
    kfq_store::testing::execute(&standby, "SELECT pg_wal_replay_pause()")
        .await
        .unwrap();
    let created = writer
        .post_json(
            "/api/v1/projects",
            &json!({ "zone_id": zone, "name": "副本延迟中的新项目", "category": "industrial",
                     "nature": "new", "total_investment": "100" }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(
        traced(&writer, zone).await,
        before + 1,
        "the writer's next read goes to the primary"
    );
    assert_eq!(
        traced(&reader, zone).await,
        before,
        "someone else's report comes from the standby, a moment behind"
    );

    // Behind for longer than allowed: the standby is left, reads go to the primary.
    let left_after = until(
        REPLICA_MAX_LAG + Duration::from_secs(15),
        "a standby too far behind is left",
        async || traced(&reader, zone).await == before + 1,
    )
    .await;
    assert!(
        !on_standby().await,
        "reads went back to the primary after {left_after:?}"
    );

    // Replaying again, it catches up and serves again, now current.
    kfq_store::testing::execute(&standby, "SELECT pg_wal_replay_resume()")
        .await
        .unwrap();
    let back_after = until(
        Duration::from_secs(20),
        "the standby serves again",
        on_standby,
    )
    .await;
    assert_eq!(traced(&reader, zone).await, before + 1);
    eprintln!(
        "replicas: the standby left {left_after:?} after it stopped replaying, back {back_after:?} \
         after it resumed"
    );
}
