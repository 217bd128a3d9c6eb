package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/distsys/distsys/impl"
)

// defaultNodes are the client addresses kvnode cluster gives three nodes
// by default; $KVNODE_NODES overrides them.
const defaultNodes = "127.0.0.1:7100,127.0.0.1:7101,127.0.0.1:7102"

// kvClient talks to the cluster's client API: it numbers its operations,
// sends each to the node it last found leading, follows redirects to the
// leader, and retries an operation — with the same request id, so it
// takes effect once — at the next node when a node does not answer, until
// its deadline.
type kvClient struct {
	nodes  []string
	scheme string
	hc     *http.Client
	id     string
	perTry time.Duration

	mu     sync.Mutex
	seq    uint64
	leader int // index in nodes of the node last found leading
}

// newKVClient makes a client of the nodes at addrs (host:port); tlsDir,
// if set, holds the cluster's certificates.
func newKVClient(addrs []string, tlsDir string, perTry time.Duration) (*kvClient, error) {
	if len(addrs) == 0 {
		return nil, errors.New("no node addresses")
	}
	tr := &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second}
	k := &kvClient{nodes: addrs, scheme: "http", perTry: perTry,
		hc: &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if tlsDir != "" {
		tc, err := impl.LoadTLS(tlsDir, impl.ClientName)
		if err != nil {
			return nil, err
		}
		tr.TLSClientConfig = tc
		k.scheme = "https"
	}
	var b [8]byte
	rand.Read(b[:])
	k.id = hex.EncodeToString(b[:])
	return k, nil
}

// errUnknown wraps the error of an operation whose outcome is unknown: no
// node answered it in time, and it may or may not have taken effect.
var errUnknown = errors.New("no answer")

