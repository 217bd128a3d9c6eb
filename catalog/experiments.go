package catalog

import (
	"fmt"
	"strings"

	"github.com/distsys/distsys/spec/broadcast"
	"github.com/distsys/distsys/spec/byzantine"
	"github.com/distsys/distsys/spec/rpc"
	"github.com/distsys/distsys/spec/twogenerals"
)

// The course's experiments, as data: each cell a check and the verdict the
// course expects of it.
func init() {
	registerExperiment(hierarchyExperiment())
	registerExperiment(generalsExperiment())
	registerExperiment(rpcExperiment())
}

// expectations reads a row's expected verdicts, one mark per column: ✓
// holds, ✗ breaks, · no claim; a * after a ✓ marks a promise.
func expectations(marks string) ([]Expect, []bool) {
	var out []Expect
	var promised []bool
	for _, r := range marks {
		switch r {
		case '✓':
			out, promised = append(out, Holds), append(promised, false)
		case '✗':
			out, promised = append(out, Breaks), append(promised, false)
		case '·':
			out, promised = append(out, Unjudged), append(promised, false)
		case '*':
			if len(out) == 0 || out[len(out)-1] != Holds {
				panic(fmt.Sprintf("expectations %q: only a ✓ can be promised", marks))
			}
			promised[len(promised)-1] = true
		default:
			panic(fmt.Sprintf("expectations %q: want ✓, ✗, · or *", marks))
		}
	}
	return out, promised
}

// hierarchyExpect is what the course expects of each algorithm under the
// system model it assumes (columns: HierarchyProperties): what its level
// promises holds, and each stronger property breaks — the edge of the
// hierarchy above it. Best-effort and fan-out keep agreement without
// crashes, which their level does not promise: no claim.
var hierarchyExpect = map[broadcast.Algorithm]string{
	broadcast.BestEffort: "✓✓✓·✗✗✗",
	broadcast.FanOut:     "✓✓✓·✗✗✗",
	broadcast.Eager:      "✓✓✓✓✗✗✗",
	broadcast.Gossip:     "✓✓✗✗✗✗✗",
	broadcast.FIFO:       "✓✓✓✓✓✗✗",
	broadcast.Causal:     "✓✓✓✓✓✓✗",
	broadcast.Sequencer:  "✓✓✓✓✗✗✓",
	broadcast.Lamport:    "✓✓✓✓✓✓✓",
	broadcast.FIFOTotal:  "✓✓✓✓✓✓✓",
}

// hierarchyOutside is what the course expects outside each algorithm's
// assumptions, in the order of hierarchyVariants: a crash mid-broadcast
// splits best-effort and fan-out's nodes, a crashed sequencer loses
// messages, a crashed node blocks Lamport's total order (nobody may
// deliver past its silence), and unordered links break it.
var hierarchyOutside = []string{
	"✓✓·✗✗✗✗",
	"✓✓·✗✗✗✗",
	"✓✓✗·✗✗·",
	"✓✓✗····",
	"✓✓····✗",
}

