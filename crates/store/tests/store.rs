//! Storage tests. Each runs on SQLite, and on PostgreSQL when `KFQ_TEST_PG`
//! names a server, each time on a fresh database.

use kfq_domain::{
    CreditCode, OrgKind, OwnAccount, Principal, Role, UnitAdmin, Visibility, ZoneLevel, ZoneType,
    ZoneWrite,
};
use kfq_store::testing::{backends, TestDb};
use kfq_store::{
    Actor, EnterpriseFilter, EnterpriseInput, OrgFilter, OrgInput, OrgUnit, Store, StoreError,
};
use sqlx::Connection;

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

struct Tree {
    province: OrgUnit,
    zone_a: OrgUnit,
    zone_b: OrgUnit,
    dept_a: OrgUnit,
}

async fn tree(store: &Store) -> Tree {
    let province = store
        .create_org(
            &system(),
            &UnitAdmin::operator(),
            &unit(OrgKind::Province, None, "山西省", Some("SX")),
        )
        .await
        .unwrap();
    let city = store
        .create_org(
            &system(),
            &UnitAdmin::operator(),
            &unit(OrgKind::City, Some(province.id), "运城市", None),
        )
        .await
        .unwrap();
    let zone_a = store
        .create_org(
            &system(),
            &UnitAdmin::operator(),
            &unit(
                OrgKind::Zone,
                Some(city.id),
                "运城经济技术开发区",
                Some("YC-JK"),
            ),
        )
        .await
        .unwrap();
    let zone_b = store
        .create_org(
            &system(),
            &UnitAdmin::operator(),
            &unit(
                OrgKind::Zone,
                Some(city.id),
                "临汾经济开发区",
                Some("LF-JK"),
            ),
        )
        .await
        .unwrap();
    let dept_a = store
        .create_org(
            &system(),
            &UnitAdmin::operator(),
            &unit(OrgKind::Department, Some(zone_a.id), "招商局", None),
        )
        .await
        .unwrap();
    Tree {
        province,
        zone_a,
        zone_b,
        dept_a,
    }
}

fn enterprise(zone_id: i64, name: &str, code: &str) -> EnterpriseInput {
    EnterpriseInput {
        zone_id,
        name: name.into(),
        credit_code: CreditCode::parse(code).unwrap(),
        industry: None,
        address: None,
        contact_name: None,
        contact_phone: None,
    }
}

fn zone_staff(zone: &OrgUnit) -> Principal {
    Principal {
        user_id: 1,
        role: Role::ZoneStaff,
        unit_path: zone.org_path(),
        zone_path: Some(zone.org_path()),
        enterprise_id: None,
    }
}

#[tokio::test]
async fn the_tree_is_a_materialized_path() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        assert_eq!(t.dept_a.path, format!("{}{}/", t.zone_a.path, t.dept_a.id));
        assert_eq!(t.dept_a.zone_id, Some(t.zone_a.id));
        assert_eq!(t.zone_a.zone_id, Some(t.zone_a.id));
        assert_eq!(t.province.zone_id, None);
        let all = store.org_tree(&Visibility::All).await.unwrap();
        assert_eq!(all.len(), 5);
        let sub = store
            .org_tree(&Visibility::Subtree(t.zone_a.org_path()))
            .await
            .unwrap();
        let names: Vec<_> = sub.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["运城经济技术开发区", "招商局"]);
        let zones = store
            .orgs(
                &Visibility::All,
                &OrgFilter {
                    kind: Some(OrgKind::Zone),
                    ..Default::default()
                },
                0,
                10,
            )
            .await
            .unwrap();
        assert_eq!(zones.total, 2);
    })
    .await;
}

