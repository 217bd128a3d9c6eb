package raft_test

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected outputs of testdata/*.txt from what Step does now (read the diff before committing)")

// TestScenarioFiles plays every testdata/*.txt scenario through Step and
// compares what each command prints with the output written under it.
// The scenarios are derived by hand from the course and the Raft paper;
// each file says which rule it checks. `go test ./spec/raft -run
// ScenarioFiles -rewrite` writes the outputs again.
//
// A file is a list of commands. Lines starting with # are comments. Each
// command is one line, then a line "----", then its output up to a blank
// line:
//
//	cluster n=3 [mutant=NAME]     a fresh cluster (every node a candidate, no bounds)
//	state n0 term=1 voted=n1 log=v1@t1,v2@t1 commit=1
//	                              a node that restarts with this persisted state
//	start n0|all                  the node(s) start (election timer set)
//	fire n0 election|heartbeat    a timer goes off (it must be set)
//	request n0 v5                 a client asks n0 to replicate value 5
//	deliver n0->n1 [#k|all]       the oldest message on the link (or the k-th, or all) arrives
//	drop n0->n1 [#k|all]          … is lost
//	dup n0->n1 [#k]               … is duplicated (the copy goes last)
//	crash n0 / recover n0         the node loses its volatile state / comes back
//	net                           the messages in flight, per link, oldest first
//	check                         the leaders elected, what each node delivered, and
//	                              whether the delivered sequences agree (state machine safety)
//
// A step prints the node's state after it, then its outputs in order.
func TestScenarioFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario in testdata (%v)", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			blocks, err := parseScenario(f)
			if err != nil {
				t.Fatal(err)
			}
			var c scenario
			for i := range blocks {
				b := &blocks[i]
				got, err := c.run(b.cmd)
				if err != nil {
					t.Fatalf("%s:%d: %s: %v", f, b.line, b.cmd, err)
				}
				if *rewrite {
					b.want = got
				} else if got != b.want {
					t.Errorf("%s:%d: %s\ngot:\n%s\nwant:\n%s", f, b.line, b.cmd, got, b.want)
				}
			}
			if *rewrite {
				if err := os.WriteFile(f, formatScenario(blocks), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// block is one command of a scenario file, with the comment lines before
// it and its expected output.
type block struct {
	comments []string
	cmd      string
	want     string
	line     int
}

func parseScenario(path string) ([]block, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var blocks []block
	var comments []string
	sc := bufio.NewScanner(f)
	n := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		n++
		return sc.Text(), true
	}
	for {
		l, ok := next()
		if !ok {
			break
		}
		switch {
		case strings.HasPrefix(l, "#"):
			comments = append(comments, l)
			continue
		case strings.TrimSpace(l) == "":
			if len(comments) > 0 {
				comments = append(comments, "")
			}
			continue
		}
		b := block{comments: comments, cmd: strings.TrimSpace(l), line: n}
		comments = nil
		if sep, ok := next(); !ok || sep != "----" {
			return nil, fmt.Errorf("%s:%d: %q: want a line ---- after the command", path, n, b.cmd)
		}
		var out []string
		for {
			l, ok := next()
			if !ok || l == "" {
				break
			}
			out = append(out, l)
		}
		b.want = strings.Join(out, "\n")
		blocks = append(blocks, b)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(comments) > 0 {
		blocks = append(blocks, block{comments: comments})
	}
	return blocks, nil
}

func formatScenario(blocks []block) []byte {
	var b strings.Builder
	for _, bl := range blocks {
		for _, c := range bl.comments {
			b.WriteString(c + "\n")
		}
		if bl.cmd == "" {
			continue
		}
		fmt.Fprintf(&b, "%s\n----\n%s\n\n", bl.cmd, bl.want)
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

// scenario is a cluster driven by hand: every node's state, which timers
// are set, which nodes are down, the messages in flight in the order they
// were sent, and what each node delivered and who led which term.
type scenario struct {
	p         *raft.Protocol
	nodes     []raft.State
	timers    []map[spec.Timer]bool
	down      []bool
	inflight  []packet
	delivered [][]raft.Entry
	leaders   map[int32][]int
}

type packet struct {
	from, to int
	msg      raft.Msg
}

func (c *scenario) run(cmd string) (string, error) {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return "", errors.New("an empty command")
	}
	if f[0] != "cluster" && c.p == nil {
		return "", errors.New("the first command must be cluster")
	}
	switch f[0] {
	case "cluster":
		return c.cluster(f[1:])
	case "state":
		return c.state(f[1:])
	case "start", "recover":
		kind := spec.Start
		if f[0] == "recover" {
			kind = spec.Recover
		}
		if len(f) != 2 {
			return "", fmt.Errorf("want %s NODE", f[0])
		}
		ids, err := c.nodeOrAll(f[1])
		if err != nil {
			return "", err
		}
		var b strings.Builder
		for _, i := range ids {
			if kind == spec.Recover && !c.down[i] {
				return "", fmt.Errorf("n%d is not down", i)
			}
			c.down[i] = false
			b.WriteString(c.step(i, spec.Input[raft.Msg]{Kind: kind}))
		}
		return strings.TrimRight(b.String(), "\n"), nil
	case "fire":
		if len(f) != 3 {
			return "", errors.New("want fire NODE election|heartbeat")
		}
		i, err := c.node(f[1])
		if err != nil {
			return "", err
		}
		timer, ok := map[string]spec.Timer{"election": raft.Election, "heartbeat": raft.Heartbeat}[f[2]]
		if !ok {
			return "", fmt.Errorf("no timer %q", f[2])
		}
		if c.down[i] || !c.timers[i][timer] {
			return "", fmt.Errorf("n%d's %s timer is not set", i, f[2])
		}
		delete(c.timers[i], timer)
		return c.stepOut(i, spec.Input[raft.Msg]{Kind: spec.Fire, Timer: timer}), nil
	case "request":
		if len(f) != 3 || !strings.HasPrefix(f[2], "v") {
			return "", errors.New("want request NODE vVALUE")
		}
		i, err := c.node(f[1])
		if err != nil {
			return "", err
		}
		v, err := strconv.Atoi(f[2][1:])
		if err != nil {
			return "", err
		}
		if c.down[i] {
			return "", fmt.Errorf("n%d is down", i)
		}
		return c.stepOut(i, spec.Input[raft.Msg]{Kind: spec.Request, Msg: raft.Msg{Kind: raft.ClientRequest, Val: int32(v)}}), nil
	case "deliver", "drop", "dup":
		return c.network(f)
	case "crash":
		if len(f) != 2 {
			return "", errors.New("want crash NODE")
		}
		i, err := c.node(f[1])
		if err != nil {
			return "", err
		}
		if c.down[i] {
			return "", fmt.Errorf("n%d is down already", i)
		}
		c.nodes[i], c.down[i], c.timers[i] = c.p.Crash(c.nodes[i]), true, map[spec.Timer]bool{}
		return fmt.Sprintf("n%d: down; keeps %s", i, c.describe(i)), nil
	case "net":
		return c.net(), nil
	case "check":
		return c.check(), nil
	}
	return "", fmt.Errorf("unknown command %q", f[0])
}

// cluster makes a fresh cluster: every node a candidate, no bound on
// terms, heartbeats or the log (the protocol as it runs, not as the
// checker bounds it).
func (c *scenario) cluster(args []string) (string, error) {
	p := raft.RuntimeParams(3)
	for _, a := range args {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "n":
			n, err := strconv.Atoi(v)
			if err != nil {
				return "", err
			}
			p = raft.Params{N: n, MaxTerm: p.MaxTerm, MaxBeats: p.MaxBeats, MaxLog: p.MaxLog, Candidates: n, Mutant: p.Mutant}
		case "mutant":
			p.Mutant = v
		default:
			return "", fmt.Errorf("cluster: unknown setting %q", a)
		}
	}
	proto, err := raft.New(p)
	if err != nil {
		return "", err
	}
	*c = scenario{p: proto, leaders: map[int32][]int{}}
	var b strings.Builder
	for i := range p.N {
		c.nodes = append(c.nodes, proto.Init(spec.NodeID(i)))
		c.timers = append(c.timers, map[spec.Timer]bool{})
		c.down = append(c.down, false)
		c.delivered = append(c.delivered, nil)
		fmt.Fprintf(&b, "n%d: %s\n", i, c.describe(i))
	}
	return strings.TrimRight(b.String(), "\n"), nil
}

// state gives a node (not started yet) the persisted state of a node that
// restarts from disk: term, vote, log and commit length.
func (c *scenario) state(args []string) (string, error) {
	if len(args) == 0 {
		return "", errors.New("want state NODE term=T voted=nJ log=v1@t1,v2@t1 commit=K")
	}
	i, err := c.node(args[0])
	if err != nil {
		return "", err
	}
	s := c.p.Init(spec.NodeID(i))
	for _, a := range args[1:] {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "term", "commit":
			n, err := strconv.Atoi(v)
			if err != nil {
				return "", err
			}
			if k == "term" {
				s.Term = int32(n)
			} else {
				s.Commit = int32(n)
			}
		case "voted":
			j, err := c.node(v)
			if err != nil {
				return "", err
			}
			s.VotedFor = int8(j)
		case "log":
			var es []raft.Entry
			for _, e := range strings.Split(v, ",") {
				var val, term int32
				if _, err := fmt.Sscanf(e, "v%d@t%d", &val, &term); err != nil {
					return "", fmt.Errorf("log entry %q: want vVALUE@tTERM", e)
				}
				es = append(es, raft.Entry{Val: val, Term: term})
			}
			s.Log = raft.LogOf(es...)
		default:
			return "", fmt.Errorf("state: unknown field %q", a)
		}
	}
	if int(s.Commit) > s.Log.Len() {
		return "", fmt.Errorf("commit %d beyond a log of %d", s.Commit, s.Log.Len())
	}
	c.nodes[i] = s
	for k := range s.Commit {
		c.delivered[i] = append(c.delivered[i], s.Log.At(int(k)))
	}
	return fmt.Sprintf("n%d: %s", i, c.describe(i)), nil
}

// network delivers, drops or duplicates messages of one link.
func (c *scenario) network(f []string) (string, error) {
	if len(f) < 2 || len(f) > 3 {
		return "", fmt.Errorf("want %s FROM->TO [#k|all]", f[0])
	}
	a, b, ok := strings.Cut(f[1], "->")
	if !ok {
		return "", fmt.Errorf("%q: want FROM->TO", f[1])
	}
	from, err := c.node(a)
	if err != nil {
		return "", err
	}
	to, err := c.node(b)
	if err != nil {
		return "", err
	}
	var link []int // indices into inflight, oldest first
	for k, e := range c.inflight {
		if e.from == from && e.to == to {
			link = append(link, k)
		}
	}
	if len(link) == 0 {
		return "", fmt.Errorf("nothing in flight from n%d to n%d", from, to)
	}
	pick := link[:1]
	if len(f) == 3 {
		switch {
		case f[2] == "all" && f[0] != "dup":
			pick = link
		case strings.HasPrefix(f[2], "#"):
			k, err := strconv.Atoi(f[2][1:])
			if err != nil || k < 1 || k > len(link) {
				return "", fmt.Errorf("%s: %d messages on the link", f[2], len(link))
			}
			pick = link[k-1 : k]
		default:
			return "", fmt.Errorf("%q: want #k or all", f[2])
		}
	}
	taken := make([]packet, len(pick))
	for k, idx := range pick {
		taken[k] = c.inflight[idx]
	}
	var out strings.Builder
	switch f[0] {
	case "dup":
		c.inflight = append(c.inflight, taken[0])
		fmt.Fprintf(&out, "duplicated n%d->n%d %s", from, to, c.p.FormatMsg(taken[0].msg))
		return out.String(), nil
	case "drop":
		c.remove(pick)
		for _, e := range taken {
			fmt.Fprintf(&out, "lost n%d->n%d %s\n", from, to, c.p.FormatMsg(e.msg))
		}
		return strings.TrimRight(out.String(), "\n"), nil
	}
	if c.down[to] {
		return "", fmt.Errorf("n%d is down: drop the message instead", to)
	}
	c.remove(pick)
	for _, e := range taken {
		fmt.Fprintf(&out, "n%d receives %s from n%d\n", to, c.p.FormatMsg(e.msg), from)
		out.WriteString(c.step(to, spec.Input[raft.Msg]{Kind: spec.Receive, From: spec.NodeID(from), Msg: e.msg}))
	}
	return strings.TrimRight(out.String(), "\n"), nil
}

func (c *scenario) remove(idx []int) {
	for k := len(idx) - 1; k >= 0; k-- {
		c.inflight = slices.Delete(c.inflight, idx[k], idx[k]+1)
	}
}

// step applies one input to node i and writes its new state and outputs,
// keeping the messages it sends, its timers, its deliveries and its
// elections.
func (c *scenario) step(i int, in spec.Input[raft.Msg]) string {
	next, outs := c.p.Step(c.nodes[i], in)
	c.nodes[i] = next
	var b strings.Builder
	fmt.Fprintf(&b, "n%d: %s\n", i, c.describe(i))
	for _, o := range outs {
		switch o.Kind {
		case spec.Send:
			c.inflight = append(c.inflight, packet{i, int(o.To), o.Msg})
			fmt.Fprintf(&b, "  send n%d->n%d %s\n", i, o.To, c.p.FormatMsg(o.Msg))
		case spec.SetTimer:
			c.timers[i][o.Timer] = true
			fmt.Fprintf(&b, "  set %s timer\n", c.p.TimerName(o.Timer))
		case spec.CancelTimer:
			delete(c.timers[i], o.Timer)
			fmt.Fprintf(&b, "  cancel %s timer\n", c.p.TimerName(o.Timer))
		case spec.Observe:
			switch o.Msg.Kind {
			case raft.Delivered:
				c.delivered[i] = append(c.delivered[i], raft.Entry{Val: o.Msg.Val, Term: o.Msg.Term})
			case raft.BecameLeader:
				c.leaders[o.Msg.Term] = append(c.leaders[o.Msg.Term], i)
			}
			fmt.Fprintf(&b, "  %s\n", c.p.FormatMsg(o.Msg))
		}
	}
	return b.String()
}

func (c *scenario) stepOut(i int, in spec.Input[raft.Msg]) string {
	return strings.TrimRight(c.step(i, in), "\n")
}

// describe writes node i's state: role, term, vote, the leader it knows,
// log, commit length, and a leader's sentLength and ackedLength.
func (c *scenario) describe(i int) string {
	s := c.nodes[i]
	var b strings.Builder
	fmt.Fprintf(&b, "%s t%d", s.Role, s.Term)
	if s.VotedFor >= 0 {
		fmt.Fprintf(&b, " voted n%d", s.VotedFor)
	}
	if s.Leader >= 0 && s.Role != raft.Leader {
		fmt.Fprintf(&b, " leader n%d", s.Leader)
	}
	fmt.Fprintf(&b, " log %s commit %d", s.Log, s.Commit)
	if s.Role == raft.Leader {
		n := c.p.Nodes()
		fmt.Fprintf(&b, " sent %v acked %v", s.Sent[:n], s.Acked[:n])
	}
	if len(s.Pending) > 0 {
		fmt.Fprintf(&b, " pending %d", len(s.Pending))
	}
	return b.String()
}

func (c *scenario) net() string {
	if len(c.inflight) == 0 {
		return "nothing in flight"
	}
	var b strings.Builder
	for from := range c.nodes {
		for to := range c.nodes {
			var msgs []string
			for _, e := range c.inflight {
				if e.from == from && e.to == to {
					msgs = append(msgs, c.p.FormatMsg(e.msg))
				}
			}
			if len(msgs) > 0 {
				fmt.Fprintf(&b, "n%d->n%d: %s\n", from, to, strings.Join(msgs, ", "))
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// check writes the leaders of each term, what each node delivered, and
// whether two nodes delivered different entries at one index — an oracle
// of its own for election safety and state machine safety, independent of
// the package's properties.
func (c *scenario) check() string {
	var b strings.Builder
	terms := slices.Sorted(func(yield func(int32) bool) {
		for t := range c.leaders {
			if !yield(t) {
				return
			}
		}
	})
	var leaders []string
	safe := true
	for _, t := range terms {
		var ns []string
		for _, i := range c.leaders[t] {
			ns = append(ns, fmt.Sprintf("n%d", i))
		}
		leaders = append(leaders, fmt.Sprintf("t%d %s", t, strings.Join(ns, "+")))
		safe = safe && len(ns) == 1
	}
	fmt.Fprintf(&b, "leaders: %s\n", strings.Join(leaders, ", "))
	if safe {
		b.WriteString("election safety: holds\n")
	} else {
		b.WriteString("election safety: VIOLATED (two leaders of one term)\n")
	}
	for i, d := range c.delivered {
		fmt.Fprintf(&b, "n%d delivered %s\n", i, raft.LogOf(d...))
	}
	var broken []string
	for i := range c.delivered {
		for j := i + 1; j < len(c.delivered); j++ {
			for k := range min(len(c.delivered[i]), len(c.delivered[j])) {
				if c.delivered[i][k] != c.delivered[j][k] {
					broken = append(broken, fmt.Sprintf("n%d and n%d delivered %s and %s at index %d", i, j, c.delivered[i][k], c.delivered[j][k], k+1))
					break
				}
			}
		}
	}
	if len(broken) == 0 {
		b.WriteString("state machine safety: holds")
	} else {
		b.WriteString("state machine safety: VIOLATED: " + strings.Join(broken, "; "))
	}
	return b.String()
}

func (c *scenario) node(s string) (int, error) {
	i, err := strconv.Atoi(strings.TrimPrefix(s, "n"))
	if err != nil || !strings.HasPrefix(s, "n") || i < 0 || i >= len(c.nodes) {
		return 0, fmt.Errorf("%q: want a node n0..n%d", s, len(c.nodes)-1)
	}
	return i, nil
}

func (c *scenario) nodeOrAll(s string) ([]int, error) {
	if s == "all" {
		ids := make([]int, len(c.nodes))
		for i := range ids {
			ids[i] = i
		}
		return ids, nil
	}
	i, err := c.node(s)
	return []int{i}, err
}

// The driver refuses what no execution could do, so a scenario that plays
// is a legal execution; and a file whose outputs differ fails.
func TestScenarioDriverRefusesIllegalSteps(t *testing.T) {
	for _, c := range []struct {
		cmds []string
		want string
	}{
		{[]string{"start all"}, "the first command must be cluster"},
		{[]string{"cluster n=3", "fire n0 election"}, "timer is not set"},
		{[]string{"cluster n=3", "start all", "fire n0 heartbeat"}, "timer is not set"},
		{[]string{"cluster n=3", "start all", "deliver n0->n1"}, "nothing in flight"},
		{[]string{"cluster n=3", "start all", "fire n0 election", "crash n1", "deliver n0->n1"}, "n1 is down"},
		{[]string{"cluster n=3", "start all", "crash n1", "fire n1 election"}, "timer is not set"},
		{[]string{"cluster n=3", "start all", "recover n1"}, "not down"},
		{[]string{"cluster n=3", "request n3 v1"}, "want a node n0..n2"},
		{[]string{"cluster n=3", "state n0 log=v1@t1 commit=2"}, "beyond a log"},
		{[]string{"cluster n=3 mutant=nope"}, `Mutant = "nope"`},
	} {
		var s scenario
		var err error
		for _, cmd := range c.cmds {
			if _, err = s.run(cmd); err != nil {
				break
			}
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an error saying %q", c.cmds, err, c.want)
		}
	}
	path := filepath.Join(t.TempDir(), "wrong.txt")
	if err := os.WriteFile(path, []byte("cluster n=1\n----\nn0: leader t9 log [] commit 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	blocks, err := parseScenario(path)
	if err != nil || len(blocks) != 1 {
		t.Fatalf("%d blocks, %v", len(blocks), err)
	}
	var s scenario
	if got, err := s.run(blocks[0].cmd); err != nil || got == blocks[0].want {
		t.Errorf("a wrong expected output matches: %q, %v", got, err)
	}
}
