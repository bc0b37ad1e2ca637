//! Sign-in sessions, stored in the database so any instance can serve any
//! request. Only a hash of the cookie's token is stored: a copy of the
//! database does not let anyone sign in.

use base64::Engine;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::{now_ms, Store};

/// A fresh random secret, URL-safe.
pub(crate) fn random_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The account behind a session or an API token, with what scoping needs.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SessionUser {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub enterprise_id: Option<i64>,
    pub unit_path: String,
    pub zone_path: Option<String>,
    /// The session's CSRF token (none for API tokens, which need none).
    pub csrf_token: Option<String>,
    /// Notices not yet read, for the page header (browser sessions only).
    #[sqlx(default)]
    pub unread_notices: i64,
}

/// What the browser gets when a session starts.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: SessionUser,
    last_seen_at: i64,
    expires_at: i64,
}

pub(crate) const PRINCIPAL_JOIN: &str = "JOIN users u ON u.id = t.user_id \
     JOIN org_units o ON o.id = u.org_unit_id \
     LEFT JOIN org_units z ON z.id = o.zone_id";
pub(crate) const PRINCIPAL_COLUMNS: &str =
    "u.id AS user_id, u.username, u.display_name, u.role, u.enterprise_id, \
     o.path AS unit_path, z.path AS zone_path";

impl Store {
    pub async fn create_session(
        &self,
        user_id: i64,
        lifetime_ms: i64,
        ip: &str,
        user_agent: &str,
    ) -> Result<NewSession> {
        let token = random_token();
        let csrf_token = random_token();
        let now = now_ms();
        let expires_at = now + lifetime_ms;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(&csrf_token)
        .bind(now)
        .bind(expires_at)
        .bind(ip)
        .bind(user_agent.chars().take(200).collect::<String>())
        .execute(&mut *tx)
        .await?;
        // Sweep expired sessions now and then, on the way.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(NewSession {
            token,
            csrf_token,
            expires_at,
        })
    }

    /// The user of a live session. A session idle for longer than `idle_ms`, or
    /// past its expiry, or of a disabled account, is ended and answers `None`.
    pub async fn session_user(&self, token: &str, idle_ms: i64) -> Result<Option<SessionUser>> {
        let hash = token_hash(token);
        let row: Option<SessionRow> = sqlx::query_as(&format!(
            "SELECT {PRINCIPAL_COLUMNS}, t.csrf_token, t.last_seen_at, t.expires_at, \
             (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.channel_id IS NULL \
              AND n.read_at IS NULL) AS unread_notices \
             FROM sessions t {PRINCIPAL_JOIN} WHERE t.token_hash = $1 AND u.active = 1"
        ))
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let now = now_ms();
        if now > row.expires_at || now - row.last_seen_at > idle_ms {
            self.end_session(token).await?;
            return Ok(None);
        }
        // Record activity at most once a minute: reads stay reads.
        if now - row.last_seen_at > 60_000 {
            let mut tx = self.begin_write().await?;
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(Some(row.user))
    }

    pub async fn end_session(&self, token: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Hashes of all live sessions (for tests of the idle timeout).
    pub async fn session_tokens_for_tests(&self) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Moves a session's last activity back, as if it had been idle (for tests
    /// of the idle timeout).
    pub async fn age_session_hash(&self, token_hash: &str, by_ms: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - $1, created_at = created_at - $1 WHERE token_hash = $2")
            .bind(by_ms)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// See [`Store::age_session_hash`].
    pub async fn age_session(&self, token: &str, by_ms: i64) -> Result<()> {
        self.age_session_hash(&token_hash(token), by_ms).await
    }
}
