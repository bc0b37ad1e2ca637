//! Writes outside the ledger take a proof of permission, and the store checks
//! that what they write lies within it: a proof for zone A writing into zone B
//! finds nothing there (`NotFound`) and leaves nothing behind. Each test runs
//! on SQLite, and on PostgreSQL when `KFQ_TEST_PG` names a server.

use chrono::NaiveDate;
use kfq_assessment::{Quarter, Sheet};
use kfq_domain::rag::RagRules;
use kfq_domain::{
    BlockerFactor, BlockerStatus, Category, CreditCode, Money, Nature, OrgKind, Principal, Role,
    Stage, UnitAdmin, UnitWrite, Visibility, ZoneLevel, ZoneType, ZoneWrite,
};
use kfq_store::testing::{backends, TestDb};
use kfq_store::{
    Acceptance, Actor, Blocker, BlockerInput, CampaignInput, DecisionInput, Enterprise,
    EnterpriseFilter, EnterpriseInput, FactSource, FigureInput, IndicatorInput, OrgInput, OrgUnit,
    Project, ProjectInput, RagContext, ReportIssue, Store, StoreError, TemplateNode, User,
    UserFilter, UserInput, UserUpdate, ValueFilter,
};

async fn each_backend(test: impl AsyncFn(Store, &TestDb)) {
    for backend in backends() {
        let db = TestDb::new(backend).await;
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        test(store.clone(), &db).await;
        store.close().await;
    }
}

fn system() -> Actor {
    Actor::system("test")
}

fn unit(kind: OrgKind, parent: Option<i64>, name: &str, code: Option<&str>) -> OrgInput {
    let zone = kind == OrgKind::Zone;
    OrgInput {
        kind,
        parent_id: parent,
        name: name.into(),
        code: code.map(Into::into),
        zone_level: zone.then_some(ZoneLevel::National),
        zone_type: zone.then_some(ZoneType::EconomicTechnological),
    }
}

/// Province → city → zones A and B, each with a department.
struct Tree {
    city: OrgUnit,
    zone_a: OrgUnit,
    zone_b: OrgUnit,
    dept_b: OrgUnit,
}

async fn tree(store: &Store) -> Tree {
    let op = UnitAdmin::operator();
    let add = async |kind, parent, name, code| {
        store
            .create_org(&system(), &op, &unit(kind, parent, name, code))
            .await
            .unwrap()
    };
    let province = add(OrgKind::Province, None, "山西省", Some("SX")).await;
    let city = add(OrgKind::City, Some(province.id), "运城市", None).await;
    let zone_a = add(OrgKind::Zone, Some(city.id), "甲开发区", Some("ZA")).await;
    let zone_b = add(OrgKind::Zone, Some(city.id), "乙开发区", Some("ZB")).await;
    add(OrgKind::Department, Some(zone_a.id), "甲招商局", None).await;
    let dept_b = add(OrgKind::Department, Some(zone_b.id), "乙招商局", None).await;
    Tree {
        city,
        zone_a,
        zone_b,
        dept_b,
    }
}

fn principal(role: Role, unit: &OrgUnit, zone: Option<&OrgUnit>) -> Principal {
    Principal {
        user_id: 1,
        role,
        unit_path: unit.org_path(),
        zone_path: zone.map(OrgUnit::org_path),
        enterprise_id: None,
    }
}

fn zone_admin(zone: &OrgUnit) -> Principal {
    principal(Role::ZoneAdmin, zone, Some(zone))
}

fn not_found<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::NotFound)),
        "expected NotFound, got {result:?}"
    );
}

async fn audit_count(store: &Store) -> usize {
    store
        .audit_recent(&Visibility::All, 10_000)
        .await
        .unwrap()
        .len()
}

fn account(username: &str, unit: &OrgUnit, role: Role) -> UserInput {
    UserInput {
        username: username.into(),
        display_name: username.into(),
        role,
        org_unit_id: unit.id,
        enterprise_id: None,
        phone: None,
        email: None,
    }
}