func hierarchyExperiment() Experiment {
	t := Table{
		Title: "broadcast hierarchy (course 4.2, 4.3)",
		Doc: "3 nodes; -bI is how many messages node I broadcasts; each row one exhaustive search of every property. " +
			"Each algorithm runs first under the system model it assumes, where its level's promises (*) must hold and the next level's break; " +
			"then outside it.",
		Corner:  "algorithm",
		Info:    []string{"level", "model"},
		Columns: HierarchyProperties,
		Conclusion: "every level keeps its promises under the model it assumes, and for every edge of the hierarchy " +
			"the checker found an execution in which the weaker algorithm breaks the stronger property; outside their " +
			"assumptions a crash or a lost message breaks agreement, a crashed sequencer loses messages, and Lamport's " +
			"total order needs FIFO links and every node alive.",
		Example: "modelcheck check broadcast -algo causal -all",
	}
	outside := 0
	for _, hr := range HierarchyRuns() {
		level, _ := broadcast.LevelOf(hr.Algo)
		marks := hierarchyExpect[hr.Algo]
		levelText := level.String()
		if !hr.Assumed {
			marks, levelText = hierarchyOutside[outside], "(outside)"
			outside++
		}
		guaranteed := map[string]bool{}
		for _, p := range level.Guarantees() {
			guaranteed[p] = hr.Assumed
		}
		flags := strings.TrimSpace("-algo " + hr.Algo.String() + " " + hr.Flags)
		row := Row{Label: hr.Algo.String(), Info: []string{levelText, hr.Flags}}
		xs, _ := expectations(marks)
		for i, x := range xs {
			p := HierarchyProperties[i]
			row.Cells = append(row.Cells, Probe{Protocol: "broadcast", Flags: flags, Property: p, Expect: x, Promised: guaranteed[p]})
		}
		t.Rows = append(t.Rows, row)
	}

	repl := Table{
		Title: "state machine replication (course 5.3)",
		Doc: "nodes 0 and 1 each broadcast one update, concurrently (-b0 1 -b1 1), and every node applies what it delivers: " +
			"do replicas that delivered the same updates agree (convergence)? Total order promises it for any machine (*); " +
			"reliable and causal broadcast only for updates that commute.",
		Corner:     "machine",
		Conclusion: "a register and a set with removal need total order; a counter and an add-only set, whose updates commute, converge over any reliable broadcast.",
		Example:    "modelcheck check broadcast -algo causal -machine register -b0 1 -b1 1",
	}
	for _, a := range ReplicationAlgorithms {
		level, _ := broadcast.LevelOf(a)
		repl.Columns = append(repl.Columns, fmt.Sprintf("%s (%s)", a, level))
	}
	replExpect := map[string]string{"register": "✗✗✓", "counter": "✓✓✓", "addset": "✓✓✓", "set": "✗✗✓"}
	for _, m := range broadcast.Machines()[1:] {
		row := Row{Label: m.String()}
		xs, _ := expectations(replExpect[m.String()])
		for i, x := range xs {
			a := ReplicationAlgorithms[i]
			row.Cells = append(row.Cells, Probe{Protocol: "broadcast", Flags: fmt.Sprintf("-algo %s -machine %s -b0 1 -b1 1", a, m),
				Property: broadcast.PropConvergence, Expect: x, Promised: a == broadcast.Sequencer})
		}
		repl.Rows = append(repl.Rows, row)
	}
	return Experiment{Name: "hierarchy", Summary: "the broadcast hierarchy and state machine replication: every algorithm × every property (course 4.2, 4.3, 5.3)",
		Tables: []Table{t, repl}}
}

// generalName names general i of the Byzantine tables.
func generalName(i int) string {
	if i == int(byzantine.Commander) {
		return fmt.Sprintf("n%d (commander)", i)
	}
	return fmt.Sprintf("n%d", i)
}

func generalsExperiment() Experiment {
	two := Table{
		Title: "two generals (course 2.1)",
		Doc: "A is told to attack or retreat; to attack it sends messenger 1 to B, and each messenger that arrives is answered " +
			"by the next, k in all, none resent; a general attacks once every messenger meant for it has arrived. " +
			"agreement: when nothing more can happen, A attacks iff B attacks.",
		Corner:  "k",
		Columns: []string{"reliable link", "a link that may lose one messenger"},
		Conclusion: fmt.Sprintf("for every k = 1..%d the checker found a run in which one general attacks alone: the last messenger "+
			"may be lost, and its sender cannot wait to hear that it arrived (that would take one more); on a reliable link every k "+
			"agrees. No number of acknowledgements gives common knowledge.", twogenerals.MaxMessages),
		Example: "modelcheck check twogenerals -k 2 -drops 1",
	}
	for k := 1; k <= twogenerals.MaxMessages; k++ {
		two.Rows = append(two.Rows, Row{Label: fmt.Sprint(k), Cells: []Probe{
			{Protocol: "twogenerals", Flags: fmt.Sprintf("-k %d", k), Expect: Holds},
			{Protocol: "twogenerals", Flags: fmt.Sprintf("-k %d -drops 1", k), Property: twogenerals.PropAgreement, Expect: Breaks},
		}})
	}
	const byzDoc = "OM(1), one traitor, the model's byzantine node: it may send any order (as commander) or relay (as lieutenant) " +
		"of the message domain to anyone, at any time, or nothing. agreement: loyal lieutenants decide alike; validity: they obey a loyal commander."
	four := Table{
		Title:      "Byzantine generals, n = 4 ≥ 3f+1 = 4 (course 2.2)",
		Doc:        byzDoc + " A lieutenant holds three values: there is always a majority.",
		Corner:     "traitor",
		Columns:    []string{"agreement and validity"},
		Conclusion: "with one traitor, 4 generals (4 ≥ 3f+1) agree and obey a loyal commander wherever the traitor sits.",
	}
	for tr := range 4 {
		four.Rows = append(four.Rows, Row{Label: generalName(tr), Cells: []Probe{
			{Protocol: "byzantine", Flags: fmt.Sprintf("-n 4 -byzantine %d", tr), Expect: Holds, Promised: true},
		}})
	}
	three := Table{
		Title: "Byzantine generals, n = 3 < 3f+1 = 4 (course 2.2)",
		Doc: "a lieutenant holds two values and cannot tell a lying commander from a lying lieutenant; every way to break " +
			"their tie, against each traitor. The course claims a traitor wins under every rule, not which one.",
		Corner:     "tie rule",
		Conclusion: "n ≥ 3f+1 made the difference: 3 generals lose to one traitor under every tie rule.",
		Example:    "modelcheck check byzantine -n 3",
	}
	for tr := range 3 {
		three.Columns = append(three.Columns, "traitor "+generalName(tr))
	}
	for tie := range byzantine.Tie(len(byzantine.TieNames)) {
		row := Row{Label: tie.String(), SomeBreaks: true}
		for tr := range 3 {
			flags := fmt.Sprintf("-n 3 -byzantine %d", tr)
			if tie != byzantine.TieRetreat {
				flags = fmt.Sprintf("-n 3 -tie %s -byzantine %d", tie, tr)
			}
			row.Cells = append(row.Cells, Probe{Protocol: "byzantine", Flags: flags})
		}
		three.Rows = append(three.Rows, row)
	}
	return Experiment{Name: "generals", Summary: "the two generals for k = 1..4 messengers and the Byzantine generals at n = 4 and n = 3 (course 2.1, 2.2)",
		Tables: []Table{two, four, three}}
}

