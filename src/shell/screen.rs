//! A full-screen terminal session for `kith review`: single keystrokes in
//! raw mode, and frames drawn in place on the alternate screen.
//!
//! Each frame overwrites the previous one line by line (clearing only what
//! is left of each line and what is below the last), inside a synchronized
//! update where the terminal supports it, so nothing flickers. Dropping the
//! session always gives the terminal back as it was, also after an error.

use std::io::{self, Write};

use anyhow::{Context, Result};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, queue, terminal};

/// What the person did at the keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Char(char),
    Enter,
    Esc,
    Backspace,
    /// Ctrl-U: clear the line being typed.
    ClearLine,
    /// Ctrl-C or Ctrl-D.
    Interrupt,
    /// The window changed size: draw again.
    Resize,
}

/// The terminal, in raw mode on the alternate screen, until dropped.
pub struct Session {
    out: io::Stdout,
}

impl Session {
    pub fn open() -> Result<Session> {
        terminal::enable_raw_mode().context("could not put the terminal in raw mode")?;
        let mut session = Session { out: io::stdout() };
        queue!(session.out, terminal::EnterAlternateScreen, cursor::Hide)?;
        session.out.flush()?;
        Ok(session)
    }

    /// (columns, rows), with a usable fallback when the terminal does not say.
    pub fn size(&self) -> (usize, usize) {
        match terminal::size() {
            Ok((columns, rows)) if columns >= 20 && rows >= 5 => {
                (usize::from(columns), usize::from(rows))
            }
            _ => (80, 24),
        }
    }

    /// Draws `lines` from the top, replacing the previous frame in place;
    /// `cursor_at_end` leaves a visible cursor after the last non-empty
    /// line's text (for typing an answer).
    pub fn draw(&mut self, lines: &[String], cursor_line: Option<usize>) -> Result<()> {
        let (_, rows) = self.size();
        let out = &mut self.out;
        queue!(
            out,
            terminal::BeginSynchronizedUpdate,
            cursor::Hide,
            cursor::MoveTo(0, 0)
        )?;
        for (at, line) in lines.iter().take(rows).enumerate() {
            if at > 0 {
                out.write_all(b"\r\n")?;
            }
            out.write_all(line.as_bytes())?;
            queue!(out, terminal::Clear(terminal::ClearType::UntilNewLine))?;
        }
        queue!(out, terminal::Clear(terminal::ClearType::FromCursorDown))?;
        if let Some(line) = cursor_line.filter(|l| *l < rows.min(lines.len())) {
            let column = lines
                .get(line)
                .map(|l| visible_width(l))
                .unwrap_or_default();
            queue!(
                out,
                cursor::MoveTo(
                    u16::try_from(column).unwrap_or(u16::MAX),
                    u16::try_from(line).unwrap_or(u16::MAX)
                ),
                cursor::Show
            )?;
        }
        queue!(out, terminal::EndSynchronizedUpdate)?;
        out.flush()?;
        Ok(())
    }

    /// Waits for the next key press (or resize).
    pub fn input(&mut self) -> Result<Input> {
        loop {
            match event::read().context("could not read from the terminal")? {
                Event::Key(KeyEvent {
                    code,
                    modifiers,
                    kind: KeyEventKind::Press | KeyEventKind::Repeat,
                    ..
                }) => {
                    let control = modifiers.contains(KeyModifiers::CONTROL);
                    let input = match code {
                        KeyCode::Char('c' | 'd') if control => Input::Interrupt,
                        KeyCode::Char('u') if control => Input::ClearLine,
                        // A newline (Ctrl-J, what scripts and some terminals
                        // send for Enter in raw mode) and Ctrl-M are Enter;
                        // Ctrl-H is the older terminals' Backspace.
                        KeyCode::Char('j' | 'm') if control => Input::Enter,
                        KeyCode::Char('h') if control => Input::Backspace,
                        KeyCode::Char(_) if control => continue,
                        KeyCode::Char(c) => Input::Char(c),
                        KeyCode::Enter => Input::Enter,
                        KeyCode::Esc => Input::Esc,
                        KeyCode::Backspace => Input::Backspace,
                        _ => continue,
                    };
                    return Ok(input);
                }
                Event::Resize(..) => return Ok(Input::Resize),
                _ => continue,
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = queue!(self.out, cursor::Show, terminal::LeaveAlternateScreen);
        let _ = self.out.flush();
        let _ = terminal::disable_raw_mode();
    }
}

/// Characters on screen, not counting the colour escapes kith writes.
fn visible_width(line: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in line.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => width += 1,
        }
    }
    width
}
