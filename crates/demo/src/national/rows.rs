//! The national scale's rows in COPY text, column for column as the store's
//! own inserts write them (`Store::create_org`, `industry_chains`, the bulk
//! import of projects, `record_figures`, `set_targets`).

use chrono::NaiveDate;
use kfq_domain::project_fields::{Stored, FIELDS};
use kfq_domain::OrgKind;
use kfq_store::bulk_copy::CopyRows;
use kfq_store::{IndicatorRow, ProjectRecord};

use super::tree::NewUnit;
use crate::indicators::zone_figures;

/// Who the seeded rows name as their author.
const ACTOR: &str = "演示数据";

fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

pub(super) fn org_units(units: &[NewUnit], now: i64) -> CopyRows {
    let mut rows = CopyRows::new(
        "org_units",
        &[
            "id",
            "parent_id",
            "kind",
            "name",
            "code",
            "path",
            "zone_id",
            "zone_level",
            "zone_type",
            "created_at",
            "updated_at",
        ],
    );
    for u in units {
        rows.field(u.id)
            .field(u.parent_id)
            .field(u.kind.code())
            .field(&u.name)
            .field(&u.code)
            .field(u.path.as_str())
            .field(u.zone_id)
            .field(u.zone_level.map(|l| l.code()))
            .field(u.zone_type.map(|t| t.code()))
            .field(now)
            .field(now)
            .end_row();
    }
    rows
}

/// The default industry chains of every new zone, numbered from `next_id`;
/// also returns them as (zone, id, name).
pub(super) fn industry_chains(
    units: &[NewUnit],
    mut next_id: i64,
) -> (CopyRows, Vec<(i64, i64, String)>) {
    let mut rows = CopyRows::new("industry_chains", &["id", "zone_id", "name", "sort"]);
    let mut chains = Vec::new();
    for zone in units.iter().filter(|u| u.kind == OrgKind::Zone) {
        for (sort, name) in kfq_domain::project::DEFAULT_INDUSTRY_CHAINS
            .iter()
            .enumerate()
        {
            rows.field(next_id)
                .field(zone.id)
                .field(*name)
                .field(sort as i64)
                .end_row();
            chains.push((zone.id, next_id, (*name).to_owned()));
            next_id += 1;
        }
    }
    (rows, chains)
}

/// The ledger tables of a batch of zones, projects first (the others refer
/// to them).
pub(super) struct LedgerRows {
    projects: CopyRows,
    changes: CopyRows,
    plans: CopyRows,
    months: CopyRows,
    milestones: CopyRows,
    blockers: CopyRows,
}

impl LedgerRows {
    pub(super) fn new() -> Self {
        let mut project_columns = vec!["id"];
        project_columns.extend(FIELDS.iter().map(|f| f.column));
        project_columns.extend([
            "stage",
            "furthest_stage",
            "stage_since",
            "created_at",
            "updated_at",
        ]);
        Self {
            projects: CopyRows::new("projects", &project_columns),
            changes: CopyRows::new(
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
            ),
            plans: CopyRows::new(
                "project_plans",
                &["zone_id", "project_id", "year", "planned_investment"],
            ),
            months: CopyRows::new(
                "project_investments",
                &["zone_id", "project_id", "year", "month", "amount"],
            ),
            milestones: CopyRows::new(
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
            ),
            blockers: CopyRows::new(
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
            ),
        }
    }

    /// Adds one zone's projects, numbered from `next_id`; returns the next
    /// free id.
    pub(super) fn push_zone(
        &mut self,
        records: &[ProjectRecord],
        mut next_id: i64,
        now: i64,
    ) -> i64 {
        for record in records {
            let id = next_id;
            next_id += 1;
            self.push_project(id, record, now);
        }
        next_id
    }

