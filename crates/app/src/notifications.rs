//! 消息提醒 settings of the signed-in user: where their notices go (a WeCom or
//! DingTalk group robot, e-mail) and which events they hear about. Each write
//! takes the caller's own-account proof; what is sent and when is [`crate::alerts`].

use kfq_domain::{FieldErrors, Principal};
use kfq_notify::Channel;
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
    /// must be on one of `allowed_hosts`.
    pub fn parse(&self, allowed_hosts: &[String]) -> Result<(String, Channel), FieldErrors> {
        let mut e = FieldErrors::new();
        let label = self.label.trim().to_owned();
        if label.is_empty() || label.chars().count() > LABEL_CHARS {
            e.add("label", "error.required");
        }
        let webhook = || -> Result<String, &'static str> {
            let url = self.webhook_url.trim().to_owned();
            let host = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .and_then(|rest| rest.split(['/', '?']).next())
                .map(|h| {
                    h.rsplit_once(':')
                        .map_or(h, |(host, _)| host)
                        .to_ascii_lowercase()
                });
            match host {
                None => Err("error.notice.url"),
                Some(h) if allowed_hosts.iter().any(|allowed| allowed == &h) => Ok(url),
                Some(_) => Err("error.notice.host"),
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
    allowed_hosts: &[String],
    input: &ChannelInput,
) -> Result<NotifyChannel> {
    let proof = principal
        .own_account(principal.user_id)
        .ok_or(Error::Forbidden)?;
    let (label, channel) = input.parse(allowed_hosts)?;
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
