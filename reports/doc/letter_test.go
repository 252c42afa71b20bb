package doc

import "testing"

// TestLetterHeader: a công văn (kind CV) has no kind abbreviation in its
// symbol — the agency's, or the agency's and the unit's given as Symbol —
// its summary prints as the "V/v …" line, and other kinds have none.
func TestLetterHeader(t *testing.T) {
	d := &Document{Kind: KindLetter, Number: 12, Agency: Agency{Symbol: "UBND"}, Title: "đôn đốc báo cáo Quý I năm 2024"}
	if !d.IsLetter() || d.NumberLine() != "Số: 12/UBND" || d.KindName() != "Công văn" {
		t.Errorf("công văn: %q %q", d.NumberLine(), d.KindName())
	}
	d.Symbol = "UBND-VX"
	if d.NumberLine() != "Số: 12/UBND-VX" || d.SubjectLine() != "V/v đôn đốc báo cáo Quý I năm 2024" {
		t.Errorf("công văn with a unit: %q %q", d.NumberLine(), d.SubjectLine())
	}
	d.Title = "V/v nhắc báo cáo"
	if d.SubjectLine() != "V/v nhắc báo cáo" {
		t.Errorf("a title that says V/v itself: %q", d.SubjectLine())
	}
	kh := &Document{Kind: "KH", Number: 15, Agency: Agency{Symbol: "UBND"}, Title: "Tuyên truyền"}
	if kh.IsLetter() || kh.SubjectLine() != "" || kh.NumberLine() != "Số: 15/KH-UBND" {
		t.Errorf("kế hoạch: %q %q", kh.NumberLine(), kh.SubjectLine())
	}
}
