//! Indicator warnings and the hold rule's history.

use super::*;

// ---- warnings ----

/// One warning for the list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WarningLine {
    pub zone_id: i64,
    pub zone_name: String,
    pub indicator: String,
    pub level: String,
    pub value: Option<String>,
    pub reasons: Vec<String>,
    /// "2024-03 转红" …, oldest first.
    pub history: Vec<String>,
}

pub(super) fn warning_lines(catalog: &Catalog, board: &Board) -> Vec<WarningLine> {
    let n = board.indicators.len();
    let mut lines = Vec::new();
    for (z, (zone_id, zone_name)) in board.zones.iter().enumerate() {
        for (i, ind) in board.indicators.iter().enumerate() {
            let cell = &board.cells[z * n + i];
            if cell.level == Rag::Green {
                continue;
            }
            lines.push(WarningLine {
                zone_id: *zone_id,
                zone_name: zone_name.clone(),
                indicator: ind.row.name.clone(),
                level: cell.level.code().to_owned(),
                value: cell
                    .value
                    .clone()
                    .map(|v| format!("{v}{}", ind.unit_symbol)),
                reasons: reasons(catalog, cell),
                history: cell
                    .history
                    .iter()
                    .map(|t| {
                        catalog.format(
                            "indicator.history_line",
                            &[
                                ("period", &t.period.to_string()),
                                ("change", catalog.t(&format!("Change.{}", t.change.code()))),
                                ("level", catalog.t(&format!("Rag.{}", t.to.code()))),
                            ],
                        )
                    })
                    .collect(),
            });
        }
    }
    lines.sort_by_key(|l| (l.level != "red", l.zone_name.clone()));
    lines
}

#[derive(Template)]
#[template(path = "indicators/warnings.html")]
pub(super) struct WarningsView {
    pub(super) page: PageContext,
    pub(super) board: Board,
    pub(super) lines: Vec<WarningLine>,
}

pub(super) async fn warnings_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<BoardQuery>,
) -> AppResult<Response> {
    let board = load_board(&state, &auth, &query).await?;
    let page = PageContext::new(Some(&auth), "indicators");
    let lines = warning_lines(page.catalog, &board);
    Ok(render(&WarningsView { page, board, lines })?.into_response())
}