// do runs one operation ("get", "put", "cas") until it is answered or ctx
// ends. The reply's HTTP status is 200, 404 (get: not found) or 409 (cas:
// another value); an error wrapping errUnknown means the outcome is
// unknown, another error that it did not happen.
func (k *kvClient) do(ctx context.Context, op, key, value, old string) (Reply, int, error) {
	k.mu.Lock()
	k.seq++
	seq := k.seq
	target := k.leader
	k.mu.Unlock()
	q := url.Values{"client": {k.id}, "seq": {fmt.Sprint(seq)}}
	method := http.MethodGet
	if op != "get" {
		method = http.MethodPut
	}
	if op == "cas" {
		q.Set("old", old)
	}
	path := "/kv/" + url.PathEscape(key) + "?" + q.Encode()
	u := fmt.Sprintf("%s://%s%s", k.scheme, k.nodes[target], path)
	var last error
	hops := 0 // redirects followed in a row
	for ctx.Err() == nil {
		rep, code, err := k.try(ctx, method, u, value)
		switch {
		case err != nil:
			last = err
		case code == http.StatusOK || code == http.StatusNotFound && op == "get" || code == http.StatusConflict && op == "cas":
			k.mu.Lock()
			k.leader = target
			k.mu.Unlock()
			return rep, code, nil
		case code == http.StatusBadRequest:
			return rep, code, fmt.Errorf("refused: %s", rep.Error)
		case code == http.StatusTemporaryRedirect && rep.Leader >= 0 && rep.Leader < len(k.nodes) && hops < len(k.nodes):
			hops++
			target = rep.Leader
			u = fmt.Sprintf("%s://%s%s", k.scheme, k.nodes[target], path)
			continue
		case code == http.StatusMisdirectedRequest && rep.Leader >= 0 && rep.Leader < len(k.nodes) && hops < len(k.nodes):
			hops++
			target = rep.Leader
			u = fmt.Sprintf("%s://%s%s", k.scheme, k.nodes[target], path)
			continue
		default:
			last = fmt.Errorf("node %s: %d %s", k.nodes[target], code, rep.Error)
		}
		// No answer here: the next node, after a pause.
		hops = 0
		target = (target + 1) % len(k.nodes)
		u = fmt.Sprintf("%s://%s%s", k.scheme, k.nodes[target], path)
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
	return Reply{}, 0, fmt.Errorf("%w: %v", errUnknown, last)
}

// try sends one request and reads its JSON reply.
func (k *kvClient) try(ctx context.Context, method, u, value string) (Reply, int, error) {
	tctx, cancel := context.WithTimeout(ctx, k.perTry)
	defer cancel()
	var body io.Reader
	if method != http.MethodGet {
		body = strings.NewReader(value)
	}
	req, err := http.NewRequestWithContext(tctx, method, u, body)
	if err != nil {
		return Reply{}, 0, err
	}
	resp, err := k.hc.Do(req)
	if err != nil {
		return Reply{}, 0, err
	}
	defer resp.Body.Close()
	var rep Reply
	data, err := io.ReadAll(io.LimitReader(resp.Body, 2<<20))
	if err != nil {
		return Reply{}, 0, err
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return Reply{}, 0, fmt.Errorf("%s answered %d with a body that is not a reply: %.80q", u, resp.StatusCode, data)
	}
	return rep, resp.StatusCode, nil
}

// status fetches one node's /status.
func (k *kvClient) status(ctx context.Context, node int) (Status, error) {
	tctx, cancel := context.WithTimeout(ctx, k.perTry)
	defer cancel()
	req, err := http.NewRequestWithContext(tctx, http.MethodGet, fmt.Sprintf("%s://%s/status", k.scheme, k.nodes[node]), nil)
	if err != nil {
		return Status{}, err
	}
	resp, err := k.hc.Do(req)
	if err != nil {
		return Status{}, err
	}
	defer resp.Body.Close()
	var st Status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	return st, nil
}

// client runs kvnode put, get, cas or status.
func client(cmd string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kvnode "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := os.Getenv("KVNODE_NODES")
	if def == "" {
		def = defaultNodes
	}
	nodes := fs.String("nodes", def, "the nodes' client addresses (host:port), comma-separated (default $KVNODE_NODES, else kvnode cluster's)")
	tlsDir := fs.String("tls", "", "directory of the cluster's certificates, for a cluster started with -tls")
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this long")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	want := map[string]int{"put": 2, "get": 1, "cas": 3, "status": 0}[cmd]
	if fs.NArg() != want {
		names := map[string]string{"put": "KEY VALUE", "get": "KEY", "cas": "KEY OLD NEW", "status": "(no arguments)"}
		fmt.Fprintf(stderr, "kvnode %s: want %s, got %d arguments\n", cmd, names[cmd], fs.NArg())
		return exitUsage
	}
	addrs := splitList(*nodes)
	for _, a := range addrs {
		if !strings.Contains(a, ":") {
			fmt.Fprintf(stderr, "kvnode %s: -nodes: %q is not a host:port\n", cmd, a)
			return exitUsage
		}
	}
	k, err := newKVClient(addrs, *tlsDir, time.Second)
	if err != nil {
		fmt.Fprintf(stderr, "kvnode %s: %v\n", cmd, err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if cmd == "status" {
		return printStatus(ctx, k, stdout)
	}
	a := fs.Args()
	var rep Reply
	var code int
	switch cmd {
	case "put":
		rep, code, err = k.do(ctx, "put", a[0], a[1], "")
	case "get":
		rep, code, err = k.do(ctx, "get", a[0], "", "")
	case "cas":
		rep, code, err = k.do(ctx, "cas", a[0], a[2], a[1])
	}
	switch {
	case errors.Is(err, errUnknown):
		fmt.Fprintf(stderr, "kvnode %s: %v (the operation may or may not have taken effect)\n", cmd, err)
		return exitFail
	case err != nil:
		fmt.Fprintf(stderr, "kvnode %s: %v\n", cmd, err)
		return exitUsage
	case code == http.StatusNotFound:
		fmt.Fprintf(stderr, "kvnode get: %s: not found\n", a[0])
		return exitFail
	case code == http.StatusConflict:
		fmt.Fprintf(stderr, "kvnode cas: %s holds %q, not %q: not swapped\n", a[0], rep.Value, a[1])
		return exitFail
	case cmd == "get":
		fmt.Fprintln(stdout, rep.Value)
	case cmd == "cas":
		fmt.Fprintf(stdout, "swapped (log index %d, leader n%d)\n", rep.Index, rep.Node)
	default:
		fmt.Fprintf(stdout, "ok (log index %d, leader n%d)\n", rep.Index, rep.Node)
	}
	return exitOK
}

// printStatus prints one line per node.
func printStatus(ctx context.Context, k *kvClient, stdout io.Writer) int {
	code := exitFail
	for i, addr := range k.nodes {
		st, err := k.status(ctx, i)
		if err != nil {
			fmt.Fprintf(stdout, "%-21s unreachable: %v\n", addr, err)
			continue
		}
		code = exitOK
		leader := "none known"
		if st.Leader >= 0 {
			leader = fmt.Sprintf("n%d", st.Leader)
		}
		fmt.Fprintf(stdout, "%-21s n%d %-9s term %-3d leader %-10s commit %-5d log %-5d keys %d\n",
			addr, st.ID, st.Role, st.Term, leader, st.Commit, st.Log, st.Keys)
	}
	return code
}
