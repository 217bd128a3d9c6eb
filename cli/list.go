package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"github.com/distsys/distsys/catalog"
	"io"
	"strings"
)

func cmdList(reg *registry, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args, "modelcheck list [-json]", stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("list: unexpected argument %q", fs.Arg(0))}
	}
	if *asJSON {
		return writeJSON(stdout, listJSON(reg))
	}
	var b strings.Builder
	for i, e := range reg.all() {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s — %s%s\n", e.Name, e.Summary, courseSection(e))
		if e.UsesModel {
			b.WriteString("  runs under a system model: -network, -drops, -dups, -crashes, -crash-mode, -crash-mid-step, -byzantine, -partial-sync apply\n")
		}
		if e.DefaultModel != "" {
			fmt.Fprintf(&b, "  default system model: %s\n", e.DefaultModel)
		}
		b.WriteString("  parameters:\n")
		for _, p := range e.Params {
			fmt.Fprintf(&b, "    -%-8s %s (default %s, %s)\n", p.Name, p.Doc, p.Format(p.Default), p.Range())
		}
		width := 0
		for _, p := range e.Properties {
			width = max(width, len(p.Name))
		}
		for _, m := range e.Mutants {
			width = max(width, len(m.Name))
		}
		kinds := 13 // "on-transition"; a liveness kind may be longer
		for _, p := range e.Properties {
			kinds = max(kinds, len(p.Kind))
		}
		b.WriteString("  properties:\n")
		for _, p := range e.Properties {
			fmt.Fprintf(&b, "    %-*s  %-*s %s\n", width, p.Name, kinds, p.Kind, p.Doc)
		}
		if len(e.Mutants) > 0 {
			b.WriteString("  mutants (-mutant NAME):\n")
			for _, m := range e.Mutants {
				fmt.Fprintf(&b, "    %-*s  breaks %s: %s\n", width, m.Name, m.Breaks, m.Doc)
				if m.Shows != "" {
					fmt.Fprintf(&b, "    %-*s  shows with: %s\n", width, "", m.Shows)
				}
				if m.Beyond != "" {
					fmt.Fprintf(&b, "    %-*s  beyond bounded checks: %s\n", width, "", m.Beyond)
				}
			}
		}
	}
	_, err := io.WriteString(stdout, b.String())
	return err
}

type listEntry struct {
	Name       string         `json:"name"`
	Summary    string         `json:"summary"`
	Section    string         `json:"section"`
	UsesModel  bool           `json:"uses_model"`
	Params     []listParam    `json:"params"`
	Properties []listProperty `json:"properties"`
	Mutants    []listMutant   `json:"mutants"`
}

type listParam struct {
	Name    string   `json:"name"`
	Doc     string   `json:"doc"`
	Default any      `json:"default"`
	Min     int      `json:"min"`
	Max     int      `json:"max"`
	Choices []string `json:"choices,omitempty"`
}

type listProperty struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	Doc  string `json:"doc"`
}

type listMutant struct {
	Name   string `json:"name"`
	Doc    string `json:"doc"`
	Breaks string `json:"breaks"`
	Shows  string `json:"shows,omitempty"`
}

func listJSON(reg *registry) []listEntry {
	var out []listEntry
	for _, e := range reg.all() {
		le := listEntry{Name: e.Name, Summary: e.Summary, Section: e.Section, UsesModel: e.UsesModel,
			Params: []listParam{}, Properties: []listProperty{}, Mutants: []listMutant{}}
		for _, p := range e.Params {
			lp := listParam{Name: p.Name, Doc: p.Doc, Default: p.Default, Min: p.Min, Max: p.Max, Choices: p.Choices}
			if len(p.Choices) > 0 {
				lp.Default = p.Format(p.Default)
			}
			le.Params = append(le.Params, lp)
		}
		for _, p := range e.Properties {
			le.Properties = append(le.Properties, listProperty{p.Name, p.Kind, p.Doc})
		}
		for _, m := range e.Mutants {
			le.Mutants = append(le.Mutants, listMutant{m.Name, m.Doc, m.Breaks, m.Shows})
		}
		out = append(out, le)
	}
	return out
}

// courseSection is " (course 6.1)", or nothing for a protocol that
// names no section of the course.
func courseSection(e *catalog.Entry) string {
	if e.Section == "" {
		return ""
	}
	return " (course " + e.Section + ")"
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// parseFlags parses args; -h prints the flags to stdout and returns
// helpShown; a bad flag becomes a one-line usage error.
func parseFlags(fs *flag.FlagSet, args []string, synopsis string, stdout io.Writer) error {
	err := fs.Parse(args)
	if err == flag.ErrHelp {
		fmt.Fprintf(stdout, "usage: %s\n\nflags:\n", synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return helpShown{}
	}
	if err != nil {
		return usageError{err}
	}
	return nil
}