async fn user_in(store: &Store, username: &str, unit: &OrgUnit) -> User {
    store
        .create_user(
            &system(),
            &UnitAdmin::operator(),
            &account(username, unit, Role::ZoneStaff),
            "h",
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn a_zone_administrator_shapes_only_their_own_zone() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let proof = zone_admin(&t.zone_a)
            .unit_admin(&t.zone_a.org_path())
            .expect("own zone");
        let units = store.org_tree(&Visibility::All).await.unwrap().len();
        let records = audit_count(&store).await;

        // Into zone B, or a zone under the city: nothing there.
        not_found(
            store
                .create_org(
                    &system(),
                    &proof,
                    &unit(OrgKind::Department, Some(t.zone_b.id), "渗透局", None),
                )
                .await,
        );
        not_found(
            store
                .create_org(
                    &system(),
                    &proof,
                    &unit(OrgKind::Zone, Some(t.city.id), "丙开发区", Some("ZC")),
                )
                .await,
        );
        not_found(
            store
                .create_org(
                    &system(),
                    &proof,
                    &unit(OrgKind::Province, None, "晋省", Some("JS")),
                )
                .await,
        );
        let renamed = unit(OrgKind::Department, None, "改名局", None);
        not_found(
            store
                .update_org(&system(), &proof, t.dept_b.id, t.dept_b.version, &renamed)
                .await,
        );
        not_found(
            store
                .delete_org(&system(), &proof, t.dept_b.id, t.dept_b.version)
                .await,
        );
        // Its own zone is not a department: the administration does not edit it.
        let zone = unit(OrgKind::Zone, None, "甲区改名", Some("ZA"));
        not_found(
            store
                .update_org(&system(), &proof, t.zone_a.id, t.zone_a.version, &zone)
                .await,
        );

        assert_eq!(store.org_tree(&Visibility::All).await.unwrap().len(), units);
        assert_eq!(
            store.org(&Visibility::All, t.dept_b.id).await.unwrap(),
            t.dept_b
        );
        assert_eq!(audit_count(&store).await, records, "nothing audited");

        // Inside, it works.
        let dept = store
            .create_org(
                &system(),
                &proof,
                &unit(OrgKind::Department, Some(t.zone_a.id), "甲经发局", None),
            )
            .await
            .unwrap();
        store
            .delete_org(&system(), &proof, dept.id, dept.version)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_zone_administrator_places_accounts_only_in_their_own_zone() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let proof = zone_admin(&t.zone_a)
            .unit_admin(&t.zone_a.org_path())
            .expect("own zone");
        let in_a = user_in(&store, "in_a", &t.zone_a).await;
        let in_b = user_in(&store, "in_b", &t.zone_b).await;
        let records = audit_count(&store).await;

        not_found(
            store
                .create_user(
                    &system(),
                    &proof,
                    &account("intruder", &t.zone_b, Role::ZoneStaff),
                    "h",
                )
                .await,
        );
        // A role above the zone is never handed out from inside it.
        not_found(
            store
                .create_user(
                    &system(),
                    &proof,
                    &account("boss", &t.zone_a, Role::SystemAdmin),
                    "h",
                )
                .await,
        );
        let update = |unit: &OrgUnit| UserUpdate {
            display_name: "改".into(),
            role: Role::ZoneStaff,
            org_unit_id: unit.id,
            enterprise_id: None,
            phone: None,
            email: None,
            active: false,
        };
        // Not B's account, and not moving it into A, nor A's out to B.
        not_found(
            store
                .update_user(&system(), &proof, in_b.id, in_b.version, &update(&t.zone_b))
                .await,
        );
        not_found(
            store
                .update_user(&system(), &proof, in_b.id, in_b.version, &update(&t.zone_a))
                .await,
        );
        not_found(
            store
                .update_user(&system(), &proof, in_a.id, in_a.version, &update(&t.zone_b))
                .await,
        );
        not_found(
            store
                .set_password(&system(), &proof, in_b.id, "new-hash")
                .await,
        );

        let users = store
            .users(&Visibility::All, &UserFilter::default(), 0, 100)
            .await
            .unwrap();
        assert_eq!(users.total, 2);
        assert_eq!(store.user(&Visibility::All, in_b.id).await.unwrap(), in_b);
        let (_, hash, active) = store.credentials("in_b").await.unwrap().unwrap();
        assert_eq!((hash.as_str(), active), ("h", true));
        assert_eq!(audit_count(&store).await, records, "nothing audited");

        store
            .update_user(&system(), &proof, in_a.id, in_a.version, &update(&t.zone_a))
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn an_own_account_proof_reaches_no_other_account() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let me = user_in(&store, "me", &t.zone_a).await;
        let other = user_in(&store, "other", &t.zone_a).await;
        let mine = Principal {
            user_id: me.id,
            ..zone_admin(&t.zone_a)
        }
        .own_account(me.id)
        .expect("own account");
        let other_path = other.unit_org_path();
        let records = audit_count(&store).await;

        not_found(
            store
                .create_api_token(
                    &kfq_store::Actor::system("测试"),
                    &mine,
                    other.id,
                    "偷",
                    None,
                )
                .await,
        );
        not_found(
            store
                .add_channel(
                    &system(),
                    &mine,
                    (other.id, &other_path),
                    "email",
                    "x",
                    "{}",
                )
                .await,
        );
        not_found(
            store
                .set_subscriptions(&mine, other.id, &["red_project"])
                .await,
        );
        not_found(store.mark_notices_read(&mine, other.id).await);
        not_found(
            store
                .set_own_password(&system(), &mine, other.id, "new-hash", None)
                .await,
        );

        assert!(store.api_tokens(other.id).await.unwrap().is_empty());
        assert!(store.channels_of(other.id).await.unwrap().is_empty());
        assert!(store.subscriptions_of(other.id).await.unwrap().is_empty());
        let (_, hash, _) = store.credentials("other").await.unwrap().unwrap();
        assert_eq!(hash, "h");
        assert_eq!(audit_count(&store).await, records, "nothing audited");

        store
            .create_api_token(
                &kfq_store::Actor::system("测试"),
                &mine,
                me.id,
                "脚本",
                None,
            )
            .await
            .unwrap();
        store
            .set_own_password(&system(), &mine, me.id, "new-hash", None)
            .await
            .unwrap();
    })
    .await;
}

