//! What one delivery attempt came to ([`Outcome`]) and how a robot's HTTP reply
//! maps onto it. Pure: no I/O, so every errcode rule is unit-tested.
//!
//! A reason is stored as the delivery's `last_error` and shown to the user, so
//! it never carries what the remote side wrote: an HTTP status class ("对方返回
//! 5xx"), or a robot's numeric errcode with our own words for it.

use serde::{Deserialize, Serialize};

/// The result of one attempt. `Retry` means "worth trying again later" (see
/// [`crate::next_step`]); `Failed` means trying again cannot help, e.g. a
/// deleted robot or a wrong address, and someone must fix the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", content = "reason", rename_all = "snake_case")]
pub enum Outcome {
    Delivered,
    Retry(String),
    Failed(String),
}

/// Which group robot answered; their errcodes differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Robot {
    WeCom,
    DingTalk,
}

impl Robot {
    /// For logs.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Robot::WeCom => "wecom",
            Robot::DingTalk => "dingtalk",
        }
    }

    /// For reasons people read.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Robot::WeCom => "企业微信",
            Robot::DingTalk => "钉钉",
        }
    }

    /// Our words for the errcodes people meet; the robot's own `errmsg` is not repeated.
    fn explain(self, errcode: i64) -> Option<&'static str> {
        match (self, errcode) {
            (_, -1) => Some("系统繁忙"),
            (Robot::WeCom, 45009) | (Robot::DingTalk, 130101) => Some("发送太频繁"),
            (Robot::WeCom, 93000) => Some("机器人地址无效"),
            (Robot::DingTalk, 300001) => Some("机器人令牌不存在"),
            (Robot::DingTalk, 310000) => Some("签名、关键词或 IP 校验未通过"),
            _ => None,
        }
    }

    /// Errcodes that clear up by themselves. Everything else non-zero is a
    /// configuration or content problem (WeCom 93000 invalid webhook key;
    /// DingTalk 300001 unknown token, 310000 signature / keyword / IP check
    /// failed), which retrying only repeats.
    fn is_transient(self, errcode: i64) -> bool {
        match self {
            // -1 system busy; 45009 over the 20-messages-a-minute robot limit.
            Robot::WeCom => matches!(errcode, -1 | 45009),
            // -1 system busy; 130101 sending too fast (20 a minute).
            Robot::DingTalk => matches!(errcode, -1 | 130101),
        }
    }
}

#[derive(Deserialize)]
struct RobotReply {
    errcode: i64,
}

