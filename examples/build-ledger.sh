#!/usr/bin/env bash
# Rebuilds examples/ledger.json through kith's own commands: a realistic
# network of 16 people over three years that shows every standing, open
# requests both ways, needs, a flagged and an archived person, a birthday
# coming up in the week of 2026-11-20; plus a few imported contacts with
# nothing logged and a stranger who only asked, who stay out of the advice
# (contacts, not relationships).
#
#   examples/build-ledger.sh [path/to/kith]
set -euo pipefail
cd "$(dirname "$0")/.."
kith=${1:-target/release/kith}
[ -x "$kith" ] || cargo build --release --quiet
out=examples/ledger.json
rm -f "$out" "$out.bak" "$out.undo" "$out.lock"
export KITH_LEDGER=$out KITH_TODAY=2026-11-20 NO_COLOR=1
k() { "$kith" -q "$@"; }
req() { "$kith" --json log "$1" --type ask -n 1 | sed -n 's/.*"id": "\(e-[0-9a-f]*\)".*/\1/p' | head -1; }

k config cadence_days 90 2>/dev/null || true

# People
k add "Alice Moreau" --org "Stripe" --email alice@moreau.dev --tag fintech --how-met "Rust meetup" --met-on 2023-12-07 --date "started at Stripe=2022-05-02"
k add "Bob Jones" --org "Freelance" --email bob@jonesconsulting.io --how-met "conference hallway" --met-on 2024-03-14
k add "Carol Diaz" --alias Caz --org "Northwind" --tag in-transition --how-met "former colleague" --met-on 2023-11-20
k add "Dana Whitfield" --org "Sequoia Scout" --tag investor --met-on 2024-06-02
k add "Ethan Brooks" --org "Linear" --tag design --met-on 2024-01-15
k add "Farah Haddad" --org "MIT" --tag student --how-met "mentoring programme" --met-on 2025-09-10 --birthday 2003-11-23
k add "Grace Okafor" --org "Shopify" --tag close --met-on 2023-12-01
k add "Hiro Tanaka" --org "Mercari" --email hiro@mercari.example --met-on 2024-10-03
k add "Isabel Ruiz" --org "Datadog" --tag family --alias Isa --met-on 2023-11-25
k add "Judy Park" --org "Figma" --met-on 2025-02-11
k add "Kofi Mensah" --org "Flutterwave" --tag fintech --met-on 2024-08-19
k add "Lena Vogel" --org "Zalando" --met-on 2024-04-22
k add "Marco Bianchi" --org "Recruiter at TalentCo" --met-on 2025-05-30
k add "Nadia Petrova" --org "Yandex (former)" --tag in-transition --met-on 2026-09-12
k add "Omar Said" --org "Self-employed" --met-on 2024-02-02
k add "Priya Nair" --org "Google" --email priya@nair.example --met-on 2023-12-15

# Alice: reciprocal over years.
k met alice "first coffee after the meetup" --how coffee --date 2023-12-12
k gave alice "reviewed her conference talk" --kind advice --date 2024-01-20
k got alice "intro to the Stripe platform team" --kind intro --date 2024-03-05
k gave alice "referred a senior engineer to her team" --kind referral --date 2024-09-18
k met alice "dinner in Lisbon" --how meal --date 2025-05-14
k got alice "recommendation on LinkedIn" --kind recommendation --date 2025-06-01
k gave alice "intro to a payments lawyer" --kind intro --date 2026-02-10
k met alice "call about her next role" --how call --date 2026-06-22

# Bob: one-way; asks after long silences, never gives.
k met bob "hallway chat" --how event --date 2024-03-14
k asked bob "feedback on his pitch deck" --date 2024-11-02
k gave bob "feedback on his pitch deck" --kind advice --for "$(req bob)" --date 2024-11-06
k asked bob "intro to Dana for his seed round" --date 2025-09-15
k decline "$(req bob)" --note "not a fit for Dana's fund"
k asked bob "a referral at Stripe" --date 2026-11-14

