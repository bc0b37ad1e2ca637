//! Monthly completed investment (当月完成), corrections at their version.

use super::*;

impl Store {
    // ---- monthly investment ----

    /// A project's reported months, if the caller sees the project.
    pub async fn investments(
        &self,
        visibility: &Visibility,
        project_id: i64,
    ) -> Result<Vec<MonthlyInvestment>> {
        Ok(of_visible_project(
            "t.id, t.project_id, t.year, t.month, t.amount, t.note, t.version",
            "project_investments",
            visibility,
            project_id,
            "t.year, t.month",
        )
        .query_as::<MonthlyInvestment>()
        .fetch_all(&self.pool)
        .await?)
    }

    /// The months as the domain's arithmetic takes them.
    pub fn month_amounts(rows: &[MonthlyInvestment]) -> Vec<MonthAmount> {
        rows.iter()
            .map(|r| MonthAmount {
                year: r.year as i32,
                month: r.month as u32,
                amount: r.amount,
            })
            .collect()
    }

    /// Reports one month's completed investment (当月完成), or corrects it at
    /// `expected_version`.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_investment(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        project: &Project,
        (year, month): (i32, u32),
        amount: Money,
        note: Option<&str>,
        expected_version: Option<i64>,
        ctx: &RagContext<'_>,
    ) -> Result<MonthlyInvestment> {
        within(proof, &project.zone_org_path())?;
        let mut tx = self.begin_write().await?;
        let after = write_month(
            &mut tx,
            actor,
            project,
            (year, month),
            (amount, note),
            expected_version,
        )
        .await?;
        refresh_rag(&mut tx, project.id, ctx).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Writes one month (new, or the one at `expected_version`) and its audit
/// entry inside the caller's transaction, the project locked first.
pub(crate) async fn write_month(
    conn: &mut AnyConnection,
    actor: &Actor,
    project: &Project,
    (year, month): (i32, u32),
    (amount, note): (Money, Option<&str>),
    expected_version: Option<i64>,
) -> Result<MonthlyInvestment> {
    lock(&mut *conn, "projects", project.id).await?;
    let select =
        "SELECT id, project_id, year, month, amount, note, version FROM project_investments";
    let before: Option<MonthlyInvestment> = sqlx::query_as(&format!(
        "{select} WHERE project_id = $1 AND year = $2 AND month = $3"
    ))
    .bind(project.id)
    .bind(i64::from(year))
    .bind(i64::from(month))
    .fetch_optional(&mut *conn)
    .await?;
    let id = match (&before, expected_version) {
        (Some(row), Some(version)) => {
            one_row(sqlx::query(
                "UPDATE project_investments SET amount = $1, note = $2, version = version + 1, recorded_at = $5 \
                 WHERE id = $3 AND version = $4",
            )
            .bind(amount.yuan())
            .bind(note)
            .bind(row.id)
            .bind(version)
            .bind(now_ms())
            .execute(&mut *conn)
            .await?)?;
            row.id
        }
        (Some(_), None) => {
            return Err(StoreError::Invalid(FieldErrors::single(
                "month",
                "error.investment.taken",
            )))
        }
        (None, _) => sqlx::query_scalar(
            "INSERT INTO project_investments (zone_id, project_id, year, month, amount, note, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(project.zone_id)
        .bind(project.id)
        .bind(i64::from(year))
        .bind(i64::from(month))
        .bind(amount.yuan())
        .bind(note)
        .bind(now_ms())
        .fetch_one(&mut *conn)
        .await?,
    };
    let after: MonthlyInvestment = sqlx::query_as(&format!("{select} WHERE id = $1"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let action = if before.is_some() {
        AuditAction::Update
    } else {
        AuditAction::Create
    };
    record_part(
        &mut *conn,
        actor,
        project,
        ("project_investment", id),
        action,
        before.as_ref(),
        Some(&after),
    )
    .await?;
    Ok(after)
}
