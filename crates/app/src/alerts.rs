//! Alerts to the named person. A scan turns the state of the ledger and the
//! indicators into notices for the users subscribed to each kind of event
//! and concerned by it (the project's liaison leader, the blocker's
//! department, the zone's staff, the supervisors above), and 招商引资's
//! reminders to the person each waits on; the queue makes
//! each event one notice per person, ever. A delivery pass sends what is due
//! through kfq-notify and records the outcome, retrying with backoff. Both
//! run in a background task of `kfq serve`, and work the same from several
//! instances: the database decides who sends what.

use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use kfq_domain::{Rag, Visibility};
use kfq_notify::{Channel, Message, NextStep, SmtpConfig};
use kfq_store::{NewNotice, Store, Subscriber};

use crate::clock::beijing;
use crate::error::Result;
use crate::i18n::Catalog;
use crate::indicators::board as indicator_board;
use crate::ledger::rules as ledger_rules;

/// The kinds of event a user can subscribe to: (code, catalogue key).
pub const EVENTS: &[(&str, &str)] = &[
    ("project_red", "alert.project_red"),
    ("milestone_overdue", "alert.milestone_overdue"),
    ("blocker_due_soon", "alert.blocker_due_soon"),
    ("blocker_overdue", "alert.blocker_overdue"),
    ("indicator_warning", "alert.indicator_warning"),
    ("daily_digest", "alert.daily_digest"),
];

/// Working days before a blocker's deadline that its people are reminded.
pub const DUE_SOON_WORKING_DAYS: i64 = 3;

/// How alerts go out.
#[derive(Debug, Clone)]
pub struct AlertConfig {
    pub smtp: Option<SmtpConfig>,
    /// Beijing time of the daily digest.
    pub digest_at: NaiveTime,
    /// Where links in messages point ("https://kfq.example.cn"); relative
    /// links when unset.
    pub public_url: Option<String>,
    /// Between delivery passes.
    pub tick: Duration,
    /// Between scans for new events.
    pub scan_every: Duration,
    /// Where robot webhooks may point, checked again at every send.
    pub webhooks: kfq_notify::WebhookPolicy,
}

impl Default for AlertConfig {
    fn default() -> Self {
        Self {
            smtp: None,
            digest_at: NaiveTime::from_hms_opt(8, 0, 0).expect("a valid time"),
            public_url: None,
            tick: Duration::from_secs(30),
            scan_every: Duration::from_secs(600),
            webhooks: kfq_notify::WebhookPolicy::default(),
        }
    }
}

impl AlertConfig {
    fn link(&self, path: &str) -> String {
        match &self.public_url {
            Some(base) => format!("{}{path}", base.trim_end_matches('/')),
            None => path.to_owned(),
        }
    }
}

/// Whether an event about something in the zone at `zone_path` concerns `sub`.
fn concerns(
    sub: &Subscriber,
    zone_path: &str,
    liaison: Option<i64>,
    department: Option<i64>,
) -> bool {
    if liaison == Some(sub.user_id) || (department.is_some() && department == Some(sub.org_unit_id))
    {
        return true;
    }
    match sub.role.as_str() {
        "zone_admin" | "zone_staff" | "supervisor" | "system_admin" => {
            zone_path.starts_with(&sub.unit_path)
        }
        _ => false,
    }
}

fn key(kind: &str, subject: impl ToString, when: &str, user: i64) -> String {
    kfq_notify::event_key(kind, &subject.to_string(), when, &user.to_string())
}

