package report

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/vn"
	"baocao/templates"
)

// randomPlan makes a plan of random tasks: every kind of deadline, one to
// three lead agencies, ongoing tasks.
func randomPlan(rng *rand.Rand) *doc.Document {
	deadlines := []string{"Thường xuyên", "Định kỳ hằng quý", "Quý I", "Quý II", "Quý III", "Quý IV", "Tháng 2/2024",
		"Tháng 8/2024", "30/6/2024", "15/11/2024", "Trước ngày 16 tháng 3, 6, 9, 12 năm 2024", "Quý I, 6 tháng, Quý III, năm",
		"Năm 2024", "6 tháng", "Khi có yêu cầu"}
	agencies := []string{"Sở Nội vụ", "Báo Lai Châu", "Đài Phát thanh – Truyền hình tỉnh", "Văn phòng UBND tỉnh", "Sở Tư pháp"}
	var tasks []doc.Task
	for i := range 5 + rng.IntN(20) {
		var leads []string
		for _, j := range rng.Perm(len(agencies))[:1+rng.IntN(3)] {
			leads = append(leads, agencies[j])
		}
		tasks = append(tasks, doc.Task{ID: int64(i + 1), Content: fmt.Sprintf("Nhiệm vụ thử %d", i+1), Lead: leads,
			Deadline: doc.Deadline{Text: deadlines[rng.IntN(len(deadlines))]}})
	}
	return &doc.Document{Kind: "KH", Number: 3, Date: doc.Date{Year: 2024, Month: 1, Day: 5}, Title: "Kế hoạch thử",
		Agency:     doc.Agency{Name: "Ủy ban nhân dân tỉnh Lai Châu", Symbol: "UBND", Place: "Lai Châu"},
		Signature:  &doc.Signature{Authority: []string{"CHỦ TỊCH"}, Signer: "Nguyễn Văn A"},
		Appendices: []doc.Appendix{{Title: "Nhiệm vụ", Tasks: tasks}}}
}

// randomSubmissions reports on random tasks over the four quarters (and
// sometimes on a cumulative period): missing quarters, revisions, late
// reports, reports made long after the period.
func randomSubmissions(rng *rand.Rand, d *doc.Document) []progress.Submission {
	var out []progress.Submission
	codes := []string{"2024-Q1", "2024-Q2", "2024-H1", "2024-Q3", "2024-9M", "2024-Q4", "2024-Y"}
	for _, t := range d.Appendices[0].Tasks {
		for _, lead := range t.Lead {
			for _, code := range codes {
				if rng.IntN(3) == 0 || (strings.HasSuffix(code, "H1") || strings.HasSuffix(code, "9M") || strings.HasSuffix(code, "Y")) && rng.IntN(4) != 0 {
					continue
				}
				p, _ := period.Parse(code)
				_, end := p.Window()
				for rev := 1; rev <= 1+rng.IntN(2); rev++ {
					s := progress.Submission{TaskID: t.ID, Agency: lead, Period: code, Revision: rev,
						SubmittedAt: end.Add(time.Duration(rng.IntN(24*40)-24*20) * time.Hour),
						Result:      "Đã triển khai.", Difficulty: []string{"", "Thiếu kinh phí."}[rng.IntN(2)],
						Figures: []progress.Figure{{Name: "tin bài", Value: float64(rng.IntN(30)), Unit: "tin bài"}}}
					switch rng.IntN(3) {
					case 0:
						s.Status = progress.NotStarted
					case 1:
						s.Status = progress.InProgress
					default:
						s.Status = progress.Done
						s.CompletedOn = end.AddDate(0, 0, rng.IntN(60)-45).Format(time.DateOnly)
					}
					out = append(out, s)
				}
			}
		}
	}
	return out
}

var countRe = regexp.MustCompile(`(\d+) nhiệm vụ ([^(;.:\d]+?) \(([\d,]+)%\)`)