#[tokio::test]
async fn the_tree_refuses_wrong_shapes_and_taken_codes() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let err = store
            .create_org(
                &system(),
                &UnitAdmin::operator(),
                &unit(OrgKind::City, Some(t.zone_a.id), "错误", None),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.org.parent_kind"),
            "{err:?}"
        );
        let err = store
            .create_org(
                &system(),
                &UnitAdmin::operator(),
                &unit(
                    OrgKind::Zone,
                    Some(t.province.id),
                    "另一个区",
                    Some("YC-JK"),
                ),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.org_code.taken"),
            "{err:?}"
        );
        let err = store
            .create_org(
                &system(),
                &UnitAdmin::operator(),
                &unit(OrgKind::Department, Some(t.zone_a.id), "招商局", None),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.org_name.taken"),
            "{err:?}"
        );
        let err = store
            .delete_org(
                &system(),
                &UnitAdmin::operator(),
                t.zone_a.id,
                t.zone_a.version,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.org.not_empty"),
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn reads_outside_the_scope_are_not_found() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let a = store
            .create_enterprise(
                &system(),
                &ZoneWrite::operator(),
                &enterprise(t.zone_a.id, "山西晋恒科技有限公司", "914403001922038216"),
            )
            .await
            .unwrap();
        let b = store
            .create_enterprise(
                &system(),
                &ZoneWrite::operator(),
                &enterprise(t.zone_b.id, "临汾某企业", "91330100799655058B"),
            )
            .await
            .unwrap();
        let staff_a = zone_staff(&t.zone_a).zone_data_visibility();
        assert_eq!(
            store.enterprise(&staff_a, a.id).await.unwrap().name,
            "山西晋恒科技有限公司"
        );
        assert!(matches!(
            store.enterprise(&staff_a, b.id).await,
            Err(StoreError::NotFound)
        ));
        let listed = store
            .enterprises(&staff_a, &EnterpriseFilter::default(), 0, 50)
            .await
            .unwrap();
        assert_eq!(
            listed.items.iter().map(|e| e.id).collect::<Vec<_>>(),
            vec![a.id]
        );
        assert_eq!(listed.total, 1);
        assert!(matches!(
            store.org(&staff_a, t.zone_b.id).await,
            Err(StoreError::NotFound)
        ));
        // An enterprise account sees its own enterprise and nothing else.
        let own = Visibility::Enterprise(b.id);
        assert_eq!(
            store
                .enterprises(&own, &EnterpriseFilter::default(), 0, 50)
                .await
                .unwrap()
                .total,
            1
        );
        assert!(matches!(
            store.enterprise(&own, a.id).await,
            Err(StoreError::NotFound)
        ));
        // Searching by a Chinese substring.
        let filter = EnterpriseFilter {
            name_contains: Some("晋恒".into()),
            ..Default::default()
        };
        assert_eq!(
            store
                .enterprises(&Visibility::All, &filter, 0, 50)
                .await
                .unwrap()
                .total,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let e = store
            .create_enterprise(
                &system(),
                &ZoneWrite::operator(),
                &enterprise(t.zone_a.id, "甲公司", "914403001922038216"),
            )
            .await
            .unwrap();
        let mut first = enterprise(t.zone_a.id, "甲公司（改名）", "914403001922038216");
        first.industry = Some("新材料".into());
        let updated = store
            .update_enterprise(&system(), &ZoneWrite::operator(), e.id, e.version, &first)
            .await
            .unwrap();
        assert_eq!(updated.version, e.version + 1);
        let second = enterprise(t.zone_a.id, "甲公司（另一人改）", "914403001922038216");
        let err = store
            .update_enterprise(&system(), &ZoneWrite::operator(), e.id, e.version, &second)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict));
        assert_eq!(
            store.enterprise(&Visibility::All, e.id).await.unwrap().name,
            "甲公司（改名）"
        );
    })
    .await;
}

#[tokio::test]
async fn every_change_is_audited_and_a_refused_one_leaves_no_trace() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let actor = Actor::user(7, "张三");
        let e = store
            .create_enterprise(
                &actor,
                &ZoneWrite::operator(),
                &enterprise(t.zone_a.id, "甲公司", "914403001922038216"),
            )
            .await
            .unwrap();
        let changed = store
            .update_enterprise(
                &actor,
                &ZoneWrite::operator(),
                e.id,
                e.version,
                &enterprise(t.zone_a.id, "乙公司", "914403001922038216"),
            )
            .await
            .unwrap();
        let history = store
            .audit_history(&Visibility::All, "enterprise", e.id)
            .await
            .unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].action, "update");
        assert_eq!(history[0].actor_name, "张三");
        assert!(history[0]
            .before_json
            .as_deref()
            .unwrap()
            .contains("甲公司"));
        assert!(history[0].after_json.as_deref().unwrap().contains("乙公司"));
        // A duplicate code is refused and writes no audit record.
        let before = store
            .audit_recent(&Visibility::All, 500)
            .await
            .unwrap()
            .len();
        let err = store
            .create_enterprise(
                &actor,
                &ZoneWrite::operator(),
                &enterprise(t.zone_b.id, "丙公司", "914403001922038216"),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.credit_code.taken"),
            "{err:?}"
        );
        assert_eq!(
            store
                .audit_recent(&Visibility::All, 500)
                .await
                .unwrap()
                .len(),
            before
        );
        // The history is scoped like the object.
        let other = zone_staff(&t.zone_b).audit_visibility();
        assert!(store
            .audit_history(&other, "enterprise", changed.id)
            .await
            .unwrap()
            .is_empty());
        let report = store.audit_verify().await.unwrap();
        assert!(report.broken.is_none(), "{report:?}");
        assert_eq!(report.records, 5 + 2);
    })
    .await;
}

