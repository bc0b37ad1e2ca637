//! Ledger storage tests, on SQLite and (with `KFQ_TEST_PG`) PostgreSQL.

use chrono::NaiveDate;
use kfq_domain::rag::RagRules;
use kfq_domain::{
    BlockerFactor, BlockerStatus, Category, Money, Mu, Nature, OrgKind, Rag, Stage, UnitAdmin,
    Visibility, ZoneLevel, ZoneType, ZoneWrite,
};
use kfq_store::testing::{backends, TestDb};
use kfq_store::{
    Actor, BlockerInput, LedgerFilter, LedgerSort, OrgInput, ProjectInput, RagContext, Store,
    StoreError,
};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Weekdays only: enough for storage tests (the calendar crate knows holidays).
fn weekdays(from: NaiveDate, to: NaiveDate) -> i64 {
    use chrono::Datelike;
    let mut n = 0;
    let mut day = from;
    while day < to {
        day = day.succ_opt().unwrap();
        if day.weekday().number_from_monday() <= 5 {
            n += 1;
        }
    }
    n
}

fn ctx(today: &str) -> RagContext<'static> {
    RagContext {
        today: d(today),
        rules: RagRules::default(),
        working_days: &weekdays,
    }
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

async fn zones(store: &Store) -> (i64, i64) {
    let system = Actor::system("test");
    let unit = |kind, parent, name: &str, code: Option<&str>| OrgInput {
        kind,
        parent_id: parent,
        name: name.into(),
        code: code.map(Into::into),
        zone_level: (kind == OrgKind::Zone).then_some(ZoneLevel::National),
        zone_type: (kind == OrgKind::Zone).then_some(ZoneType::EconomicTechnological),
    };
    let province = store
        .create_org(
            &system,
            &UnitAdmin::operator(),
            &unit(OrgKind::Province, None, "山西省", Some("140000")),
        )
        .await
        .unwrap();
    let a = store
        .create_org(
            &system,
            &UnitAdmin::operator(),
            &unit(
                OrgKind::Zone,
                Some(province.id),
                "运城经济技术开发区",
                Some("A"),
            ),
        )
        .await
        .unwrap();
    let b = store
        .create_org(
            &system,
            &UnitAdmin::operator(),
            &unit(
                OrgKind::Zone,
                Some(province.id),
                "临汾经济开发区",
                Some("B"),
            ),
        )
        .await
        .unwrap();
    (a.id, b.id)
}

fn project(zone_id: i64, name: &str, yi: i64) -> ProjectInput {
    ProjectInput {
        zone_id,
        name: name.into(),
        enterprise_id: None,
        investor: Some("山西某某公司".into()),
        category: Category::Industrial,
        nature: Nature::New,
        industry_chain_id: None,
        total_investment: Money::from_yuan(yi * 100_000_000),
        land: Some(Mu::parse("500").unwrap()),
        floor_area_m2: Some(143_000),
        construction_content: None,
        annual_output: None,
        annual_tax: None,
        jobs: Some(500),
        registered: false,
        registered_on: None,
        liaison_user_id: None,
        department_id: None,
        task_force: None,
        project_code: None,
    }
}

#[tokio::test]
async fn stages_move_forward_and_corrections_are_recorded() {
    each_backend(async |store| {
        let (a, _) = zones(&store).await;
        let actor = Actor::user(1, "张三");
        let c = ctx("2024-06-30");
        let p = store
            .create_project(
                &actor,
                &ZoneWrite::operator(),
                &project(a, "年产100万吨公路护栏项目", 9),
                Stage::Signed,
                &c,
            )
            .await
            .unwrap();
        let p = store
            .change_stage(
                &actor,
                &ZoneWrite::operator(),
                p.id,
                p.version,
                (Stage::Started, d("2024-03-18")),
                None,
                &c,
            )
            .await
            .unwrap();
        assert_eq!(p.stage, Stage::Started);
        let err = store
            .change_stage(
                &actor,
                &ZoneWrite::operator(),
                p.id,
                p.version,
                (Stage::Signed, d("2024-04-01")),
                None,
                &c,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.stage.backward"),
            "{err:?}"
        );
        let err = store
            .change_stage(
                &actor,
                &ZoneWrite::operator(),
                p.id,
                p.version,
                (Stage::Completed, d("2024-03-01")),
                None,
                &c,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.stage.date_order"),
            "{err:?}"
        );
        let err = store
            .change_stage(
                &actor,
                &ZoneWrite::operator(),
                p.id,
                p.version - 1,
                (Stage::Completed, d("2024-05-01")),
                None,
                &c,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict));
        let p = store
            .change_stage(
                &actor,
                &ZoneWrite::operator(),
                p.id,
                p.version,
                (Stage::Signed, d("2024-03-18")),
                Some("录入错误，尚未开工"),
                &c,
            )
            .await
            .unwrap();
        assert_eq!(p.stage, Stage::Signed);
        let changes = store.stage_changes(&Visibility::All, p.id).await.unwrap();
        assert_eq!(changes.len(), 2);
        assert!(changes[1].correction);
        assert_eq!(changes[1].reason.as_deref(), Some("录入错误，尚未开工"));
        let history = store
            .audit_history(&Visibility::All, "project", p.id)
            .await
            .unwrap();
        assert_eq!(history.len(), 3, "created, started, corrected");
    })
    .await;
}

