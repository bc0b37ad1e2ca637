//! The single entry point: deliver one [`Message`] over one [`Channel`] and say
//! how it went. Does not queue, retry or record; that is the caller's loop.

use crate::dingtalk::{dingtalk_body, dingtalk_signed_url};
use crate::email::send_email;
use crate::message::{Channel, Message, SmtpConfig};
use crate::outcome::{Outcome, Robot};
use crate::policy::WebhookPolicy;
use crate::webhook::{post_robot, HTTP_TIMEOUT};
use crate::wecom::wecom_body;
use chrono::Utc;

/// Makes one delivery attempt. `smtp` is needed only for [`Channel::Email`];
/// a robot's webhook is called only if `webhooks` lets it (checked again here:
/// a channel may have been saved under an older or wider list).
/// [`Channel::InApp`] has nothing to send: the caller's stored notice is the delivery.
pub async fn send(
    channel: &Channel,
    smtp: Option<&SmtpConfig>,
    webhooks: &WebhookPolicy,
    message: &Message,
) -> Outcome {
    let outcome = match channel {
        Channel::WeCom { webhook_url } => {
            post_robot(
                Robot::WeCom,
                webhooks,
                webhook_url,
                &wecom_body(message),
                HTTP_TIMEOUT,
            )
            .await
        }
        Channel::DingTalk {
            webhook_url,
            secret,
        } => {
            // Signed here, not earlier: DingTalk refuses a timestamp an hour old.
            let url = dingtalk_signed_url(
                webhook_url,
                secret.as_deref(),
                Utc::now().timestamp_millis(),
            );
            post_robot(
                Robot::DingTalk,
                webhooks,
                &url,
                &dingtalk_body(message),
                HTTP_TIMEOUT,
            )
            .await
        }
        Channel::Email { to } => match smtp {
            Some(config) => send_email(config, to, message).await,
            None => Outcome::Failed("email: no SMTP server configured".into()),
        },
        Channel::InApp => Outcome::Delivered,
    };
    if !matches!(outcome, Outcome::Delivered) {
        tracing::warn!(
            channel = channel_kind(channel),
            ?outcome,
            "notification not delivered"
        );
    }
    outcome
}

/// For logs: the channel without its URL, token or address.
fn channel_kind(channel: &Channel) -> &'static str {
    match channel {
        Channel::WeCom { .. } => "wecom",
        Channel::DingTalk { .. } => "dingtalk",
        Channel::Email { .. } => "email",
        Channel::InApp => "in_app",
    }
}
