//! `kith review`: the weekly review in one sitting on a terminal.
//!
//! The glue between the pure state machine ([`crate::core::review`]), its
//! screens ([`crate::view::review`]) and the terminal ([`crate::shell::screen`]).
//! Every action is one ordinary write through the store (lock, save, undo
//! step), so quitting or being interrupted at any moment loses nothing.

use std::io::{self, IsTerminal, Write};

use anyhow::Result;

use super::Ctx;
use crate::core::model::Ledger;
use crate::core::review::{self, Form, Key, Review, Step};
use crate::error::Error;
use crate::shell::screen::{Input, Session};
use crate::view::review::{Asking, frame};

pub fn review(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    if !(io::stdin().is_terminal() && io::stdout().is_terminal()) {
        return Err(Error::usage("`kith review` needs a terminal: it reads single keystrokes")
            .hint("`kith who` lists the same suggestions, and `kith followups` the follow-ups due")
            .into());
    }
    let mut ledger = ctx.store.load()?;
    let mut review = Review::new(review::queue(&ledger, ctx.today));
    if review.is_empty() {
        writeln!(
            out,
            "nothing to review: no one to suggest and no follow-ups due as of {}",
            ctx.today
        )?;
        return Ok(());
    }
    {
        let mut session = Session::open()?;
        run(ctx, &mut session, &mut review, &mut ledger)?;
    }
    if !ctx.quiet {
        for line in review.summary() {
            writeln!(out, "{}", crate::view::review::plain(&line))?;
        }
    }
    Ok(())
}

/// The review loop: draw, read a key, act, until the person quits or the
/// queue ends.
fn run(ctx: &Ctx, session: &mut Session, review: &mut Review, ledger: &mut Ledger) -> Result<()> {
    loop {
        draw(ctx, session, review, ledger, None)?;
        let key = match session.input()? {
            Input::Char(c) => Key::Char(c),
            Input::Enter => Key::Enter,
            Input::Esc => Key::Esc,
            Input::Interrupt => Key::Interrupt,
            Input::Backspace | Input::ClearLine | Input::Resize => continue,
        };
        match review.key(key, ledger, ctx.today) {
            Step::Redraw => {}
            Step::Quit => return Ok(()),
            Step::Ask(form) => {
                let Some(form) = ask(ctx, session, review, ledger, form)? else {
                    review.set_message("cancelled: nothing was changed");
                    continue;
                };
                let change = match form.change() {
                    Ok(change) => change,
                    Err(why) => {
                        review.set_message(why);
                        continue;
                    }
                };
                let written = ctx.store.update(|ledger| {
                    let summary = review::apply(ledger, &change, ctx.today, ctx.now)?;
                    Ok((summary.clone(), summary))
                });
                match written {
                    Ok(summary) => review.done(form.action, summary),
                    Err(err) => review.set_message(format!("not saved: {}", one_line(&err))),
                }
                *ledger = ctx.store.load()?;
                review.refresh(ledger, ctx.today);
            }
            Step::Undo(summary) => {
                match ctx.store.undo_expecting(&summary) {
                    Ok(_) => review.undone(),
                    Err(err) => review.set_message(format!("could not undo: {}", one_line(&err))),
                }
                *ledger = ctx.store.load()?;
                review.refresh(ledger, ctx.today);
            }
        }
    }
}

/// Asks the form's questions on the bottom line; `None` when cancelled.
fn ask(
    ctx: &Ctx,
    session: &mut Session,
    review: &Review,
    ledger: &Ledger,
    mut form: Form,
) -> Result<Option<Form>> {
    while let Some(prompt) = form.prompt() {
        let mut typed = String::new();
        let mut problem: Option<String> = None;
        loop {
            let asking = Asking {
                prompt: &prompt,
                typed: &typed,
                problem: problem.as_deref(),
            };
            draw(ctx, session, review, ledger, Some(&asking))?;
            match session.input()? {
                Input::Char(c) => typed.push(c),
                Input::Backspace => {
                    typed.pop();
                }
                Input::ClearLine => typed.clear(),
                Input::Enter => match form.answer(&typed) {
                    Ok(()) => break,
                    Err(why) => problem = Some(why),
                },
                Input::Esc | Input::Interrupt => return Ok(None),
                Input::Resize => {}
            }
        }
    }
    Ok(Some(form))
}

fn draw(
    ctx: &Ctx,
    session: &mut Session,
    review: &Review,
    ledger: &Ledger,
    asking: Option<&Asking>,
) -> Result<()> {
    let (width, _) = session.size();
    let screen = review::screen(review, ledger);
    let frame = frame(review, screen.as_ref(), asking, ctx.look, width);
    session.draw(&frame.lines, frame.cursor_line)
}

/// An error and its causes on one line, for the message under the screen.
fn one_line(err: &anyhow::Error) -> String {
    let causes: Vec<String> = err.chain().map(|c| c.to_string()).collect();
    causes.join(": ").replace('\n', " ")
}