/// Queues the notices of every current event; returns how many were new.
pub async fn scan(store: &Store, config: &AlertConfig, now: DateTime<Utc>) -> Result<usize> {
    let catalog = Catalog::zh();
    let today = beijing(now).date_naive();
    let today_text = today.to_string();
    // Statuses age with the calendar (a milestone passes its date overnight),
    // and imports leave new projects' statuses to this pass.
    let calendar = ledger_rules::calendar(store).await?;
    let counting = calendar.clone();
    store
        .refresh_stale_rag(today, &move |a, b| counting.working_days_between(a, b))
        .await?;
    let horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS);
    let mut notices = Vec::new();

    let subscribers = store.subscribers("project_red").await?;
    if !subscribers.is_empty() {
        for p in store.red_projects().await? {
            let since = p.rag_since.map(|d| d.to_string()).unwrap_or_default();
            let reasons = crate::ledger::rag_reason_texts(catalog, &p.rag_reasons)
                .join(catalog.t("common.join.clauses"));
            for sub in subscribers
                .iter()
                .filter(|s| concerns(s, &p.zone_path, p.liaison_user_id, None))
            {
                notices.push(NewNotice {
                    user_id: sub.user_id,
                    event: "project_red".into(),
                    event_key: key("project_red", p.id, &since, sub.user_id),
                    title: catalog.format("alert.title.project_red", &[("project", &p.name)]),
                    body: catalog.format(
                        "alert.body.project_red",
                        &[
                            ("project", &p.name),
                            ("since", &since),
                            ("reasons", &reasons),
                        ],
                    ),
                    link: Some(config.link(&format!("/projects/{}", p.id))),
                });
            }
        }
    }

    let subscribers = store.subscribers("milestone_overdue").await?;
    if !subscribers.is_empty() {
        for m in store.late_milestones(&today_text).await? {
            for sub in subscribers
                .iter()
                .filter(|s| concerns(s, &m.zone_path, m.liaison_user_id, None))
            {
                notices.push(NewNotice {
                    user_id: sub.user_id,
                    event: "milestone_overdue".into(),
                    event_key: key("milestone_overdue", m.id, &m.planned_on, sub.user_id),
                    title: catalog.format(
                        "alert.title.milestone_overdue",
                        &[("project", &m.project_name), ("milestone", &m.name)],
                    ),
                    body: catalog.format(
                        "alert.body.milestone_overdue",
                        &[
                            ("project", &m.project_name),
                            ("milestone", &m.name),
                            ("planned_on", &m.planned_on),
                        ],
                    ),
                    link: Some(config.link(&format!("/projects/{}", m.project_id))),
                });
            }
        }
    }

    let due_soon = store.subscribers("blocker_due_soon").await?;
    let overdue = store.subscribers("blocker_overdue").await?;
    if !due_soon.is_empty() || !overdue.is_empty() {
        for b in store.blockers_due(&horizon.to_string()).await? {
            let late = b.deadline.as_str() < today_text.as_str();
            let (event, subscribers, title, body) = if late {
                (
                    "blocker_overdue",
                    &overdue,
                    "alert.title.blocker_overdue",
                    "alert.body.blocker_overdue",
                )
            } else {
                (
                    "blocker_due_soon",
                    &due_soon,
                    "alert.title.blocker_due_soon",
                    "alert.body.blocker_due_soon",
                )
            };
            let title = catalog.format(title, &[("project", &b.project_name)]);
            let body = catalog.format(
                body,
                &[
                    ("project", &b.project_name),
                    ("blocker", &b.description),
                    ("deadline", &b.deadline),
                ],
            );
            for sub in subscribers
                .iter()
                .filter(|s| concerns(s, &b.zone_path, b.liaison_user_id, b.department_id))
            {
                notices.push(NewNotice {
                    user_id: sub.user_id,
                    event: event.into(),
                    event_key: key(event, b.id, &b.deadline, sub.user_id),
                    title: title.clone(),
                    body: body.clone(),
                    link: Some(config.link(&format!("/projects/{}", b.project_id))),
                });
            }
        }
    }

    let subscribers = store.subscribers("indicator_warning").await?;
    let digest_due = beijing(now).time() >= config.digest_at;
    // The province's boards, read once for warnings and digests alike.
    let boards = if subscribers.is_empty() && !digest_due {
        Vec::new()
    } else {
        root_boards(store, today).await?
    };
    if !subscribers.is_empty() {
        for board in &boards {
            for (z, (zone_id, zone_name)) in board.zones.iter().enumerate() {
                let zone_path = &board.zone_paths[z];
                for (i, ind) in board.indicators.iter().enumerate() {
                    let cell = &board.cells[z * board.indicators.len() + i];
                    if cell.level == Rag::Green {
                        continue;
                    }
                    let reasons = crate::indicators::reasons(catalog, cell)
                        .join(catalog.t("common.join.clauses"));
                    let level = catalog.t(&format!("Rag.{}", cell.level.code())).to_owned();
                    for sub in subscribers
                        .iter()
                        .filter(|s| concerns(s, zone_path, None, None))
                    {
                        notices.push(NewNotice {
                            user_id: sub.user_id,
                            event: "indicator_warning".into(),
                            event_key: key(
                                "indicator_warning",
                                format!("{zone_id}/{}", ind.row.code),
                                &format!("{}/{}", board.period, cell.level.code()),
                                sub.user_id,
                            ),
                            title: catalog.format(
                                "alert.title.indicator_warning",
                                &[
                                    ("level", &level),
                                    ("zone", zone_name),
                                    ("indicator", &ind.row.name),
                                ],
                            ),
                            body: catalog.format(
                                "alert.body.indicator_warning",
                                &[
                                    ("zone", zone_name),
                                    ("period", &board.period),
                                    ("indicator", &ind.row.name),
                                    ("reasons", &reasons),
                                ],
                            ),
                            link: Some(config.link(&format!(
                                "/indicators?org_id={zone_id}&period={}",
                                board.period
                            ))),
                        });
                    }
                }
            }
        }
    }

    // 招商引资's reminders go to the person they wait on, subscribed or not:
    // a next step they took on, a lead they own going idle.
    notices.extend(
        crate::attraction::reminders(store, &calendar, |path| config.link(path), today).await?,
    );

    if digest_due {
        notices.extend(digests(store, config, catalog, (today, horizon), &boards).await?);
    }

    let mut queued = 0;
    for notice in &notices {
        if store.enqueue(notice, now.timestamp_millis()).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// The boards of the top units (the province), which hold every zone.
async fn root_boards(store: &Store, today: NaiveDate) -> Result<Vec<indicator_board::Board>> {
    let filter = kfq_store::OrgFilter {
        kind: Some(kfq_domain::OrgKind::Province),
        ..Default::default()
    };
    let roots = store.orgs(&Visibility::All, &filter, 0, 100).await?.items;
    let mut boards = Vec::new();
    for root in roots {
        boards.push(
            indicator_board::load(
                store,
                &Visibility::All,
                &root,
                indicator_board::default_period(today),
                today,
            )
            .await?,
        );
    }
    Ok(boards)
}

/// One digest per subscribed person and day: their red projects, open
/// blockers past or near their deadline, and the indicator warnings.
async fn digests(
    store: &Store,
    config: &AlertConfig,
    catalog: &Catalog,
    (today, horizon): (NaiveDate, NaiveDate),
    boards: &[indicator_board::Board],
) -> Result<Vec<NewNotice>> {
    let subscribers = store.subscribers("daily_digest").await?;
    if subscribers.is_empty() {
        return Ok(Vec::new());
    }
    let today_text = today.to_string();
    let red = store.red_projects().await?;
    let blockers = store.blockers_due(&horizon.to_string()).await?;
    let mut notices = Vec::new();
    for sub in &subscribers {
        let mut lines = Vec::new();
        let theirs: Vec<&str> = red
            .iter()
            .filter(|p| concerns(sub, &p.zone_path, p.liaison_user_id, None))
            .map(|p| p.name.as_str())
            .collect();
        if !theirs.is_empty() {
            lines.push(catalog.format(
                "alert.digest.red_projects",
                &[
                    ("count", &theirs.len().to_string()),
                    ("names", &summary(catalog, &theirs)),
                ],
            ));
        }
        let (late, soon): (Vec<_>, Vec<_>) = blockers
            .iter()
            .filter(|b| concerns(sub, &b.zone_path, b.liaison_user_id, b.department_id))
            .partition(|b| b.deadline.as_str() < today_text.as_str());
        if !late.is_empty() {
            let names: Vec<&str> = late.iter().map(|b| b.description.as_str()).collect();
            lines.push(catalog.format(
                "alert.digest.overdue_blockers",
                &[
                    ("count", &late.len().to_string()),
                    ("names", &summary(catalog, &names)),
                ],
            ));
        }
        if !soon.is_empty() {
            let names: Vec<&str> = soon.iter().map(|b| b.description.as_str()).collect();
            lines.push(catalog.format(
                "alert.digest.blockers_due_soon",
                &[
                    ("days", &DUE_SOON_WORKING_DAYS.to_string()),
                    ("count", &soon.len().to_string()),
                    ("names", &summary(catalog, &names)),
                ],
            ));
        }
        let mut warnings = 0;
        for board in boards {
            for (z, path) in board.zone_paths.iter().enumerate() {
                if !concerns(sub, path, None, None) {
                    continue;
                }
                warnings += board.cells
                    [z * board.indicators.len()..(z + 1) * board.indicators.len()]
                    .iter()
                    .filter(|c| c.level == Rag::Red)
                    .count();
            }
        }
        if warnings > 0 {
            lines.push(catalog.format(
                "alert.digest.indicator_warnings",
                &[("count", &warnings.to_string())],
            ));
        }
        if lines.is_empty() {
            continue;
        }
        notices.push(NewNotice {
            user_id: sub.user_id,
            event: "daily_digest".into(),
            event_key: key("daily_digest", sub.user_id, &today_text, sub.user_id),
            title: catalog.format(
                "alert.title.daily_digest",
                &[
                    ("name", &sub.display_name),
                    ("month", &today.month().to_string()),
                    ("day", &today.day().to_string()),
                ],
            ),
            body: lines.join("\n"),
            link: Some(config.link("/")),
        });
    }
    Ok(notices)
}

/// The first five names, "等" after them if there are more.
fn summary(catalog: &Catalog, names: &[&str]) -> String {
    let shown: Vec<&str> = names.iter().take(5).copied().collect();
    let more = if names.len() > shown.len() {
        catalog.t("alert.digest.more")
    } else {
        ""
    };
    format!("{}{more}", shown.join(catalog.t("common.join.items")))
}

/// Counts of one delivery pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Sends every delivery due at `now`.
pub async fn deliver(store: &Store, config: &AlertConfig, now: DateTime<Utc>) -> Result<Delivered> {
    let mut counts = Delivered::default();
    let now_ms = now.timestamp_millis();
    for d in store.due_deliveries(now_ms, 200).await? {
        if !store.claim_delivery(d.id, now_ms).await? {
            continue;
        }
        let attempt = u32::try_from(d.attempts)
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let outcome = match serde_json::from_str::<Channel>(&d.config) {
            Ok(channel) => {
                let message = Message {
                    title: d.title.clone(),
                    body_markdown: d.body.clone(),
                    link: d.link.clone(),
                };
                kfq_notify::send(&channel, config.smtp.as_ref(), &config.webhooks, &message).await
            }
            Err(e) => kfq_notify::Outcome::Failed(
                Catalog::zh().format("alert.channel_unreadable", &[("error", &e.to_string())]),
            ),
        };
        match kfq_notify::next_step(&outcome, attempt, now) {
            NextStep::Delivered => {
                store.finish_delivery(d.id, now_ms, None, None).await?;
                counts.sent += 1;
            }
            NextStep::RetryAt(at) => {
                let reason = match &outcome {
                    kfq_notify::Outcome::Retry(r) => r.clone(),
                    _ => String::new(),
                };
                store
                    .finish_delivery(d.id, now_ms, Some(at.timestamp_millis()), Some(&reason))
                    .await?;
                counts.retrying += 1;
            }
            NextStep::GiveUp(reason) => {
                store
                    .finish_delivery(d.id, now_ms, None, Some(&reason))
                    .await?;
                counts.failed += 1;
            }
        }
    }
    Ok(counts)
}

/// The background task of `kfq serve`: scans now and then, delivers often.
/// The lease of the background work: the instance holding it scans, refreshes
/// statuses and delivers; the others wait. Held for [`LEASE_TTL`] past each
/// renewal (every tick), so a dead holder's work resumes elsewhere within it.
pub const BACKGROUND_LEASE: &str = "background";
pub const LEASE_TTL: Duration = Duration::from_secs(30);

/// A name for this instance that no other running instance has.
pub fn instance_name() -> String {
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "kfq".into());
    format!("{host}-{}-{started:x}", std::process::id())
}

