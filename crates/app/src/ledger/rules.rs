//! What ledger use cases need beyond storage: today, the working-day calendar
//! (with the administrator's edits, read from the database on each use so every
//! instance agrees) and the zone's red/yellow/green rules.

use chrono::NaiveDate;
use kfq_calendar::Calendar;
use kfq_store::{RagContext, Store};

use crate::clock::today;
use crate::error::Result;

/// The China calendar with the administrator's edits.
pub async fn calendar(store: &Store) -> Result<Calendar> {
    let overrides: Vec<kfq_calendar::Override> = store
        .calendar_overrides()
        .await?
        .into_iter()
        .filter_map(|o| {
            Some(kfq_calendar::Override {
                date: kfq_store::parse_date(&o.on_date)?,
                working: o.working != 0,
                note: o.note,
            })
        })
        .collect();
    Ok(Calendar::china().with_overrides(&overrides))
}

/// Everything a status refresh needs, for the zone of a project.
pub struct Rules {
    pub today: NaiveDate,
    pub calendar: Calendar,
    pub rag: kfq_domain::RagRules,
    working_days: Box<dyn Fn(NaiveDate, NaiveDate) -> i64 + Send + Sync>,
}

impl Rules {
    pub async fn load(store: &Store, zone_id: i64) -> Result<Rules> {
        let calendar = calendar(store).await?;
        let counting = calendar.clone();
        Ok(Rules {
            today: today(),
            calendar,
            rag: store.rag_rules(zone_id).await?,
            working_days: Box::new(move |from, to| counting.working_days_between(from, to)),
        })
    }

    pub fn ctx(&self) -> RagContext<'_> {
        RagContext {
            today: self.today,
            rules: self.rag,
            working_days: &*self.working_days,
        }
    }
}
