package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// A search can take minutes; the files it writes are checked before it
// starts, so that a mistyped path costs one line and exit 2, not the
// search and its report. A write that still fails afterwards (a full
// disk) is reported after the report, which is printed in full.

// checkOutputFile checks that path can be written as a file: its
// directory exists and takes a new file, and path is not a directory nor
// a file that cannot be written. It changes nothing on disk.
func checkOutputFile(flagName, path string) error {
	if path == "" {
		return nil
	}
	if st, err := os.Stat(path); err == nil {
		if st.IsDir() {
			return fmt.Errorf("-%s %s: is a directory, want a file", flagName, path)
		}
		// An existing file is opened for writing, not truncated: the
		// search may find nothing to write.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("-%s %s: %v", flagName, path, unwrapPath(err))
		}
		f.Close()
	}
	if err := checkWritableDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("-%s %s: %v", flagName, path, err)
	}
	return nil
}

// prepareOutputDir creates dir if needed and checks that it takes new
// files.
func prepareOutputDir(flagName, dir string) error {
	if dir == "" {
		return nil
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("-%s %s: is a file, want a directory", flagName, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-%s %s: %v", flagName, dir, unwrapPath(err))
	}
	if err := checkWritableDir(dir); err != nil {
		return fmt.Errorf("-%s %s: %v", flagName, dir, err)
	}
	return nil
}

// checkWritableDir checks that dir is a directory that takes a new file,
// by creating one and removing it.
func checkWritableDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("directory %s does not exist", dir)
	case err != nil:
		return unwrapPath(err)
	case !st.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	f, err := os.CreateTemp(dir, ".modelcheck-probe-*")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %v", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// unwrapPath drops the operation and path of a *fs.PathError, which the
// caller's message already names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
