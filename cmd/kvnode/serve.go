package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/distsys/distsys/impl"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/raft"
)

// protocolName is what a node's data directory and its TCP Hello say it
// runs: spec/raft with this command's key-value machine on top.
const protocolName = "raftkv"

// Files in a node's data directory, besides the manifest.
const (
	stateDir    = "state"         // the DiskStore of Raft's persisted state
	journalFile = "journal.jsonl" // every step, for replay (impl.Journal)
)

// serveConfig is a node's command line.
type serveConfig struct {
	id                          int
	peers, apis                 []string
	listen, http, data, cluster string
	tlsDir                      string
	election, jitter, heartbeat time.Duration
	timeout                     time.Duration
	memStore                    bool
	pipeline                    int       // Raft's pipelining window (0: off)
	batch                       bool      // Raft's leader batches requests behind a flush timer
	flush                       flushFlag // the flush timer: idle, or a delay
}

// flushFlag is -flush: "idle" (the flush fires once the leader has
// handled every input waiting in its inbox: impl.TimerSpec.Idle) or a
// delay after the request that armed it.
type flushFlag struct{ impl.TimerSpec }

func (f *flushFlag) String() string {
	if f.Idle {
		return "idle"
	}
	return f.Base.String()
}

func (f *flushFlag) Set(s string) error {
	if s == "idle" {
		f.TimerSpec = impl.TimerSpec{Idle: true}
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q: want idle or a duration", s)
	}
	f.TimerSpec = impl.TimerSpec{Base: d}
	return nil
}

func serveFlags(stderr io.Writer) (*flag.FlagSet, *serveConfig, *string, *string) {
	c := &serveConfig{flush: flushFlag{impl.TimerSpec{Idle: true}}}
	fs := flag.NewFlagSet("kvnode serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.id, "id", -1, "this node's id: its index in -peers")
	peers := fs.String("peers", "", "every node's peer address (host:port), in id order, comma-separated: where this node dials each peer")
	apis := fs.String("apis", "", "every node's client address (host:port), in id order: where a node that does not lead redirects a client (optional)")
	fs.StringVar(&c.listen, "listen", "", "address to accept peers on (default: this node's entry in -peers)")
	fs.StringVar(&c.http, "http", "", "address to serve clients on (default: this node's entry in -apis)")
	fs.StringVar(&c.data, "data", "", "data directory: Raft's persisted state, the journal of every step; tagged with the protocol, cluster and node")
	fs.StringVar(&c.cluster, "cluster", "demo", "cluster name: a node or data directory of another cluster is refused")
	fs.StringVar(&c.tlsDir, "tls", "", "directory of the cluster's certificates (kvnode certs): every connection, peer or client, is mutual TLS")
	fs.DurationVar(&c.election, "election", 300*time.Millisecond, "election timeout (plus a random jitter up to -jitter)")
	fs.DurationVar(&c.jitter, "jitter", 300*time.Millisecond, "election timeout jitter")
	fs.DurationVar(&c.heartbeat, "heartbeat", 50*time.Millisecond, "leader's heartbeat period")
	fs.DurationVar(&c.timeout, "timeout", 2*time.Second, "how long a client request waits for its entry to be applied")
	fs.IntVar(&c.pipeline, "pipeline", 0, "pipelined replication: the leader sends only entries it has not sent yet, at most this many past a follower's acknowledgement in flight (0: off, every LogRequest carries the whole unacknowledged suffix)")
	fs.BoolVar(&c.batch, "batch", false, "the leader batches client requests: a request appends and arms a -flush timer, whose firing sends every new entry in one LogRequest per follower")
	fs.Var(&c.flush, "flush", "with -batch, when the leader sends the batch: idle (once it has handled every request waiting in its inbox) or a delay after the request that armed it (e.g. 500us)")
	fs.BoolVar(&c.memStore, "memstore", false, "keep Raft's persisted state in memory, not on disk: for measuring the transport alone (a restarted node forgets its term, vote and log — unsafe)")
	return fs, c, peers, apis
}

// parse reads and checks a node's command line.
func (c *serveConfig) check(peers, apis string) error {
	if peers == "" {
		return errors.New("-peers is required: every node's address, in id order")
	}
	c.peers = splitList(peers)
	if c.id < 0 {
		return errors.New("-id is required: this node's index in -peers")
	}
	if err := impl.ValidatePeers(spec.NodeID(c.id), c.peers); err != nil {
		return fmt.Errorf("-peers: %w", err)
	}
	if len(c.peers) > raft.MaxNodes {
		return fmt.Errorf("-peers: %d nodes, at most %d", len(c.peers), raft.MaxNodes)
	}
	if apis != "" {
		c.apis = splitList(apis)
		if len(c.apis) != len(c.peers) {
			return fmt.Errorf("-apis has %d addresses and -peers %d: want one client address per node", len(c.apis), len(c.peers))
		}
		if err := impl.ValidatePeers(spec.NodeID(c.id), c.apis); err != nil {
			return fmt.Errorf("-apis: %w", err)
		}
	}
	if c.listen == "" {
		c.listen = c.peers[c.id]
	}
	if c.http == "" && c.apis != nil {
		c.http = c.apis[c.id]
	}
	switch {
	case c.http == "":
		return errors.New("-http is required (or -apis): the address clients reach this node on")
	case c.data == "":
		return errors.New("-data is required: the directory this node keeps its state in")
	case c.cluster == "":
		return errors.New("-cluster must not be empty")
	case c.election <= 0 || c.heartbeat <= 0 || c.jitter < 0 || c.timeout <= 0:
		return errors.New("-election, -heartbeat and -timeout must be positive, -jitter not negative")
	case c.pipeline < 0:
		return fmt.Errorf("-pipeline %d: want 0 (off) or a window of 1 or more entries", c.pipeline)
	case !c.flush.Idle && c.flush.Base <= 0:
		return fmt.Errorf("-flush %v: want idle or a positive delay", c.flush.Base)
	case c.heartbeat >= c.election:
		return fmt.Errorf("-heartbeat %v is not below -election %v: followers would time out between heartbeats", c.heartbeat, c.election)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		out = append(out, strings.TrimSpace(x))
	}
	return out
}

// manifest is what a node's data directory says it holds.
func (c *serveConfig) manifest() impl.DataManifest {
	m := impl.NewDataManifest(protocolName, len(c.peers), map[string]int{"n": len(c.peers), "node": c.id}, "")
	m.Cluster = c.cluster
	return m
}

// serve runs one node until SIGINT or SIGTERM.
func serve(args []string, stdout, stderr io.Writer) int {
	fs, cfg, peers, apis := serveFlags(stderr)
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kvnode serve: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if err := cfg.check(*peers, *apis); err != nil {
		fmt.Fprintf(stderr, "kvnode serve: %v\n", err)
		return exitUsage
	}
	logger := log.New(stderr, fmt.Sprintf("n%d ", cfg.id), log.Ltime|log.Lmicroseconds)
	n, err := startNode(cfg, logger)
	if err != nil {
		fmt.Fprintf(stderr, "kvnode serve: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case <-ctx.Done():
	case err := <-n.httpErr:
		logger.Printf("http: %v", err)
	}
	if err := n.close(); err != nil {
		logger.Printf("stopping: %v", err)
		return exitFail
	}
	logger.Printf("stopped")
	return exitOK
}

// parseFlags parses args; done says to return code at once (-h, or a bad
// flag: one line).
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (code int, done bool) {
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stderr)
		fmt.Fprintf(stderr, "usage of %s:\n", fs.Name())
		fs.PrintDefaults()
		return exitOK, true
	case err != nil:
		return exitUsage, true // the flag package printed the one line
	}
	return 0, false
}

