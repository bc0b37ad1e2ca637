//! E-mail over SMTP: composing a UTF-8 message and handing it to the site's mail
//! server with lettre (rustls, never OpenSSL). Knows nothing of queues or retries
//! beyond classifying the server's answer.

use crate::message::{Message, SmtpConfig, SmtpTls};
use crate::outcome::Outcome;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailboxes, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// Per SMTP command, matching the webhook timeout.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// The plain-text body: the markdown as written (it reads fine unrendered) and the link.
fn email_text(message: &Message) -> String {
    match &message.link {
        Some(link) => format!("{}\n\n查看详情：{link}\n", message.body_markdown.trim_end()),
        None => format!("{}\n", message.body_markdown.trim_end()),
    }
}

/// Builds the MIME message. The subject is RFC 2047-encoded by lettre; the body
/// is base64 so Chinese text survives any relay, even one without 8BITMIME.
pub(crate) fn build_email(
    from: &str,
    to: &str,
    message: &Message,
) -> Result<lettre::Message, String> {
    let from = from
        .parse()
        .map_err(|e| format!("email: invalid sender {from:?}: {e}"))?;
    let recipients: Mailboxes = to
        .parse()
        .map_err(|e| format!("email: invalid recipient {to:?}: {e}"))?;
    let body = Body::new_with_encoding(email_text(message), ContentTransferEncoding::Base64)
        .map_err(|_| "email: body cannot be encoded".to_owned())?;
    let mut builder = lettre::Message::builder()
        .from(from)
        .subject(message.title.trim())
        .message_id(None);
    for recipient in recipients {
        builder = builder.to(recipient);
    }
    builder
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(body),
        )
        .map_err(|e| format!("email: cannot build message: {e}"))
}

fn transport(config: &SmtpConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = match config.tls {
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host),
        SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host),
        SmtpTls::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &config.host,
        )),
    }
    .map_err(|e| format!("email: SMTP host {:?}: {e}", config.host))?;
    let mut builder = builder.port(config.port).timeout(Some(SMTP_TIMEOUT));
    if let Some(username) = &config.username {
        let password = config.password.clone().unwrap_or_default();
        builder = builder.credentials(Credentials::new(username.clone(), password));
    }
    Ok(builder.build())
}

pub(crate) async fn send_email(config: &SmtpConfig, to: &str, message: &Message) -> Outcome {
    let email = match build_email(&config.from, to, message) {
        Ok(email) => email,
        Err(reason) => return Outcome::Failed(reason),
    };
    let transport = match transport(config) {
        Ok(transport) => transport,
        Err(reason) => return Outcome::Failed(reason),
    };
    match transport.send(email).await {
        Ok(_) => Outcome::Delivered,
        // 5xx (unknown mailbox, rejected login) and client-side misuse will not
        // change by waiting; 4xx, timeouts, refused connections and TLS hiccups may.
        Err(e) if e.is_permanent() || e.is_client() => Outcome::Failed(format!("email: {e}")),
        Err(e) => Outcome::Retry(format!("email: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message {
            title: "重大隐患整改逾期".into(),
            body_markdown: "XX化工：**储罐区**隐患逾期 3 天。".into(),
            link: Some("https://kfq.example.cn/hazards/9".into()),
        }
    }

    #[test]
    fn headers_and_encoding() {
        let email = build_email(
            "开发区管委会 <noreply@kfq.example.cn>",
            "zhang@kfq.example.cn, li@kfq.example.cn",
            &message(),
        )
        .unwrap();
        let raw = String::from_utf8(email.formatted()).unwrap();
        assert!(
            raw.is_ascii(),
            "headers and body must be 7-bit on the wire:\n{raw}"
        );
        assert!(raw.contains("Subject: =?utf-8?b?"), "{raw}");
        assert!(
            raw.contains("To: zhang@kfq.example.cn, li@kfq.example.cn"),
            "{raw}"
        );
        assert!(
            raw.contains("Content-Type: text/plain; charset=utf-8"),
            "{raw}"
        );
        assert!(raw.contains("Content-Transfer-Encoding: base64"), "{raw}");
        assert!(raw.contains("Message-ID: <"), "{raw}");
        assert_eq!(email.envelope().to().len(), 2);
    }

    #[test]
    fn bad_addresses_are_rejected_before_sending() {
        assert!(build_email("noreply@kfq.example.cn", "not an address", &message()).is_err());
        assert!(build_email("nobody", "zhang@kfq.example.cn", &message()).is_err());
    }

    #[test]
    fn text_body_carries_the_link() {
        assert_eq!(
            email_text(&message()),
            "XX化工：**储罐区**隐患逾期 3 天。\n\n查看详情：https://kfq.example.cn/hazards/9\n"
        );
    }
}
