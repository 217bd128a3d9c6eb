package main

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// hashicorp raft (github.com/hashicorp/raft): the library runs its own
// goroutines; the harness gives it its in-memory pieces: InmemTransport
// (requests and responses are Go values passed over channels, nothing is
// encoded), InmemStore for the log and stable state, InmemSnapshotStore.
// The log is kept bounded the library's way: a snapshot of the store every
// compactEvery entries (SnapshotThreshold, checked every SnapshotInterval)
// keeping the newest compactEvery entries (TrailingLogs). Raft.Apply
// returns once the leader applied the command to its store, which is when
// the client is answered, as for the other implementations.
var hashicorpImpl = Impl{
	Name:  "hashicorp",
	Start: startHashicorp,
	Note:  "github.com/hashicorp/raft v1.8.0 InmemTransport, InmemStore, InmemSnapshotStore; heartbeat/election/lease timeout 300 ms at node 1 (the first candidate), 1 s at the others, commit timeout 5 ms, MaxAppendEntries 64 (default), snapshot check every 20 ms",
}

type hashicorpFSM struct{ kv store }

func (f *hashicorpFSM) Apply(l *raft.Log) any {
	if l.Type != raft.LogCommand {
		return nil
	}
	return f.kv.apply(l.Data)
}

func (f *hashicorpFSM) Snapshot() (raft.FSMSnapshot, error) {
	return hashicorpSnapshot(f.kv.snapshot()), nil
}

func (f *hashicorpFSM) Restore(r io.ReadCloser) error {
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return f.kv.restore(b)
}

type hashicorpSnapshot []byte

func (s hashicorpSnapshot) Persist(sink raft.SnapshotSink) error {
	if _, err := sink.Write(s); err != nil {
		sink.Cancel()
		return err
	}
	return sink.Close()
}

func (s hashicorpSnapshot) Release() {}

type hashicorpCluster struct {
	rafts   []*raft.Raft
	fsms    []*hashicorpFSM
	logs    []*raft.InmemStore
	trans   []*raft.InmemTransport
	leader  *raft.Raft
	closing sync.Once
	err     error
}

func startHashicorp(clients int) (Cluster, error) {
	c := &hashicorpCluster{}
	var servers []raft.Server
	for i := range Nodes {
		addr, t := raft.NewInmemTransport(raft.ServerAddress(fmt.Sprintf("n%d", i+1)))
		c.trans = append(c.trans, t)
		servers = append(servers, raft.Server{ID: raft.ServerID(addr), Address: addr})
	}
	for _, a := range c.trans {
		for _, b := range c.trans {
			if a != b {
				a.Connect(b.LocalAddr(), b)
			}
		}
	}
	for i := range Nodes {
		conf := raft.DefaultConfig()
		conf.LocalID = servers[i].ID
		conf.HeartbeatTimeout = time.Second
		conf.ElectionTimeout = time.Second
		conf.LeaderLeaseTimeout = time.Second
		conf.CommitTimeout = 5 * time.Millisecond
		conf.SnapshotThreshold = uint64(compactEvery)
		conf.TrailingLogs = uint64(compactEvery)
		conf.SnapshotInterval = 20 * time.Millisecond
		conf.NoSnapshotRestoreOnStart = true
		conf.Logger = hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Off})
		if i == 0 {
			// Node 1 stands first, as with the other implementations. The
			// leader steps down when no follower answered within its lease
			// (at most its heartbeat timeout), hence 300 ms: with 150 ms,
			// runs on the loaded shared machine lost their leader.
			conf.HeartbeatTimeout = 300 * time.Millisecond
			conf.ElectionTimeout = 300 * time.Millisecond
			conf.LeaderLeaseTimeout = 300 * time.Millisecond
		}
		logs := raft.NewInmemStore()
		snaps := raft.NewInmemSnapshotStore()
		fsm := &hashicorpFSM{}
		if err := raft.BootstrapCluster(conf, logs, logs, snaps, c.trans[i], raft.Configuration{Servers: servers}); err != nil {
			c.Close()
			return nil, err
		}
		r, err := raft.NewRaft(conf, fsm, logs, logs, snaps, c.trans[i])
		if err != nil {
			c.Close()
			return nil, err
		}
		c.rafts = append(c.rafts, r)
		c.fsms = append(c.fsms, fsm)
		c.logs = append(c.logs, logs)
	}
	deadline := time.Now().Add(10 * time.Second)
	for c.leader == nil {
		for _, r := range c.rafts {
			if r.State() == raft.Leader {
				c.leader = r
			}
		}
		if time.Now().After(deadline) {
			c.Close()
			return nil, errors.New("hashicorp: no leader after 10 s")
		}
		time.Sleep(2 * time.Millisecond)
	}
	// The leader's first entry of its term (its configuration) is applied
	// once Barrier returns.
	if err := c.leader.Barrier(5 * time.Second).Error(); err != nil {
		c.Close()
		return nil, fmt.Errorf("hashicorp: barrier: %w", err)
	}
	return c, nil
}

func (c *hashicorpCluster) Propose(client int, p []byte) error {
	f := c.leader.Apply(p, 0)
	if err := f.Error(); err != nil {
		return err
	}
	if err, ok := f.Response().(error); ok && err != nil {
		return err
	}
	return nil
}

func (c *hashicorpCluster) Retained() int {
	m := 0
	for _, l := range c.logs {
		first, _ := l.FirstIndex()
		last, _ := l.LastIndex()
		if last >= first && last > 0 {
			m = max(m, int(last-first+1))
		}
	}
	return m
}

func (c *hashicorpCluster) Applied() []uint64 {
	var a []uint64
	for i, f := range c.fsms {
		if c.rafts[i] == c.leader {
			a = append([]uint64{f.kv.count()}, a...)
		} else {
			a = append(a, f.kv.count())
		}
	}
	return a
}

func (c *hashicorpCluster) Close() error {
	c.closing.Do(func() {
		var errs []error
		for _, r := range c.rafts {
			errs = append(errs, r.Shutdown().Error())
		}
		for _, t := range c.trans {
			errs = append(errs, t.Close())
		}
		c.err = errors.Join(errs...)
	})
	return c.err
}
