//! The rules a zone's leads are held to, from the units above it (a
//! province's 首谈 threshold, time limits set at any level), and 首谈 itself:
//! registered by the rule on the lead as the caller read it, held in the
//! province by the store's register.

use chrono::NaiveDate;
use kfq_attraction::first_talk::DEFAULT_THRESHOLD;
use kfq_attraction::{check_first_talk, LimitSettings, Limits};
use kfq_domain::{FieldErrors, Money, OrgKind, OrgPath, Principal};
use kfq_store::{Actor, AttractionRules, Lead, OrgUnit, RulesInput, Store};

use super::LeadTarget;
use crate::error::{Error, Result};

/// Every unit's rules, read once for a page: what each zone works under is
/// layered from its own and those above it.
#[derive(Debug, Clone, Default)]
pub struct RulesBook {
    rules: Vec<(OrgPath, AttractionRules)>,
}

impl RulesBook {
    pub async fn load(store: &Store) -> Result<RulesBook> {
        let rules = store
            .all_attraction_rules()
            .await?
            .into_iter()
            .filter_map(|r| Some((OrgPath::parse(&r.org_path).ok()?, r)))
            .collect();
        Ok(RulesBook { rules })
    }

    /// The rules set at and above the unit at `path`, nearest first.
    fn along(&self, path: &OrgPath) -> Vec<&AttractionRules> {
        let mut along: Vec<(usize, &AttractionRules)> = self
            .rules
            .iter()
            .filter(|(unit, _)| path.is_within(unit))
            .map(|(unit, r)| (unit.depth(), r))
            .collect();
        along.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
        along.into_iter().map(|(_, r)| r).collect()
    }

    pub fn limits(&self, zone: &OrgPath) -> Limits {
        let settings: Vec<LimitSettings> = self.along(zone).iter().map(|r| r.limits).collect();
        Limits::layered(&settings)
    }

    /// The shortest follow-up interval any zone works under: no lead
    /// touched more recently can be idle.
    pub fn shortest_follow_up(&self) -> u32 {
        self.rules
            .iter()
            .filter_map(|(_, r)| r.limits.follow_up_days)
            .chain(std::iter::once(Limits::default().follow_up_days))
            .min()
            .unwrap_or(1)
    }

    /// What the unit itself sets; nothing set reads as version 0.
    pub fn own(&self, unit: &OrgUnit) -> AttractionRules {
        self.rules
            .iter()
            .find(|(_, r)| r.org_id == unit.id)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| AttractionRules {
                org_id: unit.id,
                org_name: unit.name.clone(),
                org_path: unit.path.clone(),
                first_talk_threshold: None,
                limits: LimitSettings::default(),
                version: 0,
            })
    }

    /// The 首谈 threshold of the zone's province (the nearest unit setting one).
    pub fn first_talk_threshold(&self, zone: &OrgPath) -> Money {
        self.along(zone)
            .iter()
            .find_map(|r| r.first_talk_threshold)
            .unwrap_or(DEFAULT_THRESHOLD)
    }
}

/// Registers the lead as its zone's 首谈 on `on`: the version read first (a
/// late caller is a 409), then the rule on that lead (talks begun, the
/// province's threshold reached), then the province's register.
pub async fn register_first_talk(
    store: &Store,
    actor: &Actor,
    target: &LeadTarget,
    expected: i64,
    on: NaiveDate,
) -> Result<Lead> {
    let lead = target.lead();
    if expected != lead.version {
        return Err(Error::Conflict);
    }
    let book = RulesBook::load(store).await?;
    let threshold = book.first_talk_threshold(&lead.zone_org_path());
    check_first_talk(lead.stage, lead.investment, threshold)?;
    Ok(store
        .claim_first_talk(actor, target.proof(), lead.id, expected, on)
        .await?)
}

pub async fn release_first_talk(
    store: &Store,
    actor: &Actor,
    target: &LeadTarget,
    expected: i64,
) -> Result<Lead> {
    Ok(store
        .release_first_talk(actor, target.proof(), target.lead().id, expected)
        .await?)
}

/// Sets the rules of the unit `org_id` at `expected` (0: none set yet): by
/// those above it or the zone's administrator; limits within a day and a
/// year; the 首谈 threshold a province's (or the top unit's) alone, above
/// zero.
pub async fn set_rules(
    store: &Store,
    principal: &Principal,
    actor: &Actor,
    org_id: i64,
    expected: i64,
    input: &RulesInput,
) -> Result<AttractionRules> {
    let unit = store.org(&principal.org_visibility(), org_id).await?;
    let proof = principal
        .attraction_rules(&unit.org_path())
        .ok_or(Error::Forbidden)?;
    let mut errors = match input.limits.check() {
        Ok(()) => FieldErrors::new(),
        Err(e) => e,
    };
    if let Some(threshold) = input.first_talk_threshold {
        let top = matches!(unit.kind(), OrgKind::Province | OrgKind::Country);
        if !top {
            errors.add(
                "first_talk_threshold",
                "error.first_talk.threshold_province",
            );
        } else if threshold <= Money::ZERO {
            errors.add(
                "first_talk_threshold",
                "error.first_talk.threshold_positive",
            );
        }
    }
    errors.into_result()?;
    Ok(store
        .set_attraction_rules(actor, &proof, org_id, expected, input)
        .await?)
}
