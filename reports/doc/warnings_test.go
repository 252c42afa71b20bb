package doc_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"baocao/reports/doc"
)

// TestWarnings: what keeps each seed plan from being signed as it stands.
func TestWarnings(t *testing.T) {
	want := map[string][]string{
		"binh-dinh-2017":  {"no-recipients"},
		"lai-chau-2024":   {"unmarked-draft"},
		"ninh-thuan-2022": {"unmarked-draft"},
		"tay-son-2023":    {"incomplete-date", "no-signature", "no-recipients"},
		"thanh-tri-2022":  {"unmarked-draft", "appendix-not-cited"},
	}
	for name, codes := range want {
		d, err := doc.ReadFile(filepath.Join("..", "..", "testdata", "plans", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range d.Warnings() {
			got = append(got, w.Code)
			if w.Vietnamese == "" {
				t.Errorf("%s: %s without a message", name, w.Code)
			}
		}
		if !reflect.DeepEqual(got, codes) {
			t.Errorf("%s: %v, want %v", name, got, codes)
		}
	}
	// A complete draft warns of nothing.
	d := &doc.Document{Kind: "KH", Draft: true, Body: "Chi tiết tại Phụ lục kèm theo.", Signature: &doc.Signature{Signer: "A"},
		Archive: "VT", Appendices: []doc.Appendix{{Title: "x"}}}
	if w := d.Warnings(); len(w) != 0 {
		t.Errorf("complete draft: %v", w)
	}
}
