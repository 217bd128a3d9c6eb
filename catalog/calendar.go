package catalog

import (
	"fmt"

	"github.com/distsys/distsys/model"
	"github.com/distsys/distsys/spec"
	"github.com/distsys/distsys/spec/calendar"
)

func init() {
	register(calendarEntry())
	registerClassic(Classic{Name: "calendar-whole-entry-lww", Protocol: "calendar", Flags: "-lww entry", Breaks: calendar.PropNoLostEdit,
		Doc: "last writer wins on the whole calendar entry: n0 edits the title and n1 the time concurrently, n1's entry wins whole and n0's acknowledged edit is lost (course 7.3)"})
}

func calendarEntry() *Entry {
	var lww []string
	for _, g := range calendar.Granularities() {
		lww = append(lww, g.String())
	}
	d := calendar.DefaultParams()
	e := &Entry{
		Name:    "calendar",
		Summary: "replicas of a calendar entry edited concurrently: the op-based LWW map (a timestamp per field) or last writer wins on the whole entry",
		Section: "7.3, 8.1",
		Params: []Param{
			{Name: "lww", Doc: "what one timestamp covers: one field (the op-based LWW map) or the whole entry", Default: int(d.LWW), Max: len(lww) - 1, Choices: lww},
			{Name: "n", Doc: "replicas", Default: d.Nodes, Min: 2, Max: calendar.MaxNodes},
			{Name: "fields", Doc: "fields of the entry (title, time, place)", Default: d.Fields, Min: 1, Max: calendar.MaxFields},
		},
		Mutants: calendar.Mutants,
	}
	for i := range calendar.MaxNodes {
		name := fmt.Sprintf("e%d", i)
		e.Params = append(e.Params, Param{Name: name, Doc: fmt.Sprintf("edits replica %d makes (the checker tries every field)", i), Default: d.Edits[i], Max: calendar.MaxEdits,
			Fits: ofNode(name, i)})
	}
	return nodeProtocol[calendar.State, calendar.Msg]{
		props: calendar.Properties(),
		vacuous: func(params map[string]int, _ model.Config) map[string]string {
			return CalendarParams(params, "").Unreachable()
		},
		build: func(params map[string]int, mutant string) (spec.Protocol[calendar.State, calendar.Msg], []spec.WorkItem[calendar.Msg], error) {
			p, err := calendar.New(CalendarParams(params, mutant))
			if err != nil {
				return nil, nil, err
			}
			return p, p.Workload(), nil
		},
	}.install(e)
}

// CalendarParams reads the calendar entry's parameters.
func CalendarParams(params map[string]int, mutant string) calendar.Params {
	p := calendar.Params{Nodes: params["n"], Fields: params["fields"], LWW: calendar.Granularity(params["lww"]), Mutant: mutant}
	for i := range calendar.MaxNodes {
		p.Edits[i] = params[fmt.Sprintf("e%d", i)]
	}
	return p
}
