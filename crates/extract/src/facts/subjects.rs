//! Whom a figure is about: projects (merging mentions of one project), anaphors
//! (该项目), enterprises, batches ("12个项目") and zones, as events in text order,
//! and the rules that pick the subject of a figure. Owns attachment only.

use super::{zone_at, Scope};
use crate::entities::{self, CompanyMention, ProjectMention};
use crate::measures::Measure;
use crate::text::{clause_start, ends_with, is_clause_end, sentence_start, starts_with};
use crate::zones::ZoneMention;

/// One project of the article, after merging mentions that name the same one.
#[derive(Clone, Debug)]
pub(super) struct Project {
    pub(super) name: String,
    pub(super) investor: Option<String>,
}

#[derive(Clone, Debug)]
pub(super) enum Subject {
    Project(usize),
    Company(String),
    Zone(String),
    /// A batch ("12个项目", "企业4家"): what follows is about the zone.
    Batch,
}

#[derive(Clone, Debug)]
pub(super) struct Event {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) subject: Subject,
}

/// Longest common substring length, for short names.
pub(super) fn common_run(a: &[char], b: &[char]) -> usize {
    let mut best = 0;
    let mut prev = vec![0usize; b.len() + 1];
    for &ca in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            if ca == cb {
                cur[j + 1] = prev[j] + 1;
                best = best.max(cur[j + 1]);
            }
        }
        prev = cur;
    }
    best
}

/// Two mentions name the same project.
pub(super) fn same_project(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let shorter = ac.len().min(bc.len());
    if shorter >= 5 && (a.ends_with(b) || b.ends_with(a)) {
        return true;
    }
    // Only names long enough to share eight characters are compared closely.
    shorter >= 8 && {
        let run = common_run(&ac, &bc);
        run >= 8 && run * 10 >= shorter * 7
    }
}

pub(super) struct Subjects {
    pub(super) projects: Vec<Project>,
    /// In text order (by start).
    pub(super) events: Vec<Event>,
    /// Project mention index → project index.
    pub(super) mention_project: Vec<Option<usize>>,
}

impl Subjects {
    /// Events inside `[from, to)`, last first.
    pub(super) fn events_within(&self, from: usize, to: usize) -> impl Iterator<Item = &Event> {
        let upto = self.events.partition_point(|e| e.start < to);
        self.events[..upto]
            .iter()
            .rev()
            .take_while(move |e| e.start >= from)
            .filter(move |e| e.end <= to)
    }

    /// The project a mention refers to, if it names or points to one.
    pub(super) fn project_of(&self, mention: Option<usize>) -> Option<usize> {
        self.mention_project[mention?]
    }
}

/// Projects compared by similarity against a new mention: the most recent ones
/// (an article names a few dozen at most).
const RECENT_PROJECTS: usize = 32;

/// How far back the opening of a paragraph may give a figure its subject.
const PARAGRAPH_REACH: usize = 1500;

