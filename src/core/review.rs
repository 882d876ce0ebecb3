//! The weekly review as a pure state machine: the queue of people to go
//! through, what each key asks for, the questions an action asks and the
//! ledger change its answers make, and the summary at the end.
//!
//! The queue is `who`'s suggestions in rank order (birthdays included, when
//! `who` ranks them), then the follow-ups due on your own requests. The
//! terminal driver (`shell::review`) feeds keys and answers in and performs
//! each [`Change`] as one ordinary write, so an interrupted review loses
//! nothing; this module decides everything else and never touches the disk
//! or the terminal.

use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::core::advice::{self, Followup, FollowupAction, Suggestion};
use crate::core::dates;
use crate::core::index::Index;
use crate::core::ledger::{self, RequestChange, Snooze, check_text};
use crate::core::model::{
    Detail, Entry, Favour, Flag, How, Kind, Ledger, MAX_WEIGHT, MIN_WEIGHT, Meeting, Status,
};
use crate::core::reciprocity::cadence_days;

/// How many of a person's latest entries a screen shows.
pub const RECENT: usize = 3;

/// One stop of the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// Someone `who` suggests helping.
    Suggestion(Suggestion),
    /// One of your requests that is due a follow-up.
    Followup(Followup),
}

impl Item {
    /// The person this stop is about.
    pub fn person_id(&self) -> &str {
        match self {
            Item::Suggestion(s) => &s.id,
            Item::Followup(f) => &f.id,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Item::Suggestion(s) => &s.name,
            Item::Followup(f) => &f.name,
        }
    }
}

/// This week's review as of `today`: suggestions, then follow-ups due.
/// Upcoming birthdays and labelled dates come with the suggestions: `who`
/// ranks them as a tier of their own (right after open requests), and a
/// birthday lifts the cooldown, so everyone kith reminds of a birthday is
/// already among them.
pub fn queue(ledger: &Ledger, today: NaiveDate) -> Vec<Item> {
    let index = Index::new(ledger);
    let suggestions = advice::who(&index, today).into_iter().map(Item::Suggestion);
    let followups = advice::followups(&index, today)
        .into_iter()
        .map(Item::Followup);
    suggestions.chain(followups).collect()
}

/// A key the person pressed, as the driver reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Esc,
    /// Ctrl-C or Ctrl-D.
    Interrupt,
}

/// What an action key does to the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Gave,
    Met,
    Need,
    Snooze,
    Flag,
    Nudge,
}

/// What the driver should do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Draw the screen again (the position or the message changed).
    Redraw,
    /// Ask the questions of this form, then perform its change.
    Ask(Form),
    /// Take back the last change made in this review, whose journal summary this is.
    Undo(String),
    /// End the review and print the summary.
    Quit,
}

/// The keys, for the `?` screen and the footer.
pub const KEYS: &[(&str, &str)] = &[
    ("g", "log a favour you gave"),
    ("m", "log that you met"),
    ("n", "record a need"),
    ("s", "snooze"),
    ("f", "flag (stop suggesting them)"),
    ("x", "mark a follow-up as nudged"),
    ("space/enter", "next person"),
    ("u", "undo the last action of this review"),
    ("?", "show the keys"),
    ("q", "quit"),
];

/// One change made during the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    /// The journal summary of the write, e.g. "you gave Ann Lee: …".
    pub summary: String,
    /// The stop it was taken at.
    pub at: usize,
}

/// The review in progress.
#[derive(Debug, Clone)]
pub struct Review {
    queue: Vec<Item>,
    at: usize,
    taken: Vec<Taken>,
    seen: usize,
    help: bool,
    message: Option<String>,
}

