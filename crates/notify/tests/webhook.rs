//! WeCom and DingTalk robots end to end against a fake webhook server on 127.0.0.1.

mod support;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use kfq_notify::{Channel, Message, Outcome, WebhookPolicy};
use serde_json::json;
use sha2::Sha256;
use support::{FakeRobot, LEAKED};

/// The fake robots listen on 127.0.0.1 over plain http, which only the test
/// policy admits.
fn local() -> WebhookPolicy {
    WebhookPolicy::local_for_tests(["127.0.0.1"])
}

async fn send(
    channel: &Channel,
    smtp: Option<&kfq_notify::SmtpConfig>,
    message: &Message,
) -> Outcome {
    kfq_notify::send(channel, smtp, &local(), message).await
}

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
        Outcome::Failed("企业微信：错误码 93000（机器人地址无效）".into())
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
        assert!(reason.ends_with("连接失败"), "{reason}");
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

#[tokio::test]
async fn redirects_are_not_followed() {
    let robot = FakeRobot::start().await;
    for channel in [
        wecom(robot.redirect_url()),
        dingtalk(robot.redirect_url(), Some("s")),
    ] {
        let outcome = send(&channel, None, &lag_alert()).await;
        let Outcome::Failed(reason) = &outcome else {
            panic!("expected Failed, got {outcome:?}");
        };
        assert!(reason.ends_with("对方返回 3xx"), "{reason}");
    }
    let paths: Vec<String> = robot.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/redirect", "/redirect"], "the 302 was followed");
}

#[tokio::test]
async fn a_reply_body_never_reaches_the_reason() {
    let robot = FakeRobot::start().await;
    // (status, expected reason)
    let cases = [
        (200, "企业微信：对方回复不是机器人的格式"),
        (500, "企业微信：对方返回 5xx"),
        (403, "企业微信：对方返回 4xx"),
    ];
    for (status, expected) in cases {
        let outcome = send(&wecom(robot.leak_url(status)), None, &lag_alert()).await;
        let (Outcome::Retry(reason) | Outcome::Failed(reason)) = &outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(reason, expected);
        assert!(!reason.contains("instance-id"), "{LEAKED:?} leaked");
    }
}

/// A name on the list is resolved once, by the policy, and the client connects
/// to that address and no other: a robot under a made-up name is reached
/// through the fixed answer, and an answer inside the network is refused
/// before anything is sent.
#[tokio::test]
async fn the_client_connects_only_to_the_checked_address() {
    let robot = FakeRobot::start().await;
    let url = format!(
        "http://robot.invalid:{}/robot/200/0?access_token=tok123",
        robot.port()
    );
    let reached = WebhookPolicy::local_for_tests(["robot.invalid"])
        .resolving("robot.invalid", &["127.0.0.1".parse().unwrap()]);
    let outcome = kfq_notify::send(&wecom(url.clone()), None, &reached, &lag_alert()).await;
    assert_eq!(outcome, Outcome::Delivered);
    assert_eq!(robot.requests().len(), 1);

    for inside in [
        "10.0.0.1",
        "169.254.169.254",
        "::ffff:192.168.1.1",
        "fd00::1",
    ] {
        let refused = WebhookPolicy::local_for_tests(["robot.invalid"])
            .resolving("robot.invalid", &[inside.parse().unwrap()]);
        let outcome = kfq_notify::send(&wecom(url.clone()), None, &refused, &lag_alert()).await;
        assert_eq!(
            outcome,
            Outcome::Failed("企业微信：域名解析到内网或保留地址，已拒绝发送".into()),
            "{inside}"
        );
    }
    assert_eq!(robot.requests().len(), 1);
}

/// The production policy refuses the fake robot outright (http, an IP
/// literal, a port), and a listed name that resolves to loopback.
#[tokio::test]
async fn production_policy_refuses_what_tests_use() {
    let robot = FakeRobot::start().await;
    let production = WebhookPolicy::default();
    let outcome =
        kfq_notify::send(&wecom(robot.url(200, 0)), None, &production, &lag_alert()).await;
    assert_eq!(
        outcome,
        Outcome::Failed("企业微信：地址必须以 https:// 开头".into())
    );
    let to_loopback =
        WebhookPolicy::default().resolving("qyapi.weixin.qq.com", &["127.0.0.1".parse().unwrap()]);
    let outcome = kfq_notify::send(
        &dingtalk(
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k".into(),
            Some("s"),
        ),
        None,
        &to_loopback,
        &lag_alert(),
    )
    .await;
    assert_eq!(
        outcome,
        Outcome::Failed("钉钉：域名解析到内网或保留地址，已拒绝发送".into())
    );
    // The reported URL, saved before the fix, is refused at send time as well.
    let outcome = kfq_notify::send(
        &wecom("http://qyapi.weixin.qq.com:x@127.0.0.1/leak".into()),
        None,
        &production,
        &lag_alert(),
    )
    .await;
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    assert!(robot.requests().is_empty());
}
