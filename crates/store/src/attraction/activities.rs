//! 招商活动: what a zone did to win its leads (visits out, receptions, talks,
//! salons, fairs), the leads and investors each concerned, and the next
//! step it agreed. An activity that has taken place is a follow-up of each
//! lead it names: the lead's last touch moves to its day, on record.

use chrono::NaiveDate;
use kfq_attraction::ActivityKind;
use kfq_domain::audit::AuditAction;
use kfq_domain::{FieldErrors, LeadSight, LeadWrite, OrgPath};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::zone_within;
use crate::audit::{record, Actor, Change};
use crate::decode;
use crate::error::{Result, StoreError};
use crate::sql::{Paged, Sql};
use crate::{now_ms, within, Page, Store};

/// A lead or an investor an activity concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Linked {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: i64,
    pub zone_id: i64,
    pub zone_name: String,
    #[serde(skip)]
    pub zone_path: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: ActivityKind,
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub on_date: NaiveDate,
    /// The last day of a trip of several days.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub ends_on: Option<NaiveDate>,
    pub place: Option<String>,
    /// 我方人员.
    pub our_people: Option<String>,
    /// 对方人员.
    pub their_people: Option<String>,
    pub purpose: Option<String>,
    pub outcome: Option<String>,
    /// 下一步: what was agreed, by `next_due`, by `next_owner`.
    pub next_step: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub next_due: Option<NaiveDate>,
    pub next_owner_id: Option<i64>,
    pub next_owner_name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub next_done_on: Option<NaiveDate>,
    pub created_by_id: Option<i64>,
    pub leads: Vec<Linked>,
    pub investors: Vec<Linked>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Activity {
    pub fn zone_org_path(&self) -> OrgPath {
        OrgPath::parse(&self.zone_path).unwrap_or_else(|_| OrgPath::root_of(self.zone_id))
    }
}

impl<'r> sqlx::FromRow<'r, AnyRow> for Activity {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Activity {
            id: row.try_get("id")?,
            zone_id: row.try_get("zone_id")?,
            zone_name: row.try_get("zone_name")?,
            zone_path: row.try_get("zone_path")?,
            kind: decode::code(row, "kind")?,
            title: row.try_get("title")?,
            on_date: decode::date(row, "on_date")?,
            ends_on: decode::opt_date(row, "ends_on")?,
            place: row.try_get("place")?,
            our_people: row.try_get("our_people")?,
            their_people: row.try_get("their_people")?,
            purpose: row.try_get("purpose")?,
            outcome: row.try_get("outcome")?,
            next_step: row.try_get("next_step")?,
            next_due: decode::opt_date(row, "next_due")?,
            next_owner_id: row.try_get("next_owner_id")?,
            next_owner_name: row.try_get("next_owner_name")?,
            next_done_on: decode::opt_date(row, "next_done_on")?,
            created_by_id: row.try_get("created_by_id")?,
            leads: Vec::new(),
            investors: Vec::new(),
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityInput {
    pub zone_id: i64,
    pub kind: ActivityKind,
    pub title: String,
    pub on_date: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub place: Option<String>,
    pub our_people: Option<String>,
    pub their_people: Option<String>,
    pub purpose: Option<String>,
    pub outcome: Option<String>,
    pub next_step: Option<String>,
    pub next_due: Option<NaiveDate>,
    pub next_owner_id: Option<i64>,
    pub next_done_on: Option<NaiveDate>,
    pub leads: Vec<i64>,
    pub investors: Vec<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub zone_id: Option<i64>,
    pub kind: Option<ActivityKind>,
    pub lead_id: Option<i64>,
    pub investor_id: Option<i64>,
    /// Held or due (its next step) on or after this day.
    pub from: Option<NaiveDate>,
    /// Held or due on or before this day.
    pub to: Option<NaiveDate>,
    pub text: Option<String>,
}

/// A next step due, for its reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueStep {
    pub activity_id: i64,
    pub title: String,
    pub next_step: String,
    pub next_due: NaiveDate,
    /// The person reminded: the step's owner, else who recorded it.
    pub person: i64,
}

/// An open lead before 开工 that has not been touched since a day, for the
/// reminder to its people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdleLead {
    pub id: i64,
    pub name: String,
    pub zone_path: String,
    pub stage: kfq_attraction::LeadStage,
    pub registered_on: NaiveDate,
    pub last_touch_on: NaiveDate,
    /// The owner and the 招商专班.
    pub people: Vec<i64>,
}

