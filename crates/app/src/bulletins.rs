//! 导入简报: reading a zone's bulletin (简报) for its articles, projects and
//! figures, comparing what it says of each project with the ledger, and
//! taking chosen facts into the ledger with their place in the bulletin kept
//! as the source. The reader is pure CPU over the whole text, so it runs off
//! the async workers.

use kfq_domain::validation::required_text;
use kfq_domain::{Category, FieldErrors, Money, Mu, Nature, OrgKind, Principal, Stage};
use kfq_extract::matching::{self, Match, Named};
use kfq_extract::{Fact, FactKind, Reading, Unit, Value};
use kfq_store::{Acceptance, Actor, Bulletin, FactSource, OrgFilter, Project, ProjectInput, Store};
use serde::Serialize;

use crate::access::writable_zone;
use crate::error::{Error, Result};
use crate::ledger::rules::Rules;
use crate::off_the_workers;

/// Largest bulletin kept: a few hundred pages of text.
pub const MAX_CHARS: usize = 2_000_000;

/// The facts of a bulletin's text, with their spans.
pub async fn read(text: &str) -> Result<Reading> {
    let text = text.to_owned();
    off_the_workers(move || kfq_extract::read(&text)).await
}

/// Files a bulletin's text under a zone the caller may write to.
pub async fn file(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    zone_id: Option<i64>,
    title: &str,
    text: &str,
) -> Result<i64> {
    let mut e = FieldErrors::new();
    let title = e.check("title", required_text(title, 200));
    if text.trim().is_empty() {
        e.add("text", "error.required");
    } else if text.chars().count() > MAX_CHARS {
        e.add("text", "error.too_long");
    }
    let Some(zone_id) = zone_id else {
        e.add("zone_id", "error.required");
        return Err(e.into());
    };
    e.into_result()?;
    let (zone, proof) = writable_zone(store, principal, zone_id).await?;
    Ok(store
        .add_bulletin(
            actor,
            &proof,
            (zone.id, &zone.org_path()),
            &title.unwrap_or_default(),
            text,
        )
        .await?)
}

/// What a bulletin says of one project, next to what the ledger holds.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectReading {
    pub name: String,
    pub zone_id: i64,
    pub zone_name: String,
    /// The ledger's project this is taken for, if any.
    pub project_id: Option<i64>,
    /// How it was matched: "exact" (same name) or "similar" (see `evidence`).
    pub matched_by: Option<String>,
    /// The matched project's name in the ledger.
    pub ledger_name: Option<String>,
    pub evidence: Option<MatchEvidence>,
    /// Equally likely projects when no one of them could be chosen.
    pub suggested: Vec<i64>,
    /// The zone's projects the caller sees, to correct the match with.
    pub candidates: Vec<ProjectChoice>,
    pub facts: Vec<FactLine>,
}

/// What the bulletin's name and the ledger's have in common.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchEvidence {
    pub product: String,
    /// As written for people: "100万吨".
    pub capacity: Option<String>,
    pub enterprise: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectChoice {
    pub id: i64,
    pub name: String,
}

/// Which ledger project the accepted facts go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The one the comparison matched (a new project when none).
    Matched,
    /// A project of the group's zone the user chose instead.
    Project(i64),
    /// A new project, whatever was matched.
    New,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FactLine {
    /// Index into the reading's facts (what accept takes).
    pub index: usize,
    pub kind: String,
    pub as_written: String,
    /// The value in the ledger's terms (万元, 亩, m², 人, a stage), if the ledger keeps it.
    pub ledger_field: Option<String>,
    pub value: String,
    /// What the ledger holds for the same field now.
    pub ledger_value: Option<String>,
    /// The bulletin says something the ledger does not (missing or different).
    pub differs: bool,
    pub quote: String,
}

