package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/distsys/distsys/spec/raft"
)

// The client API (README "Run it for real"):
//
//	GET  /kv/KEY                    read KEY (through the log: linearizable)
//	PUT  /kv/KEY        body VALUE  write VALUE
//	PUT  /kv/KEY?old=OLD body NEW   compare-and-swap: write NEW if KEY holds OLD
//	GET  /status                    role, term, leader, commit index, peers
//
// Every /kv request may carry its request id, ?client=ID&seq=N (N from 1,
// one operation at a time per client): a retry with the same id is
// applied once and answered with the first copy's result. Without one the
// node makes one up, and a retry may apply twice.
//
// Answers are JSON (Reply). 200: done; 404: a get of a key that holds
// nothing; 409: a cas that found another value (Reply.Value is what it
// found); 307: this node does not lead, Location is the leader's; 421:
// this node does not lead and does not know the leader's client address
// (Reply.Leader names the leader); 503: no leader known yet; 504: the
// entry was not applied in time (the operation may or may not take
// effect: retry with the same id); 400: a bad request.

// Reply is the JSON body of every /kv answer.
type Reply struct {
	Op     string `json:"op,omitempty"`
	Key    string `json:"key,omitempty"`
	Value  string `json:"value"`
	Found  bool   `json:"found"`
	OK     bool   `json:"ok"`
	Index  int32  `json:"index,omitempty"`
	Node   int    `json:"node"`
	Leader int    `json:"leader"`
	Error  string `json:"error,omitempty"`
}

// Status is the JSON body of /status.
type Status struct {
	ID        int          `json:"id"`
	Cluster   string       `json:"cluster"`
	Role      string       `json:"role"`
	Term      int32        `json:"term"`
	Leader    int          `json:"leader"`
	Commit    int32        `json:"commit"`
	Log       int          `json:"log"`
	Applied   int32        `json:"applied"`
	Keys      int          `json:"keys"`
	Peers     []string     `json:"peers"`
	APIs      []string     `json:"apis,omitempty"`
	Transport TransportSum `json:"transport"`
}

// TransportSum is the TCP transport's counts.
type TransportSum struct {
	Sent, Received, Dropped, Refused, Connects int64
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	data, _ := json.Marshal(v)
	w.Write(append(data, '\n'))
}

func (n *node) handleStatus(w http.ResponseWriter, r *http.Request) {
	s := n.state()
	keys, applied := n.m.size()
	st := n.tr.Stats()
	writeJSON(w, http.StatusOK, Status{
		ID: int(n.id), Cluster: n.cfg.cluster, Role: s.Role.String(), Term: s.Term, Leader: int(s.Leader),
		Commit: s.Commit, Log: s.Log.Len(), Applied: applied, Keys: keys, Peers: n.cfg.peers, APIs: n.cfg.apis,
		Transport: TransportSum{st.Sent, st.Received, st.Dropped, st.Refused, st.Connects},
	})
}

