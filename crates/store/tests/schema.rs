//! The schema conventions of docs/ARCHITECTURE.md, checked against the
//! migrated database of each backend: every table has a class, zone-owned
//! tables carry `zone_id NOT NULL`, their unique keys and foreign keys to other
//! zone tables include `zone_id`; and both dialects hold the same migrations.
//! A new table fails here until it is classified and follows the rules.

use std::collections::BTreeSet;

use kfq_store::testing::{backends, TestDb};
use kfq_store::Store;

/// Rows belong to one zone: the future distribution column is `zone_id`.
const ZONE_OWNED: &[&str] = &[
    "activities",
    "activity_investors",
    "activity_leads",
    "blocker_decisions",
    "blocker_history",
    "blockers",
    "bulletins",
    "campaign_projects",
    "chain_node_enterprises",
    "chain_node_targets",
    "chain_nodes",
    "enterprises",
    "indicator_revisions",
    "indicator_targets",
    "indicator_values",
    "industry_chains",
    "investor_contacts",
    "investors",
    "lead_funds",
    "lead_members",
    "lead_stage_changes",
    "leads",
    "milestone_templates",
    "project_baselines",
    "project_investment_history",
    "project_investments",
    "project_milestones",
    "project_openings",
    "project_plan_history",
    "project_plans",
    "project_sources",
    "project_stage_changes",
    "projects",
    "zone_settings",
];

/// Rows of an org unit at any level (a city's campaign, a province's sheet):
/// few, read with their subtree; they stay on the coordinator.
const ORG_LEVEL: &[&str] = &[
    "attraction_rules",
    "attraction_targets",
    "assessment_closings",
    "assessment_sheets",
    "campaigns",
    "import_mappings",
    "import_uploads",
    "monthly_reports",
    "ledger_imports",
];

/// The organisation tree, accounts and their sessions, the audit chain, the
/// delivery queue: global registries.
const GLOBAL: &[&str] = &[
    "api_tokens",
    "audit_heads",
    "audit_log",
    // A province's register of 首谈: one zone holds an investor across the
    // province's zones (and shards), so its keys stand without zone_id.
    "first_talk_claims",
    "leases",
    "login_failures",
    "notification_channels",
    "notification_subscriptions",
    "notifications",
    "org_units",
    "refresh_counts",
    "sessions",
    "users",
];

/// Small shared tables every shard reads.
const DICTIONARIES: &[&str] = &["calendar_overrides", "indicators", "warning_rules"];

/// Unique keys on zone tables that stand without `zone_id`, each for a reason.
const UNIQUE_WITHOUT_ZONE: &[(&str, &str)] = &[
    // National identifiers: unique across the country, so under sharding they
    // move to a registry table keyed by the identifier.
    ("enterprises", "enterprises_credit_code"),
    ("projects", "projects_project_code"),
];

/// Foreign keys between zone tables that predate the rule (they reference the
/// parent's `id` alone). New tables reference `(zone_id, …)` instead.
const LEGACY_ZONE_REFERENCES: &[&str] = &[
    "blocker_decisions",
    "blocker_history",
    "blockers",
    "campaign_projects",
    "project_baselines",
    "project_investment_history",
    "project_investments",
    "project_milestones",
    "project_plan_history",
    "project_plans",
    "project_sources",
    "project_stage_changes",
    "projects",
    "indicator_revisions",
];

fn migrations(dialect: &str) -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dialect);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_dialects_hold_the_same_migrations() {
    let sqlite = migrations("sqlite");
    let postgres = migrations("postgres");
    assert!(sqlite.len() >= 13, "migrations found: {sqlite:?}");
    assert_eq!(
        sqlite.symmetric_difference(&postgres).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "a migration exists in one dialect only"
    );
}

#[tokio::test]
async fn every_table_follows_the_schema_conventions() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let schema = store.schema().await.expect("schema");
        let mut problems = Vec::new();

        let classes = [ZONE_OWNED, ORG_LEVEL, GLOBAL, DICTIONARIES];
        for table in &schema.tables {
            let homes = classes
                .iter()
                .filter(|c| c.contains(&table.as_str()))
                .count();
            if homes != 1 {
                problems.push(format!(
                    "{table}: classify it once (zone-owned, org-level, global or dictionary)"
                ));
            }
        }
        for class in classes {
            for table in class {
                if !schema.tables.iter().any(|t| t == table) {
                    problems.push(format!("{table}: classified but not in the database"));
                }
            }
        }

        for table in ZONE_OWNED {
            match schema.column(table, "zone_id") {
                Some(column) if column.not_null => {}
                Some(_) => problems.push(format!("{table}.zone_id may be NULL")),
                None => problems.push(format!("{table} has no zone_id")),
            }
        }

        for index in &schema.unique_indexes {
            let exempt = UNIQUE_WITHOUT_ZONE
                .iter()
                .any(|(t, prefix)| *t == index.table && index.name.starts_with(prefix));
            if ZONE_OWNED.contains(&index.table.as_str())
                && !index.columns.iter().any(|c| c == "zone_id")
                && !exempt
            {
                problems.push(format!(
                    "unique index {} on {} ({}) lacks zone_id",
                    index.name,
                    index.table,
                    index.columns.join(", ")
                ));
            }
        }

        for key in &schema.foreign_keys {
            let between_zone_tables = ZONE_OWNED.contains(&key.table.as_str())
                && ZONE_OWNED.contains(&key.references.as_str());
            if between_zone_tables
                && !key.columns.iter().any(|c| c == "zone_id")
                && !LEGACY_ZONE_REFERENCES.contains(&key.table.as_str())
            {
                problems.push(format!(
                    "{} ({}) → {} must include zone_id",
                    key.table,
                    key.columns.join(", "),
                    key.references
                ));
            }
        }

        assert!(
            problems.is_empty(),
            "{backend:?}: schema conventions broken:\n{}",
            problems.join("\n")
        );
        // The catalogue reads really happened: a check over nothing proves nothing.
        assert!(schema.unique_indexes.len() > 10 && schema.foreign_keys.len() > 10);
        store.close().await;
    }
}
