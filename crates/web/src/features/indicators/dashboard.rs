//! The indicator board of a zone, city or province for a month.

use super::*;
use crate::reads::Reads;

// ---- the board ----

#[derive(Template)]
#[template(path = "indicators/board.html")]
pub(super) struct BoardView {
    pub(super) page: PageContext,
    pub(super) board: Board,
    pub(super) units: Vec<(i64, String)>,
    pub(super) is_zone: bool,
    pub(super) chosen: usize,
    pub(super) can_enter: bool,
    pub(super) can_target: bool,
    pub(super) ledger: Option<(i64, String, String)>,
}

/// A position in a list, as templates hand it over (by value or by reference).
pub(super) trait Position {
    fn at(self) -> usize;
}

impl Position for usize {
    fn at(self) -> usize {
        self
    }
}

impl<T: Position + Copy> Position for &T {
    fn at(self) -> usize {
        (*self).at()
    }
}

impl BoardView {
    pub(super) fn cell(&self, zone: impl Position, indicator: impl Position) -> &Cell {
        &self.board.cells[zone.at() * self.board.indicators.len() + indicator.at()]
    }

    pub(super) fn level(&self, cell: &Cell) -> &'static str {
        cell.level.code()
    }

    pub(super) fn level_label(&self, cell: &Cell) -> String {
        self.page.label("Rag", cell.level.code())
    }

    pub(super) fn percent(&self, tenths: &Option<i64>) -> String {
        tenths.map(kfq_indicators::percent).unwrap_or_default()
    }

    pub(super) fn gap(&self, tenths: &Option<i64>) -> String {
        tenths
            .map(|t| {
                let sign = if t > 0 { "+" } else { "" };
                format!("{sign}{}", kfq_indicators::points(t))
            })
            .unwrap_or_default()
    }

    pub(super) fn reasons(&self, cell: &Cell) -> Vec<String> {
        reasons(self.page.catalog, cell)
    }

    /// The zones ranked on the chosen indicator, best first.
    pub(super) fn ranking(&self) -> Vec<(usize, &Cell)> {
        let n = self.board.indicators.len();
        let mut rows: Vec<(usize, &Cell)> = (0..self.board.zones.len())
            .map(|z| (z, &self.board.cells[z * n + self.chosen]))
            .collect();
        rows.sort_by_key(|(z, c)| (c.rank.unwrap_or(u32::MAX), *z));
        rows
    }

    pub(super) fn zone_id(&self, zone: impl Position) -> i64 {
        self.board.zones[zone.at()].0
    }

    pub(super) fn zone_name(&self, zone: impl Position) -> &str {
        &self.board.zones[zone.at()].1
    }

    pub(super) fn chosen_indicator(&self) -> &Indicator {
        &self.board.indicators[self.chosen]
    }

    pub(super) fn scale(&self, ind: &Indicator) -> kfq_charts::Scale {
        kfq_charts::Scale::new(4, ind.unit_symbol).shown(ind.def.unit.decimals())
    }

    pub(super) fn sparkline(&self, cell: &Cell) -> String {
        let ind = self
            .board
            .indicators
            .iter()
            .find(|i| i.row.id == cell.indicator_id);
        let title = self.page.catalog.format(
            "indicator.chart.sparkline",
            &[
                (
                    "indicator",
                    ind.map(|i| i.row.name.as_str()).unwrap_or_default(),
                ),
                ("months", &cell.trend.len().to_string()),
            ],
        );
        kfq_charts::sparkline(&cell.trend, &kfq_charts::Spark::new(title))
    }

    /// The zones ranked on the chosen indicator, as bars coloured by level:
    /// completion against 序时进度 where there are targets, else growth.
    pub(super) fn ranking_chart(&self) -> String {
        let ind = self.chosen_indicator();
        let rows = self.ranking();
        let by_completion = rows
            .iter()
            .any(|(_, c)| c.progress.and_then(|p| p.completion_tenths).is_some());
        let (title, scale) = if by_completion {
            (
                self.page.t("indicator.completion"),
                kfq_charts::Scale::new(1, "%"),
            )
        } else {
            (
                self.page.t("indicator.growth"),
                kfq_charts::Scale::new(1, "%"),
            )
        };
        let title = self.page.catalog.format(
            "indicator.chart.ranking",
            &[("indicator", &ind.row.name), ("measure", title)],
        );
        let mut chart = kfq_charts::BarChart::new(title, scale);
        for (z, c) in rows {
            let value = c.progress.and_then(|p| {
                if by_completion {
                    p.completion_tenths
                } else {
                    p.growth_tenths
                }
            });
            if let Some(value) = value {
                let mut bar = kfq_charts::Bar::new(self.board.zones[z].1.clone(), value)
                    .rag(chart_rag(c.level));
                bar.href = Some(format!(
                    "/indicators?org_id={}&period={}",
                    self.board.zones[z].0, self.board.period
                ));
                chart.bars.push(bar);
            }
        }
        if by_completion {
            chart.reference = Some(kfq_charts::Reference::new(
                self.page.t("indicator.elapsed"),
                kfq_indicators::elapsed_tenths(self.board.month),
            ));
        }
        crate::views::bar_figure(&chart)
    }

    /// The unit's own figure of the chosen indicator over the months.
    pub(super) fn trend_chart(&self) -> String {
        let ind = self.chosen_indicator();
        let title = self.page.catalog.format(
            "indicator.chart.trend",
            &[("unit", &self.board.org_name), ("indicator", &ind.row.name)],
        );
        let mut chart = kfq_charts::LineChart::new(title, self.scale(ind));
        chart.labels = self.board.periods.clone();
        if let Some(total) = self.board.totals.get(self.chosen) {
            chart.series.push(kfq_charts::Series::new(
                self.board.org_name.clone(),
                total.trend.clone(),
            ));
        }
        crate::views::line_figure(&chart)
    }

    pub(super) fn total(&self, indicator: impl Position) -> String {
        self.board
            .totals
            .get(indicator.at())
            .map(|t| match (&t.value, t.missing) {
                (Some(v), _) => v.clone(),
                (None, Some(key)) => self.page.t(key).to_owned(),
                (None, None) => String::new(),
            })
            .unwrap_or_default()
    }
}

