//! The history of an object as people read it (修改记录): one entry per
//! audited change (who, when, what kind of change, about what), with the
//! changed fields under their labels and their values as they are typed and
//! shown elsewhere (万元, 亩, dates, stage names, the names of people and
//! departments, 是/否). Column names, ids, versions, hashes and JSON stay out.
//!
//! Pure: it reads the before/after snapshots the audit trail keeps and the
//! catalogue; the stage changes (for a correction's reason) are handed in.

use chrono::NaiveDate;
use kfq_domain::money::{Money, Mu};
use kfq_domain::Stage;
use kfq_store::AuditEntry;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::i18n::Catalog;

/// One audited change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub id: i64,
    /// Unix milliseconds.
    pub at: i64,
    pub actor_name: String,
    /// create, update, delete or event.
    pub action: String,
    /// What the record is about: project, project_plan, project_investment, blocker…
    pub entity: String,
    /// The id of what it is about (a project, a plan, a blocker…).
    pub entity_id: i64,
    /// What kind of change, in words: 修改项目, 新建年度计划, 推进阶段, 更正阶段…
    pub kind: String,
    /// Which one of its kind: the month, the year, the blocker, the node.
    pub subject: Option<String>,
    /// Why a stage was corrected.
    pub reason: Option<String>,
    pub changes: Vec<FieldLine>,
}

/// One changed field: "label: before → after".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldLine {
    /// The field's key in the API (or `milestones.<node>.planned_on`).
    pub field: String,
    pub label: String,
    /// The value before, as shown; none when it was empty or did not exist.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A stage change as recorded in the stage history, to tell a correction
/// (and its reason) from an advance.
#[derive(Debug, Clone)]
pub struct StageNote {
    pub to_stage: Stage,
    pub on_date: NaiveDate,
    pub correction: bool,
    pub reason: Option<String>,
    /// Unix milliseconds.
    pub at: i64,
}

impl From<&kfq_store::StageChange> for StageNote {
    fn from(c: &kfq_store::StageChange) -> Self {
        StageNote {
            to_stage: c.to_stage,
            on_date: c.on_date,
            correction: c.correction,
            reason: c.reason.clone(),
            at: c.at,
        }
    }
}