#[tokio::test]
async fn verify_finds_the_first_tampered_record() {
    each_backend(async |store, db| {
        let t = tree(&store).await;
        for (i, code) in [
            "914403001922038216",
            "91330100799655058B",
            "9144030071526726XG",
        ]
        .iter()
        .enumerate()
        {
            store
                .create_enterprise(
                    &system(),
                    &ZoneWrite::operator(),
                    &enterprise(t.zone_a.id, &format!("企业{i}"), code),
                )
                .await
                .unwrap();
        }
        assert!(store.audit_verify().await.unwrap().broken.is_none());
        let mut raw = sqlx::AnyConnection::connect(&raw_url(db)).await.unwrap();
        let chain = t.zone_a.id;
        sqlx::query(
            "UPDATE audit_log SET after_json = '{\"name\":\"伪造\"}' WHERE chain = $1 AND seq = 3",
        )
        .bind(chain)
        .execute(&mut raw)
        .await
        .unwrap();
        let broken = store
            .audit_verify()
            .await
            .unwrap()
            .broken
            .expect("a broken link");
        assert_eq!((broken.chain, broken.seq), (chain, 3));
        // Cutting the last record off is found too.
        sqlx::query("UPDATE audit_log SET after_json = NULL WHERE chain = -1")
            .execute(&mut raw)
            .await
            .unwrap();
        let max_seq: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM audit_log WHERE chain = $1")
            .bind(chain)
            .fetch_one(&mut raw)
            .await
            .unwrap();
        sqlx::query("DELETE FROM audit_log WHERE chain = $1 AND seq >= 3")
            .bind(chain)
            .execute(&mut raw)
            .await
            .unwrap();
        let broken = store
            .audit_verify()
            .await
            .unwrap()
            .broken
            .expect("a cut chain");
        assert_eq!((broken.chain, broken.seq), (chain, 3));
        assert!(max_seq >= 3);
    })
    .await;
}

fn raw_url(db: &TestDb) -> String {
    match db.backend {
        kfq_store::Backend::Sqlite => format!("sqlite://{}", db.url),
        kfq_store::Backend::Postgres => db.url.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_all_succeed_and_the_chain_stays_whole() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let codes = valid_codes(40);
        let mut tasks = Vec::new();
        for (i, code) in codes.into_iter().enumerate() {
            let store = store.clone();
            let zone = if i % 2 == 0 { t.zone_a.id } else { t.zone_b.id };
            tasks.push(tokio::spawn(async move {
                store
                    .create_enterprise(
                        &Actor::system("load"),
                        &ZoneWrite::operator(),
                        &enterprise(zone, &format!("并发企业{i}"), &code),
                    )
                    .await
            }));
        }
        for task in tasks {
            task.await.unwrap().expect("no writer fails");
        }
        let report = store.audit_verify().await.unwrap();
        assert!(report.broken.is_none(), "{report:?}");
        assert_eq!(report.records, 5 + 40);
    })
    .await;
}

/// Valid credit codes made by completing 17 characters with their check character.
fn valid_codes(n: usize) -> Vec<String> {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    (0..n)
        .map(|i| {
            let base = format!("91140800{:09}", 100_000 + i);
            ALPHABET
                .chars()
                .map(|c| format!("{base}{c}"))
                .find(|code| CreditCode::parse(code).is_ok())
                .unwrap()
        })
        .collect()
}

