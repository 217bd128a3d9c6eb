package spanner

import (
	"fmt"
	"strings"
)

// Describe writes what transaction i (0, 1 for T1, T2; 2 for R) holds in
// s, and real time, in one line.
func (sp *Spec) Describe(s State, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "real time %d; ", s.Now)
	if i == 2 {
		if !s.R.Started {
			b.WriteString("R idle")
			return b.String()
		}
		fmt.Fprintf(&b, "R at t_r = %d", s.R.TR)
		for o, v := range s.R.Read {
			if v != NotRead {
				fmt.Fprintf(&b, ", %s = %s", ObjectName(o), versionName(v, o))
			}
		}
		return b.String()
	}
	w := s.W[i]
	fmt.Fprintf(&b, "%s %s", TxnName(i), w.Phase)
	if w.Committed() {
		fmt.Fprintf(&b, ", ts %d", w.TS)
	}
	if i == 1 && w.ReadX != NotRead {
		fmt.Fprintf(&b, ", read x = %s", versionName(w.ReadX, 0))
	}
	return b.String()
}

func versionName(v Version, o int) string {
	if v == Written {
		return TxnName(o) + "'s"
	}
	return "initial"
}
