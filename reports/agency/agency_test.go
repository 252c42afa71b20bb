package agency

import (
	"path/filepath"
	"testing"

	"baocao/reports/doc"
)

// seedNames classifies every text the five seed plans write as a lead or
// cooperating agency: true for an agency's name.
var seedNames = map[string]bool{
	// Bình Định 2017
	"Báo Bình Định":           true,
	"Các sở, ban, ngành tỉnh": false,
	"Các sở, ngành có liên quan đến các lĩnh vực mà người dân, doanh nghiệp quan tâm":                     false,
	"Các sở, ngành có liên quan đến các lĩnh vực về cải cách hành chính":                                  false,
	"Cơ quan hành chính nhà nước các cấp, đơn vị sự nghiệp (có thẩm quyền giải quyết thủ tục hành chính)": false,
	"Cơ quan hành chính nhà nước các cấp, đơn vị sự nghiệp trên địa bàn tỉnh":                             false,
	"Liên đoàn Lao động tỉnh":      true,
	"Sở Khoa học và Công nghệ":     true,
	"Sở Kế hoạch và Đầu tư":        true,
	"Sở Nội vụ":                    true,
	"Sở Thông tin và Truyền thông": true,
	"Sở Tài chính":                 true,
	"Sở Tư pháp":                   true,
	"Thủ trưởng các cơ quan, đơn vị, địa phương có liên quan": false,
	"UBND cấp huyện":      false,
	"UBND cấp xã":         false,
	"Văn phòng UBND tỉnh": true,
	"Đài Phát thanh và Truyền hình Bình Định": true,
	// Lai Châu 2024
	"Báo Lai Châu":                        true,
	"Bưu điện tỉnh":                       true,
	"Các Sở, ban, ngành có liên quan":     false,
	"Các Sở, ban, ngành tỉnh":             false,
	"Các cơ quan thông tin, truyền thông": false,
	"UBND các huyện, thành phố":           false,
	"Đài Phát thanh Truyền hình tỉnh":     true,
	"Đài Phát thanh và truyền hình tỉnh":  true,
	// Ninh Thuận 2022
	"Các tổ chức đoàn thể":                          false,
	"Trưởng phòng chuyên môn, đơn vị trực thuộc Sở": false,
	"Văn phòng Sở":                                  true,
	// Tây Sơn 2023
	"Bộ phận Tiếp nhận và Trả kết quả của UBND huyện": true,
	"Bộ phận Tiếp nhận và Trả kết quả của huyện":      true,
	"Các cơ quan, đơn vị, địa phương":                 false,
	"Các phòng, ban, ngành, địa phương":               false,
	"Trung tâm Văn hóa - Thông tin - Thể thao huyện":  true,
	"Tổ công nghệ số cộng đồng":                       false, // a team in each village, no standing body
	"UBND các xã, thị trấn":                           false,
	"Đài truyền thanh cơ sở":                          true,
	// Thanh Trì 2022
	"2. Các ban, phòng ngành, UBND xã, thị trấn": false,
	"Các ban, phòng ngành":                       false,
	"Phòng Nội vụ":                               true,
	"Phòng Văn hóa - Thông tin huyện":            true,
	"Theo Kế hoạch của tỉnh":                     false,
	"Văn phòng HĐND&UBND huyện":                  true,
	"Đài Truyền thanh huyện":                     true,
	"Đài truyền thanh huyện":                     true,
}

// TestIsNameSeeds checks the rule against every lead and cooperating text
// of the five seed plans (a new text in a seed must be classified here).
func TestIsNameSeeds(t *testing.T) {
	files, err := filepath.Glob("../../testdata/plans/*.json")
	if err != nil || len(files) != 5 {
		t.Fatalf("want the five seed plans, got %v (%v)", files, err)
	}
	seen := map[string]bool{}
	var walk func(d *doc.Document)
	walk = func(d *doc.Document) {
		for _, a := range d.Appendices {
			for _, task := range a.Tasks {
				for _, n := range append(append([]string{}, task.Lead...), task.Cooperating...) {
					seen[n] = true
				}
			}
		}
		if d.PromulgatedBy != nil {
			walk(d.PromulgatedBy)
		}
	}
	for _, f := range files {
		d, err := doc.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		walk(d)
	}
	for n := range seen {
		want, ok := seedNames[n]
		if !ok {
			t.Errorf("%q: not classified in seedNames", n)
			continue
		}
		if got := IsName(n); got != want {
			t.Errorf("IsName(%q) = %v, want %v", n, got, want)
		}
	}
	for n := range seedNames {
		if !seen[n] {
			t.Errorf("%q is in seedNames but in no seed", n)
		}
	}
}

