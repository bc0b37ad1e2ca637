//! 三个一批 as a use case: a campaign's headline as announced ("12个项目总投资
//! 18.6亿元") and its 回头看 at any later date — did each project reach the
//! promised stage and when, what has it invested since, what still blocks it,
//! the share that kept the promise, per zone when it spans several.

use chrono::NaiveDate;
use kfq_domain::campaign::{kept_by_month, kept_share_tenths, look_back, CampaignKind, Reached};
use kfq_domain::{Category, Money, Stage};
use kfq_store::{Campaign, CampaignProject, Store};
use serde::Serialize;

use crate::error::Result;
use crate::i18n::Catalog;

pub fn kind_label(kind: &str) -> &'static str {
    Catalog::zh().t(match CampaignKind::from_code(kind) {
        Some(CampaignKind::Signing) => "campaign.signing",
        Some(CampaignKind::Starting) => "campaign.starting",
        Some(CampaignKind::Producing) => "campaign.producing",
        Some(CampaignKind::Ceremony) => "campaign.ceremony",
        None => return "",
    })
}

pub fn stage_label(code: &str) -> &'static str {
    Stage::from_code(code).map_or("", kfq_ledger_import::stage_label)
}

/// The category as the headline names it ("社会民生类", where the ledger
/// says "社会民生").
fn category_label(code: &str) -> &'static str {
    Catalog::zh().t(match Category::from_code(code) {
        Some(Category::Industrial) => "campaign.category.industrial",
        Some(Category::Infrastructure) => "campaign.category.infrastructure",
        Some(Category::Social) => "campaign.category.social",
        None => return "",
    })
}

/// "12个项目总投资18.60亿元，其中产业类10个15.20亿元、基础设施类2个3.40亿元".
pub fn headline(projects: &[CampaignProject]) -> String {
    let catalog = Catalog::zh();
    let total: Money = projects
        .iter()
        .map(|p| Money::from_yuan(p.total_investment))
        .sum();
    let mut parts = Vec::new();
    for category in Category::ALL {
        let of: Vec<&CampaignProject> = projects
            .iter()
            .filter(|p| p.category == category.code())
            .collect();
        if !of.is_empty() {
            let sum: Money = of
                .iter()
                .map(|p| Money::from_yuan(p.total_investment))
                .sum();
            parts.push(catalog.format(
                "campaign.headline.part",
                &[
                    ("category", category_label(category.code())),
                    ("count", &of.len().to_string()),
                    ("amount", &sum.yi_2()),
                ],
            ));
        }
    }
    let mut text = catalog.format(
        "campaign.headline.total",
        &[
            ("count", &projects.len().to_string()),
            ("amount", &total.yi_2()),
        ],
    );
    if parts.len() > 1 {
        text.push_str(&catalog.format(
            "campaign.headline.of_which",
            &[("parts", &parts.join(catalog.t("common.join.items")))],
        ));
    }
    text
}

/// One project's look-back, for the page and the files.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookbackLine {
    pub project_id: i64,
    pub name: String,
    pub zone_name: String,
    /// The stage when put on record, and now.
    pub stage_then: String,
    pub stage_now: String,
    /// When the promised stage was reached (by the look-back date).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub kept_on: Option<NaiveDate>,
    pub before_campaign: bool,
    /// 万元, since the campaign's month.
    pub invested_since: String,
    #[serde(skip)]
    pub invested: Money,
    pub open_blockers: i64,
    /// Days from the campaign to the promise kept (none if kept before it).
    pub days_to_keep: Option<i64>,
    /// What still blocks it: "土地：用地指标未落实（限2024-06-20，已逾期）".
    pub blockers: Vec<String>,
}

/// One zone's share of a city's or province's campaign.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneLookback {
    pub zone_name: String,
    pub projects: usize,
    pub kept: usize,
    pub kept_share_tenths: Option<i64>,
    /// 万元.
    pub invested_since: String,
}

/// A campaign looked back at on `as_of`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lookback {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub campaign: Campaign,
    pub kind_label: String,
    pub promised: String,
    pub headline: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub as_of: NaiveDate,
    pub lines: Vec<LookbackLine>,
    pub kept: usize,
    /// Tenths of a percent.
    pub kept_share_tenths: Option<i64>,
    /// 万元.
    pub invested_since: String,
    /// Per zone, when the campaign spans several.
    pub by_zone: Vec<ZoneLookback>,
    /// Promises kept by the end of each month since the campaign ("2024-05", n).
    pub progress: Vec<(String, usize)>,
    /// Projects taken off the campaign, with why: out of the figures above.
    pub dropped: Vec<kfq_store::DroppedProject>,
}

