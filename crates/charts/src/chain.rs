//! The industry-chain map (产业链图谱): the chain's segments as columns
//! (上游 → 中游 → 下游), each link a box filled by its status — hatched red
//! where the zone has no firm, dotted yellow where it has one, green where
//! the link holds — with its name and a line of counts, and an optional
//! link on each box.

use crate::frame::{document, empty_chart, header, legend, Swatch};
use crate::model::{ChainChart, Rag};
use crate::style::{
    rag_background, rag_fill, rag_patterns, Tone, FONT, INK, LINK, MARGIN, MUTED, WIDTH,
};
use crate::svg::{id_prefix, num, safe_href, Svg};
use crate::text::truncate;

const BOX_H: f64 = 50.0;
const BOX_GAP: f64 = 10.0;
const COLUMN_GAP: f64 = 28.0;
const PAD: f64 = 8.0;
const DETAIL_FONT: f64 = FONT;

/// The map as one SVG; a chain with no links gives the "暂无数据" placeholder.
pub fn chain_map(chart: &ChainChart) -> String {
    if chart.columns.iter().all(|c| c.links.is_empty()) {
        return empty_chart("kfq-chain-map", &chart.title);
    }
    let prefix = id_prefix("chain", &format!("{chart:?}"));
    let ncols = chart.columns.len().max(1);
    let col_w = (WIDTH - 2.0 * MARGIN - COLUMN_GAP * (ncols as f64 - 1.0)) / ncols as f64;
    let mut body = Svg::new();
    let mut y = header(&mut body, &chart.title, chart.subtitle.as_deref(), WIDTH);
    let items: Vec<(Swatch, String)> = chart
        .legend
        .iter()
        .map(|(rag, label)| (Swatch::Rag(Some(*rag), Tone::Cell), label.clone()))
        .collect();
    y = legend(&mut body, &items, y + 4.0, &prefix, WIDTH);
    let head_y = y + 24.0;
    let top = head_y + 12.0;
    let rows = chart
        .columns
        .iter()
        .map(|c| c.links.len())
        .max()
        .unwrap_or(0);
    for (i, column) in chart.columns.iter().enumerate() {
        let x = MARGIN + i as f64 * (col_w + COLUMN_GAP);
        let (label, cut) = truncate(&column.label, col_w, FONT);
        body.text_at(
            x + col_w / 2.0,
            head_y,
            &label,
            cut.then_some(column.label.as_str()),
            &[
                ("font-size", &num(FONT)),
                ("font-weight", "bold"),
                ("fill", INK),
                ("text-anchor", "middle"),
                ("class", "segment"),
            ],
        );
        if i + 1 < ncols {
            // The chain runs left to right: an arrow in each gap.
            let ax = x + col_w + 4.0;
            let ay = top + BOX_H / 2.0;
            body.line(
                ax,
                ay,
                ax + COLUMN_GAP - 8.0,
                ay,
                &[("stroke", MUTED), ("stroke-width", "1.5")],
            );
            let tip = format!(
                "{},{} {},{} {},{}",
                num(ax + COLUMN_GAP - 8.0),
                num(ay),
                num(ax + COLUMN_GAP - 14.0),
                num(ay - 4.0),
                num(ax + COLUMN_GAP - 14.0),
                num(ay + 4.0)
            );
            body.empty("polygon", &[("points", &tip), ("fill", MUTED)]);
        }
        for (j, link) in column.links.iter().enumerate() {
            let by = top + j as f64 * (BOX_H + BOX_GAP);
            let href = safe_href(link.href.as_deref());
            if let Some(h) = href {
                body.open("a", &[("href", h)]);
            }
            body.open("g", &[("class", "chain-link")]);
            body.title(&format!("{} — {}", link.name, link.detail));
            let fill = rag_fill(link.rag, Tone::Cell, &prefix);
            body.rect(
                x,
                by,
                col_w,
                BOX_H,
                &[
                    ("fill", &fill),
                    ("stroke", "#868e96"),
                    ("stroke-width", "0.8"),
                    ("rx", "4"),
                ],
            );
            // A plain band under the text keeps it legible on the patterns.
            body.rect(
                x + 3.0,
                by + 4.0,
                col_w - 6.0,
                BOX_H - 8.0,
                &[
                    ("fill", rag_background(link.rag, Tone::Cell)),
                    ("opacity", "0.85"),
                    ("rx", "3"),
                ],
            );
            let (name, _) = truncate(&link.name, col_w - 2.0 * PAD, FONT);
            body.text_at(
                x + PAD,
                by + 20.0,
                &name,
                None,
                &[
                    ("font-size", &num(FONT)),
                    ("font-weight", "bold"),
                    ("fill", if href.is_some() { LINK } else { INK }),
                ],
            );
            let (detail, _) = truncate(&link.detail, col_w - 2.0 * PAD, DETAIL_FONT);
            body.text_at(
                x + PAD,
                by + 40.0,
                &detail,
                None,
                &[("font-size", &num(DETAIL_FONT)), ("fill", MUTED)],
            );
            body.close("g");
            if href.is_some() {
                body.close("a");
            }
        }
    }
    let height = top + rows as f64 * (BOX_H + BOX_GAP) + MARGIN;
    let mut defs = Svg::new();
    rag_patterns(&mut defs, Tone::Cell, &prefix);
    document(
        "kfq-chain-map",
        (WIDTH, height),
        &chart.title,
        &describe(chart),
        Some(defs),
        body,
    )
}

