package impl

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/distsys/distsys/spec"
)

// TCPConfig configures one process's end of the TCP transport: the node
// it runs, where it listens, where it dials each peer, and what it says in
// its Hello.
type TCPConfig[M any] struct {
	// Self is the node this process runs.
	Self spec.NodeID
	// Listen is the address to accept peers' connections on
	// ("127.0.0.1:7000").
	Listen string
	// Peers are the addresses to dial, one per node in id order; the
	// length is the number of nodes, and Peers[Self] is not dialled.
	Peers []string
	// Cluster, Protocol and Nodes are checked by the listener against the
	// dialler's Hello: a process of another cluster or protocol is refused.
	Cluster, Protocol string
	// Codec encodes messages on the wire (nil: JSONMsgCodec).
	Codec MsgCodec[M]
	// Canon, if set (the protocol's AppendMsg), checks that every message
	// sent reads back equal: a message the codec cannot carry is dropped
	// and logged instead of arriving changed.
	Canon func([]byte, M) []byte
	// TLS, if set, runs every connection over TLS with this configuration,
	// both ways: it should require and verify the peer's certificate
	// (LoadTLS does), so that a process without the cluster's certificate
	// is refused.
	TLS *tls.Config
	// Logf receives one line per event worth a person's attention: a
	// refused or damaged connection, a peer unreachable, a peer back.
	Logf func(format string, args ...any)
	// QueueLen bounds the messages waiting for one peer (default 4096);
	// beyond it messages are dropped, as a full network would.
	QueueLen int
	// Incarnation names this process in its Hellos, so that a receiver's
	// record can say which process's step sent a message (Origin). Zero
	// draws one at random (Incarnation returns it); a journalled process
	// passes its Journal's.
	Incarnation uint64

	_ struct{}
}

// TCPStats counts what the transport did.
type TCPStats struct {
	Sent, Received int64
	// Dropped counts messages lost in this process: a full queue, a
	// connection that broke or could not be made, a codec that could not
	// carry the message.
	Dropped int64
	// Refused counts connections refused: a bad Hello, a bad frame, a
	// failed TLS handshake.
	Refused int64
	// Connects counts connections made to peers.
	Connects int64
}

// TCP is the transport between processes: each process runs one node,
// dials one connection to each peer for the messages it sends, and
// accepts its peers' connections for the messages it receives. A
// connection that breaks is dialled again with exponential back-off
// (10 ms to 500 ms); messages queued for a peer that cannot be reached are
// dropped — TCP is reliable only while its connection lives. It satisfies
// Transport.
type TCP[M any] struct {
	cfg   TCPConfig[M]
	ln    net.Listener
	peers []*tcpPeer[M]

	deliver func(from, to spec.NodeID, m M, o Origin) error
	done    chan struct{}
	closing sync.Once
	wg      sync.WaitGroup

	connMu sync.Mutex
	conns  map[net.Conn]struct{}

	logMu  sync.Mutex
	logged map[string]time.Time

	sent, received, dropped, refused, connects atomic.Int64
}

// tcpPeer is the outgoing link to one peer: its queue and its writer.
type tcpPeer[M any] struct {
	id    spec.NodeID
	addr  string
	mu    sync.Mutex
	q     []tagged[M]
	ready chan struct{}
}

// tagged is a message waiting to go, with the step that sent it.
type tagged[M any] struct {
	m   M
	tag Tag
}

// ValidatePeers checks a peer list: at least one address, each a
// host:port, no two equal, and self among them.
func ValidatePeers(self spec.NodeID, peers []string) error {
	if len(peers) == 0 {
		return errors.New("peer list is empty: want one host:port per node, in id order")
	}
	if self < 0 || int(self) >= len(peers) {
		return fmt.Errorf("node id %d is not in the peer list of %d nodes (ids 0..%d)", self, len(peers), len(peers)-1)
	}
	seen := map[string]int{}
	for i, p := range peers {
		host, port, err := net.SplitHostPort(p)
		if err != nil || port == "" || port == "0" {
			return fmt.Errorf("peer %d: %q is not a host:port with a port", i, p)
		}
		key := strings.ToLower(host) + ":" + port
		if j, ok := seen[key]; ok {
			return fmt.Errorf("peers %d and %d have the same address %s", j, i, p)
		}
		seen[key] = i
	}
	return nil
}

