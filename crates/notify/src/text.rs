//! Text shaping shared by the robot channels: the markdown layout of a notice and
//! byte-limited truncation that never splits a character.

use crate::message::Message;

/// Appended where text was cut, so a reader knows there is more behind the link.
pub(crate) const ELLIPSIS: &str = "…";

/// Cuts `text` to at most `max_bytes` UTF-8 bytes, ending with [`ELLIPSIS`] when
/// anything was removed. Robots count bytes, not characters: one Chinese
/// character is three bytes.
pub(crate) fn truncate_utf8(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_owned();
    }
    let Some(budget) = max_bytes.checked_sub(ELLIPSIS.len()) else {
        return String::new();
    };
    let mut end = budget;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{ELLIPSIS}", &text[..end])
}

/// The notice as robot markdown: heading, body, then the link. When `max_bytes`
/// is exceeded the body is shortened first, so the heading and the link survive.
pub(crate) fn robot_markdown(message: &Message, max_bytes: usize) -> String {
    let head = format!("### {}\n\n", message.title.trim());
    let tail = match &message.link {
        Some(link) => format!("\n\n[查看详情]({link})"),
        None => String::new(),
    };
    let body = message.body_markdown.trim();
    let body_budget = max_bytes.saturating_sub(head.len() + tail.len());
    let full = format!("{head}{}{tail}", truncate_utf8(body, body_budget));
    // Only an absurdly long title or link gets here; cut the whole thing then.
    truncate_utf8(&full, max_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_keeps_char_boundaries_and_limit() {
        // (input, limit, expected)
        let cases = [
            ("短", 10, "短"),
            ("abcdef", 6, "abcdef"),
            ("abcdefg", 6, "abc…"),
            // "预警" is 6 bytes; 4 bytes leave room for 1 byte + "…" (3 bytes), not a whole char.
            ("预警信息", 4, "…"),
            ("预警信息", 7, "预…"),
            ("预警信息", 9, "预警…"),
            ("预警信息", 2, ""),
        ];
        for (input, limit, expected) in cases {
            let cut = truncate_utf8(input, limit);
            assert_eq!(cut, expected, "{input:?} at {limit}");
            assert!(cut.len() <= limit);
        }
    }

    #[test]
    fn markdown_layout_has_heading_body_and_link() {
        let message = Message {
            title: "工业投资滞后预警".into(),
            body_markdown: "2023年6月完成 **41.2%**，低于序时进度 50%。".into(),
            link: Some("https://kfq.example.cn/indicators/7".into()),
        };
        assert_eq!(
            robot_markdown(&message, 4096),
            "### 工业投资滞后预警\n\n2023年6月完成 **41.2%**，低于序时进度 50%。\n\n[查看详情](https://kfq.example.cn/indicators/7)"
        );
    }

    #[test]
    fn long_body_is_cut_but_link_survives() {
        let message = Message {
            title: "标题".into(),
            body_markdown: "隐".repeat(5000),
            link: Some("https://kfq.example.cn/x".into()),
        };
        let text = robot_markdown(&message, 4096);
        assert!(text.len() <= 4096);
        assert!(text.starts_with("### 标题\n\n隐隐"));
        assert!(
            text.ends_with("…\n\n[查看详情](https://kfq.example.cn/x)"),
            "{}",
            &text[text.len() - 60..]
        );
    }
}
