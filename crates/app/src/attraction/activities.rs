//! 招商活动 as use cases: recorded in a zone the caller works leads in, their
//! dates checked together, written with the proof; the calendar of the
//! coming weeks; the reminders to the people a next step or an idle lead is
//! waiting on.

use chrono::{Days, NaiveDate};
use kfq_attraction::activity::{check_dates, next_step, week_start, REMIND_WORKING_DAYS};
use kfq_attraction::{NextStep, Overdue};
use kfq_calendar::Calendar;
use kfq_domain::{LeadSight, LeadWrite, Principal};
use kfq_store::{Activity, ActivityFilter, ActivityInput, Actor, NewNotice, Store};
use serde::Serialize;

use super::{lead_zone, RulesBook};
use crate::error::{Error, Result};
use crate::i18n::Catalog;

/// An activity the caller sees, with the proof that they may write it.
#[derive(Debug, Clone)]
pub struct ActivityTarget {
    activity: Activity,
    proof: LeadWrite,
}

impl ActivityTarget {
    pub async fn check(store: &Store, principal: &Principal, id: i64) -> Result<ActivityTarget> {
        let activity = store.activity(&principal.lead_sight(), id).await?;
        let proof = principal
            .lead_write(&activity.zone_org_path())
            .ok_or(Error::Forbidden)?;
        if let Some(me) = proof.only_of() {
            // One who works only their own leads edits what they recorded
            // or owe the next step of.
            if activity.created_by_id != Some(me) && activity.next_owner_id != Some(me) {
                return Err(Error::Forbidden);
            }
        }
        Ok(ActivityTarget { activity, proof })
    }

    pub fn activity(&self) -> &Activity {
        &self.activity
    }
}

fn checked(input: &ActivityInput) -> Result<()> {
    check_dates(
        input.on_date,
        input.ends_on,
        input.next_step.is_some(),
        input.next_due,
    )?;
    Ok(())
}

pub async fn create_activity(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    input: &ActivityInput,
    today: NaiveDate,
) -> Result<Activity> {
    let (_, proof) = lead_zone(store, principal, input.zone_id).await?;
    checked(input)?;
    Ok(store.create_activity(actor, &proof, input, today).await?)
}

pub async fn update_activity(
    store: &Store,
    actor: &Actor,
    target: &ActivityTarget,
    expected: i64,
    input: &ActivityInput,
    today: NaiveDate,
) -> Result<Activity> {
    checked(input)?;
    Ok(store
        .update_activity(
            actor,
            &target.proof,
            target.activity.id,
            expected,
            input,
            today,
        )
        .await?)
}

pub async fn delete_activity(
    store: &Store,
    actor: &Actor,
    target: &ActivityTarget,
    expected: i64,
) -> Result<()> {
    Ok(store
        .delete_activity(actor, &target.proof, target.activity.id, expected)
        .await?)
}

/// One day of the calendar: what is held and what is due.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityDay {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: NaiveDate,
    /// Activities held that day (a trip on each of its days).
    pub held: Vec<Activity>,
    /// Next steps due that day and not done.
    pub due: Vec<Activity>,
}

/// The coming weeks from this week's Monday, day by day, and the next steps
/// already late.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityCalendar {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: NaiveDate,
    pub days: Vec<ActivityDay>,
    /// Next steps past their day and not done, oldest first.
    pub late: Vec<Activity>,
}

/// Weeks the calendar shows at most.
pub const MAX_WEEKS: u32 = 8;