pub(super) fn build_subjects(
    chars: &[char],
    mentions: &[ProjectMention],
    companies: &[CompanyMention],
    scope: &Scope<'_>,
) -> Subjects {
    let mut projects: Vec<Project> = Vec::new();
    let mut mention_project = vec![None; mentions.len()];
    let mut events = Vec::new();
    let mut last_project: Option<usize> = None;
    let mut last_project_at: Option<usize> = None;

    // Merge events of all sources in text order.
    #[derive(Clone, Copy)]
    enum Src {
        Project(usize),
        Company(usize),
        Zone(usize),
        ZoneWord(usize, usize),
        AllZones(usize, usize),
    }
    let mut order: Vec<(usize, Src)> = Vec::new();
    order.extend(
        mentions
            .iter()
            .enumerate()
            .map(|(i, p)| (p.start, Src::Project(i))),
    );
    order.extend(
        companies
            .iter()
            .enumerate()
            .map(|(i, c)| (c.start, Src::Company(i))),
    );
    order.extend(
        scope
            .zones
            .iter()
            .enumerate()
            .map(|(i, (z, _))| (z.start, Src::Zone(i))),
    );
    for (s, e) in zone_words(chars, scope.zones) {
        order.push((s, Src::ZoneWord(s, e)));
    }
    for &(s, e) in scope.all_zones {
        order.push((s, Src::AllZones(s, e)));
    }
    order.sort_by_key(|(s, _)| *s);

    for (_, src) in order {
        match src {
            Src::Project(i) => {
                let p = &mentions[i];
                if p.generic {
                    continue;
                }
                let idx = if p.anaphor {
                    match last_project {
                        Some(idx) => idx,
                        None => continue,
                    }
                } else {
                    let recent = projects.len().saturating_sub(RECENT_PROJECTS);
                    let found = (recent..projects.len())
                        .find(|&q| same_project(&projects[q].name, &p.name));
                    let idx = found.unwrap_or_else(|| {
                        projects.push(Project {
                            name: p.name.clone(),
                            investor: None,
                        });
                        projects.len() - 1
                    });
                    let investor = p
                        .investor
                        .clone()
                        .or_else(|| investors_before(chars, p.start, companies, mentions));
                    if projects[idx].investor.is_none() {
                        projects[idx].investor = investor;
                    }
                    idx
                };
                mention_project[i] = Some(idx);
                last_project = Some(idx);
                last_project_at = Some(p.start);
                events.push(Event {
                    start: p.start,
                    end: p.end,
                    subject: Subject::Project(idx),
                });
            }
            Src::Company(i) => {
                let c = &companies[i];
                // The enterprise in front of a project name is that project's.
                let inside = entities::mention_containing(mentions, c.start, c.end + 1)
                    .is_some_and(|k| !mentions[k].generic);
                if inside {
                    continue;
                }
                // 该项目由某公司投资建设: the enterprise backs the project in talk.
                let backs = ends_with(chars, c.start, "由")
                    || ["投资建设", "投资兴建", "承建", "投资", "建设"]
                        .iter()
                        .any(|w| starts_with(chars, c.end, w));
                if backs {
                    if let (Some(idx), Some(at)) = (last_project, last_project_at) {
                        if sentence_start(chars, at) == sentence_start(chars, c.start) {
                            projects[idx].investor.get_or_insert_with(|| c.name.clone());
                            continue;
                        }
                    }
                }
                events.push(Event {
                    start: c.start,
                    end: c.end,
                    subject: Subject::Company(c.name.clone()),
                });
            }
            Src::Zone(i) => {
                let (z, name) = &scope.zones[i];
                // 大同经济技术开发区、阳高经济开发区: zones listed together are
                // a batch; what follows is none of them alone.
                let listed = i > 0 && {
                    let prev = &scope.zones[i - 1].0;
                    z.start >= prev.end && z.start - prev.end <= 1
                };
                if listed {
                    if let Some(e) = events.iter_mut().rev().find(|e| e.end <= z.start) {
                        if matches!(e.subject, Subject::Zone(_)) {
                            e.subject = Subject::Batch;
                        }
                    }
                }
                events.push(Event {
                    start: z.start,
                    end: z.end,
                    subject: if listed {
                        Subject::Batch
                    } else {
                        Subject::Zone(name.clone())
                    },
                });
            }
            // 全市开发区共实施…: what follows is about many zones, as a batch.
            Src::AllZones(s, e) => events.push(Event {
                start: s,
                end: e,
                subject: Subject::Batch,
            }),
            Src::ZoneWord(s, e) => {
                if let Some(zone) = zone_at(scope, s) {
                    events.push(Event {
                        start: s,
                        end: e,
                        subject: Subject::Zone(zone),
                    });
                }
            }
        }
    }
    Subjects {
        projects,
        events,
        mention_project,
    }
}

