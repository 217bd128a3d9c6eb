package cli

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
	fmt.Fprintf(&b, "result:  %s\n", resultText(rep))
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
		width, kinds := 0, 13 // "on-transition"; a liveness kind may be longer
		for _, v := range rep.Verdicts {
			width, kinds = max(width, len(v.Property)), max(kinds, len(v.Kind))
		}
		for _, v := range rep.Verdicts {
			switch {
			case v.Violated && v.Trace != nil:
				fmt.Fprintf(&b, "  %-*s  %-*s  VIOLATED in %d %s: %s\n", width, v.Property, kinds, v.Kind, len(v.Trace.Steps()), plural(len(v.Trace.Steps()), "step", "steps"), v.Reason)
			case v.Violated:
				fmt.Fprintf(&b, "  %-*s  %-*s  VIOLATED: %s\n", width, v.Property, kinds, v.Kind, v.Reason)
			case rep.Stopped != "":
				fmt.Fprintf(&b, "  %-*s  %-*s  holds up to the bound\n", width, v.Property, kinds, v.Kind)
			default:
				fmt.Fprintf(&b, "  %-*s  %-*s  holds\n", width, v.Property, kinds, v.Kind)
			}
		}
	}
	if m := mutantText(rep); m != "" {
		fmt.Fprintf(&b, "mutant:  %s\n", m)
	}
	if len(rep.Verdicts) == 0 {
		if names := safetyEvaluated(rep); len(names) > 0 {
			fmt.Fprintf(&b, "checked: %s\n", strings.Join(names, ", "))
		}
	}
	for _, g := range omittedGroups(rep.Omitted) {
		fmt.Fprintf(&b, "omitted: %s — %s\n", strings.Join(g.names, ", "), g.reason)
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
	if rep.Trace != nil && len(rep.Verdicts) == 0 {
		fmt.Fprintf(&b, "counterexample (%d steps):\n", len(rep.Trace.Steps()))
		writeSteps(&b, rep.Trace)
		if tracePath != "" {
			fmt.Fprintf(&b, "trace:   written to %s (modelcheck replay %s)\n", tracePath, tracePath)
		} else {
			b.WriteString("trace:   rerun with -trace-out FILE to save it\n")
		}
	}
	// A run that kept going prints every counterexample it found, then
	// says where each one is saved.
	unsaved := 0
	for _, v := range rep.Verdicts {
		if v.Trace == nil {
			continue
		}
		n := len(v.Trace.Steps())
		fmt.Fprintf(&b, "counterexample of %s (%d %s):\n", v.Property, n, plural(n, "step", "steps"))
		writeSteps(&b, v.Trace)
		if _, ok := traceFiles[v.Property]; !ok {
			unsaved++
		}
	}
	for _, v := range rep.Verdicts {
		if f, ok := traceFiles[v.Property]; ok {
			fmt.Fprintf(&b, "trace:   %s counterexample written to %s (modelcheck replay %s)\n", v.Property, f, f)
		}
	}
	if unsaved > 0 {
		fmt.Fprintf(&b, "trace:   rerun with -trace-dir DIR to save %s (DIR/%s-PROPERTY.json)\n", plural(unsaved, "it", "them"), rep.Protocol)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeSteps writes a counterexample's steps, each with the acting node's
// state, without the trace's header (protocol, model) and violation line:
// the report already says them.
func writeSteps(b *strings.Builder, t *traces.Trace) {
	var tb strings.Builder
	traces.WriteText(&tb, t)
	lines := strings.Split(strings.TrimRight(tb.String(), "\n"), "\n")
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "model: ") || strings.HasPrefix(l, "violated: ") {
			continue
		}
		fmt.Fprintf(b, "%s\n", l)
	}
}

// resultText is the verdict in words: what it covers.
func resultText(rep *catalog.Report) string {
	switch rep.Status {
	case explore.OK:
		return "OK — " + okText(rep)
	case explore.Violated:
		if n := violatedCount(rep.Verdicts); n > 0 {
			return fmt.Sprintf("VIOLATED — %d of %d properties (below)", n, len(rep.Verdicts))
		}
		return fmt.Sprintf("VIOLATED — %s (%s): %s", rep.Property, rep.Kind, rep.Reason)
	}
	return fmt.Sprintf("INCOMPLETE — stopped by %s; no violation in what was explored, which proves nothing", rep.Stopped)
}