fn zone_staff(zone: &OrgUnit) -> Principal {
    principal(Role::ZoneStaff, zone, Some(zone))
}

/// The `n`th of a run of valid 统一社会信用代码.
fn code(n: usize) -> String {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let base = format!("91140800{:09}", 100_000 + n);
    ALPHABET
        .chars()
        .map(|c| format!("{base}{c}"))
        .find(|code| CreditCode::parse(code).is_ok())
        .unwrap()
}

fn enterprise(zone: &OrgUnit, name: &str, n: usize) -> EnterpriseInput {
    EnterpriseInput {
        zone_id: zone.id,
        name: name.into(),
        credit_code: CreditCode::parse(&code(n)).unwrap(),
        industry: None,
        address: None,
        contact_name: None,
        contact_phone: None,
    }
}

async fn enterprise_in(store: &Store, zone: &OrgUnit, name: &str, n: usize) -> Enterprise {
    store
        .create_enterprise(
            &system(),
            &ZoneWrite::operator(),
            &enterprise(zone, name, n),
        )
        .await
        .unwrap()
}

fn every_day(_: NaiveDate, _: NaiveDate) -> i64 {
    0
}

fn ctx() -> RagContext<'static> {
    RagContext {
        today: NaiveDate::from_ymd_opt(2024, 6, 30).unwrap(),
        rules: RagRules::default(),
        working_days: &every_day,
    }
}