/// The text a screen reader gets: each segment with its links and their state.
fn describe(chart: &ChainChart) -> String {
    let label = |rag: Option<Rag>| {
        chart
            .legend
            .iter()
            .find(|(r, _)| Some(*r) == rag)
            .map(|(_, l)| l.as_str())
            .unwrap_or("")
    };
    chart
        .columns
        .iter()
        .map(|c| {
            let links: Vec<String> = c
                .links
                .iter()
                .map(|l| format!("{}（{}，{}）", l.name, label(l.rag), l.detail))
                .collect();
            format!("{}：{}", c.label, links.join("、"))
        })
        .collect::<Vec<_>>()
        .join("；")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChainBox, ChainColumn};

    fn chart() -> ChainChart {
        let link = |name: &str, rag, href: Option<&str>| ChainBox {
            name: name.into(),
            detail: "企业0 · 在谈1".into(),
            rag,
            href: href.map(Into::into),
        };
        ChainChart {
            title: "煤机制造".into(),
            subtitle: None,
            legend: vec![
                (Rag::Red, "补链".into()),
                (Rag::Yellow, "强链".into()),
                (Rag::Green, "稳链".into()),
            ],
            columns: vec![
                ChainColumn {
                    label: "上游".into(),
                    links: vec![
                        link(
                            "铸件",
                            Some(Rag::Red),
                            Some("/attraction/chains/links/3/edit"),
                        ),
                        link("轴承", Some(Rag::Green), Some("javascript:alert(1)")),
                    ],
                },
                ChainColumn {
                    label: "中游".into(),
                    links: vec![link("液压支架", Some(Rag::Yellow), None)],
                },
                ChainColumn {
                    label: "下游".into(),
                    links: vec![],
                },
            ],
        }
    }

    #[test]
    fn every_link_is_drawn_in_its_segment_with_its_status() {
        let svg = chain_map(&chart());
        assert!(svg.starts_with("<svg"));
        for text in ["上游", "中游", "下游", "铸件", "轴承", "液压支架"] {
            assert!(svg.contains(text), "{text} missing");
        }
        assert_eq!(svg.matches("class=\"chain-link\"").count(), 3);
        assert!(svg.contains("-red)"), "a gap is hatched red");
        assert!(svg.contains("-yellow)"));
        // The screen reader's text names each link's state.
        assert!(svg.contains("铸件（补链"));
    }

    #[test]
    fn only_safe_links_become_clickable() {
        let svg = chain_map(&chart());
        assert!(svg.contains("href=\"/attraction/chains/links/3/edit\""));
        assert!(!svg.contains("javascript:"));
    }

    #[test]
    fn a_chain_without_links_says_so() {
        let mut c = chart();
        for col in &mut c.columns {
            col.links.clear();
        }
        assert!(chain_map(&c).contains("暂无数据"));
    }

    #[test]
    fn the_same_map_draws_the_same_bytes() {
        assert_eq!(chain_map(&chart()), chain_map(&chart()));
    }
}