const COLUMNS: &str = "a.id, a.zone_id, z.name AS zone_name, z.path AS zone_path, a.kind, a.title, \
     a.on_date, a.ends_on, a.place, a.our_people, a.their_people, a.purpose, a.outcome, a.next_step, \
     a.next_due, a.next_owner_id, u.display_name AS next_owner_name, a.next_done_on, a.created_by_id, \
     a.version, a.created_at, a.updated_at";
const FROM: &str = "activities a JOIN org_units z ON z.id = a.zone_id \
     LEFT JOIN users u ON u.id = a.next_owner_id";

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// What `sight` admits of activities `a`: the zones it sees and, for one
/// person, those they recorded, owe the next step of, or that concern a
/// lead of theirs.
fn activity_scope(q: &mut Sql, sight: &LeadSight) {
    q.scope(&sight.visibility, "z.path", None);
    if let Some(user) = sight.only_of {
        q.push(" AND (a.created_by_id = ")
            .bind(user)
            .push(" OR a.next_owner_id = ")
            .bind(user)
            .push(
                " OR EXISTS (SELECT 1 FROM activity_leads k JOIN leads l ON l.id = k.lead_id \
                 WHERE k.activity_id = a.id AND (l.owner_id = ",
            )
            .bind(user)
            .push(
                " OR EXISTS (SELECT 1 FROM lead_members m WHERE m.lead_id = l.id AND m.user_id = ",
            )
            .bind(user)
            .push("))))");
    }
}

fn activity_filter(q: &mut Sql, sight: &LeadSight, f: &ActivityFilter) {
    activity_scope(q, sight);
    if let Some(zone) = f.zone_id {
        q.push(" AND a.zone_id = ").bind(zone);
    }
    if let Some(kind) = f.kind {
        q.push(" AND a.kind = ").bind(kind.code());
    }
    if let Some(lead) = f.lead_id {
        q.push(" AND EXISTS (SELECT 1 FROM activity_leads k WHERE k.activity_id = a.id AND k.lead_id = ")
            .bind(lead)
            .push(")");
    }
    if let Some(investor) = f.investor_id {
        q.push(
            " AND EXISTS (SELECT 1 FROM activity_investors k WHERE k.activity_id = a.id AND k.investor_id = ",
        )
        .bind(investor)
        .push(")");
    }
    // Held in the window, or its next step due in it.
    if let Some(from) = f.from {
        q.push(" AND (a.on_date >= ")
            .bind(day(from))
            .push(" OR a.next_due >= ")
            .bind(day(from))
            .push(")");
    }
    if let Some(to) = f.to {
        q.push(" AND (a.on_date <= ")
            .bind(day(to))
            .push(" OR (a.next_due <= ")
            .bind(day(to))
            .push(" AND a.next_done_on IS NULL))");
    }
    if let Some(text) = &f.text {
        q.words_in(&["a.title", "a.place", "a.their_people", "a.outcome"], text);
    }
}

/// The (id, name) rows `sql` reads for the activity `id`.
async fn linked(conn: &mut AnyConnection, sql: &'static str, id: i64) -> Result<Vec<Linked>> {
    let rows = sqlx::query(sql).bind(id).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(Linked {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
            })
        })
        .collect::<sqlx::Result<_>>()
        .map_err(Into::into)
}

async fn links(conn: &mut AnyConnection, activity: &mut Activity) -> Result<()> {
    activity.leads = linked(
        &mut *conn,
        "SELECT l.id, l.name FROM activity_leads k JOIN leads l ON l.id = k.lead_id \
         WHERE k.activity_id = $1 ORDER BY l.name, l.id",
        activity.id,
    )
    .await?;
    activity.investors = linked(
        conn,
        "SELECT i.id, i.name FROM activity_investors k JOIN investors i ON i.id = k.investor_id \
         WHERE k.activity_id = $1 ORDER BY i.name, i.id",
        activity.id,
    )
    .await?;
    Ok(())
}