// TestProperties checks, over random plans and submissions, for every
// period and several as-of days: the statuses partition the tasks due;
// the body's counts, Phụ lục I's tally, Phụ lục II's totals and the board
// agree; submissions after the as-of day change nothing; a cumulative
// period never reports a quarter without a submission.
func TestProperties(t *testing.T) {
	set, err := templates.Load("", Funcs())
	if err != nil {
		t.Fatal(err)
	}
	phrase := map[string]string{}
	for st, p := range StatusPhrases {
		phrase[p] = st
	}
	for seed := range uint64(60) {
		rng := rand.New(rand.NewPCG(seed, 99))
		d := randomPlan(rng)
		subs := randomSubmissions(rng, d)
		for _, p := range period.All(2024) {
			for _, asOf := range []time.Time{p.Due(0), p.Due(0).AddDate(0, 1, 10), time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)} {
				name := fmt.Sprintf("seed %d %s as of %s", seed, p.Code(), asOf.Format(time.DateOnly))
				b := progress.Build(d, p, subs, asOf)
				checkBoard(t, name, b, subs, p, asOf)

				// Only what was submitted by the as-of day counts.
				var before []progress.Submission
				cut := time.Date(asOf.Year(), asOf.Month(), asOf.Day()+1, 0, 0, 0, 0, period.Vietnam)
				for _, s := range subs {
					if s.SubmittedAt.Before(cut) {
						before = append(before, s)
					}
				}
				j1, _ := json.Marshal(b)
				j2, _ := json.Marshal(progress.Build(d, p, before, asOf))
				if string(j1) != string(j2) {
					t.Fatalf("%s: a submission after the as-of day changed the board", name)
				}

				// Body counts = board counts.
				rd, tables, err := Build(set, Input{Plan: d, Period: p, Board: b, AsOf: asOf})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				summary := Summary(b, p.Name())
				if !strings.Contains(rd.Body, summary) {
					t.Fatalf("%s: the body lacks the counts sentence", name)
				}
				// The same board summarised (as a large plan's is): the
				// counts sentence, and agency lines that agree with Phụ lục II.
				sd, st, err := Build(set, Input{Plan: d, Period: p, Board: b, AsOf: asOf, DetailedUpTo: -1})
				if err != nil {
					t.Fatalf("%s: summarised: %v", name, err)
				}
				if !strings.Contains(sd.Body, summary) {
					t.Fatalf("%s: the summarised body lacks the counts sentence", name)
				}
				checkSummary(t, name+" summarised", sd.Body, st[1], b)
				got := map[string]int{}
				for _, m := range countRe.FindAllStringSubmatch(summary, -1) {
					st, ok := phrase[m[2]]
					if !ok {
						continue
					}
					n, _ := strconv.Atoi(m[1])
					got[st] = n
					if m[3]+"%" != vn.Percent(float64(n), float64(b.Due)) {
						t.Errorf("%s: share %s%% of %s", name, m[3], st)
					}
				}
				for _, st := range progress.Statuses {
					if got[st] != b.Counts[st] {
						t.Fatalf("%s: body says %d %s, board %d\n%s", name, got[st], st, b.Counts[st], summary)
					}
				}
				if strings.Contains(summary, " 0 nhiệm vụ") || strings.Contains(summary, "00 nhiệm vụ") {
					t.Errorf("%s: a zero count in the text: %s", name, summary)
				}

				// Phụ lục I tally = board counts.
				tally := map[string]int{}
				col := -1
				for i, c := range tables[0].Columns {
					if c.Field == progress.FieldStatus {
						col = i
					}
				}
				for _, r := range tables[0].Rows {
					tally[r[col].Text()]++
				}
				for _, st := range progress.Statuses {
					if tally[progress.StatusNames[st]] != b.Counts[st] {
						t.Fatalf("%s: Phụ lục I has %d %q, board %d", name, tally[progress.StatusNames[st]], st, b.Counts[st])
					}
				}

				// Phụ lục II: each row adds up; the total is the pairs.
				ag := tables[1]
				for ri, r := range ag.Rows {
					vals := make([]int, 0, len(r))
					for ci, c := range ag.Columns {
						if c.Numeric {
							v, err := strconv.Atoi(strings.Trim(r[ci].Text(), "*"))
							if err != nil {
								t.Fatalf("%s: Phụ lục II row %d column %s: %q", name, ri, c.Field, r[ci].Text())
							}
							vals = append(vals, v)
						}
					}
					sum := 0
					for _, v := range vals[1:] {
						sum += v
					}
					if sum != vals[0] {
						t.Fatalf("%s: Phụ lục II row %d: statuses add up to %d, total %d", name, ri, sum, vals[0])
					}
					if ri == len(ag.Rows)-1 && vals[0] != b.Pairs {
						t.Fatalf("%s: Phụ lục II total %d, pairs %d", name, vals[0], b.Pairs)
					}
				}
			}
		}
	}
}

// checkBoard checks the partition and that nothing is reported for a
// quarter that has no submission.
func checkBoard(t *testing.T, name string, b *progress.Board, subs []progress.Submission, p period.Period, asOf time.Time) {
	t.Helper()
	sum := 0
	for _, st := range progress.Statuses {
		sum += b.Counts[st]
	}
	if sum != b.Due || b.Due != len(b.Rows) || b.WithDeadline+b.OngoingDue != b.Due {
		t.Fatalf("%s: statuses add up to %d, due %d, rows %d", name, sum, b.Due, len(b.Rows))
	}
	cut := time.Date(asOf.Year(), asOf.Month(), asOf.Day()+1, 0, 0, 0, 0, period.Vietnam)
	has := map[string]bool{}
	for _, s := range subs {
		if s.SubmittedAt.Before(cut) {
			has[fmt.Sprint(s.TaskID, s.Agency, s.Period)] = true
		}
	}
	pairs := 0
	for _, r := range b.Rows {
		if r.Ongoing && (r.Status == progress.Overdue || r.Status == progress.DoneLate || r.Status == progress.DoneOnTime) {
			t.Fatalf("%s: ongoing task %d is %s", name, r.TaskID, r.Status)
		}
		for _, l := range r.Agencies {
			pairs++
			for _, q := range l.Quarters {
				if q.Status != progress.NotReported && !has[fmt.Sprint(r.TaskID, l.Agency, q.Period)] {
					t.Fatalf("%s: task %d %s reports %s without a submission", name, r.TaskID, l.Agency, q.Period)
				}
			}
			latest := has[fmt.Sprint(r.TaskID, l.Agency, b.Latest)] || has[fmt.Sprint(r.TaskID, l.Agency, p.Code())]
			if (l.Status == progress.InTime || l.Status == progress.Overdue || l.Status == progress.Ongoing || l.Status == progress.CarriedOut) && !latest {
				t.Fatalf("%s: task %d %s is %s without a report for %s", name, r.TaskID, l.Agency, l.Status, b.Latest)
			}
		}
		notReported := false
		allDone := true
		for _, l := range r.Agencies {
			notReported = notReported || l.Status == progress.NotReported
			allDone = allDone && progress.IsDone(l.Status)
		}
		if notReported != (r.Status == progress.NotReported) {
			t.Fatalf("%s: task %d is %s with leads %+v", name, r.TaskID, r.Status, r.Agencies)
		}
		if progress.IsDone(r.Status) && !allDone {
			t.Fatalf("%s: task %d is done but not by every lead", name, r.TaskID)
		}
	}
	if pairs != b.Pairs {
		t.Fatalf("%s: pairs %d, board %d", name, pairs, b.Pairs)
	}
}
