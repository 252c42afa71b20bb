package doc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestDeadlineMeaning(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	all := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	quarters := []string{"Q1", "Q2", "Q3", "Q4"}
	cases := map[string]Meaning{
		// Ongoing.
		"Thường xuyên":                       {Kind: Regular, Year: 2024},
		"Thường xuyên trong năm 2017":        {Kind: Regular, Year: 2024},
		"Định kỳ ngày thứ Bảy của tuần cuối": {Kind: Regular, Year: 2024},
		"Hằng quý":                           {Kind: Regular, Year: 2024},
		"Trong năm 2024":                     {Kind: Regular, Year: 2024},
		"Liên tục":                           {Kind: Regular, Year: 2024},
		// Quarters.
		"Quý II":                    {Kind: Quarter, Year: 2024, Quarter: 2},
		"quý iv/2023":               {Kind: Quarter, Year: 2023, Quarter: 4},
		"Quý III năm 2017":          {Kind: Quarter, Year: 2017, Quarter: 3},
		"trong Quý I năm 2022":      {Kind: Quarter, Year: 2022, Quarter: 1},
		"Quý 2/2024":                {Kind: Quarter, Year: 2024, Quarter: 2},
		"Đến hết Quý III":           {Kind: Quarter, Year: 2024, Quarter: 3},
		"Quý I, II năm 2017":        {Kind: Periods, Year: 2017, Periods: []string{"Q1", "Q2"}},
		"Quý II và Quý IV":          {Kind: Periods, Year: 2024, Periods: []string{"Q2", "Q4"}},
		"Quý IV/2024 và Quý I/2025": {Kind: Periods, Year: 2024, Periods: []string{"2024-Q4", "2025-Q1"}},
		// Reporting periods.
		"Quý I, 6 tháng, Quý III, năm":           {Kind: Periods, Year: 2024, Periods: []string{PeriodQ1, PeriodH1, PeriodQ3, PeriodY}},
		"Quý I, 6 tháng, 9 tháng và năm":         {Kind: Periods, Year: 2024, Periods: []string{PeriodQ1, PeriodH1, Period9M, PeriodY}},
		"Quý I, 6 tháng, 9 tháng, năm 2022":      {Kind: Periods, Year: 2022, Periods: []string{PeriodQ1, PeriodH1, Period9M, PeriodY}},
		"Định kỳ Quý I, 06 tháng, 09 tháng, năm": {Kind: Periods, Year: 2024, Periods: []string{PeriodQ1, PeriodH1, Period9M, PeriodY}},
		"6 tháng đầu năm 2024":                   {Kind: Periods, Year: 2024, Periods: []string{PeriodH1}},
		"6 tháng cuối năm":                       {Kind: Periods, Year: 2024, Periods: []string{PeriodQ3, PeriodQ4}},
		"Hằng năm":                               {Kind: Periods, Year: 2024, Periods: []string{PeriodY}},
		// Ranges: due in each quarter (month, year) of the range.
		"Quý II - Quý III năm 2024":         {Kind: Periods, Year: 2024, Periods: []string{"Q2", "Q3"}},
		"Quý II - III":                      {Kind: Periods, Year: 2024, Periods: []string{"Q2", "Q3"}},
		"Quý IV/2025 - Quý II/2026":         {Kind: Periods, Year: 2025, Periods: []string{"2025-Q4", "2026-Q1", "2026-Q2"}},
		"Quý IV/2025 – Quý II/2026":         {Kind: Periods, Year: 2025, Periods: []string{"2025-Q4", "2026-Q1", "2026-Q2"}},
		"Từ Quý III/2024 đến Quý I/2025":    {Kind: Periods, Year: 2024, Periods: []string{"2024-Q3", "2024-Q4", "2025-Q1"}},
		"Quý IV - Quý II/2026":              {Kind: Periods, Year: 2025, Periods: []string{"2025-Q4", "2026-Q1", "2026-Q2"}},
		"Quý IV - Quý I":                    {Kind: Periods, Year: 2024, Periods: []string{"2024-Q4", "2025-Q1"}},
		"Quý III - Quý III/2024":            {Kind: Quarter, Year: 2024, Quarter: 3},
		"Tháng 6 - tháng 9/2024":            {Kind: InMonths, Year: 2024, Months: []int{6, 7, 8, 9}},
		"Từ tháng 6 đến tháng 9 năm 2024":   {Kind: InMonths, Year: 2024, Months: []int{6, 7, 8, 9}},
		"Từ tháng 11/2024 đến tháng 2/2025": {Kind: Periods, Year: 2024, Periods: []string{"2024-Q4", "2025-Q1"}},
		"Năm 2024 - 2025":                   {Kind: Periods, Year: 2024, Periods: []string{"2024-Y", "2025-Y"}},
		"Giai đoạn 2024-2026":               {Kind: Periods, Year: 2024, Periods: []string{"2024-Y", "2025-Y", "2026-Y"}},
		"Từ ngày 01/6 đến ngày 30/6/2024":   {Kind: OnDate, Year: 2024, Date: d(2024, 6, 30)},
		// Counted occurrences: due in the periods they name.
		"02 lần vào Quý II và Quý IV":         {Kind: Periods, Year: 2024, Periods: []string{"Q2", "Q4"}, Times: 2},
		"Quý II và Quý IV (02 lần)":           {Kind: Periods, Year: 2024, Periods: []string{"Q2", "Q4"}, Times: 2},
		"01 lần/quý":                          {Kind: Periods, Year: 2024, Periods: quarters, Times: 1},
		"1 lần/01 quý":                        {Kind: Periods, Year: 2024, Periods: quarters, Times: 1},
		"Mỗi quý 01 lần":                      {Kind: Periods, Year: 2024, Periods: quarters, Times: 1},
		"Hằng quý 01 lần":                     {Kind: Periods, Year: 2024, Periods: quarters, Times: 1},
		"01 lần/tháng":                        {Kind: InMonths, Year: 2024, Months: all, Times: 1},
		"2 lần trong năm":                     {Kind: Year, Year: 2024, Times: 2},
		"02 lần/năm 2025":                     {Kind: Year, Year: 2025, Times: 2},
		"01 lần":                              {Kind: Year, Year: 2024, Times: 1},
		"02 lần/6 tháng":                      {Kind: Periods, Year: 2024, Periods: []string{PeriodH1, PeriodY}, Times: 2},
		"Tổ chức 02 lần: tháng 6 và tháng 12": {Kind: InMonths, Year: 2024, Months: []int{6, 12}, Times: 2},
		// Months.
		"Tháng 4/2022":             {Kind: InMonth, Year: 2022, Months: []int{4}},
		"tháng 11 năm 2022":        {Kind: InMonth, Year: 2022, Months: []int{11}},
		"Trong tháng 6":            {Kind: InMonth, Year: 2024, Months: []int{6}},
		"Tháng 06/2024":            {Kind: InMonth, Year: 2024, Months: []int{6}},
		"12/2024":                  {Kind: InMonth, Year: 2024, Months: []int{12}},
		"Tháng 6 và tháng 12/2024": {Kind: InMonths, Year: 2024, Months: []int{6, 12}},
		"Tháng 3, 6, 9, 12":        {Kind: InMonths, Year: 2024, Months: []int{3, 6, 9, 12}},
		// Days.
		"30/6/2024":                      {Kind: OnDate, Year: 2024, Date: d(2024, 6, 30)},
		"30/6":                           {Kind: OnDate, Year: 2024, Date: d(2024, 6, 30)},
		"29/2":                           {Kind: OnDate, Year: 2024, Date: d(2024, 2, 29)},
		"15-12-2024":                     {Kind: OnDate, Year: 2024, Date: d(2024, 12, 15)},
		"15.12.2024":                     {Kind: OnDate, Year: 2024, Date: d(2024, 12, 15)},
		"Trước ngày 15/12/2024.":         {Kind: OnDate, Year: 2024, Date: d(2024, 12, 15)},
		"Trước ngày 30/6/2024":           {Kind: OnDate, Year: 2024, Date: d(2024, 6, 30)},
		"Chậm nhất ngày 15/12/2024":      {Kind: OnDate, Year: 2024, Date: d(2024, 12, 15)},
		"ngày 15 tháng 6 năm 2024":       {Kind: OnDate, Year: 2024, Date: d(2024, 6, 15)},
		"Trước ngày 16 tháng 3 năm 2024": {Kind: OnDate, Year: 2024, Date: d(2024, 3, 16)},
		"Trước ngày 16 tháng 3, 6, 9, 12 năm 2024": {Kind: InMonths, Year: 2024, Day: 16, Months: []int{3, 6, 9, 12}},
		"Trước ngày 16 các tháng 3, 6, 9 và 12":    {Kind: InMonths, Year: 2024, Day: 16, Months: []int{3, 6, 9, 12}},
		"Trước ngày 20 hằng tháng":                 {Kind: InMonths, Year: 2024, Day: 20, Months: all},
		"Trước ngày 16 tháng cuối quý":             {Kind: InMonths, Year: 2024, Day: 16, Months: []int{3, 6, 9, 12}},
		// Years.
		"Năm 2022":         {Kind: Year, Year: 2022},
		"2023":             {Kind: Year, Year: 2023},
		"Đến hết năm 2025": {Kind: Year, Year: 2025},
		// Days, months and quarters that do not exist.
		"31/02/2024":                      {Kind: Invalid, Year: 2024, Problem: "ngày 31 tháng 2 không có / there is no 31 February"},
		"Trước ngày 31 tháng 2 năm 2024":  {Kind: Invalid, Year: 2024, Problem: "ngày 31 tháng 2 không có / there is no 31 February"},
		"ngày 45 tháng 6 năm 2024":        {Kind: Invalid, Year: 2024, Problem: "ngày 45 tháng 6 không có / there is no 45 June"},
		"29/2/2023":                       {Kind: Invalid, Year: 2023, Problem: "ngày 29 tháng 2 năm 2023 không có / there is no 29 February 2023"},
		"0/5/2024":                        {Kind: Invalid, Year: 2024, Problem: "ngày 0 tháng 5 không có / there is no 0 May"},
		"31/6":                            {Kind: Invalid, Year: 2024, Problem: "ngày 31 tháng 6 không có / there is no 31 June"},
		"15/13/2024":                      {Kind: Invalid, Year: 2024, Problem: "tháng 13 không có / there is no month 13"},
		"Tháng 13/2024":                   {Kind: Invalid, Year: 2024, Problem: "tháng 13 không có / there is no month 13"},
		"13/2024":                         {Kind: Invalid, Year: 2024, Problem: "tháng 13 không có / there is no month 13"},
		"Tháng 0":                         {Kind: Invalid, Year: 2024, Problem: "tháng 0 không có / there is no month 0"},
		"Trước ngày 16 tháng 3, 6, 9, 13": {Kind: Invalid, Year: 2024, Problem: "tháng 13 không có / there is no month 13"},
		"Ngày 31 các tháng 3, 6, 9, 12":   {Kind: Invalid, Year: 2024, Problem: "ngày 31 tháng 6 không có / there is no 31 June"},
		"Trước ngày 32 hằng tháng":        {Kind: Invalid, Year: 2024, Problem: "ngày 32 không có / there is no day 32"},
		"Quý V":                           {Kind: Invalid, Year: 2024, Problem: "quý V không có / there is no quarter V"},
		"Quý 5/2024":                      {Kind: Invalid, Year: 2024, Problem: "quý 5 không có / there is no quarter 5"},
		"Quý I, V năm 2024":               {Kind: Invalid, Year: 2024, Problem: "quý V không có / there is no quarter V"},
		"Tháng 6 - tháng 14/2024":         {Kind: Invalid, Year: 2024, Problem: "tháng 14 không có / there is no month 14"},
		"Quý II/2026 - Quý IV/2025":       {Kind: Invalid, Year: 2024, Problem: "khoảng thời gian kết thúc trước khi bắt đầu / the range ends before it starts"},
		"Năm 2000 - 2030":                 {Kind: Invalid, Year: 2024, Problem: "khoảng thời gian dài hơn 20 năm / the range spans more than 20 years"},
		"Khi có yêu cầu, chậm nhất 31/02/2024":        {Kind: Invalid, Year: 2024, Problem: "ngày 31 tháng 2 không có / there is no 31 February"},
		"Thường xuyên, báo cáo trước ngày 30 tháng 2": {Kind: Invalid, Year: 2024, Problem: "ngày 30 tháng 2 không có / there is no 30 February"},
		// Free text: no time the reports can place.
		"Khi có yêu cầu":                      {Kind: FreeText, Year: 2024},
		"Theo kế hoạch của tỉnh":              {Kind: FreeText, Year: 2024},
		"Sau khi có kết quả Chỉ số CCHC":      {Kind: FreeText, Year: 2024},
		"ngày 30 tháng 4 và ngày 31 tháng 10": {Kind: FreeText, Year: 2024}, // several days: no one end
		"6 - 9": {Kind: FreeText, Year: 2024},
		"Tháng 2 âm lịch, ngày 30 tháng 2 âm lịch": {Kind: FreeText, Year: 2024}, // lunar months have 30 days
		"": {Kind: FreeText},
	}
	for text, want := range cases {
		if got := (Deadline{Text: text}).Meaning(2024); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %+v, want %+v", text, got, want)
		}
		err := Deadline{Text: text}.Check(2024)
		if (err != nil) != (want.Kind == Invalid) || (err != nil && err.Error() != want.Problem) {
			t.Errorf("%q: Check: %v", text, err)
		}
	}
}

