//! The HTTP side of the group robots: one POST of a JSON body, with transport
//! failures turned into an [`Outcome`]. Body shapes live in `wecom` and
//! `dingtalk`, reply rules in `outcome`, where a webhook may point in `policy`.

use crate::outcome::{interpret_robot_reply, Outcome, Robot};
use crate::policy::{AddressError, WebhookPolicy};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use serde_json::Value;
use std::error::Error as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Long enough for a slow robot endpoint, short enough not to hold up the queue.
pub(crate) const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Posts `body` to a robot webhook and judges the reply. The URL is checked
/// against `policy` here, whatever was checked when it was saved; the name is
/// resolved once, and the client connects only to those checked addresses.
pub(crate) async fn post_robot(
    robot: Robot,
    policy: &WebhookPolicy,
    url: &str,
    body: &Value,
    timeout: Duration,
) -> Outcome {
    let name = robot.label();
    let url = match policy.check(url) {
        Ok(url) => url,
        Err(refusal) => return Outcome::Failed(format!("{name}：{refusal}")),
    };
    let addresses = match policy.addresses(&url).await {
        Ok(addresses) => addresses,
        Err(AddressError::Refused(refusal)) => {
            return Outcome::Failed(format!("{name}：{refusal}"))
        }
        Err(AddressError::Lookup) => return Outcome::Retry(format!("{name}：域名解析失败")),
    };
    // A client per call: robots get a few messages a day, and a client kept in a
    // static would outlive the runtime that owns its pooled connections. No
    // redirect is followed (it could point anywhere) and no proxy is used (a
    // proxy would resolve the name again, unchecked).
    let client = match reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(Arc::new(Pinned(addresses)))
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            tracing::warn!(robot = robot.name(), error = %describe(e), "HTTP client");
            return Outcome::Retry(format!("{name}：请求失败"));
        }
    };
    let response = match client.post(url).json(body).send().await {
        Ok(response) => response,
        Err(e) => {
            let class = if e.is_timeout() {
                "超时"
            } else if e.is_connect() {
                "连接失败"
            } else {
                "请求失败"
            };
            // The cause goes to the log, for the operator; the stored reason
            // (which users see) only names the class.
            tracing::warn!(robot = robot.name(), error = %describe(e), "robot webhook");
            return Outcome::Retry(format!("{name}：{class}"));
        }
    };
    let status = response.status().as_u16();
    match response.text().await {
        Ok(text) => interpret_robot_reply(robot, status, &text),
        Err(e) => {
            tracing::warn!(robot = robot.name(), error = %describe(e), "robot reply");
            Outcome::Retry(format!("{name}：读取回复失败"))
        }
    }
}

/// Answers every lookup with the addresses the policy let through, so the
/// connection goes where the check said and nowhere else (no second lookup
/// that could answer differently).
struct Pinned(Vec<SocketAddr>);

impl Resolve for Pinned {
    fn resolve(&self, _name: Name) -> Resolving {
        let addresses = self.0.clone();
        Box::pin(async move { Ok(Box::new(addresses.into_iter()) as Addrs) })
    }
}

/// The error and its causes on one line, without the URL: webhook URLs carry
/// the robot's key or token. For logs only.
fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    #[tokio::test]
    async fn silent_server_times_out_as_retry() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        // Accept and read, never answer.
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut sink = [0u8; 1024];
            while socket.read(&mut sink).await.is_ok_and(|n| n > 0) {}
        });
        let url = format!("http://{addr}/cgi-bin/webhook/send?key=secret-key");
        let policy = WebhookPolicy::local_for_tests(["127.0.0.1"]);
        let outcome = post_robot(
            Robot::WeCom,
            &policy,
            &url,
            &json!({}),
            Duration::from_millis(300),
        )
        .await;
        let Outcome::Retry(reason) = outcome else {
            panic!("expected Retry, got {outcome:?}");
        };
        assert_eq!(reason, "企业微信：超时");
        assert!(
            !reason.contains("secret-key"),
            "URL leaked into reason: {reason}"
        );
    }

    #[tokio::test]
    async fn malformed_url_fails() {
        let policy = WebhookPolicy::default();
        let outcome = post_robot(
            Robot::DingTalk,
            &policy,
            "not a url",
            &json!({}),
            HTTP_TIMEOUT,
        )
        .await;
        assert_eq!(outcome, Outcome::Failed("钉钉：地址格式不正确".into()));
    }
}
