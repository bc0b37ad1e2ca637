//! 招商引资 at province scale: for every zone, [`LEADS_PER_ZONE`] generated
//! leads spread over the stages as a working pipeline is (most still clues
//! or in talks, fewer signed, a few ended), registered over the last two
//! years with each move after the one before, and two years of activities
//! (about two a week) on them — bulk-written one transaction per zone.

use anyhow::Result;
use chrono::{Datelike, Days, NaiveDate};
use kfq_attraction::{ActivityKind, AgreementKind, LeadStage, Origin, Source};
use kfq_domain::{LeadWrite, Money, OrgKind};
use kfq_store::{ActivityInput, Actor, LeadInput, LeadRecord, OrgUnit, StageMove, Store};

use crate::ledger::Rng;

/// Leads generated for each zone.
pub const LEADS_PER_ZONE: usize = 200;
/// Activities generated for each zone (two years, about two a week).
pub const ACTIVITIES_PER_ZONE: usize = 208;

const STEMS: &[&str] = &[
    "新能源",
    "新材料",
    "智能装备",
    "生物医药",
    "现代物流",
    "数字经济",
    "绿色建材",
    "食品加工",
    "节能环保",
    "汽车零部件",
    "电子信息",
    "精细化工",
];
const FIRMS: &[&str] = &[
    "科技",
    "实业",
    "集团",
    "控股",
    "产业发展",
    "装备制造",
    "新能源",
    "供应链",
];
const PLACES: &[(Origin, &str)] = &[
    (Origin::InProvince, "山西省"),
    (Origin::OutOfProvince, "江苏省"),
    (Origin::OutOfProvince, "浙江省"),
    (Origin::OutOfProvince, "广东省"),
    (Origin::OutOfProvince, "北京市"),
    (Origin::OutOfProvince, "上海市"),
    (Origin::Abroad, "德国"),
];

/// Where a generated lead stands: most are early.
fn pick_stage(rng: &mut Rng) -> LeadStage {
    match rng.below(100) {
        0..=29 => LeadStage::Clue,
        30..=49 => LeadStage::Assessing,
        50..=69 => LeadStage::Negotiating,
        70..=79 => LeadStage::Signed,
        80..=85 => LeadStage::Registered,
        86..=91 => LeadStage::Started,
        92..=94 => LeadStage::Producing,
        _ => LeadStage::Terminated,
    }
}

fn on(registered: NaiveDate, step: u64, today: NaiveDate) -> NaiveDate {
    (registered + Days::new(step * 21)).min(today)
}

/// A valid credit code for the n-th generated registration.
fn credit_code(n: u64) -> kfq_domain::CreditCode {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    let base = format!("91149000MA{:07}X", n % 10_000_000);
    ALPHABET
        .chars()
        .find_map(|c| kfq_domain::CreditCode::parse(&format!("{}{c}", &base[..17])).ok())
        .expect("one check character fits")
}

/// The moves that bring a lead registered on `registered` to `stage`, each
/// three weeks after the last and none after `today`, with the facts each
/// stage asks for.
fn moves_to(
    stage: LeadStage,
    registered: NaiveDate,
    amount: Money,
    name: &str,
    today: NaiveDate,
    serial: u64,
) -> Vec<StageMove> {
    let blank = StageMove::bare;
    let (target, ended) = match stage {
        LeadStage::Terminated => (LeadStage::Negotiating, true),
        s => (s, false),
    };
    let mut moves = Vec::new();
    for (n, s) in LeadStage::PIPELINE.iter().enumerate().skip(1) {
        if s.rank() > target.rank() {
            break;
        }
        let day = on(registered, n as u64, today);
        let mut m = blank(*s, day);
        match s {
            LeadStage::Signed => {
                m.signed_on = Some(day);
                m.signed_amount = Some(amount);
                m.agreement = Some(AgreementKind::Formal);
            }
            LeadStage::Registered => {
                m.enterprise_name = Some(format!("{name}运营有限公司"));
                m.enterprise_credit_code = Some(credit_code(serial));
            }
            LeadStage::Started => m.started_on = Some(day),
            LeadStage::Producing => m.produced_on = Some(day),
            _ => {}
        }
        moves.push(m);
    }
    if ended {
        let mut m = blank(
            LeadStage::Terminated,
            on(registered, moves.len() as u64 + 1, today),
        );
        m.terminated_reason = Some("企业投资计划调整，暂缓投资".to_owned());
        moves.push(m);
    }
    moves
}

/// What the province-scale pipeline came to.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProvinceAttraction {
    pub leads: usize,
    pub activities: usize,
}