/// How a field's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Text,
    /// Yuan, shown in 万元 as typed.
    Money,
    /// Hundredths of a 亩.
    Mu,
    SquareMetres,
    People,
    Number,
    /// A day (YYYY-MM-DD).
    Day,
    /// An instant (Unix milliseconds).
    Instant,
    Flag,
    /// A code of a `code_enum!` family.
    Code(&'static str),
    /// An id shown by the name kept beside it in the snapshot.
    Named(&'static str),
    /// A password event: shown as changed.
    Changed,
    /// Said by the entry's subject (a month's year and month): not a line.
    Subject,
}

/// (key, catalogue label, how it reads) of each field an entity shows.
type Fields = &'static [(&'static str, &'static str, Shown)];

const PROJECT: Fields = &[
    ("name", "audit.field.project_name", Shown::Text),
    ("zone_id", "audit.field.zone", Shown::Named("zone_name")),
    (
        "enterprise_id",
        "audit.field.enterprise",
        Shown::Named("enterprise_name"),
    ),
    ("investor", "audit.field.investor", Shown::Text),
    ("category", "audit.field.category", Shown::Code("Category")),
    ("nature", "audit.field.nature", Shown::Code("Nature")),
    (
        "industry_chain_id",
        "audit.field.industry_chain",
        Shown::Named("industry_chain"),
    ),
    ("stage", "audit.field.stage", Shown::Code("Stage")),
    ("stage_since", "audit.field.stage_since", Shown::Day),
    (
        "total_investment",
        "audit.field.total_investment",
        Shown::Money,
    ),
    ("land_mu_hundredths", "audit.field.land", Shown::Mu),
    (
        "floor_area_m2",
        "audit.field.floor_area",
        Shown::SquareMetres,
    ),
    (
        "construction_content",
        "audit.field.construction_content",
        Shown::Text,
    ),
    ("annual_output", "audit.field.annual_output", Shown::Money),
    ("annual_tax", "audit.field.annual_tax", Shown::Money),
    ("jobs", "audit.field.jobs", Shown::People),
    ("registered", "audit.field.registered", Shown::Flag),
    ("registered_on", "audit.field.registered_on", Shown::Day),
    (
        "liaison_user_id",
        "audit.field.liaison",
        Shown::Named("liaison_name"),
    ),
    (
        "department_id",
        "audit.field.department",
        Shown::Named("department_name"),
    ),
    ("task_force", "audit.field.task_force", Shown::Text),
    ("project_code", "audit.field.project_code", Shown::Text),
    ("rag", "audit.field.rag", Shown::Code("Rag")),
];

const PLAN: Fields = &[
    ("year", "audit.field.year", Shown::Subject),
    (
        "planned_investment",
        "audit.field.planned_investment",
        Shown::Money,
    ),
    ("target_start", "audit.field.target_start", Shown::Day),
    (
        "target_completion",
        "audit.field.target_completion",
        Shown::Day,
    ),
    (
        "target_production",
        "audit.field.target_production",
        Shown::Day,
    ),
];

const MONTH: Fields = &[
    ("year", "audit.field.year", Shown::Subject),
    ("month", "audit.field.month", Shown::Subject),
    ("amount", "audit.field.month_amount", Shown::Money),
    ("note", "audit.field.note", Shown::Text),
];

const OPENING: Fields = &[
    ("amount", "audit.field.opening_amount", Shown::Money),
    ("as_of", "audit.field.as_of", Shown::Day),
    ("note", "audit.field.note", Shown::Text),
];

const BLOCKER: Fields = &[
    ("factor", "audit.field.factor", Shown::Code("BlockerFactor")),
    ("description", "audit.field.description", Shown::Text),
    ("raised_on", "audit.field.raised_on", Shown::Day),
    (
        "department_id",
        "audit.field.department",
        Shown::Named("department_name"),
    ),
    ("deadline", "audit.field.deadline", Shown::Day),
    (
        "status",
        "audit.field.blocker_status",
        Shown::Code("BlockerStatus"),
    ),
    ("resolution", "audit.field.resolution", Shown::Text),
    ("resolved_on", "audit.field.resolved_on", Shown::Day),
];

const DECISION: Fields = &[
    ("meeting_on", "audit.field.meeting_on", Shown::Day),
    ("decided_by", "audit.field.decided_by", Shown::Text),
    ("decision", "audit.field.decision", Shown::Text),
    ("owner", "audit.field.owner", Shown::Text),
    ("due_on", "audit.field.due_on", Shown::Day),
];

const MILESTONE: Fields = &[
    ("name", "audit.field.milestone", Shown::Text),
    ("planned_on", "audit.field.planned_on", Shown::Day),
    ("actual_on", "audit.field.actual_on", Shown::Day),
];

const BASELINE: Fields = &[("name", "audit.field.baseline_name", Shown::Text)];

const CAMPAIGN_PROJECT: Fields = &[
    (
        "total_investment",
        "audit.field.total_investment",
        Shown::Money,
    ),
    ("category", "audit.field.category", Shown::Code("Category")),
    ("stage", "audit.field.stage", Shown::Code("Stage")),
];

const ENTERPRISE: Fields = &[
    ("name", "audit.field.enterprise_name", Shown::Text),
    ("zone_id", "audit.field.zone", Shown::Named("zone_name")),
    ("credit_code", "audit.field.credit_code", Shown::Text),
    ("industry", "audit.field.industry", Shown::Text),
    ("address", "audit.field.address", Shown::Text),
    ("contact_name", "audit.field.contact_name", Shown::Text),
    ("contact_phone", "audit.field.contact_phone", Shown::Text),
];

const ORG_UNIT: Fields = &[
    ("name", "audit.field.org_name", Shown::Text),
    ("kind", "audit.field.org_kind", Shown::Code("OrgKind")),
    ("code", "audit.field.org_code", Shown::Text),
    (
        "zone_level",
        "audit.field.zone_level",
        Shown::Code("ZoneLevel"),
    ),
    (
        "zone_type",
        "audit.field.zone_type",
        Shown::Code("ZoneType"),
    ),
];

const USER: Fields = &[
    ("username", "audit.field.username", Shown::Text),
    ("display_name", "audit.field.display_name", Shown::Text),
    ("role", "audit.field.role", Shown::Code("Role")),
    (
        "org_unit_id",
        "audit.field.org_unit",
        Shown::Named("org_unit_name"),
    ),
    ("phone", "audit.field.phone", Shown::Text),
    ("email", "audit.field.email", Shown::Text),
    ("active", "audit.field.active", Shown::Flag),
    ("password", "audit.field.password", Shown::Changed),
    (
        "tokens_revoked",
        "audit.field.tokens_revoked",
        Shown::Number,
    ),
    ("token_name", "audit.field.token_name", Shown::Text),
    ("expires_at", "audit.field.expires_at", Shown::Instant),
];

fn fields_of(entity: &str) -> Fields {
    match entity {
        "project" => PROJECT,
        "project_plan" => PLAN,
        "project_investment" => MONTH,
        "project_opening" => OPENING,
        "blocker" => BLOCKER,
        "blocker_decision" => DECISION,
        "project_milestone" => MILESTONE,
        "project_baseline" => BASELINE,
        "campaign_project" => CAMPAIGN_PROJECT,
        "enterprise" => ENTERPRISE,
        "org_unit" => ORG_UNIT,
        "user" => USER,
        _ => &[],
    }
}

/// Bookkeeping no person typed: never shown, whatever the entity.
fn internal(key: &str) -> bool {
    const KEYS: &[&str] = &[
        "id",
        "version",
        "sort",
        "key",
        "path",
        "zone_path",
        "furthest_stage",
        "rag_reasons",
        "recorded_by",
        "milestones",
        "created_by",
    ];
    KEYS.contains(&key)
        || key.ends_with("_id")
        || key.ends_with("_at")
        || key == "at"
        || key.contains("hash")
        || key.ends_with("_name")
        || key == "industry_chain"
        || key == "token_created"
        || key == "token_revoked"
}

/// The readable history of `entries` (newest first, as read), with the
/// project's stage changes to name a correction and its reason.
pub fn readable(
    catalog: &Catalog,
    entries: &[AuditEntry],
    stages: &[StageNote],
) -> Vec<HistoryEntry> {
    entries
        .iter()
        .map(|e| readable_entry(catalog, e, stages))
        .collect()
}

fn snapshot(text: Option<&str>) -> Option<Value> {
    text.and_then(|t| serde_json::from_str::<Value>(t).ok())
}

fn object(value: Option<&Value>) -> Map<String, Value> {
    value
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The readable trail of records about many objects (the recent changes
/// page): as [`readable`], with the object a record is about named where
/// its snapshot names it (a project, an enterprise, a unit, an account).
pub fn readable_trail(catalog: &Catalog, entries: &[AuditEntry]) -> Vec<HistoryEntry> {
    entries
        .iter()
        .map(|e| {
            let mut entry = readable_entry(catalog, e, &[]);
            if entry.subject.is_none() {
                let snapshot = snapshot(e.after_json.as_deref())
                    .or_else(|| snapshot(e.before_json.as_deref()));
                entry.subject = snapshot.as_ref().and_then(|s| {
                    ["name", "display_name"]
                        .iter()
                        .find_map(|k| s.get(*k).and_then(Value::as_str))
                        .map(str::to_owned)
                });
            }
            entry
        })
        .collect()
}

pub fn readable_entry(catalog: &Catalog, entry: &AuditEntry, stages: &[StageNote]) -> HistoryEntry {
    let before = snapshot(entry.before_json.as_deref());
    let after = snapshot(entry.after_json.as_deref());
    let entity = entry.entity.as_str();
    let changes = if entity == "project_milestones" {
        milestone_lines(catalog, before.as_ref(), after.as_ref())
    } else {
        field_lines(
            catalog,
            fields_of(entity),
            &object(before.as_ref()),
            &object(after.as_ref()),
            entry.action == "create",
        )
    };
    let entity_label = label_or(
        catalog,
        &format!("audit.entity.{entity}"),
        "audit.entity.other",
    );
    let action_label = label_or(
        catalog,
        &format!("audit.action.{}", entry.action),
        "audit.action.update",
    );
    let mut kind = catalog.format(
        &format!("audit.kind.{}", known_action(&entry.action)),
        &[("action", action_label), ("entity", entity_label)],
    );
    let mut reason = None;
    if entity == "project" && entry.action == "update" && changes.iter().any(|c| c.field == "stage")
    {
        let note = stage_note(stages, after.as_ref(), entry.at);
        match note {
            Some(n) if n.correction => {
                kind = catalog.t("audit.kind.stage_correction").to_owned();
                reason = n.reason.clone().filter(|r| !r.trim().is_empty());
            }
            _ => kind = catalog.t("audit.kind.stage_advance").to_owned(),
        }
    }
    HistoryEntry {
        id: entry.id,
        at: entry.at,
        actor_name: entry.actor_name.clone(),
        action: entry.action.clone(),
        entity: entry.entity.clone(),
        entity_id: entry.entity_id,
        kind,
        subject: subject(catalog, entity, after.as_ref().or(before.as_ref())),
        reason,
        changes,
    }
}

fn known_action(action: &str) -> &'static str {
    match action {
        "create" => "create",
        "delete" => "delete",
        "event" => "event",
        _ => "update",
    }
}

fn label_or<'a>(catalog: &'a Catalog, key: &str, fallback: &'static str) -> &'a str {
    catalog.lookup(key).unwrap_or_else(|| catalog.t(fallback))
}

/// The stage change a project record made: the one to its new stage on its
/// new date, recorded closest before the audit record.
fn stage_note<'a>(
    stages: &'a [StageNote],
    after: Option<&Value>,
    at: i64,
) -> Option<&'a StageNote> {
    let after = after?.as_object()?;
    let stage = after.get("stage")?.as_str()?;
    let since = after.get("stage_since").and_then(Value::as_str);
    stages
        .iter()
        .filter(|s| s.to_stage.code() == stage)
        .filter(|s| since.is_none_or(|d| s.on_date.to_string() == d))
        .filter(|s| s.at <= at)
        .max_by_key(|s| s.at)
}