// node is a running node process.
type node struct {
	cfg     *serveConfig
	id      spec.NodeID
	proto   *raft.Protocol
	c       *impl.Cluster[raft.State, raft.Msg]
	tr      *impl.TCP[raft.Msg]
	journal *impl.Journal[raft.State, raft.Msg]
	m       *machine
	srv     *http.Server
	httpErr chan error
	logf    func(string, ...any)
	tls     *tls.Config

	stMu sync.Mutex
	st   raft.State // after the node's last step

	waitMu  sync.Mutex
	waiters map[string][]chan Result // by request id
}

// startNode checks the data directory, binds both addresses, then claims
// the directory and starts the node: a refusal writes nothing.
func startNode(cfg *serveConfig, logger *log.Logger) (*node, error) {
	man := cfg.manifest()
	if err := impl.CheckDataDir(cfg.data, man); err != nil {
		return nil, err
	}
	rp := raft.RuntimeParams(len(cfg.peers))
	rp.Pipeline, rp.Batch = cfg.pipeline, cfg.batch
	proto, err := raft.New(rp)
	if err != nil {
		return nil, err
	}
	n := &node{cfg: cfg, id: spec.NodeID(cfg.id), proto: proto, m: newMachine(), httpErr: make(chan error, 1),
		logf: logger.Printf, waiters: map[string][]chan Result{}}
	if cfg.tlsDir != "" {
		if n.tls, err = impl.LoadTLS(cfg.tlsDir, impl.NodeCertName(cfg.id)); err != nil {
			return nil, err
		}
	}
	httpLn, err := net.Listen("tcp", cfg.http)
	if err != nil {
		return nil, fmt.Errorf("-http: listen on %s: %w", cfg.http, opErr(err))
	}
	n.tr, err = impl.ListenTCP(impl.TCPConfig[raft.Msg]{
		Self: n.id, Listen: cfg.listen, Peers: cfg.peers, Cluster: cfg.cluster, Protocol: protocolName,
		Canon: proto.AppendMsg, TLS: n.tls, Logf: logger.Printf,
	})
	if err != nil {
		httpLn.Close()
		return nil, fmt.Errorf("-listen: %w", err)
	}
	fail := func(err error) (*node, error) {
		httpLn.Close()
		n.tr.Close()
		if n.journal != nil {
			n.journal.Close()
		}
		return nil, err
	}
	if err := impl.ClaimDataDir(cfg.data, man); err != nil {
		return fail(err)
	}
	// The journal names this process as the transport does, so that
	// other nodes' journals say which of its steps sent a message.
	if n.journal, err = impl.OpenJournal(filepath.Join(cfg.data, journalFile), proto, n.tr.Incarnation()); err != nil {
		return fail(err)
	}
	// A state holds the whole log: hashing every step's would cost the
	// leader more than the rest of its work.
	n.journal.HashEvery(64)
	recovered := ""
	n.c, err = impl.Start(impl.Config[raft.State, raft.Msg]{
		Protocol: proto, Local: []spec.NodeID{n.id}, Transport: n.tr,
		Timers: map[string]impl.TimerSpec{
			"election":  {Base: cfg.election, Jitter: cfg.jitter},
			"heartbeat": {Base: cfg.heartbeat},
			"flush":     cfg.flush.TimerSpec,
		},
		Stores: func(spec.NodeID) (impl.Store[raft.State], error) {
			if cfg.memStore {
				return &impl.MemStore[raft.State]{}, nil
			}
			st, err := impl.OpenDiskStore(filepath.Join(cfg.data, stateDir), proto.AppendState, impl.JSONCodec[raft.State]{}, logger.Printf)
			if err != nil {
				return nil, err
			}
			if s, ok, _ := st.Load(); ok {
				n.m.rebuild(s.Log, s.Commit)
				recovered = fmt.Sprintf("recovered term %d, %d log entries, %d committed", s.Term, s.Log.Len(), s.Commit)
			}
			return impl.JournalStore(st, n.journal, n.id), nil
		},
		// One fsync covers every request and message waiting in the
		// inbox: without it a node commits one entry per fsync.
		GroupCommit: true,
		OnEvent:     n.event,
		OnObserve:   n.observe,
		Logf:        logger.Printf,
	})
	if err != nil {
		return fail(err)
	}
	n.tr.Start(n.c.Deliver)
	mux := http.NewServeMux()
	mux.HandleFunc("/kv/", n.handleKV)
	mux.HandleFunc("/status", n.handleStatus)
	n.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ErrorLog: log.New(logger.Writer(), logger.Prefix()+"http: ", logger.Flags())}
	scheme := "http"
	if n.tls != nil {
		scheme = "https"
		n.srv.TLSConfig = n.tls
		httpLn = tls.NewListener(httpLn, n.tls)
	}
	go func() {
		if err := n.srv.Serve(httpLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.httpErr <- err
		}
	}()
	if recovered == "" {
		recovered = "a fresh start"
	}
	if cfg.memStore {
		recovered += "; state in memory only (-memstore)"
	}
	logger.Printf("node %d of %d, cluster %s: peers on %s, clients on %s://%s, data in %s (%s)",
		cfg.id, len(cfg.peers), cfg.cluster, cfg.listen, scheme, cfg.http, cfg.data, recovered)
	return n, nil
}

