//! Blockers (困难问题): raised, assigned, resolved, every state kept.

use super::*;

impl Store {
    // ---- blockers ----

    pub async fn blockers(
        &self,
        visibility: &Visibility,
        project_id: Option<i64>,
        department_id: Option<i64>,
        open_only: bool,
    ) -> Result<Vec<Blocker>> {
        let mut sql = Sql::new(
            "SELECT b.id, b.zone_id, b.project_id, p.name AS project_name, b.factor, b.description, b.raised_on, \
             b.department_id, d.name AS department_name, b.deadline, b.status, b.resolution, b.resolved_on, b.version \
             FROM blockers b JOIN projects p ON p.id = b.project_id JOIN org_units z ON z.id = b.zone_id \
             LEFT JOIN org_units d ON d.id = b.department_id WHERE ",
        );
        sql.scope(visibility, "z.path", Some("p.enterprise_id"));
        if let Some(id) = project_id {
            sql.push(" AND b.project_id = ").bind(id);
        }
        if let Some(id) = department_id {
            sql.push(" AND b.department_id = ").bind(id);
        }
        if open_only {
            sql.push(" AND b.status <> 'resolved'");
        }
        sql.push(" ORDER BY CASE WHEN b.status = 'resolved' THEN 1 ELSE 0 END, b.deadline, b.id LIMIT 1000");
        Ok(sql.query_as::<Blocker>().fetch_all(&self.pool).await?)
    }

    /// Open blockers of the projects a liaison leader looks after.
    pub async fn blockers_of_liaison(
        &self,
        visibility: &Visibility,
        user_id: i64,
    ) -> Result<Vec<Blocker>> {
        let mut sql = Sql::new(
            "SELECT b.id, b.zone_id, b.project_id, p.name AS project_name, b.factor, b.description, b.raised_on, \
             b.department_id, d.name AS department_name, b.deadline, b.status, b.resolution, b.resolved_on, b.version \
             FROM blockers b JOIN projects p ON p.id = b.project_id JOIN org_units z ON z.id = b.zone_id \
             LEFT JOIN org_units d ON d.id = b.department_id WHERE b.status <> 'resolved' AND p.liaison_user_id = ",
        );
        sql.bind(user_id)
            .push(" AND ")
            .scope(visibility, "z.path", Some("p.enterprise_id"));
        sql.push(" ORDER BY b.deadline, b.id LIMIT 1000");
        Ok(sql.query_as::<Blocker>().fetch_all(&self.pool).await?)
    }

    pub async fn blocker(&self, visibility: &Visibility, id: i64) -> Result<Blocker> {
        let mut sql = Sql::new(
            "SELECT b.id, b.zone_id, b.project_id, p.name AS project_name, b.factor, b.description, b.raised_on, \
             b.department_id, d.name AS department_name, b.deadline, b.status, b.resolution, b.resolved_on, b.version \
             FROM blockers b JOIN projects p ON p.id = b.project_id JOIN org_units z ON z.id = b.zone_id \
             LEFT JOIN org_units d ON d.id = b.department_id WHERE b.id = ",
        );
        sql.bind(id)
            .push(" AND ")
            .scope(visibility, "z.path", Some("p.enterprise_id"));
        sql.query_as::<Blocker>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Creates a blocker (`id` none) or updates one at `expected_version`.
    pub async fn save_blocker(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        project: &Project,
        id: Option<(i64, i64)>,
        input: &BlockerInput,
        ctx: &RagContext<'_>,
    ) -> Result<Blocker> {
        within(proof, &project.zone_org_path())?;
        let mut tx = self.begin_write().await?;
        lock(&mut tx, "projects", project.id).await?;
        if let Some(department) = input.department_id {
            let zone: Option<Option<i64>> = sqlx::query_scalar(
                "SELECT zone_id FROM org_units WHERE id = $1 AND kind = 'department'",
            )
            .bind(department)
            .fetch_optional(&mut *tx)
            .await?;
            if zone.flatten() != Some(project.zone_id) {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "department_id",
                    "error.project.department",
                )));
            }
        }
        let now = now_ms();
        let values = (
            input.factor.code(),
            input.description.clone(),
            input.raised_on.to_string(),
            input.department_id,
            date_text(input.deadline),
            input.status.code(),
            input.resolution.clone(),
            date_text(input.resolved_on),
        );
        let select = "SELECT b.id, b.zone_id, b.project_id, p.name AS project_name, b.factor, b.description, b.raised_on, \
             b.department_id, d.name AS department_name, b.deadline, b.status, b.resolution, b.resolved_on, b.version \
             FROM blockers b JOIN projects p ON p.id = b.project_id LEFT JOIN org_units d ON d.id = b.department_id \
             WHERE b.id = $1";
        let (blocker_id, before) = match id {
            Some((blocker_id, version)) => {
                let before: Blocker = sqlx::query_as(select)
                    .bind(blocker_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                if before.project_id != project.id {
                    return Err(StoreError::NotFound);
                }
                one_row(sqlx::query(
                    "UPDATE blockers SET factor = $1, description = $2, raised_on = $3, department_id = $4, deadline = $5, \
                     status = $6, resolution = $7, resolved_on = $8, version = version + 1, updated_at = $9 \
                     WHERE id = $10 AND version = $11",
                )
                .bind(values.0)
                .bind(&values.1)
                .bind(&values.2)
                .bind(values.3)
                .bind(&values.4)
                .bind(values.5)
                .bind(&values.6)
                .bind(&values.7)
                .bind(now)
                .bind(blocker_id)
                .bind(version)
                .execute(&mut *tx)
                .await?)?;
                (blocker_id, Some(before))
            }
            None => {
                let new_id: i64 = sqlx::query_scalar(
                    "INSERT INTO blockers (zone_id, project_id, factor, description, raised_on, department_id, deadline, status, \
                     resolution, resolved_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
                     RETURNING id",
                )
                .bind(project.zone_id)
                .bind(project.id)
                .bind(values.0)
                .bind(&values.1)
                .bind(&values.2)
                .bind(values.3)
                .bind(&values.4)
                .bind(values.5)
                .bind(&values.6)
                .bind(&values.7)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                (new_id, None)
            }
        };
        let after: Blocker = sqlx::query_as(select)
            .bind(blocker_id)
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
            ("blocker", blocker_id),
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