/// Which one of its kind a record is about.
fn subject(catalog: &Catalog, entity: &str, snapshot: Option<&Value>) -> Option<String> {
    let fields = snapshot?.as_object()?;
    let text = |key: &str| {
        fields
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let number = |key: &str| {
        fields
            .get(key)
            .and_then(Value::as_i64)
            .map(|n| n.to_string())
    };
    match entity {
        "project_plan" => Some(catalog.format("audit.subject.year", &[("year", &number("year")?)])),
        "project_investment" => Some(catalog.format(
            "common.year_month",
            &[("year", &number("year")?), ("month", &number("month")?)],
        )),
        "blocker" => {
            let factor = fields.get("factor").and_then(Value::as_str);
            let description = text("description")?;
            Some(match factor {
                Some(code) => catalog.format(
                    "audit.subject.blocker",
                    &[
                        ("factor", &code_label(catalog, "BlockerFactor", code)),
                        ("description", &description),
                    ],
                ),
                None => description,
            })
        }
        "blocker_decision" => text("decision"),
        "project_milestone" | "project_baseline" => text("name"),
        _ => None,
    }
}

fn code_label(catalog: &Catalog, family: &str, code: &str) -> String {
    catalog
        .lookup(&format!("{family}.{code}"))
        .unwrap_or_else(|| catalog.t("audit.value.other"))
        .to_owned()
}

/// The changed fields of an entity in its table's order, then any field the
/// table does not know under a generic label. A new record shows what it was
/// created with (its non-empty fields).
fn field_lines(
    catalog: &Catalog,
    table: Fields,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    created: bool,
) -> Vec<FieldLine> {
    let mut lines = Vec::new();
    let changed = |key: &str| before.get(key) != after.get(key);
    for &(key, label, shown) in table {
        // An id kept is the same person or department, even if renamed since.
        if shown == Shown::Subject || !changed(key) {
            continue;
        }
        let old = show(catalog, shown, before, key);
        let new = show(catalog, shown, after, key);
        if old == new || (created && new.is_none()) {
            continue;
        }
        lines.push(FieldLine {
            field: key.trim_end_matches("_hundredths").to_owned(),
            label: catalog.t(label).to_owned(),
            before: if created { None } else { old },
            after: new,
        });
    }
    let mut others: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| !internal(k) && !table.iter().any(|(key, _, _)| key == k) && changed(k))
        .collect();
    others.sort();
    others.dedup();
    for key in others {
        let old = show(catalog, Shown::Text, before, key);
        let new = show(catalog, Shown::Text, after, key);
        if old == new || (created && new.is_none()) {
            continue;
        }
        lines.push(FieldLine {
            field: key.clone(),
            label: catalog.t("audit.field.other").to_owned(),
            before: if created { None } else { old },
            after: new,
        });
    }
    lines
}

