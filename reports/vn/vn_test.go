package vn

import "testing"

func TestWords(t *testing.T) {
	for n, want := range map[int64]string{
		0: "không", 1: "một", 5: "năm", 10: "mười", 11: "mười một", 14: "mười bốn", 15: "mười lăm",
		20: "hai mươi", 21: "hai mươi mốt", 24: "hai mươi tư", 25: "hai mươi lăm", 55: "năm mươi lăm",
		100: "một trăm", 105: "một trăm linh năm", 110: "một trăm mười", 115: "một trăm mười lăm",
		1000: "một nghìn", 1001: "một nghìn không trăm linh một", 1021: "một nghìn không trăm hai mươi mốt",
		12345: "mười hai nghìn ba trăm bốn mươi lăm", 1000000: "một triệu",
		2005000: "hai triệu không trăm linh năm nghìn", 1000000000: "một tỷ",
		-3: "âm ba",
	} {
		if got := Words(n); got != want {
			t.Errorf("Words(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNumbers(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{Number(1234.5, 1), "1.234,5"}, {Number(1234567.5, 1), "1.234.567,5"}, {Number(1234, 2), "1.234"},
		{Number(0.25, 2), "0,25"}, {Number(-1234.5, 1), "-1.234,5"}, {Int(350), "350"}, {Int(1000), "1.000"},
		{Percent(10, 14), "71,4%"}, {Percent(1, 4), "25%"}, {Percent(0, 0), "0%"}, {Percent(14, 14), "100%"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestDates(t *testing.T) {
	cases := []struct{ got, want string }{
		{DateWords(2024, 3, 5), "ngày 05 tháng 3 năm 2024"},
		{DateWords(2024, 1, 15), "ngày 15 tháng 01 năm 2024"},
		{DateWords(2024, 2, 9), "ngày 09 tháng 02 năm 2024"},
		{DateWords(2024, 12, 31), "ngày 31 tháng 12 năm 2024"},
		{DateWords(2024, 0, 0), "ngày " + Blank + " tháng " + Blank + " năm 2024"},
		{DateLine("Lai Châu", 2024, 6, 29), "Lai Châu, ngày 29 tháng 6 năm 2024"},
		{Roman(4), "IV"}, {Roman(14), "XIV"}, {Roman(40), "40"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