// okText says what an OK covers: every property only when the run
// evaluated every one; and a mutant that the search did not catch says so
// first.
func okText(rep *catalog.Report) string {
	covered := "the bounded space is exhausted and every property holds"
	if !rep.AllEvaluated() {
		var left []string
		for _, o := range rep.Omitted {
			left = append(left, o.Property)
		}
		covered = fmt.Sprintf("the bounded space is exhausted and the %d %s checked %s; not checked: %s (below)",
			len(rep.Evaluated), plural(len(rep.Evaluated), "property", "properties"), plural(len(rep.Evaluated), "holds", "hold"), strings.Join(left, ", "))
	}
	if rep.Mutant != "" {
		return fmt.Sprintf("mutant %s NOT caught under these settings: %s", rep.Mutant, covered)
	}
	return covered
}

// mutantText says what became of a mutant, unless the result already
// shows it caught: where it shows, or why no bounded check reaches it.
func mutantText(rep *catalog.Report) string {
	if rep.Mutant == "" || rep.Status == explore.Violated {
		return ""
	}
	what := fmt.Sprintf("%s breaks %s", rep.Mutant, rep.MutantBreaks)
	shows := ""
	if rep.MutantShows != "" && !rep.ShowsHere {
		shows = "; it shows with " + rep.MutantShows
	}
	switch {
	case rep.MutantBeyond != "":
		return fmt.Sprintf("%s beyond any bounded check: %s", what, rep.MutantBeyond)
	case rep.Status == explore.Incomplete:
		return fmt.Sprintf("%s; the search stopped before finding it%s", what, shows)
	case shows != "":
		return what + shows
	case rep.MutantShows != "":
		return fmt.Sprintf("%s; it shows with %s and otherwise the defaults: something else here hides it", what, rep.MutantShows)
	}
	return fmt.Sprintf("%s; the defaults show it (modelcheck check %s -mutant %s): something here hides it", what, rep.Protocol, rep.Mutant)
}

// safetyEvaluated names the evaluated properties that are not
// "sometimes" ones (those have their own lines).
func safetyEvaluated(rep *catalog.Report) []string {
	sometimes := map[string]bool{}
	for _, s := range rep.Sometimes {
		sometimes[s.Property] = true
	}
	var out []string
	for _, name := range rep.Evaluated {
		if !sometimes[name] {
			out = append(out, name)
		}
	}
	return out
}

type omittedGroup struct {
	names  []string
	reason string
}

// omittedGroups gathers the properties left out for the same reason.
func omittedGroups(os []catalog.Omission) []omittedGroup {
	var out []omittedGroup
	for _, o := range os {
		if n := len(out); n > 0 && out[n-1].reason == o.Reason {
			out[n-1].names = append(out[n-1].names, o.Property)
			continue
		}
		out = append(out, omittedGroup{[]string{o.Property}, o.Reason})
	}
	return out
}

