package impl_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
)

func echoDiskStores(dir string) func(spec.NodeID) (impl.Store[echoState], error) {
	return impl.DiskStores(dir, echo{3}, impl.JSONCodec[echoState]{}, nil)
}

// A crashed node restarts from its data directory; a cluster started on
// the directories an earlier one left begins every node with Recover from
// what it persisted: exactly what Crash kept of its last state.
func TestNodesRestartFromTheirDataDirectories(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := startEcho(t, 3, impl.Config[echoState, echoMsg]{Seed: 1, Stores: echoDiskStores(dir)})
	ctx := ctxFor(t, 5*time.Second)
	for k := 1; k <= 5; k++ {
		if k == 3 {
			if err := c.Crash(0); err != nil {
				t.Fatal(err)
			}
			if err := c.Restart(0); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := c.Client(0).Call(ctx, 1, echoMsg{Kind: "add", Delta: k, Node: 1}); err != nil {
			t.Fatal(err)
		}
	}
	c.Settle(ctx)
	first := stop(t, c)
	last := map[spec.NodeID]echoState{}
	for _, e := range first.Events {
		last[e.Node] = e.State
	}

	c = startEcho(t, 3, impl.Config[echoState, echoMsg]{Seed: 2, Stores: echoDiskStores(dir)})
	r, err := c.Client(0).Call(ctx, 2, echoMsg{Kind: "add", Delta: 100, Node: 2})
	if err != nil {
		t.Fatal(err)
	}
	c.Settle(ctx)
	second := stop(t, c)
	if r.Total != last[0].Total+100 {
		t.Errorf("total %d after the second start, want %d persisted + 100", r.Total, last[0].Total)
	}
	for i := range 3 {
		e := second.Events[i]
		kept := echo{3}.Crash(last[e.Node])
		if e.Input.Kind != spec.Recover || e.Loaded != kept {
			t.Errorf("node %d began with %s from %+v, want recover from %+v", e.Node, e.Input.Kind, e.Loaded, kept)
		}
	}
}

// Reference: durability across kill -9. A child process runs the echo
// cluster on disk and prints every total the server acknowledged; the
// parent kills it with SIGKILL in the middle of the traffic. Whatever was
// acknowledged was fsync'd first, so the reopened store holds a total at
// least as large as the last one printed, and opens without complaint
// (or with a torn tail truncated and reported).
func TestNothingAcknowledgedIsLostToKillDash9(t *testing.T) {
	if os.Getenv("IMPL_KILL_CHILD") != "" {
		killChild(os.Getenv("IMPL_KILL_CHILD"))
		return
	}
	t.Parallel()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestNothingAcknowledgedIsLostToKillDash9$")
	cmd.Env = append(os.Environ(), "IMPL_KILL_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if n, err := strconv.Atoi(sc.Text()); err == nil {
			acked = n
		}
		if acked >= 200 {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	for sc.Scan() { // totals printed before the kill landed
		if n, err := strconv.Atoi(sc.Text()); err == nil {
			acked = n
		}
	}
	cmd.Wait()
	if acked < 200 {
		t.Fatalf("the child acknowledged only %d", acked)
	}
	var report string
	d, err := impl.OpenDiskStore(dir+"/n0", echo{}.AppendState, impl.JSONCodec[echoState]{}, func(f string, a ...any) { report = fmt.Sprintf(f, a...) })
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	s, ok, _ := d.Load()
	if !ok || s.Total < acked {
		t.Errorf("store holds total %d after kill -9, but %d was acknowledged", s.Total, acked)
	}
	t.Logf("acknowledged %d, stored %d; %s", acked, s.Total, report)
}

// killChild runs the echo cluster on disk under dir, adding 1 at the
// server forever and printing each total acknowledged.
func killChild(dir string) {
	c, err := impl.Start(impl.Config[echoState, echoMsg]{Protocol: echo{3}, Seed: 1, Stores: echoDiskStores(dir), Replies: echoReplies})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for {
		r, err := c.Client(0).Call(context.Background(), 0, echoMsg{Kind: "add", Delta: 1, Node: 0})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println(r.Total)
	}
}
