//! `kith config`: showing and changing the settings, validated.
//!
//! Keys are `cadence_days`, `cooldown_days`, `followup_days` (positive whole
//! numbers of days), `birthday_days` (how far ahead a birthday shows in `who`,
//! 0 to 366 days: 0 is the day itself), `priority_tags` (a comma-separated list; empty clears it)
//! `auto_commit` (`true`/`false`: commit every write when the ledger is in a
//! git repository set up by `kith sync init`), `me.emails` (the user's own
//! addresses, comma-separated, for calendar and mail imports),
//! `max_attendees` (the largest meeting a calendar import logs), `snapshot`
//! (`true`/`false`: keep the binary snapshot that speeds up reads) and
//! `tag_cadence.TAG` (days, or `none` to remove the tag's cadence). The
//! functions are pure over [`Settings`]; the shell loads and saves.

use anyhow::{Result, bail};

use crate::core::contacts::exchanges::{self, MAX_ATTENDEES, ME_EMAILS};
use crate::core::model::Settings;
use crate::core::snapshot;
use crate::error::Error;

/// The settings key that turns on a git commit after every write.
pub const AUTO_COMMIT: &str = "auto_commit";

/// Whether every write is committed (the ledger sits in a repository set up
/// by `kith sync init`). Kept in the settings' extras: older kiths keep it.
pub fn auto_commit(settings: &Settings) -> bool {
    settings.extra.get(AUTO_COMMIT) == Some(&serde_json::Value::Bool(true))
}

/// The longest cadence or wait kith accepts: ten years.
pub const MAX_DAYS: u32 = 3650;

/// Every setting as `(key, value)`, in a stable order.
pub fn entries(settings: &Settings) -> Vec<(String, String)> {
    let mut all = vec![
        (
            "cadence_days".to_string(),
            settings.cadence_days.to_string(),
        ),
        (
            "cooldown_days".to_string(),
            settings.cooldown_days.to_string(),
        ),
        (
            "followup_days".to_string(),
            settings.followup_days.to_string(),
        ),
        (
            "birthday_days".to_string(),
            settings.birthday_days.to_string(),
        ),
        (
            "priority_tags".to_string(),
            settings.priority_tags.join(","),
        ),
    ];
    all.push((AUTO_COMMIT.to_string(), auto_commit(settings).to_string()));
    all.push((
        snapshot::SETTING.to_string(),
        snapshot::enabled(settings).to_string(),
    ));
    all.push((
        ME_EMAILS.to_string(),
        exchanges::me_emails(settings).join(","),
    ));
    all.push((
        MAX_ATTENDEES.to_string(),
        exchanges::max_attendees(settings).to_string(),
    ));
    for (tag, days) in &settings.tag_cadence {
        all.push((format!("tag_cadence.{tag}"), days.to_string()));
    }
    all
}

/// The value of one setting.
pub fn get(settings: &Settings, key: &str) -> Result<String> {
    if let Some(tag) = key.strip_prefix("tag_cadence.") {
        return Ok(settings
            .tag_cadence
            .get(tag)
            .map(u32::to_string)
            .unwrap_or_else(|| "none".to_string()));
    }
    entries(settings)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .ok_or_else(|| unknown_key(key))
}

fn unknown_key(key: &str) -> anyhow::Error {
    Error::usage(format!("unknown setting `{key}`"))
        .hint("settings are cadence_days, cooldown_days, followup_days, birthday_days, priority_tags, auto_commit, me.emails, max_attendees, snapshot, tag_cadence.TAG")
        .into()
}

fn days(key: &str, value: &str) -> Result<u32> {
    match value.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_DAYS).contains(&n) => Ok(n),
        _ => bail!("`{key}` must be a whole number of days from 1 to {MAX_DAYS}, not `{value}`"),
    }
}

fn tag(text: &str) -> Result<String> {
    let tag = text.trim().to_lowercase();
    if tag.is_empty()
        || tag.len() > 100
        || tag
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == ',')
    {
        bail!("`{text}` is not a tag: use a single word such as `student` or `in-transition`");
    }
    Ok(tag)
}