// handleKV runs one client operation through the log, at the leader.
func (n *node) handleKV(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cmd := Command{Key: strings.TrimPrefix(r.URL.Path, "/kv/"), Client: q.Get("client")}
	bad := func(format string, args ...any) {
		writeJSON(w, http.StatusBadRequest, Reply{Key: cmd.Key, Node: int(n.id), Leader: -1, Error: fmt.Sprintf(format, args...)})
	}
	if s := q.Get("seq"); s != "" {
		seq, err := strconv.ParseUint(s, 10, 64)
		if err != nil || seq == 0 {
			bad("seq %q: want a number from 1", s)
			return
		}
		cmd.Seq = seq
	}
	switch r.Method {
	case http.MethodGet:
		cmd.Op = "get"
	case http.MethodPut, http.MethodPost:
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
		if err != nil {
			bad("reading the value: %v", err)
			return
		}
		cmd.Op, cmd.Value = "put", string(body)
		if q.Has("old") {
			cmd.Op, cmd.Old = "cas", q.Get("old")
		}
	default:
		w.Header().Set("Allow", "GET, PUT")
		writeJSON(w, http.StatusMethodNotAllowed, Reply{Node: int(n.id), Leader: -1, Error: r.Method + " is not an operation: GET reads, PUT writes, PUT ?old= swaps"})
		return
	}
	if (cmd.Client == "") != (cmd.Seq == 0) {
		bad("a request id is client and seq together")
		return
	}
	if cmd.Client == "" {
		var b [8]byte
		rand.Read(b[:])
		cmd.Client, cmd.Seq = "anon-"+hex.EncodeToString(b[:]), 1
	}
	if err := cmd.validate(); err != nil {
		bad("%v", err)
		return
	}
	s := n.state()
	if s.Role != raft.Leader {
		n.notLeader(w, r, cmd, s)
		return
	}
	key := requestKey(cmd.Client, cmd.Seq)
	ch := make(chan Result, 1)
	n.waitMu.Lock()
	n.waiters[key] = append(n.waiters[key], ch)
	n.waitMu.Unlock()
	defer n.unwait(key, ch)
	data, _ := json.Marshal(cmd)
	if err := n.c.Request(n.id, raft.Msg{Kind: raft.ClientRequest, Val: 1, Cmd: string(data)}); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, Reply{Op: cmd.Op, Key: cmd.Key, Node: int(n.id), Leader: -1, Error: err.Error()})
		return
	}
	t := time.NewTimer(n.cfg.timeout)
	defer t.Stop()
	select {
	case res := <-ch:
		rep := Reply{Op: cmd.Op, Key: cmd.Key, Value: res.Value, Found: res.Found, OK: res.OK, Index: res.Index, Node: int(n.id), Leader: int(n.id)}
		code := http.StatusOK
		switch {
		case cmd.Op == "get" && !res.Found:
			code = http.StatusNotFound
		case cmd.Op == "cas" && !res.OK:
			code = http.StatusConflict
		}
		writeJSON(w, code, rep)
	case <-t.C:
		writeJSON(w, http.StatusGatewayTimeout, Reply{Op: cmd.Op, Key: cmd.Key, Node: int(n.id), Leader: int(n.state().Leader),
			Error: fmt.Sprintf("not applied within %v: the operation may or may not take effect; retry with the same client and seq", n.cfg.timeout)})
	case <-r.Context().Done():
	}
}

func (n *node) unwait(key string, ch chan Result) {
	n.waitMu.Lock()
	defer n.waitMu.Unlock()
	ws := n.waiters[key]
	for i, c := range ws {
		if c == ch {
			ws = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(n.waiters, key)
	} else {
		n.waiters[key] = ws
	}
}

// notLeader sends the client to the leader: a redirect when its client
// address is known, else the leader's id, else "retry".
func (n *node) notLeader(w http.ResponseWriter, r *http.Request, cmd Command, s raft.State) {
	rep := Reply{Op: cmd.Op, Key: cmd.Key, Node: int(n.id), Leader: int(s.Leader)}
	switch {
	case s.Leader < 0 || int(s.Leader) == int(n.id):
		rep.Error = fmt.Sprintf("node %d is a %s of term %d and knows no leader yet: retry in a moment", n.id, s.Role, s.Term)
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusServiceUnavailable, rep)
	case n.cfg.apis != nil:
		scheme := "http"
		if n.tls != nil {
			scheme = "https"
		}
		u := fmt.Sprintf("%s://%s%s", scheme, n.cfg.apis[s.Leader], r.URL.Path)
		// The request id travels with the redirect, so that a retry at the
		// leader is the same request.
		q := r.URL.Query()
		q.Set("client", cmd.Client)
		q.Set("seq", strconv.FormatUint(cmd.Seq, 10))
		u += "?" + q.Encode()
		rep.Error = fmt.Sprintf("node %d does not lead; node %d does, at %s", n.id, s.Leader, n.cfg.apis[s.Leader])
		w.Header().Set("Location", u)
		writeJSON(w, http.StatusTemporaryRedirect, rep)
	default:
		rep.Error = fmt.Sprintf("node %d does not lead; node %d does (its client address is unknown here: start nodes with -apis)", n.id, s.Leader)
		writeJSON(w, http.StatusMisdirectedRequest, rep)
	}
}
