//! The home page as a to-do list, per role: a zone's clerk sees red projects
//! with their reasons and milestones coming due; a liaison leader sees their
//! own projects; a supervisor sees the zones ranked by completion against
//! 序时进度, with their red projects and who has not reported. (Blockers,
//! the month not reported and indicator warnings are added by the page from
//! their own modules.)

use chrono::NaiveDate;
use kfq_domain::investment::{completion_tenths, elapsed_tenths};
use kfq_domain::{Money, Principal, Role};
use kfq_store::{
    DueMilestone, LedgerFilter, LedgerRow, LedgerSort, OrgFilter, RedProjectLine, Store,
    ZoneProgress,
};
use serde::Serialize;

use crate::Result;

/// Lines a home page shows of a list before "all N".
pub const SHOWN: i64 = 10;

/// A supervisor's view of more zones than this would be a national table:
/// the home page sums them by the units below the supervisor's instead.
const MAX_ZONES: usize = 300;

/// A zone ranked by its year-to-date completion.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneLine {
    /// 1 for the best; equal rates share a rank; zones without a plan last.
    pub rank: usize,
    pub progress: ZoneProgress,
    /// Tenths of a percent; none without a plan.
    pub completion_tenths: Option<i64>,
    /// Completion minus 序时进度, tenths of a point; negative is behind.
    pub gap_tenths: Option<i64>,
}

/// One of "我的项目": the ledger's row with what a leader looks at first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyProject {
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub row: LedgerRow,
    /// This year's completion, tenths of a percent; none without a plan.
    pub completion_tenths: Option<i64>,
    /// Blockers not yet resolved.
    pub open_blockers: i64,
}

/// What needs the user, by role.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Todo {
    /// The month reporting and progress are counted for (the one just ended).
    pub year: i32,
    pub month: u32,
    /// 序时进度 of that month, tenths of a percent.
    pub elapsed_tenths: i64,
    pub red_projects: Vec<RedProjectLine>,
    pub red_total: i64,
    /// Not reached and planned within two weeks (or overdue).
    pub milestones_due: Vec<DueMilestone>,
    /// A liaison leader's own projects; an enterprise's projects.
    pub my_projects: Vec<MyProject>,
    /// A supervisor's zones, ranked.
    pub zones: Vec<ZoneLine>,
    /// When the zones are too many to list (a country's, a large
    /// province's): the units one level below the supervisor's, ranked.
    pub regions: Vec<ZoneLine>,
}

/// The to-do lists of `principal` (user `user_id`) on `today`.
pub async fn todo(
    store: &Store,
    principal: &Principal,
    user_id: i64,
    today: NaiveDate,
) -> Result<Todo> {
    let (year, month) = crate::ledger::monthly::default_month(today);
    let mut todo = Todo {
        year,
        month,
        elapsed_tenths: elapsed_tenths(month),
        ..Todo::default()
    };
    let visibility = principal.zone_data_visibility();
    match principal.role {
        Role::ZoneAdmin | Role::ZoneStaff => {
            (todo.red_projects, todo.red_total) = store.red_projects_in(&visibility, SHOWN).await?;
            let soon = today + chrono::Days::new(14);
            todo.milestones_due = store.milestones_due(&visibility, soon, SHOWN).await?;
        }
        Role::Liaison | Role::Enterprise => {
            // A liaison leader's projects; an enterprise's are all it sees.
            let filter = LedgerFilter {
                liaison_user_id: (principal.role == Role::Liaison).then_some(user_id),
                year: today.year(),
                month: today.month(),
                sort: LedgerSort::Rag,
                ..Default::default()
            };
            let rows = store.ledger(&visibility, &filter, 0, 50).await?.page.items;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let open = store.open_blockers_of(&visibility, &ids).await?;
            todo.my_projects = rows
                .into_iter()
                .map(|row| MyProject {
                    completion_tenths: row
                        .planned_investment
                        .and_then(|plan| completion_tenths(row.ytd, plan)),
                    open_blockers: open.get(&row.id).copied().unwrap_or(0),
                    row,
                })
                .collect();
        }
        Role::Supervisor | Role::SystemAdmin => {
            let progress = store.zone_progress(&visibility, (year, month)).await?;
            let elapsed = elapsed_tenths(month);
            if progress.len() > MAX_ZONES {
                let units = store
                    .orgs(
                        &principal.org_visibility(),
                        &OrgFilter {
                            parent_id: Some(principal.unit_path.id()),
                            ..Default::default()
                        },
                        0,
                        MAX_ZONES as i64,
                    )
                    .await?
                    .items;
                todo.regions =
                    rank_zones(sum_by_unit(progress, &principal.unit_path, &units), elapsed);
            } else if progress.len() >= 2 {
                todo.zones = rank_zones(progress, elapsed);
            }
        }
        Role::DepartmentStaff => {}
    }
    Ok(todo)
}

use chrono::Datelike;

