// Package cli is the modelcheck command line as a library: a protocol
// declared with Declare, served by Main from a user's own main, gets
// every subcommand the course's protocols have — list, check (with -all,
// -json, -html, -trace-out), replay, viz and run.
//
//	func main() { os.Exit(cli.Main(os.Args[1:], lease.Entry())) }
//
// Exit codes: 0 ok, 1 a property is violated, 2 usage or input error, 3
// incomplete (a bound stopped the check before it could conclude).
//
// An OK covers the properties the report lists as checked, no more: the
// report names each property it left out and why ("omitted:", JSON
// "omitted"). A check of a mutant that finds nothing is OK too, exit 0 —
// the properties do hold in the space searched — and says in its result
// that the mutant was NOT caught, and which flags show it (JSON
// "mutant_result", "caught": false). Output files are checked before the
// search; a write that fails after it is reported after the full report,
// with exit 2.
//
// The public surface (Main, Execute, Declare, Protocol, Runtime, Entry,
// Course and the aliases Param, TimerSpec, Replies) is documented with
// the rest of the API in docs/API.md.
package cli
