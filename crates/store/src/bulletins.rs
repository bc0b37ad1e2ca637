//! Bulletins (简报) filed under a zone, and the provenance of ledger figures
//! taken from them.

use kfq_domain::audit::AuditAction;
use kfq_domain::{OrgPath, Visibility, ZoneWrite};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::ledger::{self, Project, ProjectInput, RagContext};
use crate::sql::Sql;
use crate::{now_ms, within, Store};
use kfq_domain::Stage;

/// Facts of one project taken from a bulletin (see [`Store::accept_facts`]).
#[derive(Debug)]
pub struct Acceptance<'a> {
    /// The ledger's project at the version the caller read, or none: create it.
    pub project: Option<(i64, i64)>,
    pub fields: &'a ProjectInput,
    /// The stage the bulletin reports: a new project starts there; an
    /// existing one is moved to it (forward only) dated today.
    pub stage: Option<Stage>,
    pub bulletin_id: i64,
    pub sources: &'a [FactSource],
}

/// Where in a bulletin an accepted fact was read: its kind and its span (in
/// characters) with the text quoted.
#[derive(Debug, Clone)]
pub struct FactSource {
    pub kind: String,
    pub start: i64,
    pub end: i64,
    pub quote: String,
}

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

    /// Takes facts a bulletin gives of one project into the ledger, in one
    /// transaction: creates the project (at `stage`), or saves the fields of
    /// the one at `(id, version)` and moves it forward to `stage`; then records
    /// each accepted fact's place in the bulletin as the figures' source.
    /// Refused anywhere, nothing is kept.
    pub async fn accept_facts(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        acceptance: &Acceptance<'_>,
        ctx: &RagContext<'_>,
    ) -> Result<Project> {
        let mut tx = self.begin_write().await?;
        let project = match acceptance.project {
            None => {
                ledger::create_in(
                    &mut tx,
                    actor,
                    proof,
                    acceptance.fields,
                    acceptance.stage.unwrap_or(Stage::Planning),
                    ctx,
                )
                .await?
            }
            Some(at) => {
                let saved =
                    ledger::update_in(&mut tx, actor, proof, at, acceptance.fields, ctx).await?;
                match acceptance.stage {
                    Some(next) if next != saved.stage => {
                        ledger::change_stage_in(
                            &mut tx,
                            actor,
                            proof,
                            (saved.id, saved.version),
                            (next, ctx.today),
                            None,
                            ctx,
                        )
                        .await?
                    }
                    _ => saved,
                }
            }
        };
        let bulletin_zone: i64 = sqlx::query_scalar("SELECT zone_id FROM bulletins WHERE id = $1")
            .bind(acceptance.bulletin_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let bulletin_path = ledger::zone_path(&mut tx, bulletin_zone).await?;
        within(proof.covers(&bulletin_path))?;
        for source in acceptance.sources {
            sqlx::query(
                "INSERT INTO project_sources (zone_id, project_id, bulletin_id, fact_kind, span_start, span_end, quote, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(project.zone_id)
            .bind(project.id)
            .bind(acceptance.bulletin_id)
            .bind(&source.kind)
            .bind(source.start)
            .bind(source.end)
            .bind(&source.quote)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(project)
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

    /// The projects the ledger holds under these (zone, name) pairs, as
    /// The projects of `zones` the caller may see, as (zone, id, name,
    /// enterprise or investor), in one statement: what a bulletin's projects
    /// are matched against when the names differ.
    pub async fn zone_project_names(
        &self,
        visibility: &Visibility,
        zones: &[i64],
    ) -> Result<Vec<(i64, i64, String, Option<String>)>> {
        if zones.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            "SELECT p.zone_id, p.id, p.name, COALESCE(e.name, p.investor) \
             FROM projects p JOIN org_units z ON z.id = p.zone_id \
             LEFT JOIN enterprises e ON e.id = p.enterprise_id WHERE ",
        );
        sql.push(&crate::sql::in_list("p.zone_id", zones))
            .push(" AND ")
            .scope(visibility, "z.path", Some("p.enterprise_id"))
            .push(" ORDER BY p.id");
        Ok(sql
            .query_as::<(i64, i64, String, Option<String>)>()
            .fetch_all(&self.pool)
            .await?)
    }
}