# Carol: you owe her.
k met carol "lunch" --how meal --date 2023-12-04
k got carol "referral that became my current job" --kind job-lead --date 2024-02-19
k got caz "introduced me to two clients" --kind referral --date 2025-04-08
k gave caz "proofread her portfolio" --kind help --date 2025-04-30
k met caz "catch-up call" --how call --date 2026-03-03
k need caz "a product role in climate tech"

# Dana: giving; you gave, nothing back yet; an open request of yours.
k met dana "demo day" --how event --date 2024-06-02
k gave dana "sourced two startups for her pipeline" --kind opportunity --date 2025-01-27
k gave dana "intro to Kofi" --kind intro --date 2025-10-12
k ask dana "feedback on my angel syndicate memo" --date 2026-10-15

# Ethan: reciprocal, going cold.
k met ethan "design systems meetup" --how event --date 2024-01-15
k got ethan "critique of my landing page" --kind advice --date 2024-05-10
k gave ethan "intro to Linear's first designer" --kind intro --date 2024-07-02
k met ethan "coffee" --how coffee --date 2025-03-19

# Farah: student, new; give-first candidate.
k met farah "mentoring kickoff" --how call --date 2025-09-10
k need farah "a summer internship in backend engineering"
k met farah "mock interview" --how call --date 2026-04-14

# Grace: close friend, open request of hers, reciprocal.
k met grace "walk by the canal" --how other --date 2023-12-01
k gave grace "helped her move" --kind help --date 2024-08-03
k got grace "introduced me to her publisher" --kind intro --date 2025-01-09
k gave grace "gift for her new baby" --kind gift --date 2025-11-22
k met grace "dinner" --how meal --date 2026-09-30
k asked grace "feedback on her book proposal" --date 2026-11-18

# Hiro: you asked, he granted; then you nudged another request twice.
k met hiro "Tokyo Rust meetup" --how event --date 2024-10-03
k ask hiro "intro to the Mercari payments team" --date 2024-10-20
k got hiro "intro to the Mercari payments team" --kind intro --for "$(req hiro)" --date 2024-11-04
k gave hiro "reviewed his RFC" --kind advice --date 2025-02-14
k ask hiro "quote for my newsletter" --date 2026-09-20
k nudge "$(req hiro)" --date 2026-10-06
k need hiro "English-speaking speakers for a Tokyo meetup"

# Isabel: family cadence; slightly overdue.
k met isa "Sunday lunch" --how meal --date 2025-12-25
k gave isa "helped with her tax return" --kind help --date 2026-04-10
k got isa "looked after my cat" --kind help --date 2026-08-01
k met isa "birthday call" --how call --date 2026-10-12

# Judy: sent a referral, nothing returned yet.
k met judy "design conference" --how event --date 2025-02-11
k got judy "client referral for a design audit" --kind referral --date 2026-11-01

# Kofi: giving; intro via Dana.
k met kofi "fintech panel" --how event --date 2024-08-19
k gave kofi "intro to Dana" --kind intro --date 2025-10-12
k gave kofi "advice on hiring his first PM" --kind advice --date 2026-05-05

# Lena: new; only met.
k met lena "conference dinner" --how meal --date 2024-04-22

# Marco: a recruiter who only asks; flagged.
k asked marco "candidates for a fintech role" --date 2025-06-10
k asked marco "referrals from my network" --date 2025-12-01
k ask marco "salary benchmarks" --date 2026-01-15
k nudge "$(req marco)" --date 2026-02-01
k flag marco --reason "only appears with requests; reached out once more, no answer"

# Nadia: in transition; new contact, needs help.
k met nadia "alumni event" --how event --date 2026-09-12
k need nadia "a backend role in Berlin"

# Omar: archived.
k met omar "co-working space" --how other --date 2024-02-02
k gave omar "lent him a projector" --kind help --date 2024-02-20
k archive omar