/// A blocker open on the look-back date, in words.
fn blocker_text(factor: &str, description: &str, deadline: Option<&str>, as_of: &str) -> String {
    let catalog = Catalog::zh();
    let label = kfq_domain::BlockerFactor::from_code(factor)
        .map(|f| catalog.t(&f.label_key()).to_owned())
        .unwrap_or_default();
    let key = match deadline {
        Some(d) if d < as_of => "campaign.blocker.overdue",
        Some(_) => "campaign.blocker.deadline",
        None => "campaign.blocker.open",
    };
    catalog.format(
        key,
        &[
            ("factor", &label),
            ("description", description),
            ("deadline", deadline.unwrap_or_default()),
        ],
    )
}

fn by_zone(lines: &[LookbackLine]) -> Vec<ZoneLookback> {
    let mut zones: Vec<ZoneLookback> = Vec::new();
    let mut invested: Vec<Money> = Vec::new();
    for l in lines {
        let i = match zones.iter().position(|z| z.zone_name == l.zone_name) {
            Some(i) => i,
            None => {
                zones.push(ZoneLookback {
                    zone_name: l.zone_name.clone(),
                    projects: 0,
                    kept: 0,
                    kept_share_tenths: None,
                    invested_since: String::new(),
                });
                invested.push(Money::ZERO);
                zones.len() - 1
            }
        };
        zones[i].projects += 1;
        zones[i].kept += usize::from(l.kept_on.is_some());
        invested[i] = invested[i] + l.invested;
    }
    for (z, m) in zones.iter_mut().zip(invested) {
        z.kept_share_tenths = kept_share_tenths(z.kept, z.projects);
        z.invested_since = m.wan_string();
    }
    if zones.len() > 1 {
        zones
    } else {
        Vec::new()
    }
}

/// The campaign (already read within the caller's scope) looked back at on `as_of`.
pub async fn lookback(store: &Store, campaign: Campaign, as_of: NaiveDate) -> Result<Lookback> {
    let kind = CampaignKind::from_code(&campaign.kind).unwrap_or(CampaignKind::Starting);
    let promised = kind.promised_stage();
    let held_on = kfq_store::parse_date(&campaign.held_on).unwrap_or(as_of);
    let projects = store.campaign_projects(campaign.id).await?;
    let as_of_text = as_of.to_string();
    let mut histories = store.campaign_histories(campaign.id, &as_of_text).await?;
    let mut lines = Vec::new();
    for p in &projects {
        let since = histories.remove(&p.project_id).unwrap_or_default();
        let history: Vec<Reached> = since
            .stage_changes
            .iter()
            .map(|c| Reached {
                stage: c.to_stage,
                on: c.on_date,
                correction: c.correction,
            })
            .collect();
        let months = Store::month_amounts(&since.months);
        let back = look_back(promised, held_on, &history, &months, as_of);
        let blockers: Vec<String> = since
            .open_blockers
            .iter()
            .map(|(factor, description, deadline)| {
                blocker_text(factor, description, deadline.as_deref(), &as_of_text)
            })
            .collect();
        lines.push(LookbackLine {
            project_id: p.project_id,
            name: p.name.clone(),
            zone_name: p.zone_name.clone(),
            stage_then: stage_label(&p.stage).to_owned(),
            stage_now: stage_label(&p.stage_now).to_owned(),
            kept_on: back.kept_on,
            before_campaign: back.before_campaign,
            invested_since: back.invested_since.wan_string(),
            invested: back.invested_since,
            open_blockers: blockers.len() as i64,
            days_to_keep: back
                .kept_on
                .filter(|_| !back.before_campaign)
                .map(|d| (d - held_on).num_days()),
            blockers,
        });
    }
    let kept = lines.iter().filter(|l| l.kept_on.is_some()).count();
    let invested: Money = lines.iter().map(|l| l.invested).sum();
    let kept_dates: Vec<Option<NaiveDate>> = lines.iter().map(|l| l.kept_on).collect();
    let progress = kept_by_month(held_on, &kept_dates, as_of)
        .into_iter()
        .map(|((y, m), n)| (format!("{y}-{m:02}"), n))
        .collect();
    let dropped = store.campaign_dropped(campaign.id).await?;
    Ok(Lookback {
        dropped,
        by_zone: by_zone(&lines),
        progress,
        kind_label: kind_label(&campaign.kind).to_owned(),
        promised: kfq_ledger_import::stage_label(promised).to_owned(),
        headline: headline(&projects),
        as_of,
        kept_share_tenths: kept_share_tenths(kept, lines.len()),
        kept,
        invested_since: invested.wan_string(),
        lines,
        campaign,
    })
}