// ListenTCP checks cfg and binds the listening address (an address in use
// fails here, before anything else is started), and starts dialling the
// peers. Messages that arrive are handed on only after Start.
func ListenTCP[M any](cfg TCPConfig[M]) (*TCP[M], error) {
	if err := ValidatePeers(cfg.Self, cfg.Peers); err != nil {
		return nil, err
	}
	if cfg.Listen == "" {
		return nil, errors.New("no address to listen on")
	}
	if cfg.Codec == nil {
		cfg.Codec = JSONMsgCodec[M]{}
	}
	if cfg.QueueLen <= 0 {
		cfg.QueueLen = 4096
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	for cfg.Incarnation == 0 {
		cfg.Incarnation = rand.Uint64()
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Listen, unwrapOp(err))
	}
	if cfg.TLS != nil {
		ln = tls.NewListener(ln, cfg.TLS)
	}
	t := &TCP[M]{cfg: cfg, ln: ln, done: make(chan struct{}), conns: map[net.Conn]struct{}{}, logged: map[string]time.Time{}}
	for i, addr := range cfg.Peers {
		t.peers = append(t.peers, &tcpPeer[M]{id: spec.NodeID(i), addr: addr, ready: make(chan struct{}, 1)})
	}
	for _, p := range t.peers {
		if p.id != cfg.Self {
			t.wg.Add(1)
			go t.write(p)
		}
	}
	return t, nil
}

// unwrapOp shortens a *net.OpError to its cause ("address already in
// use"), the address being said already.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// Incarnation is the number that names this process in its Hellos.
func (t *TCP[M]) Incarnation() uint64 { return t.cfg.Incarnation }

// Addr is the address the transport listens on.
func (t *TCP[M]) Addr() net.Addr { return t.ln.Addr() }

// Start accepts peers' connections and hands each message that arrives to
// deliver (Cluster.Deliver).
func (t *TCP[M]) Start(deliver func(from, to spec.NodeID, m M, o Origin) error) {
	t.deliver = deliver
	t.wg.Add(1)
	go t.accept()
}

// Stats returns the transport's counts so far.
func (t *TCP[M]) Stats() TCPStats {
	return TCPStats{Sent: t.sent.Load(), Received: t.received.Load(), Dropped: t.dropped.Load(), Refused: t.refused.Load(), Connects: t.connects.Load()}
}

// Close stops listening, closes every connection and waits for the
// transport's goroutines.
func (t *TCP[M]) Close() error {
	var err error
	t.closing.Do(func() {
		close(t.done)
		err = t.ln.Close()
		t.connMu.Lock()
		for c := range t.conns {
			c.Close()
		}
		t.connMu.Unlock()
		t.wg.Wait()
	})
	return err
}

// Send queues m for node to. A message from another node than Self, or to
// Self, is a bug of the caller and is dropped with a log line.
func (t *TCP[M]) Send(from, to spec.NodeID, m M, tag Tag) {
	if from != t.cfg.Self || to < 0 || int(to) >= len(t.peers) || to == t.cfg.Self {
		t.dropped.Add(1)
		t.logOnce("route", "tcp: message from node %d to node %d dropped: this process runs node %d of %d", from, to, t.cfg.Self, len(t.peers))
		return
	}
	p := t.peers[to]
	p.mu.Lock()
	if len(p.q) >= t.cfg.QueueLen {
		p.mu.Unlock()
		t.dropped.Add(1)
		return
	}
	p.q = append(p.q, tagged[M]{m, tag})
	p.mu.Unlock()
	select {
	case p.ready <- struct{}{}:
	default:
	}
}