type reportOut struct {
	Protocol string `json:"protocol"`
	// Run is the run in the JSON form check -run reads back.
	Run               *catalog.RunJSON `json:"run,omitempty"`
	Params            map[string]any   `json:"params"`
	Mutant            string           `json:"mutant"`
	Model             string           `json:"model"`
	Ghost             string           `json:"ghost"`
	Bounds            string           `json:"bounds"`
	Status            string           `json:"status"`
	Property          *string          `json:"property"`
	Kind              *string          `json:"kind"`
	Reason            *string          `json:"reason"`
	Stopped           *string          `json:"stopped"`
	Seed              *uint64          `json:"seed"`
	DistinctStates    int64            `json:"distinct_states"`
	Transitions       int64            `json:"transitions"`
	MaxDepth          int              `json:"max_depth"`
	ElapsedMS         float64          `json:"elapsed_ms"`
	StatesPerSec      float64          `json:"states_per_sec"`
	TransitionsPerSec float64          `json:"transitions_per_sec"`
	BytesPerState     float64          `json:"bytes_per_state"`
	PeakHeapBytes     uint64           `json:"peak_heap_bytes"`
	HeapPerState      float64          `json:"peak_heap_bytes_per_state"`
	PeakRSSBytes      uint64           `json:"peak_rss_bytes"`
	PeakDiskBytes     int64            `json:"peak_disk_bytes"`
	PeakFrontierBytes int64            `json:"peak_frontier_bytes"`
	MaxMemoryBytes    int64            `json:"max_memory_bytes"`
	Workers           int              `json:"workers"`
	Sometimes         []sometimesOut   `json:"sometimes"`
	Counterexample    []string         `json:"counterexample"`
	Trace             *string          `json:"trace"`
	Verdicts          []verdictOut     `json:"verdicts,omitempty"`
	// Evaluated and Omitted say what the status covers: "ok" means every
	// property in Evaluated holds (sometimes ones reached), nothing about
	// those in Omitted.
	Evaluated []string      `json:"evaluated"`
	Omitted   []omissionOut `json:"omitted"`
	// Result is the text report's result line, what the status covers
	// in words.
	Result string `json:"result"`
	// MutantResult is set for a check of a mutant: whether it was caught,
	// and if not, where it shows.
	MutantResult *mutantOut `json:"mutant_result,omitempty"`
}

// omissionsOut writes omissions for JSON (an empty list, never null).
func omissionsOut(os []catalog.Omission) []omissionOut {
	out := []omissionOut{}
	for _, o := range os {
		out = append(out, omissionOut{o.Property, o.Kind, o.Reason})
	}
	return out
}

type omissionOut struct {
	Property string `json:"property"`
	Kind     string `json:"kind"`
	Reason   string `json:"reason"`
}

type mutantOut struct {
	Name   string `json:"name"`
	Breaks string `json:"breaks"`
	// Caught is true when a property is violated, false when the search
	// ended without catching the mutant, null when a bound stopped it.
	Caught *bool `json:"caught"`
	// Shows are the settings that expose it, if the defaults do not;
	// Beyond why no bounded check reaches it.
	Shows  string `json:"shows,omitempty"`
	Beyond string `json:"beyond,omitempty"`
	// Note is the text report's mutant line ("" once caught).
	Note string `json:"note,omitempty"`
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
		Protocol: rep.Protocol, Run: rep.Run, Params: map[string]any{}, Mutant: rep.Mutant, Model: rep.Model, Ghost: rep.Ghost,
		Bounds: rep.Bounds, Status: rep.Status.String(),
		DistinctStates: st.States, Transitions: st.Transitions, MaxDepth: st.MaxDepth,
		ElapsedMS:    float64(st.Elapsed.Microseconds()) / 1000,
		StatesPerSec: st.StatesPerSec(), TransitionsPerSec: st.TransitionsPerSec(),
		BytesPerState: st.BytesPerState(), PeakHeapBytes: st.PeakHeap, Workers: st.Workers,
		HeapPerState: st.HeapPerState(), PeakRSSBytes: st.PeakRSS, PeakDiskBytes: st.PeakDisk,
		PeakFrontierBytes: st.PeakFrontier, MaxMemoryBytes: st.MaxMemory,
		Sometimes: []sometimesOut{},
		Evaluated: append([]string{}, rep.Evaluated...), Omitted: []omissionOut{},
		Result: resultText(rep),
	}
	for _, o := range rep.Omitted {
		out.Omitted = append(out.Omitted, omissionOut{o.Property, o.Kind, o.Reason})
	}
	if rep.Mutant != "" {
		m := &mutantOut{Name: rep.Mutant, Breaks: rep.MutantBreaks, Shows: rep.MutantShows, Beyond: rep.MutantBeyond, Note: mutantText(rep)}
		if rep.Status != explore.Incomplete {
			caught := rep.Status == explore.Violated
			m.Caught = &caught
		}
		out.MutantResult = m
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
