package broadcast_test

import (
	"testing"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/model/modeltest"
	"github.com/distsys/distsys/spec/broadcast"
)

// expectTrace asserts that prop's counterexample is exactly the steps want.
func expectTrace(t *testing.T, what string, res checked, prop string, want ...string) {
	t.Helper()
	t.Run(what, func(t *testing.T) {
		t.Helper()
		modeltest.WantTrace(t, res.result, prop, want...)
	})
}

// Reference: course 4.3, direct fan-out, and 2.3, "retry plus dedup turns
// fair-loss into reliable". With acknowledgements and one round of resends
// per message, fan-out keeps best-effort broadcast's promises on a network
// that loses a message: every sometimes property is reached, and only the
// ordering properties, which fan-out never promised, fail.
func TestFanOutResendsWhatOneDropLoses(t *testing.T) {
	cfg := tobAssumed(t, broadcast.FanOut, broadcast.LevelBestEffort)
	if cfg.Drops != 1 {
		t.Fatalf("fanout assumes %d drops, want 1", cfg.Drops)
	}
	res := check(t, params(broadcast.FanOut, 1, 1), cfg)
	expect(t, "fanout, sends (1,1), one drop", res, map[string]int{broadcast.PropCausal: 4, broadcast.PropTotal: 4})
	tobReachedAll(t, "fanout, sends (1,1), one drop", res)
	tobStates(t, "fanout, sends (1,1), one drop", res, 29851)

	// The resend budget is per message: a timer that fires before the
	// first message is acknowledged does not use up the second one's.
	res = check(t, params(broadcast.FanOut, 2), cfg)
	expect(t, "fanout, sends (2), one drop", res, map[string]int{broadcast.PropFIFO: 3, broadcast.PropCausal: 3, broadcast.PropTotal: 4}, oneSender...)
	tobStates(t, "fanout, sends (2), one drop", res, 16273)
}

// Resends are what save validity: with none, or with more losses than
// resends, a peer never gets the message.
func TestFanOutLosesAMessageWithoutEnoughResends(t *testing.T) {
	p := params(broadcast.FanOut, 1)
	p.Retries = 0
	res := check(t, p, model.Config{Drops: 1}, broadcast.PropValidity, broadcast.PropAgreement)
	expect(t, "no resends, one drop", res, map[string]int{broadcast.PropValidity: 4, broadcast.PropAgreement: 4})
	tobStates(t, "no resends, one drop", res, 21)

	res = check(t, params(broadcast.FanOut, 1), model.Config{Drops: 2}, broadcast.PropValidity, broadcast.PropAgreement)
	expect(t, "one resend, two drops", res, map[string]int{broadcast.PropValidity: 6, broadcast.PropAgreement: 6})
	expectTrace(t, "one resend, two drops", res, broadcast.PropValidity,
		"request n0 broadcast",
		"deliver n0→n2 Data(m0.1)",
		"deliver n2→n0 Ack(m0.1)",
		"fire n0 resend",
		"drop n0→n1 Data(m0.1)",
		"drop n0→n1 Data(m0.1)")
}

// Reference: course 4.3, "direct fan-out: the sender crashes mid-fan-out,
// so some correct node never delivers". Receivers do not pass the message
// on, so a sender that dies half-way through its sends — or after a send
// was lost, before its timer fires — splits the correct nodes. Validity
// still holds: it speaks only of correct senders.
func TestFanOutSenderCrashBreaksAgreement(t *testing.T) {
	res := check(t, params(broadcast.FanOut, 1), model.Config{Crashes: 1, CrashMidStep: true}, broadcast.PropValidity, broadcast.PropAgreement)
	expect(t, "crash mid-step", res, map[string]int{broadcast.PropAgreement: 3})
	expectTrace(t, "crash mid-step", res, broadcast.PropAgreement,
		"request n0 broadcast ✗ n0 crashes after 1 send",
		"deliver n0→n1 Data(m0.1)",
		"deliver n1→n0 Ack(m0.1) (lost: n0 is down)")
	tobStates(t, "crash mid-step", res, 323)

	res = check(t, params(broadcast.FanOut, 1), model.Config{Drops: 1, Crashes: 1}, broadcast.PropValidity, broadcast.PropAgreement)
	expect(t, "a drop, then a crash", res, map[string]int{broadcast.PropAgreement: 5})
	expectTrace(t, "a drop, then a crash", res, broadcast.PropAgreement,
		"request n0 broadcast",
		"deliver n0→n2 Data(m0.1)",
		"deliver n2→n0 Ack(m0.1)",
		"drop n0→n1 Data(m0.1)",
		"crash n0")
	tobStates(t, "a drop, then a crash", res, 590)
}