/// A project of `zone` with one open blocker.
async fn project_in(store: &Store, zone: &OrgUnit, name: &str) -> (Project, Blocker) {
    let input = ProjectInput {
        zone_id: zone.id,
        name: name.into(),
        enterprise_id: None,
        investor: None,
        category: Category::Industrial,
        nature: Nature::New,
        industry_chain_id: None,
        total_investment: Money::from_yuan(100_000_000),
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
    };
    let op = ZoneWrite::operator();
    let project = store
        .create_project(&system(), &op, &input, Stage::Signed, &ctx())
        .await
        .unwrap();
    let blocker = BlockerInput {
        factor: BlockerFactor::Land,
        description: "用地指标未落实".into(),
        raised_on: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
        department_id: None,
        deadline: None,
        status: BlockerStatus::Open,
        resolution: None,
        resolved_on: None,
    };
    let blocker = store
        .save_blocker(&system(), &op, &project, None, &blocker, &ctx())
        .await
        .unwrap();
    (project, blocker)
}

/// A liaison leader (包联领导) leaves their zone only once their projects have
/// another: the move is refused with the field to fix, nothing changes and
/// nothing is audited; handed over, the move goes through.
#[tokio::test]
async fn a_liaison_leader_moves_zone_only_once_their_projects_are_handed_over() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let op = UnitAdmin::operator();
        let leader = store
            .create_user(
                &system(),
                &op,
                &account("leader", &t.zone_a, Role::Liaison),
                "h",
            )
            .await
            .unwrap();
        let (project, _) = project_in(&store, &t.zone_a, "智能装备产业园").await;
        let lead = async |project: &Project, liaison: Option<i64>| {
            let mut input = project.input();
            input.liaison_user_id = liaison;
            let op = ZoneWrite::operator();
            store
                .update_project(&system(), &op, project.id, project.version, &input, &ctx())
                .await
                .unwrap()
        };
        let move_to = async |user: &User, unit: &OrgUnit, name: &str| {
            let update = UserUpdate {
                display_name: name.into(),
                role: Role::Liaison,
                org_unit_id: unit.id,
                enterprise_id: None,
                phone: None,
                email: None,
                active: true,
            };
            store
                .update_user(&system(), &op, user.id, user.version, &update)
                .await
        };
        let project = lead(&project, Some(leader.id)).await;
        assert_eq!(project.liaison_name.as_deref(), Some("leader"));
        let records = audit_count(&store).await;
        match move_to(&leader, &t.zone_b, "调任").await {
            Err(StoreError::Invalid(errors)) => {
                assert_eq!(errors.0.len(), 1);
                assert_eq!(errors.0[0].field, "org_unit_id");
                assert_eq!(errors.0[0].key, "error.user.leads_projects");
            }
            other => panic!("a liaison leader moved away from their projects: {other:?}"),
        }
        assert_eq!(
            store.user(&Visibility::All, leader.id).await.unwrap(),
            leader
        );
        assert_eq!(audit_count(&store).await, records, "nothing audited");

        // Renamed within the zone, then handed over and moved.
        let leader = move_to(&leader, &t.zone_a, "王主任").await.unwrap();
        lead(&project, None).await;
        let moved = move_to(&leader, &t.zone_b, "王主任").await.unwrap();
        assert_eq!(moved.zone_id, Some(t.zone_b.id));
    })
    .await;
}

