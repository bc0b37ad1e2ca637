//! The demo tells one story: no project's milestones contradict its stage,
//! and recording a node or moving a stage keeps it that way.

use kfq_store::testing::{backends, TestDb};
use kfq_store::Store;

#[tokio::test]
async fn the_demo_ledger_has_no_project_whose_milestones_and_stage_disagree() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let demo = kfq_demo::seed(&store).await.expect("demo");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let projects =
            kfq_demo::seed_ledger(&store, &demo.zones, kfq_demo::LedgerSize::Normal, today)
                .await
                .expect("ledger");
        assert!(projects > 500, "{projects} projects");
        let found = store.stage_disagreements().await.expect("check");
        assert!(found.is_empty(), "{backend:?}: {found:#?}");

        // The check finds what it is for: a 开工 project given a 投产 date.
        sqlx::any::install_default_drivers();
        let url = match backend {
            kfq_store::Backend::Sqlite => format!("sqlite://{}", db.url),
            kfq_store::Backend::Postgres => db.url.clone(),
        };
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        let done = sqlx::query(
            "UPDATE project_milestones SET actual_on = '2026-01-05' WHERE key = 'production' \
             AND project_id = (SELECT MIN(p.id) FROM projects p JOIN project_milestones m ON m.project_id = p.id \
             WHERE p.stage = 'started' AND m.key = 'production')",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        assert_eq!(done.rows_affected(), 1);
        let found = store.stage_disagreements().await.expect("check");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(matches!(
            found[0].mismatch,
            kfq_domain::project::StageMismatch::AheadOfStage(_)
        ));
        assert_eq!(found[0].milestone, "投产");
    }
}