/// The ledger field a fact fills, and its value in the field's unit.
fn ledger_value(fact: &Fact) -> Option<(&'static str, String)> {
    match &fact.value {
        Value::Stage { stage } => {
            let code = serde_json::to_value(stage).ok()?.as_str()?.to_owned();
            Stage::from_code(&code).map(|_| ("stage", code))
        }
        Value::Quantity(q) => {
            let wan = |yuan: i128| -> Option<String> {
                Some(Money::from_yuan(i64::try_from(yuan).ok()?).wan_string())
            };
            match (fact.kind, q.unit) {
                (FactKind::TotalInvestment, Unit::Yuan) => {
                    Some(("total_investment", wan(q.yuan()?)?))
                }
                (FactKind::AnnualOutput, Unit::Yuan) => Some(("annual_output", wan(q.yuan()?)?)),
                (FactKind::Tax, Unit::Yuan) => Some(("annual_tax", wan(q.yuan()?)?)),
                (FactKind::LandArea, Unit::Mu) => Some(("land_mu", q.amount.to_string())),
                (FactKind::FloorArea, Unit::SquareMetre) => {
                    Some(("floor_area_m2", q.amount.to_integer()?.to_string()))
                }
                (FactKind::Jobs, Unit::Person) => {
                    Some(("jobs", q.amount.to_integer()?.to_string()))
                }
                _ => None,
            }
        }
    }
}

fn current_value(project: &Project, field: &str) -> Option<String> {
    let wan = |y: Option<Money>| y.map(Money::wan_string);
    match field {
        "stage" => Some(project.stage.code().to_owned()),
        "total_investment" => {
            wan(Some(project.total_investment)).filter(|_| project.total_investment > Money::ZERO)
        }
        "annual_output" => wan(project.annual_output),
        "annual_tax" => wan(project.annual_tax),
        "land_mu" => project.land.map(|m| m.to_string()),
        "floor_area_m2" => project.floor_area_m2.map(|v| v.to_string()),
        "jobs" => project.jobs.map(|v| v.to_string()),
        _ => None,
    }
}

