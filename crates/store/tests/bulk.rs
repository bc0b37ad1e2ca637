//! Bulk import and the ledger over many projects, on SQLite and (with
//! `KFQ_TEST_PG`) PostgreSQL.

use chrono::NaiveDate;
use kfq_domain::rag::RagRules;
use kfq_domain::{
    BlockerFactor, BlockerStatus, Category, Money, Nature, OrgKind, Rag, Stage, UnitAdmin,
    Visibility, ZoneLevel, ZoneType, ZoneWrite,
};
use kfq_store::testing::{backends, TestDb};
use kfq_store::{
    Actor, Backend, BlockerInput, FigureInput, LedgerFilter, LedgerSort, LedgerTotals, OrgInput,
    ProjectInput, ProjectRecord, RagContext, Store, StoreError,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn each_backend(test: impl AsyncFn(Store)) {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::connect(&db.url).await.unwrap();
        store.migrate().await.unwrap();
        test(store.clone()).await;
        store.close().await;
    }
}

/// The totals row of `zone`'s ledger as of December 2024.
async fn ledger_totals(store: &Store, zone: i64) -> LedgerTotals {
    let filter = LedgerFilter {
        year: 2024,
        month: 12,
        zone_id: Some(zone),
        ..Default::default()
    };
    let ledger = store.ledger(&Visibility::All, &filter, 0, 1).await.unwrap();
    ledger.totals
}

/// A fresh, migrated database on `backend`, with its store.
async fn migrated(backend: Backend) -> (TestDb, Store) {
    sqlx::any::install_default_drivers();
    let db = TestDb::new(backend).await;
    let store = Store::connect(&db.url).await.unwrap();
    store.migrate().await.unwrap();
    (db, store)
}

/// Projects of `zone` in its ledger.
async fn ledger_count(store: &Store, zone: i64) -> i64 {
    ledger_totals(store, zone).await.count
}

/// The latest audit records, up to 500.
async fn audit_count(store: &Store) -> usize {
    store
        .audit_recent(&Visibility::All, 500)
        .await
        .unwrap()
        .len()
}

/// A province with two zones, each with one department; returns (zone, department) pairs.
async fn zones(store: &Store) -> [(i64, i64); 2] {
    let system = Actor::system("test");
    let unit = |kind, parent, name: &str, code: Option<&str>| OrgInput {
        kind,
        parent_id: parent,
        name: name.into(),
        code: code.map(Into::into),
        zone_level: (kind == OrgKind::Zone).then_some(ZoneLevel::Provincial),
        zone_type: (kind == OrgKind::Zone).then_some(ZoneType::Economic),
    };
    let province = store
        .create_org(
            &system,
            &UnitAdmin::operator(),
            &unit(OrgKind::Province, None, "山西省", Some("140000")),
        )
        .await
        .unwrap();
    let mut result = [(0, 0); 2];
    for (n, name) in ["清徐县经济开发区", "阳高县经济开发区"].iter().enumerate() {
        let zone = store
            .create_org(
                &system,
                &UnitAdmin::operator(),
                &unit(
                    OrgKind::Zone,
                    Some(province.id),
                    name,
                    Some(&format!("Z{n}")),
                ),
            )
            .await
            .unwrap();
        let department = store
            .create_org(
                &system,
                &UnitAdmin::operator(),
                &unit(OrgKind::Department, Some(zone.id), "经济发展部", None),
            )
            .await
            .unwrap();
        result[n] = (zone.id, department.id);
    }
    result
}

/// Project `n` of a zone: its months of 2023 and 2024 are n 万元 each, so
/// year-to-date figures are easy to state.
fn record((zone_id, department_id): (i64, i64), n: i64) -> ProjectRecord {
    let started = d("2023-03-01");
    ProjectRecord {
        input: ProjectInput {
            zone_id,
            name: format!("年产{n}万吨特种钢材项目"),
            enterprise_id: None,
            investor: None,
            category: if n % 2 == 0 {
                Category::Industrial
            } else {
                Category::Infrastructure
            },
            nature: Nature::Continuing,
            industry_chain_id: None,
            total_investment: Money::from_wan(1_000 * n),
            land: None,
            floor_area_m2: None,
            construction_content: None,
            annual_output: None,
            annual_tax: None,
            jobs: None,
            registered: true,
            registered_on: Some(started),
            liaison_user_id: None,
            department_id: Some(department_id),
            task_force: None,
            project_code: None,
        },
        stage: Stage::Started,
        stage_changes: vec![(Stage::Signed, d("2023-01-05")), (Stage::Started, started)],
        plans: vec![(2024, Money::from_wan(20 * n))],
        targets: Vec::new(),
        opening: None,
        months: (3..=12)
            .map(|m| (2023, m, Money::from_wan(n)))
            .chain((1..=10).map(|m| (2024, m, Money::from_wan(n))))
            .collect(),
        blockers: vec![BlockerInput {
            factor: BlockerFactor::Power,
            description: "双回路供电线路尚未接入".into(),
            raised_on: d("2024-09-01"),
            department_id: Some(department_id),
            deadline: Some(d("2024-10-01")),
            status: BlockerStatus::Open,
            resolution: None,
            resolved_on: None,
        }],
        milestones: vec![(
            "start".into(),
            "开工".into(),
            Some(d("2023-03-01")),
            Some(started),
        )],
    }
}

