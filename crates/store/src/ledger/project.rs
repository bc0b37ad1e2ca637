//! A project: reading it, checking its references, its status (red/yellow/
//! green, cached and refreshed on every change), its audit records, and
//! creating, editing, deleting it and moving its stage.

use super::*;
use crate::sql::in_list;

pub(crate) const COLUMNS: &str = "p.id, p.zone_id, z.name AS zone_name, z.path AS zone_path, p.name, p.enterprise_id, \
     e.name AS enterprise_name, p.investor, p.category, p.nature, p.industry_chain_id, ic.name AS industry_chain, \
     p.stage, p.furthest_stage, p.stage_since, p.total_investment, p.land_mu_hundredths, p.floor_area_m2, \
     p.construction_content, p.annual_output, p.annual_tax, p.jobs, p.registered, p.registered_on, \
     p.liaison_user_id, lu.display_name AS liaison_name, p.department_id, d.name AS department_name, p.task_force, \
     p.project_code, p.rag, p.rag_reasons, p.version, p.created_at, p.updated_at";

pub(crate) const FROM: &str = "projects p JOIN org_units z ON z.id = p.zone_id \
     LEFT JOIN enterprises e ON e.id = p.enterprise_id \
     LEFT JOIN industry_chains ic ON ic.id = p.industry_chain_id \
     LEFT JOIN users lu ON lu.id = p.liaison_user_id \
     LEFT JOIN org_units d ON d.id = p.department_id";

/// The rows of `table` (alias `t`) that belong to project `project_id`, if
/// the caller sees the project: `columns` name `t.` columns.
pub(crate) fn of_visible_project(
    columns: &str,
    table: &str,
    visibility: &Visibility,
    project_id: i64,
    order: &str,
) -> Sql {
    let mut sql = Sql::new(&format!(
        "SELECT {columns} FROM {table} t JOIN projects p ON p.id = t.project_id \
         JOIN org_units z ON z.id = p.zone_id WHERE "
    ));
    sql.scope(visibility, "z.path", Some("p.enterprise_id"));
    sql.push(" AND t.project_id = ")
        .bind(project_id)
        .push(&format!(" ORDER BY {order}"));
    sql
}

