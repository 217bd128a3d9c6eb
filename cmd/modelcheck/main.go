// Command modelcheck lists, checks and replays the protocols of distsys.
//
//	modelcheck list [-json]
//	modelcheck check PROTOCOL [flags]     (modelcheck check PROTOCOL -h lists them)
//	modelcheck replay TRACE [-json]
//	modelcheck hierarchy [-json] [-trace-dir DIR]
//	modelcheck viz TRACE [-format text|mermaid|html] [-o FILE]
//
// Exit codes: 0 ok, 1 a property is violated, 2 usage or input error,
// 3 incomplete (a bound stopped the check before it could conclude).
//
// An OK covers the properties the report lists as checked, no more: the
// report names each property it left out and why ("omitted:", JSON
// "omitted"). A check of a mutant that finds nothing is OK too, exit 0 —
// the properties do hold in the space searched — and says in its result
// that the mutant was NOT caught, and which flags show it (JSON
// "mutant_result", "caught": false). Output files are checked before the
// search; a write that fails after it is reported after the full report,
// with exit 2.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
)

// Exit codes.
const (
	exitOK         = 0
	exitViolated   = 1
	exitUsage      = 2
	exitIncomplete = 3
)

func main() {
	tuneGC()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// tuneGC trades memory for speed unless the user set GOGC or GOMEMLIMIT:
// the checker allocates a successor state per transition and most are
// garbage at once, so collecting less often saves a quarter of the time;
// a soft limit of half the machine's memory keeps the heap in check.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	if total := physicalMemory(); total > 0 {
		debug.SetMemoryLimit(total / 2)
	}
}

// physicalMemory reads MemTotal from /proc/meminfo, or returns 0.
func physicalMemory() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

const usage = `modelcheck: exhaustive model checking of distributed-systems protocols

usage:
  modelcheck list [-json]                 protocols, parameters, properties, mutants
  modelcheck check PROTOCOL [flags]       check a protocol (-h after the name lists its flags)
  modelcheck replay TRACE [-json]         replay a trace file against the spec
  modelcheck hierarchy [-json]            the broadcast hierarchy: every algorithm × every property
  modelcheck viz TRACE [-format F]        draw a trace: -format text, mermaid or html; -o FILE

exit codes: 0 ok, 1 property violated, 2 usage or input error, 3 incomplete
`

// command is a subcommand kept in its own file, which registers it in
// init: run returns the exit code (or an error, printed as one line).
type command struct {
	// Usage is its line in the usage text ("modelcheck run PROTOCOL [flags]   ...").
	Usage string
	Run   func(args []string, stdout, stderr io.Writer) (int, error)
}

// commands are the subcommands registered by their files, by name.
var commands = map[string]command{}

// usageText is the usage with every registered subcommand.
func usageText() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var extra strings.Builder
	for _, n := range names {
		extra.WriteString("  " + commands[n].Usage + "\n")
	}
	head, tail, _ := strings.Cut(usage, "\nexit codes")
	return head + extra.String() + "\nexit codes" + tail
}

// run is main without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText())
		return exitUsage
	}
	var err error
	code := exitOK
	switch args[0] {
	case "list":
		err = cmdList(args[1:], stdout)
	case "check":
		code, err = cmdCheck(args[1:], stdout, stderr)
	case "replay":
		code, err = cmdReplay(args[1:], stdout)
	case "hierarchy":
		code, err = cmdHierarchy(args[1:], stdout, stderr)
	case "viz":
		code, err = cmdViz(args[1:], stdout)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usageText())
		return exitOK
	default:
		c, ok := commands[args[0]]
		if !ok {
			err = usageError{fmt.Errorf("unknown command %q (run modelcheck -h for the list)", args[0])}
			break
		}
		code, err = c.Run(args[1:], stdout, stderr)
	}
	var help helpShown
	switch {
	case errors.As(err, &help):
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "modelcheck: %v\n", err)
		return exitUsage
	}
	return code
}

// usageError is a mistake in the command line.
type usageError struct{ error }

// helpShown means -h printed the usage: exit 0.
type helpShown struct{}

func (helpShown) Error() string { return "help shown" }