// logOnce logs a line for key at most once every ten seconds.
func (t *TCP[M]) logOnce(key, format string, args ...any) {
	t.logMu.Lock()
	last, ok := t.logged[key]
	now := time.Now()
	if ok && now.Sub(last) < 10*time.Second {
		t.logMu.Unlock()
		return
	}
	t.logged[key] = now
	t.logMu.Unlock()
	t.cfg.Logf(format, args...)
}

func (t *TCP[M]) track(c net.Conn) bool {
	t.connMu.Lock()
	defer t.connMu.Unlock()
	select {
	case <-t.done:
		return false
	default:
	}
	t.conns[c] = struct{}{}
	return true
}

func (t *TCP[M]) untrack(c net.Conn) {
	t.connMu.Lock()
	delete(t.conns, c)
	t.connMu.Unlock()
	c.Close()
}

// write is peer p's writer: it keeps a connection to p, dialling again with
// back-off when it breaks, and writes what is queued for p.
func (t *TCP[M]) write(p *tcpPeer[M]) {
	defer t.wg.Done()
	var (
		conn    net.Conn
		broken  chan struct{} // closed when the peer ends conn
		w       *bufio.Writer
		backoff = 10 * time.Millisecond
		down    string // why p is unreachable, as last logged ("": reachable)
		buf     []byte
		batch   []tagged[M]
	)
	defer func() {
		if conn != nil {
			t.untrack(conn)
		}
	}()
	for {
		if conn == nil {
			c, err := t.dial(p)
			if err != nil {
				if msg := err.Error(); msg != down {
					down = msg
					t.cfg.Logf("tcp: peer n%d at %s: %s; retrying with back-off", p.id, p.addr, msg)
				}
				t.dropQueued(p)
				if !t.sleep(jittered(backoff)) {
					return
				}
				backoff = min(2*backoff, 500*time.Millisecond)
				continue
			}
			if down != "" {
				t.cfg.Logf("tcp: peer n%d at %s: connected", p.id, p.addr)
				down = ""
			}
			backoff = 10 * time.Millisecond
			conn, w = c, bufio.NewWriterSize(c, 64<<10)
			broken = make(chan struct{})
			// The peer sends nothing after its welcome: a read that ends
			// is the connection ending, seen at once rather than at the
			// next write.
			go func(c net.Conn, broken chan struct{}) {
				io.Copy(io.Discard, c)
				close(broken)
			}(c, broken)
			t.connects.Add(1)
		}
		p.mu.Lock()
		batch, p.q = p.q, batch[:0]
		p.mu.Unlock()
		if len(batch) == 0 {
			select {
			case <-t.done:
				return
			case <-p.ready:
			case <-broken:
				down = "connection closed by the peer"
				t.cfg.Logf("tcp: peer n%d at %s: %s; reconnecting", p.id, p.addr, down)
				t.untrack(conn)
				conn = nil
			}
			continue
		}
		var err error
		for _, m := range batch {
			if buf, err = t.encode(buf[:0], m.m, m.tag); err != nil {
				t.dropped.Add(1)
				t.logOnce("codec", "tcp: message to n%d dropped: %v", p.id, err)
				continue
			}
			conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
			if _, err = w.Write(buf); err != nil {
				break
			}
			t.sent.Add(1)
		}
		if err == nil {
			err = w.Flush()
		}
		clear(batch)
		if err != nil {
			select {
			case <-t.done:
				return
			default:
			}
			down = "connection lost: " + unwrapOp(err).Error()
			t.cfg.Logf("tcp: peer n%d at %s: %s; reconnecting", p.id, p.addr, down)
			t.untrack(conn)
			conn = nil
		}
	}
}

// encode appends m's frame, checking that the codec carries it. The
// payload is the sending step's tag (two uvarints: Seq, Send), then the
// message in the codec.
func (t *TCP[M]) encode(b []byte, m M, tag Tag) ([]byte, error) {
	start := len(b)
	payload := binary.AppendUvarint(nil, tag.Seq)
	payload = binary.AppendUvarint(payload, uint64(tag.Send))
	head := len(payload)
	payload, err := t.cfg.Codec.Marshal(payload, m)
	if err != nil {
		return b[:start], fmt.Errorf("encode: %w", err)
	}
	if t.cfg.Canon != nil {
		back, err := t.cfg.Codec.Unmarshal(payload[head:])
		if err != nil || !bytes.Equal(t.cfg.Canon(nil, back), t.cfg.Canon(nil, m)) {
			return b[:start], fmt.Errorf("the message codec does not carry this message (it reads back different): %v", err)
		}
	}
	return AppendFrame(b, FrameMsg, payload), nil
}

