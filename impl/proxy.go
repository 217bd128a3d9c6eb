package impl

import (
	"encoding/binary"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// ProxyFaults are what a Proxy does to its link now. The zero value
// forwards everything at once.
type ProxyFaults struct {
	// Drop loses each message frame with this probability; the connection
	// lives on (the frames are whole, so the stream stays readable).
	Drop float64
	// Delay holds every frame this long, plus a jitter drawn up to Jitter;
	// frames keep their order, as on one TCP connection.
	Delay, Jitter time.Duration
	// Cut closes the link's connections and refuses new ones: the dialler
	// sees its connection break and cannot make another.
	Cut bool
	// Blackhole keeps the connections up but loses every message frame:
	// the dialler thinks its messages go through (a one-way partition
	// that TCP does not notice).
	Blackhole bool

	_ struct{}
}

// ProxyStats counts what a Proxy did.
type ProxyStats struct {
	Conns, Refused, Frames, Dropped int64
}

// Proxy is a fault-injecting TCP proxy for one direction of one link of
// the TCP transport: the dialling node's peer address for its peer is the
// proxy's, and the proxy dials the peer. It reads the dialler's stream
// frame by frame (the transport's wire format), so that it can lose or
// hold a whole message; a stream that is not made of frames (TLS) is
// copied as bytes, delayed but never cut in the middle of a frame. The
// peer's answers (its Welcome) come back untouched. Drops are drawn from
// the proxy's seed.
type Proxy struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	faults ProxyFaults
	rng    *rand.Rand
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup

	nconns, refused, frames, dropped atomic.Int64
}

// NewProxy listens on listen ("127.0.0.1:0" picks a port) and forwards to
// target.
func NewProxy(listen, target string, seed uint64) (*Proxy, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, target: target, rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// SetTarget changes the address the proxy dials for the connections it
// takes from now on.
func (p *Proxy) SetTarget(target string) {
	p.mu.Lock()
	p.target = target
	p.mu.Unlock()
}

// Addr is the address the proxy listens on.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Set changes what the proxy does from now on. Cutting closes the
// connections it carries.
func (p *Proxy) Set(f ProxyFaults) {
	p.mu.Lock()
	p.faults = f
	var cut []net.Conn
	if f.Cut {
		for c := range p.conns {
			cut = append(cut, c)
		}
	}
	p.mu.Unlock()
	for _, c := range cut {
		c.Close()
	}
}

// Faults returns what the proxy does now.
func (p *Proxy) Faults() ProxyFaults {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.faults
}

// Stats returns the proxy's counts so far.
func (p *Proxy) Stats() ProxyStats {
	return ProxyStats{Conns: p.nconns.Load(), Refused: p.refused.Load(), Frames: p.frames.Load(), Dropped: p.dropped.Load()}
}

// Close stops the proxy and closes its connections.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	err := p.ln.Close()
	p.wg.Wait()
	return err
}

func (p *Proxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.faults.Cut {
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *Proxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	for _, c := range cs {
		delete(p.conns, c)
		c.Close()
	}
	p.mu.Unlock()
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.serve(in)
	}
}

// serve carries one connection.
func (p *Proxy) serve(in net.Conn) {
	defer p.wg.Done()
	if !p.track(in) {
		p.refused.Add(1)
		in.Close()
		return
	}
	p.mu.Lock()
	target := p.target
	p.mu.Unlock()
	out, err := net.DialTimeout("tcp", target, time.Second)
	if err != nil {
		p.untrack(in)
		return
	}
	if !p.track(out) {
		p.refused.Add(1)
		p.untrack(in)
		out.Close()
		return
	}
	p.nconns.Add(1)
	defer p.untrack(in, out)
	done := make(chan struct{})
	go func() {
		io.Copy(in, out) // the peer's answers, untouched
		in.Close()
		out.Close()
		close(done)
	}()
	p.forward(in, out)
	in.Close()
	out.Close()
	<-done
}

// chunk is a frame (or bytes) due at a time.
type chunk struct {
	at   time.Time
	data []byte
}

// forward reads the dialler's stream and writes it to the peer, frame by
// frame, losing and holding frames as the faults say.
func (p *Proxy) forward(in, out net.Conn) {
	q := make(chan chunk, 1024)
	wdone := make(chan struct{})
	go func() {
		defer close(wdone)
		for c := range q {
			if d := time.Until(c.at); d > 0 {
				time.Sleep(d)
			}
			if _, err := out.Write(c.data); err != nil {
				in.Close()
				for range q {
				}
				return
			}
		}
	}()
	defer func() { close(q); <-wdone }()
	head := make([]byte, frameHead)
	first := true
	for {
		if _, err := io.ReadFull(in, head); err != nil {
			return
		}
		if string(head[:4]) != frameMagic {
			// Not our frames (TLS): bytes, delayed only.
			q <- chunk{p.due(), append([]byte(nil), head...)}
			buf := make([]byte, 32<<10)
			for {
				n, err := in.Read(buf)
				if n > 0 {
					q <- chunk{p.due(), append([]byte(nil), buf[:n]...)}
				}
				if err != nil {
					return
				}
			}
		}
		n := binary.LittleEndian.Uint32(head[8:12])
		if n > MaxFramePayload {
			return // the peer would refuse it: let the dialler see the break
		}
		frame := make([]byte, frameHead+int(n))
		copy(frame, head)
		if _, err := io.ReadFull(in, frame[frameHead:]); err != nil {
			return
		}
		p.frames.Add(1)
		// The hello always passes: a link is up or cut, and its messages
		// are lost or not.
		if !first && p.lose() {
			p.dropped.Add(1)
			continue
		}
		first = false
		q <- chunk{p.due(), frame}
	}
}

// lose draws whether to lose a message frame.
func (p *Proxy) lose() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.faults.Blackhole || p.faults.Drop > 0 && p.rng.Float64() < p.faults.Drop
}

// due is when a frame read now may go.
func (p *Proxy) due() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.faults.Delay
	if p.faults.Jitter > 0 {
		d += time.Duration(p.rng.Int64N(int64(p.faults.Jitter)))
	}
	return time.Now().Add(d)
}
