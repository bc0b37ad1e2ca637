//! Accounts: one role at one org unit, argon2id password hashes, login
//! bookkeeping and failed-login throttling.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use kfq_domain::audit::AuditAction;
use kfq_domain::{FieldErrors, OrgKind, OrgPath, OwnAccount, Role, UnitAdmin, Visibility};
use serde::Serialize;
use sqlx::AnyConnection;

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::sql::{Paged, Sql};
use crate::versioned::one_row;
use crate::{now_ms, within, Page, Store};

/// An account as read, its role in the domain's type (see [`crate::decode`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub role: Role,
    pub org_unit_id: i64,
    pub org_unit_name: String,
    #[serde(skip)]
    pub org_unit_path: String,
    pub zone_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    pub last_login_at: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for User {
    fn from_row(row: &'r sqlx::any::AnyRow) -> sqlx::Result<Self> {
        use sqlx::Row;
        Ok(User {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            role: crate::decode::code(row, "role")?,
            org_unit_id: row.try_get("org_unit_id")?,
            org_unit_name: row.try_get("org_unit_name")?,
            org_unit_path: row.try_get("org_unit_path")?,
            zone_id: row.try_get("zone_id")?,
            enterprise_id: row.try_get("enterprise_id")?,
            phone: row.try_get("phone")?,
            email: row.try_get("email")?,
            active: crate::decode::flag(row, "active")?,
            last_login_at: row.try_get("last_login_at")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

impl User {
    pub fn role(&self) -> Role {
        self.role
    }

    pub fn unit_org_path(&self) -> OrgPath {
        OrgPath::parse(&self.org_unit_path).unwrap_or_else(|_| OrgPath::root_of(self.org_unit_id))
    }

    pub fn is_active(&self) -> bool {
        self.active
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_unit_id: i64,
    pub enterprise_id: Option<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The editable fields of an account (the login name stays).
#[derive(Debug, Clone)]
pub struct UserUpdate {
    pub display_name: String,
    pub role: Role,
    pub org_unit_id: i64,
    pub enterprise_id: Option<i64>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub org_unit_id: Option<i64>,
    pub name_contains: Option<String>,
}

const COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.org_unit_id, o.name AS org_unit_name, \
                       o.path AS org_unit_path, u.zone_id, u.enterprise_id, u.phone, u.email, u.active, \
                       u.last_login_at, u.version, u.created_at, u.updated_at";

/// Hashes with argon2id and a fresh salt. CPU-heavy: call off the async threads.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .unwrap_or_default()
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

pub(crate) async fn fetch_unscoped(conn: &mut AnyConnection, id: i64) -> Result<User> {
    sqlx::query_as::<_, User>(&format!(
        "SELECT {COLUMNS} FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)
}

/// A user moved to another zone (or out of any) must first hand over the
/// projects they lead as 包联领导: a project's liaison is one of its zone's
/// users, as every project write checks, and all a zone's ledger shows —
/// its people's names among it — is audited on the zone's own chain, which
/// a user's later renaming in the other zone would not move.
async fn check_no_projects_led_elsewhere(
    conn: &mut AnyConnection,
    user_id: i64,
    zone_id: Option<i64>,
) -> Result<()> {
    let led: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM projects WHERE liaison_user_id = $1 AND zone_id <> $2",
    )
    .bind(user_id)
    .bind(zone_id.unwrap_or(0))
    .fetch_one(&mut *conn)
    .await?;
    if led > 0 {
        return Err(StoreError::Invalid(FieldErrors::single(
            "org_unit_id",
            "error.user.leads_projects",
        )));
    }
    Ok(())
}

/// Checks that `role` fits the unit and enterprise, and that `proof` may
/// place it there; returns the unit's zone.
async fn check_placement(
    conn: &mut AnyConnection,
    proof: &UnitAdmin,
    role: Role,
    org_unit_id: i64,
    enterprise_id: Option<i64>,
) -> Result<Option<i64>> {
    let unit: Option<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT kind, path, zone_id FROM org_units WHERE id = $1")
            .bind(org_unit_id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((kind, path, zone_id)) = unit else {
        return Err(StoreError::Invalid(FieldErrors::single(
            "org_unit_id",
            "error.org.parent_missing",
        )));
    };
    within(OrgPath::parse(&path).is_ok_and(|path| proof.covers(&path)) && proof.may_grant(role))?;
    let kind = OrgKind::from_code(&kind).unwrap_or(OrgKind::Department);
    if let Err(key) = role.check_placement(kind, enterprise_id) {
        let field = if key == "error.role.unit_kind" {
            "org_unit_id"
        } else {
            "enterprise_id"
        };
        return Err(StoreError::Invalid(FieldErrors::single(field, key)));
    }
    if let Some(enterprise_id) = enterprise_id {
        let enterprise_zone: Option<i64> =
            sqlx::query_scalar("SELECT zone_id FROM enterprises WHERE id = $1")
                .bind(enterprise_id)
                .fetch_optional(&mut *conn)
                .await?;
        if enterprise_zone.is_none() || enterprise_zone != zone_id {
            return Err(StoreError::Invalid(FieldErrors::single(
                "enterprise_id",
                "error.role.enterprise_zone",
            )));
        }
    }
    Ok(zone_id)
}

impl Store {
    pub async fn user(&self, visibility: &Visibility, id: i64) -> Result<User> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = "
        ));
        sql.bind(id).push(" AND ").scope(visibility, "o.path", None);
        sql.query_as::<User>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The signed-in user's own account, whatever their visibility of others.
    pub async fn own_account(&self, user_id: i64) -> Result<User> {
        let mut conn = self.pool.acquire().await?;
        fetch_unscoped(&mut conn, user_id).await
    }

    pub async fn users(
        &self,
        visibility: &Visibility,
        filter: &UserFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<User>> {
        let list = Paged {
            from: "users u JOIN org_units o ON o.id = u.org_unit_id",
            columns: COLUMNS,
            order: "o.path, u.username",
        };
        let filter = |q: &mut Sql| {
            q.scope(visibility, "o.path", None);
            if let Some(unit) = filter.org_unit_id {
                q.push(" AND u.org_unit_id = ").bind(unit);
            }
            if let Some(name) = &filter.name_contains {
                q.words_in(&["u.display_name", "u.username"], name);
            }
        };
        list.fetch(&self.pool, filter, offset, limit).await
    }

    pub async fn user_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Creates an account; `password_hash` comes from [`hash_password`].
    pub async fn create_user(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        input: &UserInput,
        password_hash: &str,
    ) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let zone_id = check_placement(
            &mut tx,
            proof,
            input.role,
            input.org_unit_id,
            input.enterprise_id,
        )
        .await?;
        let now = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, role, org_unit_id, zone_id, enterprise_id, \
             phone, email, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(&input.username)
        .bind(&input.display_name)
        .bind(password_hash)
        .bind(input.role.code())
        .bind(input.org_unit_id)
        .bind(zone_id)
        .bind(input.enterprise_id)
        .bind(&input.phone)
        .bind(&input.email)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        ?;
        let created = fetch_unscoped(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "user",
                entity_id: id,
                zone_id,
                scope_path: &created.unit_org_path(),
                before: None,
                after: Some(&created),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Edits an account `proof` may manage, both where it is and where it goes.
    pub async fn update_user(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        id: i64,
        expected_version: i64,
        input: &UserUpdate,
    ) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        within(proof.covers(&before.unit_org_path()) && proof.may_grant(before.role()))?;
        let zone_id = check_placement(
            &mut tx,
            proof,
            input.role,
            input.org_unit_id,
            input.enterprise_id,
        )
        .await?;
        if zone_id != before.zone_id {
            check_no_projects_led_elsewhere(&mut tx, id, zone_id).await?;
        }
        one_row(sqlx::query(
            "UPDATE users SET display_name = $1, role = $2, org_unit_id = $3, zone_id = $4, enterprise_id = $5, \
             phone = $6, email = $7, active = $8, version = version + 1, updated_at = $9 \
             WHERE id = $10 AND version = $11",
        )
        .bind(&input.display_name)
        .bind(input.role.code())
        .bind(input.org_unit_id)
        .bind(zone_id)
        .bind(input.enterprise_id)
        .bind(&input.phone)
        .bind(&input.email)
        .bind(i64::from(input.active))
        .bind(now_ms())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?)?;
        if !input.active {
            // A disabled account is signed out everywhere at once.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let after = fetch_unscoped(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "user",
                entity_id: id,
                zone_id,
                scope_path: &after.unit_org_path(),
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// An administrator sets a new password on an account `proof` manages.
    pub async fn set_password(
        &self,
        actor: &Actor,
        proof: &UnitAdmin,
        id: i64,
        password_hash: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let user = fetch_unscoped(&mut tx, id).await?;
        within(proof.covers(&user.unit_org_path()) && proof.may_grant(user.role()))?;
        change_password(tx, actor, &user, password_hash, None).await
    }

    /// The owner of an account changes its password, keeping the session
    /// they are signed in with, if any.
    pub async fn set_own_password(
        &self,
        actor: &Actor,
        proof: &OwnAccount,
        id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<()> {
        within(proof.covers(id))?;
        let mut tx = self.begin_write().await?;
        let user = fetch_unscoped(&mut tx, id).await?;
        change_password(tx, actor, &user, password_hash, keep_session).await
    }

    /// The account id, hash and active flag for a login name.
    pub async fn credentials(&self, username: &str) -> Result<Option<(i64, String, bool)>> {
        let row: Option<(i64, String, i64)> =
            sqlx::query_as("SELECT id, password_hash, active FROM users WHERE username = $1")
                .bind(username)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(id, hash, active)| (id, hash, active != 0)))
    }

    /// What throttling needs about failed password checks for a login name
    /// from a client address (failures cleared by a later success aside): the
    /// client's failures of the last day, and the `per_account`-th and
    /// `per_address`-th most recent failures within the window.
    pub async fn failure_facts(
        &self,
        username: &str,
        ip: &str,
        limits: &kfq_domain::throttle::Limits,
        now: i64,
    ) -> Result<kfq_domain::throttle::Facts> {
        let (client_failures, client_last_at): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(at) FROM login_failures \
             WHERE username = $1 AND ip = $2 AND at >= $3 AND cleared_at IS NULL",
        )
        .bind(username)
        .bind(ip)
        .bind(now - 24 * 3_600_000)
        .fetch_one(&self.pool)
        .await?;
        let since = now - limits.window_ms;
        let nth = |column: &str| {
            format!(
                "SELECT at FROM login_failures WHERE {column} = $1 AND at >= $2 AND cleared_at IS NULL \
                 ORDER BY at DESC LIMIT 1 OFFSET $3"
            )
        };
        let account_nth_at: Option<i64> = sqlx::query_scalar(&nth("username"))
            .bind(username)
            .bind(since)
            .bind(limits.per_account - 1)
            .fetch_optional(&self.pool)
            .await?;
        let address_nth_at: Option<i64> = sqlx::query_scalar(&nth("ip"))
            .bind(ip)
            .bind(since)
            .bind(limits.per_address - 1)
            .fetch_optional(&self.pool)
            .await?;
        Ok(kfq_domain::throttle::Facts {
            client_failures,
            client_last_at,
            account_nth_at,
            address_nth_at,
        })
    }

    /// Records a failed password check (`kind`: "login" or "password") for a
    /// login name, known or not, from a client address.
    pub async fn record_login_failure(&self, username: &str, ip: &str, kind: &str) -> Result<()> {
        self.record_login_failure_at(username, ip, kind, now_ms())
            .await
    }

    /// [`Store::record_login_failure`] at a given time (tests of the windows).
    pub async fn record_login_failure_at(
        &self,
        username: &str,
        ip: &str,
        kind: &str,
        at: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO login_failures (username, ip, at, kind) VALUES ($1, $2, $3, $4)")
            .bind(username)
            .bind(ip)
            .bind(at)
            .bind(kind)
            .execute(&mut *tx)
            .await?;
        // Failures are shown for 30 days; older ones go.
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(now_ms() - FAILURES_KEPT_MS)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The right password from a client: its failures no longer slow it
    /// down (they stay on the record).
    pub async fn clear_login_failures(&self, username: &str, ip: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE login_failures SET cleared_at = $1 WHERE username = $2 AND ip = $3 AND cleared_at IS NULL",
        )
        .bind(now_ms())
        .bind(username)
        .bind(ip)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn record_login_success(&self, user_id: i64, username: &str, ip: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE login_failures SET cleared_at = $1 WHERE username = $2 AND ip = $3 AND cleared_at IS NULL",
        )
        .bind(now_ms())
        .bind(username)
        .bind(ip)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The failed password checks of an account since `since_ms`: how many,
    /// and the latest `limit` of them. The caller has shown it may see the
    /// account (its owner, or an administrator over it).
    pub async fn login_failures_of(
        &self,
        username: &str,
        since_ms: i64,
        limit: i64,
    ) -> Result<LoginFailures> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at >= $2",
        )
        .bind(username)
        .bind(since_ms)
        .fetch_one(&self.pool)
        .await?;
        let recent: Vec<LoginFailure> = sqlx::query_as(
            "SELECT at, ip, kind FROM login_failures WHERE username = $1 AND at >= $2 \
             ORDER BY at DESC, id DESC LIMIT $3",
        )
        .bind(username)
        .bind(since_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(LoginFailures { count, recent })
    }
}

/// Failed password checks are kept (and shown) this long.
pub const FAILURES_KEPT_MS: i64 = 30 * 24 * 3_600_000;

/// One failed password check: when, from which client address, and where
/// ("login": signing in; "password": the current password when changing it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginFailure {
    pub at: i64,
    pub ip: Option<String>,
    pub kind: String,
}

/// The failed password checks of an account over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginFailures {
    pub count: i64,
    pub recent: Vec<LoginFailure>,
}

/// Sets a new password hash, ends the account's other sessions and revokes
/// its API tokens. The audit
/// record says that it happened, never what the hash is.
async fn change_password(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    user: &User,
    password_hash: &str,
    keep_session: Option<&str>,
) -> Result<()> {
    let id = user.id;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let keep = keep_session
        .map(crate::sessions::token_hash)
        .unwrap_or_default();
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(id)
        .bind(keep)
        .execute(&mut *tx)
        .await?;
    // Tokens were given under the old password: none outlives it.
    let tokens = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let note = serde_json::json!({ "password": "changed", "tokens_revoked": tokens });
    record(
        &mut tx,
        actor,
        Change {
            action: AuditAction::Event,
            entity: "user",
            entity_id: id,
            zone_id: user.zone_id,
            scope_path: &user.unit_org_path(),
            before: None,
            after: Some(&note),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
