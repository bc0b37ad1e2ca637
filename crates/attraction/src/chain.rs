//! 产业链图谱: a zone's industry chains laid out as upstream, midstream and
//! downstream links (环节), and what each link asks of the zone's 招商 work —
//! 补链 where the zone has no firm, 强链 where it has one, 延链 where it
//! means to reach a link it never had. The "to fill" list orders the links
//! by that need.

use kfq_domain::code_enum;

code_enum! {
    /// Where a link sits on its chain.
    Segment {
        /// 上游: raw materials, parts.
        Upstream = "upstream",
        /// 中游: making the chain's core products.
        Midstream = "midstream",
        /// 下游: use, sales, services.
        Downstream = "downstream",
    }
}

/// What the zone has at one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LinkFacts {
    /// The zone's enterprises working at this link, landed leads included.
    pub enterprises: usize,
    /// Leads on this link still being worked (线索 to 签约).
    pub open_leads: usize,
    /// Target companies (目标企业) named for this link.
    pub targets: usize,
    /// The zone marked the link as one it means to extend the chain to.
    pub extension: bool,
}

code_enum! {
    /// What a link needs (延链补链强链).
    Need {
        /// 延链: a link the chain is to be extended to; nobody there yet.
        Extend = "extend",
        /// 补链: a gap — no firm of the zone at this link.
        Fill = "fill",
        /// 强链: one firm only; a second makes the link hold.
        Strengthen = "strengthen",
        /// 稳链: two firms or more.
        Held = "held",
    }
}

/// Firms at a link from which it counts as held.
pub const HELD_FROM: usize = 2;

impl LinkFacts {
    pub fn need(&self) -> Need {
        match self.enterprises {
            0 if self.extension => Need::Extend,
            0 => Need::Fill,
            n if n < HELD_FROM => Need::Strengthen,
            _ => Need::Held,
        }
    }

    /// A gap or extension with no lead and no target company: nobody is
    /// working on it, the first thing a 招商局 should see.
    pub fn unattended(&self) -> bool {
        matches!(self.need(), Need::Fill | Need::Extend)
            && self.open_leads == 0
            && self.targets == 0
    }
}

/// The order of the "to fill" list: unattended gaps first, then gaps being
/// worked, then extensions, then links to strengthen; within each, the fewer
/// open leads the earlier, then upstream before downstream, then the input
/// order. Held links are left out. Gives indices into `links`.
pub fn to_fill(links: &[(Segment, LinkFacts)]) -> Vec<usize> {
    let rank = |f: &LinkFacts| match (f.need(), f.unattended()) {
        (Need::Fill, true) => 0,
        (Need::Extend, true) => 1,
        (Need::Fill, false) => 2,
        (Need::Extend, false) => 3,
        (Need::Strengthen, _) => 4,
        (Need::Held, _) => 5,
    };
    let segment = |s: Segment| Segment::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let mut order: Vec<usize> = (0..links.len())
        .filter(|i| links[*i].1.need() != Need::Held)
        .collect();
    order.sort_by_key(|i| {
        let (s, f) = &links[*i];
        (rank(f), f.open_leads + f.targets, segment(*s), *i)
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(enterprises: usize, open_leads: usize, targets: usize) -> LinkFacts {
        LinkFacts {
            enterprises,
            open_leads,
            targets,
            extension: false,
        }
    }

    #[test]
    fn a_link_needs_what_its_firms_leave_open() {
        assert_eq!(facts(0, 0, 0).need(), Need::Fill);
        assert_eq!(facts(0, 3, 1).need(), Need::Fill);
        assert_eq!(facts(1, 0, 0).need(), Need::Strengthen);
        assert_eq!(facts(2, 0, 0).need(), Need::Held);
        assert_eq!(facts(7, 0, 0).need(), Need::Held);
        let ext = LinkFacts {
            extension: true,
            ..facts(0, 0, 0)
        };
        assert_eq!(ext.need(), Need::Extend);
        // Once a firm lands, an extension is a link like any other.
        let reached = LinkFacts {
            extension: true,
            ..facts(1, 0, 0)
        };
        assert_eq!(reached.need(), Need::Strengthen);
    }

    #[test]
    fn only_a_gap_nobody_works_on_is_unattended() {
        assert!(facts(0, 0, 0).unattended());
        assert!(!facts(0, 1, 0).unattended());
        assert!(!facts(0, 0, 1).unattended());
        assert!(!facts(1, 0, 0).unattended());
    }

    #[test]
    fn the_list_puts_unattended_gaps_first_and_leaves_held_links_out() {
        use Segment::*;
        let ext = LinkFacts {
            extension: true,
            ..facts(0, 0, 0)
        };
        let links = [
            (Upstream, facts(3, 0, 0)),   // 0 held: out
            (Downstream, facts(1, 0, 0)), // 1 strengthen
            (Midstream, facts(0, 2, 1)),  // 2 gap being worked, 3 on it
            (Downstream, facts(0, 0, 0)), // 3 unattended gap, downstream
            (Upstream, facts(0, 0, 0)),   // 4 unattended gap, upstream
            (Midstream, facts(0, 1, 0)),  // 5 gap being worked, 1 on it
            (Upstream, ext),              // 6 unattended extension
        ];
        assert_eq!(to_fill(&links), vec![4, 3, 6, 5, 2, 1]);
    }

    #[test]
    fn nothing_to_fill_when_every_link_holds() {
        let links = [(Segment::Midstream, facts(2, 0, 0))];
        assert!(to_fill(&links).is_empty());
        assert!(to_fill(&[]).is_empty());
    }
}