impl Review {
    pub fn new(queue: Vec<Item>) -> Review {
        let seen = usize::from(!queue.is_empty());
        Review {
            queue,
            at: 0,
            taken: Vec::new(),
            seen,
            help: false,
            message: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// The current stop, or `None` past the end.
    pub fn current(&self) -> Option<&Item> {
        self.queue.get(self.at)
    }

    /// (1-based position, total).
    pub fn position(&self) -> (usize, usize) {
        (self.at + 1, self.queue.len())
    }

    /// Whether the keys screen is showing.
    pub fn showing_help(&self) -> bool {
        self.help
    }

    /// The line under the screen: what just happened, or why not.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn set_message(&mut self, message: impl Into<String>) {
        self.message = Some(message.into());
    }

    /// The changes made so far (and not undone), oldest first.
    pub fn taken(&self) -> &[Taken] {
        &self.taken
    }

    /// What a key does, given the ledger as it is now.
    pub fn key(&mut self, key: Key, ledger: &Ledger, today: NaiveDate) -> Step {
        if self.help {
            self.help = false;
            return match key {
                Key::Char('q') | Key::Interrupt => Step::Quit,
                _ => Step::Redraw,
            };
        }
        self.message = None;
        match key {
            Key::Char('q') | Key::Interrupt | Key::Esc => Step::Quit,
            Key::Char(' ') | Key::Enter => {
                self.next();
                if self.current().is_none() {
                    Step::Quit
                } else {
                    Step::Redraw
                }
            }
            Key::Char('?') | Key::Char('h') => {
                self.help = true;
                Step::Redraw
            }
            Key::Char('u') => match self.taken.last() {
                Some(last) => Step::Undo(last.summary.clone()),
                None => {
                    self.message = Some("nothing to undo in this review".into());
                    Step::Redraw
                }
            },
            Key::Char(c) => {
                let action = match c {
                    'g' => Action::Gave,
                    'm' => Action::Met,
                    'n' => Action::Need,
                    's' => Action::Snooze,
                    'f' => Action::Flag,
                    'x' => Action::Nudge,
                    _ => {
                        self.message = Some(format!("no key `{c}` — press ? for the keys"));
                        return Step::Redraw;
                    }
                };
                match self.form(action, ledger, today) {
                    Ok(form) => Step::Ask(form),
                    Err(why) => {
                        self.message = Some(why);
                        Step::Redraw
                    }
                }
            }
        }
    }

    /// The questions `action` asks about the current person.
    fn form(&self, action: Action, ledger: &Ledger, today: NaiveDate) -> Result<Form, String> {
        let item = self
            .current()
            .ok_or_else(|| "the review is over".to_string())?;
        let person = ledger
            .person(item.person_id())
            .ok_or_else(|| format!("{} is no longer in the ledger", item.name()))?;
        let request = match action {
            Action::Nudge => Some(self.followup_request(item, ledger, today)?),
            _ => None,
        };
        let snooze_days = cadence_days(&ledger.settings, person);
        Ok(Form {
            action,
            person: person.id.clone(),
            name: person.name.clone(),
            request,
            today,
            snooze_days,
            answers: Vec::new(),
        })
    }

    /// The request `x` nudges: the stop's own, or the person's due follow-up.
    fn followup_request(
        &self,
        item: &Item,
        ledger: &Ledger,
        today: NaiveDate,
    ) -> Result<String, String> {
        let due = match item {
            Item::Followup(f) => Some(f.clone()),
            Item::Suggestion(s) => advice::followups(&Index::new(ledger), today)
                .into_iter()
                .find(|f| f.id == s.id),
        };
        let still_open = |f: &Followup| {
            ledger
                .entry(&f.request)
                .and_then(Entry::request)
                .is_some_and(|r| r.status == Status::Open)
        };
        match due {
            Some(f) if still_open(&f) => Ok(f.request),
            _ => Err(format!("no follow-up is due with {}", item.name())),
        }
    }

    /// Moves to the next stop.
    pub fn next(&mut self) {
        if self.at < self.queue.len() {
            self.at += 1;
        }
        if self.at < self.queue.len() {
            self.seen = self.seen.max(self.at + 1);
        }
    }

    /// Records a change the driver made; snoozing or flagging someone is the
    /// end of their stop, so the review moves on.
    pub fn done(&mut self, action: Action, summary: String) {
        self.taken.push(Taken {
            summary: summary.clone(),
            at: self.at,
        });
        self.message = Some(summary);
        if matches!(action, Action::Snooze | Action::Flag) {
            self.next();
        }
    }

    /// Brings every stop's reasons up to date after a write: someone you
    /// just helped may have no reason left this week, and an undo may bring
    /// one back. The order of the stops stays as it was.
    pub fn refresh(&mut self, ledger: &Ledger, today: NaiveDate) {
        let index = Index::new(ledger);
        let mut suggestions: std::collections::HashMap<String, Suggestion> =
            advice::who(&index, today)
                .into_iter()
                .map(|s| (s.id.clone(), s))
                .collect();
        let mut due: std::collections::HashMap<String, Followup> = advice::followups(&index, today)
            .into_iter()
            .map(|f| (f.request.clone(), f))
            .collect();
        for item in &mut self.queue {
            match item {
                Item::Suggestion(s) => match suggestions.remove(&s.id) {
                    Some(fresh) => *s = fresh,
                    None => s.reasons.clear(),
                },
                Item::Followup(f) => match due.remove(&f.request) {
                    Some(fresh) => *f = fresh,
                    None => f.text.clear(),
                },
            }
        }
    }

    /// Records that the last change was taken back: back to its stop.
    pub fn undone(&mut self) {
        if let Some(last) = self.taken.pop() {
            self.at = last.at;
            self.message = Some(format!("undid: {}", last.summary));
        }
    }

    /// The end of the review, in lines.
    pub fn summary(&self) -> Vec<String> {
        let (_, total) = self.position();
        let mut lines = vec![format!(
            "review: {} of {} {} seen, {} logged",
            self.seen,
            total,
            if total == 1 { "stop" } else { "stops" },
            match self.taken.len() {
                0 => "nothing".to_string(),
                1 => "1 change".to_string(),
                n => format!("{n} changes"),
            }
        )];
        lines.extend(self.taken.iter().map(|t| format!("  · {}", t.summary)));
        lines
    }
}

/// One question of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub question: String,
    /// What an empty answer means, shown in brackets.
    pub default: Option<String>,
    /// The answers there are to choose from, when the choice is closed.
    pub choices: Option<String>,
}

