package impl

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// The wire format of the TCP transport (docs/runtime.md). Every frame is a
// 16-byte header and a payload:
//
//	bytes 0–3    magic "DSYF"
//	byte  4      format version, FrameVersion
//	byte  5      kind: FrameHello, FrameWelcome or FrameMsg
//	bytes 6–7    zero
//	bytes 8–11   payload length, little endian, at most MaxFramePayload
//	bytes 12–15  CRC-32C (Castagnoli) of bytes 0–11 and the payload
//
// A connection carries one direction of one link: the dialling node sends
// a Hello (JSON: FrameHello's fields), the listening node answers with a
// Welcome (JSON: an empty Error, or why it refuses), then the dialler sends
// messages, each the payload of one FrameMsg frame: the sending step's
// Tag (its Seq and the send's index, two uvarints), then the message in
// the transport's codec (JSON unless set). A frame with another magic, version or
// kind, a bad checksum or a payload too large is refused: the reader
// returns an error saying which, and the connection is closed.
const (
	frameMagic = "DSYF"
	// FrameVersion is the version of the wire format this program speaks.
	FrameVersion = 1
	frameHead    = 16
	// MaxFramePayload bounds a frame's payload (16 MiB).
	MaxFramePayload = 16 << 20
)

// Frame kinds.
const (
	FrameHello   = 1 // dialler → listener: who is calling, for which cluster
	FrameWelcome = 2 // listener → dialler: accepted, or why not
	FrameMsg     = 3 // one message of the protocol
)

// ErrFrame is wrapped by every error about a frame that is not ours or is
// damaged.
var ErrFrame = errors.New("bad frame")

// AppendFrame appends a frame of kind holding payload.
func AppendFrame(b []byte, kind byte, payload []byte) []byte {
	start := len(b)
	b = append(b, frameMagic...)
	b = append(b, FrameVersion, kind, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(payload)))
	sum := crc32.Update(crc32.Checksum(b[start:start+12], crcTable), crcTable, payload)
	b = binary.LittleEndian.AppendUint32(b, sum)
	return append(b, payload...)
}

// ReadFrame reads one frame into buf (grown as needed) and returns its kind
// and payload (aliasing buf). An error wrapping ErrFrame says what is wrong
// with a frame that arrived; other errors are the reader's (io.EOF between
// frames: the peer closed).
func ReadFrame(r io.Reader, buf []byte) (kind byte, payload []byte, out []byte, err error) {
	if cap(buf) < frameHead {
		buf = make([]byte, frameHead, 4096)
	}
	head := buf[:frameHead]
	if _, err := io.ReadFull(r, head); err != nil {
		return 0, nil, buf, err
	}
	if string(head[0:4]) != frameMagic {
		return 0, nil, buf, fmt.Errorf("%w: magic %q, want %q (not a distsys peer)", ErrFrame, head[0:4], frameMagic)
	}
	if head[4] != FrameVersion {
		return 0, nil, buf, fmt.Errorf("%w: wire format version %d, this program speaks %d", ErrFrame, head[4], FrameVersion)
	}
	kind = head[5]
	if kind < FrameHello || kind > FrameMsg || head[6] != 0 || head[7] != 0 {
		return 0, nil, buf, fmt.Errorf("%w: kind %d (flags %d %d) unknown", ErrFrame, kind, head[6], head[7])
	}
	n := binary.LittleEndian.Uint32(head[8:12])
	if n > MaxFramePayload {
		return 0, nil, buf, fmt.Errorf("%w: payload of %d bytes, at most %d", ErrFrame, n, MaxFramePayload)
	}
	if cap(buf) < frameHead+int(n) {
		nb := make([]byte, frameHead+int(n))
		copy(nb, head)
		buf = nb
	}
	buf = buf[:frameHead+int(n)]
	payload = buf[frameHead:]
	if _, err := io.ReadFull(r, payload); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, buf, fmt.Errorf("%w: cut short in its payload: %w", ErrFrame, err)
	}
	want := binary.LittleEndian.Uint32(buf[12:16])
	if got := crc32.Update(crc32.Checksum(buf[0:12], crcTable), crcTable, payload); got != want {
		return 0, nil, buf, fmt.Errorf("%w: checksum %08x, header says %08x (damaged in transit)", ErrFrame, got, want)
	}
	return kind, payload, buf, nil
}

// Hello is the first frame of a connection: who dials whom, in which
// cluster, running what. The listener refuses a Hello that does not match
// its own cluster, protocol, node count or id.
type Hello struct {
	Cluster  string `json:"cluster"`
	Protocol string `json:"protocol"`
	Nodes    int    `json:"nodes"`
	From     int    `json:"from"`
	To       int    `json:"to"`
	// Incarnation names the dialling process (TCPConfig.Incarnation).
	Incarnation uint64 `json:"incarnation,omitempty"`
}

// Welcome answers a Hello: Error is empty if the connection is accepted.
type Welcome struct {
	Error string `json:"error,omitempty"`
}

// MsgCodec writes and reads a protocol's messages for the wire.
type MsgCodec[M any] interface {
	Marshal(b []byte, m M) ([]byte, error)
	Unmarshal(data []byte) (M, error)
}

// JSONMsgCodec encodes messages with encoding/json: any message whose
// fields are exported (and survive the round trip; the TCP transport
// checks each message it sends against the protocol's canonical encoding).
type JSONMsgCodec[M any] struct{}

// Marshal appends m as JSON.
func (JSONMsgCodec[M]) Marshal(b []byte, m M) ([]byte, error) {
	data, err := json.Marshal(m)
	return append(b, data...), err
}

// Unmarshal reads a message written by Marshal.
func (JSONMsgCodec[M]) Unmarshal(data []byte) (M, error) {
	var m M
	err := json.Unmarshal(data, &m)
	return m, err
}
