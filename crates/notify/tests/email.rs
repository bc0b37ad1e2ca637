//! E-mail end to end against a local SMTP sink: Chinese subject and body must
//! arrive intact, and the server's answers must map onto retry or failure.

mod support;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use kfq_notify::{Channel, Message, Outcome, SmtpConfig, SmtpTls, WebhookPolicy};
use support::SmtpSink;

// Long enough that the encoded subject is folded over several header lines.
const SUBJECT: &str = "【预警】2023年6月工业投资完成率低于序时进度，请相关部门及时调度";

/// E-mail takes no webhook: the production policy, unused.
async fn send(channel: &Channel, smtp: Option<&SmtpConfig>, message: &Message) -> Outcome {
    kfq_notify::send(channel, smtp, &WebhookPolicy::default(), message).await
}

fn alert() -> Message {
    Message {
        title: SUBJECT.into(),
        body_markdown: "- 完成：**41.2%**\n- 序时进度：50%".into(),
        link: Some("https://kfq.example.cn/indicators/7".into()),
    }
}

fn smtp(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        username: None,
        password: None,
        from: "开发区管委会 <noreply@kfq.example.cn>".into(),
        tls: SmtpTls::None,
    }
}

fn email_to(to: &str) -> Channel {
    Channel::Email { to: to.into() }
}

/// The value of `name`, unfolded (RFC 5322 §2.2.3).
fn header(data: &str, name: &str) -> String {
    let head = data.split("\r\n\r\n").next().unwrap();
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let prefix = format!("{name}: ");
    unfolded
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {name} header in\n{data}"))
        .to_owned()
}

/// Decodes a header made of RFC 2047 base64 encoded-words. The bytes are joined
/// before UTF-8 decoding, as a character may be split across words.
fn decode_rfc2047(value: &str) -> String {
    let mut bytes = Vec::new();
    for word in value.split_whitespace() {
        let inner = word
            .strip_prefix("=?")
            .and_then(|w| w.strip_suffix("?="))
            .unwrap_or_else(|| panic!("not an encoded-word: {word}"));
        let mut parts = inner.splitn(3, '?');
        let (charset, encoding, text) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        assert!(charset.eq_ignore_ascii_case("utf-8"), "{word}");
        assert!(encoding.eq_ignore_ascii_case("b"), "{word}");
        bytes.extend(BASE64.decode(text).unwrap());
    }
    String::from_utf8(bytes).unwrap()
}

fn decode_base64_body(data: &str) -> String {
    let body = data.split_once("\r\n\r\n").unwrap().1;
    let joined: String = body.split_whitespace().collect();
    String::from_utf8(BASE64.decode(joined).unwrap()).unwrap()
}

#[tokio::test]
async fn chinese_subject_and_body_arrive_intact() {
    let sink = SmtpSink::start().await;
    let outcome = send(
        &email_to("zhang@kfq.example.cn, li@kfq.example.cn"),
        Some(&smtp(sink.port)),
        &alert(),
    )
    .await;
    assert_eq!(outcome, Outcome::Delivered);

    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.mail_from, "<noreply@kfq.example.cn>");
    assert_eq!(
        mail.rcpt_to,
        ["<zhang@kfq.example.cn>", "<li@kfq.example.cn>"]
    );
    assert!(mail.data.is_ascii(), "7-bit on the wire:\n{}", mail.data);

    let raw_subject = header(&mail.data, "Subject");
    assert!(raw_subject.starts_with("=?utf-8?b?"), "{raw_subject}");
    assert_eq!(decode_rfc2047(&raw_subject), SUBJECT);
    let from = header(&mail.data, "From");
    let display_name = from.strip_suffix(" <noreply@kfq.example.cn>").unwrap();
    assert_eq!(decode_rfc2047(display_name), "开发区管委会");

    assert_eq!(
        decode_base64_body(&mail.data).replace("\r\n", "\n"),
        "- 完成：**41.2%**\n- 序时进度：50%\n\n查看详情：https://kfq.example.cn/indicators/7\n"
    );
}

#[tokio::test]
async fn server_answers_are_classified() {
    // (reply to RCPT, expected)
    let cases = [
        ("550 5.1.1 no such user", "failed"),
        ("450 4.2.1 mailbox busy", "retry"),
    ];
    for (rcpt_reply, expected) in cases {
        let sink = SmtpSink::start_with(rcpt_reply).await;
        let outcome = send(
            &email_to("zhang@kfq.example.cn"),
            Some(&smtp(sink.port)),
            &alert(),
        )
        .await;
        let got = match outcome {
            Outcome::Delivered => "delivered",
            Outcome::Retry(_) => "retry",
            Outcome::Failed(_) => "failed",
        };
        assert_eq!(got, expected, "{rcpt_reply}: {outcome:?}");
        assert!(sink.mails().is_empty());
    }
}

#[tokio::test]
async fn unreachable_server_is_retry() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let outcome = send(
        &email_to("zhang@kfq.example.cn"),
        Some(&smtp(port)),
        &alert(),
    )
    .await;
    assert!(matches!(outcome, Outcome::Retry(_)), "{outcome:?}");
}

#[tokio::test]
async fn misconfiguration_fails_without_connecting() {
    let cases = [
        (email_to("zhang@kfq.example.cn"), None),
        (email_to("not an address"), Some(smtp(1))),
    ];
    for (channel, config) in cases {
        let outcome = send(&channel, config.as_ref(), &alert()).await;
        assert!(
            matches!(outcome, Outcome::Failed(_)),
            "{channel:?}: {outcome:?}"
        );
    }
}
