package protocols_test

// longRuns is set by long_test.go when the tests are built with -tags
// long: runs that take many seconds use their full length then.
var longRuns bool
