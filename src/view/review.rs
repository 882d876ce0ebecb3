//! The review's screens as lines of text: the current person, the keys, the
//! question being asked. The terminal driver draws these lines in place; no
//! decision about the review is made here.

use crate::core::review::{KEYS, Prompt, Review, Screen};
use crate::view::Look;
pub use crate::view::shown::plain;

/// The one-line list of keys under every screen.
const FOOTER: &str = "g gave · m met · n need · s snooze · f flag · x nudged · space next · u undo · ? keys · q quit";

/// What is being typed, under the screen.
pub struct Asking<'a> {
    pub prompt: &'a Prompt,
    pub typed: &'a str,
    /// Why the last answer was refused.
    pub problem: Option<&'a str>,
}

/// One frame: its lines (each at most `width` characters before colour)
/// and, while an answer is being typed, the line the cursor ends.
pub struct Frame {
    pub lines: Vec<String>,
    pub cursor_line: Option<usize>,
}

/// The lines of one frame.
pub fn frame(
    review: &Review,
    screen: Option<&Screen>,
    asking: Option<&Asking>,
    look: Look,
    width: usize,
) -> Frame {
    let mut out = Lines {
        lines: Vec::new(),
        look,
        width,
    };
    if review.showing_help() {
        out.put("kith review — the keys", 0, Style::Bold);
        out.put("", 0, Style::Plain);
        for (key, what) in KEYS {
            out.put(&format!("  {key:<12} {what}"), 15, Style::Plain);
        }
        out.put("", 0, Style::Plain);
        out.put("press any key to go back", 0, Style::Dim);
        return Frame {
            lines: out.lines,
            cursor_line: None,
        };
    }
    match screen {
        Some(screen) => {
            out.put(
                &format!(
                    "kith review · {} of {} · {}",
                    screen.position, screen.total, screen.heading
                ),
                0,
                Style::Dim,
            );
            out.put(&screen.name, 0, Style::Bold);
            for reason in &screen.reasons {
                out.put(&format!("  · {reason}"), 4, Style::Plain);
            }
            if !screen.needs.is_empty() {
                out.put(
                    &format!("  · looking for: {}", screen.needs.join("; ")),
                    4,
                    Style::Plain,
                );
            }
            out.put("", 0, Style::Plain);
            if screen.recent.is_empty() {
                out.put("  nothing logged with them yet", 2, Style::Dim);
            } else {
                out.put("  latest", 2, Style::Dim);
                for (date, kind, what) in &screen.recent {
                    out.put(&format!("    {date}  {kind:<4}  {what}"), 22, Style::Plain);
                }
            }
        }
        None => out.put("the review is over", 0, Style::Plain),
    }
    out.put("", 0, Style::Plain);
    let mut cursor_line = None;
    match asking {
        Some(asking) => {
            let default = match asking.prompt.default.as_deref() {
                Some("") => " [enter to skip]".to_string(),
                Some(default) => format!(" [{default}]"),
                None => String::new(),
            };
            out.put(
                &format!("{}{default}: {}", asking.prompt.question, asking.typed),
                2,
                Style::Plain,
            );
            cursor_line = out.lines.len().checked_sub(1);
            match (asking.problem, &asking.prompt.choices) {
                (Some(problem), _) => out.put(&format!("  {problem}"), 2, Style::Plain),
                (None, Some(choices)) => out.put(&format!("  {choices}"), 2, Style::Dim),
                (None, None) => out.put("  enter to answer · esc to cancel", 2, Style::Dim),
            }
        }
        None => {
            out.put(review.message().unwrap_or_default(), 2, Style::Plain);
            out.put(FOOTER, 0, Style::Dim);
        }
    }
    Frame {
        lines: out.lines,
        cursor_line,
    }
}

/// Lines being laid out: wrapped to the width, styled.
struct Lines {
    lines: Vec<String>,
    look: Look,
    width: usize,
}

impl Lines {
    fn put(&mut self, text: &str, indent: usize, style: Style) {
        for line in wrap(&plain(text), self.width, indent) {
            self.lines.push(match style {
                Style::Plain => line,
                Style::Bold => self.look.bold(&line),
                Style::Dim => self.look.dim(&line),
            });
        }
    }
}

#[derive(Clone, Copy)]
enum Style {
    Plain,
    Bold,
    Dim,
}

/// `text` in lines of at most `width` characters, broken at spaces where
/// possible; lines after the first are indented by `indent`.
fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let width = width.max(indent + 10);
    let mut lines = Vec::new();
    let mut rest: Vec<char> = text.chars().collect();
    let mut first = true;
    loop {
        let room = if first { width } else { width - indent };
        let prefix = if first {
            String::new()
        } else {
            " ".repeat(indent)
        };
        if rest.len() <= room {
            lines.push(format!("{prefix}{}", rest.iter().collect::<String>()));
            return lines;
        }
        let cut = rest
            .get(..=room)
            .and_then(|head| head.iter().rposition(|c| *c == ' '))
            .filter(|at| *at > 0)
            .unwrap_or(room);
        let head: String = rest.drain(..cut).collect();
        lines.push(format!("{prefix}{}", head.trim_end()));
        while rest.first() == Some(&' ') {
            rest.remove(0);
        }
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_escaped_and_lines_fit() {
        assert_eq!(plain("a\u{202E}b\x1b[2J"), "a\\u{202e}b\\u{1b}[2J");
        assert_eq!(wrap("abc", 20, 2), ["abc"]);
        assert_eq!(
            wrap("one two three four five six", 12, 2),
            ["one two", "  three four", "  five six"]
        );
        // A word longer than the line is cut.
        assert_eq!(
            wrap(&"x".repeat(25), 12, 2),
            [
                "x".repeat(12),
                format!("  {}", "x".repeat(10)),
                "  xxx".to_string()
            ]
        );
        for line in wrap(
            "Bob Stone sent you an intro on 2026-09-01 — you have not returned it yet",
            20,
            4,
        ) {
            assert!(line.chars().count() <= 20, "{line}");
        }
    }
}