#[tokio::test]
async fn the_ledger_derives_year_to_date_and_totals() {
    each_backend(async |store| {
        let (a, b) = zones(&store).await;
        let actor = Actor::system("test");
        let c = ctx("2024-07-10");
        let p1 = store
            .create_project(
                &actor,
                &ZoneWrite::operator(),
                &project(a, "山西新能汇通双碳产业园项目", 18),
                Stage::Started,
                &c,
            )
            .await
            .unwrap();
        let p2 = store
            .create_project(
                &actor,
                &ZoneWrite::operator(),
                &project(a, "大运高端智能新能源乘用车提升改造项目", 7),
                Stage::Started,
                &c,
            )
            .await
            .unwrap();
        let p3 = store
            .create_project(
                &actor,
                &ZoneWrite::operator(),
                &project(b, "临汾某项目", 3),
                Stage::Signed,
                &c,
            )
            .await
            .unwrap();
        store
            .set_plan(
                &actor,
                &ZoneWrite::operator(),
                &p1,
                2024,
                Money::from_wan(30_000),
                [None; 3],
                None,
                &c,
            )
            .await
            .unwrap();
        store
            .set_plan(
                &actor,
                &ZoneWrite::operator(),
                &p2,
                2024,
                Money::from_wan(10_000),
                [None; 3],
                None,
                &c,
            )
            .await
            .unwrap();
        for (month, wan) in [(1, 1_000), (2, 2_000), (6, 3_000), (7, 500)] {
            store
                .set_investment(
                    &actor,
                    &ZoneWrite::operator(),
                    &p1,
                    (2024, month),
                    Money::from_wan(wan),
                    None,
                    None,
                    &c,
                )
                .await
                .unwrap();
        }
        store
            .set_investment(
                &actor,
                &ZoneWrite::operator(),
                &p1,
                (2023, 12),
                Money::from_wan(9_999),
                None,
                None,
                &c,
            )
            .await
            .unwrap();
        store
            .set_investment(
                &actor,
                &ZoneWrite::operator(),
                &p2,
                (2024, 3),
                Money::from_wan(4_000),
                None,
                None,
                &c,
            )
            .await
            .unwrap();
        store
            .set_investment(
                &actor,
                &ZoneWrite::operator(),
                &p3,
                (2024, 3),
                Money::from_wan(100),
                None,
                None,
                &c,
            )
            .await
            .unwrap();
        let err = store
            .set_investment(
                &actor,
                &ZoneWrite::operator(),
                &p2,
                (2024, 3),
                Money::from_wan(1),
                None,
                None,
                &c,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.investment.taken")
        );

        let zone_a = store.org(&Visibility::All, a).await.unwrap().org_path();
        let filter = LedgerFilter {
            year: 2024,
            month: 6,
            sort: LedgerSort::TotalInvestment,
            descending: true,
            ..Default::default()
        };
        let ledger = store
            .ledger(&Visibility::Subtree(zone_a.clone()), &filter, 0, 50)
            .await
            .unwrap();
        assert_eq!(ledger.totals.count, 2);
        assert_eq!(ledger.totals.total_investment.yuan(), 25 * 100_000_000);
        assert_eq!(ledger.totals.planned_investment.yuan(), 40_000 * 10_000);
        assert_eq!(
            ledger.totals.ytd.yuan(),
            (6_000 + 4_000) * 10_000,
            "January–June only"
        );
        assert_eq!(ledger.page.items[0].name, "山西新能汇通双碳产业园项目");
        assert_eq!(ledger.page.items[0].ytd.yuan(), 6_000 * 10_000);
        // Narrowed by zones alone (scope, zone filter), in both orders.
        for sort in [LedgerSort::YearToDate, LedgerSort::Zone] {
            let filter = LedgerFilter {
                year: 2024,
                month: 6,
                sort,
                descending: true,
                ..Default::default()
            };
            let ledger = store
                .ledger(&Visibility::Subtree(zone_a.clone()), &filter, 0, 1)
                .await
                .unwrap();
            assert_eq!(ledger.totals.count, 2);
            assert_eq!(ledger.totals.ytd.yuan(), 10_000 * 10_000, "{sort:?}");
            assert_eq!(ledger.totals.planned_investment.yuan(), 40_000 * 10_000);
            let filter = LedgerFilter {
                zone_id: Some(b),
                ..filter
            };
            let ledger = store
                .ledger(&Visibility::All, &filter, 0, 50)
                .await
                .unwrap();
            assert_eq!(ledger.totals.count, 1);
            assert_eq!(ledger.totals.ytd.yuan(), 100 * 10_000, "{sort:?}");
            assert_eq!(ledger.totals.planned_investment.yuan(), 0);
            assert_eq!(ledger.page.items[0].id, p3.id);
            // Zone B's own filter under zone A's scope finds nothing.
            let ledger = store
                .ledger(&Visibility::Subtree(zone_a.clone()), &filter, 0, 50)
                .await
                .unwrap();
            assert_eq!(ledger.totals.count, 0);
            assert_eq!(ledger.totals.ytd.yuan(), 0);
        }
        // Filters and search.
        let filter = LedgerFilter {
            year: 2024,
            month: 12,
            name_contains: Some("乘用车".into()),
            ..Default::default()
        };
        let ledger = store
            .ledger(&Visibility::All, &filter, 0, 50)
            .await
            .unwrap();
        assert_eq!(ledger.totals.count, 1);
        assert_eq!(ledger.totals.ytd.yuan(), 4_000 * 10_000);
        let filter = LedgerFilter {
            year: 2024,
            month: 12,
            stage: Some(Stage::Signed),
            ..Default::default()
        };
        assert_eq!(
            store
                .ledger(&Visibility::All, &filter, 0, 50)
                .await
                .unwrap()
                .page
                .items[0]
                .id,
            p3.id
        );
        // A suspended project in zone A: listed and counted only when asked,
        // on every way the query is answered.
        let p4 = store
            .create_project(
                &actor,
                &ZoneWrite::operator(),
                &project(a, "停建的某项目", 2),
                Stage::Started,
                &c,
            )
            .await
            .unwrap();
        store
            .set_plan(
                &actor,
                &ZoneWrite::operator(),
                &p4,
                2024,
                Money::from_wan(5_000),
                [None; 3],
                None,
                &c,
            )
            .await
            .unwrap();
        store
            .set_investment(
                &actor,
                &ZoneWrite::operator(),
                &p4,
                (2024, 4),
                Money::from_wan(700),
                None,
                None,
                &c,
            )
            .await
            .unwrap();
        let p4 = store
            .change_stage(
                &actor,
                &ZoneWrite::operator(),
                p4.id,
                store
                    .project(&Visibility::All, p4.id)
                    .await
                    .unwrap()
                    .version,
                (Stage::Suspended, d("2024-05-06")),
                None,
                &c,
            )
            .await
            .unwrap();
        let scopes = [
            (
                Visibility::Subtree(zone_a.clone()),
                None,
                None,
                2,
                10_000,
                40_000,
            ),
            (Visibility::All, Some(a), None, 2, 10_000, 40_000),
            (
                Visibility::Subtree(zone_a.clone()),
                None,
                Some("项目"),
                2,
                10_000,
                40_000,
            ),
            (Visibility::All, None, None, 3, 10_100, 40_000),
        ];
        for (visibility, zone_id, name, count, ytd_wan, planned_wan) in scopes {
            for sort in [
                LedgerSort::YearToDate,
                LedgerSort::Zone,
                LedgerSort::Planned,
            ] {
                for limit in [1, 50] {
                    let hidden = LedgerFilter {
                        year: 2024,
                        month: 6,
                        zone_id,
                        name_contains: name.map(str::to_owned),
                        sort,
                        descending: true,
                        ..Default::default()
                    };
                    let case = format!("{visibility:?} {zone_id:?} {name:?} {sort:?} {limit}");
                    let ledger = store.ledger(&visibility, &hidden, 0, limit).await.unwrap();
                    assert_eq!(ledger.totals.count, count, "{case}");
                    assert_eq!(ledger.totals.ytd.yuan(), ytd_wan * 10_000, "{case}");
                    assert_eq!(
                        ledger.totals.planned_investment.yuan(),
                        planned_wan * 10_000,
                        "{case}"
                    );
                    assert_eq!(ledger.left_out, 1, "{case}");
                    assert!(ledger.page.items.iter().all(|r| r.id != p4.id), "{case}");
                    let shown = LedgerFilter {
                        with_inactive: true,
                        ..hidden
                    };
                    let ledger = store.ledger(&visibility, &shown, 0, 50).await.unwrap();
                    assert_eq!(ledger.totals.count, count + 1, "{case}");
                    assert_eq!(ledger.totals.ytd.yuan(), (ytd_wan + 700) * 10_000, "{case}");
                    assert_eq!(
                        ledger.totals.planned_investment.yuan(),
                        (planned_wan + 5_000) * 10_000,
                        "{case}"
                    );
                    assert_eq!(ledger.left_out, 0);
                    assert!(ledger.page.items.iter().any(|r| r.id == p4.id), "{case}");
                }
            }
        }
        // By completion: p2 (4,000 of 10,000) before p1 (6,000 of 30,000);
        // zone B's project, without a plan, last either way.
        for (visibility, zone_id) in [
            (Visibility::All, None),
            (Visibility::Subtree(zone_a.clone()), None),
            (Visibility::All, Some(a)),
        ] {
            for descending in [true, false] {
                let filter = LedgerFilter {
                    year: 2024,
                    month: 6,
                    zone_id,
                    sort: LedgerSort::Completion,
                    descending,
                    ..Default::default()
                };
                let ids: Vec<i64> = store
                    .ledger(&visibility, &filter, 0, 50)
                    .await
                    .unwrap()
                    .page
                    .items
                    .iter()
                    .map(|r| r.id)
                    .collect();
                let mut expected = vec![p2.id, p1.id];
                if zone_id.is_none() && visibility == Visibility::All {
                    expected.push(p3.id);
                }
                if !descending {
                    expected.reverse();
                }
                assert_eq!(
                    ids, expected,
                    "{visibility:?} {zone_id:?} descending {descending}"
                );
            }
        }

        // Asking for the stage shows it, alone.
        let only = LedgerFilter {
            year: 2024,
            month: 6,
            stage: Some(Stage::Suspended),
            ..Default::default()
        };
        let ledger = store.ledger(&Visibility::All, &only, 0, 50).await.unwrap();
        assert_eq!(ledger.totals.count, 1);
        assert_eq!(ledger.page.items[0].id, p4.id);

        // p1: 30,000 planned, 6,000 done by June = 20% against 50% elapsed: red.
        let p1 = store.project(&Visibility::All, p1.id).await.unwrap();
        assert_eq!(p1.rag, Rag::Red, "{:?}", p1.rag_reasons);
        assert!(p1
            .rag_reasons
            .iter()
            .any(|r| r.key == "rag.investment_behind"));
    })
    .await;
}

