//! Issue #15, SSRF: a robot webhook is saved only if the server may call it
//! (https, a listed host as the URL parser reads it, no user-info, no port, no
//! IP literal), and the refusal names the field in Chinese. Where the name
//! resolves, redirects and reply bodies are the sender's (kfq-notify tests).

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{each_backend, field_errors};

/// (webhook URL, the message it is refused with)
const REFUSED: &[(&str, &str)] = &[
    // The reported one, and its https twin.
    (
        "http://qyapi.weixin.qq.com:x@127.0.0.1/leak",
        "机器人地址不能包含用户名或密码",
    ),
    (
        "https://qyapi.weixin.qq.com:x@127.0.0.1/leak",
        "机器人地址不能包含用户名或密码",
    ),
    (
        "https://qyapi.weixin.qq.com@evil.example/",
        "机器人地址不能包含用户名或密码",
    ),
    (
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "请填写以 https:// 开头的机器人地址",
    ),
    (
        "https://QYAPI.WEIXIN.QQ.COM./cgi-bin/webhook/send?key=k",
        "该地址不在允许的机器人域名内",
    ),
    (
        "https://qyapi.weixin.qq.com.evil.example/",
        "该地址不在允许的机器人域名内",
    ),
    ("https://2130706433/", "机器人地址须为域名，不能是 IP 地址"),
    ("https://0x7f.0.0.1/", "机器人地址须为域名，不能是 IP 地址"),
    ("https://0177.0.0.1/", "机器人地址须为域名，不能是 IP 地址"),
    ("https://[::1]/", "机器人地址须为域名，不能是 IP 地址"),
    (
        "https://[::ffff:127.0.0.1]/",
        "机器人地址须为域名，不能是 IP 地址",
    ),
    (
        "https://169.254.169.254/latest/meta-data/",
        "机器人地址须为域名，不能是 IP 地址",
    ),
    (
        "https://qyapi.weixin.qq.com\\@evil.example/",
        "机器人地址格式不正确",
    ),
    (
        "https://qyapi%2eweixin%2eqq%2ecom/",
        "该地址不在允许的机器人域名内",
    ),
    (
        "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send",
        "机器人地址不能指定端口",
    ),
];

#[tokio::test]
async fn webhooks_the_server_must_not_call_are_refused_when_saved() {
    each_backend(async |app| {
        let session = app.login("yc.staff").await;
        let api = app.api_client("yc.staff").await;
        for (kind, form_kind) in [("wecom", "wecom"), ("dingtalk", "dingtalk")] {
            for (url, message) in REFUSED {
                // The page: the settings again, 422, with the reason.
                let response = session
                    .post_form(
                        "/notifications/channels",
                        &[("kind", form_kind), ("label", "群"), ("webhook_url", url)],
                    )
                    .await;
                assert_eq!(
                    response.status(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{kind} {url}"
                );
                let page = response.text().await.unwrap();
                assert!(page.contains(message), "{kind} {url}: no {message}");

                // The API: 422 naming the field.
                let (status, body) = api
                    .post(
                        "/api/v1/notifications/channels",
                        &json!({"kind": kind, "label": "群", "webhook_url": url}),
                    )
                    .await;
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{kind} {url}");
                let errors = field_errors(&body);
                assert_eq!(errors.len(), 1, "{kind} {url}: {errors:?}");
                assert_eq!(errors[0].0, "webhook_url");
                assert!(errors[0].1.contains(message), "{kind} {url}: {errors:?}");
            }
        }
        // Nothing was saved.
        let (_, channels) = api.get("/api/v1/notifications/channels").await;
        assert_eq!(channels, json!([]));

        // A real robot URL is taken, its host lower-cased by the parser.
        let (status, body) = api
            .post(
                "/api/v1/notifications/channels",
                &json!({"kind": "wecom", "label": "项目群",
                        "webhook_url": "https://QYAPI.weixin.qq.com/cgi-bin/webhook/send?key=abc"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    })
    .await;
}
