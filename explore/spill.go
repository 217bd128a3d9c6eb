package explore

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// workDir is where a search spills what does not fit in its memory budget:
// frontier blocks and parent links. It is created on first use and removed
// when the search ends, whether the directory was named by the user
// (Options.WorkDir, in which a fresh subdirectory is made) or not.
type workDir struct {
	parent string // Options.WorkDir, or "" for the system's temporary directory

	mu    sync.Mutex
	dir   string
	files []*spillFile
	err   error

	size atomic.Int64 // bytes currently on disk
	peak atomic.Int64 // the most bytes on disk at once
}

// open creates a new spill file.
func (w *workDir) open(name string) (*spillFile, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return nil, w.err
	}
	if w.dir == "" {
		dir, err := os.MkdirTemp(w.parent, "modelcheck-spill-")
		if err != nil {
			w.err = fmt.Errorf("explore: cannot create a spill directory: %w", err)
			return nil, w.err
		}
		w.dir = dir
	}
	f, err := os.Create(filepath.Join(w.dir, fmt.Sprintf("%s-%d", name, len(w.files))))
	if err != nil {
		w.err = fmt.Errorf("explore: cannot create a spill file: %w", err)
		return nil, w.err
	}
	sf := &spillFile{f: f, wd: w}
	w.files = append(w.files, sf)
	return sf, nil
}

// removeAll deletes every spill file and the directory.
func (w *workDir) removeAll() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range w.files {
		f.close()
	}
	w.files = nil
	if w.dir != "" {
		os.RemoveAll(w.dir)
		w.dir = ""
	}
}

// spillFile is an append-only file written by several goroutines at once
// (each write reserves its own range) and read back by position.
type spillFile struct {
	f      *os.File
	wd     *workDir
	end    atomic.Int64
	closed atomic.Bool
}

// write appends b and returns its offset.
func (s *spillFile) write(b []byte) (int64, error) {
	off := s.end.Add(int64(len(b))) - int64(len(b))
	if _, err := s.f.WriteAt(b, off); err != nil {
		return 0, fmt.Errorf("explore: spilling to disk: %w", err)
	}
	now := s.wd.size.Add(int64(len(b)))
	for {
		p := s.wd.peak.Load()
		if now <= p || s.wd.peak.CompareAndSwap(p, now) {
			break
		}
	}
	return off, nil
}

// readAt fills b from offset off.
func (s *spillFile) readAt(b []byte, off int64) error {
	_, err := s.f.ReadAt(b, off)
	return err
}

// close closes and removes the file, giving its bytes back to the budget.
func (s *spillFile) close() {
	if s.closed.Swap(true) {
		return
	}
	name := s.f.Name()
	s.f.Close()
	os.Remove(name)
	s.wd.size.Add(-s.end.Load())
}
