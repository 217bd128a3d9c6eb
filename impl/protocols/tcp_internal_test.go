package protocols

import (
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

// Every protocol the runtime runs also runs over TCP: one cluster per
// node, as one process per node would be, joined by TCP transports on
// loopback; its workload issued; every message carried by the JSON codec
// and checked against the protocol's canonical encoding (a message the
// codec could not carry would be dropped and logged); each "process"
// replays its own steps through Step.
func TestEveryProtocolRunsOverTCP(t *testing.T) {
	builds := map[string]func(map[string]int) (tcpRunner, error){
		"raft":         func(p map[string]int) (tcpRunner, error) { return wrap(raftTarget(p, "")) },
		"kv":           func(p map[string]int) (tcpRunner, error) { return wrap(kvTarget(p, "")) },
		"rpc":          func(p map[string]int) (tcpRunner, error) { return wrap(rpcTarget(p, "")) },
		"broadcast":    func(p map[string]int) (tcpRunner, error) { return wrap(broadcastTarget(p, "")) },
		"quorum":       func(p map[string]int) (tcpRunner, error) { return wrap(quorumTarget(p, "")) },
		"atomiccommit": func(p map[string]int) (tcpRunner, error) { return wrap(atomiccommitTarget(p, "")) },
		"calendar":     func(p map[string]int) (tcpRunner, error) { return wrap(calendarTarget(p, "")) },
		"crdt":         func(p map[string]int) (tcpRunner, error) { return wrap(crdtTarget(p, "")) },
		"mvmap":        func(p map[string]int) (tcpRunner, error) { return wrap(mvmapTarget(p, "")) },
		"textcrdt":     func(p map[string]int) (tcpRunner, error) { return wrap(textcrdtTarget(p, "")) },
		"ot":           func(p map[string]int) (tcpRunner, error) { return wrap(otTarget(p, "")) },
		"paxosnode":    func(p map[string]int) (tcpRunner, error) { return wrap(paxosnodeTarget(p, "")) },
		"ftcommit":     func(p map[string]int) (tcpRunner, error) { return wrap(ftcommitTarget(p, "")) },
		"cas":          func(p map[string]int) (tcpRunner, error) { return wrap(casTarget(p, "")) },
	}
	// Every cluster is built and its ports taken at once, held until all
	// are known, so that clusters running side by side never draw the
	// same port; each then listens again on its own.
	names := Names()
	runners := map[string]tcpRunner{}
	addrs := map[string][]string{}
	var held []net.Listener
	defer func() {
		for _, ln := range held {
			ln.Close()
		}
	}()
	for _, name := range names {
		build, ok := builds[name]
		if !ok {
			t.Fatalf("no TCP test for %s: add it here", name)
		}
		e, err := catalog.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		params, err := e.Resolve(nil, "")
		if err != nil {
			t.Fatal(err)
		}
		r, err := build(params)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		runners[name] = r
		for range r.nodes {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, ln)
			addrs[name] = append(addrs[name], ln.Addr().String())
		}
	}
	for _, ln := range held {
		ln.Close()
	}
	held = nil
	t.Run("each", func(t *testing.T) {
		for _, name := range names {
			t.Run(name, func(t *testing.T) {
				// Each cluster mostly waits for its messages to settle:
				// side by side they take one cluster's time.
				t.Parallel()
				runners[name].run(t, addrs[name])
			})
		}
	})
}

// A tcpRunner runs one protocol's cluster of nodes over TCP on the
// addresses given.
type tcpRunner struct {
	nodes int
	run   func(t *testing.T, addrs []string)
}

func wrap[S, M any](tg *Target[S, M], err error) (tcpRunner, error) {
	if err != nil {
		return tcpRunner{}, err
	}
	return tcpRunner{nodes: tg.Protocol.Nodes(), run: func(t *testing.T, addrs []string) { runOverTCP(t, tg, addrs) }}, nil
}

type lines struct {
	mu sync.Mutex
	l  []string
}

func (l *lines) logf(format string, args ...any) {
	l.mu.Lock()
	l.l = append(l.l, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func runOverTCP[S, M any](t *testing.T, tg *Target[S, M], addrs []string) {
	n := tg.Protocol.Nodes()
	if len(addrs) != n {
		t.Fatalf("%d addresses for %d nodes", len(addrs), n)
	}
	log := &lines{}
	var cs []*impl.Cluster[S, M]
	var trs []*impl.TCP[M]
	for i := range n {
		tr, err := impl.ListenTCP(impl.TCPConfig[M]{Self: spec.NodeID(i), Listen: addrs[i], Peers: addrs, Cluster: "t", Protocol: tg.Name,
			Canon: tg.Protocol.AppendMsg, Logf: log.logf})
		if err != nil {
			t.Fatal(err)
		}
		c, err := impl.Start(impl.Config[S, M]{Protocol: tg.Protocol, Seed: 1, Local: []spec.NodeID{spec.NodeID(i)}, Transport: tr,
			Timers: tg.Timers, Replies: tg.Replies, Record: true})
		if err != nil {
			t.Fatal(err)
		}
		tr.Start(c.Deliver)
		cs, trs = append(cs, c), append(trs, tr)
		t.Cleanup(func() { c.Stop(); tr.Close() })
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, tr := range trs {
		for tr.Stats().Connects < int64(n-1) {
			if time.Now().After(deadline) {
				t.Fatalf("links not up after 5 s:\n%s", strings.Join(log.l, "\n"))
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	for _, w := range tg.Work {
		if err := cs[w.Node].Request(w.Node, w.Choices[0]); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	var received, dropped int64
	for i, c := range cs {
		run, err := c.Stop()
		if err != nil {
			t.Fatal(err)
		}
		if err := run.Replay(); err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		st := trs[i].Stats()
		received, dropped = received+st.Received, dropped+st.Dropped
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, l := range log.l {
		if strings.Contains(l, "codec") || strings.Contains(l, "decode") || strings.Contains(l, "refused connection") || strings.Contains(l, "refused: ") || strings.Contains(l, "dropped") {
			t.Fatalf("the transport logged: %s", l)
		}
	}
	if received == 0 {
		t.Fatal("no message crossed TCP")
	}
	t.Logf("%s: %d messages received over TCP, %d dropped", tg.Name, received, dropped)
}
