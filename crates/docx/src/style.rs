//! The typography of GB/T 9704-2012 (党政机关公文格式) as paragraph "looks":
//! one table of fonts, sizes, indents and spacing, written both as named
//! styles (styles.xml) and as direct formatting on every paragraph.

/// Millimetres to twips (1/1440 inch), rounded to the nearest.
pub(crate) const fn mm(millimetres: u32) -> u32 {
    (millimetres * 14_400 + 127) / 254
}

pub(crate) const PAGE_WIDTH: u32 = mm(210);
pub(crate) const PAGE_HEIGHT: u32 = mm(297);
pub(crate) const MARGIN_TOP: u32 = mm(37);
pub(crate) const MARGIN_BOTTOM: u32 = mm(35);
pub(crate) const MARGIN_LEFT: u32 = mm(28);
pub(crate) const MARGIN_RIGHT: u32 = mm(26);
/// The page number's line starts 7 mm below the text block; a 14 pt line is
/// about 5 mm, so the footer's bottom sits about 23 mm above the page edge.
pub(crate) const FOOTER_DISTANCE: u32 = mm(23);
pub(crate) const HEADER_DISTANCE: u32 = mm(15);
pub(crate) const TEXT_WIDTH: u32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// 22 lines fill the 225 mm text block exactly, as the standard asks.
pub(crate) const BODY_LINE: u32 = (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / 22;

/// Font names as Chinese Word and WPS installations know them.
pub(crate) const XIAOBIAOSONG: &str = "方正小标宋简体";
pub(crate) const HEITI: &str = "黑体";
pub(crate) const KAITI: &str = "楷体_GB2312";
pub(crate) const FANGSONG: &str = "仿宋_GB2312";
pub(crate) const SONGTI: &str = "宋体";

/// Sizes in half-points, named as the trade names them.
pub(crate) const XIAOCHU: u32 = 72; // 小初 36 pt
pub(crate) const YIHAO: u32 = 52; // 一号 26 pt
pub(crate) const XIAOYI: u32 = 48; // 小一 24 pt
pub(crate) const ERHAO: u32 = 44; // 二号 22 pt
pub(crate) const SANHAO: u32 = 32; // 三号 16 pt
pub(crate) const SIHAO: u32 = 28; // 四号 14 pt
pub(crate) const XIAOSI: u32 = 24; // 小四 12 pt
pub(crate) const WUHAO: u32 = 21; // 五号 10.5 pt

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Jc {
    Left,
    Center,
    Right,
    Both,
}

impl Jc {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Jc::Left => "left",
            Jc::Center => "center",
            Jc::Right => "right",
            Jc::Both => "both",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineSpacing {
    /// Fixed line pitch in twips: keeps the 22-lines-per-page grid.
    Exact(u32),
    /// Single spacing of the font itself, for dense table text.
    Single,
}

/// Red as GB/T 9704 prints the 发文机关标志 and its 分隔线.
pub(crate) const RED: &str = "FF0000";
pub(crate) const BLACK: &str = "000000";

/// A paragraph border drawn as a rule across the text width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rule {
    /// Eighths of a point: 8 ≈ 0.35 mm (the 版记's outer rules), 6 ≈ 0.25 mm
    /// (the rule between its lines).
    pub size: u32,
    pub color: &'static str,
    /// Points between the text and the rule.
    pub space: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Look {
    pub style_id: &'static str,
    /// Word's built-in names for titles and headings make them show in the
    /// navigation pane; the rest are named in Chinese for the style list.
    pub style_name: &'static str,
    pub font: &'static str,
    pub size: u32,
    pub bold: bool,
    pub jc: Jc,
    /// Indents in hundredths of a character, the unit Word and WPS keep for
    /// Chinese text so that the indent follows the font size.
    pub first_line_chars: u32,
    /// A hanging indent, for lines that wrap under the text after a label
    /// (抄送：…); written instead of the first-line indent when set.
    pub hanging_chars: u32,
    pub left_chars: u32,
    pub right_chars: u32,
    pub line: LineSpacing,
    pub before: u32,
    pub after: u32,
    pub outline_level: Option<u8>,
    pub keep_next: bool,
    /// Text colour (hex); none is automatic (black).
    pub color: Option<&'static str>,
    pub border_top: Option<Rule>,
    pub border_bottom: Option<Rule>,
    /// A right-aligned tab stop at the right indent: text after a `\t`
    /// stands flush right (a date opposite the unit's name).
    pub right_tab: bool,
}

impl Look {
    /// Twips of one character of this look's size, for the twips fallback
    /// that accompanies every `*Chars` indent.
    pub(crate) fn chars_to_twips(&self, hundredths: u32) -> u32 {
        hundredths * self.size * 10 / 100
    }
}

pub(crate) const BODY: Look = Look {
    style_id: "Normal",
    style_name: "Normal",
    font: FANGSONG,
    size: SANHAO,
    bold: false,
    jc: Jc::Both,
    first_line_chars: 200,
    hanging_chars: 0,
    left_chars: 0,
    right_chars: 0,
    line: LineSpacing::Exact(BODY_LINE),
    before: 0,
    after: 0,
    outline_level: None,
    keep_next: false,
    color: None,
    border_top: None,
    border_bottom: None,
    right_tab: false,
};

pub(crate) const TITLE: Look = Look {
    style_id: "Title",
    style_name: "Title",
    font: XIAOBIAOSONG,
    size: ERHAO,
    jc: Jc::Center,
    first_line_chars: 0,
    // A 22 pt title needs more than the body pitch; 35 pt keeps wrapped lines apart.
    line: LineSpacing::Exact(700),
    outline_level: Some(0),
    keep_next: true,
    ..BODY
};

pub(crate) const SUBTITLE: Look = Look {
    style_id: "Subtitle",
    style_name: "Subtitle",
    font: KAITI,
    jc: Jc::Center,
    first_line_chars: 0,
    keep_next: true,
    ..BODY
};

pub(crate) const ADDRESSEE: Look = Look {
    style_id: "Addressee",
    style_name: "主送机关",
    jc: Jc::Left,
    first_line_chars: 0,
    ..BODY
};

pub(crate) const HEADING_1: Look = Look {
    style_id: "Heading1",
    style_name: "heading 1",
    font: HEITI,
    outline_level: Some(0),
    keep_next: true,
    ..BODY
};

pub(crate) const HEADING_2: Look = Look {
    style_id: "Heading2",
    style_name: "heading 2",
    font: KAITI,
    outline_level: Some(1),
    keep_next: true,
    ..BODY
};

/// Levels 3 and 4 (1. and （1）) are set in the body face; only the label differs.
pub(crate) const HEADING_3: Look = Look {
    style_id: "Heading3",
    style_name: "heading 3",
    outline_level: Some(2),
    keep_next: true,
    ..BODY
};

pub(crate) const HEADING_4: Look = Look {
    style_id: "Heading4",
    style_name: "heading 4",
    outline_level: Some(3),
    keep_next: true,
    ..BODY
};

pub(crate) const TABLE_CAPTION: Look = Look {
    style_id: "TableCaption",
    style_name: "表题",
    font: HEITI,
    size: SIHAO,
    jc: Jc::Center,
    first_line_chars: 0,
    line: LineSpacing::Single,
    before: 240,
    after: 60,
    keep_next: true,
    ..BODY
};

pub(crate) const TABLE_UNIT: Look = Look {
    style_id: "TableUnit",
    style_name: "表格单位",
    size: XIAOSI,
    jc: Jc::Right,
    first_line_chars: 0,
    line: LineSpacing::Single,
    after: 60,
    keep_next: true,
    ..BODY
};

pub(crate) const TABLE_TEXT: Look = Look {
    style_id: "TableText",
    style_name: "表格文字",
    size: WUHAO,
    jc: Jc::Left,
    first_line_chars: 0,
    line: LineSpacing::Single,
    ..BODY
};

pub(crate) const TABLE_HEADER: Look = Look {
    style_id: "TableHeader",
    style_name: "表头",
    bold: true,
    jc: Jc::Center,
    ..TABLE_TEXT
};

/// 发文机关署名 and 成文日期; the right indent is set per document so that
/// the shorter of the two is centred under the longer.
pub(crate) const CLOSING: Look = Look {
    style_id: "Closing",
    style_name: "落款",
    jc: Jc::Right,
    first_line_chars: 0,
    right_chars: 400,
    ..BODY
};

pub(crate) const FOOTER: Look = Look {
    style_id: "Footer",
    style_name: "footer",
    font: SONGTI,
    size: SIHAO,
    jc: Jc::Right,
    first_line_chars: 0,
    line: LineSpacing::Single,
    ..BODY
};

/// 发文机关标志: red 小标宋, centred; the size is set per document so that
/// the name fits on one line (`masthead_size`).
pub(crate) const MASTHEAD: Look = Look {
    style_id: "Masthead",
    style_name: "发文机关标志",
    font: XIAOBIAOSONG,
    size: XIAOCHU,
    jc: Jc::Center,
    first_line_chars: 0,
    line: LineSpacing::Single,
    keep_next: true,
    color: Some(RED),
    ..BODY
};

/// The issue number under the masthead (2026年第11期).
pub(crate) const ISSUE_NUMBER: Look = Look {
    style_id: "IssueNumber",
    style_name: "期号",
    jc: Jc::Center,
    first_line_chars: 0,
    before: BODY_LINE / 2,
    keep_next: true,
    ..BODY
};

/// The unit on the left and the date on the right, above the red rule.
pub(crate) const IMPRINT: Look = Look {
    style_id: "Imprint",
    style_name: "编发单位和日期",
    jc: Jc::Left,
    first_line_chars: 0,
    keep_next: true,
    right_tab: true,
    ..BODY
};

/// The red 分隔线 across the text width under the head: an empty paragraph
/// with a red bottom border, a short line so that it sits close under the text.
pub(crate) const RED_RULE: Look = Look {
    style_id: "RedRule",
    style_name: "红色分隔线",
    jc: Jc::Left,
    first_line_chars: 0,
    line: LineSpacing::Exact(120),
    after: BODY_LINE,
    border_bottom: Some(Rule {
        size: 12,
        color: RED,
        space: 1,
    }),
    ..BODY
};

/// 版记 (GB/T 9704 7.4): 四号仿宋, one character in from either side.
pub(crate) const COPY_TO: Look = Look {
    style_id: "CopyTo",
    style_name: "抄送机关",
    size: SIHAO,
    jc: Jc::Left,
    first_line_chars: 0,
    // Wrapped lines align under the first name after "抄送：".
    hanging_chars: 300,
    left_chars: 400,
    right_chars: 100,
    line: LineSpacing::Exact(BODY_LINE),
    before: BODY_LINE,
    keep_next: true,
    border_top: Some(Rule {
        size: 8,
        color: BLACK,
        space: 1,
    }),
    border_bottom: Some(Rule {
        size: 6,
        color: BLACK,
        space: 1,
    }),
    ..BODY
};

pub(crate) const PRINTED: Look = Look {
    style_id: "PrintedBy",
    style_name: "印发机关和印发日期",
    size: SIHAO,
    jc: Jc::Left,
    first_line_chars: 0,
    left_chars: 100,
    right_chars: 100,
    line: LineSpacing::Exact(BODY_LINE),
    right_tab: true,
    border_bottom: Some(Rule {
        size: 8,
        color: BLACK,
        space: 1,
    }),
    ..BODY
};

pub(crate) const ALL: [Look; 20] = [
    BODY,
    MASTHEAD,
    ISSUE_NUMBER,
    IMPRINT,
    RED_RULE,
    COPY_TO,
    PRINTED,
    TITLE,
    SUBTITLE,
    ADDRESSEE,
    HEADING_1,
    HEADING_2,
    HEADING_3,
    HEADING_4,
    TABLE_CAPTION,
    TABLE_UNIT,
    TABLE_TEXT,
    TABLE_HEADER,
    CLOSING,
    FOOTER,
];

pub(crate) fn heading(level: u8) -> Look {
    match level.clamp(1, 4) {
        1 => HEADING_1,
        2 => HEADING_2,
        3 => HEADING_3,
        _ => HEADING_4,
    }
}

/// Right indents (hundredths of a character) for the issuer and the date:
/// the date stands four characters from the right (GB/T 9704 7.3.5.1) and the
/// narrower line is centred over the wider one.
pub(crate) fn closing_indents(issuer: &str, date: &str) -> (u32, u32) {
    let (issuer_width, date_width) = (display_width(issuer), display_width(date));
    // Widths are in half characters: centring over a line d half characters
    // wider moves the narrower one in by d/4 characters = d * 25 hundredths.
    if issuer_width <= date_width {
        (400 + (date_width - issuer_width) * 25, 400)
    } else {
        (400, 400 + (issuer_width - date_width) * 25)
    }
}

/// The largest of 小初, 一号, 小一 and 二号 at which the masthead's longest
/// line fits the text width on one line; 二号 (wrapping) beyond that.
pub(crate) fn masthead_size(masthead: &str) -> u32 {
    let half_chars = masthead.lines().map(display_width).max().unwrap_or(0);
    // A character of s half-points is s * 10 twips wide.
    [XIAOCHU, YIHAO, XIAOYI]
        .into_iter()
        .find(|size| half_chars * size * 5 <= TEXT_WIDTH)
        .unwrap_or(ERHAO)
}

/// Width in half characters: ASCII (digits of a date) is half as wide as Chinese.
pub(crate) fn display_width(text: &str) -> u32 {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_geometry_in_twips() {
        assert_eq!((PAGE_WIDTH, PAGE_HEIGHT), (11906, 16838));
        assert_eq!(
            (MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT),
            (2098, 1984, 1587, 1474)
        );
        assert_eq!(TEXT_WIDTH, 8845);
        assert_eq!(BODY_LINE, 579);
    }

    #[test]
    fn masthead_is_as_large_as_fits_one_line() {
        assert_eq!(masthead_size("重点项目推进情况通报"), XIAOCHU);
        assert_eq!(masthead_size("运城经济技术开发区重点项目通报"), YIHAO);
        assert_eq!(
            masthead_size("山西转型综合改革示范区管理委员会重点项目通报"),
            ERHAO
        );
        assert_eq!(masthead_size("很长的名称\n重点项目推进情况通报"), XIAOCHU);
    }

    #[test]
    fn closing_centres_the_narrower_line() {
        // 10 Chinese characters = 20 half characters; "2024年7月5日" = 4+2+1+2+1+2 = 12.
        assert_eq!(display_width("2024年7月5日"), 12);
        assert_eq!(
            closing_indents("临汾经济开发区管委会", "2024年7月5日"),
            (400, 400 + 8 * 25)
        );
        assert_eq!(
            closing_indents("管委会", "2024年7月5日"),
            (400 + 6 * 25, 400)
        );
    }
}
