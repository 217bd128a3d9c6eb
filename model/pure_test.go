package model_test

import (
	"testing"

	"github.com/distsys/distsys/spec/spectest"
)

func TestPingStepIsPure(t *testing.T) {
	spectest.Pure[pingState, pingMsg](t, ping{n: 2}, pingWork(), 30)
}

func spectestPure(t *testing.T, f fan) {
	spectest.Pure[fanState, fanMsg](t, f, fanWork, 10)
}