func rpcExperiment() Experiment {
	t := Table{
		Title: "RPC semantics (course 1.3, 5.1)",
		Doc: "a client makes calls one after the other, each incrementing the server's register (an idempotent call sets it); " +
			"each row one exhaustive search of the three guarantees under a network that is reliable, may lose one message, " +
			"or may duplicate one. * marks what the semantics promises there.",
		Corner:  "semantics",
		Info:    []string{"calls", "network"},
		Columns: []string{rpc.PropAtMostOnce, rpc.PropAtLeastOnce, rpc.PropExactlyOnce},
		Conclusion: "without retries a lost message loses the call; with retries and no dedup a timeout that fires while " +
			"the reply is on its way executes the call twice, and so does a duplicate without a table; only retries with " +
			"the server's dedup table (exactly-once) keep all three; an idempotent call still breaks exactly-once when its " +
			"stale retry lands after the next call.",
		Example: "modelcheck check rpc -sem at-least-once",
	}
	// Every semantics under a reliable network, one lost message and one
	// copied message; an idempotent call once alone and then twice (its
	// retry can land after the next call).
	rows := []struct {
		sem          rpc.Semantics
		flags, calls string
		network      string
		marks        string
	}{
		{rpc.AtMostOnce, "", "2", "reliable", "✓*✓✓"},
		{rpc.AtMostOnce, "-drops 1", "2", "loses one", "✓*✗✗"},
		{rpc.AtMostOnce, "-dups 1", "2", "copies one", "✗✓✗"},
		{rpc.AtLeastOnce, "", "2", "reliable", "✗✓*✗"},
		{rpc.AtLeastOnce, "-drops 1", "2", "loses one", "✗✓*✗"},
		{rpc.AtLeastOnce, "-dups 1", "2", "copies one", "✗✓*✗"},
		{rpc.ExactlyOnce, "", "2", "reliable", "✓*✓*✓*"},
		{rpc.ExactlyOnce, "-drops 1", "2", "loses one", "✓*✓*✓*"},
		{rpc.ExactlyOnce, "-dups 1", "2", "copies one", "✓*✓*✓*"},
		{rpc.Idempotent, "-ops 1", "1", "reliable", "✓*✓*✓*"},
		{rpc.Idempotent, "-ops 1 -drops 1", "1", "loses one", "✓*✓*✓*"},
		{rpc.Idempotent, "-ops 1 -dups 1", "1", "copies one", "✓*✓*✓*"},
		{rpc.Idempotent, "", "2", "reliable", "✗✓*✗"},
	}
	for _, r := range rows {
		flags := strings.TrimSpace("-sem " + r.sem.String() + " " + r.flags)
		row := Row{Label: r.sem.String(), Info: []string{r.calls, r.network}}
		xs, promised := expectations(r.marks)
		for j, x := range xs {
			row.Cells = append(row.Cells, Probe{Protocol: "rpc", Flags: flags, Property: t.Columns[j], Expect: x, Promised: promised[j]})
		}
		t.Rows = append(t.Rows, row)
	}
	return Experiment{Name: "rpc", Summary: "RPC semantics: at-most-once, at-least-once, exactly-once and idempotent calls under loss and duplication (course 1.3, 5.1)",
		Tables: []Table{t}}
}
