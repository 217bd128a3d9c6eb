package traces

// Stamp fills in every event's Lamport and vector timestamps from the
// trace's causality: the events of one node in order, and each receive
// after the event that sent its message. Drops, duplications and messages
// lost at a node that is down are events of the network, not of a node:
// they get no timestamps of their own.
func (t *Trace) Stamp() {
	n := len(t.Nodes)
	lamport := make([]int, n)
	vector := make([][]int, n)
	for i := range vector {
		vector[i] = make([]int, n)
	}
	for i := range t.Events {
		e := &t.Events[i]
		if e.Node < 0 || e.Node >= n || e.Kind == KindDrop || e.Kind == KindDuplicate || e.Kind == KindLost || e.Kind == KindStabilize {
			e.Lamport, e.Vector = 0, nil
			continue
		}
		l, v := lamport[e.Node], append([]int(nil), vector[e.Node]...)
		if e.Kind == KindReceive && e.Cause >= 0 && e.Cause < i {
			c := &t.Events[e.Cause]
			l = max(l, c.Lamport)
			for j := range v {
				if j < len(c.Vector) {
					v[j] = max(v[j], c.Vector[j])
				}
			}
		}
		l++
		v[e.Node]++
		e.Lamport, e.Vector = l, v
		lamport[e.Node], vector[e.Node] = l, v
	}
}
