package workflow

import (
	"errors"
	"strings"
	"testing"

	"baocao/reports/doc"
)

// TestCheckIssuable: a plan is issued under its document's number and
// full date, or those of the decision that promulgates it; each missing
// one is named.
func TestCheckIssuable(t *testing.T) {
	day := doc.Date{Year: 2024, Month: 1, Day: 5}
	for _, c := range []struct {
		name string
		d    doc.Document
		want []string // fields named; none: issuable
		ref  string
	}{
		{"numbered", doc.Document{Kind: "KH", Number: 20, Date: day, Agency: doc.Agency{Symbol: "UBND"}}, nil, "20/KH-UBND"},
		{"no number", doc.Document{Kind: "KH", Date: day}, []string{"number"}, ""},
		{"a month", doc.Document{Kind: "KH", Number: 20, Date: doc.Date{Year: 2024, Month: 1}}, []string{"date"}, ""},
		{"neither", doc.Document{Kind: "KH", Date: doc.Date{Year: 2024}}, []string{"number", "date"}, ""},
		{"promulgated", doc.Document{Kind: "KH", PromulgatedBy: &doc.Document{Kind: "QĐ", Number: 7, Date: day, Agency: doc.Agency{Symbol: "UBND"}}}, nil, "07/QĐ-UBND"},
		{"promulgated, no number", doc.Document{Kind: "KH", Number: 20, Date: day, PromulgatedBy: &doc.Document{Kind: "QĐ", Date: day}},
			[]string{"promulgated_by.number"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := checkIssuable(&c.d)
			var ve *doc.ValidationError
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if got := IssueReference(&c.d); got != c.ref {
					t.Errorf("reference %q, want %q", got, c.ref)
				}
				return
			}
			if !errors.As(err, &ve) || len(ve.Fields) != len(c.want) {
				t.Fatalf("%v, want fields %v", err, c.want)
			}
			for i, f := range ve.Fields {
				if f.Field != c.want[i] || !strings.Contains(f.Problem, "before issuing") && !strings.Contains(f.Problem, "full date") {
					t.Errorf("field %+v, want %s", f, c.want[i])
				}
			}
		})
	}
}
