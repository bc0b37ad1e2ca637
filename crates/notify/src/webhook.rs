//! The HTTP side of the group robots: one POST of a JSON body, with transport
//! failures turned into an [`Outcome`]. Body shapes live in `wecom` and
//! `dingtalk`, reply rules in `outcome`.

use crate::outcome::{interpret_robot_reply, Outcome, Robot};
use serde_json::Value;
use std::error::Error as _;
use std::time::Duration;

/// Long enough for a slow robot endpoint, short enough not to hold up the queue.
pub(crate) const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Posts `body` to a robot webhook and judges the reply.
pub(crate) async fn post_robot(
    robot: Robot,
    url: &str,
    body: &Value,
    timeout: Duration,
) -> Outcome {
    let name = robot.name();
    // A client per call: robots get a few messages a day, and a client kept in a
    // static would outlive the runtime that owns its pooled connections.
    let client = match reqwest::Client::builder().timeout(timeout).build() {
        Ok(client) => client,
        Err(e) => return Outcome::Retry(format!("{name}: HTTP client: {}", describe(e))),
    };
    let response = match client.post(url).json(body).send().await {
        Ok(response) => response,
        // A malformed webhook URL stays malformed.
        Err(e) if e.is_builder() => return Outcome::Failed(format!("{name}: {}", describe(e))),
        // Timeouts, refused connections, DNS and TLS trouble.
        Err(e) => return Outcome::Retry(format!("{name}: {}", describe(e))),
    };
    let status = response.status().as_u16();
    match response.text().await {
        Ok(text) => interpret_robot_reply(robot, status, &text),
        Err(e) => Outcome::Retry(format!("{name}: reading reply: {}", describe(e))),
    }
}

/// The error and its causes on one line, without the URL: webhook URLs carry
/// the robot's key or token, and reasons end up in logs and the database.
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
        let outcome = post_robot(Robot::WeCom, &url, &json!({}), Duration::from_millis(300)).await;
        let Outcome::Retry(reason) = outcome else {
            panic!("expected Retry, got {outcome:?}");
        };
        assert!(
            reason.contains("timed out") || reason.contains("timeout"),
            "{reason}"
        );
        assert!(
            !reason.contains("secret-key"),
            "URL leaked into reason: {reason}"
        );
    }

    #[tokio::test]
    async fn malformed_url_fails() {
        let outcome = post_robot(Robot::DingTalk, "not a url", &json!({}), HTTP_TIMEOUT).await;
        assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    }
}
