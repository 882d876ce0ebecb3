//! The terminal as a place for diagnostics and questions: warnings and
//! `note:` lines on stderr, the y/n/a/q prompt of `import --select`, the
//! numbered picker for a name several people share, and progress bars. Results go to
//! the `out` a command is given; apart from `main`'s error printing and the merge
//! driver's report, only this module writes to stderr or reads stdin.

use std::io::{self, BufRead, IsTerminal, Write};

use anyhow::Result;

/// A warning on stderr; a closed stderr is not worth failing over.
pub fn warn(message: &str) {
    note(&format!("warning: {message}"));
}

/// A note on stderr (what kith is waiting for, say), not a warning. Text
/// from data or arguments in it is shown escaped (see `view::escape`).
pub fn note(message: &str) {
    let _ = writeln!(
        io::stderr(),
        "{}",
        crate::view::escape::sanitize(message, false)
    );
}

/// Whether kith can ask questions: stdin and stderr are both terminals.
pub fn can_prompt() -> bool {
    io::stdin().is_terminal() && io::stderr().is_terminal()
}

/// The answers [`choose`] got: every item lands in exactly one list.
#[derive(Debug)]
pub struct Chosen<T> {
    /// Answered yes (or `a`).
    pub kept: Vec<T>,
    /// Answered no.
    pub declined: Vec<T>,
    /// Never asked: the person stopped with `q` or the end of input (Ctrl-D).
    pub unasked: Vec<T>,
}

/// Asks `{verb} {describe(item)}? [y,n,a,q,?]` on stderr for each item and
/// sorts them by the answers. `a` keeps this one and all the rest, `q` (or
/// the end of stdin, Ctrl-D) stops there. After Ctrl-D the line is ended, so
/// what is printed next does not land on the prompt line.
pub fn choose<T>(items: Vec<T>, verb: &str, describe: impl Fn(&T) -> String) -> Result<Chosen<T>> {
    let stdin = io::stdin();
    let mut lines = stdin.lock().lines();
    let mut chosen = Chosen {
        kept: Vec::new(),
        declined: Vec::new(),
        unasked: Vec::new(),
    };
    let mut all = false;
    let mut stopped = false;
    for item in items {
        if stopped {
            chosen.unasked.push(item);
            continue;
        }
        if all {
            chosen.kept.push(item);
            continue;
        }
        loop {
            let question = format!("{verb} {}? [y,n,a,q,?] ", describe(&item));
            let _ = write!(
                io::stderr(),
                "{}",
                crate::view::escape::sanitize(&question, false)
            );
            let Some(answer) = lines.next().transpose()? else {
                // Ctrl-D: the prompt's line was never ended.
                let _ = writeln!(io::stderr());
                stopped = true;
                chosen.unasked.push(item);
                break;
            };
            match answer.trim().to_lowercase().as_str() {
                "y" | "yes" => {
                    chosen.kept.push(item);
                    break;
                }
                "n" | "no" => {
                    chosen.declined.push(item);
                    break;
                }
                "a" | "all" => {
                    all = true;
                    chosen.kept.push(item);
                    break;
                }
                "q" | "quit" => {
                    stopped = true;
                    chosen.unasked.push(item);
                    break;
                }
                _ => {
                    let _ = writeln!(
                        io::stderr(),
                        "y: {verb} this one, n: skip it, a: this and all the rest, q: stop here (keep the ones chosen)"
                    );
                }
            }
        }
    }
    Ok(chosen)
}

/// A progress bar on stderr counting to `len`, drawn with indicatif's
/// `template` (e.g. `"importing {bar:40} {pos}/{len} contacts"`); `None` when
/// stderr is not a terminal, so pipes and logs stay clean.
pub fn progress_bar(len: usize, template: &str) -> Option<indicatif::ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    Some(bar)
}

/// A `note:` line on stderr: something worth knowing about what a command
/// just did (which person a short name reached, a flag you set).
pub fn remark(message: &str) {
    let _ = writeln!(io::stderr(), "note: {message}");
}

/// A numbered picker: shows `question` and the `choices` on stderr, one per
/// line as `1) …`, and reads the number of the one meant from stdin. Returns
/// its index, or `None` when the answer is empty or `q`, or stdin ends. Any
/// other answer asks again. Only call it when [`can_prompt`] is true; `kith
/// PERSON` arguments use it for names several relationships share.
pub fn pick(question: &str, choices: &[String]) -> Result<Option<usize>> {
    let mut stderr = io::stderr();
    let _ = writeln!(stderr, "{question}");
    for (n, choice) in choices.iter().enumerate() {
        let _ = writeln!(stderr, "  {}) {choice}", n + 1);
    }
    let stdin = io::stdin();
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
