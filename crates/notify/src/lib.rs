//! Delivery of alerts to people: how a notice reaches a WeCom group robot, a
//! DingTalk group robot, an e-mail inbox or the in-app inbox, and the pure rules
//! around that (how a reply is judged, when to try again, what counts as "the
//! same event").
//!
//! This crate owns no storage and decides nothing about *what* to send. The
//! caller keeps the delivery queue in the database, stores [`Channel`] as JSON,
//! puts a UNIQUE index on [`event_key`], calls [`send`] and records the
//! [`Outcome`]; [`next_step`] tells it whether to mark the row delivered,
//! schedule it again, or give up.

mod backoff;
mod dedupe;
mod dingtalk;
mod email;
mod message;
mod outcome;
mod policy;
mod send;
mod text;
mod webhook;
mod wecom;

pub use backoff::{next_attempt, next_step, NextStep, MAX_ATTEMPTS, RETRY_DELAYS_MINUTES};
pub use dedupe::event_key;
pub use dingtalk::{dingtalk_body, dingtalk_sign, dingtalk_signed_url};
pub use message::{Channel, Message, SmtpConfig, SmtpTls};
pub use outcome::{interpret_robot_reply, Outcome, Robot};
pub use policy::{is_public, AddressError, Refusal, WebhookPolicy, DEFAULT_WEBHOOK_HOSTS};
pub use send::send;
pub use wecom::{wecom_body, WECOM_CONTENT_MAX_BYTES};
