//! 钉钉 group-robot request body and the 加签 (signing) scheme. Pure: the caller
//! supplies the timestamp, so the signature is reproducible in tests.

use crate::message::Message;
use crate::text::robot_markdown;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::{json, Value};
use sha2::Sha256;

/// `{"msgtype":"markdown","markdown":{"title":…,"text":…}}`. DingTalk shows
/// `title` only in the chat list preview, so the heading is repeated in `text`.
pub fn dingtalk_body(message: &Message) -> Value {
    json!({
        "msgtype": "markdown",
        "markdown": {
            "title": message.title.trim(),
            // No documented byte limit for markdown text, so nothing is cut here.
            "text": robot_markdown(message, usize::MAX),
        },
    })
}

/// DingTalk's signature: base64(HMAC-SHA256(key = secret, "{timestamp_ms}\n{secret}")),
/// percent-encoded for the query string. The server rejects a timestamp more
/// than an hour away from its clock, so sign right before sending.
pub fn dingtalk_sign(timestamp_ms: i64, secret: &str) -> String {
    let string_to_sign = format!("{timestamp_ms}\n{secret}");
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    let signature = BASE64.encode(mac.finalize().into_bytes());
    // Base64 uses '+', '/' and '='; all three must be escaped in a query value.
    utf8_percent_encode(&signature, NON_ALPHANUMERIC).to_string()
}

/// The webhook URL with `timestamp` and `sign` appended; unchanged without a secret.
pub fn dingtalk_signed_url(webhook_url: &str, secret: Option<&str>, timestamp_ms: i64) -> String {
    match secret.map(str::trim).filter(|s| !s.is_empty()) {
        None => webhook_url.to_owned(),
        Some(secret) => {
            let separator = if webhook_url.contains('?') { '&' } else { '?' };
            format!(
                "{webhook_url}{separator}timestamp={timestamp_ms}&sign={}",
                dingtalk_sign(timestamp_ms, secret)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "SECb3f1c2a9e8d7kfq";
    const TIMESTAMP_MS: i64 = 1_700_000_000_000;
    // Computed independently with Python's standard library:
    //   d = hmac.new(SECRET.encode(), f"{TIMESTAMP_MS}\n{SECRET}".encode(), hashlib.sha256).digest()
    //   urllib.parse.quote_plus(base64.b64encode(d).decode())
    // base64 before escaping: QLJRGEpeo6Vh+JupkZW+XvRiemp2UCHYSfV6FvVRjEE=
    const EXPECTED_SIGN: &str = "QLJRGEpeo6Vh%2BJupkZW%2BXvRiemp2UCHYSfV6FvVRjEE%3D";

    #[test]
    fn sign_matches_independent_computation() {
        assert_eq!(dingtalk_sign(TIMESTAMP_MS, SECRET), EXPECTED_SIGN);
    }

    #[test]
    fn signed_url_appends_timestamp_and_sign() {
        let base = "https://oapi.dingtalk.com/robot/send?access_token=abc";
        let cases = [
            (
                Some(SECRET),
                format!("{base}&timestamp={TIMESTAMP_MS}&sign={EXPECTED_SIGN}"),
            ),
            (None, base.to_owned()),
            (Some("  "), base.to_owned()),
        ];
        for (secret, expected) in cases {
            assert_eq!(dingtalk_signed_url(base, secret, TIMESTAMP_MS), expected);
        }
        assert_eq!(
            dingtalk_signed_url("http://127.0.0.1:1/robot", Some(SECRET), TIMESTAMP_MS),
            format!("http://127.0.0.1:1/robot?timestamp={TIMESTAMP_MS}&sign={EXPECTED_SIGN}")
        );
    }

    #[test]
    fn body_shape() {
        let message = Message {
            title: "诉求超期未办结".into(),
            body_markdown: "- 企业：XX科技\n- 超期：2 个工作日".into(),
            link: Some("https://kfq.example.cn/requests/12".into()),
        };
        assert_eq!(
            dingtalk_body(&message),
            json!({"msgtype":"markdown","markdown":{
                "title":"诉求超期未办结",
                "text":"### 诉求超期未办结\n\n- 企业：XX科技\n- 超期：2 个工作日\n\n[查看详情](https://kfq.example.cn/requests/12)"
            }})
        );
    }
}