/// The questions an action asks, answered one at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub action: Action,
    person: String,
    name: String,
    request: Option<String>,
    today: NaiveDate,
    snooze_days: u32,
    answers: Vec<String>,
}

impl Form {
    /// The next question, or `None` when every one is answered.
    pub fn prompt(&self) -> Option<Prompt> {
        let name = &self.name;
        let ask = |question: String, default: Option<String>| {
            Some(Prompt {
                question,
                default,
                choices: None,
            })
        };
        let choose = |question: &str, default: String, choices: String| {
            Some(Prompt {
                question: question.to_string(),
                default: Some(default),
                choices: Some(choices),
            })
        };
        match (self.action, self.answers.len()) {
            (Action::Gave, 0) => ask(format!("what did you give {name}?"), None),
            (Action::Gave, 1) => choose(
                "kind of favour",
                Kind::Other.to_string(),
                Kind::ALL
                    .iter()
                    .map(|k| format!("{k} {}", k.default_weight()))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (Action::Gave, 2) => ask(
                "weight, 1 to 5".into(),
                Some(self.kind().default_weight().to_string()),
            ),
            (Action::Met, 0) => choose(
                &format!("how did you meet {name}?"),
                How::Other.to_string(),
                How::names(),
            ),
            (Action::Met, 1) => ask("a note (optional)".into(), Some(String::new())),
            (Action::Need, 0) => ask(format!("what is {name} looking for?"), None),
            (Action::Snooze, 0) => ask(
                "snooze for how many days, or until when?".into(),
                Some(format!(
                    "{} days, until {}",
                    self.snooze_days,
                    self.snooze_until(None).unwrap_or(self.today)
                )),
            ),
            (Action::Flag, 0) => ask(
                "why, for your own memory (optional)".into(),
                Some(String::new()),
            ),
            _ => None,
        }
    }

    /// Takes an answer to the current question; an empty one takes the default.
    /// A wrong answer is refused with the reason, and the question stays.
    pub fn answer(&mut self, text: &str) -> Result<(), String> {
        let Some(prompt) = self.prompt() else {
            return Ok(());
        };
        let text = text.trim();
        if text.is_empty() && prompt.default.is_none() {
            return Err("an answer is needed (Esc cancels)".into());
        }
        let error = |e: anyhow::Error| e.to_string();
        match (self.action, self.answers.len()) {
            (Action::Gave, 0) => {
                check_text("favour text", text, false).map_err(error)?;
            }
            (Action::Gave, 1) if !text.is_empty() => {
                text.to_lowercase().parse::<Kind>()?;
            }
            (Action::Gave, 2) if !text.is_empty() => {
                text.parse::<u8>()
                    .ok()
                    .filter(|w| (MIN_WEIGHT..=MAX_WEIGHT).contains(w))
                    .ok_or_else(|| format!("`{text}` is not a weight from 1 to 5"))?;
            }
            (Action::Met, 0) if !text.is_empty() => {
                text.to_lowercase().parse::<How>()?;
            }
            (Action::Met, 1) | (Action::Flag, 0) if !text.is_empty() => {
                check_text("note", text, true).map_err(error)?;
            }
            (Action::Need, 0) => {
                check_text("need", text, false).map_err(error)?;
            }
            (Action::Snooze, 0) => {
                self.snooze_until(Some(text))?;
            }
            _ => {}
        }
        self.answers.push(text.to_string());
        Ok(())
    }

    fn answer_at(&self, at: usize) -> Option<&str> {
        self.answers
            .get(at)
            .map(String::as_str)
            .filter(|a| !a.is_empty())
    }

    fn kind(&self) -> Kind {
        self.answer_at(1)
            .and_then(|k| k.to_lowercase().parse().ok())
            .unwrap_or(Kind::Other)
    }

    /// The snooze end for an answer: a number of days, or a date after today.
    fn snooze_until(&self, answer: Option<&str>) -> Result<NaiveDate, String> {
        let answer = answer.filter(|a| !a.is_empty());
        let until = match answer {
            None => self
                .today
                .checked_add_days(Days::new(self.snooze_days.into())),
            Some(text) => match text.parse::<u32>() {
                Ok(days) => {
                    ledger::check_days(days).map_err(|e| e.to_string())?;
                    self.today.checked_add_days(Days::new(days.into()))
                }
                Err(_) => Some(dates::parse(text, self.today)?),
            },
        }
        .ok_or_else(|| "that date is out of range".to_string())?;
        if until <= self.today {
            return Err(format!(
                "{until} is not after today ({}); snooze until a later date",
                self.today
            ));
        }
        Ok(until)
    }

    /// The ledger change the answers make, once every question is answered.
    pub fn change(&self) -> Result<Change, String> {
        if self.prompt().is_some() {
            return Err("the form is not finished".into());
        }
        let person = self.person.clone();
        let text = |at: usize| self.answer_at(at).map(String::from);
        let change = match self.action {
            Action::Gave => {
                let kind = self.kind();
                let weight = self
                    .answer_at(2)
                    .and_then(|w| w.parse().ok())
                    .unwrap_or_else(|| kind.default_weight());
                Change::Gave {
                    person,
                    what: text(0).unwrap_or_default(),
                    kind,
                    weight,
                }
            }
            Action::Met => Change::Met {
                person,
                how: self
                    .answer_at(0)
                    .and_then(|h| h.to_lowercase().parse().ok())
                    .unwrap_or(How::Other),
                note: text(1),
            },
            Action::Need => Change::Need {
                person,
                text: text(0).unwrap_or_default(),
            },
            Action::Snooze => Change::Snooze {
                person,
                until: self.snooze_until(self.answer_at(0))?,
            },
            Action::Flag => Change::Flag {
                person,
                reason: text(0),
            },
            Action::Nudge => Change::Nudge {
                request: self.request.clone().unwrap_or_default(),
            },
        };
        Ok(change)
    }
}

/// One write the review makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Gave {
        person: String,
        what: String,
        kind: Kind,
        weight: u8,
    },
    Met {
        person: String,
        how: How,
        note: Option<String>,
    },
    Need {
        person: String,
        text: String,
    },
    Snooze {
        person: String,
        until: NaiveDate,
    },
    Flag {
        person: String,
        reason: Option<String>,
    },
    Nudge {
        request: String,
    },
}

