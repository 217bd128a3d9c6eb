package protocols

import (
	"github.com/distsys/distsys/catalog"
	"github.com/distsys/distsys/spec/calendar"
)

func init() {
	register(entry("calendar",
		"each replica's edits of the calendar entry, a few milliseconds apart, each of a field drawn from the round's seed, applied at once and broadcast to the other replicas; checks sec, convergence and no-lost-edit (whole-entry LWW, -lww entry, loses an edit whenever two edits of different fields cross)",
		nil, calendarTarget))
}

func calendarTarget(params map[string]int, mutant string) (*Target[calendar.State, calendar.Msg], error) {
	p, err := calendar.New(catalog.CalendarParams(params, mutant))
	if err != nil {
		return nil, err
	}
	props := calendar.Properties()
	// Every edit reaches every replica; whether one replica ends with two
	// replicas' fields hangs on which fields the seed draws.
	var expected []string
	if len(p.Workload()) >= 2 {
		expected = present(props, calendar.PropAllApplied)
	}
	return &Target[calendar.State, calendar.Msg]{
		Name: "calendar", Protocol: p, Work: p.Workload(),
		Properties: props, Expected: expected,
	}, nil
}
