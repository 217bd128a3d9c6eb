package impl

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"

	"github.com/distsys/distsys/spec"
)

// The store's file format (docs/runtime.md): the 8-byte magic, then
// records. A record is the length of its payload (4 bytes, little endian),
// a CRC-32C of the length and the payload (4 bytes), and the payload: one
// whole persisted state, as the codec writes it. The last record is the
// state; earlier ones are history, dropped when the file is compacted.
const (
	storeMagic  = "DSYSLOG1"
	storeFile   = "state.log"
	recordHead  = 8
	maxRecord   = 64 << 20
	compactSize = 1 << 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// Codec writes and reads a persisted state for a DiskStore.
type Codec[S any] interface {
	Marshal(b []byte, s S) ([]byte, error)
	Unmarshal(data []byte) (S, error)
}

// JSONCodec encodes states with encoding/json: any state whose fields are
// exported. DiskStore checks on every save that the state reads back
// equal, so a state the codec cannot carry is an error, not a silent loss.
type JSONCodec[S any] struct{}

// Marshal appends s as JSON.
func (JSONCodec[S]) Marshal(b []byte, s S) ([]byte, error) {
	data, err := json.Marshal(s)
	return append(b, data...), err
}

// Unmarshal reads a state written by Marshal.
func (JSONCodec[S]) Unmarshal(data []byte) (S, error) {
	var s S
	err := json.Unmarshal(data, &s)
	return s, err
}

// DiskStore keeps a node's persisted state in a data directory: an
// append-only file of checksummed records, each one whole state, fsync'd
// before Save returns. Opening it reads every record: a torn record at the
// end of the file — a crash in the middle of an append — is truncated away
// and reported (the state is the last whole record); a bad record followed
// by more data is corruption, and Open refuses it with an error naming the
// file and the offset. A state equal to the last one saved (by the
// protocol's canonical encoding) is not written again; past 1 MiB the file
// is rewritten with the last state alone (written aside, fsync'd, renamed
// over, directory fsync'd).
type DiskStore[S any] struct {
	path   string
	f      *os.File
	size   int64
	canon  func([]byte, S) []byte
	codec  Codec[S]
	last   []byte // canonical encoding of the last state saved
	state  S
	saved  bool
	buf    []byte
	report string
	// compactAt is the file size past which Save compacts.
	compactAt int64
}

// OpenDiskStore opens (creating it if need be) the store in dir. canon is
// the protocol's AppendState; logf, if not nil, receives the report of a
// torn tail.
func OpenDiskStore[S any](dir string, canon func([]byte, S) []byte, codec Codec[S], logf func(string, ...any)) (*DiskStore[S], error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, storeFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	d := &DiskStore[S]{path: path, f: f, canon: canon, codec: codec, compactAt: compactSize}
	if err := d.load(); err != nil {
		f.Close()
		return nil, err
	}
	if d.report != "" && logf != nil {
		logf("%s", d.report)
	}
	return d, nil
}

// DiskStores returns a Config.Stores that keeps node i's state in
// root/n<i>, encoded by codec (JSONCodec[S]{} will do for most states).
func DiskStores[S, M any](root string, p spec.Protocol[S, M], codec Codec[S], logf func(string, ...any)) func(spec.NodeID) (Store[S], error) {
	return func(node spec.NodeID) (Store[S], error) {
		return OpenDiskStore(filepath.Join(root, fmt.Sprintf("n%d", node)), p.AppendState, codec, logf)
	}
}

// Report says what opening the store repaired ("" if nothing).
func (d *DiskStore[S]) Report() string { return d.report }

// load reads the file: the header, then every record, keeping the last.
func (d *DiskStore[S]) load() error {
	data, err := io.ReadAll(d.f)
	if err != nil {
		return fmt.Errorf("store %s: %w", d.path, err)
	}
	if len(data) < len(storeMagic) {
		if len(data) > 0 && !bytes.HasPrefix([]byte(storeMagic), data) {
			return fmt.Errorf("store %s: offset 0: not a state log (bad magic)", d.path)
		}
		if len(data) > 0 {
			d.report = fmt.Sprintf("store %s: torn header (%d bytes) rewritten: the file was being created when the node crashed", d.path, len(data))
		}
		return d.create()
	}
	if string(data[:len(storeMagic)]) != storeMagic {
		return fmt.Errorf("store %s: offset 0: not a state log (bad magic %q)", d.path, data[:len(storeMagic)])
	}
	off := int64(len(storeMagic))
	var last []byte
	lastAt := int64(-1)
	for off < int64(len(data)) {
		rest := data[off:]
		if len(rest) < recordHead {
			return d.truncateOr(data, off, last, lastAt, "record header cut short")
		}
		n := int64(binary.LittleEndian.Uint32(rest[0:4]))
		sum := binary.LittleEndian.Uint32(rest[4:8])
		end := recordHead + n
		if n > maxRecord || end > int64(len(rest)) {
			return d.truncateOr(data, off, last, lastAt, "record runs past the end of the file")
		}
		if crcOf(rest[:4], rest[recordHead:end]) != sum {
			if off+end == int64(len(data)) {
				return d.truncateOr(data, off, last, lastAt, "checksum mismatch in the last record")
			}
			return fmt.Errorf("store %s: offset %d: corrupt record (checksum mismatch) followed by %d more bytes: refusing to guess the state",
				d.path, off, int64(len(data))-off-end)
		}
		last, lastAt = rest[recordHead:end], off
		off += end
	}
	d.size = off
	return d.use(last, lastAt)
}

func crcOf(head, payload []byte) uint32 {
	return crc32.Update(crc32.Checksum(head, crcTable), crcTable, payload)
}

// truncateOr truncates a torn tail at off, then keeps the last whole
// record.
func (d *DiskStore[S]) truncateOr(data []byte, off int64, last []byte, lastAt int64, why string) error {
	if err := d.truncate(off, int64(len(data))-off, why); err != nil {
		return err
	}
	return d.use(last, lastAt)
}

// truncate cuts the file at off and reports it.
func (d *DiskStore[S]) truncate(off, n int64, why string) error {
	if err := d.f.Truncate(off); err != nil {
		return fmt.Errorf("store %s: truncate torn tail at offset %d: %w", d.path, off, err)
	}
	if err := d.f.Sync(); err != nil {
		return fmt.Errorf("store %s: %w", d.path, err)
	}
	d.size = off
	d.report = fmt.Sprintf("store %s: torn tail at offset %d (%d bytes: %s) truncated: the node crashed while saving; the state is the last whole record",
		d.path, off, n, why)
	return nil
}

// use decodes the last record as the state.
func (d *DiskStore[S]) use(last []byte, at int64) error {
	if at < 0 {
		return nil
	}
	s, err := d.codec.Unmarshal(last)
	if err != nil {
		return fmt.Errorf("store %s: offset %d: record does not decode: %w", d.path, at, err)
	}
	d.state, d.saved = s, true
	d.last = d.canon(nil, s)
	return nil
}

// create writes the header of an empty log.
func (d *DiskStore[S]) create() error {
	if err := d.f.Truncate(0); err != nil {
		return err
	}
	if _, err := d.f.WriteAt([]byte(storeMagic), 0); err != nil {
		return fmt.Errorf("store %s: %w", d.path, err)
	}
	if err := d.f.Sync(); err != nil {
		return fmt.Errorf("store %s: %w", d.path, err)
	}
	d.size = int64(len(storeMagic))
	return syncDir(filepath.Dir(d.path))
}

// Load returns the last state saved.
func (d *DiskStore[S]) Load() (S, bool, error) { return d.state, d.saved, nil }

// Save appends s and fsyncs, unless s equals the last state saved.
func (d *DiskStore[S]) Save(s S) error {
	if d.f == nil {
		return fmt.Errorf("store %s: closed", d.path)
	}
	enc := d.canon(d.buf[:0], s)
	d.buf = enc
	if d.saved && bytes.Equal(enc, d.last) {
		return nil
	}
	rec, err := d.record(s, enc)
	if err != nil {
		return err
	}
	if d.size+int64(len(rec)) > d.compactAt {
		return d.compact(rec, s, enc)
	}
	if _, err := d.f.WriteAt(rec, d.size); err != nil {
		return fmt.Errorf("store %s: append at offset %d: %w", d.path, d.size, err)
	}
	if err := d.f.Sync(); err != nil {
		return fmt.Errorf("store %s: fsync: %w", d.path, err)
	}
	d.size += int64(len(rec))
	d.keep(s, enc)
	return nil
}

// record builds the record of s, checking that it reads back as s.
func (d *DiskStore[S]) record(s S, enc []byte) ([]byte, error) {
	rec := make([]byte, recordHead, recordHead+64)
	rec, err := d.codec.Marshal(rec, s)
	if err != nil {
		return nil, fmt.Errorf("store %s: encode: %w", d.path, err)
	}
	payload := rec[recordHead:]
	back, err := d.codec.Unmarshal(payload)
	if err != nil || !bytes.Equal(d.canon(nil, back), enc) {
		return nil, fmt.Errorf("store %s: the codec does not carry this state (it reads back different): %v", d.path, err)
	}
	binary.LittleEndian.PutUint32(rec[0:4], uint32(len(payload)))
	binary.LittleEndian.PutUint32(rec[4:8], crcOf(rec[0:4], payload))
	return rec, nil
}

func (d *DiskStore[S]) keep(s S, enc []byte) {
	d.state, d.saved = s, true
	d.last = append(d.last[:0], enc...)
}

// compact replaces the file with one holding the header and rec.
func (d *DiskStore[S]) compact(rec []byte, s S, enc []byte) error {
	tmp := d.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("store %s: compact: %w", d.path, err)
	}
	data := append([]byte(storeMagic), rec...)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("store %s: compact: %w", d.path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("store %s: compact: %w", d.path, err)
	}
	if err := os.Rename(tmp, d.path); err != nil {
		f.Close()
		return fmt.Errorf("store %s: compact: %w", d.path, err)
	}
	if err := syncDir(filepath.Dir(d.path)); err != nil {
		f.Close()
		return err
	}
	d.f.Close()
	d.f, d.size = f, int64(len(data))
	d.keep(s, enc)
	return nil
}

// Close closes the file.
func (d *DiskStore[S]) Close() error {
	if d.f == nil {
		return errors.New("store " + d.path + ": closed twice")
	}
	err := d.f.Close()
	d.f = nil
	return err
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsync directory %s: %w", dir, err)
	}
	return nil
}