/// Makes `change` on the ledger, dated `today`; returns its one-line summary
/// (the undo journal's, and the review's). Fails, changing nothing that the
/// caller keeps, when the ledger moved under the review (the person is gone,
/// the request closed, a nudge already noted today).
pub fn apply(
    ledger: &mut Ledger,
    change: &Change,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String> {
    let name_of = |ledger: &Ledger, id: &str| -> Result<String> {
        ledger
            .person(id)
            .map(|p| p.name.clone())
            .ok_or_else(|| anyhow!("they are no longer in the ledger"))
    };
    match change {
        Change::Gave {
            person,
            what,
            kind,
            weight,
        } => {
            let name = name_of(ledger, person)?;
            let what = check_text("favour text", what, false)?;
            let summary = format!("you gave {name}: {what} ({kind}, weight {weight})");
            let favour = Favour {
                what,
                kind: *kind,
                weight: *weight,
                resolves: None,
            };
            ledger::add_entry(ledger, person, today, Detail::Gave(favour), now);
            Ok(summary)
        }
        Change::Met { person, how, note } => {
            let name = name_of(ledger, person)?;
            let note = note
                .as_deref()
                .map(|n| check_text("note", n, true))
                .transpose()?;
            let summary = match &note {
                Some(note) => format!("you met {name} ({how}): {note}"),
                None => format!("you met {name} ({how})"),
            };
            let meeting = Meeting { how: *how, note };
            ledger::add_entry(ledger, person, today, Detail::Met(meeting), now);
            Ok(summary)
        }
        Change::Need { person, text } => {
            let found = ledger
                .person_mut(person)
                .ok_or_else(|| anyhow!("they are no longer in the ledger"))?;
            ledger::add_need(found, text, today)?;
            found.updated = now;
            Ok(format!(
                "noted: {} is looking for {}",
                found.name,
                text.trim()
            ))
        }
        Change::Snooze { person, until } => {
            let until = ledger::snooze_person(ledger, person, Snooze::Until(*until), today, now)?;
            Ok(format!(
                "snoozed {} until {until}",
                name_of(ledger, person)?
            ))
        }
        Change::Flag { person, reason } => {
            let reason = reason
                .as_deref()
                .map(|r| check_text("reason", r, true))
                .transpose()?;
            let found = ledger
                .person_mut(person)
                .ok_or_else(|| anyhow!("they are no longer in the ledger"))?;
            if found.flag.is_some() {
                bail!("{} is already flagged", found.name);
            }
            found.flag = Some(Flag {
                date: today,
                reason,
                extra: Default::default(),
            });
            found.updated = now;
            Ok(format!("flagged {}", found.name))
        }
        Change::Nudge { request } => {
            let id = ledger::change_request(ledger, request, RequestChange::Nudge(today), now)?;
            let entry = ledger
                .entry(&id)
                .ok_or_else(|| anyhow!("the request vanished"))?;
            let what = entry.request().map(|r| r.what.clone()).unwrap_or_default();
            let name = name_of(ledger, &entry.person.clone())?;
            Ok(format!("you reached out to {name} again about: {what}"))
        }
    }
}

/// What one screen of the review shows about the current stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screen {
    pub position: usize,
    pub total: usize,
    pub name: String,
    /// Why they are here: "give first", "follow up", …
    pub heading: String,
    /// The reasons as sentences, then the follow-up's.
    pub reasons: Vec<String>,
    /// Their open needs, as written.
    pub needs: Vec<String>,
    /// Their latest entries, newest first: (date, type, what).
    pub recent: Vec<(NaiveDate, String, String)>,
}