async fn fetch_unscoped(conn: &mut AnyConnection, id: i64) -> Result<Activity> {
    let mut activity =
        sqlx::query_as::<_, Activity>(&format!("SELECT {COLUMNS} FROM {FROM} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
    links(conn, &mut activity).await?;
    Ok(activity)
}

/// The leads, investors and people an activity names are its zone's; one
/// who works only their own leads names only those.
async fn check_references(
    conn: &mut AnyConnection,
    proof: &LeadWrite,
    input: &ActivityInput,
) -> Result<()> {
    let mut errors = FieldErrors::new();
    for lead in &input.leads {
        let found: Option<(i64, Option<i64>)> =
            sqlx::query_as("SELECT zone_id, owner_id FROM leads WHERE id = $1")
                .bind(*lead)
                .fetch_optional(&mut *conn)
                .await?;
        let mine = match (found, proof.only_of()) {
            (Some((zone, _)), _) if zone != input.zone_id => false,
            (None, _) => false,
            (Some(_), None) => true,
            (Some((_, owner)), Some(me)) => {
                let member: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM lead_members WHERE lead_id = $1 AND user_id = $2",
                )
                .bind(*lead)
                .bind(me)
                .fetch_one(&mut *conn)
                .await?;
                owner == Some(me) || member > 0
            }
        };
        if !mine {
            errors.add("leads", "error.activity.lead");
            break;
        }
    }
    for investor in &input.investors {
        let zone: Option<i64> = sqlx::query_scalar("SELECT zone_id FROM investors WHERE id = $1")
            .bind(*investor)
            .fetch_optional(&mut *conn)
            .await?;
        if zone != Some(input.zone_id) {
            errors.add("investors", "error.activity.investor");
            break;
        }
    }
    if let Some(owner) = input.next_owner_id {
        let zone: Option<Option<i64>> =
            sqlx::query_scalar("SELECT zone_id FROM users WHERE id = $1 AND active = 1")
                .bind(owner)
                .fetch_optional(&mut *conn)
                .await?;
        if zone.flatten() != Some(input.zone_id) {
            errors.add("next_owner_id", "error.lead.person");
        }
    }
    errors.into_result().map_err(StoreError::Invalid)
}

async fn write_links(
    conn: &mut AnyConnection,
    activity_id: i64,
    input: &ActivityInput,
) -> Result<()> {
    for table in ["activity_leads", "activity_investors"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE activity_id = $1"))
            .bind(activity_id)
            .execute(&mut *conn)
            .await?;
    }
    for (table, column, ids) in [
        ("activity_leads", "lead_id", &input.leads),
        ("activity_investors", "investor_id", &input.investors),
    ] {
        let mut seen = std::collections::BTreeSet::new();
        for id in ids.iter().filter(|i| seen.insert(**i)) {
            sqlx::query(&format!(
                "INSERT INTO {table} (zone_id, activity_id, {column}) VALUES ($1, $2, $3)"
            ))
            .bind(input.zone_id)
            .bind(activity_id)
            .bind(*id)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// An activity held by `today` is a follow-up of each lead it names: their
/// last touch moves up to its day, each change on record.
async fn touch_leads(
    conn: &mut AnyConnection,
    actor: &Actor,
    activity: &Activity,
    today: NaiveDate,
) -> Result<()> {
    if activity.on_date > today {
        return Ok(());
    }
    let on = day(activity.on_date);
    let path = activity.zone_org_path();
    for lead in &activity.leads {
        let last: Option<String> = sqlx::query_scalar(
            "SELECT last_touch_on FROM leads WHERE id = $1 AND last_touch_on < $2",
        )
        .bind(lead.id)
        .bind(&on)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(last) = last else { continue };
        sqlx::query("UPDATE leads SET last_touch_on = $1, updated_at = $2 WHERE id = $3")
            .bind(&on)
            .bind(now_ms())
            .bind(lead.id)
            .execute(&mut *conn)
            .await?;
        let before = serde_json::json!({"id": lead.id, "last_touch_on": last});
        let after =
            serde_json::json!({"id": lead.id, "last_touch_on": on, "activity_id": activity.id});
        record(
            conn,
            actor,
            Change {
                action: AuditAction::Update,
                entity: "lead",
                entity_id: lead.id,
                zone_id: Some(activity.zone_id),
                scope_path: &path,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
    }
    Ok(())
}

async fn audit(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: AuditAction,
    before: Option<&Activity>,
    after: Option<&Activity>,
    of: &Activity,
) -> Result<()> {
    record(
        conn,
        actor,
        Change {
            action,
            entity: "activity",
            entity_id: of.id,
            zone_id: Some(of.zone_id),
            scope_path: &of.zone_org_path(),
            before,
            after,
        },
    )
    .await
}

/// The activity `id` within the proof; for one person's proof, one they
/// recorded.
async fn activity_within(conn: &mut AnyConnection, proof: &LeadWrite, id: i64) -> Result<Activity> {
    let activity = fetch_unscoped(conn, id).await?;
    within(proof.covers(&activity.zone_org_path()))?;
    if let Some(me) = proof.only_of() {
        within(activity.created_by_id == Some(me) || activity.next_owner_id == Some(me))?;
    }
    Ok(activity)
}

impl Store {
    pub async fn activity(&self, sight: &LeadSight, id: i64) -> Result<Activity> {
        let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE a.id = "));
        q.bind(id).push(" AND ");
        activity_scope(&mut q, sight);
        let mut activity = q
            .query_as::<Activity>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut conn = self.pool.acquire().await?;
        links(&mut conn, &mut activity).await?;
        Ok(activity)
    }

    /// Activities by day, latest first, each with what it concerned.
    pub async fn activities(
        &self,
        sight: &LeadSight,
        filter: &ActivityFilter,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Activity>> {
        let list = Paged {
            from: FROM,
            columns: COLUMNS,
            order: "a.on_date DESC, a.id DESC",
        };
        let mut page: Page<Activity> = list
            .fetch(
                &self.pool,
                |q| activity_filter(q, sight, filter),
                offset,
                limit,
            )
            .await?;
        let mut conn = self.pool.acquire().await?;
        for activity in &mut page.items {
            links(&mut conn, activity).await?;
        }
        Ok(page)
    }

    /// Records an activity; if it has taken place by `today`, it is a
    /// follow-up of the leads it names.
    pub async fn create_activity(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        input: &ActivityInput,
        today: NaiveDate,
    ) -> Result<Activity> {
        let mut tx = self.begin_write().await?;
        zone_within(&mut tx, proof, input.zone_id).await?;
        check_references(&mut tx, proof, input).await?;
        let now = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO activities (zone_id, kind, title, on_date, ends_on, place, our_people, their_people, \
             purpose, outcome, next_step, next_due, next_owner_id, next_done_on, created_by_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
        )
        .bind(input.zone_id)
        .bind(input.kind.code())
        .bind(&input.title)
        .bind(day(input.on_date))
        .bind(input.ends_on.map(day))
        .bind(&input.place)
        .bind(&input.our_people)
        .bind(&input.their_people)
        .bind(&input.purpose)
        .bind(&input.outcome)
        .bind(&input.next_step)
        .bind(input.next_due.map(day))
        .bind(input.next_owner_id)
        .bind(input.next_done_on.map(day))
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        write_links(&mut tx, id, input).await?;
        let created = fetch_unscoped(&mut tx, id).await?;
        audit(
            &mut tx,
            actor,
            AuditAction::Create,
            None,
            Some(&created),
            &created,
        )
        .await?;
        touch_leads(&mut tx, actor, &created, today).await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn update_activity(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        id: i64,
        expected_version: i64,
        input: &ActivityInput,
        today: NaiveDate,
    ) -> Result<Activity> {
        let mut tx = self.begin_write().await?;
        let before = activity_within(&mut tx, proof, id).await?;
        let input = ActivityInput {
            zone_id: before.zone_id,
            ..input.clone()
        };
        check_references(&mut tx, proof, &input).await?;
        crate::versioned::one_row(
            sqlx::query(
                "UPDATE activities SET kind = $1, title = $2, on_date = $3, ends_on = $4, place = $5, \
                 our_people = $6, their_people = $7, purpose = $8, outcome = $9, next_step = $10, \
                 next_due = $11, next_owner_id = $12, next_done_on = $13, version = version + 1, \
                 updated_at = $14 WHERE id = $15 AND version = $16",
            )
            .bind(input.kind.code())
            .bind(&input.title)
            .bind(day(input.on_date))
            .bind(input.ends_on.map(day))
            .bind(&input.place)
            .bind(&input.our_people)
            .bind(&input.their_people)
            .bind(&input.purpose)
            .bind(&input.outcome)
            .bind(&input.next_step)
            .bind(input.next_due.map(day))
            .bind(input.next_owner_id)
            .bind(input.next_done_on.map(day))
            .bind(now_ms())
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await?,
        )?;
        write_links(&mut tx, id, &input).await?;
        let after = fetch_unscoped(&mut tx, id).await?;
        audit(
            &mut tx,
            actor,
            AuditAction::Update,
            Some(&before),
            Some(&after),
            &after,
        )
        .await?;
        touch_leads(&mut tx, actor, &after, today).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn delete_activity(
        &self,
        actor: &Actor,
        proof: &LeadWrite,
        id: i64,
        expected_version: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let before = activity_within(&mut tx, proof, id).await?;
        crate::versioned::claim(&mut tx, "activities", id, expected_version).await?;
        crate::versioned::delete_claimed(
            &mut tx,
            actor,
            ("activities", "activity"),
            id,
            (Some(before.zone_id), &before.zone_org_path()),
            &before,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Open next steps due on or before `horizon`, everywhere: the reminders.
    pub async fn due_next_steps(&self, horizon: NaiveDate) -> Result<Vec<DueStep>> {
        let rows = sqlx::query(
            "SELECT id, title, next_step, next_due, COALESCE(next_owner_id, created_by_id) AS person \
             FROM activities WHERE next_due <= $1 AND next_done_on IS NULL AND next_step IS NOT NULL \
             AND COALESCE(next_owner_id, created_by_id) IS NOT NULL ORDER BY next_due, id",
        )
        .bind(day(horizon))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DueStep {
                    activity_id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    next_step: r.try_get("next_step")?,
                    next_due: decode::date(r, "next_due")?,
                    person: r.try_get("person")?,
                })
            })
            .collect::<sqlx::Result<_>>()
            .map_err(Into::into)
    }

    /// Open leads before 开工 last touched before `touched_before`, with
    /// their people: the candidates for the idle-lead reminder, which the
    /// zone's own limits then judge.
    pub async fn idle_leads(&self, touched_before: NaiveDate) -> Result<Vec<IdleLead>> {
        let open = kfq_attraction::LeadStage::PIPELINE
            .iter()
            .filter(|s| s.rank() < kfq_attraction::LeadStage::Started.rank())
            .map(|s| s.code());
        let mut q = Sql::new(
            "SELECT l.id, l.name, z.path, l.stage, l.registered_on, l.last_touch_on, l.owner_id \
             FROM leads l JOIN org_units z ON z.id = l.zone_id WHERE l.last_touch_on < ",
        );
        q.bind(day(touched_before))
            .push(" AND ")
            .any_of("l.stage", open)
            .push(" ORDER BY l.id");
        let rows = q.query().fetch_all(&self.pool).await?;
        // The task forces of every candidate in one read, not one per lead.
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<sqlx::Result<_>>()?;
        let mut members: std::collections::HashMap<i64, Vec<i64>> = Default::default();
        for chunk in ids.chunks(500) {
            let mut m = Sql::new("SELECT lead_id, user_id FROM lead_members WHERE ");
            m.any_of("lead_id", chunk.iter().copied());
            for r in m.query().fetch_all(&self.pool).await? {
                members
                    .entry(r.try_get(0)?)
                    .or_default()
                    .push(r.try_get(1)?);
            }
        }
        let mut idle = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let owner: Option<i64> = r.try_get("owner_id")?;
            let mut people = members.remove(&id).unwrap_or_default();
            people.extend(owner);
            people.sort_unstable();
            people.dedup();
            idle.push(IdleLead {
                id,
                name: r.try_get("name")?,
                zone_path: r.try_get("path")?,
                stage: decode::code(&r, "stage")?,
                registered_on: decode::date(&r, "registered_on")?,
                last_touch_on: decode::date(&r, "last_touch_on")?,
                people,
            });
        }
        Ok(idle)
    }
}
