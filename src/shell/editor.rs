//! The user's editor: finding `$VISUAL`/`$EDITOR`, and letting them edit a
//! text in a private temp file. What the text means is not this module's
//! business; callers parse and validate what comes back.

use std::io::Write;
use std::path::Path;
use std::process;

use anyhow::{Context, Result, anyhow, bail};

/// `$VISUAL`, else `$EDITOR`, when set to something other than blanks.
pub fn configured() -> Option<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().into_owned())
        .find(|v| !v.trim().is_empty())
}

/// Opens `text` in `editor` in a temp file named `kith-*{suffix}` and returns
/// the saved text. The file is 0600 and removed afterwards.
pub fn edit(editor: &str, text: &str, suffix: &str) -> Result<String> {
    // tempfile creates the file with mode 0600 and removes it when dropped.
    let mut file = tempfile::Builder::new()
        .prefix("kith-person-")
        .suffix(suffix)
        .tempfile()
        .context("could not create a temp file for the editor")?;
    file.write_all(text.as_bytes())?;
    file.as_file().sync_all()?;
    run(editor, file.path())?;
    std::fs::read_to_string(file.path()).context("could not read the edited record")
}

/// Runs `editor` (which may carry arguments, as in `code --wait`) on `path`.
fn run(editor: &str, path: &Path) -> Result<()> {
    let mut words = editor.split_whitespace();
    let program = words
        .next()
        .ok_or_else(|| anyhow!("the editor command is empty"))?;
    let status = process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
        .with_context(|| format!("could not start the editor `{editor}`"))?;
    if !status.success() {
        bail!("the editor `{editor}` failed ({status}); nothing was changed");
    }
    Ok(())
}
