//! A whole project with its history, as an import or the demo brings it.

use super::*;

/// A whole project with its history, as an import or the demo brings it.
#[derive(Debug, Clone)]
pub struct ProjectRecord {
    pub input: ProjectInput,
    pub stage: Stage,
    /// (stage reached, date), in order.
    pub stage_changes: Vec<(Stage, NaiveDate)>,
    /// (year, planned investment).
    pub plans: Vec<(i32, Money)>,
    /// (year, target start, target production) of a year in `plans`.
    pub targets: Vec<(i32, Option<NaiveDate>, Option<NaiveDate>)>,
    /// 开工以来累计完成投资 as of a day: what the months after it add to.
    pub opening: Option<(Money, NaiveDate)>,
    /// (year, month, completed).
    pub months: Vec<(i32, u32, Money)>,
    pub blockers: Vec<BlockerInput>,
    /// (key, name, planned, actual), in template order.
    pub milestones: Vec<(String, String, Option<NaiveDate>, Option<NaiveDate>)>,
}

impl ProjectRecord {
    /// The furthest stage of the main line the new project has reached.
    pub fn furthest_stage(&self) -> Stage {
        self.stage_changes
            .iter()
            .map(|(s, _)| *s)
            .chain(std::iter::once(self.stage))
            .filter(|s| s.rank().is_some())
            .max_by_key(|s| s.rank())
            .unwrap_or(Stage::Planning)
    }
}

impl Store {
    /// Writes a project and everything under it in one transaction, recorded as
    /// one audited creation (the record holds the project as created). Statuses
    /// are left for [`Store::refresh_stale_rag`].
    pub async fn import_project(&self, actor: &Actor, project: &ProjectRecord) -> Result<i64> {
        let ids = self
            .import_projects(actor, std::slice::from_ref(project))
            .await?;
        Ok(ids[0])
    }
}