/// One value as people read it; `None` when empty.
fn show(catalog: &Catalog, shown: Shown, fields: &Map<String, Value>, key: &str) -> Option<String> {
    let value = fields.get(key).filter(|v| !v.is_null())?;
    let number = value.as_i64();
    let text = match shown {
        Shown::Named(name) => {
            return fields
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| Some(catalog.t("audit.value.unnamed").to_owned()))
        }
        Shown::Money => {
            let wan = Money::from_yuan(number?).wan_string();
            catalog.format("audit.value.wan", &[("n", &wan)])
        }
        Shown::Mu => {
            let mu = Mu::from_hundredths(number?).to_string();
            catalog.format("audit.value.mu", &[("n", &mu)])
        }
        Shown::SquareMetres => catalog.format("audit.value.m2", &[("n", &number?.to_string())]),
        Shown::People => catalog.format("audit.value.people", &[("n", &number?.to_string())]),
        Shown::Number => number?.to_string(),
        Shown::Day => day(catalog, value.as_str()?),
        Shown::Instant => crate::clock::beijing_time_text(number?),
        Shown::Flag => catalog
            .t(if value.as_bool()? {
                "common.yes"
            } else {
                "common.no"
            })
            .to_owned(),
        Shown::Code(family) => code_label(catalog, family, value.as_str()?),
        Shown::Changed => catalog.t("audit.value.changed").to_owned(),
        Shown::Subject | Shown::Text => match value {
            Value::String(s) => s.clone(),
            Value::Bool(b) => catalog
                .t(if *b { "common.yes" } else { "common.no" })
                .to_owned(),
            Value::Number(n) => n.to_string(),
            // A list or a record inside a record: not something to read here.
            _ => catalog.t("audit.value.changed").to_owned(),
        },
    };
    Some(text).filter(|t| !t.trim().is_empty())
}