/// Sums zones into the units one level below `viewer` (a country's
/// provinces, a province's cities); a zone directly below the viewer stands
/// for itself, as does a zone under no listed unit.
pub fn sum_by_unit(
    progress: Vec<ZoneProgress>,
    viewer: &kfq_domain::OrgPath,
    units: &[kfq_store::OrgUnit],
) -> Vec<ZoneProgress> {
    let depth = viewer.depth();
    let mut sums: Vec<ZoneProgress> = Vec::new();
    for zone in progress {
        let below = kfq_domain::OrgPath::parse(&zone.zone_path)
            .ok()
            .and_then(|p| p.ids().get(depth).copied());
        let Some(unit) = below.and_then(|id| units.iter().find(|u| u.id == id)) else {
            sums.push(zone);
            continue;
        };
        match sums.iter_mut().find(|s| s.zone_id == unit.id) {
            Some(sum) => {
                sum.zones += zone.zones;
                sum.projects += zone.projects;
                sum.red += zone.red;
                sum.not_reported += zone.not_reported;
                sum.planned += zone.planned;
                sum.ytd += zone.ytd;
            }
            None => sums.push(ZoneProgress {
                zone_id: unit.id,
                zone_name: unit.name.clone(),
                zone_path: unit.path.clone(),
                ..zone
            }),
        }
    }
    sums
}

/// Ranks zones by completion against 序时进度, as every ranking of units is
/// ranked ([`kfq_domain::rank::rank_by_completion`]).
pub fn rank_zones(progress: Vec<ZoneProgress>, elapsed: i64) -> Vec<ZoneLine> {
    let mut lines: Vec<ZoneLine> = progress
        .into_iter()
        .map(|p| {
            let completion =
                completion_tenths(Money::from_yuan(p.ytd), Money::from_yuan(p.planned));
            ZoneLine {
                rank: 0,
                completion_tenths: completion,
                gap_tenths: completion.map(|c| c - elapsed),
                progress: p,
            }
        })
        .collect();
    kfq_domain::rank::rank_by_completion(&mut lines);
    lines
}

impl kfq_domain::rank::ByCompletion for ZoneLine {
    fn completion_tenths(&self) -> Option<i64> {
        self.completion_tenths
    }
    fn ytd(&self) -> Money {
        Money::from_yuan(self.progress.ytd)
    }
    fn name(&self) -> &str {
        &self.progress.zone_name
    }
    fn set_rank(&mut self, rank: usize) {
        self.rank = rank;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kfq_domain::OrgKind;

    fn zone(id: i64, planned_wan: i64, ytd_wan: i64) -> ZoneProgress {
        ZoneProgress {
            zone_id: id,
            zone_name: format!("开发区{id}"),
            zone_path: format!("/1/{id}/"),
            zones: 1,
            projects: 10,
            red: 0,
            not_reported: 0,
            planned: planned_wan * 10_000,
            ytd: ytd_wan * 10_000,
        }
    }

    #[test]
    fn zones_rank_by_completion_against_the_elapsed_share() {
        // November: 序时进度 10/12 = 83.3%.
        let elapsed = elapsed_tenths(10);
        assert_eq!(elapsed, 833);
        let lines = rank_zones(
            vec![
                zone(1, 10_000, 9_000),  // 90.0%, 6.7 ahead
                zone(2, 20_000, 10_000), // 50.0%, 33.3 behind
                zone(3, 0, 500),         // no plan: last
                zone(4, 5_000, 2_500),   // 50.0%, less done than 2: after it, same rank
            ],
            elapsed,
        );
        let got: Vec<_> = lines
            .iter()
            .map(|l| {
                (
                    l.rank,
                    l.progress.zone_id,
                    l.completion_tenths,
                    l.gap_tenths,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 1, Some(900), Some(67)),
                (2, 2, Some(500), Some(-333)),
                (2, 4, Some(500), Some(-333)),
                (4, 3, None, None),
            ]
        );
    }

    #[test]
    fn a_countrys_zones_are_summed_by_province_and_ranked() {
        let unit = |id: i64, name: &str| kfq_store::OrgUnit {
            id,
            parent_id: Some(1),
            kind: OrgKind::Province,
            name: name.into(),
            code: None,
            path: format!("/1/{id}/"),
            zone_id: None,
            zone_level: None,
            zone_type: None,
            version: 1,
            created_at: 0,
            updated_at: 0,
        };
        let in_province = |province: i64, id: i64, planned: i64, ytd: i64, red: i64| {
            let mut z = zone(id, planned, ytd);
            z.zone_path = format!("/1/{province}/{}/{id}/", province * 10);
            z.red = red;
            z.not_reported = 1;
            z
        };
        let zones = vec![
            in_province(2, 21, 10_000, 4_000, 1), // 山西: 4,000 + 6,000 of 20,000 = 50.0%
            in_province(3, 31, 10_000, 9_000, 0), // 江苏: 90.0%
            in_province(2, 22, 10_000, 6_000, 2),
        ];
        let viewer = kfq_domain::OrgPath::parse("/1/").unwrap();
        let summed = sum_by_unit(zones, &viewer, &[unit(2, "山西省"), unit(3, "江苏省")]);
        let ranked = rank_zones(summed, elapsed_tenths(10));
        let got: Vec<_> = ranked
            .iter()
            .map(|l| {
                let p = &l.progress;
                (
                    l.rank,
                    p.zone_name.as_str(),
                    p.zones,
                    p.red,
                    p.not_reported,
                    l.completion_tenths,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "江苏省", 1, 0, 1, Some(900)),
                (2, "山西省", 2, 3, 2, Some(500)),
            ]
        );
    }
}
