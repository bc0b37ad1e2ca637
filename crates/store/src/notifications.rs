//! Alerts to people: each user's channels (WeCom or DingTalk robot, e-mail)
//! and subscriptions, the delivery queue with its log, and the facts alerts
//! are made from (red projects, overdue milestones, blockers by deadline).
//! The queue lives here so it survives restarts and any app server can work
//! it: a delivery is claimed by one worker before it is sent, and the unique
//! delivery key keeps an event from being queued twice.

use kfq_domain::audit::AuditAction;
use kfq_domain::OwnAccount;
use serde::Serialize;

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::{now_ms, within, Store};

/// A way to reach a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotifyChannel {
    pub id: i64,
    pub user_id: i64,
    /// wecom, dingtalk, email
    pub kind: String,
    /// What the user calls it ("经开区项目群").
    pub label: String,
    /// The channel as JSON (kfq-notify's `Channel`); holds robot keys, so
    /// never shown back in full.
    #[serde(skip)]
    pub config: String,
    pub active: i64,
    pub created_at: i64,
}

/// A notice to queue for one user, on each of their channels and in-app.
#[derive(Debug, Clone)]
pub struct NewNotice {
    pub user_id: i64,
    pub event: String,
    /// Identifies the event for this user; the same key is queued once.
    pub event_key: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
}

/// A notice or delivery, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub id: i64,
    pub user_id: i64,
    pub event: String,
    pub channel_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    /// pending, sending, sent, failed
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub read_at: Option<i64>,
}

/// A delivery due to be sent.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub config: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub attempts: i64,
}

/// A subscribed user and where they stand.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Subscriber {
    pub user_id: i64,
    pub display_name: String,
    pub role: String,
    pub org_unit_id: i64,
    pub unit_path: String,
    pub zone_id: Option<i64>,
}

/// A red project, for alerts.
#[derive(Debug, Clone)]
pub struct RedProject {
    pub id: i64,
    pub zone_id: i64,
    pub zone_path: String,
    pub name: String,
    pub liaison_user_id: Option<i64>,
    pub rag_since: Option<chrono::NaiveDate>,
    pub rag_reasons: Vec<kfq_domain::rag::StoredReason>,
}

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for RedProject {
    fn from_row(row: &'r sqlx::any::AnyRow) -> sqlx::Result<Self> {
        use sqlx::Row;
        Ok(RedProject {
            id: row.try_get("id")?,
            zone_id: row.try_get("zone_id")?,
            zone_path: row.try_get("zone_path")?,
            name: row.try_get("name")?,
            liaison_user_id: row.try_get("liaison_user_id")?,
            rag_since: crate::decode::opt_date(row, "rag_since")?,
            rag_reasons: crate::decode::json(row, "rag_reasons")?,
        })
    }
}

/// An overdue milestone, for alerts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LateMilestone {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub zone_id: i64,
    pub zone_path: String,
    pub liaison_user_id: Option<i64>,
    pub name: String,
    pub planned_on: String,
}

/// An open blocker with a deadline, for alerts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueBlocker {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub zone_id: i64,
    pub zone_path: String,
    pub liaison_user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub description: String,
    pub deadline: String,
}

const NOTICE_COLUMNS: &str =
    "id, user_id, event, channel_id, title, body, link, status, attempts, \
     next_attempt_at, last_error, created_at, sent_at, read_at";

/// A claim older than this is taken to be a worker that died mid-send.
const CLAIM_TIMEOUT_MS: i64 = 10 * 60 * 1000;

#[derive(Serialize)]
struct ChannelAudit<'a> {
    user_id: i64,
    kind: &'a str,
    label: &'a str,
    active: bool,
}

