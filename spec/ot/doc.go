// Package ot is operational transformation of a shared text ordered by
// a server, course section 8.1: clients edit their copy of the text by
// index (insert a letter before index i, delete the letter at index i),
// apply each edit at once, and send it to the server (node 0) with the
// revision of the server's text they had seen. The server is the total
// order: it transforms an edit against the edits it sequenced since
// that revision, applies it, and sends it to every client as the next
// revision. A client takes the revisions in order (holding one that
// comes early, ignoring a copy); the one it made is its acknowledgement,
// and another client's is transformed against the client's edits not
// yet sequenced, and they against it, before it is applied.
//
// A client keeps one edit at the server at a time (later ones wait in
// a buffer), so every edit the server transforms an incoming one against
// is another client's. Transform shifts an index at or after a
// concurrent insert right, one after a concurrent delete left; of two
// inserts at one index the smaller author's goes left, and a delete of a
// character a concurrent delete removed is void. It satisfies TP1 (op1
// then Transform(op2, op1) gives the same text as op2 then
// Transform(op1, op2)): `go test ./spec/ot -run TP1` tries every pair of
// operations on every text of up to four letters, 9,168 cases.
//
// Every replica starts from Initial, "BC"; client i makes Params.Edits
// edits, and the checker tries each as an insert of each of the first
// Params.Letters letters of "ADE" at every index, or a delete at every
// index. Links may reorder and duplicate; nothing resends a lost edit.
//
// Properties: "same-revision-same-text" (always: a client with no edit
// waiting, at revision r, holds the server's text of revision r),
// "convergence" (at quiescence: every edit sequenced, every client
// holding the server's text), and the intention of each edit, judged on
// the final text (at quiescence): "edits-kept" (a replica holds the
// initial and inserted characters less those the deletes meant, each
// once) and "insert-between" (an inserted character stands between the
// characters its author saw around it, where they are still held). Witnesses: "concurrent" (an edit arrived
// concurrent with one applied first) and "transformed" (a transformation
// moved or voided an edit).
//
// Mutants: no-transform applies incoming edits as made (c1 types A at
// 0 and c2 D at 0 in "BC": the server holds "DABC", c2 "ADBC"; with D at
// 2 it is the course's "ABDC" against "ABCD"); no-tie-break moves each of
// two inserts at one index right of the other.
//
// Pinned figures (exhaustive breadth-first search, unordered network,
// one worker, keeping going after violations):
//
//	edits  letters  system model    states  transitions  depth  violated (steps)
//	1,1    2        reliable         4,225        8,511      8  -
//	1,1    1        reliable         1,616        3,275      8  -
//	1,1    2        1 duplication   31,553       84,055     10  -
//	2,1    1        reliable        38,732       99,975     12  -
//	1,1    2        no-transform     4,225        8,511      8  same-revision-same-text 6, convergence 8, edits-kept 8, insert-between 8
//	1,1    2        no-tie-break     4,225        8,511      8  same-revision-same-text 6, convergence 8
//
// With -tags long (long_test.go): two edits each of one letter,
// 1,201,169 states; three clients editing once, 1,178,550 states.
//
// Example shows two concurrent inserts transformed to one text.
package ot
