//! 消息提醒 settings of the signed-in user: where their notices go (a WeCom or
//! DingTalk group robot, e-mail) and which events they hear about. Each write
//! takes the caller's own-account proof; what is sent and when is [`crate::alerts`].

use kfq_domain::{FieldErrors, Principal};
use kfq_notify::{Channel, Refusal, WebhookPolicy};
use kfq_store::{Actor, NotifyChannel, Store};

use crate::alerts::EVENTS;
use crate::error::{Error, Result};

/// The longest label of a channel (it names the channel in lists).
const LABEL_CHARS: usize = 40;

/// A channel as the user typed it.
#[derive(Debug, Clone, Default)]
pub struct ChannelInput {
    /// wecom, dingtalk or email.
    pub kind: String,
    pub label: String,
    pub webhook_url: String,
    pub secret: String,
    /// One or more addresses, comma-separated.
    pub to: String,
}

impl ChannelInput {
    /// The channel it describes, if every field is right. A robot's webhook
    /// must pass `webhooks` (https, no user-info or port, a listed host); where
    /// its name resolves is checked again at every send.
    pub fn parse(&self, webhooks: &WebhookPolicy) -> Result<(String, Channel), FieldErrors> {
        let mut e = FieldErrors::new();
        let label = self.label.trim().to_owned();
        if label.is_empty() || label.chars().count() > LABEL_CHARS {
            e.add("label", "error.required");
        }
        let webhook = || -> Result<String, &'static str> {
            match webhooks.check(&self.webhook_url) {
                // Stored as the parser wrote it: the text sent later is the text checked.
                Ok(url) => Ok(url.into()),
                Err(refusal) => Err(refusal_key(refusal)),
            }
        };
        let channel = match self.kind.trim() {
            "wecom" => e
                .check("webhook_url", webhook())
                .map(|webhook_url| Channel::WeCom { webhook_url }),
            "dingtalk" => e.check("webhook_url", webhook()).map(|webhook_url| {
                let secret = self.secret.trim().to_owned();
                Channel::DingTalk {
                    webhook_url,
                    secret: (!secret.is_empty()).then_some(secret),
                }
            }),
            "email" => {
                let to = self.to.trim().to_owned();
                let valid = !to.is_empty()
                    && to
                        .split(',')
                        .all(|a| matches!(kfq_domain::user::parse_email(a), Ok(Some(_))));
                if valid {
                    Some(Channel::Email { to })
                } else {
                    e.add("to", "error.email");
                    None
                }
            }
            _ => {
                e.add("kind", "error.choice");
                None
            }
        };
        e.into_result()?;
        Ok((label, channel.expect("checked above")))
    }
}

/// The message of each way a webhook URL is refused.
fn refusal_key(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::Malformed => "error.notice.malformed",
        Refusal::NotHttps => "error.notice.url",
        Refusal::UserInfo => "error.notice.userinfo",
        Refusal::Port => "error.notice.port",
        Refusal::IpLiteral => "error.notice.ip",
        Refusal::EncodedHost | Refusal::HostNotAllowed => "error.notice.host",
        Refusal::PrivateAddress => "error.notice.private",
    }
}

/// The event codes a user picked, each one of [`EVENTS`].
pub fn parse_events<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<Vec<&'static str>> {
    let mut chosen: Vec<&'static str> = Vec::new();
    for code in codes.into_iter().map(str::trim).filter(|c| !c.is_empty()) {
        match EVENTS.iter().find(|(e, _)| *e == code) {
            Some((e, _)) if !chosen.contains(e) => chosen.push(e),
            Some(_) => {}
            None => {
                return Err(Error::Invalid(FieldErrors::single(
                    "events",
                    "error.choice",
                )))
            }
        }
    }
    Ok(chosen)
}

pub async fn add_channel(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    webhooks: &WebhookPolicy,
    input: &ChannelInput,
) -> Result<NotifyChannel> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    let (label, channel) = input.parse(webhooks)?;
    let kind = input.kind.trim();
    let config = serde_json::to_string(&channel).map_err(anyhow::Error::from)?;
    Ok(store
        .add_channel(
            actor,
            &proof,
            (principal.user_id, &principal.unit_path),
            kind,
            &label,
            &config,
        )
        .await?)
}

pub async fn remove_channel(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    channel_id: i64,
) -> Result<()> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    Ok(store
        .remove_channel(
            actor,
            &proof,
            (principal.user_id, &principal.unit_path),
            channel_id,
        )
        .await?)
}

pub async fn set_subscriptions(
    store: &Store,
    principal: &Principal,
    events: &[&str],
) -> Result<()> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    Ok(store
        .set_subscriptions(&proof, principal.user_id, events)
        .await?)
}

pub async fn mark_all_read(store: &Store, principal: &Principal) -> Result<()> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    Ok(store.mark_notices_read(&proof, principal.user_id).await?)
}