func opErr(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// event journals a step and keeps the node's state for /status and the
// leader check.
func (n *node) event(e impl.Event[raft.State, raft.Msg]) {
	n.journal.Record(e)
	if e.Kind == impl.StepEvent {
		n.stMu.Lock()
		n.st = e.State
		n.stMu.Unlock()
	}
}

// observe applies what Raft delivers and answers the client waiting for it.
func (n *node) observe(_ spec.NodeID, obs raft.Msg) {
	switch obs.Kind {
	case raft.BecameLeader:
		n.logf("became leader of term %d", obs.Term)
	case raft.Delivered:
		cmd, res, ok := n.m.apply(obs.Index, obs.Cmd)
		if !ok {
			return
		}
		key := requestKey(cmd.Client, cmd.Seq)
		n.waitMu.Lock()
		for _, ch := range n.waiters[key] {
			ch <- res
		}
		delete(n.waiters, key)
		n.waitMu.Unlock()
	}
}

func requestKey(client string, seq uint64) string { return fmt.Sprintf("%s/%d", client, seq) }

// state is the node's state after its last step.
func (n *node) state() raft.State {
	n.stMu.Lock()
	defer n.stMu.Unlock()
	return n.st
}

// close stops the HTTP server, the node, the transport and the journal.
func (n *node) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	n.srv.Shutdown(ctx)
	_, err := n.c.Stop()
	n.tr.Close()
	if jerr := n.journal.Err(); jerr != nil {
		err = errors.Join(err, jerr)
	}
	return errors.Join(err, n.journal.Close())
}
