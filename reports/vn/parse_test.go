package vn

import "testing"

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"15/03/2024": "2024-03-15", "5/3/2024": "2024-03-05", "05-03-2024": "2024-03-05", "05.03.2024": "2024-03-05",
		" 29/02/2024 ": "2024-02-29", "2024-03-15": "2024-03-15",
	} {
		got, err := ParseDate(in)
		if err != nil || got.Format("2006-01-02") != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "31/02/2024", "29/02/2023", "15/13/2024", "03/15/2024x", "15/03/24", "mười lăm"} {
		if _, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted", in)
		}
	}
}