/// Sets one setting from its text form, and returns the value as now stored.
pub fn set(settings: &mut Settings, key: &str, value: &str) -> Result<String> {
    match key {
        "cadence_days" => settings.cadence_days = days(key, value)?,
        "cooldown_days" => settings.cooldown_days = days(key, value)?,
        "followup_days" => settings.followup_days = days(key, value)?,
        "birthday_days" => match value.trim().parse::<u32>() {
            Ok(n) if n <= 366 => settings.birthday_days = n,
            _ => bail!("`{key}` must be a whole number of days from 0 to 366, not `{value}`"),
        },
        AUTO_COMMIT => match value.trim().to_lowercase().as_str() {
            "true" | "on" | "yes" => {
                settings
                    .extra
                    .insert(key.to_string(), serde_json::Value::Bool(true));
            }
            "false" | "off" | "no" => {
                settings.extra.remove(key);
            }
            _ => bail!("`{key}` is `true` or `false`, not `{value}`"),
        },
        // On by default: only `false` is stored.
        snapshot::SETTING => match value.trim().to_lowercase().as_str() {
            "true" | "on" | "yes" => {
                settings.extra.remove(key);
            }
            "false" | "off" | "no" => {
                settings
                    .extra
                    .insert(key.to_string(), serde_json::Value::Bool(false));
            }
            _ => bail!("`{key}` is `true` or `false`, not `{value}`"),
        },
        ME_EMAILS => {
            let mut emails: Vec<serde_json::Value> = Vec::new();
            for part in value.split(',').filter(|p| !p.trim().is_empty()) {
                let Some(email) = exchanges::address(part) else {
                    bail!("`{}` in `{key}` is not an email address", part.trim());
                };
                if !emails.iter().any(|e| e.as_str() == Some(email.as_str())) {
                    emails.push(email.into());
                }
            }
            if emails.is_empty() {
                settings.extra.remove(key);
            } else {
                settings
                    .extra
                    .insert(key.to_string(), serde_json::Value::Array(emails));
            }
        }
        MAX_ATTENDEES => match value.trim().parse::<u32>() {
            Ok(n) if (1..=10_000).contains(&n) => {
                settings.extra.insert(key.to_string(), n.into());
            }
            _ => bail!("`{key}` must be a whole number of people from 1 to 10000, not `{value}`"),
        },
        "priority_tags" => {
            let mut tags = Vec::new();
            for part in value.split(',').filter(|p| !p.trim().is_empty()) {
                let t = tag(part)?;
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
            settings.priority_tags = tags;
        }
        _ => {
            let Some(name) = key.strip_prefix("tag_cadence.") else {
                return Err(unknown_key(key));
            };
            let name = tag(name)?;
            if value.trim().eq_ignore_ascii_case("none") {
                settings.tag_cadence.remove(&name);
                return Ok("none".to_string());
            }
            settings.tag_cadence.insert(name.clone(), days(key, value)?);
            return get(settings, &format!("tag_cadence.{name}"));
        }
    }
    get(settings, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_commit_is_a_boolean_kept_in_the_settings_extras() {
        let mut s = Settings::default();
        assert_eq!(get(&s, "auto_commit").unwrap(), "false");
        assert_eq!(set(&mut s, "auto_commit", "true").unwrap(), "true");
        assert!(auto_commit(&s));
        assert!(set(&mut s, "auto_commit", "maybe").is_err());
        assert_eq!(set(&mut s, "auto_commit", "off").unwrap(), "false");
        assert!(s.extra.is_empty());
    }

    #[test]
    fn own_addresses_and_meeting_size_are_validated() {
        let mut s = Settings::default();
        assert_eq!(get(&s, "me.emails").unwrap(), "");
        assert_eq!(get(&s, "max_attendees").unwrap(), "8");
        assert_eq!(
            set(&mut s, "me.emails", "Me@X.org, me@work.com,me@x.org").unwrap(),
            "me@x.org,me@work.com"
        );
        assert!(set(&mut s, "me.emails", "me@x.org,not an address").is_err());
        assert_eq!(exchanges::me_emails(&s), ["me@x.org", "me@work.com"]);
        assert_eq!(set(&mut s, "me.emails", "").unwrap(), "");
        assert!(s.extra.is_empty());
        assert_eq!(set(&mut s, "max_attendees", "12").unwrap(), "12");
        assert!(set(&mut s, "max_attendees", "0").is_err());
        assert_eq!(exchanges::max_attendees(&s), 12);
    }

    #[test]
    fn sets_and_validates() {
        let mut s = Settings::default();
        assert_eq!(set(&mut s, "cadence_days", "60").unwrap(), "60");
        assert_eq!(s.cadence_days, 60);
        for bad in ["0", "-3", "ten", "", "99999"] {
            assert!(set(&mut s, "cooldown_days", bad).is_err(), "{bad}");
        }
        assert_eq!(s.cooldown_days, 7);
        assert_eq!(
            set(&mut s, "priority_tags", "Student, founder,,student").unwrap(),
            "student,founder"
        );
        assert_eq!(set(&mut s, "tag_cadence.family", "14").unwrap(), "14");
        assert_eq!(get(&s, "tag_cadence.family").unwrap(), "14");
        assert_eq!(set(&mut s, "tag_cadence.family", "none").unwrap(), "none");
        assert!(s.tag_cadence.is_empty());
        assert!(set(&mut s, "colour", "red").is_err());
        let unknown = get(&s, "colour").unwrap_err();
        assert_eq!(crate::error::kind_of(&unknown), crate::error::Kind::Usage);
        assert_eq!(unknown.to_string(), "unknown setting `colour`");
        assert!(crate::error::hints_of(&unknown)[0].contains("cadence_days"));
        assert!(set(&mut s, "tag_cadence.", "3").is_err());
        assert_eq!(entries(&s).len(), 9);
        assert_eq!(get(&s, "birthday_days").unwrap(), "7");
        assert_eq!(set(&mut s, "birthday_days", "0").unwrap(), "0");
        for bad in ["367", "-1", "a week"] {
            assert!(set(&mut s, "birthday_days", bad).is_err(), "{bad}");
        }
        assert_eq!(s.birthday_days, 0);
    }
}
