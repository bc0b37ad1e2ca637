use std::collections::{HashMap, HashSet};

use kfq_domain::OrgPath;
use kfq_store::bulk_copy::{escape_copy_text, CopyRows};

use super::tree::{city_stem, plan, province_count, NewUnit};
use super::*;
use crate::{CITIES, ZONES};

fn unit(
    id: i64,
    parent: Option<&OrgUnit>,
    kind: OrgKind,
    name: &str,
    code: Option<String>,
) -> OrgUnit {
    let path = match parent {
        Some(p) => p.org_path().child(id),
        None => OrgPath::root_of(id),
    };
    OrgUnit {
        id,
        parent_id: parent.map(|p| p.id),
        kind,
        name: name.to_owned(),
        code,
        path: path.as_str().to_owned(),
        zone_id: (kind == OrgKind::Zone).then_some(id),
        zone_level: None,
        zone_type: None,
        version: 1,
        created_at: 0,
        updated_at: 0,
    }
}

/// The demo organisation as `crate::seed` leaves it (departments aside).
fn demo_tree() -> Vec<OrgUnit> {
    demo_tree_under(None)
}

/// The demo organisation, its province under the country's root when given
/// (as `crate::seed_country` leaves it).
fn demo_tree_under(country: Option<OrgUnit>) -> Vec<OrgUnit> {
    let mut units: Vec<OrgUnit> = country.iter().cloned().collect();
    units.push(unit(
        units.len() as i64 + 1,
        country.as_ref(),
        OrgKind::Province,
        "山西省",
        Some("140000".into()),
    ));
    let province = units[units.len() - 1].clone();
    for (city, division) in CITIES {
        let id = units.len() as i64 + 1;
        let city_unit = unit(
            id,
            Some(&province),
            OrgKind::City,
            city,
            Some((*division).into()),
        );
        units.push(city_unit.clone());
        for (n, zone) in ZONES.iter().filter(|z| z.city == *city).enumerate() {
            let parent = match zone.county {
                None => city_unit.clone(),
                Some(county) => match units.iter().find(|u| u.name == county) {
                    Some(u) => u.clone(),
                    None => {
                        let c = unit(
                            units.len() as i64 + 1,
                            Some(&city_unit),
                            OrgKind::County,
                            county,
                            None,
                        );
                        units.push(c.clone());
                        c
                    }
                },
            };
            let code = format!("{division}-{:02}", n + 1);
            units.push(unit(
                units.len() as i64 + 1,
                Some(&parent),
                OrgKind::Zone,
                zone.name,
                Some(code),
            ));
        }
    }
    units
}

#[test]
fn the_country_has_31_provinces_and_its_zones_unique_names() {
    let existing = demo_tree();
    let next = existing.len() as i64 + 1;
    let added = plan(&existing, next);
    assert_eq!(province_count(), 31);
    let provinces = added.iter().filter(|u| u.kind == OrgKind::Province).count() + 1;
    assert_eq!(provinces, 31);

    let zones: Vec<&str> = existing
        .iter()
        .filter(|u| u.kind() == OrgKind::Zone)
        .map(|u| u.name.as_str())
        .chain(
            added
                .iter()
                .filter(|u| u.kind == OrgKind::Zone)
                .map(|u| u.name.as_str()),
        )
        .collect();
    assert_eq!(zones.len(), NATIONAL_ZONES);
    let unique: HashSet<&str> = zones.iter().copied().collect();
    assert_eq!(unique.len(), zones.len(), "zone names repeat");

    let codes: Vec<&String> = existing
        .iter()
        .filter_map(|u| u.code.as_ref())
        .chain(added.iter().filter_map(|u| u.code.as_ref()))
        .collect();
    let unique: HashSet<_> = codes.iter().collect();
    assert_eq!(unique.len(), codes.len(), "codes repeat");
}