#[tokio::test]
async fn sessions_expire_when_idle_and_tokens_can_be_revoked() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let input = kfq_store::UserInput {
            username: "zhangsan".into(),
            display_name: "张三".into(),
            role: Role::ZoneStaff,
            org_unit_id: t.zone_a.id,
            enterprise_id: None,
            phone: None,
            email: None,
        };
        let user = store
            .create_user(&system(), &UnitAdmin::operator(), &input, "not-a-real-hash")
            .await
            .unwrap();
        assert_eq!(user.zone_id, Some(t.zone_a.id));
        let session = store
            .create_session(user.id, 3_600_000, "127.0.0.1", "test")
            .await
            .unwrap();
        let who = store
            .session_user(&session.token, 600_000)
            .await
            .unwrap()
            .expect("live session");
        assert_eq!(who.zone_path.as_deref(), Some(t.zone_a.path.as_str()));
        assert_eq!(who.csrf_token.as_deref(), Some(session.csrf_token.as_str()));
        store.age_session(&session.token, 700_000).await.unwrap();
        assert!(store
            .session_user(&session.token, 600_000)
            .await
            .unwrap()
            .is_none());
        // The idle session was ended, not just refused.
        assert!(store
            .session_user(&session.token, i64::MAX / 2)
            .await
            .unwrap()
            .is_none());

        let token = store
            .create_api_token(
                &kfq_store::Actor::system("测试"),
                &OwnAccount::operator(),
                user.id,
                "脚本",
                None,
            )
            .await
            .unwrap();
        assert!(token.token.starts_with("kfq_"));
        let who = store
            .api_token_user(&token.token)
            .await
            .unwrap()
            .expect("token works");
        assert_eq!(who.user_id, user.id);
        assert!(who.csrf_token.is_none());
        store
            .revoke_api_token(
                &kfq_store::Actor::system("测试"),
                &OwnAccount::operator(),
                user.id,
                token.info.id,
            )
            .await
            .unwrap();
        assert!(store.api_token_user(&token.token).await.unwrap().is_none());
        assert!(matches!(
            store
                .revoke_api_token(
                    &kfq_store::Actor::system("测试"),
                    &OwnAccount::operator(),
                    user.id + 1,
                    token.info.id
                )
                .await,
            Err(StoreError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn accounts_must_fit_their_unit() {
    each_backend(async |store, _| {
        let t = tree(&store).await;
        let mut input = kfq_store::UserInput {
            username: "wrong".into(),
            display_name: "错位".into(),
            role: Role::ZoneStaff,
            org_unit_id: t.dept_a.id,
            enterprise_id: None,
            phone: None,
            email: None,
        };
        let err = store
            .create_user(&system(), &UnitAdmin::operator(), &input, "h")
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.role.unit_kind"),
            "{err:?}"
        );
        let other = store
            .create_enterprise(
                &system(),
                &ZoneWrite::operator(),
                &enterprise(t.zone_b.id, "乙", "914403001922038216"),
            )
            .await
            .unwrap();
        input.role = Role::Enterprise;
        input.org_unit_id = t.zone_a.id;
        input.enterprise_id = Some(other.id);
        let err = store
            .create_user(&system(), &UnitAdmin::operator(), &input, "h")
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.0[0].key == "error.role.enterprise_zone"),
            "{err:?}"
        );
        assert_eq!(store.user_count().await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn one_instance_holds_a_lease_until_it_runs_out_or_is_given_up() {
    each_backend(async |store, _| {
        let (ttl, t0) = (45_000, 1_000_000);
        assert!(store.take_lease("background", "a", t0, ttl).await.unwrap());
        // Another instance cannot take it while it runs; the holder renews it.
        assert!(!store
            .take_lease("background", "b", t0 + 1, ttl)
            .await
            .unwrap());
        assert!(store
            .take_lease("background", "a", t0 + 30_000, ttl)
            .await
            .unwrap());
        assert!(!store
            .take_lease("background", "b", t0 + 45_000, ttl)
            .await
            .unwrap());
        // The holder dies: its last renewal runs out and b takes over.
        assert!(store
            .take_lease("background", "b", t0 + 75_000, ttl)
            .await
            .unwrap());
        assert_eq!(
            store.lease_holder("background").await.unwrap(),
            Some(("b".to_owned(), t0 + 75_000 + ttl))
        );
        assert!(!store
            .take_lease("background", "a", t0 + 80_000, ttl)
            .await
            .unwrap());
        // Given up, it is free at once; leases of other names are apart.
        store.release_lease("background", "a").await.unwrap();
        assert!(!store
            .take_lease("background", "a", t0 + 80_000, ttl)
            .await
            .unwrap());
        store.release_lease("background", "b").await.unwrap();
        assert!(store
            .take_lease("background", "a", t0 + 80_000, ttl)
            .await
            .unwrap());
        assert!(store
            .take_lease("other", "b", t0 + 80_000, ttl)
            .await
            .unwrap());
    })
    .await;
}

#[tokio::test]
async fn of_many_instances_racing_for_a_free_lease_exactly_one_wins() {
    each_backend(async |store, _| {
        let racers = (0..16).map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .take_lease("race", &format!("instance-{n}"), 5_000, 45_000)
                    .await
                    .unwrap()
            })
        });
        let mut winners = 0;
        for racer in racers {
            winners += usize::from(racer.await.unwrap());
        }
        assert_eq!(winners, 1);
    })
    .await;
}

