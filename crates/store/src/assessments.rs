//! 季考核 storage: the score sheet a unit sets for a year, the sheet in
//! effect (its own, else the nearest ancestor's, else the default), and the
//! frozen results of a closed quarter with their SHA-256. Scoring itself is
//! `kfq_assessment`; this module never computes a score.

use chrono::NaiveDate;
use kfq_assessment::{Quarter, Sheet, SheetItem};
use kfq_domain::audit::AuditAction;
use kfq_domain::{Assessment, FieldErrors, OrgKind, OrgPath, Visibility};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::sql::Sql;
use crate::versioned::one_row;
use crate::{now_ms, unit_within, OrgUnit, Store};

/// The sheet that scores a unit's subjects for a year, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentSheet {
    pub year: i32,
    pub sheet: Sheet,
    /// The unit that set it; none for the default sheet.
    pub set_by_org_id: Option<i64>,
    pub set_by_org_name: Option<String>,
    /// The stored row's version; 0 when the unit has none of its own.
    pub version: i64,
    pub updated_by: Option<String>,
    pub updated_at: Option<i64>,
}

/// A quarter closed: its results as frozen, and who froze them when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AssessmentClosing {
    pub id: i64,
    pub org_id: i64,
    pub year: i64,
    pub quarter: i64,
    /// The ledger cut-off the results were computed at, Unix ms.
    pub as_of: i64,
    /// JSON, exactly as hashed.
    pub results: String,
    pub sha256: String,
    pub closed_by: String,
    pub closed_at: i64,
}

type SheetRow = (i64, i64, String, String, String, i64, i64);

fn sheet_of(items: &str) -> Sheet {
    // Rows are written from parsed sheets; a row that no longer parses
    // falls back to the default rather than breaking the page.
    serde_json::from_str::<Vec<SheetItem>>(items)
        .ok()
        .and_then(|items| Sheet::parse(items).ok())
        .unwrap_or_default()
}

pub fn results_sha256(results: &str) -> String {
    hex::encode(Sha256::digest(results.as_bytes()))
}

fn closing_error(key: &'static str) -> StoreError {
    StoreError::Invalid(FieldErrors::single("quarter", key))
}

impl Store {
    /// The sheet in effect for `org` in `year`: its own, else the nearest
    /// ancestor's, else the default.
    pub async fn assessment_sheet(&self, org: &OrgPath, year: i32) -> Result<AssessmentSheet> {
        let ids = org.ids();
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let rows: Vec<SheetRow> = sqlx::query_as(&format!(
            "SELECT s.org_id, s.version, s.items, s.updated_by, o.name, s.updated_at, o.id \
             FROM assessment_sheets s JOIN org_units o ON o.id = s.org_id \
             WHERE s.year = $1 AND s.org_id IN ({})",
            list.join(", ")
        ))
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        let nearest = ids
            .iter()
            .rev()
            .find_map(|id| rows.iter().find(|r| r.0 == *id));
        Ok(match nearest {
            Some((org_id, version, items, updated_by, name, updated_at, _)) => AssessmentSheet {
                year,
                sheet: sheet_of(items),
                set_by_org_id: Some(*org_id),
                set_by_org_name: Some(name.clone()),
                version: if *org_id == org.id() { *version } else { 0 },
                updated_by: Some(updated_by.clone()),
                updated_at: Some(*updated_at),
            },
            None => AssessmentSheet {
                year,
                sheet: Sheet::default(),
                set_by_org_id: None,
                set_by_org_name: None,
                version: 0,
                updated_by: None,
                updated_at: None,
            },
        })
    }