/// Adds [`LEADS_PER_ZONE`] leads and [`ACTIVITIES_PER_ZONE`] activities to
/// every zone of `zones`.
pub async fn seed_province_attraction(
    store: &Store,
    zones: &[OrgUnit],
    today: NaiveDate,
) -> Result<ProvinceAttraction> {
    let actor = Actor::system("演示数据");
    let proof = LeadWrite::operator();
    let mut done = ProvinceAttraction::default();
    let mut serial = 0u64;
    for (z, zone) in zones
        .iter()
        .filter(|z| z.kind() == OrgKind::Zone)
        .enumerate()
    {
        let mut rng = Rng(0x5eed_0000 + z as u64 * 7919 + 1);
        let short: String = zone.name.chars().take(2).collect();
        let mut records = Vec::with_capacity(LEADS_PER_ZONE);
        for n in 0..LEADS_PER_ZONE {
            let stem = *rng.pick(STEMS);
            let (origin, place) = *rng.pick(PLACES);
            // About 60 investors a zone, several with more than one lead.
            let investor = format!(
                "{place}{stem}{}（{short}{}）有限公司",
                rng.pick(FIRMS),
                n % 60
            );
            let stage = pick_stage(&mut rng);
            // 500万 to 50亿, most below 5亿.
            let wan = match rng.below(10) {
                0..=5 => 500 + rng.below(20_000) as i64,
                6..=8 => 20_000 + rng.below(80_000) as i64,
                _ => 100_000 + rng.below(400_000) as i64,
            };
            let registered = today - Days::new(20 + rng.below(700));
            let name = format!("{stem}项目{}", n + 1);
            serial += 1;
            let moves = moves_to(
                stage,
                registered,
                Money::from_yuan(wan * 10_000),
                &name,
                today,
                serial,
            );
            let last = moves.last().map(|m| m.on).unwrap_or(registered);
            records.push(LeadRecord {
                investor,
                investor_id: None,
                investor_code: None,
                investor_industry: None,
                origin,
                origin_place: Some(place.to_owned()),
                lead: LeadInput {
                    zone_id: zone.id,
                    name,
                    investor_id: 0,
                    industry_chain_id: None,
                    chain_node: None,
                    investment: Money::from_yuan(wan * 10_000),
                    land: None,
                    energy_tce: None,
                    expected_output: None,
                    expected_tax: None,
                    expected_jobs: None,
                    source: *rng.pick(Source::ALL),
                    referrer: None,
                    owner_id: None,
                    task_force: None,
                    members: vec![],
                    registered_on: registered,
                    increase_of: None,
                },
                moves,
                last_touch_on: (last + Days::new(rng.below(40))).min(today),
                note: None,
            });
        }
        let ids = store
            .import_leads(&actor, &proof, zone.id, &records)
            .await?;
        done.leads += ids.len();
        let start = today - Days::new(730);
        let activities: Vec<ActivityInput> = (0..ACTIVITIES_PER_ZONE)
            .map(|n| {
                let on_date = start + Days::new(n as u64 * 730 / ACTIVITIES_PER_ZONE as u64);
                let kind = *rng.pick(ActivityKind::ALL);
                let lead = ids[rng.below(ids.len() as u64) as usize];
                let lead_name = &records[ids.iter().position(|i| *i == lead).unwrap_or(0)]
                    .lead
                    .name;
                let future = on_date > today;
                ActivityInput {
                    zone_id: zone.id,
                    kind,
                    title: format!("{}{}月对接{}", short, on_date.month(), lead_name),
                    on_date,
                    ends_on: None,
                    place: None,
                    our_people: None,
                    their_people: None,
                    purpose: None,
                    outcome: (!future).then(|| "双方交换投资意向，约定下步对接".to_owned()),
                    next_step: Some("报送项目建议书".to_owned()),
                    next_due: Some(on_date + Days::new(14)),
                    next_owner_id: None,
                    next_done_on: (on_date + Days::new(14) < today)
                        .then(|| on_date + Days::new(12)),
                    leads: vec![lead],
                    investors: vec![],
                }
            })
            .collect();
        done.activities += store
            .import_activities(&actor, &proof, zone.id, &activities)
            .await?
            .len();
        if (z + 1) % 10 == 0 {
            tracing::info!(
                zones = z + 1,
                leads = done.leads,
                "seeding the province's pipeline"
            );
        }
    }
    store.analyze().await?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_run_forward_to_the_stage_with_its_facts() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let registered = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let amount = Money::from_yuan(100_000_000);
        for stage in LeadStage::ALL {
            let moves = moves_to(*stage, registered, amount, "测试", today, 1);
            let last = moves.last().map(|m| m.to).unwrap_or(LeadStage::Clue);
            assert_eq!(last, *stage);
            assert!(moves.windows(2).all(|w| w[0].on <= w[1].on));
            assert!(moves.iter().all(|m| m.on <= today && m.on >= registered));
            // Each move passes the rules with the facts gathered so far.
            let mut facts = kfq_attraction::StageFacts::default();
            let mut from = LeadStage::Clue;
            for m in &moves {
                facts.signed_on = m.signed_on.or(facts.signed_on);
                facts.signed_amount = m.signed_amount.or(facts.signed_amount);
                facts.agreement = m.agreement.or(facts.agreement);
                facts.enterprise_registered |= m.enterprise_credit_code.is_some();
                facts.started_on = m.started_on.or(facts.started_on);
                facts.produced_on = m.produced_on.or(facts.produced_on);
                facts.terminated_reason = m.terminated_reason.clone();
                kfq_attraction::check_move(from, m.to, None, &facts, today)
                    .unwrap_or_else(|e| panic!("{from:?} → {:?}: {e:?}", m.to));
                from = m.to;
            }
        }
    }
}
