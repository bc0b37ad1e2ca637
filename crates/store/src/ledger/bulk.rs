//! Bulk import: many projects in one transaction, their months, plans, stage
//! changes, milestones and blockers written with multi-row INSERTs. A province's ledgers
//! (10,000 projects, half a million months) load in seconds this way instead of
//! one statement per row. The outcome is the same as importing the projects
//! one by one: one audited creation per project, statuses left for
//! [`Store::refresh_stale_rag`].

use std::collections::{HashMap, HashSet};

use kfq_domain::audit::AuditAction;
use kfq_domain::project_fields::{Stored, FIELDS};
use kfq_domain::Rag;
use sqlx::AnyConnection;

use crate::audit::{audit_rows, take_seqs, Actor, ChainHead, Change};
use crate::bulk_insert::{pipelined, Cell, Drawing, Feed, Rows};
use crate::error::{Result, StoreError};
use crate::ledger::{check_references, date_text, Project, ProjectRecord};
use crate::sql::{fresh_ids, in_list, is_sqlite, FRESH_IDS};
use crate::staged::Stage;
use crate::{now_ms, Backend, Store};

impl Store {
    /// Writes many projects and everything under them in one transaction: all
    /// or none. Returns their ids in the order given. Meant for batches of a
    /// few hundred projects (a zone's ledger); callers split larger loads.
    pub async fn import_projects(
        &self,
        actor: &Actor,
        projects: &[ProjectRecord],
    ) -> Result<Vec<i64>> {
        let stage = self.stage_for(projects.len()).await;
        let mut tx = self.begin_write().await?;
        let ids = insert_records(&mut tx, stage, actor, projects.to_vec()).await?;
        tx.commit().await?;
        Ok(ids)
    }
}

/// The rows of `projects` with their reserved `ids`.
fn project_rows(
    columns: &[&'static str],
    projects: &[ProjectRecord],
    ids: &[i64],
    now: i64,
) -> Rows {
    let mut rows = Rows::new("projects", columns);
    for (project, &id) in projects.iter().zip(ids) {
        let furthest = project.furthest_stage();
        let since = project.stage_changes.last().map(|(_, d)| d.to_string());
        let fields = FIELDS.iter().map(|f| match project.input.stored(f.key) {
            Stored::Int(v) => Cell::Int(v),
            Stored::Text(v) => Cell::Text(v),
        });
        rows.push_cells(std::iter::once(id.into()).chain(fields).chain([
            project.stage.code().into(),
            furthest.code().into(),
            since.into(),
            now.into(),
            now.into(),
        ]));
    }
    rows
}

/// The names new projects point to (zones, enterprises, chains, liaisons,
/// departments), read once for a whole load: with them the projects just
/// written are built as a read would give them, for their audit records,
/// instead of read back and decoded one by one (a third of a 100,000-project
/// import's time). `created_projects_are_audited_as_read` in the store's
/// tests holds the two equal.
struct Names {
    zones: HashMap<i64, (String, String)>,
    enterprises: HashMap<i64, String>,
    chains: HashMap<i64, String>,
    users: HashMap<i64, String>,
    departments: HashMap<i64, String>,
}

impl Names {
    async fn of(tx: &mut AnyConnection, projects: &[ProjectRecord]) -> Result<Names> {
        let ids = |pick: fn(&ProjectRecord) -> Option<i64>| {
            let mut ids: Vec<i64> = projects.iter().filter_map(pick).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let zones = ids(|p| Some(p.input.zone_id));
        let mut zone_names = HashMap::new();
        for (id, name, path) in sqlx::query_as::<_, (i64, String, String)>(&format!(
            "SELECT id, name, path FROM org_units WHERE {}",
            in_list("id", &zones)
        ))
        .fetch_all(&mut *tx)
        .await?
        {
            zone_names.insert(id, (name, path));
        }
        Ok(Names {
            zones: zone_names,
            enterprises: names(tx, "enterprises", "name", &ids(|p| p.input.enterprise_id)).await?,
            chains: names(
                tx,
                "industry_chains",
                "name",
                &ids(|p| p.input.industry_chain_id),
            )
            .await?,
            users: names(
                tx,
                "users",
                "display_name",
                &ids(|p| p.input.liaison_user_id),
            )
            .await?,
            departments: names(tx, "org_units", "name", &ids(|p| p.input.department_id)).await?,
        })
    }

    /// Project `id` as written from `record` at `now`.
    fn project(&self, id: i64, record: &ProjectRecord, now: i64) -> Project {
        let input = &record.input;
        let name = |names: &HashMap<i64, String>, id: Option<i64>| {
            id.and_then(|id| names.get(&id)).cloned()
        };
        let (zone_name, zone_path) = self.zones.get(&input.zone_id).cloned().unwrap_or_default();
        Project {
            id,
            zone_id: input.zone_id,
            zone_name,
            zone_path,
            name: input.name.clone(),
            enterprise_id: input.enterprise_id,
            enterprise_name: name(&self.enterprises, input.enterprise_id),
            investor: input.investor.clone(),
            category: input.category,
            nature: input.nature,
            industry_chain_id: input.industry_chain_id,
            industry_chain: name(&self.chains, input.industry_chain_id),
            stage: record.stage,
            furthest_stage: record.furthest_stage(),
            stage_since: record.stage_changes.last().map(|(_, d)| *d),
            total_investment: input.total_investment,
            land: input.land,
            floor_area_m2: input.floor_area_m2,
            construction_content: input.construction_content.clone(),
            annual_output: input.annual_output,
            annual_tax: input.annual_tax,
            jobs: input.jobs,
            registered: input.registered,
            registered_on: input.registered_on,
            liaison_user_id: input.liaison_user_id,
            liaison_name: name(&self.users, input.liaison_user_id),
            department_id: input.department_id,
            department_name: name(&self.departments, input.department_id),
            task_force: input.task_force.clone(),
            project_code: input.project_code.clone(),
            // The columns' defaults: statuses come with the next refresh.
            rag: Rag::Green,
            rag_reasons: Vec::new(),
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

/// `column` of the rows of `table` with these ids.
async fn names(
    tx: &mut AnyConnection,
    table: &str,
    column: &str,
    ids: &[i64],
) -> Result<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT id, {column} FROM {table} WHERE {}",
        in_list("id", ids)
    ))
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().collect())
}

/// `n` fresh project ids, within the caller's write transaction: on SQLite,
/// which holds the database's write lock for it, those after the largest
/// (what `INTEGER PRIMARY KEY` would pick); on PostgreSQL, from the
/// identity's sequence, which other writers draw from too.
async fn reserve_project_ids(tx: &mut AnyConnection, n: usize) -> Result<Vec<i64>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if !is_sqlite(tx) {
        let answer = sqlx::query_as(FRESH_IDS)
            .bind(n as i64)
            .bind("projects")
            .fetch_one(&mut *tx)
            .await?;
        return Ok(fresh_ids(answer));
    }
    let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM projects")
        .fetch_one(&mut *tx)
        .await?;
    Ok((last + 1..=last + n as i64).collect())
}