/// A write outside what its proof allows: to the writer, the row is not there.
pub(crate) fn within(proof: &ZoneWrite, zone_path: &OrgPath) -> Result<()> {
    if proof.covers(zone_path) {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// The path of the unit `id` (a zone, or a city an import goes into).
pub(crate) async fn zone_path(conn: &mut AnyConnection, id: i64) -> Result<OrgPath> {
    let path: String = sqlx::query_scalar("SELECT path FROM org_units WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    OrgPath::parse(&path).map_err(|_| StoreError::NotFound)
}

pub(crate) async fn fetch_unscoped(conn: &mut AnyConnection, id: i64) -> Result<Project> {
    sqlx::query_as::<_, Project>(&format!("SELECT {COLUMNS} FROM {FROM} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Every project of a zone, for an import to match rows against.
pub(crate) async fn projects_of_zone(
    conn: &mut AnyConnection,
    zone_id: i64,
) -> Result<Vec<Project>> {
    Ok(sqlx::query_as::<_, Project>(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE p.zone_id = $1 ORDER BY p.id"
    ))
    .bind(zone_id)
    .fetch_all(conn)
    .await?)
}

/// The references of a project must belong to its zone.
pub(crate) async fn check_references(conn: &mut AnyConnection, input: &ProjectInput) -> Result<()> {
    let mut errors = FieldErrors::new();
    let checks: [(&str, Option<i64>, &str, &'static str); 4] = [
        (
            "enterprise_id",
            input.enterprise_id,
            "SELECT zone_id FROM enterprises WHERE id = $1",
            "error.project.enterprise",
        ),
        (
            "department_id",
            input.department_id,
            "SELECT zone_id FROM org_units WHERE id = $1 AND kind = 'department'",
            "error.project.department",
        ),
        (
            "liaison_user_id",
            input.liaison_user_id,
            "SELECT zone_id FROM users WHERE id = $1",
            "error.project.liaison",
        ),
        (
            "industry_chain_id",
            input.industry_chain_id,
            "SELECT zone_id FROM industry_chains WHERE id = $1",
            "error.project.chain",
        ),
    ];
    for (field, id, sql, key) in checks {
        if let Some(id) = id {
            let zone: Option<Option<i64>> = sqlx::query_scalar(sql)
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            if zone.flatten() != Some(input.zone_id) {
                errors.add(field, key);
            }
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

pub(crate) fn bind_input<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    input: &'q ProjectInput,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    FIELDS
        .iter()
        .fold(query, |query, f| match input.stored(f.key) {
            Stored::Int(v) => query.bind(v),
            Stored::Text(v) => query.bind(v),
        })
}

/// The editable columns, in the order [`bind_input`] binds them ($1…).
pub(crate) fn input_columns() -> String {
    FIELDS
        .iter()
        .map(|f| f.column)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$1, …` for the editable columns.
pub(crate) fn input_placeholders() -> String {
    (1..=FIELDS.len())
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `column = $1, …` for the editable columns.
pub(crate) fn input_assignments() -> String {
    FIELDS
        .iter()
        .enumerate()
        .map(|(n, f)| format!("{} = ${}", f.column, n + 1))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The placeholder of the `k`-th value bound after the editable columns.
pub(crate) fn after_input(k: usize) -> String {
    format!("${}", FIELDS.len() + k)
}

/// What refreshing a project's status needs from outside storage.
pub struct RagContext<'a> {
    pub today: NaiveDate,
    pub rules: RagRules,
    /// Working days from the first date to the second (the calendar's count).
    pub working_days: &'a (dyn Fn(NaiveDate, NaiveDate) -> i64 + Send + Sync),
}

/// Recomputes and stores one project's status, inside the caller's transaction.
pub(crate) async fn refresh_rag(
    conn: &mut AnyConnection,
    project_id: i64,
    ctx: &RagContext<'_>,
) -> Result<()> {
    refresh_rags(
        conn,
        &[project_id],
        ctx.today,
        &|_| ctx.rules,
        ctx.working_days,
    )
    .await
}

/// Recomputes and stores the status of `ids` (a few hundred at most) in a
/// fixed number of statements: the facts of all of them are read together,
/// judged by [`judge`], and written back one statement per distinct outcome.
pub(crate) async fn refresh_rags(
    conn: &mut AnyConnection,
    ids: &[i64],
    today: NaiveDate,
    rules_of: &(dyn Fn(i64) -> RagRules + Send + Sync),
    working_days: &(dyn Fn(NaiveDate, NaiveDate) -> i64 + Send + Sync),
) -> Result<()> {
    use chrono::Datelike;
    use std::collections::{BTreeMap, HashMap};
    if ids.is_empty() {
        return Ok(());
    }
    let today_text = today.to_string();
    let projects = in_list("project_id", ids);
    let oldest_open: HashMap<i64, Option<String>> = sqlx::query_as(&format!(
        "SELECT project_id, MIN(planned_on) FROM project_milestones WHERE {projects} \
         AND actual_on IS NULL AND planned_on < $1 GROUP BY project_id"
    ))
    .bind(&today_text)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut deadlines: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for (project, deadline) in sqlx::query_as::<_, (i64, String)>(&format!(
        "SELECT project_id, deadline FROM blockers WHERE {projects} \
         AND status <> 'resolved' AND deadline IS NOT NULL"
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        deadlines
            .entry(project)
            .or_default()
            .extend(parse_date(&deadline));
    }
    let (year, month) = (today.year(), today.month());
    let plans: HashMap<i64, i64> = sqlx::query_as(&format!(
        "SELECT project_id, planned_investment FROM project_plans WHERE {projects} AND year = $1"
    ))
    .bind(i64::from(year))
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    // Months are reported after they end: judge against the last full month
    // (none in January: last year's plan is closed).
    let done: HashMap<i64, Option<i64>> = if month > 1 {
        sqlx::query_as(&format!(
            "SELECT project_id, CAST(SUM(amount) AS BIGINT) FROM project_investments WHERE {projects} \
             AND year = $1 AND month <= $2 GROUP BY project_id"
        ))
        .bind(i64::from(year))
        .bind(i64::from(month - 1))
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect()
    } else {
        HashMap::new()
    };
    let stages: Vec<(i64, i64, String)> = sqlx::query_as(&format!(
        "SELECT id, zone_id, stage FROM projects WHERE {}",
        in_list("id", ids)
    ))
    .fetch_all(&mut *conn)
    .await?;

    // Projects grouped by what is written: most share "green, no reasons".
    let mut outcomes: BTreeMap<(&'static str, String), Vec<i64>> = BTreeMap::new();
    for (id, zone_id, stage) in stages {
        let rules = rules_of(zone_id);
        let mut input = RagInput {
            milestone_overdue_days: oldest_open
                .get(&id)
                .and_then(|d| d.as_deref())
                .and_then(parse_date)
                .map(|planned| working_days(planned, today).max(0))
                .unwrap_or(0),
            ..RagInput::default()
        };
        for &deadline in deadlines.get(&id).into_iter().flatten() {
            if deadline < today {
                input.overdue_blockers += 1;
            } else if working_days(today, deadline) <= rules.blocker_due_days {
                input.blockers_due_soon += 1;
            }
        }
        if month > 1 {
            input.investment_gap_tenths = plans.get(&id).and_then(|plan| {
                gap_to_elapsed_tenths(
                    Money::from_yuan(done.get(&id).copied().flatten().unwrap_or(0)),
                    Money::from_yuan(*plan),
                    month - 1,
                )
            });
        }
        // A cancelled project has no status; the column keeps it green, without reasons.
        let (rag, reasons) = Stage::from_code(&stage)
            .and_then(|stage| judge(stage, &rules, &input))
            .unwrap_or((kfq_domain::Rag::Green, vec![]));
        outcomes
            .entry((rag.code(), serde_json::to_string(&reasons)?))
            .or_default()
            .push(id);
    }
    for ((rag, reasons), ids) in outcomes {
        sqlx::query(&format!(
            "UPDATE projects SET rag_since = CASE WHEN rag = $1 AND rag_since IS NOT NULL THEN rag_since ELSE $3 END, \
             rag = $1, rag_reasons = $2, rag_on = $3 WHERE {}",
            in_list("id", &ids)
        ))
        .bind(rag)
        .bind(&reasons)
        .bind(&today_text)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Records an audited change of the project and refreshes its status.
pub(crate) async fn finish(
    conn: &mut AnyConnection,
    actor: &Actor,
    ctx: &RagContext<'_>,
    action: AuditAction,
    before: Option<&Project>,
    project_id: i64,
) -> Result<Project> {
    refresh_rag(conn, project_id, ctx).await?;
    let after = fetch_unscoped(conn, project_id).await?;
    record(
        conn,
        actor,
        Change {
            action,
            entity: "project",
            entity_id: project_id,
            zone_id: Some(after.zone_id),
            scope_path: &after.zone_org_path(),
            before,
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// Records a change of something that belongs to a project (plan, month, blocker…).
pub(crate) async fn record_part<T: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    project: &Project,
    (entity, id): (&'static str, i64),
    action: AuditAction,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    record(
        conn,
        actor,
        Change {
            action,
            entity,
            entity_id: id,
            zone_id: Some(project.zone_id),
            scope_path: &project.zone_org_path(),
            before,
            after,
        },
    )
    .await
}

/// Creates a project inside the caller's transaction.
pub(crate) async fn create_in(
    conn: &mut AnyConnection,
    actor: &Actor,
    proof: &ZoneWrite,
    input: &ProjectInput,
    stage: Stage,
    ctx: &RagContext<'_>,
) -> Result<Project> {
    check_references(&mut *conn, input).await?;
    within(proof, &zone_path(&mut *conn, input.zone_id).await?)?;
    let now = now_ms();
    let sql = format!(
        "INSERT INTO projects ({}, stage, furthest_stage, created_at, updated_at) \
         VALUES ({}, {stage}, {furthest}, {now}, {now}) RETURNING id",
        input_columns(),
        input_placeholders(),
        stage = after_input(1),
        furthest = after_input(2),
        now = after_input(3),
    );
    let furthest = if stage.rank().is_some() {
        stage
    } else {
        Stage::Planning
    };
    let id: i64 = bind_input(sqlx::query(&sql), input)
        .bind(stage.code())
        .bind(furthest.code())
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    finish(conn, actor, ctx, AuditAction::Create, None, id).await
}

/// Saves a project's fields at `expected_version`, inside the caller's transaction.
pub(crate) async fn update_in(
    conn: &mut AnyConnection,
    actor: &Actor,
    proof: &ZoneWrite,
    (id, expected_version): (i64, i64),
    input: &ProjectInput,
    ctx: &RagContext<'_>,
) -> Result<Project> {
    let before = fetch_unscoped(&mut *conn, id).await?;
    check_references(&mut *conn, input).await?;
    within(proof, &before.zone_org_path())?;
    within(proof, &zone_path(&mut *conn, input.zone_id).await?)?;
    let sql = format!(
        "UPDATE projects SET {}, version = version + 1, updated_at = {} WHERE id = {} AND version = {}",
        input_assignments(),
        after_input(1),
        after_input(2),
        after_input(3),
    );
    one_row(
        bind_input(sqlx::query(&sql), input)
            .bind(now_ms())
            .bind(id)
            .bind(expected_version)
            .execute(&mut *conn)
            .await?,
    )?;
    finish(conn, actor, ctx, AuditAction::Update, Some(&before), id).await
}

/// Moves a project's stage inside the caller's transaction (see [`Store::change_stage`]).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn change_stage_in(
    conn: &mut AnyConnection,
    actor: &Actor,
    proof: &ZoneWrite,
    (id, expected_version): (i64, i64),
    (next, date): (Stage, NaiveDate),
    correction: Option<&str>,
    ctx: &RagContext<'_>,
) -> Result<Project> {
    claim(&mut *conn, "projects", id, expected_version).await?;
    let before = fetch_unscoped(&mut *conn, id).await?;
    within(proof, &before.zone_org_path())?;
    let rule = match correction {
        Some(reason) => check_correction(before.stage, next, reason),
        None => check_advance(before.stage, before.furthest_stage, next),
    };
    let last = before.stage_since;
    let mut errors = FieldErrors::new();
    if let Err(key) = rule {
        errors.add(
            if key == "error.stage.reason" {
                "reason"
            } else {
                "stage"
            },
            key,
        );
    }
    // A correction may put right a wrong date too, so only the future is refused.
    let date_rule = check_stage_date(
        date,
        if correction.is_some() { None } else { last },
        ctx.today,
    );
    if let Err(key) = date_rule {
        errors.add("date", key);
    }
    errors.into_result().map_err(StoreError::Invalid)?;
    let furthest = match (next.rank(), before.furthest_stage.rank(), correction) {
        (Some(n), _, Some(_)) => Stage::MAIN_LINE[n],
        (Some(n), Some(f), None) if n > f => next,
        _ => before.furthest_stage,
    };
    sqlx::query(
        "UPDATE projects SET stage = $1, furthest_stage = $2, stage_since = $3, version = version + 1, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(next.code())
    .bind(furthest.code())
    .bind(date.to_string())
    .bind(now_ms())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO project_stage_changes (zone_id, project_id, from_stage, to_stage, on_date, correction, reason, actor_name, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(before.zone_id)
    .bind(id)
    .bind(before.stage.code())
    .bind(next.code())
    .bind(date.to_string())
    .bind(i64::from(correction.is_some()))
    .bind(correction.map(str::trim))
    .bind(&actor.name)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    super::milestones::align_with_stage(
        &mut *conn,
        actor,
        &before,
        (next, furthest, date),
        correction.is_some(),
    )
    .await?;
    finish(conn, actor, ctx, AuditAction::Update, Some(&before), id).await
}

impl Store {
    pub async fn project(&self, visibility: &Visibility, id: i64) -> Result<Project> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE p.id = "));
        sql.bind(id)
            .push(" AND ")
            .scope(visibility, "z.path", Some("p.enterprise_id"));
        sql.query_as::<Project>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The projects of `ids` the caller may see, in id order, in one statement.
    pub async fn projects_by_id(
        &self,
        visibility: &Visibility,
        ids: &[i64],
    ) -> Result<Vec<Project>> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE "));
        sql.push(&in_list("p.id", ids))
            .push(" AND ")
            .scope(visibility, "z.path", Some("p.enterprise_id"))
            .push(" ORDER BY p.id");
        Ok(sql.query_as::<Project>().fetch_all(&self.pool).await?)
    }

    pub async fn create_project(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        input: &ProjectInput,
        stage: Stage,
        ctx: &RagContext<'_>,
    ) -> Result<Project> {
        let mut tx = self.begin_write().await?;
        let created = create_in(&mut tx, actor, proof, input, stage, ctx).await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn update_project(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        id: i64,
        expected_version: i64,
        input: &ProjectInput,
        ctx: &RagContext<'_>,
    ) -> Result<Project> {
        let mut tx = self.begin_write().await?;
        let after = update_in(&mut tx, actor, proof, (id, expected_version), input, ctx).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn delete_project(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        id: i64,
        expected_version: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        claim(&mut tx, "projects", id, expected_version).await?;
        let before = fetch_unscoped(&mut tx, id).await?;
        within(proof, &before.zone_org_path())?;
        for table in [
            "project_stage_changes",
            "project_plans",
            "project_openings",
            "project_investments",
            "project_milestones",
            "project_baselines",
            "blockers",
        ] {
            sqlx::query(&format!("DELETE FROM {table} WHERE project_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        delete_claimed(
            &mut tx,
            actor,
            ("projects", "project"),
            id,
            (Some(before.zone_id), &before.zone_org_path()),
            &before,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a project to `next` on `date`: forward only, unless this is a
    /// correction with a reason.
    #[allow(clippy::too_many_arguments)]
    pub async fn change_stage(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        id: i64,
        expected_version: i64,
        (next, date): (Stage, NaiveDate),
        correction: Option<&str>,
        ctx: &RagContext<'_>,
    ) -> Result<Project> {
        let mut tx = self.begin_write().await?;
        let after = change_stage_in(
            &mut tx,
            actor,
            proof,
            (id, expected_version),
            (next, date),
            correction,
            ctx,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A project's stage history, if the caller sees the project.
    pub async fn stage_changes(
        &self,
        visibility: &Visibility,
        project_id: i64,
    ) -> Result<Vec<StageChange>> {
        Ok(of_visible_project(
            "t.id, t.from_stage, t.to_stage, t.on_date, t.correction, t.reason, t.actor_name, t.at",
            "project_stage_changes",
            visibility,
            project_id,
            "t.on_date, t.id",
        )
        .query_as::<StageChange>()
        .fetch_all(&self.pool)
        .await?)
    }

    /// Projects of `year` (within the visibility) that were signed, started and
    /// put into production that same year (当年签约、当年开工、当年投产), with the
    /// day each stage was first reached that year; corrections do not count.
    /// One statement, however many projects match.
    pub async fn same_year_fast_path(
        &self,
        visibility: &Visibility,
        year: i32,
    ) -> Result<Vec<FastPathProject>> {
        let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
        let stages = [Stage::Signed, Stage::Started, Stage::Producing];
        let first_reached = |sql: &mut Sql, stage: Stage, what: &str| {
            sql.push(
                "(SELECT MIN(c.on_date) FROM project_stage_changes c \
                 WHERE c.project_id = p.id AND c.correction = 0 AND c.to_stage = ",
            )
            .bind(stage.code())
            .push(" AND c.on_date >= ")
            .bind(from.clone())
            .push(" AND c.on_date <= ")
            .bind(to.clone())
            .push(&format!("){what}"));
        };
        let mut sql = Sql::new("SELECT p.id, p.name, z.name AS zone_name, p.total_investment, ");
        for (stage, column) in
            stages
                .iter()
                .zip([" AS signed_on, ", " AS started_on, ", " AS producing_on"])
        {
            first_reached(&mut sql, *stage, column);
        }
        sql.push(" FROM projects p JOIN org_units z ON z.id = p.zone_id WHERE ");
        sql.scope(visibility, "z.path", Some("p.enterprise_id"));
        // An aggregate always yields a row, so the test is on its value.
        for stage in stages {
            sql.push(" AND ");
            first_reached(&mut sql, stage, " IS NOT NULL");
        }
        sql.push(" ORDER BY p.id");
        Ok(sql
            .query_as::<FastPathProject>()
            .fetch_all(&self.pool)
            .await?)
    }
}
