//! 企业微信 group-robot request body. Pure: the HTTP call lives in `send`, the
//! reply is judged in `outcome`.

use crate::message::Message;
use crate::text::robot_markdown;
use serde_json::{json, Value};

/// WeCom rejects markdown content longer than this many UTF-8 bytes.
pub const WECOM_CONTENT_MAX_BYTES: usize = 4096;

/// `{"msgtype":"markdown","markdown":{"content":…}}`, content cut to fit.
pub fn wecom_body(message: &Message) -> Value {
    json!({
        "msgtype": "markdown",
        "markdown": { "content": robot_markdown(message, WECOM_CONTENT_MAX_BYTES) },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_shape() {
        let message = Message {
            title: "安全隐患整改逾期".into(),
            body_markdown: "XX化工 重大隐患 逾期 3 天".into(),
            link: None,
        };
        assert_eq!(
            wecom_body(&message),
            json!({"msgtype":"markdown","markdown":{"content":"### 安全隐患整改逾期\n\nXX化工 重大隐患 逾期 3 天"}})
        );
    }

    #[test]
    fn content_never_exceeds_limit() {
        for repeat in [1000, 1365, 1366, 1367, 5000] {
            let message = Message {
                title: "预警".into(),
                body_markdown: "警".repeat(repeat),
                link: Some("https://kfq.example.cn/a".into()),
            };
            let body = wecom_body(&message);
            let content = body["markdown"]["content"].as_str().unwrap();
            assert!(
                content.len() <= WECOM_CONTENT_MAX_BYTES,
                "{repeat}: {}",
                content.len()
            );
        }
    }
}
