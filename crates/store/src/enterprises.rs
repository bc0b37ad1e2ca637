//! Enterprises (入区企业): each belongs to one zone and is identified by its
//! Unified Social Credit Code, unique across the whole installation.

use kfq_domain::audit::AuditAction;
use kfq_domain::{CreditCode, FieldErrors, OrgKind, OrgPath, Visibility, ZoneWrite};
use serde::Serialize;
use sqlx::AnyConnection;

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::sql::{Paged, Sql};
use crate::versioned::{claim, delete_claimed, one_row, refuse_if_referred};
use crate::{now_ms, within, Page, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enterprise {
    pub id: i64,
    pub zone_id: i64,
    pub zone_name: String,
    #[serde(skip)]
    pub zone_path: String,
    pub name: String,
    pub credit_code: String,
    pub industry: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Enterprise {
    pub fn zone_org_path(&self) -> OrgPath {
        OrgPath::parse(&self.zone_path).unwrap_or_else(|_| OrgPath::root_of(self.zone_id))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnterpriseInput {
    pub zone_id: i64,
    pub name: String,
    pub credit_code: CreditCode,
    pub industry: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct EnterpriseFilter {
    pub zone_id: Option<i64>,
    pub name_contains: Option<String>,
}

const COLUMNS: &str = "e.id, e.zone_id, z.name AS zone_name, z.path AS zone_path, e.name, e.credit_code, e.industry, \
                       e.address, e.contact_name, e.contact_phone, e.version, e.created_at, e.updated_at";

async fn fetch_unscoped(conn: &mut AnyConnection, id: i64) -> Result<Enterprise> {
    sqlx::query_as::<_, Enterprise>(&format!(
        "SELECT {COLUMNS} FROM enterprises e JOIN org_units z ON z.id = e.zone_id WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound)
}

/// The zone an enterprise is placed in must be a zone.
/// The zone an enterprise goes into must be a zone, and within the proof.
async fn check_zone(conn: &mut AnyConnection, proof: &ZoneWrite, zone_id: i64) -> Result<()> {
    let unit: Option<(String, String)> =
        sqlx::query_as("SELECT kind, path FROM org_units WHERE id = $1")
            .bind(zone_id)
            .fetch_optional(conn)
            .await?;
    match unit {
        Some((kind, path)) if kind == OrgKind::Zone.code() => {
            within(OrgPath::parse(&path).is_ok_and(|path| proof.covers(&path)))
        }
        _ => Err(StoreError::Invalid(FieldErrors::single(
            "zone_id",
            "error.enterprise.zone",
        ))),
    }
}

impl Store {
    pub async fn enterprise(&self, visibility: &Visibility, id: i64) -> Result<Enterprise> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM enterprises e JOIN org_units z ON z.id = e.zone_id WHERE e.id = "
        ));
        sql.bind(id)
            .push(" AND ")
            .scope(visibility, "z.path", Some("e.id"));
        sql.query_as::<Enterprise>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn enterprises(
        &self,
        visibility: &Visibility,
        filter: &EnterpriseFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Enterprise>> {
        let list = Paged {
            from: "enterprises e JOIN org_units z ON z.id = e.zone_id",
            columns: COLUMNS,
            order: "z.path, e.name, e.id",
        };
        let filter = |q: &mut Sql| {
            q.scope(visibility, "z.path", Some("e.id"));
            if let Some(zone) = filter.zone_id {
                q.push(" AND e.zone_id = ").bind(zone);
            }
            if let Some(name) = &filter.name_contains {
                q.words_in(&["e.name"], name);
            }
        };
        list.fetch(&self.pool, filter, offset, limit).await
    }

    pub async fn create_enterprise(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        input: &EnterpriseInput,
    ) -> Result<Enterprise> {
        let mut tx = self.begin_write().await?;
        check_zone(&mut tx, proof, input.zone_id).await?;
        let now = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO enterprises (zone_id, name, credit_code, industry, address, contact_name, contact_phone, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(input.zone_id)
        .bind(&input.name)
        .bind(input.credit_code.as_str())
        .bind(&input.industry)
        .bind(&input.address)
        .bind(&input.contact_name)
        .bind(&input.contact_phone)
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
                entity: "enterprise",
                entity_id: id,
                zone_id: Some(created.zone_id),
                scope_path: &created.zone_org_path(),
                before: None,
                after: Some(&created),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Updates every field; the zone it is in and the zone it goes to both
    /// lie within the proof.
    pub async fn update_enterprise(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        id: i64,
        expected_version: i64,
        input: &EnterpriseInput,
    ) -> Result<Enterprise> {
        let mut tx = self.begin_write().await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        within(proof.covers(&before.zone_org_path()))?;
        check_zone(&mut tx, proof, input.zone_id).await?;
        if input.zone_id != before.zone_id {
            // Moving on, it leaves the old zone's chain map.
            sqlx::query("DELETE FROM chain_node_enterprises WHERE enterprise_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        one_row(sqlx::query(
            "UPDATE enterprises SET zone_id = $1, name = $2, credit_code = $3, industry = $4, address = $5, \
             contact_name = $6, contact_phone = $7, version = version + 1, updated_at = $8 \
             WHERE id = $9 AND version = $10",
        )
        .bind(input.zone_id)
        .bind(&input.name)
        .bind(input.credit_code.as_str())
        .bind(&input.industry)
        .bind(&input.address)
        .bind(&input.contact_name)
        .bind(&input.contact_phone)
        .bind(now_ms())
        .bind(id)
        .bind(expected_version)
        .execute(&mut *tx)
        .await?)?;
        let after = fetch_unscoped(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "enterprise",
                entity_id: id,
                zone_id: Some(after.zone_id),
                scope_path: &after.zone_org_path(),
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn delete_enterprise(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        id: i64,
        expected_version: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        within(proof.covers(&fetch_unscoped(&mut tx, id).await?.zone_org_path()))?;
        claim(&mut tx, "enterprises", id, expected_version).await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        let accounts: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE enterprise_id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        refuse_if_referred(accounts, "error.enterprise.has_accounts")?;
        delete_claimed(
            &mut tx,
            actor,
            ("enterprises", "enterprise"),
            id,
            (Some(before.zone_id), &before.zone_org_path()),
            &before,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