#[tokio::test]
async fn a_backup_taken_during_writes_is_whole_and_restores() {
    let dir = std::env::temp_dir().join(format!("kfq-backup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let live = dir.join("kfq.db");
    let store = Store::connect(live.to_str().unwrap()).await.unwrap();
    store.migrate().await.unwrap();
    let t = tree(&store).await;
    let op = kfq_domain::ZoneWrite::operator();
    // Writers keep adding enterprises while the copy is taken.
    let writer = {
        let store = store.clone();
        let zone = t.zone_a.id;
        tokio::spawn(async move {
            for n in 0..40 {
                let input = enterprise(zone, &format!("企业{n}"), &valid_codes(40)[n]);
                store
                    .create_enterprise(&system(), &op, &input)
                    .await
                    .unwrap();
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let copy = dir.join("backup.db");
    store.backup_to(&copy).await.unwrap();
    assert!(matches!(
        store.backup_to(&copy).await,
        Err(kfq_store::BackupError::Exists(_))
    ));
    writer.await.unwrap();

    // The copy opens on its own, its chain verifies, and it holds a prefix of the writes.
    let backup = Store::connect(copy.to_str().unwrap()).await.unwrap();
    let report = backup.audit_verify().await.unwrap();
    assert!(report.broken.is_none(), "{report:?}");
    let in_copy = backup
        .enterprises(&Visibility::All, &Default::default(), 0, 100)
        .await
        .unwrap()
        .total;
    assert!(in_copy <= 40);
    backup.close().await;
    store.close().await;

    // Restored over the live file, the old one is kept beside it.
    let kept = kfq_store::restore_file(&copy, &live).unwrap().unwrap();
    assert!(kept.exists());
    let restored = Store::connect(live.to_str().unwrap()).await.unwrap();
    assert!(restored.audit_verify().await.unwrap().broken.is_none());
    let total = restored
        .enterprises(&Visibility::All, &Default::default(), 0, 100)
        .await
        .unwrap()
        .total;
    assert_eq!(total, in_copy);
    restored.close().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_formation_url_reaches_the_node_that_takes_writes() {
    each_backend(async |_, db| {
        if db.backend != kfq_store::Backend::Postgres {
            return;
        }
        use sqlx::Connection;
        let mut admin = sqlx::AnyConnection::connect(&db.url).await.unwrap();
        let (prefix, rest) = db.url.split_once("://").unwrap();
        let (auth, path) = rest.split_once('/').unwrap();
        let (user, host) = auth.rsplit_once('@').map_or(("", auth), |(u, h)| (u, h));
        let user = if user.is_empty() {
            String::new()
        } else {
            format!("{user}@")
        };
        // The first node is down (nothing listens on port 1): the second is used.
        let formation =
            format!("{prefix}://{user}127.0.0.1:1,{host}/{path}?target_session_attrs=read-write");
        let follower = Store::connect(&formation).await.unwrap();
        follower.ping().await.unwrap();
        follower.close().await;
        // A node that takes no writes is never chosen.
        let database = path.split('?').next().unwrap();
        sqlx::query(&format!(
            "ALTER DATABASE \"{database}\" SET default_transaction_read_only = on"
        ))
        .execute(&mut admin)
        .await
        .unwrap();
        let refused = Store::connect(&formation).await;
        sqlx::query(&format!(
            "ALTER DATABASE \"{database}\" SET default_transaction_read_only = off"
        ))
        .execute(&mut admin)
        .await
        .unwrap();
        assert!(refused.is_err(), "a read-only node was taken");
    })
    .await;
}