#[tokio::test]
async fn a_batch_of_projects_lands_whole_with_one_audit_record_each() {
    each_backend(async |store| {
        let [a, b] = zones(&store).await;
        let actor = Actor::system("演示数据");
        // More months than one statement takes, so the batch is split.
        let records: Vec<ProjectRecord> = (1..=450).map(|n| record(a, n)).collect();
        let ids = store.import_projects(&actor, &records).await.unwrap();
        assert_eq!(ids.len(), 450);
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "ids in the order given"
        );
        let first = store.project(&Visibility::All, ids[0]).await.unwrap();
        assert_eq!(first.name, "年产1万吨特种钢材项目");
        assert_eq!(
            first.stage_since.map(|d| d.to_string()).as_deref(),
            Some("2023-03-01")
        );
        assert_eq!(first.furthest_stage, Stage::Started);
        assert_eq!(
            store
                .investments(&Visibility::All, ids[0])
                .await
                .unwrap()
                .len(),
            20
        );
        assert_eq!(
            store
                .stage_changes(&Visibility::All, ids[0])
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            store.plans(&Visibility::All, ids[0]).await.unwrap().len(),
            1
        );
        assert_eq!(
            store
                .milestones(&Visibility::All, ids[0])
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store
                .blockers(&Visibility::All, Some(ids[0]), None, true)
                .await
                .unwrap()
                .len(),
            1
        );
        let history = store
            .audit_history(&Visibility::All, "project", ids[449])
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        let report = store.audit_verify().await.unwrap();
        assert!(report.broken.is_none());

        // A department of another zone spoils the whole batch.
        let mut wrong = record(b, 1);
        wrong.input.department_id = Some(a.1);
        let err = store
            .import_projects(&actor, &[record(b, 2), wrong])
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
        assert_eq!(
            ledger_count(&store, b.0).await,
            0,
            "nothing of the failed batch"
        );
    })
    .await;
}

#[tokio::test]
async fn a_batch_failing_in_its_last_statement_leaves_nothing_and_the_chain_as_it_was() {
    each_backend(async |store| {
        let [a, _] = zones(&store).await;
        let actor = Actor::system("演示数据");
        // More projects than one statement takes, so statements are still
        // being made when the last one fails: a blocker's department that
        // does not exist, written after everything else of the projects.
        // Enough of them to be staged on PostgreSQL.
        let mut records: Vec<ProjectRecord> = (1..=5_500).map(|n| record(a, n)).collect();
        records[5_499].blockers[0].department_id = Some(a.1 + 1_000_000);
        let before = audit_count(&store).await;
        assert!(store.import_projects(&actor, &records).await.is_err());
        assert_eq!(
            ledger_count(&store, a.0).await,
            0,
            "no project of the failed batch"
        );
        assert_eq!(audit_count(&store).await, before, "no audit record of it");

        // The chain's head stayed where it was: the next batch continues it.
        records[5_499].blockers[0].department_id = Some(a.1);
        let ids = store
            .import_projects(&actor, &records[5_000..])
            .await
            .unwrap();
        assert_eq!(ids.len(), 500);
        assert_eq!(ledger_count(&store, a.0).await, 500);
        let report = store.audit_verify().await.unwrap();
        assert!(report.broken.is_none(), "{:?}", report.broken);
    })
    .await;
}

#[tokio::test]
async fn a_code_taken_twice_in_a_batch_is_refused_on_its_field_and_leaves_nothing() {
    each_backend(async |store| {
        let [a, _] = zones(&store).await;
        let actor = Actor::system("演示数据");
        // A row a unique index refuses is the same field error on both
        // databases (SQLite's rows go in on its own thread, PostgreSQL's as
        // arrays, or for loads this large from staging tables), not an
        // error the caller cannot explain.
        let mut records: Vec<ProjectRecord> = (1..=6_000).map(|n| record(a, n)).collect();
        for (n, r) in records.iter_mut().enumerate() {
            r.input.project_code = Some(format!("2026-140200-{n:05}"));
        }
        records[5_900].input.project_code = records[10].input.project_code.clone();
        let before = audit_count(&store).await;
        let err = store.import_projects(&actor, &records).await.unwrap_err();
        match err {
            StoreError::Invalid(errors) => {
                assert_eq!(errors.0.len(), 1);
                assert_eq!(errors.0[0].field, "project_code");
                assert_eq!(errors.0[0].key, "error.project_code.taken");
            }
            other => panic!("expected the code's field error, got {other:?}"),
        }
        assert_eq!(
            ledger_count(&store, a.0).await,
            0,
            "no project of the refused batch"
        );
        assert_eq!(audit_count(&store).await, before, "no audit record of it");
    })
    .await;
}

/// A connection of the test's own to the PostgreSQL database at `url`.
async fn pg(url: &str) -> sqlx::PgConnection {
    <sqlx::PgConnection as sqlx::Connection>::connect(url)
        .await
        .unwrap()
}