// dropQueued drops what waits for p while it cannot be reached.
func (t *TCP[M]) dropQueued(p *tcpPeer[M]) {
	p.mu.Lock()
	n := len(p.q)
	clear(p.q)
	p.q = p.q[:0]
	p.mu.Unlock()
	t.dropped.Add(int64(n))
}

// sleep waits d, or reports false if the transport closes first.
func (t *TCP[M]) sleep(d time.Duration) bool {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-t.done:
		return false
	case <-tm.C:
		return true
	}
}

// jittered is d give or take a quarter.
func jittered(d time.Duration) time.Duration {
	return d*3/4 + time.Duration(rand.Int64N(int64(d)/2+1))
}

// dial connects to p and says Hello; the peer's Welcome accepts or refuses.
func (t *TCP[M]) dial(p *tcpPeer[M]) (net.Conn, error) {
	d := net.Dialer{Timeout: time.Second}
	var (
		c   net.Conn
		err error
	)
	if t.cfg.TLS != nil {
		c, err = tls.DialWithDialer(&d, "tcp", p.addr, t.cfg.TLS)
	} else {
		c, err = d.Dial("tcp", p.addr)
	}
	if err != nil {
		return nil, unwrapOp(err)
	}
	if !t.track(c) {
		c.Close()
		return nil, errors.New("transport closed")
	}
	hello, _ := json.Marshal(Hello{Cluster: t.cfg.Cluster, Protocol: t.cfg.Protocol, Nodes: len(t.peers), From: int(t.cfg.Self), To: int(p.id), Incarnation: t.cfg.Incarnation})
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write(AppendFrame(nil, FrameHello, hello)); err != nil {
		t.untrack(c)
		return nil, fmt.Errorf("hello: %w", unwrapOp(err))
	}
	kind, payload, _, err := ReadFrame(c, nil)
	if err != nil {
		t.untrack(c)
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the peer closed the connection without a welcome (not a distsys node, or it refused our certificate)")
		}
		return nil, fmt.Errorf("welcome: %w", unwrapOp(err))
	}
	var wel Welcome
	if kind != FrameWelcome || json.Unmarshal(payload, &wel) != nil {
		t.untrack(c)
		return nil, fmt.Errorf("the peer answered frame kind %d, not a welcome", kind)
	}
	if wel.Error != "" {
		t.untrack(c)
		return nil, fmt.Errorf("refused: %s", wel.Error)
	}
	c.SetDeadline(time.Time{})
	return c, nil
}