// TestSeedDeadlines classifies every deadline of the five seed plans:
// none is free text or invalid (the seeds' own words, all understood), and
// each means what the plan says.
func TestSeedDeadlines(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "plans", "*.json"))
	if err != nil || len(files) != 5 {
		t.Fatalf("seed plans: %v %v", files, err)
	}
	want := map[string]DeadlineKind{
		"Quý I, II năm 2017":                       Periods,
		"Quý III năm 2017":                         Quarter,
		"Thường xuyên trong năm 2017":              Regular,
		"Quý I, 6 tháng, Quý III, năm":             Periods,
		"Thường xuyên":                             Regular,
		"Trước ngày 16 tháng 3, 6, 9, 12 năm 2024": InMonths,
		"Năm 2022":                     Year,
		"Quý I năm 2022":               Quarter,
		"Quý I, 6 tháng, 9 tháng, năm": Periods,
		"Năm 2023":                     Year,
		"Tháng 4/2022":                 InMonth,
		"Tháng 8/2022":                 InMonth,
		"Tháng 9/2022":                 InMonth,
		"Tháng 10/2022":                InMonth,
		"Tháng 11/2022":                InMonth,
		// "Định kỳ ngày thứ Bảy của tuần cuối cùng trong tháng khi nhận được
		// thông tin góp ý của người dân" (Thạnh Trị): a weekly radio
		// programme, ongoing.
		"Định kỳ ngày thứ Bảy của tuần cuối cùng trong tháng khi nhận được thông tin góp ý của người dân": Regular,
	}
	// Seed deadlines still free text, each with the reason it is: none.
	freeText := map[string]string{}
	var free []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, a := range d.Appendices {
			for _, task := range a.Tasks {
				m := task.Deadline.Meaning(d.Date.Year)
				if m.Kind == FreeText {
					free = append(free, fmt.Sprintf("%s: %q", filepath.Base(f), task.Deadline.Text))
					if freeText[task.Deadline.Text] == "" {
						t.Errorf("%s: %q is free text, unexplained", filepath.Base(f), task.Deadline.Text)
					}
					continue
				}
				k, ok := want[task.Deadline.Text]
				if !ok {
					t.Errorf("%s: %q (%s) not in the table", filepath.Base(f), task.Deadline.Text, m.Kind)
				} else if m.Kind != k {
					t.Errorf("%s: %q is %s, want %s", filepath.Base(f), task.Deadline.Text, m.Kind, k)
				}
				if m.Kind != Regular && m.Year != d.Date.Year && m.Kind != FreeText {
					t.Errorf("%s: %q in year %d, the plan's is %d", filepath.Base(f), task.Deadline.Text, m.Year, d.Date.Year)
				}
			}
		}
	}
	t.Logf("seed deadlines still free text: %d %v", len(free), free)
}

