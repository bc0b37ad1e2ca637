//! What one delivery attempt came to ([`Outcome`]) and how a robot's HTTP reply
//! maps onto it. Pure: no I/O, so every errcode rule is unit-tested.

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
    pub(crate) fn name(self) -> &'static str {
        match self {
            Robot::WeCom => "wecom",
            Robot::DingTalk => "dingtalk",
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
    #[serde(default)]
    errmsg: String,
}

/// Judges a robot's reply. Both robots answer HTTP 200 with
/// `{"errcode":0,"errmsg":"ok"}` on success and a non-zero errcode otherwise.
pub fn interpret_robot_reply(robot: Robot, http_status: u16, body: &str) -> Outcome {
    let name = robot.name();
    match http_status {
        200..=299 => {}
        // Overloaded or briefly unavailable: the next attempt may well succeed.
        408 | 429 | 500..=599 => return Outcome::Retry(format!("{name}: HTTP {http_status}")),
        _ => return Outcome::Failed(format!("{name}: HTTP {http_status}")),
    }
    let Ok(reply) = serde_json::from_str::<RobotReply>(body) else {
        // A 200 that is not the robot's JSON usually comes from a proxy or gateway in between.
        return Outcome::Retry(format!("{name}: unexpected reply: {}", snippet(body)));
    };
    let reason = || format!("{name} errcode {}: {}", reply.errcode, reply.errmsg);
    match reply.errcode {
        0 => Outcome::Delivered,
        code if robot.is_transient(code) => Outcome::Retry(reason()),
        _ => Outcome::Failed(reason()),
    }
}

/// Enough of an unexpected body to recognise it in a log, without storing a whole page.
fn snippet(body: &str) -> String {
    body.chars().take(200).collect()
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
            Outcome::Failed("wecom errcode 93000: invalid webhook url".into())
        );
    }

    #[test]
    fn outcome_json_for_the_delivery_log() {
        assert_eq!(
            serde_json::to_string(&Outcome::Retry("wecom: HTTP 500".into())).unwrap(),
            r#"{"status":"retry","reason":"wecom: HTTP 500"}"#
        );
        assert_eq!(
            serde_json::to_string(&Outcome::Delivered).unwrap(),
            r#"{"status":"delivered"}"#
        );
    }
}