/// Projects a statement of `projects`; their audit records, sealed a
/// statement's worth at a time.
const PROJECTS_PER_STATEMENT: usize = 2_000;
/// Projects whose months, plans and stage changes go in one statement each.
const CHILDREN_PER_STATEMENT: usize = 10_000;
/// Projects of a staged load's first batch (the rest go ten thousand a
/// batch): the server waits for it to be built and copied.
const FIRST_STAGED_BATCH: usize = 5_000;

/// Writes `projects` and everything under them within the caller's
/// transaction, each recorded as one audited creation.
pub(crate) async fn insert_records(
    tx: &mut AnyConnection,
    stage: Option<Stage>,
    actor: &Actor,
    projects: Vec<ProjectRecord>,
) -> Result<Vec<i64>> {
    let now = now_ms();
    // A zone's projects share a handful of departments, chains and
    // liaisons: each combination is checked once.
    let mut checked = HashSet::new();
    for project in &projects {
        let input = &project.input;
        let references = (
            input.zone_id,
            input.enterprise_id,
            input.department_id,
            input.liaison_user_id,
            input.industry_chain_id,
        );
        if checked.insert(references) {
            check_references(tx, input).await?;
        }
    }
    // The ids are taken first, so the projects go in a few thousand rows a
    // statement like everything under them, instead of one statement each
    // for its RETURNING id (100,000 round trips for a province's ledger).
    // Staged, only the first batch's are taken here: the stage draws each
    // next batch's while the one before is written.
    let first = if stage.is_some() {
        projects.len().min(FIRST_STAGED_BATCH)
    } else {
        projects.len()
    };
    let ids = reserve_project_ids(tx, first).await?;
    let names = Names::of(tx, &projects).await?;
    // Each zone's chain is moved past its new records before they are
    // sealed, so they can be sealed while the rows are written.
    let mut zones: Vec<(i64, usize)> = Vec::new();
    for project in &projects {
        match zones.iter_mut().find(|(z, _)| *z == project.input.zone_id) {
            Some((_, n)) => *n += 1,
            None => zones.push((project.input.zone_id, 1)),
        }
    }
    let mut heads = Vec::with_capacity(zones.len());
    for (zone, n) in zones {
        heads.push((zone, take_seqs(tx, zone, n).await?));
    }
    let actor_owned = actor.clone();
    let (heads, ids) = pipelined(tx, stage, move |feed| {
        write_all(feed, &actor_owned, &projects, ids, &names, now, heads)
    })
    .await?;
    for (_, head) in &heads {
        head.store(tx).await?;
    }
    Ok(ids)
}