/// Tables whose names mark them as a load's staging tables (PostgreSQL).
async fn staging_tables(url: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'kfq\\_staged\\_%'",
    )
    .fetch_one(&mut pg(url).await)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_load_large_enough_to_be_staged_lands_as_a_small_one_and_leaves_no_staging_table() {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::connect(&db.url).await.unwrap();
        store.migrate().await.unwrap();
        let [a, _] = zones(&store).await;
        let actor = Actor::system("演示数据");
        // On PostgreSQL this many go by COPY into staging tables, then into
        // the ledger inside the import's transaction.
        let mut records: Vec<ProjectRecord> = (1..=6_000).map(|n| record(a, n)).collect();
        // Texts COPY would misread unescaped.
        records[5_999].input.name = "制表\t符、反斜杠\\N与\n换行项目".into();
        records[5_999].blockers[0].description = "\\N".into();
        // What a load that died long ago left behind, and one a load still
        // running has made: the next stage drops the first only.
        let recent = format!("kfq_staged_{}_1_0", kfq_store::now_ms());
        if backend == kfq_store::Backend::Postgres {
            let mut conn = pg(&db.url).await;
            for table in ["kfq_staged_1000_1_0", recent.as_str()] {
                sqlx::query(&format!("CREATE UNLOGGED TABLE {table} (id BIGINT)"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
        }
        let ids = store.import_projects(&actor, &records).await.unwrap();
        assert_eq!(ids.len(), 6_000);
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ledger_count(&store, a.0).await, 6_000);
        if backend == kfq_store::Backend::Postgres {
            assert_eq!(staging_tables(&db.url).await, 1, "the old one dropped");
            let mut conn = pg(&db.url).await;
            sqlx::query(&format!("DROP TABLE {recent}"))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        let filter = LedgerFilter {
            year: 2024,
            month: 10,
            zone_id: Some(a.0),
            ..Default::default()
        };
        let ledger = store.ledger(&Visibility::All, &filter, 0, 1).await.unwrap();
        // Project n's 2024 months are n 万元 each, ten of them by October.
        let expected: i64 = (1..=6_000_i64).map(|n| 10 * n).sum();
        assert_eq!(ledger.totals.ytd, Money::from_wan(expected));
        let last = store.project(&Visibility::All, ids[5_999]).await.unwrap();
        assert_eq!(last.name, "制表\t符、反斜杠\\N与\n换行项目");
        assert_eq!(last.department_id, Some(a.1));
        for (id, months) in [(ids[0], 20), (ids[5_999], 20)] {
            assert_eq!(
                store.investments(&Visibility::All, id).await.unwrap().len(),
                months
            );
            assert_eq!(
                store
                    .stage_changes(&Visibility::All, id)
                    .await
                    .unwrap()
                    .len(),
                2
            );
            assert_eq!(store.plans(&Visibility::All, id).await.unwrap().len(), 1);
        }
        let blockers = store
            .blockers(&Visibility::All, Some(ids[5_999]), None, true)
            .await
            .unwrap();
        assert_eq!(blockers.len(), 1);
        assert_eq!(blockers[0].description, "\\N");
        let history = store
            .audit_history(&Visibility::All, "project", ids[5_999])
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        let report = store.audit_verify().await.unwrap();
        assert!(report.broken.is_none(), "{:?}", report.broken);
        if backend == kfq_store::Backend::Postgres {
            assert_eq!(staging_tables(&db.url).await, 0, "each dropped by the load");
        }

        // A load that fails in its last statement leaves nothing, staging
        // tables included once its transaction has rolled back.
        let mut failing: Vec<ProjectRecord> = (1..=6_000).map(|n| record(a, n)).collect();
        failing[5_999].blockers[0].department_id = Some(a.1 + 1_000_000);
        assert!(store.import_projects(&actor, &failing).await.is_err());
        assert_eq!(ledger_count(&store, a.0).await, 6_000);
        if backend == kfq_store::Backend::Postgres {
            let mut left = staging_tables(&db.url).await;
            for _ in 0..100 {
                if left == 0 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                left = staging_tables(&db.url).await;
            }
            assert_eq!(left, 0, "a failed load's staging tables dropped after it");
        }
        store.close().await;
    }
}

#[tokio::test]
async fn project_ids_drawn_between_other_writers_values_are_the_ones_written() {
    use sqlx::Connection;
    for backend in backends() {
        if backend != kfq_store::Backend::Postgres {
            continue;
        }
        let db = TestDb::new(backend).await;
        let store = Store::connect(&db.url).await.unwrap();
        store.migrate().await.unwrap();
        let [a, _] = zones(&store).await;
        // A sequence stepping by three stands for values taken by other
        // writers between the batch's own: its ids are no unbroken run.
        let mut admin = sqlx::postgres::PgConnection::connect(&db.url)
            .await
            .unwrap();
        sqlx::query("ALTER TABLE projects ALTER COLUMN id SET INCREMENT BY 3")
            .execute(&mut admin)
            .await
            .unwrap();
        let actor = Actor::system("演示数据");
        let records: Vec<ProjectRecord> = (1..=5).map(|n| record(a, n)).collect();
        let ids = store.import_projects(&actor, &records).await.unwrap();
        assert!(ids.windows(2).all(|w| w[1] - w[0] == 3), "{ids:?}");
        for (n, id) in ids.iter().enumerate() {
            let project = store.project(&Visibility::All, *id).await.unwrap();
            assert_eq!(project.name, format!("年产{}万吨特种钢材项目", n + 1));
            assert_eq!(
                store
                    .investments(&Visibility::All, *id)
                    .await
                    .unwrap()
                    .len(),
                20
            );
        }
        sqlx::query("ALTER TABLE projects ALTER COLUMN id SET INCREMENT BY 1")
            .execute(&mut admin)
            .await
            .unwrap();
        let more = store.import_projects(&actor, &records[..2]).await.unwrap();
        assert!(more[0] > ids[4] && more[1] == more[0] + 1, "{more:?}");
        assert!(store.audit_verify().await.unwrap().broken.is_none());
        admin.close().await.unwrap();
        store.close().await;
    }
}

#[tokio::test]
async fn the_ledger_over_many_projects_pages_sorts_and_totals() {
    each_backend(async |store| {
        let [a, b] = zones(&store).await;
        let actor = Actor::system("演示数据");
        let records: Vec<ProjectRecord> = (1..=120)
            .map(|n| record(if n % 3 == 0 { b } else { a }, n))
            .collect();
        store.import_projects(&actor, &records).await.unwrap();
        let sum = |ns: &mut dyn Iterator<Item = i64>| ns.sum::<i64>() * 10_000;

        // Province-wide, January–June: every project has 6 months of n 万元.
        let filter = LedgerFilter {
            year: 2024,
            month: 6,
            sort: LedgerSort::YearToDate,
            descending: true,
            ..Default::default()
        };
        let ledger = store
            .ledger(&Visibility::All, &filter, 0, 50)
            .await
            .unwrap();
        assert_eq!(ledger.totals.count, 120);
        assert_eq!(ledger.totals.ytd.yuan(), 6 * sum(&mut (1..=120)));
        assert_eq!(
            ledger.totals.planned_investment.yuan(),
            20 * sum(&mut (1..=120))
        );
        assert_eq!(
            ledger.totals.total_investment.yuan(),
            1_000 * sum(&mut (1..=120))
        );
        assert_eq!(ledger.page.items.len(), 50);
        let ytds: Vec<i64> = ledger.page.items.iter().map(|r| r.ytd.yuan()).collect();
        let expected: Vec<i64> = (71..=120).rev().map(|n| 6 * n * 10_000).collect();
        assert_eq!(ytds, expected);
        assert_eq!(
            ledger.page.items[0].planned_investment,
            Some(Money::from_yuan(20 * 120 * 10_000))
        );

        // The third page holds the last 20; ascending puts the smallest first.
        let ascending = LedgerFilter {
            descending: false,
            ..filter.clone()
        };
        let last = store
            .ledger(&Visibility::All, &ascending, 100, 50)
            .await
            .unwrap();
        assert_eq!(last.page.items.len(), 20);
        assert_eq!(last.page.items[0].ytd.yuan(), 6 * 101 * 10_000);
        assert_eq!(last.totals.count, 120);
        // Past the end: no rows, the totals still there.
        let beyond = store
            .ledger(&Visibility::All, &ascending, 200, 50)
            .await
            .unwrap();
        assert!(beyond.page.items.is_empty());
        assert_eq!(beyond.totals.count, 120);
        assert_eq!(beyond.totals.ytd, ledger.totals.ytd);

        // One zone's, by year-to-date, as its supervisor sees them; then past the end.
        let zone_a = store.org(&Visibility::All, a.0).await.unwrap().org_path();
        let filter = LedgerFilter {
            year: 2024,
            month: 6,
            zone_id: Some(a.0),
            sort: LedgerSort::YearToDate,
            descending: true,
            ..Default::default()
        };
        let ledger = store
            .ledger(&Visibility::Subtree(zone_a.clone()), &filter, 0, 10)
            .await
            .unwrap();
        let in_a: Vec<i64> = (1..=120).filter(|n| n % 3 != 0).collect();
        assert_eq!(ledger.totals.count, in_a.len() as i64);
        assert_eq!(ledger.totals.ytd.yuan(), 6 * sum(&mut in_a.iter().copied()));
        let ytds: Vec<i64> = ledger.page.items.iter().map(|r| r.ytd.yuan()).collect();
        let expected: Vec<i64> = in_a.iter().rev().take(10).map(|n| 6 * n * 10_000).collect();
        assert_eq!(ytds, expected);
        let beyond = store
            .ledger(&Visibility::Subtree(zone_a), &filter, 500, 10)
            .await
            .unwrap();
        assert!(beyond.page.items.is_empty());
        assert_eq!(beyond.totals.count, ledger.totals.count);
        assert_eq!(beyond.totals.ytd, ledger.totals.ytd);
        assert_eq!(
            beyond.totals.planned_investment.yuan(),
            20 * sum(&mut in_a.iter().copied())
        );

        // One zone (n divisible by 3), a category and a name filter together.
        let zone_b = store.org(&Visibility::All, b.0).await.unwrap().org_path();
        let filter = LedgerFilter {
            year: 2024,
            month: 10,
            zone_id: Some(b.0),
            category: Some(Category::Industrial),
            name_contains: Some("年产1".into()),
            ..Default::default()
        };
        let ledger = store
            .ledger(&Visibility::Subtree(zone_b), &filter, 0, 50)
            .await
            .unwrap();
        let matching: Vec<i64> = (1..=120)
            .filter(|n| n % 3 == 0 && n % 2 == 0 && n.to_string().starts_with('1'))
            .collect();
        assert_eq!(ledger.totals.count, matching.len() as i64);
        assert_eq!(
            ledger.totals.ytd.yuan(),
            10 * sum(&mut matching.iter().copied())
        );
        let ids: Vec<&str> = ledger.page.items.iter().map(|r| r.name.as_str()).collect();
        assert!(ids.iter().all(|n| n.starts_with("年产1")), "{ids:?}");

        // A month without figures and a year without plans.
        let filter = LedgerFilter {
            year: 2022,
            month: 12,
            sort: LedgerSort::Planned,
            ..Default::default()
        };
        let ledger = store.ledger(&Visibility::All, &filter, 0, 5).await.unwrap();
        assert_eq!(ledger.totals.ytd.yuan(), 0);
        assert_eq!(ledger.totals.planned_investment.yuan(), 0);
        assert!(ledger
            .page
            .items
            .iter()
            .all(|r| r.ytd.yuan() == 0 && r.planned_investment.is_none()));

        // Statuses are left for the daily refresh.
        let filter = LedgerFilter {
            year: 2024,
            month: 10,
            rag: Some(Rag::Green),
            ..Default::default()
        };
        let ledger = store.ledger(&Visibility::All, &filter, 0, 5).await.unwrap();
        assert_eq!(ledger.totals.count, 120);

        // Projects without figures come last, newest first, and a page that
        // reaches them is ordered the same as one that does not.
        let mut idle = Vec::new();
        for n in 1..=3 {
            let mut r = record(b, 1000 + n);
            r.months.clear();
            idle.push(r);
        }
        let idle = store.import_projects(&actor, &idle).await.unwrap();
        let filter = LedgerFilter {
            year: 2024,
            month: 6,
            zone_id: Some(b.0),
            sort: LedgerSort::YearToDate,
            descending: true,
            ..Default::default()
        };
        let whole = store
            .ledger(&Visibility::All, &filter, 0, 50)
            .await
            .unwrap();
        assert_eq!(whole.totals.count, 43);
        let tail: Vec<i64> = whole.page.items[40..].iter().map(|r| r.id).collect();
        assert_eq!(tail, idle.iter().rev().copied().collect::<Vec<_>>());
        assert!(whole.page.items[..40].iter().all(|r| r.ytd.yuan() > 0));
        let first = store
            .ledger(&Visibility::All, &filter, 0, 10)
            .await
            .unwrap();
        let ids = |l: &kfq_store::Ledger| l.page.items.iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(&first), ids(&whole)[..10]);
        let straddling = store
            .ledger(&Visibility::All, &filter, 35, 10)
            .await
            .unwrap();
        assert_eq!(ids(&straddling), ids(&whole)[35..43]);
        assert_eq!(straddling.totals.ytd, whole.totals.ytd);
    })
    .await;
}

fn weekdays(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// A monthly report reads each project's months summed in the database, one
/// row a project, and its reads at once: the projects come out the same,
/// months and all, as read row by row one statement after the other, before
/// and after later edits, at every month's close.
/// Corrects project `id`'s June 2024 to `wan` 万元 (the first report kept
/// as its history).
async fn correct_june(
    store: &Store,
    actor: &Actor,
    id: i64,
    wan: i64,
    ctx: &kfq_store::RagContext<'_>,
) {
    let project = store.project(&Visibility::All, id).await.unwrap();
    let june = store
        .investments(&Visibility::All, id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.year == 2024 && m.month == 6)
        .unwrap();
    store
        .set_investment(
            actor,
            &kfq_domain::ZoneWrite::operator(),
            &project,
            (2024, 6),
            Money::from_wan(wan),
            None,
            Some(june.version),
            ctx,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_ledger_as_of_a_cut_off_is_the_same_summed_in_the_database() {
    each_backend(async |store| {
        let [a, b] = zones(&store).await;
        let actor = Actor::system("演示数据");
        let mut records: Vec<ProjectRecord> = (1..=40)
            .map(|n| record(if n % 2 == 0 { b } else { a }, n))
            .collect();
        // No months at all; every other month; production reached after June.
        records[0].months.clear();
        records[1].months.retain(|(_, m, _)| m % 2 == 0);
        records[2]
            .stage_changes
            .push((Stage::Producing, d("2024-08-01")));
        records[2].stage = Stage::Producing;
        // COPY's text format escapes these; they must come back as typed.
        records[6].input.name = "反斜杠\\、制表\t、换行\n与\\N的项目".into();
        let ids = store.import_projects(&actor, &records).await.unwrap();
        let zone_ids = [a.0, b.0];
        let ctx = kfq_store::RagContext {
            today: d("2024-11-15"),
            rules: kfq_domain::RagRules::default(),
            working_days: &weekdays,
        };
        let proof = kfq_domain::ZoneWrite::operator();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let cut_off = kfq_store::now_ms();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;

        // After the cut-off: a month corrected and one added, a plan
        // changed, a stage reached with an earlier date.
        correct_june(&store, &actor, ids[3], 77, &ctx).await;
        let project = store.project(&Visibility::All, ids[3]).await.unwrap();
        store
            .set_investment(
                &actor,
                &proof,
                &project,
                (2024, 11),
                Money::from_wan(5),
                None,
                None,
                &ctx,
            )
            .await
            .unwrap();
        let project = store.project(&Visibility::All, ids[4]).await.unwrap();
        let plan = store
            .plans(&Visibility::All, ids[4])
            .await
            .unwrap()
            .remove(0);
        store
            .set_plan(
                &actor,
                &proof,
                &project,
                2024,
                Money::from_wan(999),
                [None; 3],
                Some(plan.version),
                &ctx,
            )
            .await
            .unwrap();
        let project = store.project(&Visibility::All, ids[5]).await.unwrap();
        store
            .change_stage(
                &actor,
                &proof,
                ids[5],
                project.version,
                (Stage::Producing, d("2024-05-20")),
                None,
                &ctx,
            )
            .await
            .unwrap();
        let now = kfq_store::now_ms();

        for (year, month, at) in [
            (2024, 6, cut_off),
            (2024, 6, now),
            (2024, 10, now),
            (2024, 11, now),
            (2024, 1, cut_off),
            (2023, 12, cut_off),
            (2023, 2, now),
        ] {
            let period = kfq_monthly_report::Period::new(year, month).unwrap();
            let summed = store.ledger_as_of(&zone_ids, period, at).await.unwrap();
            let rows = store
                .ledger_as_of_by_rows(&zone_ids, period, at)
                .await
                .unwrap();
            assert_eq!(summed.len(), 40);
            assert_eq!(summed, rows, "{year}-{month} as of {at}");
            // A province's or the country's reads go by COPY on PostgreSQL, on
            // connections of their own on SQLite.
            let copied = store
                .ledger_as_of_via(&zone_ids, period, at, kfq_store::Transport::Copy)
                .await
                .unwrap();
            assert_eq!(
                copied, rows,
                "{year}-{month} as of {at}, by COPY or rusqlite"
            );
        }
        // The corrected June is seen only after the cut-off.
        let june = kfq_monthly_report::Period::new(2024, 6).unwrap();
        let month_6 = |ledger: &[kfq_monthly_report::ProjectAsOf]| {
            ledger.iter().find(|p| p.id == ids[3]).unwrap().months[5]
        };
        let before = store.ledger_as_of(&zone_ids, june, cut_off).await.unwrap();
        let after = store.ledger_as_of(&zone_ids, june, now).await.unwrap();
        assert_eq!(month_6(&before), Money::from_wan(4));
        assert_eq!(month_6(&after), Money::from_wan(77));
        let gaps = before.iter().find(|p| p.id == ids[1]).unwrap();
        assert_eq!(gaps.months[0], Money::ZERO);
        assert_eq!(gaps.months[1], Money::from_wan(2));
    })
    .await;
}

#[tokio::test]
async fn the_ledger_as_of_is_kept_zone_by_zone_until_the_zone_changes() {
    each_backend(async |store| {
        let [a, b] = zones(&store).await;
        let actor = Actor::system("演示数据");
        let records: Vec<ProjectRecord> = (1..=20)
            .map(|n| record(if n % 2 == 0 { b } else { a }, n))
            .collect();
        let ids = store.import_projects(&actor, &records).await.unwrap();
        let zone_ids = [a.0, b.0];
        let june = kfq_monthly_report::Period::new(2024, 6).unwrap();
        let fresh = async |at| {
            store
                .ledger_as_of_via(&zone_ids, june, at, kfq_store::Transport::Pool)
                .await
                .unwrap()
        };
        let before = kfq_store::now_ms();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        // A cut-off no earlier than the read: the ledger as it stands, kept.
        let first_cut = kfq_store::now_ms() + 60_000;
        let first = store
            .ledger_as_of(&zone_ids, june, first_cut)
            .await
            .unwrap();
        assert_eq!(first, fresh(first_cut).await);
        assert_eq!(
            store.kept_ledger_parts(),
            [(a.0, june, first_cut), (b.0, june, first_cut)]
        );

        // A month of zone b corrected: b is read again, a comes from what
        // was kept, and the whole is what the database says.
        let ctx = kfq_store::RagContext {
            today: d("2024-11-15"),
            rules: kfq_domain::RagRules::default(),
            working_days: &weekdays,
        };
        let project = store.project(&Visibility::All, ids[1]).await.unwrap();
        assert_eq!(project.zone_id, b.0);
        correct_june(&store, &actor, ids[1], 77, &ctx).await;
        let second_cut = first_cut + 1;
        let second = store
            .ledger_as_of(&zone_ids, june, second_cut)
            .await
            .unwrap();
        assert_eq!(second, fresh(second_cut).await);
        assert_ne!(second, first);
        let corrected = second.iter().find(|p| p.id == ids[1]).unwrap();
        assert_eq!(corrected.months[5], Money::from_wan(77));
        assert_eq!(
            store.kept_ledger_parts(),
            [(a.0, june, first_cut), (b.0, june, second_cut)],
            "zone a kept, zone b read again"
        );

        // A cut-off before what was kept is read afresh, and not kept.
        let earlier = store.ledger_as_of(&zone_ids, june, before).await.unwrap();
        assert_eq!(earlier, fresh(before).await);
        assert_eq!(earlier, first, "the correction came after");
        assert_eq!(
            store.kept_ledger_parts(),
            [(a.0, june, first_cut), (b.0, june, second_cut)]
        );

        // As it stands: the cut-off is the moment after the heads are read
        // (earlier than the future cut-offs above, so both zones are read
        // again), and a second look reuses both.
        let (cut, now) = store.ledger_as_it_stands(&zone_ids, june).await.unwrap();
        assert_eq!(now, fresh(cut).await);
        assert_eq!(now, second);
        assert_eq!(
            store.kept_ledger_parts(),
            [(a.0, june, cut), (b.0, june, cut)]
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let (later, again) = store.ledger_as_it_stands(&zone_ids, june).await.unwrap();
        assert!(later > cut);
        assert_eq!(again, now);
        assert_eq!(
            store.kept_ledger_parts(),
            [(a.0, june, cut), (b.0, june, cut)]
        );
    })
    .await;
}

#[tokio::test]
async fn created_projects_are_audited_as_read() {
    each_backend(async |store| {
        let [a, b] = zones(&store).await;
        let actor = Actor::system("导入");
        let enterprise = store
            .create_enterprise(
                &actor,
                &kfq_domain::ZoneWrite::operator(),
                &kfq_store::EnterpriseInput {
                    zone_id: b.0,
                    name: "山西晋恒科技有限公司".into(),
                    credit_code: kfq_domain::CreditCode::parse("914403001922038216").unwrap(),
                    industry: None,
                    address: None,
                    contact_name: None,
                    contact_phone: None,
                },
            )
            .await
            .unwrap();
        // Every kind of field filled somewhere, and left empty elsewhere;
        // projects of two zones in one batch.
        let mut records: Vec<ProjectRecord> = (1..=6).map(|n| record(a, n)).collect();
        let mut full = record(b, 7);
        full.input.enterprise_id = Some(enterprise.id);
        full.input.investor = Some("山西晋恒科技有限公司".into());
        full.input.land = Some(kfq_domain::Mu::from_hundredths(8_650));
        full.input.floor_area_m2 = Some(52_000);
        full.input.construction_content = Some("新建生产车间4栋、仓库及配套设施".into());
        full.input.annual_output = Some(Money::from_wan(150_000));
        full.input.annual_tax = Some(Money::from_wan(9_000));
        full.input.jobs = Some(320);
        // What array literals and VALUES lists must carry through untouched:
        // quotes, backslashes, commas, braces, a line break, the word NULL.
        full.input.name = "引号\"与反斜杠\\、逗号,花括号{}\n第二行".into();
        full.input.task_force = Some("NULL".into());
        full.input.project_code = Some("2404-140800-89-01-000007".into());
        records.push(full);
        let mut bare = record(b, 8);
        bare.input.department_id = None;
        bare.input.registered = false;
        bare.input.registered_on = None;
        bare.stage = Stage::Planning;
        bare.stage_changes.clear();
        records.push(bare);
        // Texts go to PostgreSQL split on control characters: a name
        // holding them, and an empty text beside NULLs, come back as typed.
        let mut odd = record(b, 9);
        odd.input.name = "含\u{1e}记录分隔符与\u{1f}单元分隔符".into();
        odd.input.investor = Some(String::new());
        odd.input.task_force = Some("\u{1f}".into());
        records.push(odd);
        let ids = store.import_projects(&actor, &records).await.unwrap();
        for (id, record) in ids.into_iter().zip(&records) {
            let read = store.project(&Visibility::All, id).await.unwrap();
            assert_eq!(read.name, record.input.name);
            assert_eq!(read.task_force, record.input.task_force);
            assert_eq!(read.investor, record.input.investor);
            let history = store
                .audit_history(&Visibility::All, "project", id)
                .await
                .unwrap();
            let audited: serde_json::Value =
                serde_json::from_str(history[0].after_json.as_deref().unwrap()).unwrap();
            assert_eq!(
                audited,
                serde_json::to_value(&read).unwrap(),
                "project {id}"
            );
        }
        assert!(store.audit_verify().await.unwrap().broken.is_none());
    })
    .await;
}

/// A province's or the country's board reads its figures by COPY (or
/// rusqlite): the same figures as through the pool, bounds and the
/// figures without parts included.
#[tokio::test]
async fn board_figures_are_the_same_by_every_transport() {
    each_backend(async |store| {
        let [a, b] = zones(&store).await;
        let indicator = store.indicators().await.unwrap()[0].id;
        let proof = kfq_domain::ZoneWrite::operator();
        for (zone, base) in [(a.0, 100), (b.0, 7_000)] {
            let org = store.org(&Visibility::All, zone).await.unwrap();
            let figures: Vec<FigureInput> =
                [(2024, 2), (2024, 3), (2024, 12), (2025, 2), (2025, 3)]
                    .into_iter()
                    .enumerate()
                    .map(|(n, (year, month))| FigureInput {
                        indicator_id: indicator,
                        year,
                        month,
                        value: base + n as i64 - 3,
                        parts: (n % 2 == 0).then_some((base, 9_999 + n as i64)),
                    })
                    .collect();
            store
                .record_figures(
                    &Actor::system("test"),
                    &proof,
                    (zone, &org.org_path()),
                    &figures,
                    "form",
                )
                .await
                .unwrap();
        }
        let read = |t| {
            let store = store.clone();
            async move {
                let mut figures = store
                    .board_figures_via(&[a.0, b.0], (2024, 3), (2025, 2), t)
                    .await
                    .unwrap();
                figures.sort_by_key(|f| (f.zone_id, f.year, f.month));
                figures
            }
        };
        let pooled = read(kfq_store::Transport::Pool).await;
        assert_eq!(pooled.len(), 6, "two zones, three months within the bounds");
        assert!(pooled.iter().any(|f| f.numerator.is_none()));
        assert_eq!(read(kfq_store::Transport::Copy).await, pooled);
    })
    .await;
}

/// A connection of the test's own to `db`, either backend (SQLite's with
/// its foreign keys on, as the store's).
async fn raw(db: &TestDb) -> sqlx::AnyConnection {
    let url = match db.backend {
        Backend::Sqlite => format!("sqlite://{}", db.url),
        Backend::Postgres => db.url.clone(),
    };
    <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap()
}

/// Rows of `table` under `project`, in `zone`.
async fn rows_under(conn: &mut sqlx::AnyConnection, table: &str, project: i64, zone: i64) -> i64 {
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {table} WHERE project_id = {project} AND zone_id = {zone}"
    ))
    .fetch_one(conn)
    .await
    .unwrap()
}

const UNDER_A_PROJECT: [&str; 3] = [
    "project_investments",
    "project_plans",
    "project_stage_changes",
];

/// A copy of `project` in `zone`, written as SQL would.
fn copy_of(project: i64, zone: i64) -> String {
    format!(
        "INSERT INTO projects (zone_id, name, category, nature, registered, stage, furthest_stage, created_at, updated_at) \
         SELECT {zone}, name, category, nature, registered, stage, furthest_stage, created_at, updated_at \
         FROM projects WHERE id = {project}"
    )
}

#[tokio::test]
async fn months_plans_and_stage_changes_need_their_project_and_go_with_it() {
    for backend in backends() {
        let (db, store) = migrated(backend).await;
        let [a, _] = zones(&store).await;
        let actor = Actor::system("演示数据");
        let ids = store
            .import_projects(&actor, &[record(a, 1), record(a, 2)])
            .await
            .unwrap();
        let mut conn = raw(&db).await;

        let month = |project: i64| {
            format!(
                "INSERT INTO project_investments (zone_id, project_id, year, month, amount, recorded_at) \
                 VALUES ({}, {project}, 2025, 1, 10000, 0)",
                a.0
            )
        };
        let missing = ids[1] + 1_000;
        assert!(
            sqlx::query(&month(missing))
                .execute(&mut conn)
                .await
                .is_err(),
            "{backend:?}: a month of no project"
        );
        sqlx::query(&month(ids[1]))
            .execute(&mut conn)
            .await
            .unwrap();

        assert!(
            sqlx::query(&copy_of(ids[0], a.0 + 1_000))
                .execute(&mut conn)
                .await
                .is_err(),
            "{backend:?}: a project of no zone"
        );
        sqlx::query(&copy_of(ids[0], a.0))
            .execute(&mut conn)
            .await
            .unwrap();

        sqlx::query(&format!("DELETE FROM projects WHERE id = {}", ids[0]))
            .execute(&mut conn)
            .await
            .unwrap();
        for table in UNDER_A_PROJECT {
            assert_eq!(
                rows_under(&mut conn, table, ids[0], a.0).await,
                0,
                "{backend:?} {table}"
            );
            assert!(
                rows_under(&mut conn, table, ids[1], a.0).await > 0,
                "{backend:?} {table}"
            );
        }
        let refused = sqlx::query(&format!("DELETE FROM org_units WHERE id = {}", a.0))
            .execute(&mut conn)
            .await;
        assert!(refused.is_err(), "{backend:?}: a zone with projects");
        assert_eq!(ledger_count(&store, a.0).await, 2, "{backend:?}");
        store.close().await;
    }
}

#[tokio::test]
async fn a_project_moved_to_another_zone_takes_its_months_plans_and_stage_changes() {
    for backend in backends() {
        let (db, store) = migrated(backend).await;
        let [a, b] = zones(&store).await;
        let actor = Actor::system("演示数据");
        let id = store
            .import_projects(&actor, &[record(a, 3)])
            .await
            .unwrap()[0];
        let mut conn = raw(&db).await;
        let before: Vec<i64> = {
            let mut n = Vec::new();
            for table in UNDER_A_PROJECT {
                n.push(rows_under(&mut conn, table, id, a.0).await);
            }
            n
        };
        assert_eq!(before, [20, 1, 2], "{backend:?}");

        let mut input = record(b, 3).input;
        input.department_id = Some(b.1);
        let ctx = RagContext {
            today: d("2024-12-20"),
            rules: RagRules::default(),
            working_days: &weekdays,
        };
        store
            .update_project(&actor, &ZoneWrite::operator(), id, 1, &input, &ctx)
            .await
            .unwrap();
        for (table, n) in UNDER_A_PROJECT.iter().zip(&before) {
            assert_eq!(
                rows_under(&mut conn, table, id, b.0).await,
                *n,
                "{backend:?} {table}"
            );
            assert_eq!(
                rows_under(&mut conn, table, id, a.0).await,
                0,
                "{backend:?} {table}"
            );
        }
        // Zone B's ledger sums the project's months of 2024: ten of 3 万元.
        let totals = ledger_totals(&store, b.0).await;
        assert_eq!(totals.count, 1, "{backend:?}");
        assert_eq!(totals.ytd, Money::from_wan(30), "{backend:?}");
        assert_eq!(ledger_count(&store, a.0).await, 0, "{backend:?}");
        store.close().await;
    }
}

#[tokio::test]
async fn on_postgresql_a_row_names_a_project_of_its_own_zone_which_stays_until_the_writer_commits()
{
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    let (db, store) = migrated(Backend::Postgres).await;
    let [a, b] = zones(&store).await;
    let actor = Actor::system("演示数据");
    let id = store
        .import_projects(&actor, &[record(a, 1)])
        .await
        .unwrap()[0];
    let month = |zone: i64| {
        format!(
            "INSERT INTO project_investments (zone_id, project_id, year, month, amount, recorded_at) \
             VALUES ({zone}, {id}, 2025, 1, 10000, 0)"
        )
    };
    let mut writer = pg(&db.url).await;
    assert!(
        sqlx::query(&month(b.0)).execute(&mut writer).await.is_err(),
        "the project's zone is A"
    );

    sqlx::query("BEGIN").execute(&mut writer).await.unwrap();
    sqlx::query(&month(a.0)).execute(&mut writer).await.unwrap();
    let mut deleter = pg(&db.url).await;
    sqlx::query("SET lock_timeout = '200ms'")
        .execute(&mut deleter)
        .await
        .unwrap();
    let delete = format!("DELETE FROM projects WHERE id = {id}");
    let waited = sqlx::query(&delete)
        .execute(&mut deleter)
        .await
        .unwrap_err();
    assert!(
        waited.to_string().contains("lock timeout"),
        "the deletion waits for the writer: {waited}"
    );
    sqlx::query("COMMIT").execute(&mut writer).await.unwrap();
    sqlx::query(&delete).execute(&mut deleter).await.unwrap();
    let left: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM project_investments WHERE project_id = {id}"
    ))
    .fetch_one(&mut deleter)
    .await
    .unwrap();
    assert_eq!(left, 0, "the deletion saw the month committed before it");
    store.close().await;
}

#[tokio::test]
async fn a_new_sqlite_database_is_made_with_pages_of_16_kib() {
    let (db, store) = migrated(Backend::Sqlite).await;
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(&mut raw(&db).await)
        .await
        .unwrap();
    assert_eq!(page_size, 16_384);
    store.close().await;
}
