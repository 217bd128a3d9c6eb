package impl

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A data directory's manifest (docs/runtime.md): one small JSON file at
// its top, written once when the directory is claimed, that says whose
// state the stores below it hold.
const (
	ManifestFile    = "distsys-data.json"
	manifestFormat  = "distsys-data"
	manifestVersion = 1
)

// DataManifest says what a data directory holds: the protocol, how many
// nodes, and everything that decides what a persisted state means — the
// protocol's parameters and its mutant. Two runs may share a directory
// only if their manifests are equal: a state written by another protocol,
// another node count or other parameters may still decode, and would then
// be taken for this run's own.
type DataManifest struct {
	Format   string         `json:"format"`
	Version  int            `json:"version"`
	Protocol string         `json:"protocol"`
	Nodes    int            `json:"nodes"`
	Params   map[string]int `json:"params"`
	Mutant   string         `json:"mutant,omitempty"`
	// Cluster, if set, names the cluster whose node wrote the directory
	// (a node process's -cluster): another cluster's directory is refused.
	Cluster string `json:"cluster,omitempty"`

	_ struct{}
}

// NewDataManifest is the manifest of a run of protocol on nodes nodes
// with params and mutant.
func NewDataManifest(protocol string, nodes int, params map[string]int, mutant string) DataManifest {
	return DataManifest{Format: manifestFormat, Version: manifestVersion, Protocol: protocol, Nodes: nodes,
		Params: maps.Clone(params), Mutant: mutant}
}

// String writes the manifest as "kv on 3 nodes (maxterm=1 n=3 scenario=0)".
func (m DataManifest) String() string {
	s := fmt.Sprintf("%s on %d nodes", m.Protocol, m.Nodes)
	if len(m.Params) > 0 {
		s += " (" + paramsText(m.Params) + ")"
	}
	if m.Mutant != "" {
		s += " mutant " + m.Mutant
	}
	if m.Cluster != "" {
		s += " of cluster " + m.Cluster
	}
	return s
}

func paramsText(p map[string]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(p)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, p[k]))
	}
	return strings.Join(parts, " ")
}

// CheckDataDir reports whether dir may keep the state of the run that m
// describes, reading only: it may if it does not exist, is empty, or
// holds a manifest equal to m. A directory with files but no manifest
// (written before directories were tagged, or by something else) is
// refused, and so is one whose manifest differs from m; the error is one
// line naming the difference.
func CheckDataDir(dir string, m DataManifest) error {
	_, err := checkDataDir(dir, m)
	return err
}

// ClaimDataDir checks dir as CheckDataDir does and, for a directory that
// does not exist or is empty, creates it and writes m as its manifest,
// atomically: written aside, fsync'd, renamed into place, the directory
// fsync'd. Nothing is written to a directory that is refused.
func ClaimDataDir(dir string, m DataManifest) error {
	fresh, err := checkDataDir(dir, m)
	if err != nil || !fresh {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(dir, ManifestFile)
	tmp := path + ".tmp"
	if err := writeSynced(tmp, append(data, '\n')); err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("data directory %s: %w", dir, err)
	}
	return syncDir(dir)
}

// checkDataDir reports whether dir is fresh (missing or empty: the
// manifest is still to be written), or fails naming why dir does not fit.
func checkDataDir(dir string, m DataManifest) (fresh bool, err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("data directory %s: %w", dir, err)
	case len(entries) == 0:
		return true, nil
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("data directory %s holds files but no %s, so nothing says which protocol, node count and parameters wrote them (a directory written before data directories were tagged?): refusing to guess; point -data at a fresh directory", dir, ManifestFile)
	}
	if err != nil {
		return false, fmt.Errorf("data directory %s: %w", dir, err)
	}
	var got DataManifest
	if err := json.Unmarshal(data, &got); err != nil || got.Format != manifestFormat {
		return false, fmt.Errorf("data directory %s: %s is not a distsys data manifest: refusing to guess what the directory holds", dir, ManifestFile)
	}
	if got.Version != manifestVersion {
		return false, fmt.Errorf("data directory %s: manifest version %d, this program reads version %d", dir, got.Version, manifestVersion)
	}
	if got.Protocol != m.Protocol || got.Nodes != m.Nodes || got.Mutant != m.Mutant || got.Cluster != m.Cluster || !maps.Equal(got.Params, m.Params) {
		return false, fmt.Errorf("data directory %s holds the states of %s, not of this run's %s%s: point -data at another directory", dir, got, m, paramsDiff(got, m))
	}
	return false, nil
}

// paramsDiff names the parameters in which the directory's manifest got
// differs from the run's m (" — n: 3 there, 5 here"), or returns "" when
// they agree or belong to different protocols.
func paramsDiff(got, m DataManifest) string {
	if got.Protocol != m.Protocol {
		return ""
	}
	var diffs []string
	for _, k := range slices.Sorted(maps.Keys(m.Params)) {
		if v, ok := got.Params[k]; !ok || v != m.Params[k] {
			there := "unset"
			if ok {
				there = fmt.Sprint(v)
			}
			diffs = append(diffs, fmt.Sprintf("%s: %s there, %d here", k, there, m.Params[k]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got.Params)) {
		if _, ok := m.Params[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: %d there, unset here", k, got.Params[k]))
		}
	}
	if len(diffs) == 0 {
		return ""
	}
	return " — " + strings.Join(diffs, ", ")
}

// writeSynced writes data to a new file at path and fsyncs it.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