pub(super) async fn board_page(
    Reads(state): Reads,
    auth: Auth,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let board = load_board(&state, &auth, &query).await?;
    let org = org_of(&state, &auth, Some(board.org_id)).await?;
    let is_zone = org.kind() == OrgKind::Zone;
    let chosen = query
        .indicator
        .as_deref()
        .and_then(|code| board.indicators.iter().position(|i| i.row.code == code))
        .unwrap_or(0);
    let ledger = if is_zone {
        let filter = kfq_store::LedgerFilter {
            year: board.month.year(),
            month: board.month.month(),
            zone_id: Some(org.id),
            ..Default::default()
        };
        let totals = state
            .store
            .ledger(&auth.principal.zone_data_visibility(), &filter, 0, 1)
            .await?
            .totals;
        Some((
            totals.count,
            totals.total_investment.yi_2(),
            totals.ytd.yi_2(),
        ))
    } else {
        None
    };
    let view = BoardView {
        page: PageContext::new(Some(&auth), "indicators").with_notice(query.notice.as_deref()),
        can_enter: is_zone && auth.principal.can_write_zone_data(&org.org_path()),
        can_target: auth.principal.can_set_targets(&org.org_path()),
        units: board_units(&state, &auth, &org).await?,
        is_zone,
        chosen,
        ledger,
        board,
    };
    Ok(render(&view)?.into_response())
}

pub(super) fn chart_rag(level: Rag) -> kfq_charts::Rag {
    match level {
        Rag::Red => kfq_charts::Rag::Red,
        Rag::Yellow => kfq_charts::Rag::Yellow,
        Rag::Green => kfq_charts::Rag::Green,
    }
}