/// The screen for the review's current stop, from the ledger as it is now.
pub fn screen(review: &Review, ledger: &Ledger) -> Option<Screen> {
    let item = review.current()?;
    let (position, total) = review.position();
    let (heading, reasons) = match item {
        Item::Suggestion(s) if s.reasons.is_empty() => (
            "done for now".to_string(),
            vec![format!("nothing more to do for {} this week", s.name)],
        ),
        Item::Suggestion(s) => (
            tier_words(s.tier).to_string(),
            s.reasons.iter().map(|r| r.text.clone()).collect(),
        ),
        Item::Followup(f) if f.text.is_empty() => (
            "done for now".to_string(),
            vec![format!("no follow-up with {} is due any more", f.name)],
        ),
        Item::Followup(f) => (
            match f.action {
                FollowupAction::Nudge => "follow up".to_string(),
                FollowupAction::LetGo => "let go".to_string(),
            },
            vec![f.text.clone()],
        ),
    };
    let person = ledger.person(item.person_id());
    let needs = person
        .map(|p| p.open_needs().map(|n| n.text.clone()).collect())
        .unwrap_or_default();
    let entries: Vec<&Entry> = ledger.entries_of(item.person_id()).collect();
    let recent = entries
        .iter()
        .rev()
        .take(RECENT)
        .map(|e| (e.date, e.entry_type().to_string(), e.summary()))
        .collect();
    Some(Screen {
        position,
        total,
        name: person.map_or_else(|| item.name().to_string(), |p| p.name.clone()),
        heading,
        reasons,
        needs,
        recent,
    })
}

