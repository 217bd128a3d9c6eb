package impl_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

// logBuf collects a transport's log lines.
type logBuf struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuf) logf(format string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *logBuf) has(sub string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.lines {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// freeAddrs returns n loopback addresses whose ports were free a moment ago.
func freeAddrs(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		out = append(out, ln.Addr().String())
	}
	for _, ln := range lns {
		ln.Close()
	}
	return out
}

type tcpNode struct {
	c   *impl.Cluster[echoState, echoMsg]
	tr  *impl.TCP[echoMsg]
	log *logBuf
}

// startTCPEcho starts the echo protocol as n clusters of one local node
// each, joined by TCP transports on loopback, as n processes would be.
func startTCPEcho(t *testing.T, n int, cluster string, tlsDir string) []*tcpNode {
	t.Helper()
	addrs := freeAddrs(t, n)
	var nodes []*tcpNode
	for i := range n {
		lb := &logBuf{}
		cfg := impl.TCPConfig[echoMsg]{Self: spec.NodeID(i), Listen: addrs[i], Peers: addrs, Cluster: cluster,
			Protocol: "echo", Canon: echo{n}.AppendMsg, Logf: lb.logf}
		if tlsDir != "" {
			tc, err := impl.LoadTLS(tlsDir, impl.NodeCertName(i))
			if err != nil {
				t.Fatal(err)
			}
			cfg.TLS = tc
		}
		tr, err := impl.ListenTCP(cfg)
		if err != nil {
			t.Fatal(err)
		}
		c, err := impl.Start(impl.Config[echoState, echoMsg]{
			Protocol: echo{n}, Local: []spec.NodeID{spec.NodeID(i)}, Transport: tr, Replies: echoReplies, Record: true,
			// The echo protocol's retry adds again: slower than any
			// connection set-up, so that each request is added once.
			Timers: map[string]impl.TimerSpec{"retry": {Base: 2 * time.Second}},
		})
		if err != nil {
			t.Fatal(err)
		}
		tr.Start(c.Deliver)
		nodes = append(nodes, &tcpNode{c, tr, lb})
		t.Cleanup(func() { c.Stop(); tr.Close() })
	}
	// Every link up before the test sends: a message to a peer not yet
	// listening is dropped (fair loss), and the echo protocol's retry
	// would add again.
	deadline := time.Now().Add(5 * time.Second)
	for _, nd := range nodes {
		for nd.tr.Stats().Connects < int64(n-1) {
			if time.Now().After(deadline) {
				t.Fatalf("links not up after 5 s:\n%s", nd.log)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return nodes
}

// TestTCPCarriesRequestsBetweenProcesses: a request at node 1 travels to
// node 0 over TCP and its acknowledgement comes back, and each "process"
// replays its own steps through Step.
func TestTCPCarriesRequestsBetweenProcesses(t *testing.T) {
	nodes := startTCPEcho(t, 3, "c1", "")
	for i, d := range []int{5, 7} {
		node := spec.NodeID(i + 1)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		r, err := nodes[node].c.Client(0).Call(ctx, node, echoMsg{Kind: "add", Delta: d, Node: node})
		cancel()
		if err != nil {
			t.Fatalf("node %d: %v\nlogs: %s", node, err, nodes[node].log)
		}
		if want := []int{5, 12}[i]; r.Total != want {
			t.Fatalf("node %d: total %d, want %d", node, r.Total, want)
		}
	}
	var runs []*impl.Run[echoState, echoMsg]
	for i, nd := range nodes {
		run, err := nd.c.Stop()
		if err != nil {
			t.Fatal(err)
		}
		if err := run.Replay(); err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		runs = append(runs, run)
	}
	// Each receipt at node 0 names the process and the step that sent it.
	received := 0
	for _, e := range runs[0].Events {
		if e.Kind != impl.StepEvent || e.Input.Kind != spec.Receive {
			continue
		}
		received++
		from := e.Input.From
		if e.Origin != nodes[from].tr.Incarnation() {
			t.Fatalf("a receipt from n%d names incarnation %x, n%d's is %x", from, e.Origin, from, nodes[from].tr.Incarnation())
		}
		var sent *impl.Event[echoState, echoMsg]
		for k := range runs[from].Events {
			if runs[from].Events[k].Seq == e.Cause {
				sent = &runs[from].Events[k]
			}
		}
		if sent == nil || e.Send >= len(sent.Outputs) || sent.Outputs[e.Send].Kind != spec.Send || sent.Outputs[e.Send].Msg != e.Input.Msg {
			t.Fatalf("a receipt of %+v from n%d names step %d, output %d, which did not send it", e.Input.Msg, from, e.Cause, e.Send)
		}
	}
	if received < 2 {
		t.Fatalf("node 0 received %d messages, want 2", received)
	}
	if st := nodes[0].tr.Stats(); st.Received < 2 || st.Sent < 2 {
		t.Fatalf("node 0's transport: %+v, want at least 2 received and 2 sent", st)
	}
}

// TestTCPRefusesAForeignCluster: a node of another cluster is refused by
// its Hello, with one log line at each end, and nothing is delivered.
func TestTCPRefusesAForeignCluster(t *testing.T) {
	addrs := freeAddrs(t, 2)
	var logs [2]*logBuf
	var trs [2]*impl.TCP[echoMsg]
	got := make(chan echoMsg, 10)
	for i, cluster := range []string{"mine", "theirs"} {
		logs[i] = &logBuf{}
		tr, err := impl.ListenTCP(impl.TCPConfig[echoMsg]{Self: spec.NodeID(i), Listen: addrs[i], Peers: addrs, Cluster: cluster, Protocol: "echo", Logf: logs[i].logf})
		if err != nil {
			t.Fatal(err)
		}
		tr.Start(func(from, to spec.NodeID, m echoMsg, _ impl.Origin) error { got <- m; return nil })
		trs[i] = tr
		t.Cleanup(func() { tr.Close() })
	}
	trs[1].Send(1, 0, echoMsg{Kind: "fwd"}, impl.Tag{})
	deadline := time.Now().Add(3 * time.Second)
	for !(logs[0].has(`refused connection`) && logs[1].has(`refused: cluster "theirs", this node belongs to cluster "mine"`)) {
		if time.Now().After(deadline) {
			t.Fatalf("no refusal logged:\nn0: %s\nn1: %s", logs[0], logs[1])
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case m := <-got:
		t.Fatalf("a message of another cluster was delivered: %+v", m)
	case <-time.After(50 * time.Millisecond):
	}
	if st := trs[0].Stats(); st.Refused == 0 || st.Received != 0 {
		t.Fatalf("stats %+v: want refusals and nothing received", st)
	}
}

// TestTCPDropsAConnectionWithAGarbageFrame: bytes that are not a frame, a
// frame with a bad checksum, a frame of another version — each is logged
// in one line, its connection is closed, and the transport goes on taking
// good connections.
func TestTCPDropsAConnectionWithAGarbageFrame(t *testing.T) {
	addrs := freeAddrs(t, 2)
	lb := &logBuf{}
	tr, err := impl.ListenTCP(impl.TCPConfig[echoMsg]{Self: 0, Listen: addrs[0], Peers: addrs, Cluster: "c", Protocol: "echo", Logf: lb.logf})
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan echoMsg, 10)
	tr.Start(func(from, to spec.NodeID, m echoMsg, _ impl.Origin) error { got <- m; return nil })
	t.Cleanup(func() { tr.Close() })
	hello := []byte(`{"cluster":"c","protocol":"echo","nodes":2,"from":1,"to":0}`)
	good := impl.AppendFrame(nil, impl.FrameHello, hello)
	badSum := bytes.Clone(good)
	badSum[len(badSum)-1] ^= 1
	badVersion := bytes.Clone(good)
	badVersion[4] = 9
	cases := []struct {
		name string
		data []byte
		log  string
	}{
		{"http", []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), `magic "GET "`},
		{"checksum", badSum, "checksum"},
		{"version", badVersion, "wire format version 9"},
		{"msg after hello", append(bytes.Clone(good), impl.AppendFrame(nil, impl.FrameMsg, []byte("{not json"))...), "does not decode"},
	}
	for _, tc := range cases {
		c, err := net.Dial("tcp", addrs[0])
		if err != nil {
			t.Fatal(err)
		}
		c.Write(tc.data)
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		io.Copy(io.Discard, c) // returns when the transport closes the connection
		c.Close()
		deadline := time.Now().Add(2 * time.Second)
		for !lb.has(tc.log) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: no line with %q logged:\n%s", tc.name, tc.log, lb)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	// A good peer is still welcome.
	other, err := impl.ListenTCP(impl.TCPConfig[echoMsg]{Self: 1, Listen: addrs[1], Peers: addrs, Cluster: "c", Protocol: "echo"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	other.Start(func(spec.NodeID, spec.NodeID, echoMsg, impl.Origin) error { return nil })
	other.Send(1, 0, echoMsg{Kind: "fwd", Delta: 3}, impl.Tag{})
	select {
	case m := <-got:
		if m.Delta != 3 {
			t.Fatalf("got %+v", m)
		}
	case <-time.After(3 * time.Second):
		t.Fatalf("a good peer's message did not arrive after the garbage:\n%s", lb)
	}
}

// TestTCPMutualTLS: nodes with the cluster's certificates talk; a node
// with another cluster's certificates is refused at the handshake.
func TestTCPMutualTLS(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	if err := impl.GenerateCerts(dir, "c1", 2, nil); err != nil {
		t.Fatal(err)
	}
	if err := impl.GenerateCerts(other, "c1", 2, nil); err != nil {
		t.Fatal(err)
	}
	if err := impl.GenerateCerts(dir, "c1", 2, nil); err == nil {
		t.Fatal("certificates were overwritten")
	}
	nodes := startTCPEcho(t, 2, "c1", dir)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	r, err := nodes[1].c.Client(0).Call(ctx, 1, echoMsg{Kind: "add", Delta: 4, Node: 1})
	cancel()
	if err != nil || r.Total != 4 {
		t.Fatalf("over TLS: %+v, %v\n%s\n%s", r, err, nodes[0].log, nodes[1].log)
	}
	// An impostor with the other authority's node1 certificate.
	tc, err := impl.LoadTLS(other, impl.NodeCertName(1))
	if err != nil {
		t.Fatal(err)
	}
	addr := nodes[0].tr.Addr().String()
	lb := &logBuf{}
	imp, err := impl.ListenTCP(impl.TCPConfig[echoMsg]{Self: 1, Listen: "127.0.0.1:0", Peers: []string{addr, "127.0.0.1:1"}, Cluster: "c1", Protocol: "echo", TLS: tc, Logf: lb.logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { imp.Close() })
	imp.Send(1, 0, echoMsg{Kind: "fwd", Delta: 100}, impl.Tag{})
	deadline := time.Now().Add(3 * time.Second)
	for !lb.has("certificate") || !nodes[0].log.has("refused connection") {
		if time.Now().After(deadline) {
			t.Fatalf("impostor not refused:\nimpostor: %s\nnode 0: %s", lb, nodes[0].log)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if st := imp.Stats(); st.Sent != 0 {
		t.Fatalf("the impostor sent %d messages", st.Sent)
	}
}

// TestTCPRefusesBadAddresses: a port in use and a wrong peer list fail
// at once, each with one line.
func TestTCPRefusesBadAddresses(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	busy := ln.Addr().String()
	cases := []struct {
		cfg  impl.TCPConfig[echoMsg]
		want string
	}{
		{impl.TCPConfig[echoMsg]{Self: 0, Listen: busy, Peers: []string{busy, "127.0.0.1:9"}}, "address already in use"},
		{impl.TCPConfig[echoMsg]{Self: 2, Listen: busy, Peers: []string{busy, "127.0.0.1:9"}}, "node id 2 is not in the peer list of 2 nodes"},
		{impl.TCPConfig[echoMsg]{Self: 0, Listen: busy, Peers: []string{busy, busy}}, "same address"},
		{impl.TCPConfig[echoMsg]{Self: 0, Listen: busy, Peers: []string{busy, "localhost"}}, "not a host:port"},
	}
	for _, tc := range cases {
		_, err := impl.ListenTCP(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: got %v, want one line with %q", tc.cfg.Peers, err, tc.want)
		}
	}
}

// TestTCPRefusesAWrongPeerList: a node whose peer list swaps two of its
// peers' addresses reaches the wrong node, which refuses it saying so;
// the dialler logs why, and nothing is delivered to the wrong node.
func TestTCPRefusesAWrongPeerList(t *testing.T) {
	addrs := freeAddrs(t, 3)
	wrong := []string{addrs[0], addrs[2], addrs[1]}
	var logs [3]*logBuf
	got := make(chan spec.NodeID, 10)
	var trs [3]*impl.TCP[echoMsg]
	for i := range 3 {
		peers := addrs
		if i == 0 {
			peers = wrong
		}
		logs[i] = &logBuf{}
		tr, err := impl.ListenTCP(impl.TCPConfig[echoMsg]{Self: spec.NodeID(i), Listen: addrs[i], Peers: peers, Cluster: "c", Protocol: "echo", Logf: logs[i].logf})
		if err != nil {
			t.Fatal(err)
		}
		tr.Start(func(from, to spec.NodeID, m echoMsg, _ impl.Origin) error { got <- to; return nil })
		trs[i] = tr
		t.Cleanup(func() { tr.Close() })
	}
	trs[0].Send(0, 1, echoMsg{Kind: "fwd"}, impl.Tag{})
	deadline := time.Now().Add(3 * time.Second)
	for !logs[0].has("the dialler took this address for node 1, but node 2 listens here: its peer list is wrong") {
		if time.Now().After(deadline) {
			t.Fatalf("no refusal logged by the dialler:\n%s", logs[0])
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case to := <-got:
		t.Fatalf("a message reached node %d through a wrong peer list", to)
	case <-time.After(50 * time.Millisecond):
	}
}
