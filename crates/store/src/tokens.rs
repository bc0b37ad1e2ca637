//! Personal API tokens for the JSON API. Shown once when made; only their hash
//! is stored.

use kfq_domain::audit::AuditAction;
use kfq_domain::{OwnAccount, UnitAdmin};
use serde::Serialize;

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::sessions::{random_token, token_hash, SessionUser, PRINCIPAL_COLUMNS, PRINCIPAL_JOIN};
use crate::{now_ms, within, Store};

/// Tokens start with this, so they are easy to spot in logs and leaks.
const PREFIX: &str = "kfq_";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub expires_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    #[sqlx(flatten)]
    user: SessionUser,
    last_used_at: Option<i64>,
}

/// A token as made: the secret appears here and nowhere else.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApiToken {
    pub token: String,
    #[serde(flatten)]
    pub info: ApiToken,
}

impl Store {
    /// Makes a token for the caller's own account; audited on the account
    /// (its name and expiry, never its secret).
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        proof: &OwnAccount,
        user_id: i64,
        name: &str,
        expires_at: Option<i64>,
    ) -> Result<NewApiToken> {
        within(proof.covers(user_id))?;
        let token = format!("{PREFIX}{}", random_token());
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        let user = crate::users::fetch_unscoped(&mut tx, user_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash(&token))
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?;
        let note = serde_json::json!({ "token_created": id, "token_name": name, "expires_at": expires_at });
        on_account(&mut tx, actor, &user, &note).await?;
        tx.commit().await?;
        Ok(NewApiToken {
            token,
            info: ApiToken {
                id,
                name: name.to_owned(),
                created_at: now,
                last_used_at: None,
                expires_at,
            },
        })
    }

    /// An administrator revokes a token of an account `proof` manages;
    /// audited on the account (the token's name, never its secret).
    pub async fn revoke_user_api_token(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        user_id: i64,
        token_id: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let user = crate::users::fetch_unscoped(&mut tx, user_id).await?;
        within(proof.covers(&user.unit_org_path()) && proof.may_grant(user.role()))?;
        revoke(&mut tx, actor, &user, token_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a token's making and expiry back, as if it were older (for
    /// tests of expiry).
    pub async fn age_api_token_for_tests(&self, token_id: i64, by_ms: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE api_tokens SET created_at = created_at - $1, expires_at = expires_at - $1 WHERE id = $2",
        )
        .bind(by_ms)
        .bind(token_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live tokens of an account (its owner's, or an administrator's
    /// over it: the caller has shown which).
    pub async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        Ok(sqlx::query_as(
            "SELECT id, name, created_at, last_used_at, expires_at FROM api_tokens \
             WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Revokes one of the caller's tokens, audited on the account; another
    /// user's token is not found.
    pub async fn revoke_api_token(
        &self,
        actor: &Actor,
        proof: &OwnAccount,
        user_id: i64,
        token_id: i64,
    ) -> Result<()> {
        within(proof.covers(user_id))?;
        let mut tx = self.begin_write().await?;
        let user = crate::users::fetch_unscoped(&mut tx, user_id).await?;
        revoke(&mut tx, actor, &user, token_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account behind a bearer token, if it is live.
    pub async fn api_token_user(&self, token: &str) -> Result<Option<SessionUser>> {
        if !token.starts_with(PREFIX) {
            return Ok(None);
        }
        let now = now_ms();
        let hash = token_hash(token);
        let row: Option<TokenRow> = sqlx::query_as(&format!(
            "SELECT {PRINCIPAL_COLUMNS}, NULL AS csrf_token, t.last_used_at FROM api_tokens t {PRINCIPAL_JOIN} \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1 \
             AND (t.expires_at IS NULL OR t.expires_at > $2)"
        ))
        .bind(&hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        // Record use at most once a minute, so API reads stay reads.
        if row.last_used_at.is_none_or(|at| now - at > 60_000) {
            let mut tx = self.begin_write().await?;
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(Some(row.user))
    }
}

/// Revokes a live token of `user`, audited on the account (its name, never
/// its secret); a token not theirs or already revoked is not found.
async fn revoke(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    user: &crate::User,
    token_id: i64,
) -> Result<()> {
    let name: Option<String> = sqlx::query_scalar(
        "SELECT name FROM api_tokens WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(token_id)
    .bind(user.id)
    .fetch_optional(&mut *tx)
    .await?;
    let name = name.ok_or(StoreError::NotFound)?;
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(token_id)
        .execute(&mut *tx)
        .await?;
    let note = serde_json::json!({ "token_revoked": token_id, "token_name": name });
    on_account(tx, actor, user, &note).await
}

/// A token event on the account's record.
async fn on_account(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    user: &crate::User,
    note: &serde_json::Value,
) -> Result<()> {
    record(
        tx,
        actor,
        Change {
            action: AuditAction::Event,
            entity: "user",
            entity_id: user.id,
            zone_id: user.zone_id,
            scope_path: &user.unit_org_path(),
            before: None,
            after: Some(note),
        },
    )
    .await
}
