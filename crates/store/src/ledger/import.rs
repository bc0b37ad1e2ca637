//! Importing a ledger workbook (导入台账): what the planner needs to know of
//! the target zones, and writing a plan in one transaction — all or nothing —
//! with every change audited and the import itself recorded with the file's
//! hash. Planning lives in `kfq-ledger-import`; nothing here decides what a
//! row means.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use kfq_domain::audit::AuditAction;
use kfq_domain::ZoneWrite;
use kfq_domain::{BlockerStatus, FieldErrors, Money, OrgPath, Stage, Visibility};
use kfq_ledger_import::{
    Action, Chain, Existing, Fields, Known, Opening, Plan, RowPlan, Targets, ZoneData,
};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::audit::{record, Actor, Change};
use crate::error::{Result, StoreError};
use crate::ledger::bulk::insert_records;
use crate::ledger::{
    after_input, bind_input, check_references, fetch_unscoped, finish, input_assignments,
    record_part, BlockerInput, Project, ProjectInput, ProjectRecord, RagContext,
};
use crate::sql::Sql;
use crate::versioned::claim;
use crate::{now_ms, Store};

/// How long an upload waits for its commit.
pub const UPLOAD_LIFETIME_MS: i64 = 24 * 3600 * 1000;
/// What one user may hold in uploads waiting for their commit.
pub const UPLOAD_QUOTA_FILES: i64 = 10;
pub const UPLOAD_QUOTA_BYTES: i64 = 200 * 1024 * 1024;

/// The workbook as uploaded.
#[derive(Debug, Clone)]
pub struct ImportFile {
    pub name: String,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub size: i64,
}

/// A workbook kept between upload and commit.
#[derive(Debug, Clone)]
pub struct ImportUpload {
    pub id: i64,
    pub org_id: i64,
    pub user_id: Option<i64>,
    pub file: ImportFile,
    pub bytes: Vec<u8>,
    pub created_at: i64,
}

impl ImportFile {
    /// The file's name, hash and size.
    pub fn of(name: &str, bytes: &[u8]) -> ImportFile {
        use sha2::Digest;
        ImportFile {
            name: name.to_string(),
            sha256: hex::encode(sha2::Sha256::digest(bytes)),
            size: bytes.len() as i64,
        }
    }
}

/// A recorded import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerImport {
    pub id: i64,
    pub org_id: i64,
    pub zone_id: Option<i64>,
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
    pub year: i64,
    pub month: Option<i64>,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
    pub months: i64,
    pub blockers: i64,
    pub actor_name: String,
    pub at: i64,
}

const IMPORT_COLUMNS: &str =
    "id, org_id, zone_id, file_name, sha256, size, year, month, created, updated, \
     unchanged, rejected, months, blockers, actor_name, at";

/// Codes looked up per statement.
const CODES_PER_STATEMENT: usize = 500;

impl Store {
    /// What the planner needs of `zones` for `year`, and which of `codes`
    /// belong to projects elsewhere.
    pub async fn import_known(&self, zones: &[i64], year: i32, codes: &[String]) -> Result<Known> {
        let mut conn = self.pool.acquire().await?;
        let mut known = Known::default();
        for &zone_id in zones {
            known
                .zones
                .push(zone_data(&mut conn, zone_id, i64::from(year)).await?);
        }
        let ours: HashSet<i64> = zones.iter().copied().collect();
        for chunk in codes.chunks(CODES_PER_STATEMENT) {
            let mut q =
                Sql::new("SELECT project_code, zone_id FROM projects WHERE project_code IN (");
            for (n, code) in chunk.iter().enumerate() {
                if n > 0 {
                    q.push(", ");
                }
                q.bind(code.as_str());
            }
            q.push(")");
            for row in q.query().fetch_all(&mut *conn).await? {
                let zone: i64 = row.try_get(1)?;
                if !ours.contains(&zone) {
                    known.foreign_codes.insert(row.try_get(0)?);
                }
            }
        }
        Ok(known)
    }