#[tokio::test]
async fn a_zone_writer_keeps_only_their_own_zones_enterprises() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let proof = zone_staff(&t.zone_a)
            .zone_write(&t.zone_a.org_path())
            .expect("own zone");
        let in_a = enterprise_in(&store, &t.zone_a, "甲企业", 1).await;
        let in_b = enterprise_in(&store, &t.zone_b, "乙企业", 2).await;
        let records = audit_count(&store).await;

        not_found(
            store
                .create_enterprise(&system(), &proof, &enterprise(&t.zone_b, "丙企业", 3))
                .await,
        );
        let edit = enterprise(&t.zone_b, "乙企业（改）", 2);
        not_found(
            store
                .update_enterprise(&system(), &proof, in_b.id, in_b.version, &edit)
                .await,
        );
        // Nor moved out of its zone into another.
        let moved = enterprise(&t.zone_b, "甲企业", 1);
        not_found(
            store
                .update_enterprise(&system(), &proof, in_a.id, in_a.version, &moved)
                .await,
        );
        not_found(
            store
                .delete_enterprise(&system(), &proof, in_b.id, in_b.version)
                .await,
        );

        let all = store
            .enterprises(&Visibility::All, &EnterpriseFilter::default(), 0, 100)
            .await
            .unwrap();
        assert_eq!(all.total, 2);
        assert_eq!(
            store.enterprise(&Visibility::All, in_b.id).await.unwrap(),
            in_b
        );
        assert_eq!(
            store.enterprise(&Visibility::All, in_a.id).await.unwrap(),
            in_a
        );
        assert_eq!(audit_count(&store).await, records, "nothing audited");

        store
            .delete_enterprise(&system(), &proof, in_a.id, in_a.version)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn campaigns_decisions_and_bulletins_stay_within_their_proof() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let staff_a = zone_staff(&t.zone_a);
        let unit_a = staff_a.unit_write(&t.zone_a.org_path()).expect("own zone");
        let zone_a = staff_a.zone_write(&t.zone_a.org_path()).expect("own zone");
        let (project_b, blocker_b) = project_in(&store, &t.zone_b, "乙项目").await;
        let (project_a, _) = project_in(&store, &t.zone_a, "甲项目").await;
        let campaign = |org: &OrgUnit| CampaignInput {
            org_id: org.id,
            kind: "starting".into(),
            name: "集中开工".into(),
            held_on: "2024-04-18".into(),
            note: None,
        };
        let campaign_b = store
            .create_campaign(&system(), &UnitWrite::operator(), &campaign(&t.zone_b))
            .await
            .unwrap();
        let bulletin_b = store
            .add_bulletin(
                &system(),
                &ZoneWrite::operator(),
                (t.zone_b.id, &t.zone_b.org_path()),
                "乙简报",
                "正文",
            )
            .await
            .unwrap();
        let records = audit_count(&store).await;

        not_found(
            store
                .create_campaign(&system(), &unit_a, &campaign(&t.zone_b))
                .await,
        );
        not_found(
            store
                .create_campaign(&system(), &unit_a, &campaign(&t.city))
                .await,
        );
        not_found(
            store
                .add_to_campaign(&system(), &unit_a, &campaign_b, project_b.id)
                .await,
        );
        let decision = DecisionInput {
            meeting_on: "2024-06-03".into(),
            decided_by: "调度会".into(),
            decision: "限期解决".into(),
            owner: None,
            due_on: None,
        };
        not_found(
            store
                .record_decision(
                    &system(),
                    &zone_a,
                    &Visibility::All,
                    blocker_b.id,
                    &decision,
                )
                .await,
        );
        // A zone named as A's but stored as B's is B's.
        not_found(
            store
                .add_bulletin(
                    &system(),
                    &zone_a,
                    (t.zone_b.id, &t.zone_a.org_path()),
                    "冒名",
                    "正文",
                )
                .await,
        );
        let sources = [FactSource {
            kind: "total_investment".into(),
            start: 0,
            end: 2,
            quote: "正文".into(),
        }];
        // Facts of B's bulletin into B's project, with A's proof.
        not_found(
            store
                .accept_facts(
                    &system(),
                    &zone_a,
                    &Acceptance {
                        project: Some((project_b.id, project_b.version)),
                        fields: &project_b.input(),
                        stage: None,
                        bulletin_id: bulletin_b,
                        sources: &sources,
                    },
                    &ctx(),
                )
                .await,
        );
        // B's bulletin as the source of A's project: the project's change
        // is undone with it.
        let mut renamed = project_a.input();
        renamed.name = "甲项目（据乙简报）".into();
        not_found(
            store
                .accept_facts(
                    &system(),
                    &zone_a,
                    &Acceptance {
                        project: Some((project_a.id, project_a.version)),
                        fields: &renamed,
                        stage: Some(Stage::Started),
                        bulletin_id: bulletin_b,
                        sources: &sources,
                    },
                    &ctx(),
                )
                .await,
        );
        let kept = store.project(&Visibility::All, project_a.id).await.unwrap();
        assert_eq!((kept.name.as_str(), kept.stage), ("甲项目", Stage::Signed));

        assert_eq!(store.campaigns(&Visibility::All).await.unwrap().len(), 1);
        assert!(store
            .campaign_projects(campaign_b.id)
            .await
            .unwrap()
            .is_empty());
        assert!(store.decisions(&[blocker_b.id]).await.unwrap().is_empty());
        assert_eq!(store.bulletins(&Visibility::All).await.unwrap().len(), 1);
        assert!(store
            .project_sources(project_b.id)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(audit_count(&store).await, records, "nothing audited");

        // From above, the city organises a campaign for its zones.
        let city = principal(Role::Supervisor, &t.city, None)
            .unit_write(&t.city.org_path())
            .expect("the city's supervisor");
        let city_campaign = store
            .create_campaign(&system(), &city, &campaign(&t.city))
            .await
            .unwrap();
        store
            .add_to_campaign(&system(), &city, &city_campaign, project_b.id)
            .await
            .unwrap();
    })
    .await;
}