fn day(catalog: &Catalog, text: &str) -> String {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => d.format(catalog.t("common.date_format")).to_string(),
        Err(_) => text.to_owned(),
    }
}

/// A project's milestone plan saved at once: one line per node whose
/// planned (or actual) date or name changed, named by the node.
fn milestone_lines(
    catalog: &Catalog,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Vec<FieldLine> {
    let nodes = |v: Option<&Value>| -> Vec<Map<String, Value>> {
        v.and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|n| n.as_object().cloned()).collect())
            .unwrap_or_default()
    };
    let (old, new) = (nodes(before), nodes(after));
    let key_of = |n: &Map<String, Value>| {
        n.get("key")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let mut keys: Vec<String> = new.iter().map(key_of).collect();
    for n in &old {
        let k = key_of(n);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let empty = Map::new();
    let mut lines = Vec::new();
    for key in keys {
        let was = old.iter().find(|n| key_of(n) == key).unwrap_or(&empty);
        let is = new.iter().find(|n| key_of(n) == key).unwrap_or(&empty);
        let name = is
            .get("name")
            .or_else(|| was.get("name"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        for (field, label) in [
            ("planned_on", name.clone()),
            (
                "actual_on",
                catalog.format("audit.milestone.actual", &[("name", &name)]),
            ),
        ] {
            let (b, a) = (
                show(catalog, Shown::Day, was, field),
                show(catalog, Shown::Day, is, field),
            );
            if b != a {
                lines.push(FieldLine {
                    field: format!("milestones.{key}.{field}"),
                    label,
                    before: b,
                    after: a,
                });
            }
        }
        let (b, a) = (
            show(catalog, Shown::Text, was, "name"),
            show(catalog, Shown::Text, is, "name"),
        );
        if b.is_some() && a.is_some() && b != a {
            lines.push(FieldLine {
                field: format!("milestones.{key}.name"),
                label: catalog.t("audit.field.milestone").to_owned(),
                before: b,
                after: a,
            });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(
        entity: &str,
        action: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> AuditEntry {
        AuditEntry {
            id: 7,
            at: 1_717_200_000_000,
            actor_id: Some(3),
            actor_name: "运城经开区经发部".into(),
            action: action.into(),
            entity: entity.into(),
            entity_id: 11,
            before_json: before.map(|v| v.to_string()),
            after_json: after.map(|v| v.to_string()),
            hash: "ab12".into(),
        }
    }

    fn line(
        label: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> (String, Option<String>, Option<String>) {
        (label.into(), before.map(Into::into), after.map(Into::into))
    }

    fn lines(e: &HistoryEntry) -> Vec<(String, Option<String>, Option<String>)> {
        e.changes
            .iter()
            .map(|c| (c.label.clone(), c.before.clone(), c.after.clone()))
            .collect()
    }

    fn project(
        total: i64,
        department: (Option<i64>, Option<&str>),
        registered: bool,
        version: i64,
    ) -> Value {
        json!({
            "id": 11, "zone_id": 2, "zone_name": "运城经开区", "name": "年产5万吨再生铝项目",
            "enterprise_id": null, "enterprise_name": null, "investor": "山西某铝业",
            "category": "industrial", "nature": "new", "industry_chain_id": 4, "industry_chain": "再生金属",
            "stage": "pre_construction", "furthest_stage": "pre_construction", "stage_since": "2024-03-01",
            "total_investment": total, "land_mu_hundredths": 12050, "floor_area_m2": null,
            "construction_content": "新建生产线两条", "annual_output": null, "annual_tax": null, "jobs": 120,
            "registered": registered, "registered_on": null, "liaison_user_id": 5, "liaison_name": "王副主任",
            "department_id": department.0, "department_name": department.1, "task_force": null,
            "project_code": null, "rag": "green", "rag_reasons": [], "version": version,
            "created_at": 1, "updated_at": version
        })
    }

    /// A field edit: money in 万元 as typed, the department by name, 是/否; the
    /// version and timestamps that moved with it are not shown.
    #[test]
    fn a_project_edit_reads_as_typed() {
        let c = Catalog::zh();
        let before = project(1_800_000_000, (None, None), false, 3);
        let after = project(2_000_050_000, (Some(9), Some("经济发展部")), true, 4);
        let e = readable_entry(
            c,
            &entry("project", "update", Some(before), Some(after)),
            &[],
        );
        assert_eq!(e.kind, "修改项目");
        assert_eq!(e.subject, None);
        assert_eq!(
            lines(&e),
            vec![
                line("总投资", Some("180000 万元"), Some("200005 万元")),
                line("是否入库", Some("否"), Some("是")),
                line("责任部门", None, Some("经济发展部")),
            ]
        );
        assert_eq!(e.changes[0].field, "total_investment");
    }

    fn staged(stage: &str, since: &str) -> Value {
        let mut p = project(1_800_000_000, (None, None), false, 5);
        p["stage"] = json!(stage);
        p["stage_since"] = json!(since);
        p
    }

    /// A stage change is named as one, stage names and dates in words; a
    /// correction carries its reason from the stage history.
    #[test]
    fn stage_changes_read_as_advances_and_corrections() {
        let c = Catalog::zh();
        let advance = entry(
            "project",
            "update",
            Some(staged("pre_construction", "2024-03-01")),
            Some(staged("started", "2024-06-18")),
        );
        let e = readable_entry(c, &advance, &[]);
        assert_eq!(e.kind, "推进阶段");
        assert_eq!(e.reason, None);
        assert_eq!(
            lines(&e),
            vec![
                line("项目阶段", Some("前期"), Some("开工")),
                line("进入阶段日期", Some("2024年3月1日"), Some("2024年6月18日")),
            ]
        );
        let notes = [
            StageNote {
                to_stage: Stage::PreConstruction,
                on_date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
                correction: false,
                reason: None,
                at: advance.at - 100_000,
            },
            StageNote {
                to_stage: Stage::PreConstruction,
                on_date: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
                correction: true,
                reason: Some("误报开工，施工许可尚未办结".into()),
                at: advance.at - 2,
            },
        ];
        let back = entry(
            "project",
            "update",
            Some(staged("started", "2024-06-18")),
            Some(staged("pre_construction", "2024-03-01")),
        );
        let e = readable_entry(c, &back, &notes);
        assert_eq!(e.kind, "更正阶段");
        assert_eq!(e.reason.as_deref(), Some("误报开工，施工许可尚未办结"));
        assert_eq!(e.changes[0].after.as_deref(), Some("前期"));
    }

    /// A month's figure is about its month; a new record shows what it was
    /// created with.
    #[test]
    fn a_month_is_named_by_its_month() {
        let c = Catalog::zh();
        let month = |amount: i64, version: i64| json!({"id": 40, "project_id": 11, "year": 2024, "month": 6, "amount": amount, "note": null, "version": version});
        let created = readable_entry(
            c,
            &entry(
                "project_investment",
                "create",
                None,
                Some(month(12_000_000, 1)),
            ),
            &[],
        );
        assert_eq!(created.kind, "新建月度投资");
        assert_eq!(created.subject.as_deref(), Some("2024年6月"));
        assert_eq!(
            lines(&created),
            vec![line("当月完成投资", None, Some("1200 万元"))]
        );
        let corrected = readable_entry(
            c,
            &entry(
                "project_investment",
                "update",
                Some(month(12_000_000, 1)),
                Some(month(12_500_000, 2)),
            ),
            &[],
        );
        assert_eq!(
            lines(&corrected),
            vec![line("当月完成投资", Some("1200 万元"), Some("1250 万元"))]
        );
    }

    /// A plan is about its year; land in 亩.
    #[test]
    fn plans_and_land_read_in_their_units() {
        let c = Catalog::zh();
        let plan = |amount: i64, production: Option<&str>| {
            json!({"id": 3, "project_id": 11, "year": 2024, "planned_investment": amount,
                   "target_start": "2024-04-01", "target_completion": null, "target_production": production, "version": 1})
        };
        let e = readable_entry(
            c,
            &entry(
                "project_plan",
                "update",
                Some(plan(500_000_000, None)),
                Some(plan(650_000_000, Some("2024-12-31"))),
            ),
            &[],
        );
        assert_eq!(e.subject.as_deref(), Some("2024年"));
        assert_eq!(
            lines(&e),
            vec![
                line("年度计划投资", Some("50000 万元"), Some("65000 万元")),
                line("计划投产", None, Some("2024年12月31日")),
            ]
        );
        let mut wider = project(1, (None, None), false, 2);
        wider["land_mu_hundredths"] = json!(15075);
        let e = readable_entry(
            c,
            &entry(
                "project",
                "update",
                Some(project(1, (None, None), false, 1)),
                Some(wider),
            ),
            &[],
        );
        assert_eq!(
            lines(&e),
            vec![line("用地", Some("120.5 亩"), Some("150.75 亩"))]
        );
    }

    /// A blocker is named by its factor and description; its status and
    /// department in words.
    #[test]
    fn a_blocker_reads_in_words() {
        let c = Catalog::zh();
        let blocker = |status: &str, resolution: Option<&str>| {
            json!({"id": 8, "zone_id": 2, "project_id": 11, "project_name": "年产5万吨再生铝项目",
                   "factor": "power", "description": "35千伏专线未接入", "raised_on": "2024-05-06",
                   "department_id": 9, "department_name": "经济发展部", "deadline": "2024-06-30",
                   "status": status, "resolution": resolution, "resolved_on": null, "version": 1})
        };
        let e = readable_entry(
            c,
            &entry(
                "blocker",
                "update",
                Some(blocker("open", None)),
                Some(blocker("resolved", Some("供电公司完成接入"))),
            ),
            &[],
        );
        assert_eq!(e.kind, "修改困难问题");
        assert_eq!(e.subject.as_deref(), Some("电：35千伏专线未接入"));
        assert_eq!(
            lines(&e),
            vec![
                line("办理状态", Some("待办"), Some("已解决")),
                line("解决情况", None, Some("供电公司完成接入")),
            ]
        );
    }

    /// A milestone plan saved at once: one line per node whose date moved,
    /// named by the node.
    #[test]
    fn milestones_read_one_line_per_moved_node() {
        let c = Catalog::zh();
        let node = |key: &str, name: &str, planned: &str, actual: Option<&str>| json!({"id": 1, "key": key, "name": name, "sort": 0, "planned_on": planned, "actual_on": actual, "version": 1});
        let before = json!([
            node("eia", "环评", "2024-03-01", Some("2024-02-27")),
            node("start", "开工", "2024-05-01", None),
            node("finish", "竣工", "2025-05-01", None),
        ]);
        let after = json!([
            node("eia", "环评", "2024-03-01", Some("2024-02-27")),
            node("start", "开工", "2024-06-01", None),
            node("finish", "竣工", "2025-05-01", None),
            node("produce", "投产", "2025-08-01", None),
        ]);
        let e = readable_entry(
            c,
            &entry("project_milestones", "update", Some(before), Some(after)),
            &[],
        );
        assert_eq!(e.kind, "修改节点计划");
        assert_eq!(
            lines(&e),
            vec![
                line("开工", Some("2024年5月1日"), Some("2024年6月1日")),
                line("投产", None, Some("2025年8月1日")),
            ]
        );
        let single = |actual: Option<&str>| node("start", "开工", "2024-06-01", actual);
        let e = readable_entry(
            c,
            &entry(
                "project_milestone",
                "update",
                Some(single(None)),
                Some(single(Some("2024-06-03"))),
            ),
            &[],
        );
        assert_eq!(e.subject.as_deref(), Some("开工"));
        assert_eq!(
            lines(&e),
            vec![line("实际日期", None, Some("2024年6月3日"))]
        );
    }

    /// A field no table knows is shown under a generic label, never by its key;
    /// bookkeeping (ids, versions, hashes, times) is left out; a list inside a
    /// record is not dumped.
    #[test]
    fn unknown_fields_get_a_generic_label_and_bookkeeping_stays_out() {
        let c = Catalog::zh();
        let before = json!({"id": 1, "version": 1, "colour": "blue", "owner_id": 4, "row_hash": "x", "checked_at": 5, "parts": [1]});
        let after = json!({"id": 1, "version": 2, "colour": "red", "owner_id": 5, "row_hash": "y", "checked_at": 6, "parts": [1, 2]});
        let e = readable_entry(
            c,
            &entry("gadget", "update", Some(before), Some(after)),
            &[],
        );
        assert_eq!(e.kind, "修改记录");
        assert_eq!(lines(&e), vec![line("其他信息", Some("blue"), Some("red"))]);
        let shown = serde_json::to_string(&e).unwrap();
        for raw in ["version", "owner_id", "row_hash", "checked_at"] {
            assert!(!shown.contains(raw), "{raw} in {shown}");
        }
    }

    /// A department renamed since is still the same department: no line.
    /// The recent-changes trail names the object a record is about.
    #[test]
    fn a_rename_elsewhere_is_not_a_change_and_the_trail_names_objects() {
        let c = Catalog::zh();
        let before = project(1_000_000, (Some(9), Some("经发部")), false, 1);
        let after = project(1_000_000, (Some(9), Some("经济发展部")), false, 2);
        let record = entry("project", "update", Some(before), Some(after));
        assert!(readable_entry(c, &record, &[]).changes.is_empty());
        let trail = readable_trail(c, std::slice::from_ref(&record));
        assert_eq!(trail[0].subject.as_deref(), Some("年产5万吨再生铝项目"));
        assert_eq!(readable(c, &[record], &[])[0].subject, None);
    }

    /// An account's events read as what happened, without the token's id.
    #[test]
    fn an_account_event_reads_as_what_happened() {
        let c = Catalog::zh();
        let note = json!({ "password": "changed", "tokens_revoked": 2 });
        let e = readable_entry(c, &entry("user", "event", None, Some(note)), &[]);
        assert_eq!(e.kind, "用户事件");
        assert_eq!(
            lines(&e),
            vec![
                line("密码", None, Some("已修改")),
                line("吊销的访问令牌数", None, Some("2")),
            ]
        );
        let token = json!({ "token_revoked": 31, "token_name": "测试脚本" });
        let e = readable_entry(c, &entry("user", "event", None, Some(token)), &[]);
        assert_eq!(lines(&e), vec![line("访问令牌", None, Some("测试脚本"))]);
    }

    /// Every label the tables name is in the catalogue.
    #[test]
    fn every_label_is_in_the_catalogue() {
        let c = Catalog::zh();
        for entity in [
            "project",
            "project_plan",
            "project_investment",
            "project_opening",
            "blocker",
            "blocker_decision",
            "project_milestone",
            "project_baseline",
            "campaign_project",
            "enterprise",
            "org_unit",
            "user",
        ] {
            assert!(c.has(&format!("audit.entity.{entity}")), "{entity}");
            for (key, label, _) in fields_of(entity) {
                assert!(c.has(label), "{entity}.{key}: {label}");
            }
        }
    }
}
