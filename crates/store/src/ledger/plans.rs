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
        let after = write_plan(
            &mut tx,
            actor,
            project,
            (year, planned, Some(targets)),
            expected_version,
        )
        .await?;
        refresh_rag(&mut tx, project.id, ctx).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The plan sheet of a zone the caller writes to for `year`: every
    /// project but cancelled ones, with last year's plan and completion and
    /// this year's plan if set, in the ledger's order.
    pub async fn plan_sheet(
        &self,
        proof: &ZoneWrite,
        (zone_id, zone_path): (i64, &OrgPath),
        year: i32,
        filter: &MonthSheetFilter,
    ) -> Result<Vec<PlanLine>> {
        within(proof, zone_path)?;
        let (year, last) = (i64::from(year), i64::from(year) - 1);
        let mut sql = Sql::new(
            "SELECT p.id, p.name, p.stage, p.total_investment, d.name AS department_name, \
             u.display_name AS liaison_name, lp.planned_investment AS last_planned, \
             CAST(COALESCE((SELECT SUM(i.amount) FROM project_investments i \
               WHERE i.project_id = p.id AND i.year = ",
        );
        sql.bind(last)
            .push(
                "), 0) AS BIGINT) AS last_done, \
             t.id AS t_id, t.project_id AS t_project_id, t.year AS t_year, t.planned_investment AS t_planned, \
             t.target_start AS t_start, t.target_completion AS t_completion, t.target_production AS t_production, \
             t.version AS t_version \
             FROM projects p \
             LEFT JOIN org_units d ON d.id = p.department_id \
             LEFT JOIN users u ON u.id = p.liaison_user_id \
             LEFT JOIN project_plans lp ON lp.project_id = p.id AND lp.year = ",
            )
            .bind(last)
            .push(" LEFT JOIN project_plans t ON t.project_id = p.id AND t.year = ")
            .bind(year)
            .push(" WHERE p.zone_id = ")
            .bind(zone_id)
            .push(" AND p.stage <> 'cancelled'");
        if let Some(id) = filter.department_id {
            sql.push(" AND p.department_id = ").bind(id);
        }
        if let Some(id) = filter.liaison_user_id {
            sql.push(" AND p.liaison_user_id = ").bind(id);
        }
        sql.push(" ORDER BY p.id");
        Ok(sql.query_as::<PlanLine>().fetch_all(&self.pool).await?)
    }

    /// Writes the plans of several projects of one zone for `year` in one
    /// transaction, keeping each plan's target dates: each plan audited, each
    /// project's status refreshed; a refusal or a version moved by someone
    /// else writes none of them (the field is named `planned_<project id>`).
    pub async fn set_plans(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        year: i32,
        entries: &[(Project, Money, Option<i64>)],
        ctx: &RagContext<'_>,
    ) -> Result<Vec<AnnualPlan>> {
        for (project, _, _) in entries {
            within(proof, &project.zone_org_path())?;
        }
        let mut tx = self.begin_write().await?;
        let mut written = Vec::with_capacity(entries.len());
        for (project, planned, version) in entries {
            let plan = write_plan(&mut tx, actor, project, (year, *planned, None), *version)
                .await
                .map_err(|e| match e {
                    StoreError::Invalid(errors) => StoreError::Invalid(FieldErrors(
                        errors
                            .0
                            .into_iter()
                            .map(|mut f| {
                                f.field = format!("planned_{}", project.id);
                                f
                            })
                            .collect(),
                    )),
                    other => other,
                })?;
            written.push(plan);
        }
        let ids: Vec<i64> = entries.iter().map(|(p, _, _)| p.id).collect();
        for chunk in ids.chunks(300) {
            refresh_rags(&mut tx, chunk, ctx.today, &|_| ctx.rules, ctx.working_days).await?;
        }
        tx.commit().await?;
        Ok(written)
    }
}

/// Creates or updates one year's plan of a project (`targets`: none keeps
/// the held target dates) and records it, in the caller's transaction.
async fn write_plan(
    conn: &mut AnyConnection,
    actor: &Actor,
    project: &Project,
    (year, planned, targets): (i32, Money, Option<[Option<NaiveDate>; 3]>),
    expected_version: Option<i64>,
) -> Result<AnnualPlan> {
    lock(&mut *conn, "projects", project.id).await?;
    let before: Option<AnnualPlan> = sqlx::query_as(
            "SELECT id, project_id, year, planned_investment, target_start, target_completion, target_production, version \
             FROM project_plans WHERE project_id = $1 AND year = $2",
        )
        .bind(project.id)
        .bind(i64::from(year))
        .fetch_optional(&mut *conn)
        .await?;
    // None keeps the plan's target dates (a batch sets the amount only).
    let targets = targets.unwrap_or_else(|| {
        before.as_ref().map_or([None; 3], |p| {
            [p.target_start, p.target_completion, p.target_production]
        })
    });
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
                .execute(&mut *conn)
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
            .fetch_one(&mut *conn)
            .await?,
        };
    let after: AnnualPlan = sqlx::query_as(
            "SELECT id, project_id, year, planned_investment, target_start, target_completion, target_production, version \
             FROM project_plans WHERE id = $1",
        )
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
        ("project_plan", id),
        action,
        before.as_ref(),
        Some(&after),
    )
    .await?;
    Ok(after)
}