    fn push_project(&mut self, id: i64, project: &ProjectRecord, now: i64) {
        let zone = project.input.zone_id;
        // As the store's import: the furthest stage on the main line reached.
        let furthest = project.furthest_stage();
        let row = &mut self.projects;
        row.field(id);
        for f in FIELDS {
            match project.input.stored(f.key) {
                Stored::Int(v) => row.field(v),
                Stored::Text(v) => row.field(v),
            };
        }
        row.field(project.stage.code())
            .field(furthest.code())
            .field(date(project.stage_changes.last().map(|(_, d)| *d)))
            .field(now)
            .field(now)
            .end_row();

        let mut from: Option<&str> = None;
        for (stage, on) in &project.stage_changes {
            self.changes
                .field(zone)
                .field(id)
                .field(from)
                .field(stage.code())
                .field(on.to_string())
                .field(0_i64)
                .field(ACTOR)
                .field(now)
                .end_row();
            from = Some(stage.code());
        }
        for (year, planned) in &project.plans {
            self.plans
                .field(zone)
                .field(id)
                .field(i64::from(*year))
                .field(planned.yuan())
                .end_row();
        }
        for (year, month, amount) in &project.months {
            self.months
                .field(zone)
                .field(id)
                .field(i64::from(*year))
                .field(i64::from(*month))
                .field(amount.yuan())
                .end_row();
        }
        for (sort, (key, name, planned, actual)) in project.milestones.iter().enumerate() {
            self.milestones
                .field(zone)
                .field(id)
                .field(key)
                .field(name)
                .field(sort as i64)
                .field(date(*planned))
                .field(date(*actual))
                .end_row();
        }
        for b in &project.blockers {
            self.blockers
                .field(zone)
                .field(id)
                .field(b.factor.code())
                .field(&b.description)
                .field(b.raised_on.to_string())
                .field(b.department_id)
                .field(date(b.deadline))
                .field(b.status.code())
                .field(&b.resolution)
                .field(date(b.resolved_on))
                .field(now)
                .field(now)
                .end_row();
        }
    }

    pub(super) fn into_vec(self) -> Vec<CopyRows> {
        vec![
            self.projects,
            self.changes,
            self.plans,
            self.months,
            self.milestones,
            self.blockers,
        ]
    }
}

/// Indicator figures (the current value and its first revision) and targets.
pub(super) struct IndicatorRows {
    values: CopyRows,
    revisions: CopyRows,
    targets: CopyRows,
}

impl IndicatorRows {
    pub(super) fn new() -> Self {
        Self {
            values: CopyRows::new(
                "indicator_values",
                &[
                    "zone_id",
                    "indicator_id",
                    "year",
                    "month",
                    "value",
                    "numerator",
                    "denominator",
                    "revision",
                    "source",
                    "actor_name",
                    "at",
                ],
            ),
            revisions: CopyRows::new(
                "indicator_revisions",
                &[
                    "zone_id",
                    "indicator_id",
                    "year",
                    "month",
                    "revision",
                    "value",
                    "numerator",
                    "denominator",
                    "source",
                    "actor_name",
                    "at",
                ],
            ),
            targets: CopyRows::new(
                "indicator_targets",
                &[
                    "zone_id",
                    "indicator_id",
                    "year",
                    "annual",
                    "growth_tenths",
                    "actor_name",
                    "at",
                ],
            ),
        }
    }

    /// Adds the figures and targets of one zone, as the demo's indicators
    /// of the smaller scales (source "demo", first revision).
    pub(super) fn push_zone(
        &mut self,
        zone_id: i64,
        indicators: &[IndicatorRow],
        today: NaiveDate,
        now: i64,
    ) {
        use chrono::Datelike;
        let (figures, targets) = zone_figures(zone_id, indicators, today);
        for f in &figures {
            let (numerator, denominator) = f.parts.unzip();
            self.values
                .field(zone_id)
                .field(f.indicator_id)
                .field(i64::from(f.year))
                .field(i64::from(f.month))
                .field(f.value)
                .field(numerator)
                .field(denominator)
                .field(1_i64)
                .field("demo")
                .field(ACTOR)
                .field(now)
                .end_row();
            self.revisions
                .field(zone_id)
                .field(f.indicator_id)
                .field(i64::from(f.year))
                .field(i64::from(f.month))
                .field(1_i64)
                .field(f.value)
                .field(numerator)
                .field(denominator)
                .field("demo")
                .field(ACTOR)
                .field(now)
                .end_row();
        }
        for (indicator, annual, growth) in targets {
            self.targets
                .field(zone_id)
                .field(indicator)
                .field(i64::from(today.year()))
                .field(annual)
                .field(growth)
                .field(ACTOR)
                .field(now)
                .end_row();
        }
    }

    pub(super) fn tables(&mut self) -> [&mut CopyRows; 3] {
        [&mut self.values, &mut self.revisions, &mut self.targets]
    }
}
