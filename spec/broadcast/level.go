package broadcast

// Level is a rung of the broadcast hierarchy (course 4.2).
type Level uint8

// The levels, weakest first. Reliable < FIFO < Causal < FIFOTotal and
// Reliable < Total < FIFOTotal.
const (
	// LevelSafety promises only that nothing is duplicated or invented.
	LevelSafety Level = iota
	LevelBestEffort
	LevelReliable
	LevelFIFO
	LevelCausal
	LevelTotal
	LevelFIFOTotal
)

var levelNames = [...]string{"safety only", "best-effort", "reliable", "FIFO", "causal", "total order", "FIFO-total order"}

func (l Level) String() string { return levelNames[l] }

// Guarantees lists the properties a level promises.
func (l Level) Guarantees() []string {
	safety := []string{PropNoDuplication, PropNoCreation}
	base := append(safety, PropValidity)
	reliable := append(base, PropAgreement)
	switch l {
	case LevelSafety:
		return safety
	case LevelBestEffort:
		return base
	case LevelReliable:
		return reliable
	case LevelFIFO:
		return append(reliable, PropFIFO)
	case LevelCausal:
		return append(reliable, PropFIFO, PropCausal)
	case LevelTotal:
		return append(reliable, PropTotal)
	}
	return append(reliable, PropFIFO, PropCausal, PropTotal)
}

// Assumptions are the system model an algorithm needs for its level.
type Assumptions struct {
	// FIFOLinks: messages on each link arrive in the order sent.
	FIFOLinks bool
	// Crashes: how many nodes may crash (crash-stop, also mid-step) while
	// the level still holds.
	Crashes int
	// Drops: how many messages may be lost while the level still holds.
	Drops int
}

// LevelOf is the level an algorithm reaches, under the system model its
// Assumptions give.
func LevelOf(a Algorithm) (Level, Assumptions) {
	switch a {
	case BestEffort:
		return LevelBestEffort, Assumptions{}
	case FanOut:
		return LevelBestEffort, Assumptions{Drops: 1}
	case Eager:
		return LevelReliable, Assumptions{Crashes: 1}
	case Gossip:
		return LevelSafety, Assumptions{}
	case FIFO:
		return LevelFIFO, Assumptions{Crashes: 1}
	case Causal:
		return LevelCausal, Assumptions{Crashes: 1}
	case Sequencer:
		return LevelTotal, Assumptions{}
	case Lamport:
		return LevelFIFOTotal, Assumptions{FIFOLinks: true}
	}
	return LevelFIFOTotal, Assumptions{}
}