pub fn spawn(store: Store, config: AlertConfig) -> tokio::task::JoinHandle<()> {
    let me = instance_name();
    tokio::spawn(async move {
        let mut last_scan: Option<std::time::Instant> = None;
        let mut holding = false;
        loop {
            let now = Utc::now();
            let ttl = i64::try_from(LEASE_TTL.as_millis()).unwrap_or(i64::MAX);
            match store
                .take_lease(BACKGROUND_LEASE, &me, now.timestamp_millis(), ttl)
                .await
            {
                Ok(held) => {
                    if held != holding {
                        tracing::info!(instance = %me, held, "background lease");
                        // A new holder scans at once: the last one may have died mid-way.
                        last_scan = None;
                    }
                    holding = held;
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "background lease unavailable");
                    holding = false;
                }
            }
            if holding {
                // Renewed while a long pass runs, so nobody takes it over mid-way.
                let pass = background_pass(&store, &config, now, &mut last_scan);
                tokio::pin!(pass);
                let mut renew = tokio::time::interval(LEASE_TTL / 3);
                renew.tick().await;
                loop {
                    tokio::select! {
                        () = &mut pass => break,
                        _ = renew.tick() => {
                            let at = Utc::now().timestamp_millis();
                            if let Err(e) = store.take_lease(BACKGROUND_LEASE, &me, at, ttl).await {
                                tracing::warn!(error = ?e, "background lease not renewed");
                            }
                        }
                    }
                }
            }
            tokio::time::sleep(config.tick.min(LEASE_TTL / 3)).await;
        }
    })
}

async fn background_pass(
    store: &Store,
    config: &AlertConfig,
    now: chrono::DateTime<Utc>,
    last_scan: &mut Option<std::time::Instant>,
) {
    if last_scan.is_none_or(|t| t.elapsed() >= config.scan_every) {
        *last_scan = Some(std::time::Instant::now());
        match scan(store, config, now).await {
            Ok(n) if n > 0 => tracing::info!(queued = n, "alerts queued"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "alert scan failed"),
        }
        if let Err(e) = store.refresh_statistics().await {
            tracing::warn!(error = ?e, "statistics not refreshed");
        }
    }
    match deliver(store, config, now).await {
        Ok(c) if c != Delivered::default() => {
            tracing::info!(
                sent = c.sent,
                retrying = c.retrying,
                failed = c.failed,
                "alerts delivered"
            )
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = ?e, "alert delivery failed"),
    }
}
