//! 月通报 once issued: the figures and the Word file as sent out, with the
//! file's SHA-256, frozen. One issue per unit and month; what was issued is
//! served back byte for byte.

use base64::Engine;
use kfq_domain::audit::AuditAction;
use kfq_domain::{OrgPath, UnitWrite};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::{now_ms, unit_within, Store};

/// An issued bulletin, without its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedReport {
    pub id: i64,
    pub org_id: i64,
    pub year: i64,
    pub month: i64,
    /// The cut-off the figures were read at (Unix ms).
    pub as_of: i64,
    /// The figures as JSON, as issued.
    pub figures: String,
    /// SHA-256 of the Word file, hex.
    pub sha256: String,
    pub issued_by: String,
    pub issued_at: i64,
    /// 导语, 下步工作, 主送 and 抄送 as typed when it was issued; none for
    /// the reports issued before they were kept.
    pub lead: Option<String>,
    pub next_steps: Option<String>,
    pub addressee: Option<String>,
    pub copy_to: Option<String>,
}

/// What is issued: the unit, the month, the cut-off, the figures and the file.
pub struct ReportIssue<'a> {
    pub org_id: i64,
    pub org_path: &'a OrgPath,
    pub zone_id: Option<i64>,
    pub year: i32,
    pub month: u32,
    pub as_of: i64,
    pub figures: &'a str,
    pub docx: &'a [u8],
    /// The words typed before issuing, as the file holds them.
    pub lead: &'a str,
    pub next_steps: &'a str,
    pub addressee: &'a str,
    pub copy_to: &'a str,
}

const COLUMNS: &str = "id, org_id, year, month, as_of, figures, sha256, issued_by, issued_at, \
                       lead, next_steps, addressee, copy_to";

impl Store {
    /// Freezes a bulletin of a unit `proof` covers. A month already issued
    /// for the unit is refused.
    pub async fn issue_monthly_report(
        &self,
        actor: &Actor,
        proof: &UnitWrite,
        issue: &ReportIssue<'_>,
    ) -> Result<IssuedReport> {
        let sha256 = hex::encode(Sha256::digest(issue.docx));
        let content = base64::engine::general_purpose::STANDARD.encode(issue.docx);
        let mut tx = self.begin_write().await?;
        unit_within(&mut tx, issue.org_id, |path| proof.covers(path)).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO monthly_reports (org_id, year, month, as_of, figures, docx, sha256, issued_by, issued_at, \
             lead, next_steps, addressee, copy_to) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(issue.org_id)
        .bind(i64::from(issue.year))
        .bind(i64::from(issue.month))
        .bind(issue.as_of)
        .bind(issue.figures)
        .bind(&content)
        .bind(&sha256)
        .bind(&actor.name)
        .bind(now_ms())
        .bind(issue.lead)
        .bind(issue.next_steps)
        .bind(issue.addressee)
        .bind(issue.copy_to)
        .fetch_one(&mut *tx)
        .await
        ?;
        let issued: IssuedReport = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM monthly_reports WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                // The entity name of records already chained: it stays as it was.
                entity: "issued_bulletin",
                entity_id: id,
                zone_id: issue.zone_id,
                scope_path: issue.org_path,
                before: None,
                after: Some(&issued),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// The bulletin issued by a unit for a month, if any.
    pub async fn issued_report(
        &self,
        org_id: i64,
        year: i32,
        month: u32,
    ) -> Result<Option<IssuedReport>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM monthly_reports WHERE org_id = $1 AND year = $2 AND month = $3"
        ))
        .bind(org_id)
        .bind(i64::from(year))
        .bind(i64::from(month))
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The Word file of an issued bulletin, as issued.
    pub async fn issued_report_file(&self, id: i64) -> Result<Vec<u8>> {
        let content: String = sqlx::query_scalar("SELECT docx FROM monthly_reports WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        base64::engine::general_purpose::STANDARD
            .decode(content)
            .map_err(|_| StoreError::NotFound)
    }

    /// The name of the unit directly above `org_id` (none at the root), the
    /// 抄送 a report proposes. Read whatever the caller's scope: the unit a
    /// report goes up to is named on the report itself.
    pub async fn superior_name(&self, org_id: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT p.name FROM org_units o JOIN org_units p ON p.id = o.parent_id WHERE o.id = $1",
        )
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The months a unit has issued, newest first.
    pub async fn issued_reports(&self, org_id: i64) -> Result<Vec<IssuedReport>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM monthly_reports WHERE org_id = $1 ORDER BY year DESC, month DESC"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
