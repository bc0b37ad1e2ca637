//! Reading a project, a stage change, a plan, a month or a blocker from a
//! form or a JSON body, and writing it.

use kfq_app::ledger::writes::{self, ProjectTarget};

use super::*;

// ---- reading input ----

pub(super) fn parse_project(input: &Input) -> Result<ProjectInput, FieldErrors> {
    ProjectInput::parse(|key| input.text(key))
}

/// The zone a project goes into must be one the caller may write to.
pub(crate) async fn writable_zone(
    state: &AppState,
    auth: &Auth,
    zone_id: i64,
) -> AppResult<OrgUnit> {
    Ok(
        kfq_app::access::writable_zone(&state.store, &auth.principal, zone_id)
            .await?
            .0,
    )
}

pub(crate) async fn visible(state: &AppState, auth: &Auth, id: i64) -> AppResult<Project> {
    Ok(state
        .store
        .project(&auth.principal.zone_data_visibility(), id)
        .await?)
}

/// The readable history of a project the caller was shown: its own records
/// and those of its plans, months, blockers, milestones…, read with the
/// visibility it was read with; its stage history names corrections.
pub(super) async fn project_history(
    state: &AppState,
    auth: &Auth,
    project: &Project,
) -> AppResult<Vec<HistoryEntry>> {
    let visibility = auth.principal.zone_data_visibility();
    let (entries, stages) = tokio::try_join!(
        state.store.project_audit_history(&visibility, project.id),
        state.store.stage_changes(&visibility, project.id),
    )?;
    let notes: Vec<StageNote> = stages.iter().map(StageNote::from).collect();
    Ok(kfq_app::history::readable(Catalog::zh(), &entries, &notes))
}

pub(crate) async fn editable(state: &AppState, auth: &Auth, id: i64) -> AppResult<Project> {
    Ok(target(state, auth, id).await?.project().clone())
}

/// The project with the caller's proof of the right to write it.
async fn target(state: &AppState, auth: &Auth, id: i64) -> AppResult<ProjectTarget> {
    Ok(ProjectTarget::check(&state.store, &auth.principal, id).await?)
}

/// The store's proof that the caller may write the ledger of the zone at
/// `zone_path`, made by the domain's rule: no proof, no write.
pub(crate) fn zone_write(auth: &Auth, zone_path: &OrgPath) -> AppResult<ZoneWrite> {
    auth.principal
        .zone_write(zone_path)
        .ok_or(AppError::Forbidden)
}

pub(super) async fn create(state: &AppState, auth: &Auth, input: &Input) -> AppResult<Project> {
    let project = parse_project(input)?;
    let stage = match input.text("stage").trim() {
        "" => Stage::Planning,
        code => Stage::from_code(code)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("stage", "error.choice")))?,
    };
    Ok(writes::create(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &project,
        stage,
    )
    .await?)
}

