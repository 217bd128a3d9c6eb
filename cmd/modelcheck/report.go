package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/explore"
	"github.com/distsys/distsys/traces"
)

// writeReport prints a report for people.
func writeReport(w io.Writer, rep *catalog.Report, tracePath string, traceFiles map[string]string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", rep.Protocol, catalog.SettingsText(rep.Settings))
	if rep.Mutant != "" {
		fmt.Fprintf(&b, " mutant=%s", rep.Mutant)
	}
	b.WriteByte('\n')
	fmt.Fprintf(&b, "model:   %s\n", rep.Model)
	if rep.Ghost != "none" {
		fmt.Fprintf(&b, "ghost:   %s\n", rep.Ghost)
	}
	fmt.Fprintf(&b, "bounds:  %s\n", rep.Bounds)
	if rep.Seed != 0 {
		fmt.Fprintf(&b, "seed:    %d (rerun with -seed %d to reproduce)\n", rep.Seed, rep.Seed)
	}
	st := rep.Stats
	switch rep.Status {
	case explore.OK:
		b.WriteString("result:  OK — the bounded space is exhausted and every property holds\n")
	case explore.Violated:
		if n := violatedCount(rep.Verdicts); n > 0 {
			fmt.Fprintf(&b, "result:  VIOLATED — %d of %d properties (below)\n", n, len(rep.Verdicts))
		} else {
			fmt.Fprintf(&b, "result:  VIOLATED — %s (%s): %s\n", rep.Property, rep.Kind, rep.Reason)
		}
	case explore.Incomplete:
		fmt.Fprintf(&b, "result:  INCOMPLETE — stopped by %s; no violation in what was explored, which proves nothing\n", rep.Stopped)
	}
	fmt.Fprintf(&b, "states:  %s distinct, %s transitions, depth %d\n", count(st.States), count(st.Transitions), st.MaxDepth)
	// Figures that change from run to run share the time line.
	fmt.Fprintf(&b, "time:    %s, %s states/s, %s transitions/s; memory: peak heap %s (%s/state), peak RSS %s, visited set and parent links %.1f B/state",
		duration(st.Elapsed), rate(st.StatesPerSec()), rate(st.TransitionsPerSec()),
		bytesText(st.PeakHeap), perState(st.PeakHeap, st.States), bytesText(st.PeakRSS), st.BytesPerState())
	if st.PeakDisk > 0 {
		fmt.Fprintf(&b, "; spilled to disk: peak %s", bytesText(uint64(st.PeakDisk)))
	}
	if st.MaxMemory > 0 {
		fmt.Fprintf(&b, " (budget %s)", bytesText(uint64(st.MaxMemory)))
	}
	b.WriteString("\n")
	if len(rep.Verdicts) > 0 {
		b.WriteString("properties:\n")
		width := 0
		for _, v := range rep.Verdicts {
			width = max(width, len(v.Property))
		}
		for _, v := range rep.Verdicts {
			switch {
			case v.Violated && v.Trace != nil:
				fmt.Fprintf(&b, "  %-*s  %-13s  VIOLATED in %d %s: %s\n", width, v.Property, v.Kind, len(v.Trace.Steps()), plural(len(v.Trace.Steps()), "step", "steps"), v.Reason)
			case v.Violated:
				fmt.Fprintf(&b, "  %-*s  %-13s  VIOLATED: %s\n", width, v.Property, v.Kind, v.Reason)
			case rep.Stopped != "":
				fmt.Fprintf(&b, "  %-*s  %-13s  holds up to the bound\n", width, v.Property, v.Kind)
			default:
				fmt.Fprintf(&b, "  %-*s  %-13s  holds\n", width, v.Property, v.Kind)
			}
		}
	}
	if rep.Status == explore.OK && rep.MutantShows != "" {
		fmt.Fprintf(&b, "note:    mutant %s shows only with %s\n", rep.Mutant, rep.MutantShows)
	}
	if len(rep.Vacuous) > 0 {
		fmt.Fprintf(&b, "note:    not checked: %s (cannot happen in this run)\n", strings.Join(rep.Vacuous, ", "))
	}
	if len(rep.Sometimes) > 0 {
		b.WriteString("sometimes:\n")
		width := 0
		for _, s := range rep.Sometimes {
			width = max(width, len(s.Property))
		}
		for _, s := range rep.Sometimes {
			switch {
			case s.Reached:
				fmt.Fprintf(&b, "  %-*s  reached in %d %s\n", width, s.Property, s.Steps, plural(s.Steps, "step", "steps"))
			case rep.Status == explore.OK || rep.Property == s.Property:
				fmt.Fprintf(&b, "  %-*s  NEVER reached\n", width, s.Property)
			default:
				fmt.Fprintf(&b, "  %-*s  not reached before the search stopped\n", width, s.Property)
			}
		}
	}
	for _, v := range rep.Verdicts {
		if f, ok := traceFiles[v.Property]; ok {
			fmt.Fprintf(&b, "trace:   %s counterexample written to %s\n", v.Property, f)
		}
	}
	if rep.Trace != nil && len(rep.Verdicts) == 0 {
		fmt.Fprintf(&b, "counterexample (%d steps):\n", len(rep.Trace.Steps()))
		var tb strings.Builder
		traces.WriteText(&tb, rep.Trace)
		lines := strings.Split(strings.TrimRight(tb.String(), "\n"), "\n")
		// Drop the header (protocol, model) and the violation line: the
		// report already says them.
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, "model: ") || strings.HasPrefix(l, "violated: ") {
				continue
			}
			fmt.Fprintf(&b, "%s\n", l)
		}
		if tracePath != "" {
			fmt.Fprintf(&b, "trace:   written to %s (modelcheck replay %s)\n", tracePath, tracePath)
		} else {
			b.WriteString("trace:   rerun with -trace-out FILE to save it\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type reportOut struct {
	Protocol          string         `json:"protocol"`
	Params            map[string]any `json:"params"`
	Mutant            string         `json:"mutant"`
	Model             string         `json:"model"`
	Ghost             string         `json:"ghost"`
	Bounds            string         `json:"bounds"`
	Status            string         `json:"status"`
	Property          *string        `json:"property"`
	Kind              *string        `json:"kind"`
	Reason            *string        `json:"reason"`
	Stopped           *string        `json:"stopped"`
	Seed              *uint64        `json:"seed"`
	DistinctStates    int64          `json:"distinct_states"`
	Transitions       int64          `json:"transitions"`
	MaxDepth          int            `json:"max_depth"`
	ElapsedMS         float64        `json:"elapsed_ms"`
	StatesPerSec      float64        `json:"states_per_sec"`
	TransitionsPerSec float64        `json:"transitions_per_sec"`
	BytesPerState     float64        `json:"bytes_per_state"`
	PeakHeapBytes     uint64         `json:"peak_heap_bytes"`
	HeapPerState      float64        `json:"peak_heap_bytes_per_state"`
	PeakRSSBytes      uint64         `json:"peak_rss_bytes"`
	PeakDiskBytes     int64          `json:"peak_disk_bytes"`
	PeakFrontierBytes int64          `json:"peak_frontier_bytes"`
	MaxMemoryBytes    int64          `json:"max_memory_bytes"`
	Workers           int            `json:"workers"`
	Sometimes         []sometimesOut `json:"sometimes"`
	Counterexample    []string       `json:"counterexample"`
	Trace             *string        `json:"trace"`
	Verdicts          []verdictOut   `json:"verdicts,omitempty"`
}

type verdictOut struct {
	Property string  `json:"property"`
	Kind     string  `json:"kind"`
	Violated bool    `json:"violated"`
	Reason   string  `json:"reason,omitempty"`
	Steps    int     `json:"steps,omitempty"`
	Trace    *string `json:"trace,omitempty"`
}

type sometimesOut struct {
	Property string `json:"property"`
	Reached  bool   `json:"reached"`
	Steps    int    `json:"steps"`
}

func reportJSON(rep *catalog.Report, tracePath string, traceFiles map[string]string) reportOut {
	st := rep.Stats
	out := reportOut{
		Protocol: rep.Protocol, Params: map[string]any{}, Mutant: rep.Mutant, Model: rep.Model, Ghost: rep.Ghost,
		Bounds: rep.Bounds, Status: rep.Status.String(),
		DistinctStates: st.States, Transitions: st.Transitions, MaxDepth: st.MaxDepth,
		ElapsedMS:    float64(st.Elapsed.Microseconds()) / 1000,
		StatesPerSec: st.StatesPerSec(), TransitionsPerSec: st.TransitionsPerSec(),
		BytesPerState: st.BytesPerState(), PeakHeapBytes: st.PeakHeap, Workers: st.Workers,
		HeapPerState: st.HeapPerState(), PeakRSSBytes: st.PeakRSS, PeakDiskBytes: st.PeakDisk,
		PeakFrontierBytes: st.PeakFrontier, MaxMemoryBytes: st.MaxMemory,
		Sometimes: []sometimesOut{},
	}
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	out.Property, out.Kind, out.Reason, out.Stopped = str(rep.Property), str(rep.Kind), str(rep.Reason), str(rep.Stopped)
	if rep.Seed != 0 {
		out.Seed = &rep.Seed
	}
	for _, s := range rep.Sometimes {
		out.Sometimes = append(out.Sometimes, sometimesOut{s.Property, s.Reached, s.Steps})
	}
	if rep.Trace != nil {
		out.Counterexample = []string{}
		for _, e := range rep.Trace.Steps() {
			out.Counterexample = append(out.Counterexample, e.Action)
		}
	}
	out.Trace = str(tracePath)
	for _, set := range rep.Settings {
		if n, err := strconv.Atoi(set.Value); err == nil {
			out.Params[set.Name] = n
		} else {
			out.Params[set.Name] = set.Value
		}
	}
	for _, v := range rep.Verdicts {
		vo := verdictOut{Property: v.Property, Kind: v.Kind, Violated: v.Violated, Reason: v.Reason}
		if v.Trace != nil {
			vo.Steps = len(v.Trace.Steps())
			vo.Trace = str(traceFiles[v.Property])
		}
		out.Verdicts = append(out.Verdicts, vo)
	}
	return out
}

// count writes n with thousands separators: 1,745,408.
func count(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// rate writes a per-second figure compactly: 950, 12.3k, 4.56M.
func rate(r float64) string {
	switch {
	case r >= 1e6:
		return fmt.Sprintf("%.2fM", r/1e6)
	case r >= 1e3:
		return fmt.Sprintf("%.1fk", r/1e3)
	}
	return fmt.Sprintf("%.0f", r)
}

func duration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000)
	}
	return d.String()
}

func bytesText(b uint64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.0f KiB", float64(b)/(1<<10))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func violatedCount(vs []catalog.Verdict) int {
	n := 0
	for _, v := range vs {
		if v.Violated {
			n++
		}
	}
	return n
}