/// Groups the project facts by project and matches each with the ledger, in
/// a fixed number of statements whatever the bulletin's length.
pub async fn compare(
    store: &Store,
    principal: &Principal,
    bulletin: &Bulletin,
    reading: &Reading,
) -> Result<Vec<ProjectReading>> {
    let zones = store
        .orgs(
            &principal.org_visibility(),
            &OrgFilter {
                kind: Some(OrgKind::Zone),
                ..Default::default()
            },
            0,
            10_000,
        )
        .await?
        .items;
    let mut groups: Vec<ProjectReading> = Vec::new();
    for (index, fact) in reading.facts.iter().enumerate() {
        let Some(name) = fact.project.clone() else {
            continue;
        };
        if fact.kind.is_zone_level() {
            continue;
        }
        // The fact's zone if the caller sees it, else the zone the bulletin is filed under.
        let zone = fact
            .zone
            .as_deref()
            .and_then(|z| zones.iter().find(|u| u.name == z))
            .map(|u| (u.id, u.name.clone()))
            .unwrap_or((bulletin.zone_id, bulletin.zone_name.clone()));
        let group = match groups
            .iter()
            .position(|g| g.name == name && g.zone_id == zone.0)
        {
            Some(at) => &mut groups[at],
            None => {
                groups.push(ProjectReading {
                    name: name.clone(),
                    zone_id: zone.0,
                    zone_name: zone.1,
                    project_id: None,
                    matched_by: None,
                    ledger_name: None,
                    evidence: None,
                    suggested: vec![],
                    candidates: vec![],
                    facts: vec![],
                });
                groups.last_mut().expect("just pushed")
            }
        };
        let quote = fact.span.slice(&bulletin.body).to_owned();
        let as_written = match &fact.value {
            Value::Quantity(q) => q.as_written.clone(),
            Value::Stage { .. } => quote.clone(),
        };
        let reading_value = ledger_value(fact);
        group.facts.push(FactLine {
            index,
            kind: fact.kind.name().to_owned(),
            as_written,
            ledger_field: reading_value.as_ref().map(|(f, _)| (*f).to_owned()),
            value: reading_value
                .as_ref()
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            ledger_value: None,
            differs: reading_value.is_some(),
            quote,
        });
    }
    // Every project of the groups' zones, in one statement: the exact name
    // wins, else the matcher's one strongly evidenced candidate.
    let mut zone_ids: Vec<i64> = groups.iter().map(|g| g.zone_id).collect();
    zone_ids.sort_unstable();
    zone_ids.dedup();
    let known = store
        .zone_project_names(&principal.zone_data_visibility(), &zone_ids)
        .await?;
    // Each zone's candidates are read once; a zone of some hundred projects
    // takes milliseconds, so off the workers.
    let wanted: Vec<(i64, String, Option<String>)> = groups
        .iter()
        .map(|g| (g.zone_id, g.name.clone(), group_investor(reading, g)))
        .collect();
    let candidates = known.clone();
    let matches = off_the_workers(move || {
        let mut matches = vec![Match::None; wanted.len()];
        for zone in zone_ids {
            let at: Vec<usize> = (0..wanted.len()).filter(|i| wanted[*i].0 == zone).collect();
            let names: Vec<Named<'_>> = at
                .iter()
                .map(|i| Named {
                    name: &wanted[*i].1,
                    enterprise: wanted[*i].2.as_deref(),
                })
                .collect();
            let in_zone: Vec<Named<'_>> = candidates
                .iter()
                .filter(|p| p.0 == zone)
                .map(|p| Named {
                    name: &p.2,
                    enterprise: p.3.as_deref(),
                })
                .collect();
            for (i, found) in at.iter().zip(matching::find_each(&names, &in_zone)) {
                matches[*i] = found;
            }
        }
        matches
    })
    .await?;
    for (group, found) in groups.iter_mut().zip(matches) {
        let in_zone: Vec<&(i64, i64, String, Option<String>)> =
            known.iter().filter(|p| p.0 == group.zone_id).collect();
        match found {
            Match::Exact(i) => {
                group.project_id = Some(in_zone[i].1);
                group.ledger_name = Some(in_zone[i].2.clone());
                group.matched_by = Some("exact".to_owned());
            }
            Match::Similar(i, e) => {
                group.project_id = Some(in_zone[i].1);
                group.ledger_name = Some(in_zone[i].2.clone());
                group.matched_by = Some("similar".to_owned());
                group.evidence = Some(MatchEvidence {
                    product: e.product,
                    capacity: e.capacity,
                    enterprise: e.enterprise,
                });
            }
            Match::Ambiguous(found) => {
                group.suggested = found.iter().map(|i| in_zone[*i].1).collect();
            }
            Match::None => {}
        }
        group.candidates = in_zone
            .iter()
            .map(|p| ProjectChoice {
                id: p.1,
                name: p.2.clone(),
            })
            .collect();
    }
    let ids: Vec<i64> = groups.iter().filter_map(|g| g.project_id).collect();
    let projects = store
        .projects_by_id(&principal.zone_data_visibility(), &ids)
        .await?;
    for group in &mut groups {
        let matched = group
            .project_id
            .and_then(|id| projects.iter().find(|p| p.id == id));
        if let Some(project) = matched {
            for line in &mut group.facts {
                if let Some(field) = &line.ledger_field {
                    line.ledger_value = current_value(project, field);
                    line.differs = line.ledger_value.as_deref() != Some(line.value.as_str());
                }
            }
        }
    }
    Ok(groups)
}

/// The investor the bulletin names for a group's project, if any.
fn group_investor(reading: &Reading, group: &ProjectReading) -> Option<String> {
    group
        .facts
        .iter()
        .find_map(|line| reading.facts.get(line.index)?.investor.clone())
}