# Priya: reciprocal, long history; an open request she made.
k met priya "Google I/O" --how event --date 2023-12-15
k got priya "referral to a Google team" --kind referral --date 2024-04-02
k gave priya "spoke at her meetup" --kind help --date 2024-06-12
k gave priya "job lead at Alice's team" --kind job-lead --date 2025-03-03
k met priya "coffee" --how coffee --date 2025-08-08
k asked priya "a reference for her visa application" --date 2026-11-10

# More of three years' ordinary life: calls, messages, small favours.
k met alice "message about Rust 2024 edition" --how message --date 2024-11-30
k met alice "coffee in Dublin" --how coffee --date 2025-10-09
k got alice "invited me to speak at Stripe Sessions" --kind opportunity --date 2026-07-30
k gave alice "advice on negotiating her offer" --kind advice --date 2026-08-14
k met carol "her farewell drinks at Northwind" --how event --date 2024-06-28
k gave caz "shared her CV with two hiring managers" --kind help --date 2026-03-05
k met grace "birthday party" --how event --date 2024-12-07
k met grace "call about her book" --how call --date 2025-06-19
k got grace "advice on my first talk" --kind advice --date 2025-07-01
k met priya "call about Google's hiring freeze" --how call --date 2024-01-30
k gave priya "wrote a LinkedIn recommendation" --kind recommendation --date 2024-09-09
k met ethan "message about a freelance gig" --how message --date 2024-10-14
k gave ethan "passed a freelance lead" --kind job-lead --date 2024-10-15
k met kofi "call about Lagos fintech scene" --how call --date 2025-03-12
k met dana "coffee" --how coffee --date 2024-09-17
k met isa "New Year's call" --how call --date 2024-01-01
k gave isa "birthday present" --kind gift --date 2024-10-12
k got isa "helped me paint the flat" --kind help --date 2025-05-03
k met isa "summer holiday together" --how other --date 2025-08-10
k met hiro "video call" --how call --date 2025-06-06
k met lena "message after her talk" --how message --date 2024-11-12
k met judy "coffee in SF" --how coffee --date 2025-09-23
k gave judy "feedback on her portfolio site" --kind advice --date 2025-09-25
k got judy "intro to her design lead" --kind intro --date 2026-02-16
k met nadia "call about Berlin job market" --how call --date 2026-10-28
k met farah "career chat" --how call --date 2025-12-02
k met omar "lunch" --how meal --date 2024-05-15

# Contacts: a handful of imported connections with nothing logged yet
# (one shares Alice's first name), and one of them who then asked for
# something; and a stranger who only asked. None is a relationship, so
# none is ranked in `who`; their requests are listed apart.
contacts=$(mktemp)
trap 'rm -f "$contacts"' EXIT
cat >"$contacts" <<'CSV'
First Name,Last Name,Email Address,Company
Alice,Nguyen,alice.nguyen@example.com,Globex
Bruno,Costa,bruno.costa@example.com,Initech
Chiara,Ferri,chiara.ferri@example.com,Umbrella
Dev,Patel,dev.patel@example.com,Hooli
Elif,Yilmaz,elif.yilmaz@example.com,Vandelay
CSV
k import csv "$contacts" --tag imported
k asked "Bruno Costa" "an intro to your investor friends" --date 2026-11-17
k asked "Victor Vance" "share my crypto course with your network" --add --date 2026-11-19

# This week.
k gave nadia "reviewed her CV for Berlin roles" --kind advice --date 2026-11-16
k met dana "coffee about her new fund" --how coffee --date 2026-11-19
k got isa "birthday dinner" --kind gift --date 2026-11-15

rm -f "$out.bak" "$out.undo" "$out.lock"
echo "wrote $out: $("$kith" --json people --all | grep -c '"id": "p-') people, $("$kith" --json log | grep -c '"id": "e-') entries"