impl Store {
    pub async fn channels_of(&self, user_id: i64) -> Result<Vec<NotifyChannel>> {
        Ok(sqlx::query_as(
            "SELECT id, user_id, kind, label, config, active, created_at FROM notification_channels \
             WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn add_channel(
        &self,
        actor: &Actor,
        proof: &OwnAccount,
        (user_id, user_path): (i64, &kfq_domain::OrgPath),
        kind: &str,
        label: &str,
        config: &str,
    ) -> Result<NotifyChannel> {
        within(proof.covers(user_id))?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO notification_channels (user_id, kind, label, config, active, created_at) \
             VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(kind)
        .bind(label)
        .bind(config)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "notification_channel",
                entity_id: id,
                zone_id: None,
                scope_path: user_path,
                before: None,
                after: Some(&ChannelAudit {
                    user_id,
                    kind,
                    label,
                    active: true,
                }),
            },
        )
        .await?;
        let channel = sqlx::query_as(
            "SELECT id, user_id, kind, label, config, active, created_at FROM notification_channels WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(channel)
    }

    /// Removes one of the user's own channels; its queued deliveries fail.
    pub async fn remove_channel(
        &self,
        actor: &Actor,
        proof: &OwnAccount,
        (user_id, user_path): (i64, &kfq_domain::OrgPath),
        channel_id: i64,
    ) -> Result<()> {
        within(proof.covers(user_id))?;
        let mut tx = self.begin_write().await?;
        let channel: NotifyChannel = sqlx::query_as(
            "SELECT id, user_id, kind, label, config, active, created_at FROM notification_channels \
             WHERE id = $1 AND user_id = $2",
        )
        .bind(channel_id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        sqlx::query(
            "UPDATE notifications SET status = 'failed', last_error = '渠道已删除' \
             WHERE channel_id = $1 AND status IN ('pending', 'sending')",
        )
        .bind(channel_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE notification_channels SET active = 0 WHERE id = $1")
            .bind(channel_id)
            .execute(&mut *tx)
            .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Delete,
                entity: "notification_channel",
                entity_id: channel_id,
                zone_id: None,
                scope_path: user_path,
                before: Some(&ChannelAudit {
                    user_id,
                    kind: &channel.kind,
                    label: &channel.label,
                    active: true,
                }),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn subscriptions_of(&self, user_id: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT event FROM notification_subscriptions WHERE user_id = $1 ORDER BY event",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn set_subscriptions(
        &self,
        proof: &OwnAccount,
        user_id: i64,
        events: &[&str],
    ) -> Result<()> {
        within(proof.covers(user_id))?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM notification_subscriptions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for event in events {
            sqlx::query("INSERT INTO notification_subscriptions (user_id, event) VALUES ($1, $2)")
                .bind(user_id)
                .bind(*event)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Active users subscribed to `event`.
    pub async fn subscribers(&self, event: &str) -> Result<Vec<Subscriber>> {
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, u.display_name, u.role, u.org_unit_id, o.path AS unit_path, u.zone_id \
             FROM notification_subscriptions s JOIN users u ON u.id = s.user_id \
             JOIN org_units o ON o.id = u.org_unit_id WHERE s.event = $1 AND u.active = 1 ORDER BY u.id",
        )
        .bind(event)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Queues `notice` in-app and on each of the user's active channels, due
    /// at `now` (ms). Returns false when this event was queued for the user
    /// before.
    pub async fn enqueue(&self, notice: &NewNotice, now: i64) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let channels: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM notification_channels WHERE user_id = $1 AND active = 1 ORDER BY id",
        )
        .bind(notice.user_id)
        .fetch_all(&mut *tx)
        .await?;
        let mut queued = false;
        for channel in std::iter::once(None).chain(channels.into_iter().map(Some)) {
            let key = match channel {
                None => format!("{}:app", notice.event_key),
                Some(id) => format!("{}:{id}", notice.event_key),
            };
            // In-app notices are delivered by being stored.
            let (status, sent_at) = match channel {
                None => ("sent", Some(now)),
                Some(_) => ("pending", None),
            };
            let inserted = sqlx::query(
                "INSERT INTO notifications (user_id, event, delivery_key, channel_id, title, body, link, status, \
                 attempts, next_attempt_at, created_at, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9, $10) \
                 ON CONFLICT (delivery_key) DO NOTHING",
            )
            .bind(notice.user_id)
            .bind(&notice.event)
            .bind(&key)
            .bind(channel)
            .bind(&notice.title)
            .bind(&notice.body)
            .bind(&notice.link)
            .bind(status)
            .bind(now)
            .bind(sent_at)
            .execute(&mut *tx)
            .await?;
            queued |= inserted.rows_affected() > 0;
        }
        tx.commit().await?;
        Ok(queued)
    }

    /// Deliveries due at `now` (pending, or claimed by a worker that died).
    pub async fn due_deliveries(&self, now: i64, limit: i64) -> Result<Vec<Delivery>> {
        Ok(sqlx::query_as(
            "SELECT n.id, c.config, n.title, n.body, n.link, n.attempts FROM notifications n \
             JOIN notification_channels c ON c.id = n.channel_id \
             WHERE (n.status = 'pending' AND n.next_attempt_at <= $1) OR (n.status = 'sending' AND n.claimed_at < $2) \
             ORDER BY n.next_attempt_at, n.id LIMIT $3",
        )
        .bind(now)
        .bind(now - CLAIM_TIMEOUT_MS)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Takes a delivery for this worker; false when another took it first.
    pub async fn claim_delivery(&self, id: i64, now: i64) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let claimed = sqlx::query(
            "UPDATE notifications SET status = 'sending', claimed_at = $1 WHERE id = $2 \
             AND (status = 'pending' OR (status = 'sending' AND claimed_at < $3))",
        )
        .bind(now)
        .bind(id)
        .bind(now - CLAIM_TIMEOUT_MS)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(claimed.rows_affected() == 1)
    }

    /// Records how an attempt went: sent, due again at `retry_at`, or failed.
    pub async fn finish_delivery(
        &self,
        id: i64,
        now: i64,
        retry_at: Option<i64>,
        error: Option<&str>,
    ) -> Result<()> {
        let status = match (retry_at, error) {
            (_, None) => "sent",
            (Some(_), Some(_)) => "pending",
            (None, Some(_)) => "failed",
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE notifications SET status = $1, attempts = attempts + 1, next_attempt_at = COALESCE($2, next_attempt_at), \
             last_error = $3, sent_at = CASE WHEN $1 = 'sent' THEN $4 ELSE sent_at END, claimed_at = NULL WHERE id = $5",
        )
        .bind(status)
        .bind(retry_at)
        .bind(error)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A user's notices and deliveries, newest first.
    pub async fn notices_of(&self, user_id: i64, limit: i64) -> Result<Vec<Notice>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {NOTICE_COLUMNS} FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(user_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn unread_notices(&self, user_id: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND channel_id IS NULL AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn mark_notices_read(&self, proof: &OwnAccount, user_id: i64) -> Result<()> {
        within(proof.covers(user_id))?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND channel_id IS NULL AND read_at IS NULL",
        )
        .bind(now_ms())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // ---- what alerts are made from ----

    pub async fn red_projects(&self) -> Result<Vec<RedProject>> {
        Ok(sqlx::query_as(
            "SELECT p.id, p.zone_id, z.path AS zone_path, p.name, p.liaison_user_id, p.rag_since, p.rag_reasons \
             FROM projects p JOIN org_units z ON z.id = p.zone_id WHERE p.rag = 'red' ORDER BY p.id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Milestones not reached by their planned date (before `today`).
    pub async fn late_milestones(&self, today: &str) -> Result<Vec<LateMilestone>> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.project_id, p.name AS project_name, p.zone_id, z.path AS zone_path, p.liaison_user_id, \
             m.name, m.planned_on FROM project_milestones m JOIN projects p ON p.id = m.project_id \
             JOIN org_units z ON z.id = p.zone_id \
             WHERE m.actual_on IS NULL AND m.planned_on < $1 AND p.stage NOT IN ('suspended', 'cancelled') \
             ORDER BY m.id",
        )
        .bind(today)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Open blockers whose deadline is on or before `until`.
    pub async fn blockers_due(&self, until: &str) -> Result<Vec<DueBlocker>> {
        Ok(sqlx::query_as(
            "SELECT b.id, b.project_id, p.name AS project_name, b.zone_id, z.path AS zone_path, p.liaison_user_id, \
             b.department_id, b.description, b.deadline FROM blockers b JOIN projects p ON p.id = b.project_id \
             JOIN org_units z ON z.id = b.zone_id \
             WHERE b.status <> 'resolved' AND b.deadline IS NOT NULL AND b.deadline <= $1 ORDER BY b.deadline, b.id",
        )
        .bind(until)
        .fetch_all(&self.pool)
        .await?)
    }
}
