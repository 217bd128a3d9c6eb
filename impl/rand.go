package impl

import "math"

// Every random draw of a run comes from the run's seed through a stream
// keyed by what it decides: the fate of the k-th message on the link
// i→j, the jitter of node i's k-th timer, node i's k-th choice, the fault
// schedule. A key names its draw independently of how the goroutines
// interleave, so one seed gives one fault schedule: the same messages
// (counted per link) are lost, copied and delayed in every run with it.

// Stream kinds.
const (
	streamLink uint64 = iota + 1
	streamTimer
	streamChoice
	streamSchedule
)

// stream is a splitmix64 generator.
type stream struct{ s uint64 }

// newStream returns the stream of key (kind, a, b, k) under seed.
func newStream(seed, kind, a, b, k uint64) stream {
	h := mix(seed ^ 0x6a09e667f3bcc908)
	h = mix(h ^ kind)
	h = mix(h ^ a)
	h = mix(h ^ b)
	return stream{mix(h ^ k)}
}

func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (r *stream) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// float returns a number in [0, 1).
func (r *stream) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a number in [0, n), n > 0.
func (r *stream) intn(n int) int { return int(r.next() % uint64(n)) }

// exp returns an exponentially distributed number of mean 1.
func (r *stream) exp() float64 { return -math.Log(1 - r.float()) }