/// The tier of a suggestion in a few words.
pub fn tier_words(code: advice::ReasonCode) -> &'static str {
    match code {
        advice::ReasonCode::OpenRequest => "open request",
        advice::ReasonCode::Birthday => "birthday",
        advice::ReasonCode::YouOwe => "return a favour",
        advice::ReasonCode::GoingCold => "keep in touch",
        advice::ReasonCode::GiveFirst => "give first",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::Direction;
    use crate::core::testkit::{Net, day};

    const TODAY: &str = "2026-11-20";

    fn now() -> DateTime<Utc> {
        "2026-11-20T12:00:00Z".parse().unwrap()
    }

    /// Ann owes nothing but was never given anything, Bob gave more than
    /// he got, and Cy has an unanswered request of yours, nudged never.
    fn network() -> Net {
        let mut net = Net::new();
        let ann = net.person("Ann Lee", "2026-01-01");
        net.met(&ann, "2026-10-01");
        let bob = net.person("Bob Stone", "2026-01-01");
        net.got(&bob, "2026-09-01", "an intro", Kind::Intro);
        let cy = net.person("Cy Young", "2026-01-01");
        net.gave(&cy, "2026-06-01", "advice", Kind::Advice);
        net.met(&cy, "2026-11-18");
        net.asked(
            &cy,
            "2026-10-01",
            "a reference",
            Direction::Out,
            Status::Open,
        );
        net
    }

    fn answer_all(form: &mut Form, answers: &[&str]) {
        for a in answers {
            form.answer(a).unwrap();
        }
        assert!(form.prompt().is_none(), "unanswered: {:?}", form.prompt());
    }

    #[test]
    fn the_queue_is_suggestions_then_followups() {
        let net = network();
        let queue = queue(&net.ledger, day(TODAY));
        let names: Vec<(&str, bool)> = queue
            .iter()
            .map(|i| (i.name(), matches!(i, Item::Followup(_))))
            .collect();
        assert_eq!(
            names,
            [("Bob Stone", false), ("Ann Lee", false), ("Cy Young", true)]
        );
    }

    #[test]
    fn keys_lead_to_forms_moves_undo_and_quit() {
        let net = network();
        let today = day(TODAY);
        let mut review = Review::new(queue(&net.ledger, today));
        assert_eq!(review.position(), (1, 3));
        assert!(
            matches!(review.key(Key::Char('g'), &net.ledger, today), Step::Ask(f) if f.action == Action::Gave)
        );
        assert_eq!(review.key(Key::Char(' '), &net.ledger, today), Step::Redraw);
        assert_eq!(review.position(), (2, 3));
        assert_eq!(review.key(Key::Char('u'), &net.ledger, today), Step::Redraw);
        assert_eq!(review.message(), Some("nothing to undo in this review"));
        // No follow-up with Ann.
        assert_eq!(review.key(Key::Char('x'), &net.ledger, today), Step::Redraw);
        assert!(review.message().unwrap().contains("no follow-up"));
        assert_eq!(review.key(Key::Char('?'), &net.ledger, today), Step::Redraw);
        assert!(review.showing_help());
        assert_eq!(review.key(Key::Char('g'), &net.ledger, today), Step::Redraw);
        assert!(!review.showing_help());
        assert_eq!(review.key(Key::Char('z'), &net.ledger, today), Step::Redraw);
        assert!(review.message().unwrap().contains('?'));
        assert_eq!(review.key(Key::Enter, &net.ledger, today), Step::Redraw);
        assert!(
            matches!(review.key(Key::Char('x'), &net.ledger, today), Step::Ask(f) if f.action == Action::Nudge)
        );
        assert_eq!(review.key(Key::Char(' '), &net.ledger, today), Step::Quit);
        assert_eq!(review.key(Key::Char('q'), &net.ledger, today), Step::Quit);
        assert_eq!(review.key(Key::Interrupt, &net.ledger, today), Step::Quit);
    }

    #[test]
    fn a_favour_form_takes_defaults_by_kind() {
        let net = network();
        let today = day(TODAY);
        let mut review = Review::new(queue(&net.ledger, today));
        let Step::Ask(mut form) = review.key(Key::Char('g'), &net.ledger, today) else {
            panic!("no form")
        };
        assert!(form.prompt().unwrap().question.contains("Bob Stone"));
        assert_eq!(
            form.answer("").unwrap_err(),
            "an answer is needed (Esc cancels)"
        );
        form.answer("an intro to Dana").unwrap();
        assert_eq!(form.prompt().unwrap().default.as_deref(), Some("other"));
        assert!(form.answer("bribe").is_err());
        form.answer("Referral").unwrap();
        assert_eq!(form.prompt().unwrap().default.as_deref(), Some("4"));
        assert!(form.answer("9").is_err());
        form.answer("").unwrap();
        let change = form.change().unwrap();
        assert_eq!(
            change,
            Change::Gave {
                person: review.current().unwrap().person_id().to_string(),
                what: "an intro to Dana".into(),
                kind: Kind::Referral,
                weight: 4
            }
        );
        let mut ledger = net.ledger.clone();
        let summary = apply(&mut ledger, &change, today, now()).unwrap();
        assert_eq!(
            summary,
            "you gave Bob Stone: an intro to Dana (referral, weight 4)"
        );
        assert_eq!(ledger.entries.len(), net.ledger.entries.len() + 1);
        review.done(Action::Gave, summary);
        // Logging a favour stays on the person; the screen shows it first.
        assert_eq!(review.position(), (1, 3));
        let screen = screen(&review, &ledger).unwrap();
        assert_eq!(screen.recent[0].2, "an intro to Dana (referral, weight 4)");
    }

    #[test]
    fn snooze_and_flag_move_on_and_undo_goes_back() {
        let net = network();
        let today = day(TODAY);
        let mut ledger = net.ledger.clone();
        let mut review = Review::new(queue(&ledger, today));
        let Step::Ask(mut form) = review.key(Key::Char('s'), &ledger, today) else {
            panic!("no form")
        };
        let prompt = form.prompt().unwrap();
        assert_eq!(prompt.default.as_deref(), Some("90 days, until 2027-02-18"));
        assert!(
            form.answer("yesterday")
                .unwrap_err()
                .contains("not after today")
        );
        answer_all(&mut form, &["in 2 weeks"]);
        let summary = apply(&mut ledger, &form.change().unwrap(), today, now()).unwrap();
        assert_eq!(summary, "snoozed Bob Stone until 2026-12-04");
        review.done(Action::Snooze, summary.clone());
        assert_eq!(review.position(), (2, 3));

        let Step::Ask(mut form) = review.key(Key::Char('f'), &ledger, today) else {
            panic!("no form")
        };
        answer_all(&mut form, &[""]);
        let flagged = apply(&mut ledger, &form.change().unwrap(), today, now()).unwrap();
        assert_eq!(flagged, "flagged Ann Lee");
        review.done(Action::Flag, flagged.clone());
        assert_eq!(review.position(), (3, 3));

        assert_eq!(
            review.key(Key::Char('u'), &ledger, today),
            Step::Undo(flagged.clone())
        );
        review.undone();
        assert_eq!(review.position(), (2, 3));
        assert_eq!(review.taken().len(), 1);
        assert_eq!(review.message(), Some("undid: flagged Ann Lee"));
        let summary_lines = review.summary();
        assert_eq!(
            summary_lines[0],
            "review: 3 of 3 stops seen, 1 change logged"
        );
        assert_eq!(summary_lines[1], format!("  · {summary}"));
    }

    #[test]
    fn meeting_need_and_nudge_changes() {
        let net = network();
        let today = day(TODAY);
        let mut ledger = net.ledger.clone();
        let mut review = Review::new(queue(&ledger, today));
        let Step::Ask(mut form) = review.key(Key::Char('m'), &ledger, today) else {
            panic!()
        };
        answer_all(&mut form, &["Coffee", "talked about Lyon"]);
        let met = apply(&mut ledger, &form.change().unwrap(), today, now()).unwrap();
        assert_eq!(met, "you met Bob Stone (coffee): talked about Lyon");

        let Step::Ask(mut form) = review.key(Key::Char('n'), &ledger, today) else {
            panic!()
        };
        answer_all(&mut form, &["a flat in Lyon"]);
        let need = apply(&mut ledger, &form.change().unwrap(), today, now()).unwrap();
        assert_eq!(need, "noted: Bob Stone is looking for a flat in Lyon");
        let bob = review.current().unwrap().person_id().to_string();
        assert_eq!(ledger.person(&bob).unwrap().open_needs().count(), 1);

        review.next();
        review.next();
        let Step::Ask(mut form) = review.key(Key::Char('x'), &ledger, today) else {
            panic!()
        };
        answer_all(&mut form, &[]);
        let change = form.change().unwrap();
        let nudged = apply(&mut ledger, &change, today, now()).unwrap();
        assert_eq!(
            nudged,
            "you reached out to Cy Young again about: a reference"
        );
        // Twice the same day is refused, and changes nothing.
        let before = ledger.clone();
        assert!(apply(&mut ledger.clone(), &change, today, now()).is_err());
        assert_eq!(ledger, before);
    }

    #[test]
    fn a_birthday_coming_up_is_a_stop_even_in_cooldown() {
        let mut net = network();
        let dee = net.person("Dee Snow", "2026-01-01");
        net.met(&dee, "2026-11-18");
        net.edit(&dee, |p| p.birthday = "--11-24".parse().ok());
        let queue = queue(&net.ledger, day(TODAY));
        let dee = queue.iter().find(|i| i.name() == "Dee Snow").unwrap();
        assert!(
            matches!(dee, Item::Suggestion(s) if s.tier == advice::ReasonCode::Birthday),
            "{dee:?}"
        );
    }

    #[test]
    fn an_empty_review_says_so() {
        let review = Review::new(Vec::new());
        assert!(review.is_empty());
        assert_eq!(
            review.summary()[0],
            "review: 0 of 0 stops seen, nothing logged"
        );
    }
}
