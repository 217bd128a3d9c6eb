package impl_test

import (
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

// TestProxyLosesHoldsAndCutsMessages: node 1's messages to node 0 go
// through a proxy; with no fault they arrive, blackholed they vanish while
// the connection stays up, delayed they arrive late, cut the connection
// breaks and cannot be made again, healed they arrive again.
func TestProxyLosesHoldsAndCutsMessages(t *testing.T) {
	addrs := freeAddrs(t, 2)
	px, err := impl.NewProxy("127.0.0.1:0", addrs[0], 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { px.Close() })
	got := make(chan echoMsg, 100)
	recv, err := impl.ListenTCP(impl.TCPConfig[echoMsg]{Self: 0, Listen: addrs[0], Peers: addrs, Cluster: "c", Protocol: "echo"})
	if err != nil {
		t.Fatal(err)
	}
	recv.Start(func(_, _ spec.NodeID, m echoMsg, _ impl.Origin) error { got <- m; return nil })
	t.Cleanup(func() { recv.Close() })
	lb := &logBuf{}
	send, err := impl.ListenTCP(impl.TCPConfig[echoMsg]{Self: 1, Listen: addrs[1], Peers: []string{px.Addr(), addrs[1]}, Cluster: "c", Protocol: "echo", Logf: lb.logf})
	if err != nil {
		t.Fatal(err)
	}
	send.Start(func(spec.NodeID, spec.NodeID, echoMsg, impl.Origin) error { return nil })
	t.Cleanup(func() { send.Close() })

	arrives := func(seq int, within time.Duration) (time.Duration, bool) {
		start := time.Now()
		send.Send(1, 0, echoMsg{Kind: "fwd", Seq: seq}, impl.Tag{})
		for {
			select {
			case m := <-got:
				if m.Seq == seq {
					return time.Since(start), true
				}
			case <-time.After(within):
				return 0, false
			}
		}
	}
	if _, ok := arrives(1, 3*time.Second); !ok {
		t.Fatalf("no message through a faultless proxy:\n%s", lb)
	}
	px.Set(impl.ProxyFaults{Blackhole: true})
	if _, ok := arrives(2, 200*time.Millisecond); ok {
		t.Fatal("a message went through a blackhole")
	}
	if st := px.Stats(); st.Dropped == 0 || st.Conns != 1 {
		t.Fatalf("blackhole: %+v, want a drop on the one connection", st)
	}
	px.Set(impl.ProxyFaults{Delay: 150 * time.Millisecond})
	if d, ok := arrives(3, 3*time.Second); !ok || d < 150*time.Millisecond {
		t.Fatalf("delayed by %v (arrived %v), want at least 150ms", d, ok)
	}
	px.Set(impl.ProxyFaults{Cut: true})
	if _, ok := arrives(4, 300*time.Millisecond); ok {
		t.Fatal("a message went through a cut link")
	}
	if st := px.Stats(); st.Refused == 0 {
		t.Fatalf("cut: %+v, want refused reconnections", st)
	}
	px.Set(impl.ProxyFaults{})
	deadline := time.Now().Add(5 * time.Second)
	for seq := 5; ; seq++ {
		if _, ok := arrives(seq, 100*time.Millisecond); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message after healing:\n%s", lb)
		}
	}
	if !lb.has("connection lost") && !lb.has("retrying") {
		t.Fatalf("the sender logged nothing of the cut:\n%s", lb)
	}
}