// TestValidateDeadline: a deadline naming a day that does not exist is
// refused, naming the task; the plan's year decides 29 February.
func TestValidateDeadline(t *testing.T) {
	plan := func(year int, deadlines ...string) *Document {
		d := &Document{Kind: "KH", Date: Date{Year: year}, Title: "Kế hoạch",
			Agency: Agency{Name: "UBND tỉnh", Symbol: "UBND", Place: "Lai Châu"}}
		a := Appendix{Title: "Nhiệm vụ"}
		for _, dl := range deadlines {
			a.Tasks = append(a.Tasks, Task{Content: "Việc", Lead: []string{"Sở Nội vụ"}, Deadline: Deadline{Text: dl}})
		}
		d.Appendices = []Appendix{a}
		return d
	}
	if err := plan(2024, "Thường xuyên", "29/2", "Quý IV/2024 - Quý II/2025", "Khi có yêu cầu").Validate(); err != nil {
		t.Fatalf("valid plan: %v", err)
	}
	err := plan(2023, "Thường xuyên", "Trước ngày 31 tháng 2 năm 2024", "29/2", "Tháng 13").Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want a ValidationError, got %v", err)
	}
	want := []FieldError{
		{Field: "appendices[0].tasks[1].deadline", Problem: "ngày 31 tháng 2 không có / there is no 31 February"},
		{Field: "appendices[0].tasks[2].deadline", Problem: "ngày 29 tháng 2 năm 2023 không có / there is no 29 February 2023"},
		{Field: "appendices[0].tasks[3].deadline", Problem: "tháng 13 không có / there is no month 13"},
	}
	if !reflect.DeepEqual(ve.Fields, want) {
		t.Errorf("got %+v\nwant %+v", ve.Fields, want)
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
