package progress

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"baocao/reports/doc"
)

const station = "Đài Phát thanh – Truyền hình tỉnh"

func laiChau(t *testing.T) (*doc.Document, *File) {
	t.Helper()
	d, err := doc.ReadFile("../../testdata/plans/lai-chau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	TaskIDs(d)
	r, err := os.Open("../../testdata/progress/lai-chau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := ReadFile(r)
	if err != nil {
		t.Fatal(err)
	}
	return d, f
}

// TestFileAgencies: a progress file's aliases make the station's spellings
// one agency, for the submissions and the tasks' leads.
func TestFileAgencies(t *testing.T) {
	d, f := laiChau(t)
	// The station reports on task 14, whose lead list writes it "và
	// truyền hình", under the spelling of task 12.
	f.Submissions = append(f.Submissions, FileRecord{Task: 14, Report: Report{Period: "2024-Q2", Agency: "Đài Phát thanh Truyền hình tỉnh",
		Status: InProgress, SubmittedBy: "Tẩn Thị Mai"}, SubmittedAt: f.Submissions[0].SubmittedAt.AddDate(0, 3, 0)})
	subs, err := f.Resolve(d)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range subs {
		if strings.Contains(s.Agency, "Phát thanh") {
			n++
			if s.Agency != station {
				t.Errorf("task %d: agency %q, want the canonical name", s.TaskID, s.Agency)
			}
		}
	}
	if n != 4 {
		t.Errorf("%d station submissions, want 4", n)
	}
	leads, err := f.LeadAgencies(d)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(leads[12], []string{station}) || !reflect.DeepEqual(leads[14], []string{"Báo Lai Châu", station, "Văn phòng UBND tỉnh"}) {
		t.Errorf("leads 12 %q, 14 %q", leads[12], leads[14])
	}
	// Without the aliases, the other spelling leads no task 14.
	f.Agencies = nil
	if _, err := f.Resolve(d); err == nil || !strings.Contains(err.Error(), "does not lead task 14") {
		t.Errorf("without aliases: %v", err)
	}
}

func TestFileAgenciesInvalid(t *testing.T) {
	for body, want := range map[string]string{
		`{"agencies": [{"name": "A", "aliases": ["B"]}, {"name": "B"}], "submissions": []}`: `agencies[0].aliases[0]: "B" is already agencies[1].name`,
		`{"agencies": [{"name": "A", "aliases": [""]}], "submissions": []}`:                 `agencies[0].aliases[0]: is empty`,
		`{"agencies": [{"name": "A", "alias": ["B"]}], "submissions": []}`:                  `alias`,
	} {
		_, err := ReadFile(strings.NewReader(body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
}

// TestFileDates: a progress file obeys the API's date rules.
func TestFileDates(t *testing.T) {
	for _, c := range []struct {
		edit func(r *FileRecord)
		want string
	}{
		{func(r *FileRecord) { r.Period = "2099-Q1" }, "submissions[0].period"},
		{func(r *FileRecord) { r.Period = "2025-Q1" }, "submissions[0].period"},
		{func(r *FileRecord) { r.CompletedOn = "2099-05-01" }, "submissions[0].completed_on"},
		{func(r *FileRecord) { r.CompletedOn = "2023-12-31" }, "submissions[0].completed_on"},
		{func(r *FileRecord) { r.CompletedOn = "2024-03-20" }, "submissions[0].completed_on"}, // after it was reported
	} {
		d, f := laiChau(t)
		c.edit(&f.Submissions[0])
		if _, err := f.Resolve(d); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error naming %s", f.Submissions[0].Report, err, c.want)
		}
	}
}