pub async fn calendar(
    store: &Store,
    sight: &LeadSight,
    zone_id: Option<i64>,
    today: NaiveDate,
    weeks: u32,
) -> Result<ActivityCalendar> {
    let from = week_start(today);
    let to = from + Days::new(u64::from(weeks.clamp(1, MAX_WEEKS)) * 7 - 1);
    // Trips that began before the window still show on its days.
    let filter = ActivityFilter {
        zone_id,
        from: Some(from - Days::new(31)),
        to: Some(to),
        ..ActivityFilter::default()
    };
    let found = store.activities(sight, &filter, 0, 5000).await?.items;
    let late_filter = ActivityFilter {
        zone_id,
        to: Some(today - Days::new(1)),
        ..ActivityFilter::default()
    };
    let mut late: Vec<Activity> = store
        .activities(sight, &late_filter, 0, 500)
        .await?
        .items
        .into_iter()
        .filter(|a| a.next_done_on.is_none() && a.next_due.is_some_and(|d| d < today))
        .collect();
    late.sort_by_key(|a| (a.next_due, a.id));
    let days = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|date| {
            let mut held: Vec<Activity> = found
                .iter()
                .filter(|a| a.on_date <= date && date <= a.ends_on.unwrap_or(a.on_date))
                .cloned()
                .collect();
            held.sort_by_key(|a| a.id);
            let due = found
                .iter()
                .filter(|a| a.next_due == Some(date) && a.next_done_on.is_none())
                .cloned()
                .collect();
            ActivityDay { date, held, due }
        })
        .collect();
    Ok(ActivityCalendar {
        from,
        to,
        days,
        late,
    })
}

/// The reminders of 招商引资 on `today`, each to the person it waits on: a
/// next step due within a working day or late (to its owner, else who
/// recorded it), and a lead idle past its zone's follow-up interval (to its
/// owner and 招商专班). Each once per due day and person.
pub async fn reminders(
    store: &Store,
    calendar: &Calendar,
    link: impl Fn(&str) -> String,
    today: NaiveDate,
) -> Result<Vec<NewNotice>> {
    let catalog = Catalog::zh();
    let mut notices = Vec::new();
    let horizon = calendar.add_working_days(today, REMIND_WORKING_DAYS);
    for step in store.due_next_steps(horizon).await? {
        let (title, body) = match next_step(calendar, step.next_due, false, today) {
            NextStep::Quiet => continue,
            NextStep::DueSoon { .. } => ("alert.title.activity_due", "alert.body.activity_due"),
            NextStep::Late { .. } => ("alert.title.activity_late", "alert.body.activity_late"),
        };
        let due = step.next_due.to_string();
        let args = [
            ("activity", step.title.as_str()),
            ("step", step.next_step.as_str()),
            ("due", due.as_str()),
        ];
        notices.push(NewNotice {
            user_id: step.person,
            event: "activity_due".into(),
            event_key: kfq_notify::event_key(
                "activity_due",
                &step.activity_id.to_string(),
                &format!("{due}/{}", title.ends_with("late")),
                &step.person.to_string(),
            ),
            title: catalog.format(title, &args),
            body: catalog.format(body, &args),
            link: Some(link(&format!(
                "/attraction/activities/{}",
                step.activity_id
            ))),
        });
    }
    let book = RulesBook::load(store).await?;
    let shortest = book.shortest_follow_up();
    for lead in store
        .idle_leads(today - Days::new(u64::from(shortest)))
        .await?
    {
        let zone = kfq_domain::OrgPath::parse(&lead.zone_path)
            .unwrap_or_else(|_| kfq_domain::OrgPath::root_of(0));
        let late = book.limits(&zone).overdue(
            calendar,
            lead.stage,
            lead.registered_on,
            lead.last_touch_on,
            today,
        );
        let Some(Overdue::FollowUp { due, days }) = late
            .into_iter()
            .find(|o| matches!(o, Overdue::FollowUp { .. }))
        else {
            continue;
        };
        let (due, days, last) = (
            due.to_string(),
            days.to_string(),
            lead.last_touch_on.to_string(),
        );
        let args = [
            ("lead", lead.name.as_str()),
            ("last", last.as_str()),
            ("days", days.as_str()),
        ];
        for person in &lead.people {
            notices.push(NewNotice {
                user_id: *person,
                event: "lead_idle".into(),
                event_key: kfq_notify::event_key(
                    "lead_idle",
                    &lead.id.to_string(),
                    &due,
                    &person.to_string(),
                ),
                title: catalog.format("alert.title.lead_idle", &args),
                body: catalog.format("alert.body.lead_idle", &args),
                link: Some(link(&format!("/attraction/leads/{}", lead.id))),
            });
        }
    }
    Ok(notices)
}