// accept takes peers' connections.
func (t *TCP[M]) accept() {
	defer t.wg.Done()
	for {
		c, err := t.ln.Accept()
		if err != nil {
			select {
			case <-t.done:
				return
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			t.cfg.Logf("tcp: accept: %v", err)
			if !t.sleep(10 * time.Millisecond) {
				return
			}
			continue
		}
		if !t.track(c) {
			c.Close()
			return
		}
		t.wg.Add(1)
		go t.read(c)
	}
}

// read checks a connection's Hello, welcomes it, and hands on its
// messages until it ends or carries a frame that is not right.
func (t *TCP[M]) read(c net.Conn) {
	defer t.wg.Done()
	defer t.untrack(c)
	remote := c.RemoteAddr().String()
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	kind, payload, buf, err := ReadFrame(c, nil)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return // a probe, or a peer that gave up
		}
		t.refused.Add(1)
		why := unwrapOp(err).Error()
		t.logOnce("in "+hostOf(remote)+why, "tcp: refused connection from %s: %s", remote, why)
		return
	}
	var h Hello
	if kind != FrameHello || json.Unmarshal(payload, &h) != nil {
		t.refuse(c, remote, fmt.Sprintf("first frame is of kind %d, not a hello", kind))
		return
	}
	if why := t.check(c, h); why != "" {
		t.refuse(c, remote, why)
		return
	}
	wel, _ := json.Marshal(Welcome{})
	if _, err := c.Write(AppendFrame(nil, FrameWelcome, wel)); err != nil {
		return
	}
	c.SetReadDeadline(time.Time{})
	from := spec.NodeID(h.From)
	r := bufio.NewReaderSize(c, 64<<10)
	for {
		kind, payload, buf, err = ReadFrame(r, buf)
		if err != nil {
			select {
			case <-t.done:
				return
			default:
			}
			if errors.Is(err, ErrFrame) {
				t.refused.Add(1)
				t.cfg.Logf("tcp: connection from n%d (%s) dropped: %v", from, remote, err)
			}
			return
		}
		if kind != FrameMsg {
			t.refused.Add(1)
			t.cfg.Logf("tcp: connection from n%d (%s) dropped: frame of kind %d after the hello", from, remote, kind)
			return
		}
		seq, k := binary.Uvarint(payload)
		send, k2 := uint64(0), 0
		if k > 0 {
			send, k2 = binary.Uvarint(payload[k:])
		}
		if k <= 0 || k2 <= 0 || send > 1<<31 {
			t.refused.Add(1)
			t.cfg.Logf("tcp: connection from n%d (%s) dropped: a message frame without its sender's tag", from, remote)
			return
		}
		m, err := t.cfg.Codec.Unmarshal(payload[k+k2:])
		if err != nil {
			t.refused.Add(1)
			t.cfg.Logf("tcp: connection from n%d (%s) dropped: a message does not decode: %v", from, remote, err)
			return
		}
		t.received.Add(1)
		o := Origin{Incarnation: h.Incarnation, Tag: Tag{Seq: seq, Send: int32(send)}}
		if err := t.deliver(from, t.cfg.Self, m, o); err != nil {
			t.cfg.Logf("tcp: connection from n%d (%s) dropped: %v", from, remote, err)
			return
		}
	}
}

// check returns why Hello h is refused ("" if it is not).
func (t *TCP[M]) check(c net.Conn, h Hello) string {
	switch {
	case h.Cluster != t.cfg.Cluster:
		return fmt.Sprintf("cluster %q, this node belongs to cluster %q", h.Cluster, t.cfg.Cluster)
	case h.Protocol != t.cfg.Protocol:
		return fmt.Sprintf("protocol %q, this node runs %q", h.Protocol, t.cfg.Protocol)
	case h.Nodes != len(t.peers):
		return fmt.Sprintf("the dialler's peer list has %d nodes, this node's has %d", h.Nodes, len(t.peers))
	case h.To != int(t.cfg.Self):
		return fmt.Sprintf("the dialler took this address for node %d, but node %d listens here: its peer list is wrong", h.To, t.cfg.Self)
	case h.From < 0 || h.From >= len(t.peers) || h.From == int(t.cfg.Self):
		return fmt.Sprintf("the dialler says it is node %d", h.From)
	}
	if tc, ok := c.(*tls.Conn); ok {
		certs := tc.ConnectionState().PeerCertificates
		if want := nodeCertName(h.From); len(certs) == 0 || certs[0].Subject.CommonName != want {
			return fmt.Sprintf("the dialler says it is node %d but its certificate is not %q's", h.From, want)
		}
	}
	return ""
}

// refuse answers a Hello with the reason it is refused, logs it and lets
// the connection close.
func (t *TCP[M]) refuse(c net.Conn, remote, why string) {
	t.refused.Add(1)
	wel, _ := json.Marshal(Welcome{Error: why})
	c.SetWriteDeadline(time.Now().Add(time.Second))
	c.Write(AppendFrame(nil, FrameWelcome, wel))
	t.logOnce("in "+hostOf(remote)+why, "tcp: refused connection from %s: %s", remote, why)
}

// hostOf is addr without its port: a peer dialling again comes from
// another port, and is the same peer.
func hostOf(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}
