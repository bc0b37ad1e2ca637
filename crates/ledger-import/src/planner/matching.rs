//! Matching a row to its zone and to the project it names, by code or by name.

use kfq_workbook::{Field, Issue, ProjectRow};

use super::{Place, Planner};
use crate::input::{Existing, ZoneData};
use crate::names::{fold, same_short_name};

impl<'a> Planner<'a> {
    /// The row's zone: the only one, or the one its 开发区 cell names.
    pub(super) fn zone_of(
        &self,
        row: &ProjectRow,
        at: &Place,
        errors: &mut Vec<Issue>,
    ) -> Option<&'a ZoneData> {
        let zones = &self.known.zones;
        let named = row
            .values
            .zone
            .as_deref()
            .map(str::trim)
            .filter(|z| !z.is_empty());
        match (zones.as_slice(), named) {
            ([only], None) => Some(only),
            ([], _) => {
                errors.push(at.issue(None, "没有可导入的开发区".into()));
                None
            }
            (_, None) => {
                errors.push(at.issue(
                    Some(Field::Zone),
                    "台账包含多个开发区，本行未填写所属开发区".into(),
                ));
                None
            }
            (_, Some(name)) => {
                let folded = fold(name);
                let exact: Vec<&ZoneData> =
                    zones.iter().filter(|z| fold(&z.name) == folded).collect();
                let candidates = if exact.is_empty() {
                    zones
                        .iter()
                        .filter(|z| {
                            let zone = fold(&z.name);
                            zone.contains(&folded)
                                || folded.contains(&zone)
                                || same_short_name(&zone, &folded)
                        })
                        .collect()
                } else {
                    exact
                };
                match candidates.as_slice() {
                    [zone] => Some(zone),
                    [] => {
                        let reason = if zones.len() == 1 {
                            format!("所属开发区“{name}”不是本次导入的“{}”", zones[0].name)
                        } else {
                            format!("所属开发区“{name}”不在您管理的范围内")
                        };
                        errors.push(at.issue(Some(Field::Zone), reason));
                        None
                    }
                    _ => {
                        errors.push(at.issue(
                            Some(Field::Zone),
                            format!("所属开发区“{name}”对应多个开发区，请写全称"),
                        ));
                        None
                    }
                }
            }
        }
    }

    /// The project the row names: by code, else by zone and name.
    pub(super) fn existing(
        &self,
        zone: &ZoneData,
        row: &ProjectRow,
        at: &Place,
        errors: &mut Vec<Issue>,
    ) -> Option<&'a Existing> {
        if let Some(code) = &row.values.project_code {
            if self.known.foreign_codes.contains(code) {
                errors.push(at.issue(
                    Some(Field::ProjectCode),
                    format!("项目代码“{code}”已属于其他开发区的项目"),
                ));
                return None;
            }
            if let Some((owner, project)) = self.by_code.get(code.as_str()) {
                if owner.id != zone.id {
                    errors.push(at.issue(
                        Some(Field::ProjectCode),
                        format!(
                            "项目代码“{code}”属于{}的项目“{}”",
                            owner.name, project.fields.name
                        ),
                    ));
                    return None;
                }
                return Some(project);
            }
        }
        let name = row.values.name.as_deref().unwrap_or_default();
        let found = self.by_name.get(&(zone.id, fold(name))).map(|(_, p)| *p)?;
        match (&found.fields.project_code, &row.values.project_code) {
            // Same name, different code: two projects, one of them misnamed.
            (Some(theirs), Some(ours)) if theirs != ours => {
                errors.push(at.issue(
                    Some(Field::ProjectCode),
                    format!("同名项目已有项目代码“{theirs}”，与本行的“{ours}”不同"),
                ));
                None
            }
            _ => Some(found),
        }
    }
}