#[tokio::test]
async fn an_overdue_blocker_turns_a_project_red_until_resolved() {
    each_backend(async |store| {
        let (a, _) = zones(&store).await;
        let actor = Actor::system("test");
        let c = ctx("2024-06-30");
        let p = store
            .create_project(
                &actor,
                &ZoneWrite::operator(),
                &project(a, "标准厂房项目", 1),
                Stage::Started,
                &c,
            )
            .await
            .unwrap();
        assert_eq!(p.rag, Rag::Green);
        let mut input = BlockerInput {
            factor: BlockerFactor::Power,
            description: "双回路供电未接入".into(),
            raised_on: d("2024-05-01"),
            department_id: None,
            deadline: Some(d("2024-06-15")),
            status: BlockerStatus::Open,
            resolution: None,
            resolved_on: None,
        };
        let blocker = store
            .save_blocker(&actor, &ZoneWrite::operator(), &p, None, &input, &c)
            .await
            .unwrap();
        assert!(blocker.is_overdue(d("2024-06-30")));
        assert_eq!(
            store.project(&Visibility::All, p.id).await.unwrap().rag,
            Rag::Red
        );
        input.status = BlockerStatus::Resolved;
        input.resolution = Some("供电公司已完成接入".into());
        input.resolved_on = Some(d("2024-06-28"));
        store
            .save_blocker(
                &actor,
                &ZoneWrite::operator(),
                &p,
                Some((blocker.id, blocker.version)),
                &input,
                &c,
            )
            .await
            .unwrap();
        assert_eq!(
            store.project(&Visibility::All, p.id).await.unwrap().rag,
            Rag::Green
        );
        assert!(store
            .blockers(&Visibility::All, Some(p.id), None, true)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_same_year_fast_path_is_found() {
    each_backend(async |store| {
        let (a, _) = zones(&store).await;
        let actor = Actor::system("test");
        let c = ctx("2023-12-31");
        let fast = store
            .create_project(
                &actor,
                &ZoneWrite::operator(),
                &project(a, "当年项目", 1),
                Stage::Planning,
                &c,
            )
            .await
            .unwrap();
        let slow = store
            .create_project(
                &actor,
                &ZoneWrite::operator(),
                &project(a, "跨年项目", 1),
                Stage::Planning,
                &c,
            )
            .await
            .unwrap();
        let mut f = fast;
        for (stage, date) in [
            (Stage::Signed, "2023-02-01"),
            (Stage::Started, "2023-05-01"),
            (Stage::Producing, "2023-11-30"),
        ] {
            f = store
                .change_stage(
                    &actor,
                    &ZoneWrite::operator(),
                    f.id,
                    f.version,
                    (stage, d(date)),
                    None,
                    &c,
                )
                .await
                .unwrap();
        }
        let mut s = slow;
        for (stage, date) in [
            (Stage::Signed, "2022-12-01"),
            (Stage::Started, "2023-05-01"),
            (Stage::Producing, "2023-11-30"),
        ] {
            s = store
                .change_stage(
                    &actor,
                    &ZoneWrite::operator(),
                    s.id,
                    s.version,
                    (stage, d(date)),
                    None,
                    &ctx("2023-12-31"),
                )
                .await
                .unwrap();
        }
        let fast = store
            .same_year_fast_path(&Visibility::All, 2023)
            .await
            .unwrap();
        assert_eq!(fast.iter().map(|p| p.id).collect::<Vec<_>>(), vec![f.id]);
        assert_eq!(
            (fast[0].signed_on, fast[0].started_on, fast[0].producing_on),
            (
                Some(d("2023-02-01")),
                Some(d("2023-05-01")),
                Some(d("2023-11-30"))
            )
        );
    })
    .await;
}

#[tokio::test]
async fn project_codes_are_unique_and_references_stay_in_the_zone() {
    each_backend(async |store| {
        let (a, b) = zones(&store).await;
        let actor = Actor::system("test");
        let c = ctx("2024-06-30");
        let mut input = project(a, "甲项目", 1);
        input.project_code = Some("2304-140800-89-01-123456".into());
        store
            .create_project(&actor, &ZoneWrite::operator(), &input, Stage::Signed, &c)
            .await
            .unwrap();
        input.name = "乙项目".into();
        let err = store
            .create_project(&actor, &ZoneWrite::operator(), &input, Stage::Signed, &c)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.project_code.taken"),
            "{err:?}"
        );
        let chains = store.industry_chains(b).await.unwrap();
        assert!(chains.iter().any(|(_, n)| n == "新能源"));
        let mut input = project(a, "丙项目", 1);
        input.industry_chain_id = Some(chains[0].0);
        let err = store
            .create_project(&actor, &ZoneWrite::operator(), &input, Stage::Signed, &c)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].field == "industry_chain_id"),
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_daily_pass_judges_every_stale_project_by_the_one_rule() {
    each_backend(async |store| {
        let (a, b) = zones(&store).await;
        let actor = Actor::system("test");
        let c = ctx("2024-06-30");
        let op = ZoneWrite::operator();
        let mut ids = Vec::new();
        for (n, stage) in [
            Stage::Started,   // behind on investment
            Stage::Started,   // an overdue blocker
            Stage::Started,   // a blocker due in two working days
            Stage::Started,   // nothing wrong
            Stage::Suspended, // behind on investment, but not judged on it
            Stage::Cancelled, // an overdue blocker, but no status at all
        ]
        .into_iter()
        .enumerate()
        {
            let zone = if n % 2 == 0 { a } else { b };
            let p = store
                .create_project(
                    &actor,
                    &op,
                    &project(zone, &format!("项目{n}"), 1),
                    stage,
                    &c,
                )
                .await
                .unwrap();
            ids.push(p.id);
            if matches!(n, 0 | 4) {
                store
                    .set_plan(
                        &actor,
                        &op,
                        &p,
                        2024,
                        Money::from_wan(30_000),
                        [None; 3],
                        None,
                        &c,
                    )
                    .await
                    .unwrap();
                for month in 1..=6 {
                    store
                        .set_investment(
                            &actor,
                            &op,
                            &p,
                            (2024, month),
                            Money::from_wan(1_000),
                            None,
                            None,
                            &c,
                        )
                        .await
                        .unwrap();
                }
            }
            let deadline = match n {
                1 | 5 => Some(d("2024-06-15")),
                2 => Some(d("2024-07-03")),
                _ => None,
            };
            if let Some(deadline) = deadline {
                let blocker = BlockerInput {
                    factor: BlockerFactor::Land,
                    description: "用地指标未落实".into(),
                    raised_on: d("2024-05-01"),
                    department_id: None,
                    deadline: Some(deadline),
                    status: BlockerStatus::Open,
                    resolution: None,
                    resolved_on: None,
                };
                store
                    .save_blocker(&actor, &op, &p, None, &blocker, &c)
                    .await
                    .unwrap();
            }
        }
        // Monday 1 July: every status was computed the day before, so all are stale.
        let stamp = store.audit_stamp().await.unwrap();
        let refreshed = store
            .refresh_stale_rag(d("2024-07-01"), &weekdays)
            .await
            .unwrap();
        assert_eq!(refreshed, 6);
        // Statuses are not audited, yet what is kept under the stamp must
        // see them change.
        let after = store.audit_stamp().await.unwrap();
        assert_ne!(after, stamp);
        let mut got = Vec::new();
        for id in &ids {
            let p = store.project(&Visibility::All, *id).await.unwrap();
            let keys: Vec<String> = p.rag_reasons.iter().map(|r| r.key.clone()).collect();
            got.push((p.rag, keys));
        }
        let reason = |k: &str| vec![k.to_owned()];
        assert_eq!(
            got,
            [
                (Rag::Red, reason("rag.investment_behind")),
                (Rag::Red, reason("rag.blocker_overdue")),
                (Rag::Yellow, reason("rag.blocker_due_soon")),
                (Rag::Green, vec![]),
                (Rag::Green, vec![]),
                (Rag::Green, vec![]),
            ]
        );
        // June's 6,000 of 30,000 is 20% against 50% elapsed: 30.0 points behind.
        let first = store.project(&Visibility::All, ids[0]).await.unwrap();
        assert_eq!(first.rag_reasons[0].value, 300);
        // Run again the same day: nothing is stale, nothing moves.
        assert_eq!(
            store
                .refresh_stale_rag(d("2024-07-01"), &weekdays)
                .await
                .unwrap(),
            0
        );
        assert_eq!(store.audit_stamp().await.unwrap(), after);
    })
    .await;
}

#[tokio::test]
async fn a_project_history_is_read_only_within_the_callers_scope() {
    each_backend(async |store| {
        let (a, b) = zones(&store).await;
        let actor = Actor::system("test");
        let c = ctx("2024-06-30");
        let op = ZoneWrite::operator();
        let p = store
            .create_project(&actor, &op, &project(a, "甲区项目", 1), Stage::Planning, &c)
            .await
            .unwrap();
        let p = store
            .change_stage(
                &actor,
                &op,
                p.id,
                p.version,
                (Stage::Signed, d("2024-03-01")),
                None,
                &c,
            )
            .await
            .unwrap();
        store
            .set_plan(
                &actor,
                &op,
                &p,
                2024,
                Money::from_wan(100),
                [None; 3],
                None,
                &c,
            )
            .await
            .unwrap();
        store
            .set_investment(
                &actor,
                &op,
                &p,
                (2024, 5),
                Money::from_wan(10),
                None,
                None,
                &c,
            )
            .await
            .unwrap();
        let own = Visibility::Subtree(store.org(&Visibility::All, a).await.unwrap().org_path());
        let other = Visibility::Subtree(store.org(&Visibility::All, b).await.unwrap().org_path());
        for (scope, n) in [(&own, 1), (&other, 0)] {
            assert_eq!(store.plans(scope, p.id).await.unwrap().len(), n);
            assert_eq!(store.investments(scope, p.id).await.unwrap().len(), n);
            assert_eq!(store.stage_changes(scope, p.id).await.unwrap().len(), n);
        }
        assert!(store.milestones(&other, p.id).await.unwrap().is_empty());
        assert!(store.baselines(&other, p.id).await.unwrap().is_empty());
        assert!(store
            .milestones_of(&other, &[p.id])
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}
