//! Links the `kith` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable is relocated by the dynamic loader at
//! every start: for kith that is about 300 page faults and a third of the
//! time `kith --version` takes, paid again by every command. kith gains
//! nothing from ASLR of its own code that matters next to that (it runs for
//! milliseconds and reads only the user's own files), so on Linux the
//! binary is linked `-no-pie`. Libraries, tests and other platforms are
//! left as they are.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
