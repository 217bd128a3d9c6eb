package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/traces"
)

func cmdReplay(args []string, stdout io.Writer) (int, error) {
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
	res, err := catalog.Replay(t)
	if err != nil {
		return exitUsage, fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	code := exitOK
	if res.Violated {
		code = exitViolated
	}
	if *asJSON {
		return code, writeJSON(stdout, map[string]any{
			"trace": fs.Arg(0), "protocol": t.Protocol, "steps": res.Steps,
			"violated": res.Violated, "property": res.Property, "reason": res.Reason,
		})
	}
	if err := traces.WriteText(stdout, t); err != nil {
		return exitUsage, err
	}
	switch {
	case res.Violated:
		fmt.Fprintf(stdout, "replayed %d steps against the spec: %s is violated again: %s\n", res.Steps, res.Property, res.Reason)
	case res.Property != "":
		fmt.Fprintf(stdout, "replayed %d steps against the spec: %s now HOLDS at the end (the spec changed, or the bug is fixed)\n", res.Steps, res.Property)
	default:
		fmt.Fprintf(stdout, "replayed %d steps against the spec\n", res.Steps)
	}
	return code, nil
}
