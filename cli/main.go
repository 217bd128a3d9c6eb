package cli

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

// Main runs the modelcheck command line on args (the arguments after the
// program's name) for the protocols given, on the process's standard
// output and error, and returns the exit code: 0 ok, 1 a property
// violated, 2 usage or input error, 3 incomplete. A user's own main is
//
//	func main() { os.Exit(cli.Main(os.Args[1:], lease.Entry())) }
//
// and serves every subcommand — list, check, replay, viz, run — for its
// protocols; append(cli.Course(), …) serves the course's protocols too
// (and with them the course's experiments: table, hierarchy, generals). A
// declaration that does not validate, or two protocols of one name, is
// reported in one line, exit 2, before any work.
func Main(args []string, entries ...Entry) int {
	tuneGC()
	return Execute(args, os.Stdout, os.Stderr, entries...)
}

// Execute is Main writing to stdout and stderr, for tests and for
// programs that keep the output.
func Execute(args []string, stdout, stderr io.Writer, entries ...Entry) int {
	reg, err := newRegistry(entries)
	if err != nil {
		fmt.Fprintf(stderr, "modelcheck: %v\n", err)
		return exitUsage
	}
	return reg.execute(args, stdout, stderr)
}

// tuneGC trades some memory for speed unless the user set GOGC or
// GOMEMLIMIT: the checker allocates a successor state per transition and
// most are garbage at once, so collecting half as often as by default
// saves time; collecting less often still bought little once worlds came
// to share their nodes and packets, and doubled the peak heap (the
// README's Speed section has the figures). A soft limit of half the
// machine's memory keeps the heap in check.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(200)
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
  modelcheck viz TRACE [-format F]        draw a trace: -format text, mermaid or html; -o FILE

exit codes: 0 ok, 1 property violated, 2 usage or input error, 3 incomplete
`

// command is a subcommand kept in its own file, which registers it in
// init: run returns the exit code (or an error, printed as one line).
type command struct {
	// Usage is its line in the usage text ("modelcheck run PROTOCOL [flags]   ...").
	Usage string
	// Run is a command of the course: it is served with the course's
	// protocols only (Course), and reads the catalog itself.
	Run func(args []string, stdout, stderr io.Writer) (int, error)
	// Serve is a command over the protocols served, whichever they are.
	Serve func(reg *registry, args []string, stdout, stderr io.Writer) (int, error)
}

// commands are the subcommands registered by their files, by name.
var commands = map[string]command{}

// served returns the command called name, if reg serves it.
func (reg *registry) command(name string) (command, bool) {
	c, ok := commands[name]
	if !ok || c.Serve == nil && !reg.course {
		return command{}, false
	}
	return c, true
}

// usageText is the usage with every subcommand reg serves.
func (reg *registry) usageText() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		if _, ok := reg.command(n); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var extra strings.Builder
	for _, n := range names {
		extra.WriteString("  " + commands[n].Usage + "\n")
	}
	head, tail, _ := strings.Cut(usage, "\nexit codes")
	return head + extra.String() + "\nexit codes" + tail
}

// run is Main for the course's protocols, without the process.
func run(args []string, stdout, stderr io.Writer) int {
	return Execute(args, stdout, stderr, Course()...)
}

// execute runs one command line over the protocols reg serves.
func (reg *registry) execute(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, reg.usageText())
		return exitUsage
	}
	var err error
	code := exitOK
	switch args[0] {
	case "list":
		err = cmdList(reg, args[1:], stdout)
	case "check":
		code, err = cmdCheck(reg, args[1:], stdout, stderr)
	case "replay":
		code, err = cmdReplay(reg, args[1:], stdout)
	case "viz":
		code, err = cmdViz(args[1:], stdout)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, reg.usageText())
		return exitOK
	default:
		c, ok := reg.command(args[0])
		switch {
		case !ok:
			err = usageError{fmt.Errorf("unknown command %q (run modelcheck -h for the list)", args[0])}
		case c.Serve != nil:
			code, err = c.Serve(reg, args[1:], stdout, stderr)
		default:
			code, err = c.Run(args[1:], stdout, stderr)
		}
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
