package doc

import (
	"reflect"
	"testing"
	"time"
)

func TestDeadlineMeaning(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	cases := map[string]Meaning{
		"Thường xuyên":                       {Kind: Regular, Year: 2024},
		"Thường xuyên trong năm 2017":        {Kind: Regular, Year: 2024},
		"Định kỳ ngày thứ Bảy của tuần cuối": {Kind: Regular, Year: 2024},
		"Quý II":                 {Kind: Quarter, Year: 2024, Quarter: 2},
		"quý iv/2023":            {Kind: Quarter, Year: 2023, Quarter: 4},
		"Quý III năm 2017":       {Kind: Quarter, Year: 2017, Quarter: 3},
		"Quý I, II năm 2017":     {Kind: Periods, Year: 2017, Periods: []string{"Q1", "Q2"}},
		"Tháng 4/2022":           {Kind: InMonth, Year: 2022, Months: []int{4}},
		"tháng 11 năm 2022":      {Kind: InMonth, Year: 2022, Months: []int{11}},
		"30/6/2024":              {Kind: OnDate, Year: 2024, Date: d(2024, 6, 30)},
		"Trước ngày 15/12/2024.": {Kind: OnDate, Year: 2024, Date: d(2024, 12, 15)},
		"Trước ngày 16 tháng 3, 6, 9, 12 năm 2024": {Kind: InMonths, Year: 2024, Day: 16, Months: []int{3, 6, 9, 12}},
		"Quý I, 6 tháng, Quý III, năm":             {Kind: Periods, Year: 2024, Periods: []string{PeriodQ1, PeriodH1, PeriodQ3, PeriodY}},
		"Quý I, 6 tháng, 9 tháng và năm":           {Kind: Periods, Year: 2024, Periods: []string{PeriodQ1, PeriodH1, Period9M, PeriodY}},
		"Năm 2022":                                 {Kind: Year, Year: 2022},
		"31/02/2024":                               {Kind: FreeText, Year: 2024},
		"Khi có yêu cầu":                           {Kind: FreeText, Year: 2024},
		"":                                         {Kind: FreeText},
	}
	for text, want := range cases {
		if got := (Deadline{Text: text}).Meaning(2024); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %+v, want %+v", text, got, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, ok := range []string{"2024", "2024-01", "2024-02-29", "2023-12-31"} {
		if _, err := ParseDate(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "24", "2023-02-29", "2024-13", "2024-02-31", "2024-1-5", "abcd", "2024-01-05-01"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