/// Words that stand for the article's zone: 该园区, 区内, 全区, 园区 opening a clause.
pub(super) fn zone_words(chars: &[char], zones: &[(ZoneMention, String)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for i in 0..chars.len() {
        if !matches!(chars[i], '该' | '本' | '区' | '全' | '园') {
            continue;
        }
        for w in [
            "该园区",
            "该区",
            "本区",
            "区内",
            "全区",
            "园区内",
            "园区现有",
            "园区",
        ] {
            if !starts_with(chars, i, w) {
                continue;
            }
            let k = zones.partition_point(|(z, _)| z.start <= i);
            let inside_zone = k > 0 && i < zones[k - 1].0.end;
            let opens =
                i == 0 || is_clause_end(chars[i - 1]) || w.starts_with('该') || w.starts_with('本');
            let standalone = w != "园区" && w != "区内" && w != "全区" || opens;
            if !inside_zone && standalone {
                out.push((i, i + w.chars().count()));
            }
            break;
        }
    }
    out
}

/// Enterprises named earlier in the same sentence as a project: its investors.
pub(super) fn investors_before(
    chars: &[char],
    at: usize,
    companies: &[CompanyMention],
    mentions: &[ProjectMention],
) -> Option<String> {
    let s = sentence_start(chars, at);
    let from = companies.partition_point(|c| c.start < s);
    let upto = companies.partition_point(|c| c.start < at);
    // Another project between the enterprise and this one takes the enterprise.
    let last_other_project = {
        let k = mentions.partition_point(|p| p.start < at);
        mentions[..k]
            .iter()
            .rev()
            .take_while(|p| p.start >= s)
            .find(|p| !p.generic && p.end <= at)
            .map(|p| p.start)
    };
    let names: Vec<&str> = companies[from..upto]
        .iter()
        .filter(|c| c.end <= at && last_other_project.is_none_or(|p| p <= c.end))
        .map(|c| c.name.as_str())
        .collect();
    (!names.is_empty()).then(|| names.join("、"))
}

/// The subject of a figure at `m`, and the confidence of the attachment.
pub(super) fn subject_of(
    chars: &[char],
    m: &Measure,
    project_level: bool,
    subjects: &Subjects,
    mentions: &[ProjectMention],
) -> (Option<Subject>, f32) {
    if project_level {
        // 年产100万吨公路护栏项目: the figure is part of the name.
        if let Some(idx) =
            subjects.project_of(entities::mention_containing(mentions, m.start, m.end))
        {
            return (Some(Subject::Project(idx)), 1.0);
        }
        // 总投资6.8亿元的大运…项目: the figure modifies the name after 的.
        let mut j = m.end;
        while j < chars.len() && j < m.end + 25 && !is_clause_end(chars[j]) {
            if chars[j] == '的' {
                let named = entities::mention_starting_at(mentions, j + 1);
                if let Some(idx) = subjects.project_of(named) {
                    return (Some(Subject::Project(idx)), 1.0);
                }
                break;
            }
            j += 1;
        }
    }
    let s = sentence_start(chars, m.start);
    if let Some(subject) = subjects
        .events_within(s, m.start)
        .next()
        .map(|e| e.subject.clone())
    {
        return (Some(subject), 0.95);
    }
    // Carry the topic of the sentence before, within the paragraph: a subject
    // that opens one of its clauses ("该项目计划总投资…。全部建成投产后，…").
    if s > 0 && chars[s - 1] != '\n' {
        let prev = sentence_start(chars, s - 1);
        let topic = subjects
            .events_within(prev, s)
            .find(|e| clause_start(chars, e.start) == e.start)
            .map(|e| e.subject.clone());
        if let Some(subject) = topic {
            return (Some(subject), 0.85);
        }
    }
    // A paragraph about an enterprise ("双良集团有限公司成立于…") stays about it.
    if let Some(Subject::Company(name)) = paragraph_topic(chars, m.start, subjects) {
        return (Some(Subject::Company(name)), 0.75);
    }
    (None, 0.9)
}

/// The subject that opens the paragraph containing `at`, if one does.
pub(super) fn paragraph_topic(chars: &[char], at: usize, subjects: &Subjects) -> Option<Subject> {
    // A topic this far back no longer governs the sentence.
    let floor = at.saturating_sub(PARAGRAPH_REACH);
    let mut p = at.min(chars.len());
    while p > floor && chars[p - 1] != '\n' {
        p -= 1;
    }
    if p == floor && p > 0 {
        return None;
    }
    let first = subjects.events.partition_point(|e| e.start < p);
    subjects
        .events
        .get(first)
        .filter(|e| e.start <= p + 1 && e.end <= at)
        .map(|e| e.subject.clone())
}
