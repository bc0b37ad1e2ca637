//! What a notice says ([`Message`]) and where it goes ([`Channel`], plus the
//! site-wide [`SmtpConfig`]). Plain data, serialisable, no behaviour beyond
//! formatting helpers shared by the channels.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One notice, written once and rendered by each channel in its own way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub title: String,
    /// Markdown as WeCom and DingTalk robots understand it; e-mail sends it as
    /// plain text, which reads fine.
    pub body_markdown: String,
    /// Where to act on the notice, e.g. the project page.
    #[serde(default)]
    pub link: Option<String>,
}

/// Where one delivery goes. The caller stores this as JSON next to the queued
/// delivery, so the variant names and fields are a storage format: rename with care.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Channel {
    /// 企业微信 group robot.
    #[serde(rename = "wecom")]
    WeCom { webhook_url: String },
    /// 钉钉 group robot; `secret` is set when the robot uses 加签 (signing).
    #[serde(rename = "dingtalk")]
    DingTalk {
        webhook_url: String,
        #[serde(default)]
        secret: Option<String>,
    },
    /// One address, or several separated by commas.
    Email { to: String },
    /// Shown inside kfq; the caller's own table is the delivery.
    InApp,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (usually port 587); required, not opportunistic.
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
    /// No encryption: only for a relay on the same host or network, and tests.
    None,
}

/// The site's outgoing mail server, passed at send time rather than stored per delivery.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// Both `None` for a relay that does not authenticate.
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// Sender mailbox, e.g. `"开发区管委会 <noreply@kfq.example.cn>"`.
    pub from: String,
    pub tls: SmtpTls,
}

// Hand-written so a logged config never shows the password.
impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("tls", &self.tls)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_json_is_tagged_and_round_trips() {
        let cases = [
            (
                Channel::WeCom {
                    webhook_url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k".into(),
                },
                r#"{"type":"wecom","webhook_url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}"#,
            ),
            (
                Channel::DingTalk {
                    webhook_url: "https://oapi.dingtalk.com/robot/send?access_token=t".into(),
                    secret: Some("SEC1".into()),
                },
                r#"{"type":"dingtalk","webhook_url":"https://oapi.dingtalk.com/robot/send?access_token=t","secret":"SEC1"}"#,
            ),
            (
                Channel::Email {
                    to: "zhang@kfq.example.cn".into(),
                },
                r#"{"type":"email","to":"zhang@kfq.example.cn"}"#,
            ),
            (Channel::InApp, r#"{"type":"in_app"}"#),
        ];
        for (channel, json) in cases {
            assert_eq!(serde_json::to_string(&channel).unwrap(), json);
            assert_eq!(serde_json::from_str::<Channel>(json).unwrap(), channel);
        }
    }

    #[test]
    fn dingtalk_secret_may_be_omitted() {
        let channel: Channel = serde_json::from_str(
            r#"{"type":"dingtalk","webhook_url":"https://x/robot/send?access_token=t"}"#,
        )
        .unwrap();
        assert!(matches!(channel, Channel::DingTalk { secret: None, .. }));
    }

    #[test]
    fn smtp_debug_hides_password() {
        let config = SmtpConfig {
            host: "smtp.example.cn".into(),
            port: 465,
            username: Some("robot".into()),
            password: Some("hunter2".into()),
            from: "noreply@example.cn".into(),
            tls: SmtpTls::Tls,
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("***"));
    }
}