    /// Sets `org`'s own sheet for `year`. `expected_version` is the version
    /// read (0: the unit had none of its own); a stale one is a conflict.
    pub async fn set_assessment_sheet(
        &self,
        actor: &Actor,
        proof: &Assessment,
        org: &OrgUnit,
        year: i32,
        sheet: &Sheet,
        expected_version: i64,
    ) -> Result<AssessmentSheet> {
        let items = serde_json::to_string(sheet.items())?;
        let mut tx = self.begin_write().await?;
        unit_within(&mut tx, org.id, |path| proof.covers(path)).await?;
        let before: Option<(i64, String, i64)> = sqlx::query_as(
            "SELECT id, items, version FROM assessment_sheets WHERE org_id = $1 AND year = $2",
        )
        .bind(org.id)
        .bind(i64::from(year))
        .fetch_optional(&mut *tx)
        .await?;
        let now = now_ms();
        let id = match &before {
            Some((id, _, version)) if *version == expected_version => {
                one_row(
                    sqlx::query(
                        "UPDATE assessment_sheets SET items = $1, updated_by = $2, updated_at = $3, \
                         version = version + 1 WHERE id = $4 AND version = $5",
                    )
                    .bind(&items)
                    .bind(&actor.name)
                    .bind(now)
                    .bind(id)
                    .bind(expected_version)
                    .execute(&mut *tx)
                    .await?,
                )?;
                *id
            }
            None if expected_version == 0 => sqlx::query_scalar(
                "INSERT INTO assessment_sheets (org_id, year, items, updated_by, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
            )
            .bind(org.id)
            .bind(i64::from(year))
            .bind(&items)
            .bind(&actor.name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            ?,
            _ => return Err(StoreError::Conflict),
        };
        let audit = |items: &str| serde_json::json!({"org_id": org.id, "year": year, "items": serde_json::from_str::<serde_json::Value>(items).unwrap_or_default()});
        let before_json = before.as_ref().map(|(_, items, _)| audit(items));
        let after_json = audit(&items);
        record(
            &mut tx,
            actor,
            Change {
                action: if before.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                entity: "assessment_sheet",
                entity_id: id,
                zone_id: org.zone_id,
                scope_path: &org.org_path(),
                before: before_json.as_ref(),
                after: Some(&after_json),
            },
        )
        .await?;
        tx.commit().await?;
        self.assessment_sheet(&org.org_path(), year).await
    }

    /// Freezes `org`'s results for `quarter`, computed with the ledger as
    /// recorded by `as_of`. Refused while the quarter runs (on `today`) and
    /// once it is closed.
    #[allow(clippy::too_many_arguments)]
    pub async fn close_assessment_quarter(
        &self,
        actor: &Actor,
        proof: &Assessment,
        org: &OrgUnit,
        quarter: Quarter,
        today: NaiveDate,
        as_of: i64,
        results: &str,
    ) -> Result<AssessmentClosing> {
        if quarter.last_day() >= today {
            return Err(closing_error("error.assessment.quarter_open"));
        }
        let sha256 = results_sha256(results);
        let mut tx = self.begin_write().await?;
        unit_within(&mut tx, org.id, |path| proof.covers(path)).await?;
        let closed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM assessment_closings WHERE org_id = $1 AND year = $2 AND quarter = $3",
        )
        .bind(org.id)
        .bind(i64::from(quarter.year))
        .bind(i64::from(quarter.quarter))
        .fetch_one(&mut *tx)
        .await?;
        if closed > 0 {
            return Err(closing_error("error.assessment.closed"));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessment_closings (org_id, year, quarter, as_of, results, sha256, closed_by, closed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(org.id)
        .bind(i64::from(quarter.year))
        .bind(i64::from(quarter.quarter))
        .bind(as_of)
        .bind(results)
        .bind(&sha256)
        .bind(&actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let after = serde_json::json!({"org_id": org.id, "year": quarter.year,
            "quarter": quarter.quarter, "as_of": as_of, "sha256": sha256});
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "assessment_closing",
                entity_id: id,
                zone_id: org.zone_id,
                scope_path: &org.org_path(),
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        self.assessment_closing(org.id, quarter)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn assessment_closing(
        &self,
        org_id: i64,
        quarter: Quarter,
    ) -> Result<Option<AssessmentClosing>> {
        Ok(sqlx::query_as(
            "SELECT id, org_id, year, quarter, as_of, results, sha256, closed_by, closed_at \
             FROM assessment_closings WHERE org_id = $1 AND year = $2 AND quarter = $3",
        )
        .bind(org_id)
        .bind(i64::from(quarter.year))
        .bind(i64::from(quarter.quarter))
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The units of `kind` at or under `path`, by name: the subjects a
    /// unit assesses (zones of a city, departments of a zone).
    pub async fn assessment_units(
        &self,
        path: &OrgPath,
        kind: OrgKind,
    ) -> Result<Vec<(i64, String)>> {
        let mut q = Sql::new("SELECT o.id, o.name FROM org_units o WHERE o.kind = ");
        q.bind(kind.code())
            .push(" AND ")
            .scope(&Visibility::Subtree(path.clone()), "o.path", None)
            .push(" ORDER BY o.name, o.id");
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }
}
