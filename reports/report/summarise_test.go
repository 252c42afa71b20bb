package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"baocao/reports/doc"
	"baocao/reports/period"
	"baocao/reports/progress"
	"baocao/reports/sample"
	"baocao/reports/table"
	"baocao/reports/vn"
	"baocao/templates"
)

var (
	agencyLineRe = regexp.MustCompile(`(?m)^- (.+?): ([\d.]+) lượt nhiệm vụ đến hạn(?:, gồm (.*))?\.$`)
	countPartRe  = regexp.MustCompile(`^([\d.]+) (.+)$`)
)

func atoiVN(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ".", ""))
	if err != nil {
		t.Fatalf("not a count: %q", s)
	}
	return n
}

// checkSummary reads the agency lines of a summarised body back and
// checks them against Phụ lục II, row by row, the agencies beyond the
// listed ones added up; and that the body goes through no task one by one.
func checkSummary(t *testing.T, name, body string, ag *table.Table, b *progress.Board) {
	t.Helper()
	phrase := map[string]string{}
	for st, p := range StatusPhrases {
		phrase[p] = st
	}
	col := map[string]int{}
	for i, c := range ag.Columns {
		col[c.Field] = i
	}
	value := func(r []table.Cell, field string) int {
		return atoiVN(t, strings.Trim(r[col[field]].Text(), "*"))
	}
	rows := ag.Rows[:len(ag.Rows)-1] // without the total
	lines := agencyLineRe.FindAllStringSubmatch(body, -1)
	if b.Due > 0 && len(lines) == 0 {
		t.Fatalf("%s: no agency line in the body:\n%s", name, body)
	}
	for i, m := range lines {
		got := map[string]int{}
		if m[3] != "" {
			for _, part := range strings.Split(m[3], ", ") {
				pm := countPartRe.FindStringSubmatch(part)
				st, ok := phrase[pm[2]]
				if pm == nil || !ok {
					t.Fatalf("%s: %q is not a count of a status", name, part)
				}
				got[st] = atoiVN(t, pm[1])
			}
		}
		want := rows[i : i+1]
		if strings.HasPrefix(m[1], "Các cơ quan khác") {
			if i != len(lines)-1 || m[1] != OtherAgencies(len(rows)-i) {
				t.Fatalf("%s: %q with %d agencies left", name, m[1], len(rows)-i)
			}
			want = rows[i:]
		} else if m[1] != escapeMD(rows[i][col["agency"]].Text()) {
			t.Fatalf("%s: agency line %d is %q, Phụ lục II's row %q", name, i, m[1], rows[i][col["agency"]].Text())
		}
		due := 0
		wantSt := map[string]int{}
		for _, r := range want {
			due += value(r, progress.FieldDue)
			for _, st := range progress.Statuses {
				wantSt[st] += value(r, st)
			}
		}
		if atoiVN(t, m[2]) != due {
			t.Fatalf("%s: %s: body %s due, Phụ lục II %d", name, m[1], m[2], due)
		}
		for _, st := range progress.Statuses {
			if got[st] != wantSt[st] {
				t.Fatalf("%s: %s: body %d %s, Phụ lục II %d", name, m[1], got[st], st, wantSt[st])
			}
		}
		if i == len(lines)-1 && want[len(want)-1][col["agency"]].Text() != rows[len(rows)-1][col["agency"]].Text() {
			t.Fatalf("%s: the agency lines stop at %q", name, m[1])
		}
	}
	if strings.Contains(body, "- Nhiệm vụ 1:") || strings.Contains(body, "nhiệm vụ số 1 (") {
		t.Fatalf("%s: a summarised body goes task by task", name)
	}
}