/// Accepts the chosen facts (`chosen`: indexes into the reading) of the
/// project `name` of a bulletin the caller sees: creates the project in its
/// zone, or updates the matched one and moves it forward to the stage the
/// bulletin reports; every figure keeps its source. All or nothing. `target`
/// overrides the comparison's match with a project of the same zone the
/// caller sees, or with a new project.
pub async fn accept(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    bulletin_id: i64,
    name: &str,
    chosen: &[usize],
    target: Target,
) -> Result<Project> {
    let bulletin = store
        .bulletin(&principal.zone_data_visibility(), bulletin_id)
        .await?;
    let reading = read(&bulletin.body).await?;
    let groups = compare(store, principal, &bulletin, &reading).await?;
    let group = groups
        .iter()
        .find(|g| g.name == name)
        .ok_or_else(|| Error::Invalid(FieldErrors::single("project", "error.choice")))?;
    let chosen: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|i| group.facts.iter().any(|f| f.index == *i))
        .collect();
    if chosen.is_empty() {
        return Err(Error::Invalid(FieldErrors::single(
            "facts",
            "error.required",
        )));
    }
    let (zone, proof) = writable_zone(store, principal, group.zone_id).await?;
    let rules = Rules::load(store, zone.id).await?;
    let project_id = match target {
        Target::Matched => group.project_id,
        Target::New => None,
        // Only a project of the group's zone the caller sees: the candidates.
        Target::Project(id) if group.candidates.iter().any(|c| c.id == id) => Some(id),
        Target::Project(_) => {
            return Err(Error::Invalid(FieldErrors::single(
                "project_id",
                "error.bulletin.project",
            )))
        }
    };
    let existing = match project_id {
        Some(id) => Some(store.project(&principal.zone_data_visibility(), id).await?),
        None => None,
    };
    let mut fields = existing
        .as_ref()
        .map(Project::input)
        .unwrap_or_else(|| blank_input(zone.id, &group.name));
    let mut stage = None;
    let mut e = FieldErrors::new();
    for line in group.facts.iter().filter(|f| chosen.contains(&f.index)) {
        match line.ledger_field.as_deref() {
            Some("stage") => stage = Stage::from_code(&line.value),
            Some("total_investment") => {
                fields.total_investment = e
                    .check("facts", Money::parse_wan(&line.value))
                    .unwrap_or_default()
            }
            Some("annual_output") => {
                fields.annual_output = e.check("facts", Money::parse_wan(&line.value))
            }
            Some("annual_tax") => {
                fields.annual_tax = e.check("facts", Money::parse_wan(&line.value))
            }
            Some("land_mu") => fields.land = Mu::parse(&line.value).ok(),
            Some("floor_area_m2") => fields.floor_area_m2 = line.value.parse().ok(),
            Some("jobs") => fields.jobs = line.value.parse().ok(),
            _ => {}
        }
    }
    e.into_result()?;
    // A bulletin moves an existing project forward only; an earlier stage
    // than the ledger's is news of the past, not a correction.
    let stage = match &existing {
        Some(current) => stage.filter(|next| {
            kfq_domain::project::check_advance(current.stage, current.furthest_stage, *next).is_ok()
        }),
        None => stage,
    };
    let sources: Vec<FactSource> = chosen
        .iter()
        .filter_map(|i| reading.facts.get(*i))
        .map(|f| FactSource {
            kind: f.kind.name().to_owned(),
            start: f.span.start as i64,
            end: f.span.end as i64,
            quote: f.span.slice(&bulletin.body).to_owned(),
        })
        .collect();
    Ok(store
        .accept_facts(
            actor,
            &proof,
            &Acceptance {
                project: existing.as_ref().map(|p| (p.id, p.version)),
                fields: &fields,
                stage,
                bulletin_id: bulletin.id,
                sources: &sources,
            },
            &rules.ctx(),
        )
        .await?)
}

fn blank_input(zone_id: i64, name: &str) -> ProjectInput {
    ProjectInput {
        zone_id,
        name: name.to_owned(),
        enterprise_id: None,
        investor: None,
        category: Category::Industrial,
        nature: Nature::New,
        industry_chain_id: None,
        total_investment: Money::ZERO,
        land: None,
        floor_area_m2: None,
        construction_content: None,
        annual_output: None,
        annual_tax: None,
        jobs: None,
        registered: false,
        registered_on: None,
        liaison_user_id: None,
        department_id: None,
        task_force: None,
        project_code: None,
    }
}
