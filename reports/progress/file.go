package progress

import (
	"fmt"
	"io"
	"strings"
	"time"

	"baocao/reports/agency"
	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/text"
)

// File is progress data kept in a file (the demo data, and the input of
// "baocao report" offline): submissions name their task by its number
// (STT) in the plan's appendices, counted across appendices from 1.
// Agencies optionally lists agencies with their other spellings: a
// submission's agency and a task's leads that are one agency's name or
// aliases are that agency.
type File struct {
	Plan        string         `json:"plan,omitempty"`
	Agencies    []agency.Entry `json:"agencies,omitempty"`
	Submissions []FileRecord   `json:"submissions"`
}

// Directory is the file's agencies with their aliases.
func (f *File) Directory() (*agency.Directory, error) { return agency.NewDirectory(f.Agencies) }

// LeadAgencies returns, for each task of d (by id) with leads, the
// canonical names of its lead agencies in the task's order, each agency
// once: what the store's LeadAgencies gives for a stored plan, for a plan
// read from a file.
func (f *File) LeadAgencies(d *doc.Document) (map[int64][]string, error) {
	dir, err := f.Directory()
	if err != nil {
		return nil, err
	}
	out := map[int64][]string{}
	for _, a := range d.Appendices {
		for _, t := range a.Tasks {
			seen := map[string]bool{}
			for _, l := range t.Lead {
				c := dir.Canonical(l)
				if k := agency.Key(c); !seen[k] {
					seen[k] = true
					out[t.ID] = append(out[t.ID], c)
				}
			}
		}
	}
	return out, nil
}

// Report is what a lead agency reports on a task for a period.
type Report struct {
	Period       string   `json:"period"`
	Agency       string   `json:"agency,omitempty"`
	Status       string   `json:"status"`
	CompletedOn  string   `json:"completed_on,omitempty"`
	Result       string   `json:"result,omitempty"`
	Figures      []Figure `json:"figures,omitempty"`
	Difficulties string   `json:"difficulties,omitempty"`
	Proposals    string   `json:"proposals,omitempty"`
	SubmittedBy  string   `json:"submitted_by"`
}

// Normalize applies the text rule (package text: line breaks, tabs,
// invisible characters, NFC) and trims the texts.
func (r *Report) Normalize() {
	n := func(s *string) { *s = strings.TrimSpace(text.Clean(*s)) }
	for _, p := range []*string{&r.Period, &r.Agency, &r.Status, &r.CompletedOn, &r.Result, &r.Difficulties, &r.Proposals, &r.SubmittedBy} {
		n(p)
	}
	for i := range r.Figures {
		n(&r.Figures[i].Name)
		n(&r.Figures[i].Unit)
	}
}

// Texts lists the report's printable texts by field, for the font check.
func (r *Report) Texts(fn func(field string, s string)) {
	fn("result", r.Result)
	fn("difficulties", r.Difficulties)
	fn("proposals", r.Proposals)
	fn("submitted_by", r.SubmittedBy)
	for i, f := range r.Figures {
		fn(fmt.Sprintf("figures[%d].name", i), f.Name)
		fn(fmt.Sprintf("figures[%d].unit", i), f.Unit)
	}
}

// FileRecord is one submission in a File.
type FileRecord struct {
	Task int `json:"task"`
	Report
	SubmittedAt time.Time `json:"submitted_at"`
}

// ReadFile decodes a progress file strictly.
func ReadFile(r io.Reader) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, 32<<20))
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	var f File
	if err := doc.DecodeJSON(data, &f); err != nil {
		return nil, err
	}
	for i := range f.Submissions {
		f.Submissions[i].Normalize()
	}
	for i := range f.Agencies {
		e := &f.Agencies[i]
		e.Name = text.Clean(e.Name)
		for j := range e.Aliases {
			e.Aliases[j] = text.Clean(e.Aliases[j])
		}
	}
	if _, err := f.Directory(); err != nil {
		return nil, err
	}
	return &f, nil
}

// TaskIDs gives each task of d without an id its number (STT) as id, so
// that file submissions can refer to tasks of a plan read from a file.
func TaskIDs(d *doc.Document) {
	n := int64(0)
	for ai := range d.Appendices {
		for ti := range d.Appendices[ai].Tasks {
			n++
			if d.Appendices[ai].Tasks[ti].ID == 0 {
				d.Appendices[ai].Tasks[ti].ID = n
			}
		}
	}
}

// Resolve checks the file against the plan and returns its submissions
// with task ids and revisions (in file order per task, agency and period)
// and the late flag from the plan's due day. A submission's agency must be
// one of the task's leads, by name or alias (see File.Agencies); the
// submission carries the agency's canonical name.
func (f *File) Resolve(d *doc.Document) ([]Submission, error) {
	dir, err := f.Directory()
	if err != nil {
		return nil, err
	}
	var tasks []doc.Task
	for _, a := range d.Appendices {
		tasks = append(tasks, a.Tasks...)
	}
	rev := map[string]int{}
	var out []Submission
	for i, r := range f.Submissions {
		where := fmt.Sprintf("submissions[%d]", i)
		if r.Task < 1 || r.Task > len(tasks) {
			return nil, fmt.Errorf("%s.task: the plan has tasks 1 to %d, not %d", where, len(tasks), r.Task)
		}
		t := tasks[r.Task-1]
		p, err := period.Parse(r.Period)
		if err != nil {
			return nil, fmt.Errorf("%s.period: %v", where, err)
		}
		// The same date rules as a submission through the API.
		if first, last, ok := period.PlanYears(d); ok {
			if err := period.CheckPlanPeriod(first, last, p); err != nil {
				return nil, fmt.Errorf("%s.period: %v", where, err)
			}
			if done, err := time.Parse(time.DateOnly, r.CompletedOn); err == nil {
				if err := period.CheckCompletedOn(first, done, time.Now()); err != nil {
					return nil, fmt.Errorf("%s.completed_on: %v", where, err)
				}
				if r.SubmittedAt.Before(done) {
					return nil, fmt.Errorf("%s.completed_on: ngày hoàn thành sau ngày báo cáo / the completion date is after the report was submitted", where)
				}
			}
		}
		lead := false
		for _, l := range t.Lead {
			lead = lead || dir.Same(l, r.Agency)
		}
		if !lead {
			return nil, fmt.Errorf("%s.agency: %q does not lead task %d (%s)", where, r.Agency, r.Task, strings.Join(t.Lead, "; "))
		}
		switch r.Status {
		case Done, InProgress, NotStarted:
		default:
			return nil, fmt.Errorf("%s.status: must be not_started, in_progress or done, not %q", where, r.Status)
		}
		if (r.Status == Done) != (r.CompletedOn != "") {
			return nil, fmt.Errorf("%s.completed_on: required exactly when the status is done", where)
		}
		if r.SubmittedAt.IsZero() || r.SubmittedBy == "" {
			return nil, fmt.Errorf("%s: submitted_by and submitted_at are required", where)
		}
		name := dir.Canonical(r.Agency)
		k := fmt.Sprint(t.ID, "\x00", agency.Key(name), "\x00", p.Code())
		rev[k]++
		out = append(out, Submission{TaskID: t.ID, Agency: name, Period: p.Code(), Revision: rev[k], Status: r.Status,
			CompletedOn: r.CompletedOn, Result: r.Result, Figures: r.Figures, Difficulty: r.Difficulties, Proposal: r.Proposals,
			SubmittedAt: r.SubmittedAt.UTC(), Late: !r.SubmittedAt.Before(p.DueEnd(d.ReportDueDay))})
	}
	return out, nil
}
