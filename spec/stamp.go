package spec

import "fmt"

// Stamp is a Lamport timestamp made unique by the node that made it:
// (counter, node). Counter 0 means "never written". Last-writer-wins
// registers and maps name the value a write wrote by its stamp.
type Stamp struct {
	C    uint8
	Node uint8
}

// Less is the total order of unique timestamps: by counter, ties broken by
// node id.
func (a Stamp) Less(b Stamp) bool { return a.C < b.C || a.C == b.C && a.Node < b.Node }

// String is "-" for never written, else "w<node>.<counter>".
func (a Stamp) String() string {
	if a.C == 0 {
		return "-"
	}
	return fmt.Sprintf("w%d.%d", a.Node, a.C)
}
