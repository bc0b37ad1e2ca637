//! WeCom and DingTalk robots end to end against a fake webhook server on 127.0.0.1.

mod support;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use kfq_notify::{send, Channel, Message, Outcome};
use serde_json::json;
use sha2::Sha256;
use support::FakeRobot;

fn lag_alert() -> Message {
    Message {
        title: "工业投资滞后预警".into(),
        body_markdown: "2023年6月完成 41.2%，低于序时进度 50%。".into(),
        link: Some("https://kfq.example.cn/indicators/7".into()),
    }
}

const EXPECTED_TEXT: &str = "### 工业投资滞后预警\n\n2023年6月完成 41.2%，低于序时进度 50%。\n\n[查看详情](https://kfq.example.cn/indicators/7)";

fn wecom(url: String) -> Channel {
    Channel::WeCom { webhook_url: url }
}

fn dingtalk(url: String, secret: Option<&str>) -> Channel {
    Channel::DingTalk {
        webhook_url: url,
        secret: secret.map(str::to_owned),
    }
}

fn kind(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Delivered => "delivered",
        Outcome::Retry(_) => "retry",
        Outcome::Failed(_) => "failed",
    }
}

#[tokio::test]
async fn wecom_posts_markdown_body() {
    let robot = FakeRobot::start().await;
    let outcome = send(&wecom(robot.url(200, 0)), None, &lag_alert()).await;
    assert_eq!(outcome, Outcome::Delivered);

    let requests = robot.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].query.as_deref(), Some("access_token=tok123"));
    assert_eq!(
        requests[0].body,
        json!({"msgtype": "markdown", "markdown": {"content": EXPECTED_TEXT}})
    );
}

#[tokio::test]
async fn dingtalk_posts_markdown_body_and_verifiable_signature() {
    let secret = "SECkfq-test-secret";
    let robot = FakeRobot::start().await;
    let before = chrono::Utc::now().timestamp_millis();
    let outcome = send(
        &dingtalk(robot.url(200, 0), Some(secret)),
        None,
        &lag_alert(),
    )
    .await;
    let after = chrono::Utc::now().timestamp_millis();
    assert_eq!(outcome, Outcome::Delivered);

    let request = &robot.requests()[0];
    assert_eq!(
        request.body,
        json!({"msgtype": "markdown", "markdown": {"title": "工业投资滞后预警", "text": EXPECTED_TEXT}})
    );

    // Verify as DingTalk would: recompute the HMAC from the timestamp it was given.
    let query = request.query.as_deref().unwrap();
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no {name} in {query}"))
            .to_owned()
    };
    assert_eq!(param("access_token"), "tok123");
    let timestamp: i64 = param("timestamp").parse().unwrap();
    assert!(
        (before..=after).contains(&timestamp),
        "{before} <= {timestamp} <= {after}"
    );
    let sign = percent_encoding::percent_decode_str(&param("sign"))
        .decode_utf8()
        .unwrap()
        .into_owned();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}\n{secret}").as_bytes());
    mac.verify_slice(&BASE64.decode(sign).unwrap())
        .expect("signature verifies against the secret");
}

#[tokio::test]
async fn dingtalk_without_secret_is_not_signed() {
    let robot = FakeRobot::start().await;
    let outcome = send(&dingtalk(robot.url(200, 0), None), None, &lag_alert()).await;
    assert_eq!(outcome, Outcome::Delivered);
    assert_eq!(
        robot.requests()[0].query.as_deref(),
        Some("access_token=tok123")
    );
}

#[tokio::test]
async fn replies_are_classified() {
    let robot = FakeRobot::start().await;
    // (channel, expected)
    let cases = [
        (wecom(robot.url(200, 45009)), "retry"),
        (wecom(robot.url(200, -1)), "retry"),
        (wecom(robot.url(200, 93000)), "failed"),
        (wecom(robot.url(500, 0)), "retry"),
        (wecom(robot.url(404, 0)), "failed"),
        (wecom(robot.html_url()), "retry"),
        (dingtalk(robot.url(200, 130101), Some("s")), "retry"),
        (dingtalk(robot.url(200, 310000), Some("s")), "failed"),
        (dingtalk(robot.url(200, 300001), None), "failed"),
        (dingtalk(robot.url(503, 0), None), "retry"),
    ];
    for (channel, expected) in &cases {
        let outcome = send(channel, None, &lag_alert()).await;
        assert_eq!(kind(&outcome), *expected, "{channel:?}: {outcome:?}");
    }
    assert_eq!(robot.requests().len(), cases.len());
}

#[tokio::test]
async fn failure_reason_keeps_errcode_but_not_token() {
    let robot = FakeRobot::start().await;
    let outcome = send(&wecom(robot.url(200, 93000)), None, &lag_alert()).await;
    assert_eq!(
        outcome,
        Outcome::Failed("wecom errcode 93000: fake error".into())
    );
}

#[tokio::test]
async fn connection_refused_is_retry() {
    // Take a free port, then close it so nothing listens there.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    for channel in [
        wecom(format!("http://{addr}/cgi-bin/webhook/send?key=tok123")),
        dingtalk(
            format!("http://{addr}/robot/send?access_token=tok123"),
            Some("s"),
        ),
    ] {
        let outcome = send(&channel, None, &lag_alert()).await;
        let Outcome::Retry(reason) = &outcome else {
            panic!("expected Retry, got {outcome:?}");
        };
        assert!(reason.contains("connect"), "{reason}");
        assert!(!reason.contains("tok123"), "token leaked: {reason}");
    }
}

#[tokio::test]
async fn in_app_needs_no_sending() {
    assert_eq!(
        send(&Channel::InApp, None, &lag_alert()).await,
        Outcome::Delivered
    );
}
