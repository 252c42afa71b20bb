package sample

import (
	"encoding/json"
	"fmt"
)

// HostileFields are the fields HostilePlan gets wrong, in the order of
// its text: the strict decoder must name each of them, all at once.
var HostileFields = []string{
	"appendices[0].tasks[0].CONTENT",  // content spelt in capitals
	"appendices[0].tasks[0].deadline", // a number, not the plan's words
	"appendices[0].tasks[1].lead",     // a string, not a list
	"appendices[0].tasks[2].priority", // no such field
	"title",                           // given twice
}

// HostilePlan returns a plan fixture (its JSON) with the problems of
// HostileFields: a key in the wrong case, a deadline that is a number, a
// lead that is a string, an unknown field in a task and a title given
// twice. The fixture needs an appendix of three tasks or more.
func HostilePlan(fixture []byte) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(fixture, &m); err != nil {
		return nil, err
	}
	apps, _ := m["appendices"].([]any)
	if len(apps) == 0 {
		return nil, fmt.Errorf("the fixture has no appendix")
	}
	app, _ := apps[0].(map[string]any)
	tasks, _ := app["tasks"].([]any)
	if len(tasks) < 3 {
		return nil, fmt.Errorf("the fixture's first appendix has fewer than three tasks")
	}
	t0, t1, t2 := tasks[0].(map[string]any), tasks[1].(map[string]any), tasks[2].(map[string]any)
	t0["CONTENT"] = t0["content"]
	delete(t0, "content")
	t0["deadline"] = 30
	t1["lead"] = "Sở Nội vụ"
	t2["priority"] = "cao"
	b, err := json.Marshal(m) // keys in order: appendices … title
	if err != nil {
		return nil, err
	}
	// A first title, before the fixture's own.
	return append([]byte(`{"title":"Tiêu đề khác",`), b[1:]...), nil
}
