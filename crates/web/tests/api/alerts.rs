use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::Json;
use chrono::Utc;
use kfq_app::alerts::{self, AlertConfig};
use kfq_web::WebConfig;
use reqwest::StatusCode;
use serde_json::{json, Value};

use kfq_store::testing::backends;

use crate::helpers::spawn_app_with;

/// A WeCom group robot on localhost: records what it is sent, and is rate
/// limited (45009) once for the first message mentioning `busy_for`.
#[derive(Clone, Default)]
struct Robot {
    received: Arc<Mutex<Vec<Value>>>,
    busy_for: Arc<Mutex<Option<String>>>,
}

async fn robot_send(State(robot): State<Robot>, Json(body): Json<Value>) -> Json<Value> {
    let content = body["markdown"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    robot.received.lock().unwrap().push(body);
    let mut busy = robot.busy_for.lock().unwrap();
    let errcode = match busy.as_deref() {
        Some(marker) if content.contains(marker) => {
            *busy = None;
            45009
        }
        _ => 0,
    };
    Json(
        json!({"errcode": errcode, "errmsg": if errcode == 0 { "ok" } else { "api freq out of limit" }}),
    )
}

async fn start_robot() -> (Robot, String) {
    let robot = Robot::default();
    let app = axum::Router::new()
        .route("/cgi-bin/webhook/send", axum::routing::post(robot_send))
        .with_state(robot.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (
        robot,
        format!(
            "http://127.0.0.1:{}/cgi-bin/webhook/send?key=test-key",
            address.port()
        ),
    )
}

#[tokio::test]
async fn a_red_project_reaches_the_zone_staffs_robot_once_retried_after_a_rate_limit() {
    for backend in backends() {
        let config = WebConfig {
            webhooks: kfq_notify::WebhookPolicy::local_for_tests(["127.0.0.1"]),
            ..WebConfig::default()
        };
        let app = spawn_app_with(backend, config).await;
        let (robot, webhook) = start_robot().await;
        let session = app.login("yc.staff").await;

        // Only allowed hosts: the server would call any address it is given.
        let refused = session
            .post_form(
                "/notifications/channels",
                &[
                    ("kind", "wecom"),
                    ("label", "内网"),
                    ("webhook_url", "http://10.0.0.8/hook"),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let added = session
            .post_form(
                "/notifications/channels",
                &[
                    ("kind", "wecom"),
                    ("label", "经开区项目群"),
                    ("webhook_url", &webhook),
                ],
            )
            .await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER);
        let subscribed = session
            .post_form(
                "/notifications/subscriptions",
                &[("event_project_red", "1")],
            )
            .await;
        assert_eq!(subscribed.status(), StatusCode::SEE_OTHER);

        // A project of the zone gets an overdue blocker: it turns red.
        let api = app.api_client("yc.staff").await;
        let zone = app.zone("运城经济技术开发区").id;
        let (_, ledger) = api
            .get(&format!("/api/v1/projects?zone_id={zone}&sort=name"))
            .await;
        let project = &ledger["page"]["items"][0];
        let (status, body) = api
            .post(
                &format!("/api/v1/projects/{}/blockers", project["id"]),
                &json!({"factor": "power", "description": "110千伏供电线路未接入",
                        "raised_on": "2026-01-05", "deadline": "2026-02-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let name = project["name"].as_str().unwrap().to_owned();

        // The robot is busy the first time it hears of it (45009: rate limited).
        *robot.busy_for.lock().unwrap() = Some(name.clone());
        let now = Utc::now();
        let alert = AlertConfig {
            webhooks: kfq_notify::WebhookPolicy::local_for_tests(["127.0.0.1"]),
            ..AlertConfig::default()
        };
        let queued = alerts::scan(&app.store, &alert, now).await.unwrap();
        assert!(queued >= 1);
        let first = alerts::deliver(&app.store, &alert, now).await.unwrap();
        assert_eq!(first.retrying, 1, "{first:?}");
        // Nothing is due again until the backoff has passed.
        let soon = alerts::deliver(&app.store, &alert, now + chrono::TimeDelta::seconds(10))
            .await
            .unwrap();
        assert_eq!(soon, alerts::Delivered::default());
        let later = now + chrono::TimeDelta::minutes(2);
        let second = alerts::deliver(&app.store, &alert, later).await.unwrap();
        assert_eq!(second.sent, 1);

        // Scanning again finds the same red project: nothing new is sent.
        assert_eq!(alerts::scan(&app.store, &alert, later).await.unwrap(), 0);
        let third = alerts::deliver(&app.store, &alert, later).await.unwrap();
        assert_eq!(third, alerts::Delivered::default());

        let received = robot.received.lock().unwrap().clone();
        let about: Vec<&Value> = received
            .iter()
            .filter(|m| {
                m["markdown"]["content"]
                    .as_str()
                    .unwrap_or_default()
                    .contains(&name)
            })
            .collect();
        assert_eq!(
            about.len(),
            2,
            "one rate-limited try, one delivery: {received:#?}"
        );
        let content = about[1]["markdown"]["content"].as_str().unwrap();
        assert!(
            content.contains("红色") && content.contains("超期未解决"),
            "{content}"
        );

        // The header counts the unread notice on every page.
        let (_, home) = session.get_text("/").await;
        assert!(home.contains("title=\"未读消息\""), "{home}");

        // The in-app notice and the delivery log.
        let (status, page) = session.get_text("/notifications").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&name) && page.contains("已发送") && page.contains("站内消息"));
        // Another user sees none of it.
        let other = app.api_client("lf.staff").await;
        let (_, theirs) = other.get("/api/v1/notifications").await;
        assert!(!theirs.to_string().contains(&name));
    }
}
