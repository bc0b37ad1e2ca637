//! Writes outside the ledger take a proof of permission, and the store checks
//! that what they write lies within it: a proof for zone A writing into zone B
//! finds nothing there (`NotFound`) and leaves nothing behind. Each test runs
//! on SQLite, and on PostgreSQL when `KFQ_TEST_PG` names a server.

use kfq_domain::{OrgKind, Principal, Role, UnitAdmin, Visibility, ZoneLevel, ZoneType};
use kfq_store::testing::{backends, TestDb};
use kfq_store::{
    Actor, OrgInput, OrgUnit, Store, StoreError, User, UserFilter, UserInput, UserUpdate,
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

        not_found(store.create_api_token(&mine, other.id, "偷", None).await);
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
            .create_api_token(&mine, me.id, "脚本", None)
            .await
            .unwrap();
        store
            .set_own_password(&system(), &mine, me.id, "new-hash", None)
            .await
            .unwrap();
    })
    .await;
}
