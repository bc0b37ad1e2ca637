//! Annual plans (年度计划投资 and target dates), every value kept in history.

use super::*;

impl Store {
    // ---- annual plans ----

    /// A project's annual plans, if the caller sees the project.
    pub async fn plans(&self, visibility: &Visibility, project_id: i64) -> Result<Vec<AnnualPlan>> {
        Ok(of_visible_project(
            "t.id, t.project_id, t.year, t.planned_investment, t.target_start, t.target_completion, \
             t.target_production, t.version",
            "project_plans",
            visibility,
            project_id,
            "t.year",
        )
        .query_as::<AnnualPlan>()
        .fetch_all(&self.pool)
        .await?)
    }

    /// A project's opening cumulative (开工以来累计 before its first months), if
    /// the caller sees the project and a ledger stated one.
    pub async fn opening(
        &self,
        visibility: &Visibility,
        project_id: i64,
    ) -> Result<Option<OpeningCumulative>> {
        Ok(of_visible_project(
            "t.project_id, t.amount, t.as_of, t.note",
            "project_openings",
            visibility,
            project_id,
            "t.id",
        )
        .query_as::<OpeningCumulative>()
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Sets the plan of one year (creating it, or updating it at `expected_version`).
    #[allow(clippy::too_many_arguments)]
    pub async fn set_plan(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        project: &Project,
        year: i32,
        planned: Money,
        targets: [Option<NaiveDate>; 3],
        expected_version: Option<i64>,
        ctx: &RagContext<'_>,
    ) -> Result<AnnualPlan> {
        within(proof, &project.zone_org_path())?;
        let mut tx = self.begin_write().await?;
        lock(&mut tx, "projects", project.id).await?;
        let before: Option<AnnualPlan> = sqlx::query_as(
            "SELECT id, project_id, year, planned_investment, target_start, target_completion, target_production, version \
             FROM project_plans WHERE project_id = $1 AND year = $2",
        )
        .bind(project.id)
        .bind(i64::from(year))
        .fetch_optional(&mut *tx)
        .await?;
        let [start, completion, production] = targets.map(date_text);
        let id = match (&before, expected_version) {
            (Some(plan), Some(version)) => {
                one_row(sqlx::query(
                    "UPDATE project_plans SET planned_investment = $1, target_start = $2, target_completion = $3, \
                     target_production = $4, version = version + 1, recorded_at = $7 WHERE id = $5 AND version = $6",
                )
                .bind(planned.yuan())
                .bind(&start)
                .bind(&completion)
                .bind(&production)
                .bind(plan.id)
                .bind(version)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?)?;
                plan.id
            }
            (Some(_), None) => return Err(StoreError::Invalid(FieldErrors::single("year", "error.plan.taken"))),
            (None, _) => sqlx::query_scalar(
                "INSERT INTO project_plans (zone_id, project_id, year, planned_investment, target_start, target_completion, \
                 target_production, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(project.zone_id)
            .bind(project.id)
            .bind(i64::from(year))
            .bind(planned.yuan())
            .bind(&start)
            .bind(&completion)
            .bind(&production)
            .bind(now_ms())
            .fetch_one(&mut *tx)
            .await?,
        };
        let after: AnnualPlan = sqlx::query_as(
            "SELECT id, project_id, year, planned_investment, target_start, target_completion, target_production, version \
             FROM project_plans WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let action = if before.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        };
        record_part(
            &mut tx,
            actor,
            project,
            ("project_plan", id),
            action,
            before.as_ref(),
            Some(&after),
        )
        .await?;
        refresh_rag(&mut tx, project.id, ctx).await?;
        tx.commit().await?;
        Ok(after)
    }
}
