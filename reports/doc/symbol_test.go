package doc

import (
	"os"
	"strings"
	"testing"
)

func TestValidSymbol(t *testing.T) {
	for _, s := range []string{"UBND", "SNV", "KH-UBND", "BC-SNV", "QĐ-UBND", "CV-VP1", "KH-BCĐ-UBND"} {
		if !ValidSymbol(s) {
			t.Errorf("%q refused", s)
		}
	}
	for _, s := range []string{"", "310/../../../etc/passwd", "KH UBND", "KH/UBND", "-UBND", "UBND-", "KH--UBND",
		"KH.UBND", "UBND\x00", "UBND\n", "KH_UBND", "<b>", "UBND;", "KH\u00a0UBND"} {
		if ValidSymbol(s) {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestValidateSymbols(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/plans/lai-chau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ old, new, field string }{
		{`"symbol": "UBND"`, `"symbol": "UBND/../../../etc/passwd"`, "agency.symbol"},
		{`"kind": "KH"`, `"kind": "KH", "symbol": "310/../../../etc/passwd"`, "symbol"},
	} {
		if !strings.Contains(string(raw), c.old) {
			t.Fatalf("fixture lacks %s", c.old)
		}
		_, err := Decode(strings.NewReader(strings.Replace(string(raw), c.old, c.new, 1)))
		ve, ok := err.(*ValidationError)
		if !ok {
			t.Fatalf("%s: %v", c.field, err)
		}
		found := false
		for _, fe := range ve.Fields {
			found = found || (fe.Field == c.field && fe.Problem == SymbolProblem)
		}
		if !found {
			t.Errorf("%s not refused: %+v", c.field, ve.Fields)
		}
	}
	d, err := Decode(strings.NewReader(strings.Replace(string(raw), `"kind": "KH"`, `"kind": "KH", "symbol": "QĐ-UBND"`, 1)))
	if err != nil || !strings.HasSuffix(d.NumberLine(), "/QĐ-UBND") {
		t.Errorf("QĐ-UBND: %v %v", err, d)
	}
}