/// Each zone's audit chain, moved past the zone's new records.
type Heads = Vec<(i64, ChainHead)>;

/// Makes the statements that write `projects` with their `ids` (run by the
/// caller's connection as they come): the projects, what is under them,
/// then one audited creation each, sealed onto their zones' `heads`. Ids
/// missing at the end of `ids` are drawn by the stage after the first
/// batch is handed over. Returns the heads and every project's id.
fn write_all(
    feed: &Feed,
    actor: &Actor,
    projects: &[ProjectRecord],
    mut ids: Vec<i64>,
    names: &Names,
    now: i64,
    mut heads: Heads,
) -> Result<(Heads, Vec<i64>)> {
    let mut columns = vec!["id"];
    columns.extend(FIELDS.iter().map(|f| f.column));
    columns.extend([
        "stage",
        "furthest_stage",
        "stage_since",
        "created_at",
        "updated_at",
    ]);
    // Staged, a batch costs a table made and dropped: ten thousand projects
    // a batch, like the rows under them.
    let per_batch = if feed.staged() {
        CHILDREN_PER_STATEMENT
    } else {
        PROJECTS_PER_STATEMENT
    };
    // Staged, the first batch is smaller: the server starts on it sooner.
    let mut batches = Vec::new();
    let mut from = 0;
    while from < projects.len() {
        let size = if from == 0 && feed.staged() {
            FIRST_STAGED_BATCH
        } else {
            per_batch
        };
        let to = (from + size).min(projects.len());
        batches.push(from..to);
        from = to;
    }
    let mut drawing: Option<Drawing> = None;
    for (n, batch) in batches.iter().enumerate() {
        if ids.len() < batch.end {
            let missing = batch.end - ids.len();
            let drawn = match drawing.take() {
                Some(drawing) => drawing.ids()?,
                None => feed.draw_ids("projects", missing)?.ids()?,
            };
            if drawn.len() != missing {
                return Err(StoreError::Db(sqlx::Error::Protocol(
                    "the sequence gave other ids than asked".into(),
                )));
            }
            ids.extend(drawn);
        }
        feed.rows(project_rows(
            &columns,
            &projects[batch.clone()],
            &ids[batch.clone()],
            now,
        ))?;
        // The next batch's ids, drawn by the stage once this batch is
        // copied, while the transaction writes it.
        if let Some(next) = batches.get(n + 1).filter(|next| ids.len() < next.end) {
            drawing = Some(feed.draw_ids("projects", next.end - ids.len())?);
        }
    }
    for (projects, ids) in projects
        .chunks(CHILDREN_PER_STATEMENT)
        .zip(ids.chunks(CHILDREN_PER_STATEMENT))
    {
        for rows in child_rows(actor, projects, ids, now) {
            feed.rows(rows)?;
        }
    }
    // One audited creation per project, each holding the project as created.
    for (records, chunk) in projects.chunks(per_batch).zip(ids.chunks(per_batch)) {
        let created: Vec<Project> = records
            .iter()
            .zip(chunk)
            .map(|(record, &id)| names.project(id, record, now))
            .collect();
        let mut rows = audit_rows();
        for (zone, head) in &mut heads {
            let Some(first) = created.iter().find(|p| p.zone_id == *zone) else {
                continue;
            };
            let path = first.zone_org_path();
            let changes: Vec<Change<'_, Project>> = created
                .iter()
                .filter(|p| p.zone_id == *zone)
                .map(|p| Change {
                    action: AuditAction::Create,
                    entity: "project",
                    entity_id: p.id,
                    zone_id: Some(*zone),
                    scope_path: &path,
                    before: None,
                    after: Some(p),
                })
                .collect();
            head.seal_into(&mut rows, actor, now, &changes)?;
        }
        feed.rows(rows)?;
    }
    Ok((heads, ids))
}