    /// Writes `plan` into the ledger in one transaction. Rows the plan
    /// rejects stop everything unless `only_valid`; a project edited since
    /// the plan was made stops everything too ([`StoreError::Conflict`]).
    #[allow(clippy::too_many_arguments)]
    pub async fn apply_import(
        &self,
        actor: &Actor,
        proof: &ZoneWrite,
        org_id: i64,
        plan: &Plan,
        only_valid: bool,
        file: &ImportFile,
        (year, month): (i32, Option<u32>),
        ctx: &RagContext<'_>,
    ) -> Result<LedgerImport> {
        if !plan.file_errors.is_empty() {
            return Err(StoreError::Invalid(FieldErrors::single(
                "file",
                "error.import.file",
            )));
        }
        if !plan.is_clean() && !only_valid {
            return Err(StoreError::Invalid(FieldErrors::single(
                "file",
                "error.import.rejected",
            )));
        }
        let creates: Vec<&RowPlan> = plan
            .rows
            .iter()
            .filter(|r| r.action == Action::Create)
            .collect();
        let mut tx = self.begin_write().await?;
        let org: (String, String, Option<i64>) =
            sqlx::query_as("SELECT kind, path, zone_id FROM org_units WHERE id = $1")
                .bind(org_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        let org_path = OrgPath::parse(&org.1).map_err(|_| StoreError::NotFound)?;
        crate::ledger::within(proof, &org_path)?;
        // Opened once the caller is known to write here.
        let stage = self.stage_for(creates.len()).await;
        let chains = add_chains(&mut tx, &plan.new_chains).await?;
        let today = ctx.today;

        // Sized once: collected through a `Result` the vector would grow by
        // doubling, each time into fresh memory the kernel must zero.
        let mut records = Vec::with_capacity(creates.len());
        for row in &creates {
            records.push(record_of(row, &chains, today)?);
        }
        // New projects' statuses are left stale (computed by the next
        // refresh), so a 100,000-row ledger commits in seconds.
        insert_records(&mut tx, stage, actor, records).await?;
        for row in &plan.rows {
            if let Action::Update { id, version } = row.action {
                update(&mut tx, actor, row, (id, version), &chains, ctx).await?;
            }
        }

        let counts = plan.counts();
        let zone_id = if org.0 == "zone" { org.2 } else { None };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO ledger_imports (org_id, zone_id, file_name, sha256, size, year, month, created, updated, \
             unchanged, rejected, months, blockers, actor_name, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(org_id)
        .bind(zone_id)
        .bind(&file.name)
        .bind(&file.sha256)
        .bind(file.size)
        .bind(i64::from(year))
        .bind(month.map(i64::from))
        .bind(counts.create as i64)
        .bind(counts.update as i64)
        .bind(counts.unchanged as i64)
        .bind(counts.reject as i64)
        .bind(counts.months as i64)
        .bind(counts.blockers as i64)
        .bind(&actor.name)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        let import: LedgerImport = sqlx::query_as(&format!(
            "SELECT {IMPORT_COLUMNS} FROM ledger_imports WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let path = OrgPath::parse(&org.1).unwrap_or_else(|_| OrgPath::root_of(org_id));
        record(
            &mut tx,
            actor,
            Change {
                action: AuditAction::Create,
                entity: "ledger_import",
                entity_id: id,
                zone_id,
                scope_path: &path,
                before: None,
                after: Some(&import),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(import)
    }

    /// The imports into `org_id` (and the zones under it), newest first.
    pub async fn ledger_imports(
        &self,
        visibility: &Visibility,
        org_id: i64,
        limit: i64,
    ) -> Result<Vec<LedgerImport>> {
        let mut q = Sql::new(&format!(
            "SELECT {} FROM ledger_imports i JOIN org_units z ON z.id = i.org_id WHERE ",
            IMPORT_COLUMNS
                .split(", ")
                .map(|c| format!("i.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        q.scope(visibility, "z.path", None)
            .push(" AND i.org_id = ")
            .bind(org_id)
            .push(" ORDER BY i.at DESC, i.id DESC LIMIT ")
            .bind(limit);
        Ok(q.query_as().fetch_all(&self.pool).await?)
    }

    /// Keeps an uploaded workbook for the dry run and the commit; uploads
    /// older than a day are dropped on the way. A user holds at most
    /// [`UPLOAD_QUOTA_FILES`] uploads and [`UPLOAD_QUOTA_BYTES`] at a time
    /// (a committed one is dropped): beyond that the upload is refused.
    pub async fn save_upload(
        &self,
        org_id: i64,
        user_id: Option<i64>,
        name: &str,
        bytes: &[u8],
    ) -> Result<i64> {
        let file = ImportFile::of(name, bytes);
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM import_uploads WHERE created_at < $1")
            .bind(now - UPLOAD_LIFETIME_MS)
            .execute(&mut *tx)
            .await?;
        if let Some(user_id) = user_id {
            // PostgreSQL sums BIGINT as NUMERIC: cast back.
            let (files, held): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM import_uploads WHERE user_id = $1",
            )
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
            if files >= UPLOAD_QUOTA_FILES || held + file.size > UPLOAD_QUOTA_BYTES {
                return Err(StoreError::Invalid(kfq_domain::FieldErrors::single(
                    "file",
                    "error.upload_quota",
                )));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO import_uploads (org_id, user_id, file_name, sha256, size, content, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(org_id)
        .bind(user_id)
        .bind(&file.name)
        .bind(&file.sha256)
        .bind(file.size)
        .bind(bytes)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An upload, if its org lies within `visibility`.
    pub async fn upload(&self, visibility: &Visibility, id: i64) -> Result<ImportUpload> {
        let mut q = Sql::new(
            "SELECT u.id, u.org_id, u.user_id, u.file_name, u.sha256, u.size, u.content, u.created_at \
             FROM import_uploads u JOIN org_units z ON z.id = u.org_id WHERE u.id = ",
        );
        q.bind(id).push(" AND ").scope(visibility, "z.path", None);
        let row = q
            .query()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(ImportUpload {
            id: row.try_get(0)?,
            org_id: row.try_get(1)?,
            user_id: row.try_get(2)?,
            file: ImportFile {
                name: row.try_get(3)?,
                sha256: row.try_get(4)?,
                size: row.try_get(5)?,
            },
            bytes: row.try_get(6)?,
            created_at: row.try_get(7)?,
        })
    }

    /// The reading kept with upload `id` (found through [`Store::upload`],
    /// which checks who may see it): the options it was read with and the
    /// reading, as the caller stored them.
    pub async fn upload_reading(&self, id: i64) -> Result<Option<(String, Vec<u8>)>> {
        let row: Option<(Option<String>, Option<Vec<u8>>)> =
            sqlx::query_as("SELECT read_options, reading FROM import_uploads WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(options, reading)| options.zip(reading)))
    }

    /// Keeps the reading of upload `id` made with `options`, over the one
    /// kept before.
    pub async fn keep_upload_reading(&self, id: i64, options: &str, reading: &[u8]) -> Result<()> {
        sqlx::query("UPDATE import_uploads SET read_options = $1, reading = $2 WHERE id = $3")
            .bind(options)
            .bind(reading)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops an upload once it is committed: it no longer counts against
    /// its user's quota.
    pub async fn drop_upload(&self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM import_uploads WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The mapping `org_id` confirmed last for imports of `kind` (JSON).
    pub async fn import_mapping(&self, org_id: i64, kind: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT options FROM import_mappings WHERE org_id = $1 AND kind = $2",
        )
        .bind(org_id)
        .bind(kind)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Keeps the mapping `org_id` confirmed, for its next workbook.
    pub async fn save_import_mapping(
        &self,
        actor: &Actor,
        org_id: i64,
        kind: &str,
        options: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO import_mappings (org_id, kind, options, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (org_id, kind) DO UPDATE SET options = excluded.options, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(org_id)
        .bind(kind)
        .bind(options)
        .bind(&actor.name)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// One zone's projects and lists, as the planner takes them.
async fn zone_data(conn: &mut AnyConnection, zone_id: i64, year: i64) -> Result<ZoneData> {
    let name: String =
        sqlx::query_scalar("SELECT name FROM org_units WHERE id = $1 AND kind = 'zone'")
            .bind(zone_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    let pairs = |sql: &'static str| sqlx::query_as::<_, (i64, String)>(sql).bind(zone_id);
    let departments = pairs(
        "SELECT id, name FROM org_units WHERE zone_id = $1 AND kind = 'department' ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let people =
        pairs("SELECT id, display_name FROM users WHERE zone_id = $1 AND active = 1 ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let chains = pairs("SELECT id, name FROM industry_chains WHERE zone_id = $1 ORDER BY sort, id")
        .fetch_all(&mut *conn)
        .await?;
    let projects: Vec<Project> = crate::ledger::projects_of_zone(&mut *conn, zone_id).await?;
    let mut plans: HashMap<i64, (Money, Targets)> = HashMap::new();
    for (project, planned, start, production) in
        sqlx::query_as::<_, (i64, i64, Option<String>, Option<String>)>(
            "SELECT project_id, planned_investment, target_start, target_production FROM project_plans \
             WHERE zone_id = $1 AND year = $2",
        )
        .bind(zone_id)
        .bind(year)
        .fetch_all(&mut *conn)
        .await?
    {
        let day = |text: Option<String>| text.and_then(|t| t.parse::<NaiveDate>().ok());
        let targets = Targets {
            start: day(start),
            production: day(production),
        };
        plans.insert(project, (Money::from_yuan(planned), targets));
    }
    let mut openings: HashMap<i64, Opening> = HashMap::new();
    for (project, amount, as_of) in sqlx::query_as::<_, (i64, i64, String)>(
        "SELECT project_id, amount, as_of FROM project_openings WHERE zone_id = $1",
    )
    .bind(zone_id)
    .fetch_all(&mut *conn)
    .await?
    {
        if let Ok(as_of) = as_of.parse::<NaiveDate>() {
            let amount = Money::from_yuan(amount);
            openings.insert(project, Opening { amount, as_of });
        }
    }
    let mut months: HashMap<i64, Vec<(u32, Money)>> = HashMap::new();
    for (project, month, amount) in sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT project_id, month, amount FROM project_investments WHERE zone_id = $1 AND year = $2",
    )
    .bind(zone_id)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?
    {
        months
            .entry(project)
            .or_default()
            .push((month as u32, Money::from_yuan(amount)));
    }
    let mut open: HashMap<i64, Vec<String>> = HashMap::new();
    for (project, description) in sqlx::query_as::<_, (i64, String)>(
        "SELECT project_id, description FROM blockers WHERE zone_id = $1 AND status <> $2",
    )
    .bind(zone_id)
    .bind(BlockerStatus::Resolved.code())
    .fetch_all(&mut *conn)
    .await?
    {
        open.entry(project).or_default().push(description);
    }
    let mut nodes: HashMap<i64, Targets> = HashMap::new();
    // By project, on the index of (project, key): a zone's projects are few.
    let ids: Vec<i64> = projects.iter().map(|p| p.id).collect();
    for (project, key, planned) in sqlx::query_as::<_, (i64, String, String)>(&format!(
        "SELECT project_id, key, planned_on FROM project_milestones \
         WHERE {} AND key IN ('start', 'production') AND planned_on IS NOT NULL",
        crate::sql::in_list("project_id", &ids)
    ))
    .fetch_all(&mut *conn)
    .await?
    {
        let planned = planned.parse::<NaiveDate>().ok();
        let node = nodes.entry(project).or_default();
        match key.as_str() {
            "start" => node.start = planned,
            _ => node.production = planned,
        }
    }
    let projects = projects
        .into_iter()
        .map(|p| Existing {
            id: p.id,
            version: p.version,
            stage: p.stage,
            furthest: p.furthest_stage,
            planned: plans.get(&p.id).map(|(planned, _)| *planned),
            targets: plans.get(&p.id).map(|(_, t)| *t).unwrap_or_default(),
            milestone_plans: nodes.remove(&p.id).unwrap_or_default(),
            enterprise_name: p.enterprise_name.clone(),
            opening: openings.get(&p.id).copied(),
            months: months.remove(&p.id).unwrap_or_default(),
            open_blockers: open.remove(&p.id).unwrap_or_default(),
            fields: fields_of(&p),
        })
        .collect();
    Ok(ZoneData {
        id: zone_id,
        name,
        projects,
        departments,
        people,
        chains,
    })
}

fn fields_of(p: &Project) -> Fields {
    Fields {
        name: p.name.clone(),
        investor: p.investor.clone(),
        category: p.category,
        nature: p.nature,
        industry_chain: p.industry_chain_id.map(Chain::Known),
        total_investment: p.total_investment,
        land: p.land,
        floor_area_m2: p.floor_area_m2,
        construction_content: p.construction_content.clone(),
        annual_output: p.annual_output,
        annual_tax: p.annual_tax,
        jobs: p.jobs,
        registered: p.registered,
        liaison_user_id: p.liaison_user_id,
        department_id: p.department_id,
        project_code: p.project_code.clone(),
    }
}

/// Adds the chains the plan names to their zones' lists; returns every new
/// chain's id.
async fn add_chains(
    conn: &mut AnyConnection,
    chains: &[(i64, String)],
) -> Result<HashMap<(i64, String), i64>> {
    let mut ids = HashMap::new();
    for (zone, name) in chains {
        let sort: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(MAX(sort) AS BIGINT) FROM industry_chains WHERE zone_id = $1",
        )
        .bind(zone)
        .fetch_one(&mut *conn)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO industry_chains (zone_id, name, sort) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(zone)
        .bind(name)
        .bind(sort.unwrap_or(0) + 1)
        .fetch_one(&mut *conn)
        .await?;
        ids.insert((*zone, name.clone()), id);
    }
    Ok(ids)
}

/// The project input a planned row stands for. `keep` holds what a ledger
/// does not carry (enterprise, 入库 date, task force) from the project as it is.
fn input_of(
    row: &RowPlan,
    chains: &HashMap<(i64, String), i64>,
    keep: Option<&Project>,
) -> Result<ProjectInput> {
    let (Some(f), Some(zone_id)) = (&row.fields, row.zone_id) else {
        return Err(StoreError::Invalid(FieldErrors::single(
            "row",
            "error.import.row",
        )));
    };
    let industry_chain_id = match &f.industry_chain {
        Some(Chain::Known(id)) => Some(*id),
        Some(Chain::New(name)) => chains.get(&(zone_id, name.clone())).copied(),
        None => None,
    };
    Ok(ProjectInput {
        zone_id,
        name: f.name.clone(),
        enterprise_id: keep.and_then(|p| p.enterprise_id),
        investor: f.investor.clone(),
        category: f.category,
        nature: f.nature,
        industry_chain_id,
        total_investment: f.total_investment,
        land: f.land,
        floor_area_m2: f.floor_area_m2,
        construction_content: f.construction_content.clone(),
        annual_output: f.annual_output,
        annual_tax: f.annual_tax,
        jobs: f.jobs,
        registered: f.registered,
        registered_on: keep.and_then(|p| p.registered_on),
        liaison_user_id: f.liaison_user_id,
        department_id: f.department_id,
        task_force: keep.and_then(|p| p.task_force.clone()),
        project_code: f.project_code.clone(),
    })
}

fn blocker_of(row: &RowPlan, today: NaiveDate) -> Option<BlockerInput> {
    let (factor, description) = row.blocker.clone()?;
    Some(BlockerInput {
        factor,
        description,
        raised_on: today,
        department_id: row.fields.as_ref().and_then(|f| f.department_id),
        deadline: None,
        status: BlockerStatus::Open,
        resolution: None,
        resolved_on: None,
    })
}

fn record_of(
    row: &RowPlan,
    chains: &HashMap<(i64, String), i64>,
    today: NaiveDate,
) -> Result<ProjectRecord> {
    let (stage, since) = row.stage.unwrap_or((Stage::Planning, today));
    Ok(ProjectRecord {
        input: input_of(row, chains, None)?,
        stage,
        stage_changes: vec![(stage, since)],
        plans: row.planned.map(|p| (row.year, p)).into_iter().collect(),
        targets: row
            .planned
            .map(|_| (row.year, row.targets.start, row.targets.production))
            .into_iter()
            .collect(),
        opening: row.opening.map(|o| (o.amount, o.as_of)),
        months: row
            .month
            .iter()
            .map(|m| (m.year, m.month, m.amount))
            .collect(),
        blockers: blocker_of(row, today).into_iter().collect(),
        milestones: Vec::new(),
    })
}

/// Applies one update row: fields, stage, plan, month, blocker; each audited.
async fn update(
    tx: &mut AnyConnection,
    actor: &Actor,
    row: &RowPlan,
    (id, version): (i64, i64),
    chains: &HashMap<(i64, String), i64>,
    ctx: &RagContext<'_>,
) -> Result<()> {
    claim(tx, "projects", id, version).await?;
    let before = fetch_unscoped(tx, id).await?;
    let now = now_ms();
    if !row.changes.is_empty() {
        let input = input_of(row, chains, Some(&before))?;
        check_references(tx, &input).await?;
        let sql = format!(
            "UPDATE projects SET {}, version = version + 1, updated_at = {} WHERE id = {}",
            input_assignments(),
            after_input(1),
            after_input(2),
        );
        bind_input(sqlx::query(&sql), &input)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    if let Some((stage, date)) = row.stage {
        let furthest = match (stage.rank(), before.furthest_stage.rank()) {
            (Some(n), Some(f)) if n > f => stage,
            _ => before.furthest_stage,
        };
        let day = date.to_string();
        sqlx::query(
            "UPDATE projects SET stage = $1, furthest_stage = $2, stage_since = $3, version = version + 1, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(stage.code())
        .bind(furthest.code())
        .bind(&day)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO project_stage_changes (zone_id, project_id, from_stage, to_stage, on_date, correction, \
             reason, actor_name, at) VALUES ($1, $2, $3, $4, $5, 0, NULL, $6, $7)",
        )
        .bind(before.zone_id)
        .bind(id)
        .bind(before.stage.code())
        .bind(stage.code())
        .bind(&day)
        .bind(&actor.name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    if row.planned.is_some() || !row.targets.is_empty() {
        upsert_plan(tx, actor, &before, row.year, row.planned, row.targets).await?;
    }
    if let Some(opening) = row.opening {
        upsert_opening(tx, actor, &before, opening).await?;
    }
    if let Some(month) = &row.month {
        let note = format!(
            "导入台账：{}年1-{}月累计{}万元",
            month.year,
            month.month,
            month.ytd.wan_string()
        );
        upsert_month(
            tx,
            actor,
            &before,
            (month.year, month.month),
            month.amount,
            &note,
        )
        .await?;
    }
    if let Some(blocker) = blocker_of(row, ctx.today) {
        let blocker_id: i64 = sqlx::query_scalar(
            "INSERT INTO blockers (zone_id, project_id, factor, description, raised_on, department_id, deadline, \
             status, resolution, resolved_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, NULL, NULL, $8, $8) RETURNING id",
        )
        .bind(before.zone_id)
        .bind(id)
        .bind(blocker.factor.code())
        .bind(&blocker.description)
        .bind(blocker.raised_on.to_string())
        .bind(blocker.department_id)
        .bind(blocker.status.code())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let after = serde_json::json!({
            "project_id": id,
            "factor": blocker.factor.code(),
            "description": blocker.description,
            "raised_on": blocker.raised_on,
            "department_id": blocker.department_id,
            "status": blocker.status.code(),
        });
        record_part(
            tx,
            actor,
            &before,
            ("blocker", blocker_id),
            AuditAction::Create,
            None,
            Some(&after),
        )
        .await?;
    }
    finish(tx, actor, ctx, AuditAction::Update, Some(&before), id).await?;
    Ok(())
}

/// Sets the year's plan: its amount, and the target dates the ledger gives
/// (those it leaves out stay). A plan is only created with its amount.
async fn upsert_plan(
    tx: &mut AnyConnection,
    actor: &Actor,
    project: &Project,
    year: i32,
    planned: Option<Money>,
    targets: Targets,
) -> Result<()> {
    let before: Option<(i64, i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, planned_investment, target_start, target_production FROM project_plans \
         WHERE project_id = $1 AND year = $2",
    )
    .bind(project.id)
    .bind(i64::from(year))
    .fetch_optional(&mut *tx)
    .await?;
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let (id, after) = match &before {
        Some((id, yuan, start, production)) => {
            let after = (
                planned.map_or(*yuan, Money::yuan),
                day(targets.start).or(start.clone()),
                day(targets.production).or(production.clone()),
            );
            sqlx::query(
                "UPDATE project_plans SET planned_investment = $1, target_start = $2, target_production = $3, \
                 version = version + 1, recorded_at = $5 WHERE id = $4",
            )
            .bind(after.0)
            .bind(&after.1)
            .bind(&after.2)
            .bind(id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            (*id, after)
        }
        None => {
            // The planner only sets targets on a year with an amount.
            let Some(planned) = planned else {
                return Ok(());
            };
            let after = (planned.yuan(), day(targets.start), day(targets.production));
            let id = sqlx::query_scalar(
                "INSERT INTO project_plans (zone_id, project_id, year, planned_investment, target_start, \
                 target_production, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(project.zone_id)
            .bind(project.id)
            .bind(i64::from(year))
            .bind(after.0)
            .bind(&after.1)
            .bind(&after.2)
            .bind(now_ms())
            .fetch_one(&mut *tx)
            .await?;
            (id, after)
        }
    };
    let shown = |(yuan, start, production): &(i64, Option<String>, Option<String>)| {
        serde_json::json!({"project_id": project.id, "year": year, "planned_investment": yuan,
            "target_start": start, "target_production": production})
    };
    record_part(
        tx,
        actor,
        project,
        ("project_plan", id),
        if before.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        },
        before
            .map(|(_, yuan, start, production)| shown(&(yuan, start, production)))
            .as_ref(),
        Some(&shown(&after)),
    )
    .await
}

/// Records the opening cumulative a ledger states, replacing the one held.
async fn upsert_opening(
    tx: &mut AnyConnection,
    actor: &Actor,
    project: &Project,
    opening: Opening,
) -> Result<()> {
    let before: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, amount, as_of FROM project_openings WHERE project_id = $1 AND zone_id = $2",
    )
    .bind(project.id)
    .bind(project.zone_id)
    .fetch_optional(&mut *tx)
    .await?;
    let note = "导入台账";
    let as_of = opening.as_of.to_string();
    let id = match &before {
        Some((id, _, _)) => {
            sqlx::query(
                "UPDATE project_openings SET amount = $1, as_of = $2, note = $3, version = version + 1, \
                 recorded_at = $4 WHERE id = $5",
            )
            .bind(opening.amount.yuan())
            .bind(&as_of)
            .bind(note)
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            *id
        }
        None => sqlx::query_scalar(
            "INSERT INTO project_openings (zone_id, project_id, amount, as_of, note, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(project.zone_id)
        .bind(project.id)
        .bind(opening.amount.yuan())
        .bind(&as_of)
        .bind(note)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?,
    };
    let shown = |yuan: i64, as_of: &str| serde_json::json!({"project_id": project.id, "amount": yuan, "as_of": as_of, "note": note});
    record_part(
        tx,
        actor,
        project,
        ("project_opening", id),
        if before.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        },
        before.map(|(_, yuan, as_of)| shown(yuan, &as_of)).as_ref(),
        Some(&shown(opening.amount.yuan(), &as_of)),
    )
    .await
}

async fn upsert_month(
    tx: &mut AnyConnection,
    actor: &Actor,
    project: &Project,
    (year, month): (i32, u32),
    amount: Money,
    note: &str,
) -> Result<()> {
    let before: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, amount FROM project_investments WHERE project_id = $1 AND year = $2 AND month = $3",
    )
    .bind(project.id)
    .bind(i64::from(year))
    .bind(i64::from(month))
    .fetch_optional(&mut *tx)
    .await?;
    let id = match before {
        Some((id, _)) => {
            sqlx::query(
                "UPDATE project_investments SET amount = $1, note = $2, version = version + 1, recorded_at = $4 WHERE id = $3",
            )
            .bind(amount.yuan())
            .bind(note)
            .bind(id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
            id
        }
        None => {
            sqlx::query_scalar(
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
            .fetch_one(&mut *tx)
            .await?
        }
    };
    let shown = |yuan: i64| serde_json::json!({"project_id": project.id, "year": year, "month": month, "amount": yuan, "note": note});
    record_part(
        tx,
        actor,
        project,
        ("project_investment", id),
        if before.is_some() {
            AuditAction::Update
        } else {
            AuditAction::Create
        },
        before.map(|(_, yuan)| shown(yuan)).as_ref(),
        Some(&shown(amount.yuan())),
    )
    .await
}
