//! Bulletins (简报) filed under a zone, and the provenance of ledger figures
//! taken from them.

use kfq_domain::audit::AuditAction;
use kfq_domain::{OrgPath, Visibility, ZoneWrite};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::{now_ms, within, Store};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bulletin {
    pub id: i64,
    pub zone_id: i64,
    pub zone_name: String,
    #[serde(skip)]
    pub zone_path: String,
    pub title: String,
    pub body: String,
    pub sha256: String,
    pub uploaded_by: String,
    pub created_at: i64,
}

/// A figure accepted from a bulletin.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectSource {
    pub id: i64,
    pub project_id: i64,
    pub bulletin_id: i64,
    pub bulletin_title: String,
    pub fact_kind: String,
    pub span_start: i64,
    pub span_end: i64,
    pub quote: String,
    pub created_at: i64,
}

const COLUMNS: &str =
    "b.id, b.zone_id, z.name AS zone_name, z.path AS zone_path, b.title, b.body, b.sha256, \
     b.uploaded_by, b.created_at";

impl Store {
    /// Keeps a bulletin of a zone `proof` covers.
    pub async fn add_bulletin(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        zone: (i64, &OrgPath),
        title: &str,
        body: &str,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        // The zone as stored, not as the caller names it.
        let zone_path = crate::ledger::zone_path(&mut tx, zone.0).await?;
        within(proof.covers(&zone_path))?;
        let hash = hex::encode(Sha256::digest(body.as_bytes()));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO bulletins (zone_id, title, body, sha256, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(zone.0)
        .bind(title)
        .bind(body)
        .bind(&hash)
        .bind(&actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let after =
            serde_json::json!({ "title": title, "sha256": hash, "chars": body.chars().count() });
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "bulletin",
                entity_id: id,
                zone_id: Some(zone.0),
                scope_path: zone.1,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn bulletin(&self, visibility: &Visibility, id: i64) -> Result<Bulletin> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM bulletins b JOIN org_units z ON z.id = b.zone_id WHERE b.id = "
        ));
        sql.bind(id).push(" AND ").scope(visibility, "z.path", None);
        sql.query_as::<Bulletin>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The latest bulletins the caller may see (without their text).
    pub async fn bulletins(&self, visibility: &Visibility) -> Result<Vec<Bulletin>> {
        let mut sql = Sql::new(
            "SELECT b.id, b.zone_id, z.name AS zone_name, z.path AS zone_path, b.title, '' AS body, b.sha256, \
             b.uploaded_by, b.created_at FROM bulletins b JOIN org_units z ON z.id = b.zone_id WHERE ",
        );
        sql.scope(visibility, "z.path", None)
            .push(" ORDER BY b.created_at DESC, b.id DESC LIMIT 200");
        Ok(sql.query_as::<Bulletin>().fetch_all(&self.pool).await?)
    }

    /// Records where accepted figures came from (inside no transaction of the
    /// caller: provenance is written after the ledger change it explains).
    pub async fn add_sources(
        &self,
        proof: &ZoneWrite,
        project: (i64, i64),
        bulletin_id: i64,
        sources: &[(String, i64, i64, String)],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let zone_id: i64 = sqlx::query_scalar("SELECT zone_id FROM projects WHERE id = $1")
            .bind(project.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let zone_path = crate::ledger::zone_path(&mut tx, zone_id).await?;
        within(zone_id == project.1 && proof.covers(&zone_path))?;
        for (kind, start, end, quote) in sources {
            sqlx::query(
                "INSERT INTO project_sources (zone_id, project_id, bulletin_id, fact_kind, span_start, span_end, quote, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(project.1)
            .bind(project.0)
            .bind(bulletin_id)
            .bind(kind)
            .bind(start)
            .bind(end)
            .bind(quote)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn project_sources(&self, project_id: i64) -> Result<Vec<ProjectSource>> {
        Ok(sqlx::query_as(
            "SELECT s.id, s.project_id, s.bulletin_id, b.title AS bulletin_title, s.fact_kind, s.span_start, s.span_end, \
             s.quote, s.created_at FROM project_sources s JOIN bulletins b ON b.id = s.bulletin_id \
             WHERE s.project_id = $1 ORDER BY s.id",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A zone's project of this name, if any (bulletins name projects as the ledger does, mostly).
    pub async fn project_by_name(&self, zone_id: i64, name: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM projects WHERE zone_id = $1 AND name = $2 ORDER BY id LIMIT 1",
        )
        .bind(zone_id)
        .bind(name)
        .fetch_optional(&self.pool)
        .await?)
    }
}