/// The stage changes, plans, openings, months, milestones and blockers of
/// `projects` with their `ids`, a table each.
fn child_rows(actor: &Actor, projects: &[ProjectRecord], ids: &[i64], now: i64) -> [Rows; 6] {
    let mut changes = Rows::new(
        "project_stage_changes",
        &[
            "zone_id",
            "project_id",
            "from_stage",
            "to_stage",
            "on_date",
            "correction",
            "actor_name",
            "at",
        ],
    );
    let mut plans = Rows::new(
        "project_plans",
        &[
            "zone_id",
            "project_id",
            "year",
            "planned_investment",
            "target_start",
            "target_production",
        ],
    );
    let mut openings = Rows::new(
        "project_openings",
        &["zone_id", "project_id", "amount", "as_of", "recorded_at"],
    );
    let mut months = Rows::new(
        "project_investments",
        &["zone_id", "project_id", "year", "month", "amount"],
    );
    let mut milestones = Rows::new(
        "project_milestones",
        &[
            "zone_id",
            "project_id",
            "key",
            "name",
            "sort",
            "planned_on",
            "actual_on",
        ],
    );
    let mut blockers = Rows::new(
        "blockers",
        &[
            "zone_id",
            "project_id",
            "factor",
            "description",
            "raised_on",
            "department_id",
            "deadline",
            "status",
            "resolution",
            "resolved_on",
            "created_at",
            "updated_at",
        ],
    );
    for (project, &id) in projects.iter().zip(ids) {
        let zone = project.input.zone_id;
        let mut from: Option<&str> = None;
        for (stage, date) in &project.stage_changes {
            changes.push([
                zone.into(),
                id.into(),
                from.map(str::to_owned).into(),
                stage.code().into(),
                date.to_string().into(),
                0.into(),
                actor.name.as_str().into(),
                now.into(),
            ]);
            from = Some(stage.code());
        }
        for (year, planned) in &project.plans {
            let (start, production) = project
                .targets
                .iter()
                .find(|(y, _, _)| y == year)
                .map_or((None, None), |(_, s, p)| (*s, *p));
            plans.push([
                zone.into(),
                id.into(),
                i64::from(*year).into(),
                planned.yuan().into(),
                date_text(start).into(),
                date_text(production).into(),
            ]);
        }
        if let Some((amount, as_of)) = project.opening {
            openings.push([
                zone.into(),
                id.into(),
                amount.yuan().into(),
                as_of.to_string().into(),
                now.into(),
            ]);
        }
        for (year, month, amount) in &project.months {
            months.push([
                zone.into(),
                id.into(),
                i64::from(*year).into(),
                i64::from(*month).into(),
                amount.yuan().into(),
            ]);
        }
        for (sort, (key, name, planned, actual)) in project.milestones.iter().enumerate() {
            milestones.push([
                zone.into(),
                id.into(),
                key.as_str().into(),
                name.as_str().into(),
                (sort as i64).into(),
                date_text(*planned).into(),
                date_text(*actual).into(),
            ]);
        }
        for b in &project.blockers {
            blockers.push([
                zone.into(),
                id.into(),
                b.factor.code().into(),
                b.description.clone().into(),
                b.raised_on.to_string().into(),
                b.department_id.into(),
                date_text(b.deadline).into(),
                b.status.code().into(),
                b.resolution.clone().into(),
                date_text(b.resolved_on).into(),
                now.into(),
                now.into(),
            ]);
        }
    }
    [changes, plans, months, milestones, blockers, openings]
}

impl Store {
    /// Refreshes the query planner's statistics after a bulk load, so the
    /// ledger's plans fit the data from the first request on (PostgreSQL's
    /// autovacuum would get there, later). VACUUM also marks the pages
    /// all-visible, which index-only scans need.
    pub async fn analyze(&self) -> Result<()> {
        let sql = match self.backend() {
            Backend::Sqlite => "ANALYZE",
            Backend::Postgres => "VACUUM ANALYZE",
        };
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// Keeps the planner's statistics in step with the data as it grows
    /// (SQLite analyses only the tables that changed enough, within a
    /// bound; PostgreSQL's autovacuum does this itself). Plans such as the
    /// province's pipeline depend on them.
    pub async fn refresh_statistics(&self) -> Result<()> {
        if self.backend() == Backend::Sqlite {
            sqlx::query("PRAGMA analysis_limit = 1000; PRAGMA optimize;")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}
