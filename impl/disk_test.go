package impl_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/distsys/distsys/impl"
)

func openEchoStore(t *testing.T, dir string, logf func(string, ...any)) *impl.DiskStore[echoState] {
	t.Helper()
	d, err := impl.OpenDiskStore(dir, echo{}.AppendState, impl.JSONCodec[echoState]{}, logf)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDiskStoreKeepsTheLastStateSaved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := openEchoStore(t, dir, nil)
	if _, ok, _ := d.Load(); ok {
		t.Fatal("a new store has a state")
	}
	for k := 1; k <= 5; k++ {
		if err := d.Save(echoState{ID: 1, Total: k, Seq: k}); err != nil {
			t.Fatal(err)
		}
	}
	size := fileSize(t, dir)
	if err := d.Save(echoState{ID: 1, Total: 5, Seq: 5}); err != nil {
		t.Fatal(err)
	}
	if fileSize(t, dir) != size {
		t.Error("saving an unchanged state appended a record")
	}
	d.Close()
	d = openEchoStore(t, dir, nil)
	defer d.Close()
	s, ok, _ := d.Load()
	if !ok || s.Total != 5 || d.Report() != "" {
		t.Errorf("reopened: %+v %v report %q; want total 5, no report", s, ok, d.Report())
	}
}

// Reference: a crash in the middle of an append leaves part of the last
// record; the store truncates it, says so, and keeps the state before.
func TestDiskStoreTruncatesATornTailAndReportsIt(t *testing.T) {
	t.Parallel()
	for _, cut := range []int{1, 4, 8, 12} { // inside the header, the checksum, the payload
		dir := t.TempDir()
		d := openEchoStore(t, dir, nil)
		d.Save(echoState{Total: 1})
		before := fileSize(t, dir)
		d.Save(echoState{Total: 2})
		d.Close()
		truncateFile(t, dir, before+int64(cut))
		var logged []string
		d = openEchoStore(t, dir, func(f string, a ...any) { logged = append(logged, f) })
		s, _, _ := d.Load()
		if s.Total != 1 {
			t.Errorf("cut %d: state %+v, want the one before the torn record", cut, s)
		}
		if !strings.Contains(d.Report(), "torn tail at offset") || len(logged) != 1 {
			t.Errorf("cut %d: report %q, logged %d", cut, d.Report(), len(logged))
		}
		if fileSize(t, dir) != before {
			t.Errorf("cut %d: file not truncated to the last whole record", cut)
		}
		// The store goes on appending after the truncation.
		if err := d.Save(echoState{Total: 3}); err != nil {
			t.Fatal(err)
		}
		d.Close()
		d = openEchoStore(t, dir, nil)
		if s, _, _ := d.Load(); s.Total != 3 || d.Report() != "" {
			t.Errorf("cut %d: after saving again: %+v, report %q", cut, s, d.Report())
		}
		d.Close()
	}
}

// A whole last record with a bad checksum is a torn write too (the file
// grew before the data reached the disk).
func TestDiskStoreTruncatesAGarbledLastRecord(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := openEchoStore(t, dir, nil)
	d.Save(echoState{Total: 1})
	before := fileSize(t, dir)
	d.Save(echoState{Total: 2})
	d.Close()
	flipByte(t, dir, before+10)
	d = openEchoStore(t, dir, nil)
	defer d.Close()
	if s, _, _ := d.Load(); s.Total != 1 || !strings.Contains(d.Report(), "checksum mismatch in the last record") {
		t.Errorf("state %+v, report %q", s, d.Report())
	}
}

// Reference: corruption before the tail is not a torn write: refuse it,
// naming the file and the offset, rather than guess.
func TestDiskStoreRefusesCorruptionInTheMiddle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := openEchoStore(t, dir, nil)
	d.Save(echoState{Total: 1})
	d.Save(echoState{Total: 2})
	d.Save(echoState{Total: 3})
	d.Close()
	flipByte(t, dir, 8+10) // inside the first record
	_, err := impl.OpenDiskStore(dir, echo{}.AppendState, impl.JSONCodec[echoState]{}, nil)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "state.log")+": offset 8: corrupt record") {
		t.Errorf("got %v, want corruption at offset 8 named", err)
	}
}

func TestDiskStoreRefusesAFileThatIsNotALog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "state.log"), []byte("hello, world"), 0o644)
	_, err := impl.OpenDiskStore(dir, echo{}.AppendState, impl.JSONCodec[echoState]{}, nil)
	if err == nil || !strings.Contains(err.Error(), "not a state log") {
		t.Errorf("got %v", err)
	}
}

func TestDiskStoreCompactsPastItsLimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := openEchoStore(t, dir, nil)
	impl.SetCompactAt(d, 1024)
	for k := range 200 {
		if err := d.Save(echoState{Total: k}); err != nil {
			t.Fatal(err)
		}
		if fileSize(t, dir) > 1024 {
			t.Fatalf("file of %d bytes after %d saves", fileSize(t, dir), k)
		}
	}
	d.Close()
	d = openEchoStore(t, dir, nil)
	defer d.Close()
	if s, _, _ := d.Load(); s.Total != 199 {
		t.Errorf("after compaction: %+v", s)
	}
}

func fileSize(t *testing.T, dir string) int64 {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dir, "state.log"))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func truncateFile(t *testing.T, dir string, size int64) {
	t.Helper()
	if err := os.Truncate(filepath.Join(dir, "state.log"), size); err != nil {
		t.Fatal(err)
	}
}

func flipByte(t *testing.T, dir string, off int64) {
	t.Helper()
	path := filepath.Join(dir, "state.log")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[off] ^= 0xff
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