pub(super) async fn update(
    state: &AppState,
    auth: &Auth,
    id: i64,
    input: &Input,
) -> AppResult<Project> {
    let target = target(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let expected = common::version(input, &mut e);
    let project = parse_project(input).map_err(|mut more| {
        more.0.extend(e.0.clone());
        more
    })?;
    e.into_result()?;
    Ok(writes::update(
        &state.store,
        &auth.principal,
        &auth.actor(),
        &target,
        expected,
        &project,
    )
    .await?)
}

pub(super) async fn change_stage(
    state: &AppState,
    auth: &Auth,
    id: i64,
    input: &Input,
) -> AppResult<Project> {
    let target = target(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let expected = common::version(input, &mut e);
    let next = input.choice("stage", Stage::from_code, &mut e);
    let date = input.date("date", &mut e);
    e.into_result()?;
    let reason = input.text("reason");
    let correction =
        (input.flag("correction") || !reason.trim().is_empty()).then_some(reason.as_str());
    let (next, date) = (next.unwrap_or(Stage::Planning), date.unwrap_or_else(today));
    Ok(writes::change_stage(
        &state.store,
        &auth.actor(),
        &target,
        expected,
        (next, date),
        correction,
    )
    .await?)
}

pub(super) fn year_of(input: &Input, e: &mut FieldErrors) -> i32 {
    input.year("year", e).unwrap_or_default()
}

pub(super) async fn set_plan(
    state: &AppState,
    auth: &Auth,
    id: i64,
    input: &Input,
) -> AppResult<AnnualPlan> {
    let target = target(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let year = year_of(input, &mut e);
    let planned = e.check(
        "planned_investment",
        Money::parse_wan_non_negative(&input.text("planned_investment")),
    );
    let targets = [
        input.opt_date("target_start", &mut e),
        input.opt_date("target_completion", &mut e),
        input.opt_date("target_production", &mut e),
    ];
    let version = input.opt_int("version", &mut e);
    e.into_result()?;
    Ok(writes::set_plan(
        &state.store,
        &auth.actor(),
        &target,
        (year, planned.unwrap_or_default()),
        targets,
        version,
    )
    .await?)
}

pub(super) async fn set_investment(
    state: &AppState,
    auth: &Auth,
    id: i64,
    input: &Input,
) -> AppResult<MonthlyInvestment> {
    let target = target(state, auth, id).await?;
    let mut e = FieldErrors::new();
    let year = year_of(input, &mut e);
    let month = input.int("month", &mut e).unwrap_or_default();
    if !(1..=12).contains(&month) && !e.0.iter().any(|x| x.field == "month") {
        e.add("month", "error.month");
    }
    let amount = e.check("amount", Money::parse_wan(&input.text("amount")));
    let note = e
        .check("note", optional_text(&input.text("note"), 200))
        .flatten();
    let version = input.opt_int("version", &mut e);
    e.into_result()?;
    Ok(writes::set_investment(
        &state.store,
        &auth.actor(),
        &target,
        (year, month as u32),
        (amount.unwrap_or_default(), note.as_deref()),
        version,
    )
    .await?)
}

pub(super) fn parse_blocker(input: &Input) -> Result<BlockerInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let factor = input.choice("factor", BlockerFactor::from_code, &mut e);
    let description = e.check(
        "description",
        required_text(&input.text("description"), 1000),
    );
    let raised_on = input.date("raised_on", &mut e);
    let status = if input.text("status").trim().is_empty() {
        Some(BlockerStatus::Open)
    } else {
        input.choice("status", BlockerStatus::from_code, &mut e)
    };
    let blocker = BlockerInput {
        factor: factor.unwrap_or(BlockerFactor::Other),
        description: description.unwrap_or_default(),
        raised_on: raised_on.unwrap_or_else(today),
        department_id: input.opt_int("department_id", &mut e),
        deadline: input.opt_date("deadline", &mut e),
        status: status.unwrap_or(BlockerStatus::Open),
        resolution: e
            .check("resolution", optional_text(&input.text("resolution"), 1000))
            .flatten(),
        resolved_on: input.opt_date("resolved_on", &mut e),
    };
    if blocker.status == BlockerStatus::Resolved
        && (blocker.resolution.is_none() || blocker.resolved_on.is_none())
    {
        e.add("resolution", "error.blocker.resolution");
    }
    e.into_result().map(|_| blocker)
}

pub(super) async fn save_blocker(
    state: &AppState,
    auth: &Auth,
    project_id: Option<i64>,
    blocker_id: Option<i64>,
    input: &Input,
) -> AppResult<Blocker> {
    let (target, existing) = match (project_id, blocker_id) {
        (Some(pid), None) => (target(state, auth, pid).await?, None),
        (_, Some(bid)) => {
            let blocker = state
                .store
                .blocker(&auth.principal.zone_data_visibility(), bid)
                .await?;
            (
                target(state, auth, blocker.project_id).await?,
                Some(blocker),
            )
        }
        (None, None) => return Err(AppError::NotFound),
    };
    let mut e = FieldErrors::new();
    let version = existing.as_ref().map(|_| common::version(input, &mut e));
    let blocker = parse_blocker(input).map_err(|mut more| {
        more.0.extend(e.0.clone());
        more
    })?;
    e.into_result()?;
    let id = existing.map(|b| (b.id, version.unwrap_or_default()));
    Ok(writes::save_blocker(&state.store, &auth.actor(), &target, id, &blocker).await?)
}