func TestIsNameOthers(t *testing.T) {
	for n, want := range map[string]bool{
		"Ủy ban nhân dân tỉnh Lai Châu": true, "UBND huyện Tây Sơn": true, "Công an tỉnh": true,
		"Bộ Chỉ huy Quân sự tỉnh": true, "Kho bạc Nhà nước tỉnh": true, "Sở": false, "": false,
		"Sở, ban, ngành": false, "Ban Quản lý các khu công nghiệp": true, "Bộ Nội vụ": true,
		"Ngân hàng Nhà nước chi nhánh tỉnh": true, "các Sở": false, "Chi cục Thuế khu vực": true,
	} {
		if got := IsName(n); got != want {
			t.Errorf("IsName(%q) = %v, want %v", n, got, want)
		}
	}
}

func TestDirectory(t *testing.T) {
	d, err := NewDirectory([]Entry{{Name: "Đài Phát thanh – Truyền hình tỉnh",
		Aliases: []string{"Đài Phát thanh Truyền hình tỉnh", "Đài Phát thanh và truyền hình tỉnh"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Đài Phát thanh Truyền hình tỉnh", "đài phát thanh  và truyền hình tỉnh", "Đài Phát thanh – Truyền hình tỉnh"} {
		if got := d.Canonical(n); got != "Đài Phát thanh – Truyền hình tỉnh" {
			t.Errorf("Canonical(%q) = %q", n, got)
		}
	}
	if got := d.Canonical("Sở Nội vụ"); got != "Sở Nội vụ" {
		t.Errorf("unknown name changed: %q", got)
	}
	if !d.Same("Đài Phát thanh Truyền hình tỉnh", "Đài Phát thanh và truyền hình tỉnh") || d.Same("Sở Nội vụ", "Báo Lai Châu") {
		t.Error("Same is wrong")
	}
	var none *Directory
	if none.Canonical("X") != "X" {
		t.Error("nil directory")
	}
	_, err = NewDirectory([]Entry{{Name: "A"}, {Name: "B", Aliases: []string{"a"}}})
	if err == nil || err.Error() != `agencies[1].aliases[0]: "a" is already agencies[0].name ("A")` {
		t.Errorf("conflict: %v", err)
	}
	if _, err := NewDirectory([]Entry{{Name: "A", Aliases: []string{" "}}}); err == nil {
		t.Error("empty alias accepted")
	}
}

func TestLabels(t *testing.T) {
	list := []Labelled{{1, "Sở Nội vụ", "Ủy ban nhân dân tỉnh Lai Châu"}, {2, "Sở Nội vụ", "Ủy ban nhân dân tỉnh Bình Định"},
		{3, "Đài truyền thanh huyện", ""}, {4, "Báo Lai Châu", "Ủy ban nhân dân tỉnh Lai Châu"}, {5, "Ủy ban nhân dân tỉnh Lai Châu", ""}}
	labels := Labels(list)
	if labels[1] != "Sở Nội vụ (Ủy ban nhân dân tỉnh Lai Châu)" || labels[4] != "Báo Lai Châu" {
		t.Errorf("labels: %v", labels)
	}
	SortByLabel(list, func(a Labelled) string { return labels[a.ID] }, func(a Labelled) int64 { return a.ID })
	var got []int64
	for _, a := range list {
		got = append(got, a.ID)
	}
	// Vietnamese order: B, Đ (after D), S, U (Ủ).
	want := []int64{4, 3, 2, 1, 5}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}