#[test]
fn under_the_country_every_province_hangs_from_its_root() {
    let country = unit(1, None, OrgKind::Country, crate::COUNTRY, None);
    let existing = demo_tree_under(Some(country.clone()));
    let added = plan(&existing, existing.len() as i64 + 1);
    let provinces: Vec<&NewUnit> = added
        .iter()
        .filter(|u| u.kind == OrgKind::Province)
        .collect();
    assert_eq!(provinces.len(), 30);
    for p in &provinces {
        assert_eq!(p.parent_id, Some(country.id), "{}", p.name);
        assert_eq!(p.path, country.org_path().child(p.id));
    }
    // Everything added lies under the root; nothing else is a root.
    assert!(added
        .iter()
        .all(|u| u.parent_id.is_some() && u.path.is_within(&country.org_path())));
    let zones = existing
        .iter()
        .filter(|u| u.kind() == OrgKind::Zone)
        .count()
        + added.iter().filter(|u| u.kind == OrgKind::Zone).count();
    assert_eq!(zones, NATIONAL_ZONES);
}

#[test]
fn ids_and_paths_are_the_stores() {
    let existing = demo_tree();
    let next = existing.len() as i64 + 1;
    let added = plan(&existing, next);
    let ids: Vec<i64> = added.iter().map(|u| u.id).collect();
    assert_eq!(ids, (next..next + added.len() as i64).collect::<Vec<_>>());
    let mut paths: HashMap<i64, (OrgPath, Option<i64>)> = existing
        .iter()
        .map(|u| (u.id, (u.org_path(), u.zone_id)))
        .collect();
    for u in &added {
        let NewUnit {
            id,
            parent_id,
            kind,
            path,
            zone_id,
            ..
        } = u;
        let expected = match parent_id {
            None => OrgPath::root_of(*id),
            // Parents come first.
            Some(parent) => paths[parent].0.child(*id),
        };
        assert_eq!(path, &expected);
        let expected_zone = match kind {
            OrgKind::Zone => Some(*id),
            _ => parent_id.and_then(|p| paths[&p].1),
        };
        assert_eq!(*zone_id, expected_zone, "{}", u.name);
        if *kind == OrgKind::Zone {
            assert!(u.code.is_some() && u.zone_level.is_some() && u.zone_type.is_some());
            let departments = added
                .iter()
                .filter(|d| d.parent_id == Some(*id) && d.kind == OrgKind::Department)
                .count();
            assert_eq!(departments, crate::DEPARTMENTS.len());
        }
        paths.insert(*id, (path.clone(), *zone_id));
    }
    // No generated county takes a name a county already has.
    let counties: Vec<&str> = existing
        .iter()
        .filter(|u| u.kind() == OrgKind::County)
        .map(|u| u.name.as_str())
        .chain(
            added
                .iter()
                .filter(|u| u.kind == OrgKind::County)
                .map(|u| u.name.as_str()),
        )
        .collect();
    let unique: HashSet<&str> = counties.iter().copied().collect();
    assert_eq!(unique.len(), counties.len(), "county names repeat");
    // Siblings never share a name (the store's unique index).
    let siblings: HashSet<(Option<i64>, &str)> = added
        .iter()
        .map(|u| (u.parent_id, u.name.as_str()))
        .collect();
    assert_eq!(siblings.len(), added.len());
}

#[test]
fn city_stems_drop_the_suffix() {
    assert_eq!(city_stem("石家庄市"), "石家庄");
    assert_eq!(city_stem("滨海新区"), "滨海");
    assert_eq!(city_stem("朝阳区"), "朝阳");
    assert_eq!(city_stem("新区"), "新区");
}

#[test]
fn copy_text_is_escaped() {
    let mut out = String::new();
    escape_copy_text("a\tb\nc\\d\re 开发区", &mut out);
    assert_eq!(out, "a\\tb\\nc\\\\d\\re 开发区");

    let mut rows = CopyRows::new("t", &["a", "b", "c"]);
    rows.field(7_i64).field(None::<i64>).field("x\ty").end_row();
    rows.field(-1_i64)
        .field(Some(2_i64))
        .field(Some("\\N"))
        .end_row();
    assert_eq!(rows.rows(), 2);
    assert_eq!(rows.text(), "7\t\\N\tx\\ty\n-1\t2\t\\\\N\n");
}

#[test]
#[should_panic]
fn a_short_row_is_refused() {
    let mut rows = CopyRows::new("t", &["a", "b"]);
    rows.field(1_i64).end_row();
}