/// Judges a robot's reply. Both robots answer HTTP 200 with
/// `{"errcode":0,"errmsg":"ok"}` on success and a non-zero errcode otherwise.
/// A redirect is not followed (see `webhook`) and counts as a failure.
pub fn interpret_robot_reply(robot: Robot, http_status: u16, body: &str) -> Outcome {
    let name = robot.label();
    let class = || format!("{name}：对方返回 {}xx", http_status / 100);
    match http_status {
        200..=299 => {}
        // Overloaded or briefly unavailable: the next attempt may well succeed.
        408 | 429 | 500..=599 => return Outcome::Retry(class()),
        _ => return Outcome::Failed(class()),
    }
    let Ok(reply) = serde_json::from_str::<RobotReply>(body) else {
        // A 200 that is not the robot's JSON usually comes from a proxy or gateway in between.
        return Outcome::Retry(format!("{name}：对方回复不是机器人的格式"));
    };
    let reason = || match robot.explain(reply.errcode) {
        Some(words) => format!("{name}：错误码 {}（{words}）", reply.errcode),
        None => format!("{name}：错误码 {}", reply.errcode),
    };
    match reply.errcode {
        0 => Outcome::Delivered,
        code if robot.is_transient(code) => Outcome::Retry(reason()),
        _ => Outcome::Failed(reason()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(outcome: &Outcome) -> &'static str {
        match outcome {
            Outcome::Delivered => "delivered",
            Outcome::Retry(_) => "retry",
            Outcome::Failed(_) => "failed",
        }
    }

    #[test]
    fn robot_replies() {
        use Robot::{DingTalk, WeCom};
        let ok = r#"{"errcode":0,"errmsg":"ok"}"#;
        // (robot, HTTP status, body, expected)
        let cases = [
            (WeCom, 200, ok, "delivered"),
            (DingTalk, 200, ok, "delivered"),
            (
                WeCom,
                200,
                r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#,
                "retry",
            ),
            (
                WeCom,
                200,
                r#"{"errcode":-1,"errmsg":"system busy"}"#,
                "retry",
            ),
            (
                WeCom,
                200,
                r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#,
                "failed",
            ),
            (
                WeCom,
                200,
                r#"{"errcode":40008,"errmsg":"invalid message type"}"#,
                "failed",
            ),
            (
                DingTalk,
                200,
                r#"{"errcode":130101,"errmsg":"send too fast"}"#,
                "retry",
            ),
            (
                DingTalk,
                200,
                r#"{"errcode":310000,"errmsg":"sign not match"}"#,
                "failed",
            ),
            (
                DingTalk,
                200,
                r#"{"errcode":300001,"errmsg":"token is not exist"}"#,
                "failed",
            ),
            // One robot's transient code means nothing to the other.
            (DingTalk, 200, r#"{"errcode":45009,"errmsg":"?"}"#, "failed"),
            (WeCom, 200, r#"{"errcode":130101,"errmsg":"?"}"#, "failed"),
            (WeCom, 200, "<html>502 Bad Gateway</html>", "retry"),
            (WeCom, 500, "", "retry"),
            (DingTalk, 503, "", "retry"),
            (WeCom, 429, "", "retry"),
            (WeCom, 404, "", "failed"),
            (DingTalk, 403, "", "failed"),
            // A redirect is not followed, and is not a delivery.
            (WeCom, 302, "", "failed"),
            (DingTalk, 307, "", "failed"),
        ];
        for (robot, status, body, expected) in cases {
            let outcome = interpret_robot_reply(robot, status, body);
            assert_eq!(
                kind(&outcome),
                expected,
                "{robot:?} {status} {body}: {outcome:?}"
            );
        }
    }

    #[test]
    fn reason_names_robot_and_errcode() {
        let outcome = interpret_robot_reply(
            Robot::WeCom,
            200,
            r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#,
        );
        assert_eq!(
            outcome,
            Outcome::Failed("企业微信：错误码 93000（机器人地址无效）".into())
        );
    }

    /// What the far side wrote never reaches the reason: only a status class,
    /// or an errcode number with our words.
    #[test]
    fn reasons_never_carry_the_reply_body() {
        let secret = "root:x:0:0:root:/root:/bin/bash";
        let cases = [
            (
                Robot::WeCom,
                200,
                secret.to_owned(),
                "企业微信：对方回复不是机器人的格式",
            ),
            (
                Robot::WeCom,
                500,
                secret.to_owned(),
                "企业微信：对方返回 5xx",
            ),
            (
                Robot::DingTalk,
                404,
                secret.to_owned(),
                "钉钉：对方返回 4xx",
            ),
            (
                Robot::DingTalk,
                302,
                secret.to_owned(),
                "钉钉：对方返回 3xx",
            ),
            (
                Robot::WeCom,
                429,
                secret.to_owned(),
                "企业微信：对方返回 4xx",
            ),
            (
                Robot::WeCom,
                200,
                format!(r#"{{"errcode":12345,"errmsg":"{secret}"}}"#),
                "企业微信：错误码 12345",
            ),
        ];
        for (robot, status, body, expected) in cases {
            let outcome = interpret_robot_reply(robot, status, &body);
            let (Outcome::Retry(reason) | Outcome::Failed(reason)) = &outcome else {
                panic!("{outcome:?}");
            };
            assert_eq!(reason, expected);
            assert!(!reason.contains("root"), "{reason}");
        }
    }

    #[test]
    fn outcome_json_for_the_delivery_log() {
        assert_eq!(
            serde_json::to_string(&Outcome::Retry("企业微信：对方返回 5xx".into())).unwrap(),
            r#"{"status":"retry","reason":"企业微信：对方返回 5xx"}"#
        );
        assert_eq!(
            serde_json::to_string(&Outcome::Delivered).unwrap(),
            r#"{"status":"delivered"}"#
        );
    }
}
