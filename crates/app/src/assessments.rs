//! 季考核 as a use case: the scores of a unit's subjects for a quarter — a
//! city's or province's zones, a zone's departments and liaison leaders —
//! from the ledger as it stood at a cut-off. Scoring is `kfq_assessment`.

use kfq_assessment::{score_subjects, Attribution, Quarter, Score, Sheet, Subject};
use kfq_domain::OrgKind;
use kfq_store::{OrgUnit, Store};
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use crate::error::Result;
use crate::off_the_workers;
use crate::stamped::StampedCache;

/// What a quarter's closing freezes: the sheet used and every table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Results {
    pub sheet: Sheet,
    /// A city's or province's zones.
    pub zones: Vec<Score>,
    /// A zone's departments and liaison leaders.
    pub departments: Vec<Score>,
    pub liaisons: Vec<Score>,
}

impl Results {
    /// Each table: its name, the catalogue key of its title, its scores.
    pub fn tables(&self) -> [(&'static str, &'static str, &Vec<Score>); 3] {
        [
            ("zones", "assessment.table.zones", &self.zones),
            (
                "departments",
                "assessment.table.departments",
                &self.departments,
            ),
            ("liaisons", "assessment.table.liaisons", &self.liaisons),
        ]
    }

    pub fn table(&self, name: &str) -> Option<&Vec<Score>> {
        self.tables()
            .into_iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, t)| t)
    }
}

pub fn subjects(units: Vec<(i64, String)>) -> Vec<Subject> {
    units
        .into_iter()
        .map(|(id, name)| Subject { id, name })
        .collect()
}

/// A quarter's scores as of now, reused while nothing audited has changed
/// (the ledger, the sheets and the closings all are) and the day is the
/// same, since tasks fall due by the day. The country's ranking scores
/// 2,500 zones over 250,000 projects; it is read all quarter by everyone
/// above a zone, and changes far less often.
#[derive(Default)]
pub struct AssessmentCache {
    results: StampedCache<(i64, Quarter, chrono::NaiveDate), Results, 32>,
}

impl AssessmentCache {
    /// `org`'s scores for `quarter` from the ledger as it stands.
    pub async fn now(
        &self,
        store: &Store,
        org: &OrgUnit,
        quarter: Quarter,
    ) -> Result<Arc<Results>> {
        let key = (org.id, quarter, crate::clock::today());
        self.results
            .get_or_build(store, key, async {
                Ok(compute(store, org, quarter).await?.1)
            })
            .await
    }
}

/// The scores of `org`'s subjects for `quarter`, from the ledger as it
/// stands, with the cut-off it was read as of (Unix ms).
pub async fn compute(store: &Store, org: &OrgUnit, quarter: Quarter) -> Result<(i64, Results)> {
    let path = org.org_path();
    let sheet = store.assessment_sheet(&path, quarter.year).await?.sheet;
    let zones = store.zones_under(&path).await?;
    let (as_of, ledger) = store
        .ledger_as_it_stands(&zones, quarter.last_period())
        .await?;
    let units = if org.kind() == OrgKind::Zone {
        subjects(store.assessment_units(&path, OrgKind::Department).await?)
    } else {
        subjects(store.assessment_units(&path, OrgKind::Zone).await?)
    };
    let by_zone = org.kind() == OrgKind::Zone;
    // Tasks count once due: on the day the ledger is read as of (the
    // quarter's close at the latest).
    let day = crate::clock::beijing_day(as_of)
        .unwrap_or_else(|| quarter.last_day())
        .min(quarter.last_day());
    // Scoring reads every project of a province: off the async workers.
    off_the_workers(move || {
        let score = |attribution, subjects: &[Subject]| {
            score_subjects(&sheet, (quarter, day), &ledger, attribution, subjects)
        };
        let mut results = Results {
            sheet: sheet.clone(),
            zones: vec![],
            departments: vec![],
            liaisons: vec![],
        };
        if by_zone {
            let mut departments = units;
            departments.extend(Attribution::Department.subjects_in(&ledger));
            departments.sort_by_key(|s| s.id);
            departments.dedup_by_key(|s| s.id);
            results.departments = score(Attribution::Department, &departments);
            results.liaisons = score(
                Attribution::Liaison,
                &Attribution::Liaison.subjects_in(&ledger),
            );
        } else {
            results.zones = score(Attribution::Zone, &units);
        }
        results
    })
    .await
    .map(|results| (as_of, results))
}
