package cli

import (
	"flag"
	"fmt"
	"io"

	"github.com/distsys/distsys/traces"
)

// cmdReplay re-executes a trace file against the spec and prints the
// spec's execution — its states, not the file's — with every difference
// from the recorded one, and whether the property is violated again.
// Exit 1 when it is; 0 when it now holds (the spec changed, which the
// differences show); 2 for a file that does not replay, or that was cut
// short or emptied (a counterexample ends at its violation).
func cmdReplay(reg *registry, args []string, stdout io.Writer) (int, error) {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parseFlags(fs, reorder(fs, args), "modelcheck replay TRACE [-json]", stdout); err != nil {
		return exitUsage, err
	}
	if fs.NArg() != 1 {
		return exitUsage, usageError{fmt.Errorf("replay: want one trace file, got %d arguments", fs.NArg())}
	}
	t, err := traces.LoadFile(fs.Arg(0))
	if err != nil {
		return exitUsage, err
	}
	res, err := reg.replay(t)
	if err != nil {
		return exitUsage, fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	code := exitOK
	if res.Violated {
		code = exitViolated
	}
	if *asJSON {
		diffs := res.Differences
		if diffs == nil {
			diffs = []string{}
		}
		return code, writeJSON(stdout, map[string]any{
			"trace": fs.Arg(0), "protocol": res.Trace.Protocol, "params": res.Trace.Params, "settings": res.Trace.Settings,
			"mutant": res.Trace.Mutant, "steps": res.Steps,
			"violated": res.Violated, "property": res.Property, "reason": res.Reason,
			"states": replayStates(res.Trace), "differences": diffs,
		})
	}
	if err := traces.WriteText(stdout, res.Trace); err != nil {
		return exitUsage, err
	}
	if n := len(res.Differences); n > 0 {
		fmt.Fprintf(stdout, "WARNING: the trace file differs from the spec's execution in %d %s (shown above is the spec's; the file was edited, or the spec changed):\n",
			n, plural(n, "place", "places"))
		for _, d := range res.Differences {
			fmt.Fprintf(stdout, "  %s\n", d)
		}
	}
	switch {
	case res.Violated:
		fmt.Fprintf(stdout, "replayed %d steps against the spec: %s is violated again: %s\n", res.Steps, res.Property, res.Reason)
	case res.Property != "" && res.Reason != "":
		fmt.Fprintf(stdout, "replayed %d steps against the spec: %s is no longer violated at the end (the spec changed, or the bug is fixed: its states differ from the recorded ones, above): %s\n", res.Steps, res.Property, res.Reason)
	case res.Property != "":
		fmt.Fprintf(stdout, "replayed %d steps against the spec: %s now HOLDS at the end (the spec changed, or the bug is fixed: its states differ from the recorded ones, above)\n", res.Steps, res.Property)
	default:
		fmt.Fprintf(stdout, "replayed %d steps against the spec\n", res.Steps)
	}
	return code, nil
}

// replayStates lists the spec's state after each step, as the text shows
// it: "step 3 n1: …".
func replayStates(t *traces.Trace) []string {
	out := []string{}
	for _, e := range t.Events {
		if e.State == "" {
			continue
		}
		lane := fmt.Sprint(e.Node)
		if e.Node >= 0 && e.Node < len(t.Nodes) {
			lane = t.Nodes[e.Node]
		}
		out = append(out, fmt.Sprintf("step %d %s: %s", e.Step, lane, e.State))
	}
	return out
}
