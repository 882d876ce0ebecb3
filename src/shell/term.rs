//! The terminal as a place for diagnostics: warnings and notes on stderr.
//! Results go to the `out` a command is given; only this module writes to
//! stderr outside `main`'s error printing.

use std::io::Write;

/// A warning on stderr; a closed stderr is not worth failing over.
pub fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {message}");
}

/// A `note:` line on stderr: something worth knowing about what a command
/// just did (which person a short name reached, a flag you set).
pub fn remark(message: &str) {
    let _ = writeln!(std::io::stderr(), "note: {message}");
}

/// Whether kith can ask a question: stdin and stderr are both terminals.
pub fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// A numbered picker: shows `question` and the `choices` on stderr, one per
/// line as `1) …`, and reads the number of the one meant from stdin. Returns
/// its index, or `None` when the answer is empty or `q`, or stdin ends. Any
/// other answer asks again. Only call it when [`interactive`] is true.
pub fn pick(question: &str, choices: &[String]) -> anyhow::Result<Option<usize>> {
    use std::io::BufRead;
    let mut stderr = std::io::stderr();
    let _ = writeln!(stderr, "{question}");
    for (n, choice) in choices.iter().enumerate() {
        let _ = writeln!(stderr, "  {}) {choice}", n + 1);
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        let _ = write!(stderr, "number (1-{}, q to stop): ", choices.len());
        let _ = stderr.flush();
        let Some(answer) = lines.next().transpose()? else {
            return Ok(None);
        };
        let answer = answer.trim();
        if answer.is_empty() || answer.eq_ignore_ascii_case("q") {
            return Ok(None);
        }
        match answer.parse::<usize>() {
            Ok(n) if (1..=choices.len()).contains(&n) => return Ok(Some(n - 1)),
            _ => {
                let _ = writeln!(stderr, "`{answer}` is not one of 1-{}", choices.len());
            }
        }
    }
}