// TestLargeReport renders the body of a 5,000-task plan's report: it is
// summarised, within the body's limit, its agency lines agree with Phụ
// lục II and its counts sentence with the board; and a plan of exactly
// DetailedUpTo tasks due still goes task by task.
func TestLargeReport(t *testing.T) {
	set, err := templates.Load("", Funcs())
	if err != nil {
		t.Fatal(err)
	}
	d := sample.Plan(5000)
	progress.TaskIDs(d)
	p := period.Period{Year: 2024, Kind: period.Half}
	_, end := p.Window()
	b := progress.Build(d, p, generated(d, p), end)
	if len(b.Rows) <= DetailedUpTo {
		t.Fatalf("only %d tasks due", len(b.Rows))
	}
	rd, tables, err := Build(set, Input{Plan: d, Period: p, Board: b, AsOf: end})
	if err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(rd.Body); n > 20000 {
		t.Errorf("the body of %d tasks due is %d characters", len(b.Rows), n)
	}
	if !strings.Contains(rd.Body, Summary(b, p.Name())) {
		t.Error("the body lacks the counts sentence")
	}
	checkSummary(t, "5000 tasks", rd.Body, tables[1], b)
	for _, want := range []string{"nhiệm vụ quá hạn (danh sách tại Phụ lục I)", "theo cơ quan chủ trì:"} {
		if b.Counts[progress.Overdue] > 0 && !strings.Contains(rd.Body, want) {
			t.Errorf("the body lacks %q", want)
		}
	}

	// DetailedUpTo tasks due: one by one.
	small := &doc.Document{}
	*small = *d
	small.Appendices = []doc.Appendix{d.Appendices[0]}
	var keep []doc.Task
	for _, task := range d.Appendices[0].Tasks {
		if len(keep) < DetailedUpTo && period.Due(task.Deadline.Meaning(2024), p) {
			keep = append(keep, task)
		}
	}
	small.Appendices[0].Tasks = keep
	sb := progress.Build(small, p, generated(small, p), end)
	if len(sb.Rows) != DetailedUpTo {
		t.Fatalf("%d rows", len(sb.Rows))
	}
	rd, _, err = Build(set, Input{Plan: small, Period: p, Board: sb, AsOf: end})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rd.Body, fmt.Sprintf("- Nhiệm vụ %d:", sb.Rows[0].Number)) || agencyLineRe.MatchString(rd.Body) {
		t.Errorf("a plan of %d tasks due is summarised", DetailedUpTo)
	}
}

// TestSummaryManyAgencies: beyond summaryAgencies agencies, the rest are
// added up in one line that agrees with Phụ lục II, and the sentences
// naming agencies name a few and count the others.
func TestSummaryManyAgencies(t *testing.T) {
	set, err := templates.Load("", Funcs())
	if err != nil {
		t.Fatal(err)
	}
	d := sample.Plan(300)
	for i := range d.Appendices[0].Tasks {
		d.Appendices[0].Tasks[i].Lead = []string{fmt.Sprintf("Sở Thử nghiệm số %d", i%70+1)}
	}
	progress.TaskIDs(d)
	p := period.Period{Year: 2024, Kind: period.Q2}
	_, end := p.Window()
	b := progress.Build(d, p, generated(d, p), end)
	if len(b.Agencies) <= summaryAgencies+1 || len(b.NotReported) <= summaryNames+1 {
		t.Fatalf("%d agencies, %d not reported", len(b.Agencies), len(b.NotReported))
	}
	rd, tables, err := Build(set, Input{Plan: d, Period: p, Board: b, AsOf: end})
	if err != nil {
		t.Fatal(err)
	}
	checkSummary(t, "70 agencies", rd.Body, tables[1], b)
	if !strings.Contains(rd.Body, OtherAgencies(len(b.Agencies)-summaryAgencies)) {
		t.Error("no line adds up the other agencies")
	}
	if want := fmt.Sprintf("và %s cơ quan khác", vn.Count(len(b.NotReported)-summaryNames)); !strings.Contains(rd.Body, want) {
		t.Errorf("the body lacks %q", want)
	}
}