fn figure(indicator_id: i64, value: i64) -> FigureInput {
    FigureInput {
        indicator_id,
        year: 2024,
        month: 5,
        value,
        parts: None,
    }
}

async fn figures_of(store: &Store, zone: &OrgUnit) -> usize {
    let filter = ValueFilter {
        zone_id: Some(zone.id),
        ..Default::default()
    };
    store
        .indicator_values(&Visibility::All, &filter)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn figures_targets_and_settings_stay_within_their_proof() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let indicator = store
            .add_indicator(
                &system(),
                &UnitAdmin::operator(),
                &IndicatorInput {
                    code: "proof_test".into(),
                    name: "测试指标".into(),
                    unit: "wan_yuan".into(),
                    kind: "flow".into(),
                    roll_up: "sum".into(),
                    direction: "higher".into(),
                },
            )
            .await
            .unwrap()
            .id;
        let staff_a = zone_staff(&t.zone_a);
        let zone_a = staff_a.zone_write(&t.zone_a.org_path()).unwrap();
        let unit_a = staff_a.unit_write(&t.zone_a.org_path()).unwrap();
        let admin_a = zone_admin(&t.zone_a)
            .unit_admin(&t.zone_a.org_path())
            .unwrap();
        // A supervisor of another city.
        let province = store
            .org(&Visibility::All, t.city.parent_id.unwrap())
            .await
            .unwrap();
        let other_city = store
            .create_org(
                &system(),
                &UnitAdmin::operator(),
                &unit(OrgKind::City, Some(province.id), "临汾市", None),
            )
            .await
            .unwrap();
        let above_other = principal(Role::Supervisor, &other_city, None)
            .oversight(&other_city.org_path())
            .unwrap();
        let b = (t.zone_b.id, &t.zone_b.org_path());
        // Reading a zone's chains the first time gives it the standard ones.
        let chains_b = store.industry_chains(t.zone_b.id).await.unwrap();
        let records = audit_count(&store).await;

        not_found(
            store
                .record_figures(&system(), &zone_a, b, &[figure(indicator, 7)], "form")
                .await,
        );
        // A table of A's and B's figures: all or none.
        let table = vec![
            (t.zone_a.id, t.zone_a.org_path(), vec![figure(indicator, 5)]),
            (t.zone_b.id, t.zone_b.org_path(), vec![figure(indicator, 6)]),
        ];
        not_found(
            store
                .record_zones_figures(&system(), &unit_a, &table, "import")
                .await,
        );
        not_found(
            store
                .set_targets(
                    &system(),
                    &above_other,
                    b,
                    2024,
                    &[(indicator, Some(100), None)],
                )
                .await,
        );
        not_found(
            store
                .set_rag_rules(&system(), &admin_a, b, &RagRules::default())
                .await,
        );
        not_found(
            store
                .add_industry_chain(&system(), &admin_a, b, "新材料")
                .await,
        );
        let node = TemplateNode {
            key: "land".into(),
            name: "土地".into(),
            working_days: 10,
        };
        not_found(
            store
                .set_milestone_template(&system(), &admin_a, b, std::slice::from_ref(&node))
                .await,
        );
        // The shared dictionaries take a proof for everything.
        let rules = "{}";
        not_found(store.set_warning_rules(&system(), &admin_a, rules).await);
        not_found(
            store
                .set_calendar_override(
                    &system(),
                    &admin_a,
                    &t.zone_a.org_path(),
                    "2024-10-08",
                    Some((false, "停工")),
                )
                .await,
        );
        let mut draft = IndicatorInput {
            code: "sneaked".into(),
            name: "私加".into(),
            unit: "wan_yuan".into(),
            kind: "flow".into(),
            roll_up: "sum".into(),
            direction: "higher".into(),
        };
        not_found(store.add_indicator(&system(), &admin_a, &draft).await);

        assert_eq!(figures_of(&store, &t.zone_a).await, 0);
        assert_eq!(figures_of(&store, &t.zone_b).await, 0);
        assert!(store
            .indicator_targets(&Visibility::All, 2024, Some(t.zone_b.id))
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            store.rag_rules(t.zone_b.id).await.unwrap(),
            RagRules::default()
        );
        assert_eq!(store.industry_chains(t.zone_b.id).await.unwrap(), chains_b);
        assert!(store
            .milestone_template(t.zone_b.id)
            .await
            .unwrap()
            .is_none());
        assert!(store.warning_rules().await.unwrap().is_none());
        assert!(store.calendar_overrides().await.unwrap().is_empty());
        assert_eq!(
            store
                .indicators()
                .await
                .unwrap()
                .iter()
                .filter(|i| i.code == "sneaked")
                .count(),
            0
        );
        assert_eq!(audit_count(&store).await, records, "nothing audited");

        // Within, they work.
        let a = (t.zone_a.id, &t.zone_a.org_path());
        store
            .record_figures(&system(), &zone_a, a, &[figure(indicator, 7)], "form")
            .await
            .unwrap();
        store
            .add_industry_chain(&system(), &admin_a, a, "测试产业链")
            .await
            .unwrap();
        draft.code = "allowed".into();
        store
            .add_indicator(&system(), &UnitAdmin::operator(), &draft)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn assessing_and_issuing_stay_within_their_proof() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let own_zone = zone_admin(&t.zone_a)
            .assessment(&t.zone_a.org_path())
            .unwrap();
        let unit_a = zone_staff(&t.zone_a)
            .unit_write(&t.zone_a.org_path())
            .unwrap();
        let quarter = Quarter::new(2024, 1).unwrap();
        let today = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let records = audit_count(&store).await;

        for unit in [&t.zone_b, &t.city] {
            not_found(
                store
                    .set_assessment_sheet(&system(), &own_zone, unit, 2024, &Sheet::default(), 0)
                    .await,
            );
            not_found(
                store
                    .close_assessment_quarter(&system(), &own_zone, unit, quarter, today, 0, "[]")
                    .await,
            );
            let issue = ReportIssue {
                org_id: unit.id,
                org_path: &t.zone_a.org_path(),
                zone_id: unit.zone_id,
                year: 2024,
                month: 5,
                as_of: 0,
                figures: "{}",
                docx: b"docx",
                lead: "",
                next_steps: "",
                addressee: "",
                copy_to: "",
            };
            not_found(store.issue_monthly_report(&system(), &unit_a, &issue).await);
            let sheet = store
                .assessment_sheet(&unit.org_path(), 2024)
                .await
                .unwrap();
            assert_eq!(sheet.set_by_org_id, None);
            assert!(store
                .assessment_closing(unit.id, quarter)
                .await
                .unwrap()
                .is_none());
            assert!(store.issued_reports(unit.id).await.unwrap().is_empty());
        }
        assert_eq!(audit_count(&store).await, records, "nothing audited");

        store
            .set_assessment_sheet(&system(), &own_zone, &t.zone_a, 2024, &Sheet::default(), 0)
            .await
            .unwrap();
        let city = principal(Role::Supervisor, &t.city, None)
            .assessment(&t.city.org_path())
            .unwrap();
        store
            .close_assessment_quarter(&system(), &city, &t.zone_b, quarter, today, 0, "[]")
            .await
            .unwrap();
    })
    .await;
}
